/* MeMoRe Toolbox: on pages that run Python, the site search's index is requested once Python has
 * started. Material's script asks for search/search_index.json as soon as it runs, and its search
 * worker then builds the index: 140-220 ms of processor in two traces, on one of two cores, at the
 * very moment Python starts. Inlined by the template (overrides/main.html) in the head of those
 * pages, before Material's script can run, this holds that one request back until
 * MemoreSearchLater.release() is called (by results.js once a questionnaire's results are on
 * screen and the page has been quiet for a moment; by toolbox.js once the self-evaluations page's
 * check has run, or Python has failed), until the visitor turns to the search (focus on its
 * field, or a click on its button), or for at most HOLD_MS. Every other request goes out
 * untouched. From file:// Material loads the index as a script instead: nothing is held. README,
 * "When Python starts", has the why and "Measured figures" what it gained.
 * Must not contain the template's delimiters (two braces, a brace and a percent or hash sign):
 * the template includes this file as Jinja text (a site test compares the inlined copy).
 */
(function () {
  "use strict";

  var HOLD_MS = window.__memoreSearchHoldMs || 5000;  /* tests may hold it longer */
  var INDEX = /(^|\/)search\/search_index\.json([?#].*)?$/;
  var proto = window.XMLHttpRequest && XMLHttpRequest.prototype;
  var released = false;
  var held = [];
  var urls = typeof WeakMap === "function" ? new WeakMap() : null;

  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (request) {
      try {
        request.send.apply(request.xhr, request.args);
      } catch (error) {
        /* aborted meanwhile: nothing to send */
      }
    });
  }

  if (proto && urls) {
    var open = proto.open;
    var send = proto.send;
    proto.open = function (method, url) {
      urls.set(this, String(url));
      return open.apply(this, arguments);
    };
    proto.send = function () {
      if (!released && INDEX.test(urls.get(this) || "")) {
        held.push({ xhr: this, args: arguments, send: send });
        return undefined;
      }
      return send.apply(this, arguments);
    };
    /* The visitor wants the search now: its field got the focus (Material's keyboard shortcuts
       focus it too) or its button in the header was clicked. */
    document.addEventListener("focusin", function (event) {
      var target = /** @type {Element|null} */ (event.target);
      if (target && target.closest && target.closest("form[name=search]")) release();
    }, true);
    document.addEventListener("click", function (event) {
      var target = /** @type {Element|null} */ (event.target);
      if (target && target.closest && target.closest("label[for=__search]")) release();
    }, true);
    setTimeout(release, HOLD_MS);
  } else {
    released = true;
  }

  window.MemoreSearchLater = { release: release, held: function () { return held.length; } };
})();
