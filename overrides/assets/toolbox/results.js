/* MeMoRe Toolbox: the questionnaire page's results (plain, non-module JavaScript; after
 * answers.js). Asks Python (toolbox.browser.evaluate) for the scores, advice, charts and table,
 * one evaluation at a time, and shows them. HTML comes only from the engine, which escapes every
 * text it renders; the page's own text is set with textContent.
 */
(function () {
  "use strict";

  var Q = window.MemoreQ;
  if (!Q) return;
  var t = Q.t;
  var textEl = Q.textEl;
  var el = Q.el;

  /** The title of a theme in this page's language. @param {any} theme */
  function themeTitle(theme) {
    return typeof theme.title === "string" ? theme.title : theme.title[Q.lang];
  }

  /** @param {any} theme */
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
      theme.links.forEach(function (/** @type {any} */ item, /** @type {number} */ index) {
        if (index) p.appendChild(document.createTextNode(" · "));
        var a = /** @type {HTMLAnchorElement} */ (textEl("a", item.label[Q.lang] || item.label.en || ""));
        a.href = item.url;
        p.appendChild(a);
      });
      box.appendChild(p);
    }
    return box;
  }

  /** @param {any} result the engine's evaluation */
  function renderResults(result) {
    /** @type {Object<string, any>} */
    var byId = {};
    result.themes.forEach(function (/** @type {any} */ theme) { byId[theme.id] = theme; });
    Q.root.querySelectorAll("[data-memore-theme-result]").forEach(function (/** @type {Element} */ slot) {
      var theme = byId[slot.getAttribute("data-memore-theme-result") || ""];
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
      result.weakest.forEach(function (/** @type {string} */ tid) {
        var theme = byId[tid];
        var section = document.createElement("div");
        section.className = "memore-weak";
        section.appendChild(textEl("h4", themeTitle(theme)));
        section.appendChild(adviceBlock(theme));
        box.appendChild(section);
      });
    } else {
      box.appendChild(textEl("p", t("results_empty")));
    }
    el.results.textContent = "";
    el.results.appendChild(box);
    el.charts.innerHTML = overall.level
      ? '<h3>' + Q.escapeHtml(t("charts_title")) + '</h3><div class="memore-chart">' + result.radar_svg +
        '</div><div class="memore-chart">' + result.bars_svg + '</div><details class="memore-table" open><summary>' +
        Q.escapeHtml(t("table_title")) + "</summary>" +
        /* A narrow screen scrolls the table, never the page (WCAG 1.4.10); focusable so keys scroll it. */
        '<div class="memore-table-scroll" tabindex="0" role="region" aria-label="' + Q.escapeHtml(t("table_title")) + '">' +
        result.table_html + "</div></details>"
      : "";
  }

  /* One evaluation at a time: changes made meanwhile are scored once it ends, from the state
     as it is then, so the results always end up showing the latest answers. */
  var scoring = false;
  var scoreAgain = false;
  /** @param {boolean} on */
  function busy(on) {
    if (on) { Q.root.setAttribute("data-scoring", "true"); el.results.setAttribute("aria-busy", "true"); }
    else { Q.root.removeAttribute("data-scoring"); el.results.removeAttribute("aria-busy"); }
  }

  /* The site search builds its index (search-later.js) once the questionnaire is quiet,
     SEARCH_QUIET_MS after the last evaluation: not while Python warms up after its start (a few
     hundred evaluations' worth of processor) or while the visitor is changing answers. */
  var SEARCH_QUIET_MS = 1500;
  var searchTimer = 0;
  function releaseSearchWhenQuiet() {
    var later = window.MemoreSearchLater;
    if (!later) return;
    clearTimeout(searchTimer);
    searchTimer = window.setTimeout(later.release, SEARCH_QUIET_MS);
  }

  function rescore() {
    if (!Q.engine) { if (!scoring) busy(false); return; }
    busy(true);
    if (scoring) { scoreAgain = true; return; }
    scoring = true;
    scoreAgain = false;
    var started = performance.now();
    Q.engine.call("evaluate", Q.definitionText, JSON.stringify(Q.state), Q.lang).then(function (/** @type {string} */ text) {
      renderResults(JSON.parse(text));
      Q.root.setAttribute("data-scored-at", String(Date.now()));
      Q.root.setAttribute("data-score-ms", String(Math.round(performance.now() - started)));
      if (Q.afterScore) return Q.afterScore();
    }).catch(engineStopped).then(function () {
      scoring = false;
      window.MemoreToolbox.releaseTheme();  /* Material's script, held while Python started (toolbox.js) */
      releaseSearchWhenQuiet();
      if (scoreAgain) rescore();
      else busy(false);
    });
  }

  /** @param {string} stateName @param {string} text */
  function setStatus(stateName, text) {
    el.status.setAttribute("data-state", stateName);
    el.status.textContent = text;
  }

  function showWaiting() {
    el.results.textContent = "";
    el.results.appendChild(textEl("p", t("results_waiting")));
  }

  /* Python stopped answering after it had started: say so; the answers stay in the form and in storage. */
  /** @param {any} error */
  function engineStopped(error) {
    Q.engine = null;
    Q.engineFailed = true;
    setStatus("failed", t("status_stopped", { reason: error && error.message ? error.message : String(error) }));
    showWaiting();
  }

  Q.themeTitle = themeTitle;
  Q.rescore = rescore;
  Q.setStatus = setStatus;
  Q.showWaiting = showWaiting;
  Q.engineStopped = engineStopped;
})();
