/* MeMoRe Toolbox: the questionnaire page's glue (plain, non-module JavaScript).
 *
 * The form is plain HTML rendered at build time and works without this file's Python half.
 * This file keeps the user's work (autosave through storage.js, restore, start again, download,
 * load, drag and drop, action plan), and once Python is ready it asks toolbox.browser for the
 * scores, charts and advice. Everything stays on the device. Text from files is only ever set
 * with textContent; HTML comes only from the engine, which escapes every text it renders.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-memore-questionnaire]");
  if (!root) return;

  var STORAGE_PREFIX = "memore-toolbox:";

  /* definitionText: the definition as the engine gets it with every call, the page's own text
     (never re-serialised), so Python can keep it parsed (toolbox.browser, _definition). */
  var definitionText = document.getElementById("memore-definition").textContent;
  var definition = JSON.parse(definitionText);
  var ui = JSON.parse(document.getElementById("memore-ui").textContent);
  /* The result file's rules, from the engine (resultfile.page_rules): format, versions, limits,
     languages, answers, sentences. The page's own check of files (resultcheck.js) reads them. */
  var rules = JSON.parse(document.getElementById("memore-rules").textContent);
  var resultCheck = window.MemoreResultCheck;
  var qid = root.getAttribute("data-memore-questionnaire");
  var lang = root.getAttribute("data-lang") || document.documentElement.lang || "en";
  var storageKey = STORAGE_PREFIX + "answers:" + qid + ":" + lang;
  var generator = root.getAttribute("data-generator") || "MeMoRe Toolbox";

  var statementIds = [];
  definition.themes.forEach(function (theme) {
    theme.statements.forEach(function (st) { statementIds.push(st.id); });
  });

  var el = {
    status: root.querySelector("[data-memore-status]"),
    progress: root.querySelector("[data-memore-progress]"),
    progressBar: root.querySelector("[data-memore-progressbar]"),
    label: root.querySelector("[data-memore-label]"),
    message: root.querySelector("[data-memore-message]"),
    form: root.querySelector("[data-memore-form]"),
    results: root.querySelector("[data-memore-results]"),
    charts: root.querySelector("[data-memore-charts]"),
    printMeta: root.querySelector("[data-memore-print-meta]"),
    planRows: root.querySelector("[data-memore-plan-rows]"),
    planTemplate: root.querySelector("[data-memore-plan-template]"),
    compareInput: root.querySelector("[data-memore-compare]"),
    compareClear: root.querySelector("[data-memore-compare-clear]"),
    compareOutput: root.querySelector("[data-memore-compare-output]"),
    loadInput: root.querySelector("[data-memore-load]"),
    dropzone: root.querySelector("[data-memore-dropzone]")
  };

  var engine = null;
  var engineFailed = false;
  var state = emptyState();
  var lastWritten = null;
  var storageBroken = false;
  var compareFiles = null;

  function t(key, values) {
    var text = ui[key] || key;
    if (values) {
      Object.keys(values).forEach(function (name) {
        text = text.split("{" + name + "}").join(String(values[name]));
      });
    }
    return text;
  }

  function emptyState() {
    return { answers: {}, notes: {}, action_plan: [], label: "", created: null, updated: null };
  }

  function nowIso() { return new Date().toISOString().replace(/\.\d{3}Z$/, "Z"); }

  function say(text, kind) {
    el.message.hidden = !text;
    el.message.textContent = text || "";
    el.message.setAttribute("data-kind", kind || "info");
  }

  /* ---------- form <-> state ---------- */

  function readForm() {
    var answers = {};
    statementIds.forEach(function (sid) {
      var checked = el.form.querySelector('input[name="q-' + cssEscape(sid) + '"]:checked');
      /* Agreement answers are the numbers 1-5; "na" and practice answers ("no", "partly", "yes") stay words. */
      if (checked) answers[sid] = /^[0-9]+$/.test(checked.value) ? parseInt(checked.value, 10) : checked.value;
    });
    var notes = {};
    root.querySelectorAll("[data-memore-note]").forEach(function (area) {
      if (area.value.trim()) notes[area.getAttribute("data-memore-note")] = area.value;
    });
    var plan = [];
    el.planRows.querySelectorAll(".memore-plan-row").forEach(function (row) {
      var item = {};
      ["theme", "action", "who", "when"].forEach(function (field) {
        item[field] = row.querySelector('[data-field="' + field + '"]').value;
      });
      plan.push(item);
    });
    state.answers = answers;
    state.notes = notes;
    state.action_plan = plan;
    state.label = el.label.value;
  }

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/[^a-zA-Z0-9_-]/g, "\\$&");
  }

  /* True while applyState rewrites the form: removing a focused, edited plan field makes the
     browser fire "change" on it, and reading the half-rewritten form then would put the old
     action plan back in place of the one just loaded. */
  var applying = false;

  function applyState(next) {
    applying = true;
    try { fillForm(next); } finally { applying = false; }
  }

  function fillForm(next) {
    state = {
      answers: next.answers || {},
      notes: next.notes || {},
      action_plan: next.action_plan || [],
      label: next.label || "",
      created: next.created || null,
      updated: next.updated || null
    };
    el.form.querySelectorAll('input[type="radio"]').forEach(function (input) { input.checked = false; });
    Object.keys(state.answers).forEach(function (sid) {
      var value = String(state.answers[sid]);
      var input = el.form.querySelector('input[name="q-' + cssEscape(sid) + '"][value="' + cssEscape(value) + '"]');
      if (input) input.checked = true;
    });
    root.querySelectorAll("[data-memore-note]").forEach(function (area) {
      area.value = state.notes[area.getAttribute("data-memore-note")] || "";
    });
    el.label.value = state.label;
    el.planRows.textContent = "";
    state.action_plan.forEach(function (item) { addPlanRow(item); });
    updateProgress();
  }

  function addPlanRow(item) {
    var fragment = el.planTemplate.content.cloneNode(true);
    var row = fragment.querySelector(".memore-plan-row");
    ["theme", "action", "who", "when"].forEach(function (field) {
      row.querySelector('[data-field="' + field + '"]').value = (item && item[field]) || "";
    });
    el.planRows.appendChild(fragment);
    numberPlanRows();
    return el.planRows.lastElementChild;
  }

  function numberPlanRows() {
    el.planRows.querySelectorAll(".memore-plan-row").forEach(function (row, index) {
      row.querySelector("legend").textContent = t("plan_row", { n: index + 1 });
    });
  }

  function updateProgress() {
    var answered = Object.keys(state.answers).length;
    el.progress.textContent = t("progress", { answered: answered, total: statementIds.length });
    el.progressBar.value = answered;
  }

  /* ---------- autosave (storage.js says where: this device, or only this tab) ---------- */

  function save() {
    if (!state.created) state.created = nowIso();
    state.updated = nowIso();
    var record = JSON.stringify({ saved: state.updated, version: rules.instrument.version, state: state });
    try {
      window.MemoreStorage.area().setItem(storageKey, record);
      lastWritten = record;
      if (storageBroken) { storageBroken = false; say("", "info"); }
    } catch (error) {
      storageBroken = true;
      say(t("storage_failed"), "warning");
    }
  }

  function restore() {
    var raw = null;
    try {
      raw = window.MemoreStorage.area().getItem(storageKey);
    } catch (error) {
      storageBroken = true;
      say(t("storage_failed"), "warning");
      return;
    }
    if (!raw) return;
    try {
      var record = JSON.parse(raw);
      /* The record passes the same check as a loaded file. A record from before an instrument
         version was kept (no "version": version 1) loses the answers whose statements changed. */
      var checked = resultCheck.check(JSON.stringify({
        format: rules.format, format_version: rules.format_version,
        instrument: { id: qid, version: typeof record.version === "number" ? record.version : 1 },
        language: lang, created: record.state.created || record.saved, updated: record.saved,
        label: record.state.label, answers: record.state.answers, notes: record.state.notes,
        action_plan: record.state.action_plan
      }), rules);
      if (!checked.ok) return;
      checked.state.created = record.state.created || null;
      applyState(checked.state);
      lastWritten = raw;
      say([t("restored", { date: new Date(record.saved).toLocaleString(lang) })].concat(checked.notices).join(" "),
        checked.notices.length ? "warning" : "info");
    } catch (error) {
      /* A damaged record is left alone (never deleted) and the form starts empty. */
    }
  }

  window.addEventListener("storage", function (event) {
    if (event.key !== storageKey || event.newValue === lastWritten || window.MemoreStorage.tabOnly()) return;
    say(t("other_tab"), "warning");
  });

  /* "Forget my answers on this device" (storage.js) removed every saved record: the form empties
     too, so the next person at this computer does not see them. */
  window.addEventListener("memore:forgotten", function () {
    lastWritten = null;
    applyState(emptyState());
    say("", "info");
    rescore();
  });

  /* ---------- result files without Python: resultcheck.js, the engine's verdict and sentences ---------- */

  function loadWithoutPython(text) {
    var checked = resultCheck.check(text, rules);
    if (!checked.ok) return { ok: false, message: checked.message };
    return { ok: true, state: checked.state, language: checked.language, notices: checked.notices };
  }

  function fileWithoutPython() {
    var created = state.created || nowIso();
    return JSON.stringify({
      format: rules.format, format_version: rules.format_version, generator: generator,
      instrument: { id: qid, version: rules.instrument.version }, language: lang,
      created: created, updated: nowIso(), label: state.label, answers: state.answers,
      notes: state.notes, action_plan: state.action_plan
    }, null, 2);
  }

  /* ---------- files: download, load, drop ---------- */

  function fileName() {
    var day = new Date().toISOString().slice(0, 10);
    return "memore-" + qid + "-" + day + ".json";
  }

  function download() {
    readForm();
    var exported = engine
      ? engine.call("export_result", definitionText, JSON.stringify(state), lang, nowIso())
        .then(function (text) {
          return JSON.parse(text).ok === false ? null : text;  /* never download a refusal: keep the answers */
        }, function () { return null; })
      : Promise.resolve(null);
    return exported.then(function (text) { saveFile(text || fileWithoutPython()); });
  }

  function saveFile(text) {
    var blob = new Blob([text], { type: "application/json" });
    var url = window.URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { window.URL.revokeObjectURL(url); }, 1000);
    say(t("downloaded", { name: link.download }), "info");
  }

  /* A file's bytes decoded as the engine decodes them (UTF-8, or UTF-16 with its mark; anything
     else is refused, never patched with replacement characters), so that Python and the page's
     own check see the same text. */
  function readFile(file) {
    return new Promise(function (resolve, reject) {
      if (file.size > rules.max_bytes) { reject(new Error(resultCheck.sentence("too-large", rules))); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var decoded = resultCheck.decode(reader.result, rules);
        if (decoded.ok) resolve(decoded.text);
        else reject(new Error(decoded.message));
      };
      reader.onerror = function () { reject(new Error(t("err_read"))); };
      reader.readAsArrayBuffer(file);
    });
  }

  function loadText(name, text) {
    var checked = engine
      ? engine.call("load_result", text, definitionText, lang).then(JSON.parse, function (error) {
        engineStopped(error);
        return loadWithoutPython(text);  /* Python stopped: the page's own checks take over */
      })
      : Promise.resolve(loadWithoutPython(text));
    return checked.then(function (outcome) { return applyLoaded(name, outcome); });
  }

  function applyLoaded(name, outcome) {
    if (!outcome.ok) {
      say(t("load_refused", { name: name, message: outcome.message }), "error");
      return false;
    }
    applyState(outcome.state);
    save();
    var note = t("loaded", { name: name });
    if (outcome.language && outcome.language !== lang) note += " " + t("loaded_other_language");
    /* Answers dropped because their statements changed since the file's version (engine's sentence). */
    var notices = outcome.notices || [];
    if (notices.length) note += " " + notices.join(" ");
    say(note, notices.length ? "warning" : "info");
    rescore();
    return true;
  }

  function loadFile(file) {
    return readFile(file).then(function (text) { return loadText(file.name, text); }, function (error) {
      say(t("load_refused", { name: file.name, message: error.message }), "error");
      return false;
    });
  }

  el.loadInput.addEventListener("change", function () {
    var file = el.loadInput.files && el.loadInput.files[0];
    if (file) loadFile(file).then(function () { el.loadInput.value = ""; });
  });

  ["dragenter", "dragover"].forEach(function (name) {
    el.dropzone.addEventListener(name, function (event) {
      event.preventDefault();
      el.dropzone.setAttribute("data-over", "true");
    });
  });
  el.dropzone.addEventListener("dragleave", function () { el.dropzone.removeAttribute("data-over"); });
  el.dropzone.addEventListener("drop", function (event) {
    event.preventDefault();
    el.dropzone.removeAttribute("data-over");
    var file = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0];
    if (file) loadFile(file);
  });

  /* ---------- results ---------- */

  function textEl(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function adviceBlock(theme) {
    var box = document.createElement("div");
    box.className = "memore-advice";
    box.appendChild(textEl("p", t("theme_figure", { mean: theme.mean_display, level: theme.level_label, answered: theme.answered, total: theme.total }), "memore-figure"));
    if (theme.advice) {
      var advice = document.createElement("p");
      advice.appendChild(textEl("strong", t("advice") + ": "));
      advice.appendChild(document.createTextNode(theme.advice));
      box.appendChild(advice);
    }
    if (theme.links && theme.links.length) {
      var p = document.createElement("p");
      p.appendChild(textEl("strong", t("links") + ": "));
      theme.links.forEach(function (item, index) {
        if (index) p.appendChild(document.createTextNode(" · "));
        var a = textEl("a", item.label[lang] || item.label.en || "");
        a.href = item.url;
        p.appendChild(a);
      });
      box.appendChild(p);
    }
    return box;
  }

  function renderResults(result) {
    var byId = {};
    result.themes.forEach(function (theme) { byId[theme.id] = theme; });
    root.querySelectorAll("[data-memore-theme-result]").forEach(function (slot) {
      var theme = byId[slot.getAttribute("data-memore-theme-result")];
      slot.textContent = "";
      if (!theme) return;
      if (theme.level) slot.appendChild(adviceBlock(theme));
      else slot.appendChild(textEl("p", t("theme_none"), "memore-figure"));
    });

    var box = document.createDocumentFragment();
    var overall = result.overall;
    if (overall.level) {
      box.appendChild(textEl("p", t("overall", { level: overall.level_label, mean: overall.mean_display, answered: overall.answered, total: overall.total, na: overall.na }), "memore-overall"));
      box.appendChild(textEl("h3", t("weakest_title")));
      result.weakest.forEach(function (tid) {
        var theme = byId[tid];
        var section = document.createElement("div");
        section.className = "memore-weak";
        section.appendChild(textEl("h4", typeof theme.title === "string" ? theme.title : theme.title[lang]));
        section.appendChild(adviceBlock(theme));
        box.appendChild(section);
      });
    } else {
      box.appendChild(textEl("p", t("results_empty")));
    }
    el.results.textContent = "";
    el.results.appendChild(box);
    el.charts.innerHTML = overall.level
      ? '<h3>' + escapeHtml(t("charts_title")) + '</h3><div class="memore-chart">' + result.radar_svg +
        '</div><div class="memore-chart">' + result.bars_svg + '</div><details class="memore-table" open><summary>' +
        escapeHtml(t("table_title")) + "</summary>" +
        /* A narrow screen scrolls the table, never the page (WCAG 1.4.10); focusable so keys scroll it. */
        '<div class="memore-table-scroll" tabindex="0" role="region" aria-label="' + escapeHtml(t("table_title")) + '">' +
        result.table_html + "</div></details>"
      : "";
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  /* One evaluation at a time: changes made meanwhile are scored once it ends, from the state
     as it is then, so the results always end up showing the latest answers. */
  var scoring = false;
  var scoreAgain = false;
  function busy(on) {
    if (on) { root.setAttribute("data-scoring", "true"); el.results.setAttribute("aria-busy", "true"); }
    else { root.removeAttribute("data-scoring"); el.results.removeAttribute("aria-busy"); }
  }

  function rescore() {
    if (!engine) { if (!scoring) busy(false); return; }
    busy(true);
    if (scoring) { scoreAgain = true; return; }
    scoring = true;
    scoreAgain = false;
    var started = performance.now();
    engine.call("evaluate", definitionText, JSON.stringify(state), lang).then(function (text) {
      renderResults(JSON.parse(text));
      root.setAttribute("data-scored-at", String(Date.now()));
      root.setAttribute("data-score-ms", String(Math.round(performance.now() - started)));
      if (compareFiles) return runCompare();
    }).catch(engineStopped).then(function () {
      scoring = false;
      if (scoreAgain) rescore();
      else busy(false);
    });
  }

  /* Python stopped answering after it had started: say so; the answers stay in the form and in storage. */
  function engineStopped(error) {
    engine = null;
    engineFailed = true;
    setStatus("failed", t("status_stopped", { reason: error && error.message ? error.message : String(error) }));
    showWaiting();
  }

  /* ---------- compare ---------- */

  function runCompare() {
    el.compareOutput.textContent = "";
    if (!compareFiles) return Promise.resolve();
    if (!engine) { el.compareOutput.appendChild(textEl("p", t("compare_needs_python"))); return Promise.resolve(); }
    return engine.call("compare", definitionText, JSON.stringify(state), JSON.stringify(compareFiles), lang)
      .then(function (text) { showCompare(JSON.parse(text)); });
  }

  function showCompare(out) {
    el.compareOutput.textContent = "";
    (out.errors || []).forEach(function (problem) {
      el.compareOutput.appendChild(textEl("p", t("compare_skipped", { name: problem.name, message: problem.message }), "memore-compare-error"));
    });
    if (!out.count) return;
    (out.notices || []).forEach(function (notice) {
      el.compareOutput.appendChild(textEl("p", notice.name + ": " + notice.message, "memore-compare-notice"));
    });
    var first = compareFiles.filter(function (file) {
      return !(out.errors || []).some(function (problem) { return problem.name === file.name; });
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
  }

  el.compareInput.addEventListener("change", function () {
    var files = Array.prototype.slice.call(el.compareInput.files || []);
    var reads = files.map(function (file) {
      return readFile(file).then(function (text) { return { name: file.name, text: text }; },
        function (error) { return { name: file.name, text: "", problem: error.message }; });
    });
    Promise.all(reads).then(function (loaded) {
      readForm();
      compareFiles = loaded.filter(function (file) { return !file.problem; });
      return runCompare().catch(engineStopped).then(function () { return loaded; });
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
  });

  /* ---------- controls ---------- */

  function changed() {
    if (applying) return;
    readForm();
    updateProgress();
    save();
    if (engineFailed) showWaiting();
    else rescore();
  }

  function showWaiting() {
    el.results.textContent = "";
    el.results.appendChild(textEl("p", t("results_waiting")));
  }

  el.form.addEventListener("submit", function (event) { event.preventDefault(); });
  el.form.addEventListener("change", changed);
  root.addEventListener("input", function (event) {
    if (event.target.matches("textarea, input[type=text], select")) changed();
  });
  root.querySelector("[data-memore-plan-add]").addEventListener("click", function () {
    var row = addPlanRow({});
    changed();
    row.querySelector("select").focus();
  });
  el.planRows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-memore-plan-remove]");
    if (!button) return;
    button.closest(".memore-plan-row").remove();
    numberPlanRows();
    changed();
  });
  el.planRows.addEventListener("change", changed);
  root.querySelector("[data-memore-download]").addEventListener("click", download);
  root.querySelector("[data-memore-print]").addEventListener("click", function () { window.print(); });
  root.querySelector("[data-memore-reset]").addEventListener("click", function () {
    if (!window.confirm(t("reset_confirm"))) return;
    try { window.MemoreStorage.area().removeItem(storageKey); } catch (error) { /* nothing stored */ }
    lastWritten = null;
    applyState(emptyState());
    say(t("reset_done"), "info");
    rescore();
  });
  window.addEventListener("beforeprint", function () {
    readForm();
    var label = state.label || t("unlabelled");
    el.printMeta.textContent = t("printed_on", { date: new Date().toLocaleDateString(lang) }) + " · " + label;
    var notesBox = root.querySelector("[data-memore-print-notes]");
    notesBox.textContent = "";
    definition.themes.forEach(function (theme) {
      var note = state.notes[theme.id];
      if (!note) return;
      notesBox.appendChild(textEl("h4", (typeof theme.title === "string" ? theme.title : theme.title[lang]) + " · " + t("notes")));
      notesBox.appendChild(textEl("p", note));
    });
  });

  /* ---------- start ---------- */

  restore();
  updateProgress();

  function setStatus(stateName, text) {
    el.status.setAttribute("data-state", stateName);
    el.status.textContent = text;
  }

  window.MemoreToolbox.whenIdle(function () {
    window.MemoreToolbox.startPython().then(function (ready) {
      engine = ready;
      root.setAttribute("data-python-thread", ready.thread);
      root.setAttribute("data-python-start", ready.source || "plain");
      setStatus("ready", t("status_ready"));
      readForm();
      rescore();  /* after a snapshot start, runtime.js warms Python up from this first evaluation */
    }).catch(function (error) {
      engineFailed = true;
      setStatus("failed", t("status_failed", { reason: error && error.message ? error.message : String(error) }));
      if (Object.keys(state.answers).length) showWaiting();
    });
  });

  window.MemoreQuestionnaire = {
    state: function () { readForm(); return JSON.parse(JSON.stringify(state)); },
    storageKey: storageKey,
    engineFailed: function () { return engineFailed; }
  };
})();
