/* MeMoRe Toolbox: Python (Pyodide) in a module Web Worker, for the online site.
 *
 * Started by runtime.js, which passes the site's base URL and the runtime version as the worker's
 * name (JSON), so the imports begin as soon as this module runs. Messages in:
 * {type: "call", id, name, args}. Messages out: {type: "ready", version, steps} or
 * {type: "failed", message}, then {type: "result", id, value | error} per call.
 * Everything it loads comes from this site: the vendored runtime, runtime.js and engine.js.
 */
let engine = null;
/* When each step ended, as milliseconds since the epoch (performance.timeOrigin + now), so the
   page can line them up with its own timeline; scripts/bench reports them. */
const steps = {};
function mark(name) {
  steps[name] = performance.timeOrigin + performance.now();
}
mark("worker");

function describe(error) {
  return error && error.message ? error.message : String(error);
}

async function start(base, version) {
  const dir = new URL(`assets/pyodide/v${version}/`, base).href;
  const [pyodideModule] = await Promise.all([
    import(dir + "pyodide.mjs"),
    import(new URL("assets/toolbox/runtime.js", base).href),
    import(new URL("assets/toolbox/engine.js", base).href),
  ]);
  mark("imported");
  const pyodide = await pyodideModule.loadPyodide({ indexURL: dir });
  mark("pyodide");
  const ready = self.MemoreRuntime.installEngine(pyodide);
  mark("engine");
  return ready;
}

function begin() {
  let options = {};
  try { options = JSON.parse(self.name); } catch (error) { /* reported below */ }
  engine = options.base && options.version
    ? start(options.base, options.version)
    : Promise.reject(new Error("the Python worker was started without its settings"));
  engine.then(
    (ready) => self.postMessage({ type: "ready", version: ready.version, steps }),
    (error) => self.postMessage({ type: "failed", message: describe(error) }),
  );
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "call") {
    engine
      .then((ready) => ({ value: ready.call(data.name, data.args || []) }))
      .then(
        (out) => self.postMessage({ type: "result", id: data.id, value: out.value }),
        (error) => self.postMessage({ type: "result", id: data.id, error: describe(error) }),
      );
  }
});

begin();
