/* MeMoRe Toolbox: page boot. Loaded (deferred, classic script) on every page; it runs once the
 * page is parsed, before DOMContentLoaded (Material's script is async and usually runs after that
 * event); does nothing on reading pages. On a questionnaire page it asks for Python at once.
 * Over http(s) Python runs in a worker that early.js (inlined in the page's head) starts: in the
 * head on a returning visit, or here, once the page is parsed, on a first visit. runtime.js,
 * loaded next, adopts that worker, and the events the worker sent before runtime.js listened are
 * handed over. From file:// Python starts in the page. The form is usable before either, so
 * answering never waits for Python. README, "Measured figures", has the measurements behind these
 * starting points and the ones that were tried and dropped.
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

  /* Material's script, on the pages that run Python: the template holds its tag in
     <template data-memore-theme-later> (overrides/main.html), so that its evaluation and its
     components' mounting do not take the page's thread while Python starts. It is fetched now
     (a preload) and run by releaseTheme: once the first results are on screen (results.js),
     once the self-evaluations page's check has run or Python has failed (here), as soon as the
     visitor turns to anything outside the questionnaire (the header, the search, the palette, a
     key pressed outside the form), or after THEME_HOLD_MS. README, "When Python starts". */
  var THEME_HOLD_MS = window.__memoreThemeHoldMs || 3000;  /* tests may hold it longer */
  var THEME_RELEASING_EVENTS = ["focusin", "pointerdown", "keydown"];
  var themeHeld = null;

  function outsideTheForm(/** @type {Event} */ event) {
    var target = /** @type {Element|null} */ (event.target);
    if (target && target.closest && target.closest("[data-memore-questionnaire]")) return;
    releaseTheme();
  }

  function releaseTheme() {
    if (!themeHeld) return;
    var held = themeHeld;
    themeHeld = null;
    THEME_RELEASING_EVENTS.forEach(function (type) { document.removeEventListener(type, outsideTheForm, true); });
    document.body.appendChild(document.importNode(held.content, true));
  }

  function holdTheme() {
    var held = /** @type {HTMLTemplateElement|null} */ (document.querySelector("template[data-memore-theme-later]"));
    if (!held || themeHeld) return;
    themeHeld = held;
    var tag = held.content.querySelector("script[src]");
    if (tag) {
      var hint = document.createElement("link");
      hint.rel = "preload";
      hint.as = "script";
      hint.href = new URL(tag.getAttribute("src") || "", document.baseURI).href;
      document.head.appendChild(hint);
    }
    THEME_RELEASING_EVENTS.forEach(function (type) { document.addEventListener(type, outsideTheForm, true); });
    setTimeout(releaseTheme, THEME_HOLD_MS);
  }

  /* early.js (inlined in the head of every page that runs Python) holds the worker's start, and
     has started it already on a returning visit. */
  function startPython() {
    if (!python) {
      var early = window.MemoreEarly;
      if (!early) return Promise.reject(new Error("this page cannot start Python (early.js is missing)"));
      var worker = early.worker();
      python = loadScript(base + "assets/toolbox/runtime.js").then(function () {
        return window.MemoreRuntime.start(base, pyodideVersion, worker, early.snapshot);
      });
      /* The site search's index waits for Python (search-later.js): the page's own use of Python
         releases it when done (results.js, smoke below); here, only a failed start does. */
      var later = window.MemoreSearchLater;
      if (later) python.catch(later.release);
      python.catch(releaseTheme);
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
        if (window.MemoreSearchLater) window.MemoreSearchLater.release();
      }).catch(function (error) {
        el.textContent = el.getAttribute("data-error-text") + " (" + error.message + ")";
        el.setAttribute("data-state", "failed");
      }).then(releaseTheme);
    });
  }

  window.MemoreToolbox = {
    base: base, startPython: startPython, whenIdle: whenIdle, loadScript: loadScript, releaseTheme: releaseTheme
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
    holdTheme();
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
