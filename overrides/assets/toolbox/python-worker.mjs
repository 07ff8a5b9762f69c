/* MeMoRe Toolbox: Python (Pyodide) in a module Web Worker, for the online site.
 *
 * Started by toolbox.js, which passes the site's base URL, the runtime version and whether to use
 * the snapshot as the worker's name (JSON), so the downloads begin as soon as this module runs. Python starts from
 * the build's memory snapshot (assets/toolbox/python-snapshot.bin: the interpreter with the engine
 * already imported, made by scripts/python_snapshot.mjs), which skips Python's own start-up; if the
 * snapshot is missing, damaged or refused, it starts the plain way. Messages in:
 * {type: "call", id, name, args}. Messages out: {type: "ready", version, steps} or
 * {type: "failed", message}, then {type: "result", id, value | error} per call. The ready message
 * says how Python started (source: "snapshot" or "plain", and why not the snapshot).
 * Everything it loads comes from this site: the vendored runtime, runtime.js and engine.js, each
 * requested once, side by side, from the worker's first line.
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

let how = { source: "plain", why: "" };

/* The runtime's wasm, compiled from the worker's first line, side by side with the snapshot's
   download and unpacking (runtime.js, withCompiled, hands it to Pyodide). Streamed from the HTTP
   cache with the wasm MIME type, V8 takes a returning visitor's code from its code cache. */
function precompile(dir) {
  if (typeof WebAssembly.compileStreaming !== "function") return null;
  const compiled = WebAssembly.compileStreaming(fetch(dir + "pyodide.asm.wasm"));
  compiled.then(() => mark("compiled"), () => { /* Pyodide compiles it itself */ });
  return compiled;
}

/* Pyodide's own requests begin from the worker's first line instead of once loadPyodide runs:
   its lock file and standard library here (handed over by the fetch below, once per URL), its
   module script by start's import. Its request for the wasm, which precompile has under way
   already, is answered with an empty response once that compile succeeded (withCompiled answers
   the instantiation from the compiled module), so the 9.6 MB are read once, not twice. */
function ownRequests(dir, compiled) {
  const fetchAnew = self.fetch.bind(self);
  const begun = new Map();
  for (const name of ["pyodide-lock.json", "python_stdlib.zip"]) {
    const response = fetchAnew(dir + name);
    response.catch(() => { /* Pyodide reports it when it reads the response */ });
    begun.set(dir + name, response);
  }
  const wasm = dir + "pyodide.asm.wasm";
  self.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof Request ? input.url : String(input);
    if (url === wasm && compiled) {
      return compiled.then(() => new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }),
        () => fetchAnew(input, init));
    }
    const response = begun.get(url);
    if (!response) return fetchAnew(input, init);
    begun.delete(url);
    return response;
  };
}

async function start(base, version, useSnapshot) {
  const dir = new URL(`assets/pyodide/v${version}/`, base).href;
  const compiled = precompile(dir);
  ownRequests(dir, compiled);
  /* The snapshot's download starts now, with the imports; runtime.js unpacks it as it arrives. */
  const download = useSnapshot
    ? fetch(new URL("assets/toolbox/python-snapshot.bin", base).href).then((response) => {
      if (!response.ok) throw new Error(`no snapshot (HTTP ${response.status})`);
      mark("responded");
      return response;
    })
    : null;
  if (download) download.catch(() => { /* loadPython starts the plain way */ });
  const runtimeScript = import(new URL("assets/toolbox/runtime.js", base).href);
  /* Unpacked as soon as runtime.js is there, while Pyodide and the engine are still importing. */
  const snapshot = download
    ? Promise.all([download, runtimeScript]).then(([response]) => self.MemoreRuntime.unpackResponse(response))
      .then((bytes) => { mark("unpacked"); return bytes; })
    : null;
  if (snapshot) snapshot.catch(() => { /* loadPython starts the plain way */ });
  const [pyodideModule, , , factory] = await Promise.all([
    import(dir + "pyodide.mjs"),
    runtimeScript,
    import(new URL("assets/toolbox/engine.js", base).href),
    /* Pyodide's module script (1.25 MB), which loadPyodide would only import once it runs. */
    import(dir + "pyodide.asm.mjs"),
  ]);
  mark("imported");
  const runtime = self.MemoreRuntime;
  const options = { indexURL: dir, createPyodideModule: factory.default };
  const started = await runtime.withCompiled(compiled, () => runtime.loadPython(pyodideModule.loadPyodide, options, snapshot));
  how = { source: started.source, why: useSnapshot ? started.why : "not asked for (slow or metered link)" };
  mark("pyodide");
  const ready = runtime.installEngine(started.pyodide);
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

let warming = false;
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "call") {
    engine
      .then((ready) => ({ ready, value: ready.call(data.name, data.args || []) }))
      .then(
        (out) => {
          self.postMessage({ type: "result", id: data.id, value: out.value });
          /* The first evaluation after a snapshot start: repeat it in slices until V8 has
             optimised the interpreter (runtime.js, warmUp); calls from the page come in between. */
          if (!warming && data.name === "evaluate" && how.source === "snapshot") {
            warming = true;
            self.MemoreRuntime.warmUp(out.ready, data.name, data.args || [], (step) => setTimeout(step, 0));
          }
        },
        (error) => self.postMessage({ type: "result", id: data.id, error: describe(error) }),
      );
  }
});

begin();
