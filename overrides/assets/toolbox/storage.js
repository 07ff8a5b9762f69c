/* MeMoRe Toolbox: where a questionnaire page keeps the answers, for shared computers (plain,
 * non-module JavaScript; loaded by toolbox.js before questionnaire.js, which saves through it).
 *
 * - By default the answers are saved in localStorage: they are there again on the next visit.
 * - "Don't keep my answers on this device" keeps them in sessionStorage instead: only for the
 *   open tab, gone when it is closed. The choice itself is kept for the tab (sessionStorage).
 *   Switching it on moves every saved questionnaire of this site out of localStorage into this
 *   tab; switching it off moves them back.
 * - "Forget my answers on this device" removes the saved answers of every questionnaire and
 *   language from this browser (both storages), after an inline confirmation step, and empties
 *   the form on the page (questionnaire.js listens for the "memore:forgotten" event).
 *
 * The confirmation is an inline step rather than window.confirm: the question stays readable on
 * the page, it is reached with Tab and announced like any text, Escape or "No" cancels, and no
 * browser can suppress it ("prevent this page from creating more dialogs" makes confirm() return
 * false silently). All keys of this site start with PREFIX; Chromium shares one storage among
 * all file:// pages, so other keys there are never touched.
 */
(function () {
  "use strict";

  var PREFIX = "memore-toolbox:";
  var ANSWERS = PREFIX + "answers:";
  var TAB_ONLY = PREFIX + "tab-only";

  /* The storages as the browser gives them; null where reading the property itself throws
     (storage blocked). */
  /** @param {"localStorage"|"sessionStorage"} name @returns {Storage|null} */
  function storage(name) {
    try { return window[name] || null; } catch (error) { return null; }
  }

  function keysOf(area, prefix) {
    var keys = [];
    if (!area) return keys;
    for (var i = 0; i < area.length; i++) {
      var key = area.key(i);
      if (key && key.indexOf(prefix) === 0) keys.push(key);
    }
    return keys;
  }

  function tabOnly() {
    var session = storage("sessionStorage");
    try { return Boolean(session && session.getItem(TAB_ONLY) === "1"); } catch (error) { return false; }
  }

  /* The storage the answers are saved in now. Throws like the browser does when it is blocked,
     so the caller can say so plainly. */
  function area() {
    var name = tabOnly() ? "sessionStorage" : "localStorage";
    var found = window[name];
    if (!found) throw new Error(name + " is not available");
    return found;
  }

  /* Moves every saved questionnaire from one storage into the other. If the browser refuses a
     copy (storage full), the ones already moved go back and the error is passed on: nothing is
     lost, and nothing is left half in each. */
  function move(from, to) {
    var moved = [];
    try {
      keysOf(from, ANSWERS).forEach(function (key) {
        to.setItem(key, from.getItem(key));
        from.removeItem(key);
        moved.push(key);
      });
    } catch (error) {
      moved.forEach(function (key) {
        from.setItem(key, to.getItem(key));
        to.removeItem(key);
      });
      throw error;
    }
  }

  /* Switches the per-tab choice; throws if the browser refuses, and then nothing changed. */
  function setTabOnly(on) {
    var local = window.localStorage;
    var session = window.sessionStorage;
    if (on) {
      move(local, session);
      session.setItem(TAB_ONLY, "1");
    } else {
      move(session, local);
      session.removeItem(TAB_ONLY);
    }
  }

  /* Removes the saved answers of every questionnaire; returns how many were removed. */
  function forgetAll() {
    var removed = 0;
    [storage("localStorage"), storage("sessionStorage")].forEach(function (store) {
      keysOf(store, ANSWERS).forEach(function (key) {
        store.removeItem(key);
        removed += 1;
      });
    });
    return removed;
  }

  window.MemoreStorage = { area: area, tabOnly: tabOnly, setTabOnly: setTabOnly, forgetAll: forgetAll, prefix: PREFIX };

  /* ---------- the controls on a questionnaire page ---------- */

  var box = document.querySelector("[data-memore-device]");
  if (!box) return;
  var ui = JSON.parse(document.getElementById("memore-ui").textContent);
  var status = /** @type {HTMLElement} */ (box.querySelector("[data-memore-device-status]"));
  var toggle = /** @type {HTMLInputElement} */ (box.querySelector("[data-memore-tab-only]"));
  var forget = /** @type {HTMLButtonElement} */ (box.querySelector("[data-memore-forget]"));
  var step = /** @type {HTMLElement} */ (box.querySelector("[data-memore-forget-confirm]"));
  var question = /** @type {HTMLElement} */ (box.querySelector("[data-memore-forget-question]"));

  /* Emptied first so that the same sentence twice is announced twice; a sentence still waiting
     is dropped, so the last action's sentence is the one that stays. */
  var pending = null;
  function tell(text) {
    window.clearTimeout(pending);
    status.textContent = "";
    pending = window.setTimeout(function () { status.textContent = text; }, 50);
  }

  toggle.checked = tabOnly();
  toggle.addEventListener("change", function () {
    var on = toggle.checked;
    try {
      setTabOnly(on);
      tell(ui[on ? "tab_only_on" : "tab_only_off"]);
    } catch (error) {
      toggle.checked = tabOnly();
      tell(ui.storage_failed);
    }
  });

  function closeStep(message) {
    step.hidden = true;
    forget.setAttribute("aria-expanded", "false");
    forget.focus();
    if (message) tell(message);
  }

  forget.addEventListener("click", function () {
    step.hidden = false;
    forget.setAttribute("aria-expanded", "true");
    question.focus();
  });
  box.querySelector("[data-memore-forget-no]").addEventListener("click", function () {
    closeStep(ui.forget_kept);
  });
  step.addEventListener("keydown", function (/** @type {KeyboardEvent} */ event) {
    if (event.key === "Escape") { event.preventDefault(); closeStep(ui.forget_kept); }
  });
  box.querySelector("[data-memore-forget-yes]").addEventListener("click", function () {
    var message;
    try {
      var count = forgetAll();
      message = count ? ui.forget_done.split("{count}").join(String(count)) : ui.forget_none;
    } catch (error) {
      message = ui.forget_failed;
    }
    window.dispatchEvent(new CustomEvent("memore:forgotten"));
    closeStep(message);
  });
})();
