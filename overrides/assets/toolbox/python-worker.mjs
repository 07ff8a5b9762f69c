/* MeMoRe Toolbox: Python (Pyodide) in a module Web Worker, for the online site.
 *
 * Started by toolbox.js (or runtime.js), which passes the site's base URL and the runtime version as
 * the worker's name (JSON), so the downloads begin as soon as this module runs. Python starts from
 * the build's memory snapshot (assets/toolbox/python-snapshot.bin: the interpreter with the engine
 * already imported, made by scripts/python_snapshot.mjs), which skips Python's own start-up; if the
 * snapshot is missing, damaged or refused, it starts the plain way. Messages in:
 * {type: "call", id, name, args}. Messages out: {type: "ready", version, steps} or
 * {type: "failed", message}, then {type: "result", id, value | error} per call. The ready message
 * says how Python started (source: "snapshot" or "plain", and why not the snapshot).
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

/* The snapshot's bytes (stored gzip-compressed; a server that already unpacked them is fine). */
async function snapshotBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`no snapshot (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const how = { source: "plain", why: "" };

async function loadPython(pyodideModule, dir, snapshot) {
  if (snapshot) {
    try {
      const pyodide = await pyodideModule.loadPyodide({ indexURL: dir, _loadSnapshot: snapshot });
      how.source = "snapshot";
      return pyodide;
    } catch (error) {
      how.why = describe(error);
    }
  }
  return pyodideModule.loadPyodide({ indexURL: dir });
}

async function start(base, version, useSnapshot) {
  const dir = new URL(`assets/pyodide/v${version}/`, base).href;
  let snapshot = null;
  if (useSnapshot && typeof DecompressionStream === "function") {
    snapshot = snapshotBytes(new URL("assets/toolbox/python-snapshot.bin", base).href);
    snapshot.catch(() => { /* handled by loadPython */ });
  } else {
    how.why = useSnapshot ? "this browser cannot unpack it" : "not asked for";
  }
  const [pyodideModule] = await Promise.all([
    import(dir + "pyodide.mjs"),
    import(new URL("assets/toolbox/runtime.js", base).href),
    import(new URL("assets/toolbox/engine.js", base).href),
  ]);
  mark("imported");
  const pyodide = await loadPython(pyodideModule, dir, snapshot);
  mark("pyodide");
  const ready = self.MemoreRuntime.installEngine(pyodide);
  mark("engine");
  return ready;
}

function begin() {
  let options = {};
  try { options = JSON.parse(self.name); } catch (error) { /* reported below */ }
  engine = options.base && options.version
    ? start(options.base, options.version, options.snapshot !== false)
    : Promise.reject(new Error("the Python worker was started without its settings"));
  engine.then(
    (ready) => self.postMessage({ type: "ready", version: ready.version, steps, source: how.source, why: how.why,
                             engineFrom: ready.engineFrom }),
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
