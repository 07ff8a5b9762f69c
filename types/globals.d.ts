/* Types for the type check of the page's plain scripts (tsconfig.json; `tsc` checks, never emits).
 * The scripts share these globals on `window`; each is created by the script named beside it. */

interface Window {
  /** toolbox.js: boot, whenIdle, startPython, releaseTheme. */
  MemoreToolbox: any;
  /** early.js (inlined in the head): the Python worker's start, at once on a returning visit. */
  MemoreEarly: any;
  /** search-later.js (inlined in the head): holds the search index back while Python starts. */
  MemoreSearchLater: any;
  /** runtime.js: starts Pyodide (worker online, page from file://). */
  MemoreRuntime: any;
  /** storage.js: where answers are kept (this device or only this tab). */
  MemoreStorage: any;
  /** resultcheck.js: the page's own check of a result file, from the engine's rules. */
  MemoreResultCheck: any;
  /** answers.js: the questionnaire page's shared context. */
  MemoreQ: any;
  /** questionnaire.js: what tests and the bench read from the page. */
  MemoreQuestionnaire: any;
  /** teamview.js: team view, trend and network benchmark (hooks called by compare.js). */
  MemoreTeamView: any;
  /** Pyodide's pyodide.js (vendored) and the offline edition's payload scripts. */
  loadPyodide: any;
  __memorePyodideFactory: any;
  __memorePyodidePayload: any;
  __memoreEngine: any;
  __memoreCallTimeoutMs: any;
  /** search-later.js: how long the search index is held at most (tests hold it longer). */
  __memoreSearchHoldMs: any;
  /** toolbox.js: how long Material's script is held at most (tests hold it longer). */
  __memoreThemeHoldMs: any;
  /** runtime.js: how the warm-up after a snapshot start went (read by the bench and tests). */
  __memoreWarmUp: any;
}

interface Navigator {
  /** Network Information API (Chromium only): the page checks for it before use. */
  connection?: { saveData?: boolean; effectiveType?: string };
}
