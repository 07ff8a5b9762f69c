/* MeMoRe Toolbox: Python (Pyodide) in a module Web Worker, for the online site.
 *
 * Started by runtime.js. Messages in: {type: "start", base, version} once, then
 * {type: "call", id, name, args}. Messages out: {type: "ready", version} or
 * {type: "failed", message}, then {type: "result", id, value | error} per call.
 * Everything it loads comes from this site: the vendored runtime, runtime.js and engine.js.
 */
let engine = null;

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
  const pyodide = await pyodideModule.loadPyodide({ indexURL: dir });
  return self.MemoreRuntime.installEngine(pyodide);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "start" && !engine) {
    engine = start(data.base, data.version);
    engine.then(
      (ready) => self.postMessage({ type: "ready", version: ready.version }),
      (error) => self.postMessage({ type: "failed", message: describe(error) }),
    );
  } else if (data.type === "call") {
    const answer = engine
      ? engine.then((ready) => ({ value: ready.call(data.name, data.args || []) }))
      : Promise.reject(new Error("Python was not started"));
    answer.then(
      (out) => self.postMessage({ type: "result", id: data.id, value: out.value }),
      (error) => self.postMessage({ type: "result", id: data.id, error: describe(error) }),
    );
  }
});
