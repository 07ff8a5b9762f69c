/* MeMoRe Toolbox: start Python (Pyodide), online and from file:// alike.
 *
 * Over http(s) Python runs in a module Web Worker (assets/toolbox/python-worker.mjs), so its start
 * (wasm compile, interpreter start: seconds of work) never blocks the page: the form stays
 * responsive while it starts. If the browser cannot start that worker, Python runs in the page.
 * From file://, where browsers refuse workers, fetch and module imports of local files, it runs
 * in the page: the same runtime arrives as classic scripts built by the memore plugin (memore_site/runtime.py) (the
 * wasm and the standard library as gzip+base64 strings, the lock file as an object and the module
 * factory as a classic-script rewrite of pyodide.asm.mjs); fetch is answered from memory for those
 * two names. The engine's Python files come from assets/toolbox/engine.js in every case.
 * Every file comes from this site, never from another origin.
 *
 * Exposes MemoreRuntime.start(base, version, early, snapshot) -> Promise<engine>, where early is
 * the worker toolbox.js started over http(s) ({worker, handOver() -> events so far}) or null
 * (Python then runs in the page), snapshot says whether to fetch the build's memory snapshot, and
 * engine.call(name, ...args) -> Promise<string> calls toolbox.browser.<name> with string
 * arguments, engine.thread is "worker" or "page", and engine.source
 * is "snapshot" (the worker started from the build's memory snapshot) or "plain".
 * This file is also imported by the worker, for installEngine.
 */
(function () {
  "use strict";

  var scope = typeof self !== "undefined" ? self : window;
  var started = null;
  var CALL_TIMEOUT_MS = 20000;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.async = false;
      el.onload = function () { resolve(); };
      el.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(el);
    });
  }

  function base64ToBytes(text) {
    /* Native where the browser has it (Chromium 140+, Firefox 133+): the loop below takes a
       main-thread task of its own for the megabytes of the offline runtime. */
    var native = /** @type {any} */ (Uint8Array).fromBase64;
    if (typeof native === "function") return native.call(Uint8Array, text);
    var raw = atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function gunzip(bytes) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot unpack the offline runtime (no DecompressionStream)"));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }

  /* From file://: the runtime's files from classic scripts. -> {options for loadPyodide, snapshot
     (a promise of its bytes, or null)}, the same shape inPage uses over http. */
  function offlineOptions(base, pyodideDir) {
    var names = ["pyodide-asm.js", "pyodide-lock.js", "pyodide-wasm.js", "pyodide-stdlib.js"];
    /* The build's snapshot as a classic script too; without it Python starts the plain way. */
    var snapshotScript = loadScript(base + "assets/toolbox/offline-snapshot.js").catch(function () { return null; });
    /* Read side by side; they still run in this order (loadScript: async = false). */
    return Promise.all(names.map(function (name) { return loadScript(pyodideDir + "offline/" + name); }))
      .then(function () { return snapshotScript; }).then(function () {
      var payload = window.__memorePyodidePayload || {};
      var wasmText = payload["pyodide.asm.wasm"];
      var stdlibText = payload["python_stdlib.zip"];
      if (!wasmText || !stdlibText || !window.__memorePyodideFactory) {
        throw new Error("the offline runtime files are incomplete");
      }
      return Promise.all([gunzip(base64ToBytes(wasmText)), gunzip(base64ToBytes(stdlibText))])
        .then(function (parts) {
          // Free the big strings as soon as they are decoded.
          delete payload["pyodide.asm.wasm"];
          delete payload["python_stdlib.zip"];
          var snapshotText = payload["python-snapshot.bin"];
          delete payload["python-snapshot.bin"];
          var snapshot = snapshotText ? unpackSnapshot(base64ToBytes(snapshotText)) : null;
          if (snapshot) snapshot.catch(function () { /* loadPython starts the plain way */ });
          var memory = { "pyodide.asm.wasm": parts[0], "python_stdlib.zip": parts[1] };
          var types = { "pyodide.asm.wasm": "application/wasm", "python_stdlib.zip": "application/zip" };
          var realFetch = window.fetch ? window.fetch.bind(window) : null;
          window.fetch = function (input, init) {
            var url = typeof input === "string" ? input : (input instanceof Request ? input.url : String(input));
            var name = url.split(/[?#]/)[0].split("/").pop();
            if (memory[name]) {
              return Promise.resolve(new Response(memory[name], { headers: { "Content-Type": types[name] } }));
            }
            if (!realFetch) return Promise.reject(new Error("fetch is not available"));
            return realFetch(input, init);
          };
          /* Compiled now, while the snapshot unpacks (see withCompiled). */
          var compiled = typeof WebAssembly.compile === "function" ? WebAssembly.compile(parts[0]) : null;
          if (compiled) compiled.catch(function () { /* Pyodide compiles it itself */ });
          return {
            options: { lockFileContents: payload["pyodide-lock.json"], createPyodideModule: window.__memorePyodideFactory },
            snapshot: snapshot,
            compiled: compiled
          };
        });
    });
  }

  /* The build's Python memory snapshot: stored sparse ("MEMSNAP1", scripts/python_snapshot.mjs:
     the runs of pages that are not all zeros), then gzip-compressed (a server may have unpacked
     that). -> a promise of the memory itself; rejected if damaged (Python then starts the plain
     way). Plain memory, without the sparse header, is taken as it is. */
  function unpackSnapshot(bytes) {
    var view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (view[0] !== 0x1f || view[1] !== 0x8b) return Promise.resolve().then(function () { return expandSnapshot(view); });
    return gunzip(view).then(function (buffer) { return expandSnapshot(new Uint8Array(buffer)); });
  }

  /* The snapshot's HTTP response -> a promise of the memory, unpacked while it arrives: reading
     6.5 MB from the HTTP cache takes a few hundred milliseconds here, inflating them 100-200 more,
     and streamed they overlap (README, "Measured figures"). Looks at the first bytes to see whether
     the server sent the gzip form as it is or unpacked it. */
  function unpackResponse(response) {
    if (!response.body || typeof DecompressionStream === "undefined" || typeof ReadableStream === "undefined") {
      return response.arrayBuffer().then(unpackSnapshot);
    }
    var reader = response.body.getReader();
    return reader.read().then(function (first) {
      var head = first.value || new Uint8Array(0);
      var rest = new ReadableStream({
        start: function (controller) {
          if (first.done) controller.close();
          else controller.enqueue(head);
        },
        pull: function (controller) {
          return reader.read().then(function (next) {
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          });
        },
        cancel: function (reason) { return reader.cancel(reason); }
      });
      var packed = head[0] === 0x1f && head[1] === 0x8b;
      return new Response(packed ? rest.pipeThrough(new DecompressionStream("gzip")) : rest).arrayBuffer();
    }).then(function (buffer) { return expandSnapshot(new Uint8Array(buffer)); });
  }

  var SPARSE_MAGIC = "MEMSNAP1";

  /* The sparse form -> the memory: a zeroed array of its length with each run copied in place.
     Inflating only the runs takes about half the time of inflating the whole memory, most of
     which is zeros (README, "Measured figures"). Also used by scripts/snapshot_check.mjs, so the
     build proves this very function. */
  function expandSnapshot(view) {
    for (var m = 0; m < SPARSE_MAGIC.length; m++) {
      if (view[m] !== SPARSE_MAGIC.charCodeAt(m)) return view;
    }
    function damaged() { return new Error("the Python snapshot is damaged"); }
    if (view.length < 20) throw damaged();
    var head = new DataView(view.buffer, view.byteOffset, view.byteLength);
    var total = head.getUint32(8, true);
    var page = head.getUint32(12, true);
    var count = head.getUint32(16, true);
    var at = 20 + 8 * count;
    if (page === 0 || at > view.length) throw damaged();
    var memory = new Uint8Array(total);
    for (var r = 0; r < count; r++) {
      var begin = head.getUint32(20 + 8 * r, true) * page;
      var length = Math.min(head.getUint32(24 + 8 * r, true) * page, total - begin);
      if (begin >= total || length <= 0 || at + length > view.length) throw damaged();
      memory.set(view.subarray(at, at + length), begin);
      at += length;
    }
    if (at !== view.length) throw damaged();
    return memory;
  }

  /* Pyodide compiles its wasm only once the snapshot is unpacked (it sizes the memory from it
     first). Given a module compiled earlier (a promise), run() starts Python with Pyodide's
     instantiateStreaming answered from that module, so compiling and unpacking run side by side;
     if that compile failed, Pyodide compiles as usual. */
  function withCompiled(compiled, run) {
    if (!compiled) return run();
    var own = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = function (source, imports) {
      return compiled.then(function (module) {
        /* Pyodide's own request for the same file is not needed any more. */
        Promise.resolve(source).then(function (response) { if (response.body) response.body.cancel(); }, function () {});
        return WebAssembly.instantiate(module, imports).then(function (instance) {
          return { module: module, instance: instance };
        });
      }, function () { return own.call(WebAssembly, source, imports); });
    };
    function restore(value) { WebAssembly.instantiateStreaming = own; return value; }
    return run().then(restore, function (error) { restore(); throw error; });
  }

  /* Pyodide puts each JavaScript function its wasm calls through the function table into a tiny
     wasm module of its own, compiled on the spot: 261 of them on a snapshot start, of 29 kinds,
     and the bytes depend only on the kind. While run() starts Python, each kind is compiled once
     and its module reused (instances stay one per function). */
  var WRAPPER_MAX_BYTES = 256;
  function sharedWrappers(run) {
    var Own = WebAssembly.Module;
    var made = new Map();
    /** @param {BufferSource} bytes */
    function Module(bytes) {
      if (!(bytes instanceof Uint8Array) || bytes.length > WRAPPER_MAX_BYTES) return new Own(bytes);
      var key = String.fromCharCode.apply(null, Array.prototype.slice.call(bytes));
      var module = made.get(key);
      if (!module) { module = new Own(bytes); made.set(key, module); }
      return module;
    }
    Module.prototype = Own.prototype;
    Object.setPrototypeOf(Module, Own);
    /** @type {any} */ (WebAssembly).Module = Module;
    function restore(value) { /** @type {any} */ (WebAssembly).Module = Own; return value; }
    return run().then(restore, function (error) { restore(); throw error; });
  }

  /* loadPyodide from the snapshot (a promise of its bytes) when there is one; if there is none or
     Pyodide refuses it, the plain way. -> {pyodide, source: "snapshot" | "plain", why}. */
  function loadPython(load, options, snapshot) {
    return sharedWrappers(function () { return loadEither(load, options, snapshot); });
  }

  function loadEither(load, options, snapshot) {
    var why = snapshot ? "" : "no snapshot";
    function plain() {
      return load(options).then(function (pyodide) { return { pyodide: pyodide, source: "plain", why: why }; });
    }
    if (!snapshot) return plain();
    if (snapshot.catch) snapshot.catch(function () { /* handled below, by loadPyodide's refusal */ });
    var withSnapshot = {};
    Object.keys(options).forEach(function (key) { withSnapshot[key] = options[key]; });
    withSnapshot._loadSnapshot = snapshot;
    return load(withSnapshot).then(function (pyodide) {
      return { pyodide: pyodide, source: "snapshot", why: "" };
    }, function (error) {
      why = error && error.message ? error.message : String(error);
      return plain();
    });
  }

  /* The engine for Python as started: -> {version, engineFrom, call(name, args) -> string}.
     Started from the build's snapshot, the engine is imported already and its data read in
     (scripts/python_snapshot.mjs), so its files are written into Python's file system only after
     its first answer (for a later import or a traceback's source lines): writing them took
     10-30 ms under Node, before the first chart. If the snapshot came from another build than
     engine.js (a cache between two releases), the files are written first and imported afresh. */
  function installEngine(pyodide) {
    var bundle = scope.__memoreEngine;
    if (!bundle || !bundle.files) throw new Error("the toolbox engine files are missing");
    var root = "/home/pyodide/memore";
    function writeFiles() {
      Object.keys(bundle.files).forEach(function (path) {
        var full = root + "/" + path;
        pyodide.FS.mkdirTree(full.substring(0, full.lastIndexOf("/")));
        pyodide.FS.writeFile(full, bundle.files[path], { encoding: "utf8" });
      });
    }
    var engineFrom = String(pyodide.runPython([
      "import sys",
      "if '" + root + "' not in sys.path: sys.path.insert(0, '" + root + "')",
      "_t = sys.modules.get('toolbox')",
      "_from = 'snapshot' if _t is not None and getattr(_t, '__snapshot_build__', None) == '" + String(bundle.build || "") + "' else 'files'",
      "if _from == 'files':",
      "    for _n in [n for n in sys.modules if n == 'toolbox' or n.startswith('toolbox.')]: del sys.modules[_n]",
      "del _t",
      "_from"
    ].join("\n")));
    var filesLater = null;
    if (engineFrom === "files") {
      writeFiles();
      pyodide.runPython("import toolbox, toolbox.browser");
    } else {
      filesLater = writeFiles;
    }
    var browser = pyodide.pyimport("toolbox.browser");
    var toolbox = pyodide.pyimport("toolbox");
    /* Synchronous: name -> the Python function's string result (throws on an unknown name). */
    return {
      version: toolbox.__version__,
      engineFrom: engineFrom,
      call: function (name, args) {
        var fn = /^[a-z_]+$/.test(name) ? browser[name] : null;
        if (typeof fn !== "function") throw new Error("unknown engine function " + name);
        var value = String(fn.apply(null, args));
        if (filesLater) {
          var write = filesLater;
          filesLater = null;
          /* After this answer has gone out; the engine works from memory meanwhile. */
          setTimeout(function () { try { write(); } catch (error) { /* the engine runs from memory; a traceback would lack its source lines */ } }, 0);
        }
        return value;
      }
    };
  }

  /* Started from the build's snapshot, the interpreter's wasm is still in V8's baseline tier: an
     evaluation takes many times longer until V8 has optimised the hot paths, which takes about a
     hundred evaluations (README, "Measured figures"). So the first evaluation is repeated in small
     slices (later(step) schedules the next one; the page's own calls come in between), results
     discarded, until the time per call stops falling, at most WARM_UP_MAX calls or WARM_UP_MS.
     A plain start has run Python long enough already. */
  var WARM_UP_MAX = 150;
  var WARM_UP_MS = 5000;
  function warmUp(sync, name, args, later) {
    var clock = scope.performance || Date;
    var began = clock.now();
    var times = [];
    var best = Infinity;
    function settledDown() {
      if (times.length < 20) return false;
      var last = times.slice(-9).sort(function (a, b) { return a - b; });
      return last[4] <= best * 1.25;
    }
    function step() {
      var t0 = clock.now();
      try { sync.call(name, args); } catch (error) { return; }
      var took = clock.now() - t0;
      times.push(took);
      if (took < best) best = took;
      if (times.length >= WARM_UP_MAX || clock.now() - began > WARM_UP_MS || settledDown()) {
        scope.__memoreWarmUp = { calls: times.length, ms: Math.round(clock.now() - began), best: best };
        return;
      }
      later(step);
    }
    later(step);
  }

  /* The engine seen by the page: every call answers with a promise, wherever Python runs. */
  function asyncEngine(sync, thread, started) {
    var warming = false;
    return {
      version: sync.version,
      thread: thread,
      source: started.source,
      why: started.why,
      engineFrom: sync.engineFrom,
      call: function (name) {
        var args = Array.prototype.slice.call(arguments, 1);
        var value;
        try { value = sync.call(name, args); } catch (error) { return Promise.reject(error); }
        if (!warming && name === "evaluate" && started.source === "snapshot") {
          warming = true;
          /* In the page, only in idle time: each slice blocks the page for one evaluation. */
          warmUp(sync, name, args, function (step) {
            if (window.requestIdleCallback) window.requestIdleCallback(step, { timeout: 1000 });
            else setTimeout(step, 50);
          });
        }
        return Promise.resolve(value);
      }
    };
  }

  function inWorker(early) {
    return new Promise(function (resolve, reject) {
      var worker = early.worker;
      var pending = {};
      var nextId = 1;
      var ready = false;
      var unavailable = function (why) {
        var error = /** @type {Error & {workerUnavailable?: boolean}} */ (new Error(why));
        error.workerUnavailable = true;
        return error;
      };
      function failAll(message) {
        Object.keys(pending).forEach(function (id) { pending[id].reject(new Error(message)); });
        pending = {};
      }
      function onError(event) {
        if (event && event.preventDefault) event.preventDefault();
        var message = "the Python worker stopped" + (event && event.message ? " (" + event.message + ")" : "");
        if (!ready) { worker.terminate(); reject(unavailable(message)); }
        else failAll(message);
      }
      function onMessage(event) {
        var data = event.data || {};
        if (data.type === "ready") {
          ready = true;
          resolve({
            version: data.version,
            thread: "worker",
            source: data.source || "plain",
            why: data.why || "",
            engineFrom: data.engineFrom || "files",
            steps: data.steps || {},
            call: function (name) {
              var args = Array.prototype.slice.call(arguments, 1);
              return new Promise(function (done, fail) {
                var id = nextId++;
                /* A worker that died silently (out of memory, closed) never answers: give up
                   after a while instead of waiting for ever. A call normally takes milliseconds. */
                var limit = scope.__memoreCallTimeoutMs || CALL_TIMEOUT_MS;
                var timer = setTimeout(function () {
                  if (!pending[id]) return;
                  delete pending[id];
                  fail(new Error("Python did not answer within " + Math.round(limit / 1000) + " s"));
                }, limit);
                pending[id] = {
                  resolve: function (value) { clearTimeout(timer); done(value); },
                  reject: function (error) { clearTimeout(timer); fail(error); }
                };
                worker.postMessage({ type: "call", id: id, name: name, args: args });
              });
            }
          });
        } else if (data.type === "failed") {
          worker.terminate();
          reject(new Error(data.message));
        } else if (data.type === "result" && pending[data.id]) {
          var call = pending[data.id];
          delete pending[data.id];
          if (data.error) call.reject(new Error(data.error));
          else call.resolve(data.value);
        }
      }
      worker.addEventListener("error", onError);
      worker.addEventListener("message", onMessage);
      /* What the worker said before this file was loaded, in order. */
      early.handOver().forEach(function (event) {
        if (event.type === "error") onError(event);
        else onMessage(event);
      });
    });
  }

  function inPage(base, version, wanted) {
    var offline = location.protocol === "file:";
    var pyodideDir = null;
    var engine = loadScript(base + "assets/toolbox/engine.js");
    /* Over http the snapshot comes by fetch when wanted; from file:// as a classic script
       (offlineOptions), always: nothing is downloaded there. */
    var snapshot = offline || !wanted || typeof fetch !== "function" ? null : fetch(base + "assets/toolbox/python-snapshot.bin")
      .then(function (response) {
        if (!response.ok) throw new Error("no snapshot (HTTP " + response.status + ")");
        return unpackResponse(response);
      });
    if (snapshot) snapshot.catch(function () { /* loadPython starts the plain way */ });
    // The pinned runtime version comes with the page; the engine bundle also carries it.
    var runtime = (version ? Promise.resolve(version) : engine.then(function () {
      return (scope.__memoreEngine || {}).pyodide;
    })).then(function (pinned) {
      pyodideDir = base + "assets/pyodide/v" + pinned + "/";
      return loadScript(pyodideDir + "pyodide.js");
    });
    return Promise.all([engine, runtime])
      .then(function () {
        if (typeof window.loadPyodide !== "function") throw new Error("the Python runtime did not load");
        return offline ? offlineOptions(base, pyodideDir) : { options: {}, snapshot: snapshot, compiled: null };
      })
      .then(function (how) {
        var options = { indexURL: pyodideDir };
        Object.keys(how.options).forEach(function (key) { options[key] = how.options[key]; });
        return withCompiled(how.compiled, function () { return loadPython(window.loadPyodide, options, how.snapshot); });
      })
      .then(function (started) { return asyncEngine(installEngine(started.pyodide), "page", started); });
  }

  function start(base, version, early, snapshot) {
    if (started) return started;
    var wanted = snapshot !== false;
    started = early
      ? inWorker(early).catch(function (error) {
        if (error && error.workerUnavailable) return inPage(base, version, wanted);
        throw error;
      })
      : inPage(base, version, wanted);
    return started;
  }

  scope.MemoreRuntime = {
    start: start, installEngine: installEngine, loadPython: loadPython, unpackSnapshot: unpackSnapshot,
    unpackResponse: unpackResponse, expandSnapshot: expandSnapshot, warmUp: warmUp, withCompiled: withCompiled
  };
})();
