/* MeMoRe Toolbox: page boot. Loaded (deferred, classic script) on every page; it runs once the
 * page is parsed, before DOMContentLoaded (Material's script is async and usually runs after that
 * event); does nothing on reading pages. On a questionnaire page it asks for Python at once.
 * Over http(s) Python runs in a worker that early.js (inlined in the page's head) starts: at once
 * on a returning visit, or here once the page has settled: after the load event (Material's script
 * has run by then, async scripts hold it back) and the next idle moment. runtime.js, loaded next,
 * adopts that worker, and the events the worker sent before runtime.js listened are handed over.
 * From file:// Python starts in the page. The form is usable before either, so answering never
 * waits for Python. On 2 cores the worker's start (download, decompression, compiling the
 * runtime) competes with the page's own start for the processor, so a first visit waits for the
 * page to settle; a returning visit (the page or this script came from the HTTP cache) has little
 * left to compete with and does not wait. README, "Measured figures", has the measurements behind
 * both choices and the earlier starts that were tried and dropped.
 */
(function () {
  "use strict";

  var script = /** @type {HTMLScriptElement|null} */ (document.currentScript);
  var base = script ? script.src.replace(/assets\/toolbox\/toolbox\.js(\?.*)?$/, "") : "";
  var pyodideVersion = script ? script.getAttribute("data-pyodide") : null;
  var python = null;

  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 300 });
    else setTimeout(fn, 50);
  }

  /* ordered: run in the order added (fetched side by side), as a page's own script tags do. */
  function loadScript(src, ordered) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      if (ordered) el.async = false;
      el.src = src;
      el.onload = function () { resolve(); };
      el.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(el);
    });
  }

  /* Resolves after the load event and the next idle moment; at the latest SETTLE_MS after it was
     asked, so a slow image or script never holds Python back for long. */
  var SETTLE_MS = 3000;
  function settled() {
    return new Promise(function (resolve) {
      var done = false;
      function go() {
        if (!done) { done = true; whenIdle(resolve); }
      }
      if (document.readyState === "complete") go();
      else window.addEventListener("load", go, { once: true });
      setTimeout(go, SETTLE_MS);
    });
  }

  /* A returning visitor: this script came from the HTTP cache (revalidated or not), so the runtime,
     the snapshot and V8's compiled code most likely are there too. Python's start then costs
     little processor time, and waiting for the load event and an idle moment would be a large
     part of a second visit's wait: Python starts at once. */
  function returning() {
    var entry = /** @type {PerformanceResourceTiming|null} */ (script && window.performance && performance.getEntriesByName
      ? performance.getEntriesByName(script.src)[0] : null);
    return Boolean(entry && entry.encodedBodySize > 0 && entry.transferSize < entry.encodedBodySize);
  }

  /* early.js (inlined in the head of every page that runs Python) holds the worker's start, and
     has started it already on a returning visit. */
  function startPython() {
    if (!python) {
      var early = window.MemoreEarly;
      if (!early) return Promise.reject(new Error("this page cannot start Python (early.js is missing)"));
      python = (early.startedEarly || returning() ? Promise.resolve() : settled()).then(function () {
        var worker = early.worker();
        return loadScript(base + "assets/toolbox/runtime.js").then(function () {
          return window.MemoreRuntime.start(base, pyodideVersion, worker, early.snapshot);
        });
      });
    }
    return python;
  }

  function smoke(el) {
    el.setAttribute("data-state", "loading");
    whenIdle(function () {
      startPython().then(function (engine) {
        return engine.call("runtime_info");
      }).then(function (text) {
        /* The sentence is the page's (data-ready-text, in its language); Python gives the facts. */
        var info = JSON.parse(text);
        el.textContent = el.getAttribute("data-ready-text").replace(/\{(python|toolbox|check)\}/g, function (all, key) {
          return String(info[key]);
        });
        el.setAttribute("data-state", "ready");
      }).catch(function (error) {
        el.textContent = el.getAttribute("data-error-text") + " (" + error.message + ")";
        el.setAttribute("data-state", "failed");
      });
    });
  }

  window.MemoreToolbox = {
    base: base, startPython: startPython, whenIdle: whenIdle, loadScript: loadScript, returning: returning
  };

  function deleteAll(button) {
    var status = document.querySelector("[data-memore-delete-status]");
    button.addEventListener("click", function () {
      if (!window.confirm(button.getAttribute("data-confirm"))) return;
      var count = 0;
      try {
        var keys = [];
        var theme = [];  /* Material's own entries (colour scheme): "<site path>.__<name>" */
        var scope = new URL(base || ".", window.location.href).pathname + ".__";
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf("memore-toolbox:") === 0) keys.push(key);
          else if (key && key.indexOf(scope) === 0) theme.push(key);
        }
        keys.concat(theme).forEach(function (key) { window.localStorage.removeItem(key); });
        count = keys.length;
        /* This tab's own keys: answers kept only in the tab, and that choice (storage.js). */
        var session = [];
        for (var j = 0; j < window.sessionStorage.length; j++) {
          var skey = window.sessionStorage.key(j);
          if (skey && skey.indexOf("memore-toolbox:") === 0) session.push(skey);
        }
        session.forEach(function (key) {
          if (key.indexOf("memore-toolbox:answers:") === 0) count += 1;
          window.sessionStorage.removeItem(key);
        });
      } catch (error) {
        count = 0;
      }
      if (status) status.textContent = button.getAttribute("data-done").replace("{count}", String(count));
    });
  }

  function boot() {
    var deleteButton = document.querySelector("[data-memore-delete-all]");
    if (deleteButton) deleteAll(deleteButton);
    var smokeEl = document.querySelector("[data-memore-smoke]");
    if (smokeEl) smoke(smokeEl);
    if (document.querySelector("[data-memore-questionnaire]")) {
      startPython().catch(function () { /* questionnaire.js shows the failure */ });
      /* In this order (each script uses the ones before it): where answers are kept, the check
         of result files, then the questionnaire page's answers, files, results, comparison, its
         controls and start, and last the team, trend and network views. */
      ["storage", "resultcheck", "answers", "resultfiles", "results", "compare", "questionnaire", "teamview"].forEach(function (name) {
        loadScript(base + "assets/toolbox/" + name + ".js", true);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
