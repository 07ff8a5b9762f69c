/* MeMoRe Toolbox: the questionnaire page's answers (plain, non-module JavaScript; first of the
 * page's four scripts: answers.js, resultfiles.js, results.js, questionnaire.js).
 *
 * Creates window.MemoreQ, the page's one shared context (what the build put in the page, the
 * form's elements, the current answers and whether Python is there), and keeps the answers: form
 * to state and back, the action plan's rows, progress, and autosave through storage.js.
 * Text from files is only ever set with textContent.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-memore-questionnaire]");
  if (!root) return;

  var STORAGE_PREFIX = "memore-toolbox:";
  var qid = root.getAttribute("data-memore-questionnaire") || "";
  var lang = root.getAttribute("data-lang") || document.documentElement.lang || "en";

  /** @param {string} id */
  function data(id) {
    var node = document.getElementById(id);
    return JSON.parse(node ? node.textContent || "null" : "null");
  }

  /** @param {string} name */
  function part(name) { return /** @type {any} */ (root.querySelector("[data-memore-" + name + "]")); }

  /* definitionText: the definition as the engine gets it with every call, the page's own text
     (never re-serialised), so Python can keep it parsed (toolbox.browser, _definition). */
  var definitionNode = document.getElementById("memore-definition");
  var definitionText = definitionNode ? definitionNode.textContent || "" : "";
  /** The questionnaire (localised definition), as the build wrote it into the page. */
  var definition = JSON.parse(definitionText);
  /** @type {string[]} */
  var statementIds = [];
  definition.themes.forEach(function (/** @type {any} */ theme) {
    theme.statements.forEach(function (/** @type {any} */ st) { statementIds.push(st.id); });
  });

  var Q = {
    root: root,
    definition: definition,
    definitionText: definitionText,
    ui: data("memore-ui"),
    /* The result file's rules, from the engine (resultfile.page_rules): format, versions, limits,
       languages, answers, sentences. The page's own check of files (resultcheck.js) reads them. */
    rules: data("memore-rules"),
    check: window.MemoreResultCheck,
    qid: qid,
    lang: lang,
    storageKey: STORAGE_PREFIX + "answers:" + qid + ":" + lang,
    generator: root.getAttribute("data-generator") || "MeMoRe Toolbox",
    statementIds: statementIds,
    el: {
      status: part("status"),
      progress: part("progress"),
      progressBar: part("progressbar"),
      label: part("label"),
      message: part("message"),
      form: part("form"),
      results: part("results"),
      charts: part("charts"),
      printMeta: part("print-meta"),
      planRows: part("plan-rows"),
      planTemplate: part("plan-template"),
      compareInput: part("compare"),
      compareClear: part("compare-clear"),
      compareOutput: part("compare-output"),
      loadInput: part("load"),
      dropzone: part("dropzone")
    },
    /** Python's entry points once started (toolbox.js), else null. @type {any} */
    engine: null,
    engineFailed: false,
    state: emptyState(),
    /** The last record this tab wrote, to tell another tab's writes from its own. @type {string|null} */
    lastWritten: null,
    storageBroken: false,
    /* True while applyState rewrites the form: removing a focused, edited plan field makes the
       browser fire "change" on it, and reading the half-rewritten form then would put the old
       action plan back in place of the one just loaded. */
    applying: false,
    t: t,
    say: say,
    emptyState: emptyState,
    nowIso: nowIso,
    cssEscape: cssEscape,
    textEl: textEl,
    escapeHtml: escapeHtml,
    readForm: readForm,
    applyState: applyState,
    addPlanRow: addPlanRow,
    numberPlanRows: numberPlanRows,
    updateProgress: updateProgress,
    save: save,
    restore: restore
  };
  window.MemoreQ = Q;

  /** A page string with its {placeholders} filled. @param {string} key @param {Object<string, any>} [values] */
  function t(key, values) {
    var text = Q.ui[key] || key;
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

  /** @param {string} text @param {string} [kind] */
  function say(text, kind) {
    Q.el.message.hidden = !text;
    Q.el.message.textContent = text || "";
    Q.el.message.setAttribute("data-kind", kind || "info");
  }

  /** @param {string} tag @param {string} text @param {string} [className] */
  function textEl(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  /** @param {string} text */
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  /** @param {string} text */
  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/[^a-zA-Z0-9_-]/g, "\\$&");
  }

  /* ---------- form <-> state ---------- */

  function readForm() {
    /** @type {Object<string, any>} */
    var answers = {};
    /* One query for every checked answer, on every change, rather than one per statement. */
    /** @type {Object<string, string>} */
    var checked = {};
    Q.el.form.querySelectorAll('input[type="radio"]:checked').forEach(function (node) {
      var input = /** @type {HTMLInputElement} */ (node);
      checked[input.name] = input.value;
    });
    statementIds.forEach(function (sid) {
      var value = checked["q-" + sid];
      /* Agreement answers are the numbers 1-5; "na" and practice answers ("no", "partly", "yes") stay words. */
      if (value) answers[sid] = /^[0-9]+$/.test(value) ? parseInt(value, 10) : value;
    });
    /** @type {Object<string, string>} */
    var notes = {};
    root.querySelectorAll("[data-memore-note]").forEach(function (node) {
      var area = /** @type {HTMLTextAreaElement} */ (node);
      if (area.value.trim()) notes[area.getAttribute("data-memore-note") || ""] = area.value;
    });
    /** @type {Object<string, string>[]} */
    var plan = [];
    Q.el.planRows.querySelectorAll(".memore-plan-row").forEach(function (/** @type {Element} */ row) {
      /** @type {Object<string, string>} */
      var item = {};
      ["theme", "action", "who", "when"].forEach(function (field) {
        item[field] = /** @type {HTMLInputElement} */ (row.querySelector('[data-field="' + field + '"]')).value;
      });
      plan.push(item);
    });
    Q.state.answers = answers;
    Q.state.notes = notes;
    Q.state.action_plan = plan;
    Q.state.label = Q.el.label.value;
  }

  /** @param {any} next */
  function applyState(next) {
    Q.applying = true;
    try { fillForm(next); } finally { Q.applying = false; }
  }

  /** @param {any} next */
  function fillForm(next) {
    Q.state = {
      answers: next.answers || {},
      notes: next.notes || {},
      action_plan: next.action_plan || [],
      label: next.label || "",
      created: next.created || null,
      updated: next.updated || null
    };
    var state = Q.state;
    Q.el.form.querySelectorAll('input[type="radio"]').forEach(function (/** @type {HTMLInputElement} */ input) { input.checked = false; });
    Object.keys(state.answers).forEach(function (sid) {
      var value = String(state.answers[sid]);
      var input = Q.el.form.querySelector('input[name="q-' + cssEscape(sid) + '"][value="' + cssEscape(value) + '"]');
      if (input) input.checked = true;
    });
    root.querySelectorAll("[data-memore-note]").forEach(function (node) {
      var area = /** @type {HTMLTextAreaElement} */ (node);
      area.value = state.notes[area.getAttribute("data-memore-note") || ""] || "";
    });
    Q.el.label.value = state.label;
    Q.el.planRows.textContent = "";
    state.action_plan.forEach(function (/** @type {any} */ item) { addPlanRow(item); });
    updateProgress();
  }

  /** @param {any} item */
  function addPlanRow(item) {
    var fragment = Q.el.planTemplate.content.cloneNode(true);
    var row = fragment.querySelector(".memore-plan-row");
    ["theme", "action", "who", "when"].forEach(function (field) {
      row.querySelector('[data-field="' + field + '"]').value = (item && item[field]) || "";
    });
    Q.el.planRows.appendChild(fragment);
    numberPlanRows();
    return Q.el.planRows.lastElementChild;
  }

  function numberPlanRows() {
    Q.el.planRows.querySelectorAll(".memore-plan-row").forEach(function (/** @type {Element} */ row, /** @type {number} */ index) {
      /** @type {Element} */ (row.querySelector("legend")).textContent = t("plan_row", { n: index + 1 });
    });
  }

  function updateProgress() {
    var answered = Object.keys(Q.state.answers).length;
    Q.el.progress.textContent = t("progress", { answered: answered, total: statementIds.length });
    Q.el.progressBar.value = answered;
  }

  /* ---------- autosave (storage.js says where: this device, or only this tab) ---------- */

  function save() {
    var state = Q.state;
    if (!state.created) state.created = nowIso();
    state.updated = nowIso();
    var record = JSON.stringify({ saved: state.updated, version: Q.rules.instrument.version, state: state });
    try {
      window.MemoreStorage.area().setItem(Q.storageKey, record);
      Q.lastWritten = record;
      if (Q.storageBroken) { Q.storageBroken = false; say("", "info"); }
    } catch (error) {
      Q.storageBroken = true;
      say(t("storage_failed"), "warning");
    }
  }

  function restore() {
    var raw = null;
    try {
      raw = window.MemoreStorage.area().getItem(Q.storageKey);
    } catch (error) {
      Q.storageBroken = true;
      say(t("storage_failed"), "warning");
      return;
    }
    if (!raw) return;
    try {
      var record = JSON.parse(raw);
      /* The record passes the same check as a loaded file. A record from before an instrument
         version was kept (no "version": version 1) loses the answers whose statements changed. */
      var checked = Q.check.check(JSON.stringify({
        format: Q.rules.format, format_version: Q.rules.format_version,
        instrument: { id: qid, version: typeof record.version === "number" ? record.version : 1 },
        language: lang, created: record.state.created || record.saved, updated: record.saved,
        label: record.state.label, answers: record.state.answers, notes: record.state.notes,
        action_plan: record.state.action_plan
      }), Q.rules);
      if (!checked.ok) return;
      checked.state.created = record.state.created || null;
      applyState(checked.state);
      Q.lastWritten = raw;
      say([t("restored", { date: new Date(record.saved).toLocaleString(lang) })].concat(checked.notices).join(" "),
        checked.notices.length ? "warning" : "info");
    } catch (error) {
      /* A damaged record is left alone (never deleted) and the form starts empty. */
    }
  }

  window.addEventListener("storage", function (event) {
    if (event.key !== Q.storageKey || event.newValue === Q.lastWritten || window.MemoreStorage.tabOnly()) return;
    say(t("other_tab"), "warning");
  });
})();
