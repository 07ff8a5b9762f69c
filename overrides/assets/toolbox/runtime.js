/* MeMoRe Toolbox: start Python (Pyodide) in the page, online and from file:// alike.
 *
 * One loader for both editions. Every file comes from this site, never from another origin.
 * Over http(s) the vendored runtime loads as Pyodide expects (streaming wasm compile).
 * From file://, where the browser refuses fetch and module imports of local files, the same
 * runtime arrives as classic scripts built by scripts/site_build.py: the wasm and the standard
 * library as gzip+base64 strings, the lock file as an object and the module factory as a
 * classic-script rewrite of pyodide.asm.mjs; fetch is answered from memory for those two names.
 * The engine's Python files come from assets/toolbox/engine.js in both cases.
 *
 * Exposes window.MemoreRuntime.start(base, version) -> Promise<engine>, where engine.call(name, ...args)
 * calls toolbox.browser.<name> with string arguments and returns its string result.
 */
(function () {
  "use strict";

  var started = null;

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

  function offlineOptions(pyodideDir) {
    var names = ["pyodide-asm.js", "pyodide-lock.js", "pyodide-wasm.js", "pyodide-stdlib.js"];
    return names.reduce(function (chain, name) {
      return chain.then(function () { return loadScript(pyodideDir + "offline/" + name); });
    }, Promise.resolve()).then(function () {
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
          return {
            lockFileContents: payload["pyodide-lock.json"],
            createPyodideModule: window.__memorePyodideFactory
          };
        });
    });
  }

  function installEngine(pyodide) {
    var bundle = window.__memoreEngine;
    if (!bundle || !bundle.files) throw new Error("the toolbox engine files are missing");
    var root = "/home/pyodide/memore";
    Object.keys(bundle.files).forEach(function (path) {
      var full = root + "/" + path;
      var dir = full.substring(0, full.lastIndexOf("/"));
      pyodide.FS.mkdirTree(dir);
      pyodide.FS.writeFile(full, bundle.files[path], { encoding: "utf8" });
    });
    pyodide.runPython("import sys\nif '" + root + "' not in sys.path: sys.path.insert(0, '" + root + "')\nimport toolbox, toolbox.browser");
    var browser = pyodide.pyimport("toolbox.browser");
    var toolbox = pyodide.pyimport("toolbox");
    return {
      version: toolbox.__version__,
      pyodide: pyodide,
      smokeLine: function (lang) { return toolbox.smoke_line(lang); },
      call: function (name) {
        var args = Array.prototype.slice.call(arguments, 1);
        var fn = browser[name];
        return fn.apply(null, args);
      }
    };
  }

  function start(base, version) {
    if (started) return started;
    var offline = location.protocol === "file:";
    var pyodideDir = null;
    var engine = loadScript(base + "assets/toolbox/engine.js");
    // The pinned runtime version comes with the page; the engine bundle also carries it.
    var runtime = (version ? Promise.resolve(version) : engine.then(function () {
      return (window.__memoreEngine || {}).pyodide;
    })).then(function (pinned) {
      pyodideDir = base + "assets/pyodide/v" + pinned + "/";
      return loadScript(pyodideDir + "pyodide.js");
    });
    started = Promise.all([engine, runtime])
      .then(function () {
        if (typeof window.loadPyodide !== "function") throw new Error("the Python runtime did not load");
        return offline ? offlineOptions(pyodideDir) : {};
      })
      .then(function (extra) {
        var options = { indexURL: pyodideDir };
        Object.keys(extra).forEach(function (key) { options[key] = extra[key]; });
        return window.loadPyodide(options);
      })
      .then(installEngine);
    return started;
  }

  window.MemoreRuntime = { start: start };
})();
