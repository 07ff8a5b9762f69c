/* MeMoRe Toolbox: the questionnaire page's comparison (plain, non-module JavaScript; after
 * answers.js, resultfiles.js and results.js). One chosen file: before (the file) and now (the
 * form); two or more: the group. Python (toolbox.browser.compare) does the work and returns the
 * charts and tables; the comparison is redone after each rescore, so it follows the answers.
 */
(function () {
  "use strict";

  var Q = window.MemoreQ;
  if (!Q) return;
  var t = Q.t;
  var textEl = Q.textEl;
  var el = Q.el;

  /** The files chosen for comparison, as read: [{name, text}], or null. @type {{name: string, text: string}[]|null} */
  var compareFiles = null;

  function runCompare() {
    el.compareOutput.textContent = "";
    if (!compareFiles) return Promise.resolve();
    if (!Q.engine) { el.compareOutput.appendChild(textEl("p", t("compare_needs_python"))); return Promise.resolve(); }
    var asked = compareFiles;
    return Q.engine.call("compare", Q.definitionText, JSON.stringify(Q.state), JSON.stringify(compareFiles), Q.lang,
      teamViewHook("options") || "{}")
      .then(function (/** @type {string} */ text) {
        /* Cleared or other files chosen while Python compared: this answer is out of date. */
        if (asked === compareFiles) showCompare(JSON.parse(text));
      });
  }

  /** @param {any} out the engine's comparison */
  function showCompare(out) {
    el.compareOutput.textContent = "";
    (out.errors || []).forEach(function (/** @type {any} */ problem) {
      el.compareOutput.appendChild(textEl("p", t("compare_skipped", { name: problem.name, message: problem.message }), "memore-compare-error"));
    });
    if (!out.count) return;
    (out.notices || []).forEach(function (/** @type {any} */ notice) {
      el.compareOutput.appendChild(textEl("p", notice.name + ": " + notice.message, "memore-compare-notice"));
    });
    var first = (compareFiles || []).filter(function (file) {
      return !(out.errors || []).some(function (/** @type {any} */ problem) { return problem.name === file.name; });
    })[0];
    el.compareOutput.appendChild(textEl("p", out.mode === "pair" ? t("compare_pair", { name: first ? first.name : "" }) : t("compare_group", { count: out.count }), "memore-compare-summary"));
    var charts = document.createElement("div");
    charts.className = "memore-chart";
    charts.innerHTML = out.radar_svg;
    el.compareOutput.appendChild(charts);
    var table = document.createElement("div");
    table.className = "memore-table memore-table-scroll";
    table.tabIndex = 0;
    table.setAttribute("role", "region");
    table.setAttribute("aria-label", t("table_title"));
    table.innerHTML = out.table_html;
    el.compareOutput.appendChild(table);
    el.compareClear.hidden = false;
    teamViewHook("showGroup", out, el.compareOutput);
  }

  /* Hooks of teamview.js (team view, trend, network benchmark), when it is loaded.
     @param {string} name @param {any} [out] @param {Element} [output] */
  function teamViewHook(name, out, output) {
    var view = window.MemoreTeamView;
    if (!view) return null;
    var value = view[name](out, output);
    return name === "options" ? JSON.stringify(value) : value;
  }

  el.compareInput.addEventListener("change", function () {
    /** @type {File[]} */
    var files = Array.prototype.slice.call(el.compareInput.files || []);
    var reads = files.map(function (file) {
      return Q.readFile(file).then(function (/** @type {string} */ text) { return { name: file.name, text: text, problem: "" }; },
        function (/** @type {Error} */ error) { return { name: file.name, text: "", problem: error.message }; });
    });
    Promise.all(reads).then(function (loaded) {
      Q.readForm();
      compareFiles = loaded.filter(function (file) { return !file.problem; })
        .map(function (file) { return { name: file.name, text: file.text }; });
      return runCompare().catch(Q.engineStopped).then(function () { return loaded; });
    }).then(function (loaded) {
      loaded.filter(function (file) { return file.problem; }).forEach(function (file) {
        el.compareOutput.insertBefore(textEl("p", t("compare_skipped", { name: file.name, message: file.problem }), "memore-compare-error"), el.compareOutput.firstChild);
      });
      el.compareInput.value = "";
    });
  });

  el.compareClear.addEventListener("click", function () {
    compareFiles = null;
    el.compareOutput.textContent = "";
    el.compareClear.hidden = true;
    teamViewHook("cleared");
  });

  /* After each rescore (results.js): the comparison follows the answers. */
  Q.afterScore = function () {
    teamViewHook("rescored");
    return compareFiles ? runCompare() : undefined;
  };
  /* For teamview.js: the comparison asked again with its new options. */
  Q.rerunCompare = function () { Q.readForm(); return runCompare().catch(Q.engineStopped); };
})();
