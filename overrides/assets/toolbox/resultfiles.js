/* MeMoRe Toolbox: the questionnaire page's result files (plain, non-module JavaScript; after
 * answers.js). Download, load (button or drop) and read files as the engine reads them.
 *
 * With Python, the engine writes and checks files (toolbox.browser). Without it (not started yet,
 * refused, or stopped), resultcheck.js checks a loaded file by the engine's own rules and
 * sentences, and the download is written from the same rules, so the file is the same either way.
 */
(function () {
  "use strict";

  var Q = window.MemoreQ;
  if (!Q) return;
  var t = Q.t;
  var say = Q.say;

  /** @param {string} text */
  function loadWithoutPython(text) {
    var checked = Q.check.check(text, Q.rules);
    if (!checked.ok) return { ok: false, message: checked.message };
    return { ok: true, state: checked.state, language: checked.language, notices: checked.notices };
  }

  function fileWithoutPython() {
    var state = Q.state;
    var created = state.created || Q.nowIso();
    return JSON.stringify({
      format: Q.rules.format, format_version: Q.rules.format_version, generator: Q.generator,
      instrument: { id: Q.qid, version: Q.rules.instrument.version }, language: Q.lang,
      created: created, updated: Q.nowIso(), label: state.label, answers: state.answers,
      notes: state.notes, action_plan: state.action_plan
    }, null, 2);
  }

  function fileName() {
    var day = new Date().toISOString().slice(0, 10);
    return "memore-" + Q.qid + "-" + day + ".json";
  }

  function download() {
    Q.readForm();
    var exported = Q.engine
      ? Q.engine.call("export_result", Q.definitionText, JSON.stringify(Q.state), Q.lang, Q.nowIso())
        .then(function (/** @type {string} */ text) {
          return JSON.parse(text).ok === false ? null : text;  /* never download a refusal: keep the answers */
        }, function () { return null; })
      : Promise.resolve(null);
    return exported.then(function (/** @type {string|null} */ text) { saveFile(text || fileWithoutPython()); });
  }

  /** @param {string} text */
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
  /** @param {File} file @returns {Promise<string>} */
  function readFile(file) {
    return new Promise(function (resolve, reject) {
      if (file.size > Q.rules.max_bytes) { reject(new Error(Q.check.sentence("too-large", Q.rules))); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var decoded = Q.check.decode(reader.result, Q.rules);
        if (decoded.ok) resolve(decoded.text);
        else reject(new Error(decoded.message));
      };
      reader.onerror = function () { reject(new Error(t("err_read"))); };
      reader.readAsArrayBuffer(file);
    });
  }

  /** @param {string} name @param {string} text */
  function loadText(name, text) {
    var checked = Q.engine
      ? Q.engine.call("load_result", text, Q.definitionText, Q.lang).then(JSON.parse, function (/** @type {any} */ error) {
        Q.engineStopped(error);
        return loadWithoutPython(text);  /* Python stopped: the page's own checks take over */
      })
      : Promise.resolve(loadWithoutPython(text));
    return checked.then(function (/** @type {any} */ outcome) { return applyLoaded(name, outcome); });
  }

  /** @param {string} name @param {any} outcome */
  function applyLoaded(name, outcome) {
    if (!outcome.ok) {
      say(t("load_refused", { name: name, message: outcome.message }), "error");
      return false;
    }
    Q.applyState(outcome.state);
    Q.save();
    var note = t("loaded", { name: name });
    if (outcome.language && outcome.language !== Q.lang) note += " " + t("loaded_other_language");
    /* Answers dropped because their statements changed since the file's version (engine's sentence). */
    var notices = outcome.notices || [];
    if (notices.length) note += " " + notices.join(" ");
    say(note, notices.length ? "warning" : "info");
    Q.rescore();
    return true;
  }

  /** @param {File} file */
  function loadFile(file) {
    return readFile(file).then(function (text) { return loadText(file.name, text); }, function (error) {
      say(t("load_refused", { name: file.name, message: error.message }), "error");
      return false;
    });
  }

  Q.download = download;
  Q.readFile = readFile;
  Q.loadFile = loadFile;

  var el = Q.el;
  el.loadInput.addEventListener("change", function () {
    var file = el.loadInput.files && el.loadInput.files[0];
    if (file) loadFile(file).then(function () { el.loadInput.value = ""; });
  });

  ["dragenter", "dragover"].forEach(function (name) {
    el.dropzone.addEventListener(name, function (/** @type {Event} */ event) {
      event.preventDefault();
      el.dropzone.setAttribute("data-over", "true");
    });
  });
  el.dropzone.addEventListener("dragleave", function () { el.dropzone.removeAttribute("data-over"); });
  el.dropzone.addEventListener("drop", function (/** @type {DragEvent} */ event) {
    event.preventDefault();
    el.dropzone.removeAttribute("data-over");
    var file = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0];
    if (file) loadFile(file);
  });
})();
