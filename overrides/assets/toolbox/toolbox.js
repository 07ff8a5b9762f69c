/* MeMoRe Toolbox: page boot. Loaded (deferred, classic script) on every page; does nothing on
 * reading pages. On a questionnaire page it starts the Python runtime as soon as the document is
 * parsed (the form is already usable, so answering never waits for it). Starting it earlier, in
 * parallel with parsing, was measured and rejected: on 2 cores it delayed the form (DOMContentLoaded
 * 333 -> 497 ms) and won nothing on the first chart. On the toolbox page it starts once idle.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/toolbox\/toolbox\.js(\?.*)?$/, "") : "";
  var pyodideVersion = script ? script.getAttribute("data-pyodide") : null;
  var python = null;

  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 300 });
    else setTimeout(fn, 50);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = function () { resolve(); };
      el.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(el);
    });
  }

  function startPython() {
    if (!python) {
      python = loadScript(base + "assets/toolbox/runtime.js").then(function () {
        return window.MemoreRuntime.start(base, pyodideVersion);
      });
    }
    return python;
  }

  function smoke(el) {
    var lang = document.documentElement.lang || "en";
    el.setAttribute("data-state", "loading");
    whenIdle(function () {
      startPython().then(function (engine) {
        return engine.call("smoke_line", lang);
      }).then(function (line) {
        el.textContent = line;
        el.setAttribute("data-state", "ready");
      }).catch(function (error) {
        el.textContent = el.getAttribute("data-error-text") + " (" + error.message + ")";
        el.setAttribute("data-state", "failed");
      });
    });
  }

  window.MemoreToolbox = { base: base, startPython: startPython, whenIdle: whenIdle, loadScript: loadScript };

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
      loadScript(base + "assets/toolbox/questionnaire.js");
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
