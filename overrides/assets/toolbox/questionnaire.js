/* MeMoRe Toolbox: the questionnaire page's controls and start (plain, non-module JavaScript;
 * last of answers.js, resultfiles.js, results.js, compare.js and this file).
 *
 * The form is plain HTML rendered at build time and works without Python. This file wires the
 * controls (answers, notes, action plan, download, print, start again), restores the saved
 * answers, and once Python is ready (toolbox.js) has the results scored. Everything stays on the
 * device.
 */
(function () {
  "use strict";

  var Q = window.MemoreQ;
  if (!Q) return;
  var t = Q.t;
  var el = Q.el;
  var root = Q.root;

  function changed() {
    if (Q.applying) return;
    Q.readForm();
    Q.updateProgress();
    Q.save();
    if (Q.engineFailed) Q.showWaiting();
    else Q.rescore();
  }

  /* "Forget my answers on this device" (storage.js) removed every saved record: the form empties
     too, so the next person at this computer does not see them. */
  window.addEventListener("memore:forgotten", function () {
    Q.lastWritten = null;
    Q.applyState(Q.emptyState());
    Q.say("", "info");
    Q.rescore();
  });

  el.form.addEventListener("submit", function (/** @type {Event} */ event) { event.preventDefault(); });
  el.form.addEventListener("change", changed);
  root.addEventListener("input", function (event) {
    if (/** @type {Element} */ (event.target).matches("textarea, input[type=text], select")) changed();
  });
  /** @type {HTMLElement} */ (root.querySelector("[data-memore-plan-add]")).addEventListener("click", function () {
    var row = Q.addPlanRow({});
    changed();
    row.querySelector("select").focus();
  });
  el.planRows.addEventListener("click", function (/** @type {Event} */ event) {
    var button = /** @type {Element} */ (event.target).closest("[data-memore-plan-remove]");
    if (!button) return;
    /** @type {Element} */ (button.closest(".memore-plan-row")).remove();
    Q.numberPlanRows();
    changed();
  });
  el.planRows.addEventListener("change", changed);
  /** @type {HTMLElement} */ (root.querySelector("[data-memore-download]")).addEventListener("click", function () { Q.download(); });
  /** @type {HTMLElement} */ (root.querySelector("[data-memore-print]")).addEventListener("click", function () { window.print(); });
  /** @type {HTMLElement} */ (root.querySelector("[data-memore-reset]")).addEventListener("click", function () {
    if (!window.confirm(t("reset_confirm"))) return;
    try { window.MemoreStorage.area().removeItem(Q.storageKey); } catch (error) { /* nothing stored */ }
    Q.lastWritten = null;
    Q.applyState(Q.emptyState());
    Q.say(t("reset_done"), "info");
    Q.rescore();
  });
  window.addEventListener("beforeprint", function () {
    Q.readForm();
    var label = Q.state.label || t("unlabelled");
    el.printMeta.textContent = t("printed_on", { date: new Date().toLocaleDateString(Q.lang) }) + " · " + label;
    var notesBox = /** @type {HTMLElement} */ (root.querySelector("[data-memore-print-notes]"));
    notesBox.textContent = "";
    Q.definition.themes.forEach(function (/** @type {any} */ theme) {
      var note = Q.state.notes[theme.id];
      if (!note) return;
      notesBox.appendChild(Q.textEl("h4", Q.themeTitle(theme) + " · " + t("notes")));
      notesBox.appendChild(Q.textEl("p", note));
    });
  });

  /* ---------- start ---------- */

  Q.restore();
  Q.updateProgress();

  window.MemoreToolbox.whenIdle(function () {
    window.MemoreToolbox.startPython().then(function (/** @type {any} */ ready) {
      Q.engine = ready;
      root.setAttribute("data-python-thread", ready.thread);
      root.setAttribute("data-python-start", ready.source || "plain");
      Q.setStatus("ready", t("status_ready"));
      Q.readForm();
      Q.rescore();  /* after a snapshot start, runtime.js warms Python up from this first evaluation */
    }).catch(function (/** @type {any} */ error) {
      Q.engineFailed = true;
      Q.setStatus("failed", t("status_failed", { reason: error && error.message ? error.message : String(error) }));
      if (Object.keys(Q.state.answers).length) Q.showWaiting();
    });
  });

  /* For the tests, the bench and teamview.js: the answers as the form has them, where they are
     kept, whether Python failed, Python itself and the comparison asked again. */
  window.MemoreQuestionnaire = {
    state: function () { Q.readForm(); return JSON.parse(JSON.stringify(Q.state)); },
    storageKey: Q.storageKey,
    engineFailed: function () { return Q.engineFailed; },
    /* For teamview.js: Python (or null), and the comparison asked again with its new options. */
    engine: function () { return Q.engine; },
    rerunCompare: function () { return Q.rerunCompare(); }
  };
})();
