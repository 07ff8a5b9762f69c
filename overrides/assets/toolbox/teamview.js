/* MeMoRe Toolbox: the team view, the trend over time and the network benchmark on a
 * questionnaire page (plain, non-module JavaScript; loaded by toolbox.js after questionnaire.js).
 *
 * The pictures and tables come from the engine (toolbox.browser.compare and .benchmark), which
 * escapes every text it renders; text from files is only ever set here with textContent.
 * questionnaire.js calls four hooks: options() when it asks the engine to compare, showGroup(out)
 * after it showed a comparison, cleared() when the comparison is cleared, and rescored() after
 * each evaluation (the benchmark follows the current answers). It offers engine(), state() and
 * rerunCompare() on window.MemoreQuestionnaire.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-memore-questionnaire]");
  if (!root) return;

  var ui = JSON.parse(document.getElementById("memore-ui").textContent);
  var rules = JSON.parse(document.getElementById("memore-rules").textContent);
  var definitionText = document.getElementById("memore-definition").textContent;
  var lang = root.getAttribute("data-lang") || document.documentElement.lang || "en";

  var el = {
    options: /** @type {HTMLElement} */ (root.querySelector("[data-memore-team-options]")),
    showNames: /** @type {HTMLInputElement} */ (root.querySelector("[data-memore-show-names]")),
    overTime: /** @type {HTMLInputElement} */ (root.querySelector("[data-memore-over-time]")),
    benchInput: /** @type {HTMLInputElement} */ (root.querySelector("[data-memore-benchmark]")),
    benchClear: /** @type {HTMLButtonElement} */ (root.querySelector("[data-memore-benchmark-clear]")),
    benchOutput: /** @type {HTMLElement} */ (root.querySelector("[data-memore-benchmark-output]"))
  };

  /* null until the visitor ticks or unticks it: the engine then decides from the files' labels. */
  var overTimeChosen = null;
  var benchFile = null;

  function t(key, values) {
    var text = ui[key] || key;
    if (values) {
      Object.keys(values).forEach(function (name) {
        text = text.split("{" + name + "}").join(String(values[name]));
      });
    }
    return text;
  }

  function textEl(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  /* Engine HTML (escaped by the engine) in a box; a table scrolls in its own focusable region. */
  function htmlBox(html, className, label) {
    var box = document.createElement("div");
    box.className = className;
    if (label) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label);
    }
    box.innerHTML = html;
    return box;
  }

  function details(summary, html) {
    var box = document.createElement("details");
    box.className = "memore-table memore-team-details";
    box.appendChild(textEl("summary", summary));
    box.appendChild(htmlBox(html, "memore-table-scroll", summary));
    return box;
  }

  function questionnaire() { return window.MemoreQuestionnaire || null; }

  /* ---------- team view and trend (after questionnaire.js showed the group) ---------- */

  function options() {
    return { show_names: Boolean(el.showNames && el.showNames.checked), over_time: overTimeChosen };
  }

  function showTrend(out, box) {
    var section = document.createElement("section");
    section.className = "memore-trend";
    section.setAttribute("data-memore-trend", "");
    section.appendChild(textEl("h3", t("trend_title")));
    section.appendChild(textEl("p", t("trend_intro")));
    section.appendChild(htmlBox(out.trend.svg, "memore-chart"));
    section.appendChild(htmlBox(out.trend.table_html, "memore-table memore-table-scroll", t("trend_title")));
    box.appendChild(section);
  }

  function showTeam(out, box) {
    var section = document.createElement("section");
    section.className = "memore-team";
    section.setAttribute("data-memore-team", "");
    section.appendChild(textEl("h3", t("disagree_title")));
    section.appendChild(textEl("p", t("disagree_intro")));
    section.appendChild(htmlBox(out.team.disagree_html, "memore-disagree"));
    section.appendChild(textEl("h3", t("team_title")));
    section.appendChild(textEl("p", t("team_intro")));
    out.team.themes.forEach(function (theme) {
      var part = document.createElement("div");
      part.className = "memore-team-theme";
      part.setAttribute("data-memore-team-theme", theme.id);
      part.appendChild(textEl("h4", theme.title));
      part.appendChild(htmlBox(theme.svg, "memore-chart"));
      part.appendChild(details(t("team_table_title"), theme.table_html));
      if (theme.names_html) {
        var names = details(t("names_title"), theme.names_html);
        names.open = true;
        names.setAttribute("data-memore-names", "");
        part.appendChild(names);
      }
      section.appendChild(part);
    });
    box.appendChild(section);
  }

  function showGroup(out, output) {
    var group = out && out.mode === "group";
    if (el.options) el.options.hidden = !group;
    if (!group) return;
    if (el.overTime) el.overTime.checked = Boolean(overTimeChosen === null ? out.over_time : overTimeChosen);
    var box = document.createElement("div");
    box.className = "memore-team-view";
    if (out.trend) showTrend(out, box);
    else if (overTimeChosen) box.appendChild(textEl("p", t("trend_needs_three"), "memore-compare-notice"));
    if (out.team && !out.trend) showTeam(out, box);
    output.appendChild(box);
  }

  function cleared() {
    overTimeChosen = null;
    if (el.options) el.options.hidden = true;
    if (el.showNames) el.showNames.checked = false;
  }

  function rerun() {
    var q = questionnaire();
    if (q && q.rerunCompare) q.rerunCompare();
  }

  if (el.showNames) el.showNames.addEventListener("change", rerun);
  if (el.overTime) {
    el.overTime.addEventListener("change", function () {
      overTimeChosen = el.overTime.checked;
      rerun();
    });
  }

  /* ---------- network benchmark ---------- */

  /* A file's bytes decoded as the engine decodes them (resultcheck.js, the same rules as result
     files); the engine's sentences for network files come with the page's rules. */
  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var check = window.MemoreResultCheck;
      if (file.size > rules.max_bytes) { reject(new Error(rules.messages["error.benchmark.too-large"])); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var decoded = check.decode(reader.result, rules);
        if (decoded.ok) resolve(decoded.text);
        else reject(new Error(rules.messages["error.benchmark." + decoded.code] || decoded.message));
      };
      reader.onerror = function () { reject(new Error(t("err_read"))); };
      reader.readAsArrayBuffer(file);
    });
  }

  function benchRefused(name, message) {
    el.benchOutput.textContent = "";
    el.benchOutput.appendChild(textEl("p", t("benchmark_refused", { name: name, message: message }), "memore-compare-error"));
  }

  function showBenchmark() {
    if (!benchFile) return Promise.resolve();
    var q = questionnaire();
    var engine = q && q.engine ? q.engine() : null;
    if (!engine) {
      el.benchOutput.textContent = "";
      el.benchOutput.appendChild(textEl("p", t("benchmark_needs_python")));
      return Promise.resolve();
    }
    var file = benchFile;
    return engine.call("benchmark", definitionText, JSON.stringify(q.state()), file.text, lang).then(function (text) {
      if (file !== benchFile) return;  /* another file was chosen or it was removed meanwhile */
      var out = JSON.parse(text);
      if (!out.ok) { benchFile = null; benchRefused(file.name, out.message); return; }
      el.benchOutput.textContent = "";
      el.benchOutput.appendChild(textEl("p", t("benchmark_loaded", { name: file.name, count: out.count }), "memore-compare-summary"));
      el.benchOutput.appendChild(htmlBox(out.svg, "memore-chart"));
      el.benchOutput.appendChild(htmlBox(out.table_html, "memore-table memore-table-scroll", t("benchmark_title")));
      el.benchClear.hidden = false;
      root.setAttribute("data-benchmark-shown", String(Date.now()));
    }, function (error) {
      benchRefused(file.name, error && error.message ? error.message : String(error));
    });
  }

  if (el.benchInput) {
    el.benchInput.addEventListener("change", function () {
      var chosen = el.benchInput.files && el.benchInput.files[0];
      if (!chosen) return;
      readFile(chosen).then(function (text) {
        benchFile = { name: chosen.name, text: text };
        return showBenchmark();
      }, function (error) {
        benchFile = null;
        benchRefused(chosen.name, error.message);
      }).then(function () { el.benchInput.value = ""; });
    });
    el.benchClear.addEventListener("click", function () {
      benchFile = null;
      el.benchOutput.textContent = "";
      el.benchClear.hidden = true;
      root.removeAttribute("data-benchmark-shown");
    });
  }

  /* Print: the tables folded into <details> print too, then fold back. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(root.querySelectorAll(".memore-team-details:not([open])"), function (box) {
      box.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (box) { box.open = false; });
    opened = [];
  });

  window.MemoreTeamView = {
    options: options,
    showGroup: showGroup,
    cleared: cleared,
    rescored: function () { if (benchFile) showBenchmark(); }
  };
})();
