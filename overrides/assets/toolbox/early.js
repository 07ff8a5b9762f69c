/* MeMoRe Toolbox: the Python worker's start, as early as it pays. Inlined by the template
 * (overrides/main.html) at the top of <head> on every page that runs Python (a questionnaire, the
 * check on the self-evaluations page), so it runs before the rest of the page is even fetched.
 * On a returning visit (this page itself came from the HTTP cache: a 304 or a cache hit) the
 * runtime, the snapshot and V8's compiled code are most likely cached too, so the worker starts
 * here at once and its few hundred milliseconds of work overlap the page's parsing. On a first
 * visit it only defines the start: toolbox.js starts the worker once the page is parsed, so the
 * downloads do not compete with the page's own stylesheets and scripts. README, "Measured
 * figures", has the measurements behind both.
 * Must not contain the template's delimiters (two braces, a brace and a percent or hash sign):
 * the template includes this file as Jinja text (a site test compares the inlined copy).
 */
(function () {
  "use strict";

  var script = /** @type {HTMLScriptElement|null} */ (document.currentScript);
  var base = new URL((script && script.getAttribute("data-base")) || "./", location.href).href;
  var version = script ? script.getAttribute("data-pyodide") : null;

  /* Python's memory snapshot roughly doubles a first visit's download (about 6.5 MB more): not
     where the browser says the link is slow or metered (Chromium's navigator.connection; other
     browsers do not say). */
  function slowLink() {
    var link = navigator.connection;
    return Boolean(link && (link.saveData || (link.effectiveType && link.effectiveType !== "4g")));
  }

  /* The Python worker (python-worker.mjs), or null where Python must run in the page (file://,
     no module workers, no version). The events it sends before runtime.js listens are kept and
     handed over by handOver(). */
  function spawn(snapshot) {
    if (!/^https?:$/.test(location.protocol) || typeof Worker !== "function" || !version) return null;
    var worker;
    try {
      worker = new Worker(base + "assets/toolbox/python-worker.mjs", {
        type: "module",
        name: JSON.stringify({ base: base, version: version, snapshot: snapshot })
      });
    } catch (error) {
      return null;  /* no module workers here: runtime.js runs Python in the page */
    }
    var kept = [];
    function keep(event) {
      if (event.type === "error" && event.preventDefault) event.preventDefault();
      kept.push(event);
    }
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    return {
      worker: worker,
      /* Called once by runtime.js after it added its own listeners: the events so far. */
      handOver: function () {
        worker.removeEventListener("message", keep);
        worker.removeEventListener("error", keep);
        var out = kept;
        kept = [];
        return out;
      }
    };
  }

  /* This page came from the HTTP cache (fewer bytes transferred than its body holds). */
  function cachedPage() {
    var nav = window.performance && performance.getEntriesByType
      ? /** @type {PerformanceNavigationTiming|undefined} */ (performance.getEntriesByType("navigation")[0]) : undefined;
    return Boolean(nav && nav.encodedBodySize > 0 && nav.transferSize < nav.encodedBodySize);
  }

  var snapshot = !slowLink();
  var started = cachedPage() ? spawn(snapshot) : null;

  window.MemoreEarly = {
    snapshot: snapshot,
    /* The worker started here, if any (taken once), else a new one. */
    worker: function () {
      var out = started || spawn(snapshot);
      started = null;
      return out;
    },
    startedEarly: Boolean(started)
  };
})();
