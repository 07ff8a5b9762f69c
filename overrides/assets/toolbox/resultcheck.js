/* MeMoRe Toolbox: the page's own check of a result file (plain, non-module JavaScript).
 *
 * When Python is not running, the page checks a loaded file here. It gives the verdict of
 * toolbox.resultfile.load_result (the same refusal, with the engine's own sentence, or the same
 * answers kept), step by step in the same order, so one file loads or is refused alike with or
 * without Python. Every limit, name, version, answer and sentence comes from the rules the build
 * puts in the page (toolbox.resultfile.page_rules, the "memore-rules" data block); nothing here
 * is a copy of them. tests/site/test_resultcheck_parity.py holds both to the same verdict on
 * every hostile and frozen file.
 *
 * JSON.parse is not used: it reads 3.0 as 3 and a key "__proto__" as a prototype, and takes what
 * Python's json refuses or refuses what it takes. The parser below follows Python's json module:
 * objects become Maps (keys in the file's order), numbers written with a fraction or an exponent
 * become Float (never a whole number), NaN and Infinity are "bad-number".
 *
 * In the page: window.MemoreResultCheck. In Node: module.exports (tests).
 */
(function (global) {
  "use strict";

  function Refusal(code, params) {
    this.code = code;
    this.params = params || {};
  }

  /* A JSON number written with a fraction or an exponent: Python reads it as a float. */
  function Float(value) {
    this.value = value;
  }

  function refuse(code, params) {
    throw new Refusal(code, params);
  }

  /* ---------- text: Python counts code points, JavaScript UTF-16 units ---------- */

  function isHigh(unit) { return unit >= 0xd800 && unit <= 0xdbff; }
  function isLow(unit) { return unit >= 0xdc00 && unit <= 0xdfff; }

  function length(text) {
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      if (isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i++;
      count++;
    }
    return count;
  }

  function head(text, limit) {
    var end = 0;
    for (var count = 0; end < text.length && count < limit; count++) {
      end += isHigh(text.charCodeAt(end)) && end + 1 < text.length && isLow(text.charCodeAt(end + 1)) ? 2 : 1;
    }
    return text.slice(0, end);
  }

  function hasLoneSurrogate(text) {
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (isHigh(unit)) {
        if (i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i++;
        else return true;
      } else if (isLow(unit)) {
        return true;
      }
    }
    return false;
  }

  /* resultfile._short: at most rules.quote characters, and an ellipsis when cut. */
  function short(text, rules) {
    return head(text, rules.quote) + (length(text) > rules.quote ? "\u2026" : "");
  }

  /* ---------- bytes -> text (resultfile._decode) ---------- */

  function utf16(bytes, little) {
    if (bytes.length % 2) refuse("not-text");
    var parts = [];
    var units = [];
    for (var i = 2; i < bytes.length; i += 2) {
      var unit = little ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1];
      units.push(unit);
      if (units.length === 8192) { parts.push(String.fromCharCode.apply(null, units)); units = []; }
    }
    parts.push(String.fromCharCode.apply(null, units));
    var text = parts.join("");
    if (hasLoneSurrogate(text)) refuse("not-text");  /* Python's utf-16 codec refuses them */
    return text;
  }

  function decodeBytes(bytes, rules) {
    if (bytes.length > rules.max_bytes) refuse("too-large");
    if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      return utf16(bytes, bytes[0] === 0xff);
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);  /* drops one BOM, like utf-8-sig */
    } catch (error) {
      return refuse("not-text");
    }
  }

  function prepareText(text, rules) {
    if (text.length > rules.max_bytes && length(text) > rules.max_bytes) refuse("too-large");
    text = text.replace(/^\uFEFF+/, "");
    if (text.indexOf("\u0000") >= 0) refuse("not-text");
    var blank = true;
    for (var i = 0; i < text.length && blank; i++) blank = rules.space.indexOf(text.charAt(i)) >= 0;
    if (blank) refuse("empty");
    return text;
  }

  /* resultfile._outside_strings: the text outside its strings, by splitting, never char by char
     in a pattern that backtracks. An escaped backslash becomes a plain character first. */
  function outsideStrings(text) {
    var data = text.split("\\\\").join("_").split("\\\"").join("").split("\"\"").join("");
    var parts = data.split("\"");
    var out = [];
    for (var i = 0; i < parts.length; i += 2) out.push(parts[i]);
    return out.join("");
  }

  /* resultfile._deeper_than: more than `limit` arrays/objects open at some point (a closing bracket
     with none open is ignored); the innermost pairs are peeled off, one level per pass. */
  function deeperThan(outside, limit) {
    var brackets = outside.replace(/[^\[\]{}]+/g, "").replace(/[\[{]/g, "(").replace(/[\]}]/g, ")").replace(/^\)+/, "");
    var opens = brackets.length - brackets.split("(").join("").length;
    if (2 * opens - brackets.length > limit || brackets.indexOf(new Array(limit + 2).join("(")) >= 0) return true;
    brackets += new Array(opens + 1).join(")");
    for (var k = 0; k < limit; k++) {
      var peeled = brackets.split("()").join("");
      if (peeled.length === brackets.length) return false;
      brackets = peeled;
    }
    return brackets.indexOf("(") >= 0;
  }

  /* ---------- JSON, read as Python's json module reads it ---------- */

  var ESCAPES = { "\"": "\"", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

  function parse(text, rules) {
    var i = 0;
    var n = text.length;

    function fail() { refuse("not-json"); }

    function space() {
      while (i < n) {
        var c = text.charCodeAt(i);
        if (c === 32 || c === 9 || c === 10 || c === 13) i++;
        else break;
      }
    }

    function word(w) {
      return text.substr(i, w.length) === w;
    }

    function value() {
      if (i >= n) fail();
      var c = text.charAt(i);
      if (c === "\"") return string();
      if (c === "{") return object();
      if (c === "[") return array();
      if (c === "n" && word("null")) { i += 4; return null; }
      if (c === "t" && word("true")) { i += 4; return true; }
      if (c === "f" && word("false")) { i += 5; return false; }
      if ((c === "N" && word("NaN")) || (c === "I" && word("Infinity")) || (c === "-" && word("-Infinity"))) {
        refuse("bad-number");
      }
      return number();
    }

    function isDigit(code) { return code >= 48 && code <= 57; }

    function digits() {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }

    function number() {
      var start = i;
      if (text.charAt(i) === "-") i++;
      var whole = text.charAt(i);
      if (whole === "0") i++;
      else if (whole >= "1" && whole <= "9") digits();
      else fail();
      var integer = true;
      if (text.charAt(i) === "." && isDigit(text.charCodeAt(i + 1))) { i++; digits(); integer = false; }
      var e = text.charAt(i);
      if (e === "e" || e === "E") {
        var sign = text.charAt(i + 1) === "+" || text.charAt(i + 1) === "-" ? 1 : 0;
        if (isDigit(text.charCodeAt(i + 1 + sign))) { i += 1 + sign; digits(); integer = false; }
      }
      var token = text.slice(start, i);
      if (integer) {
        /* Python refuses to turn more digits than this into an int (a ValueError: not JSON). */
        if (rules.int_max_str_digits && token.replace("-", "").length > rules.int_max_str_digits) fail();
        return Number(token);
      }
      var result = Number(token);
      if (!isFinite(result)) refuse("bad-number");
      return new Float(result);
    }

    function string() {
      i++;
      var out = "";
      var start = i;
      for (;;) {
        if (i >= n) fail();
        var c = text.charCodeAt(i);
        if (c === 34) {
          out += text.slice(start, i);
          i++;
          return out;
        }
        if (c === 92) {
          out += text.slice(start, i);
          var e = text.charAt(i + 1);
          if (e === "u") {
            var hex = text.substr(i + 2, 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail();
            out += String.fromCharCode(parseInt(hex, 16));  /* a pair of escapes makes one character */
            i += 6;
          } else if (Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
            out += ESCAPES[e];
            i += 2;
          } else {
            fail();
          }
          start = i;
        } else if (c < 32) {
          fail();  /* a control character inside a string */
        } else {
          i++;
        }
      }
    }

    function object() {
      i++;
      var map = new Map();
      space();
      if (text.charAt(i) === "}") { i++; return map; }
      for (;;) {
        if (text.charAt(i) !== "\"") fail();
        var key = string();
        space();
        if (text.charAt(i) !== ":") fail();
        i++;
        space();
        map.set(key, value());
        space();
        var c = text.charAt(i);
        i++;
        if (c === "}") return map;
        if (c !== ",") fail();
        space();
      }
    }

    function array() {
      i++;
      var list = [];
      space();
      if (text.charAt(i) === "]") { i++; return list; }
      for (;;) {
        list.push(value());
        space();
        var c = text.charAt(i);
        i++;
        if (c === "]") return list;
        if (c !== ",") fail();
        space();
      }
    }

    space();
    var result = value();
    space();
    if (i !== n) fail();
    return result;
  }

  function anyLoneSurrogate(value) {
    if (typeof value === "string") return hasLoneSurrogate(value);
    if (Array.isArray(value)) return value.some(anyLoneSurrogate);
    if (value instanceof Map) {
      var found = false;
      value.forEach(function (item, key) { found = found || hasLoneSurrogate(key) || anyLoneSurrogate(item); });
      return found;
    }
    return false;
  }

  /* resultfile.parse_json */
  function parseResult(text, rules) {
    text = prepareText(text, rules);
    if (deeperThan(outsideStrings(text), rules.max_depth)) refuse("too-deep");
    var value = parse(text, rules);
    /* An escape such as \ud800 yields a lone surrogate: not text that can be shown or saved. */
    if (text.indexOf("\\u") >= 0 && anyLoneSurrogate(value)) refuse("not-text");
    return value;
  }

  /* ---------- the file's content (resultfile.load_result) ---------- */

  function isDict(value) { return value instanceof Map; }
  function isInt(value) { return typeof value === "number"; }
  function isText(value) { return typeof value === "string"; }

  function get(map, key, fallback) {
    return map.has(key) ? map.get(key) : fallback;
  }

  function need(map, key, test, field) {
    field = field || key;
    if (!map.has(key)) refuse("missing-field", { field: field });
    var value = map.get(key);
    if (!test(value)) refuse("bad-type", { field: field });
    return value;
  }

  function checkText(value, field, limit) {
    if (!isText(value)) refuse("bad-type", { field: field });
    if (length(value) > limit) refuse("too-long", { field: field, limit: limit });
    return value;
  }

  function daysIn(year, month) {
    if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
    return [4, 6, 9, 11].indexOf(month) >= 0 ? 30 : 31;
  }

  /* resultfile.valid_date: the pattern, then a real moment. */
  function validDate(value, rules) {
    var match = new RegExp("^(?:" + rules.date_pattern + ")$").exec(value);
    if (!match) return false;
    var f = match.slice(1, 9).map(function (part) { return part === undefined ? 0 : parseInt(part, 10); });
    return f[0] >= 1 && f[1] >= 1 && f[1] <= 12 && f[2] >= 1 && f[2] <= daysIn(f[0], f[1]) &&
      f[3] <= 23 && f[4] <= 59 && f[5] <= 59 && f[6] <= 23 && f[7] <= 59;
  }

  function checkDate(value, field, rules) {
    checkText(value, field, rules.limits.date);
    if (!validDate(value, rules)) refuse("bad-date", { field: field });
    return value;
  }

  /* resultfile._migrate_v1: format 1 named the questionnaire and one date, had no plan or label,
     and existed only while every questionnaire was at version 1. */
  function migrateV1(obj, rules) {
    var instrument = need(obj, "instrument", isText);
    var saved = checkDate(need(obj, "saved", isText), "saved", rules);
    return new Map([
      ["instrument", new Map([["id", instrument], ["version", 1]])],
      ["language", get(obj, "language", null)],
      ["created", saved], ["updated", saved], ["generator", ""], ["label", ""],
      ["answers", get(obj, "answers", new Map())], ["notes", get(obj, "notes", new Map())],
      ["action_plan", []], ["scores", new Map()]
    ]);
  }

  function statementsOf(rules) {
    var index = new Map();
    rules.themes.forEach(function (theme) {
      theme.statements.forEach(function (st) { index.set(st.id, st); });
    });
    return index;
  }

  /* resultfile.changed_since: answers given to an older version of these statements no longer hold. */
  function changedSince(rules, version) {
    var changed = new Set();
    rules.themes.forEach(function (theme) {
      theme.statements.forEach(function (st) { if ((st.revised || 1) > version) changed.add(st.id); });
    });
    rules.retired.forEach(function (item) { if (item.version > version) changed.add(item.id); });
    return changed;
  }

  function checkAnswers(raw, rules, version) {
    if (!isDict(raw)) refuse("bad-type", { field: "answers" });
    var index = statementsOf(rules);
    var changed = changedSince(rules, version);
    var kept = [];
    var dropped = [];
    raw.forEach(function (value, sid) {
      if (changed.has(sid)) dropped.push(sid);
      else kept.push([sid, value]);
    });
    /* A dropped answer must still be one that some kind of statement takes (0, 3.5, true, "NA" never were). */
    dropped.forEach(function (sid) {
      var value = raw.get(sid);
      if (!((isInt(value) || isText(value)) && rules.any_accepted.indexOf(value) >= 0)) {
        refuse("bad-value", { id: head(sid, rules.quote), kind: "agree" });
      }
    });
    var answers = {};
    kept.forEach(function (pair) {
      var sid = pair[0];
      var value = pair[1];
      var st = index.get(sid);
      if (!st) refuse("unknown-statement", { id: head(sid, rules.quote) });
      /* Same JSON type and value: 1.0 (a Float), true and "3" are not 3. */
      if (!((isInt(value) || isText(value)) && st.accepted.indexOf(value) >= 0)) {
        refuse("bad-value", { id: head(sid, rules.quote), kind: st.kind });
      }
      answers[sid] = value;  /* only ids of this questionnaire get here: never "__proto__" */
    });
    return { answers: answers, dropped: dropped };
  }

  function themeIds(rules) {
    return rules.themes.map(function (theme) { return theme.id; });
  }

  function checkNotes(raw, rules) {
    if (!isDict(raw)) refuse("bad-type", { field: "notes" });
    var ids = themeIds(rules);
    var notes = {};
    raw.forEach(function (value, tid) {
      if (ids.indexOf(tid) < 0) refuse("unknown-theme", { id: short(tid, rules) });
      notes[tid] = checkText(value, "notes." + tid, rules.limits.note);
    });
    return notes;
  }

  function checkPlan(raw, rules) {
    if (!Array.isArray(raw)) refuse("bad-type", { field: "action_plan" });
    if (raw.length > rules.limits.rows) refuse("too-many-rows", { limit: rules.limits.rows });
    var ids = themeIds(rules);
    return raw.map(function (row, i) {
      var where = "action_plan[" + (i + 1) + "]";
      if (!isDict(row)) refuse("bad-type", { field: where });
      var clean = {};
      rules.plan_fields.forEach(function (key) {
        clean[key] = checkText(get(row, key, ""), where + "." + key, rules.limits.action);
      });
      if (clean.theme && ids.indexOf(clean.theme) < 0) refuse("unknown-theme", { id: short(clean.theme, rules) });
      return clean;
    });
  }

  function checkContent(obj, rules) {
    if (!isDict(obj) || obj.get("format") !== rules.format) refuse("not-a-result");
    var version = need(obj, "format_version", isInt);
    if (version > Math.max.apply(null, rules.format_versions)) refuse("newer-format");
    if (rules.format_versions.indexOf(version) < 0) refuse("bad-version", { field: "format_version" });
    if (version === 1) obj = migrateV1(obj, rules);
    var instrument = need(obj, "instrument", isDict);
    var id = need(instrument, "id", isText, "instrument.id");
    if (id !== rules.instrument.id) refuse("other-questionnaire", { found: short(id, rules), expected: rules.instrument.title });
    var current = rules.instrument.version;
    var iversion = get(instrument, "version", null);
    if (iversion === null) iversion = current;
    else if (!isInt(iversion) || iversion < 1) refuse("bad-version", { field: "instrument.version" });
    else if (iversion > current) refuse("newer-instrument", { found: iversion, current: current });
    var language = need(obj, "language", isText);
    if (rules.languages.indexOf(language) < 0) refuse("bad-language", { value: short(language, rules) });
    var created = checkDate(need(obj, "created", isText), "created", rules);
    var updated = checkDate(need(obj, "updated", isText), "updated", rules);
    checkText(get(obj, "generator", ""), "generator", rules.limits.generator);
    var label = checkText(get(obj, "label", ""), "label", rules.limits.label);
    if (obj.has("scores") && !isDict(obj.get("scores"))) refuse("bad-type", { field: "scores" });
    var answers = checkAnswers(need(obj, "answers", isDict), rules, iversion);
    var notes = checkNotes(get(obj, "notes", new Map()), rules);
    var plan = checkPlan(get(obj, "action_plan", []), rules);
    return {
      state: { answers: answers.answers, notes: notes, action_plan: plan, label: label, created: created, updated: updated },
      language: language,
      version: iversion,
      dropped: answers.dropped
    };
  }

  /* ---------- sentences (the engine's own, from the rules) ---------- */

  function say(rules, key, params) {
    var text = rules.messages[key];
    if (typeof text !== "string") return null;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params || {}, name) ? String(params[name]) : whole;
    });
  }

  function refusalMessage(refusal, rules) {
    var key = "error." + refusal.code;
    /* A practice statement's sentence names its own answers (resultfile: error.bad-value-practice). */
    if (refusal.code === "bad-value" && refusal.params.kind === "practice" && rules.messages["error.bad-value-practice"]) {
      key = "error.bad-value-practice";
    }
    return say(rules, key, refusal.params) || refusal.code;
  }

  /* resultfile.dropped_notice: the dropped answers by theme and statement number. */
  function droppedNotice(dropped, rules) {
    var items = [];
    var named = 0;
    rules.themes.forEach(function (theme) {
      var numbers = [];
      theme.statements.forEach(function (st, i) { if (dropped.indexOf(st.id) >= 0) numbers.push(String(i + 1)); });
      if (numbers.length) items.push(say(rules, "notice.item", { theme: theme.title, numbers: numbers.join(", ") }));
      named += numbers.length;
    });
    if (dropped.length > named) items.push(say(rules, "notice.removed", { n: dropped.length - named }));
    return say(rules, "notice.dropped", { n: dropped.length, items: items.join("; ") }) || dropped.join(", ");
  }

  /* ---------- what the page calls ---------- */

  function outcomeOf(run, rules) {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return { ok: false, code: error.code, message: refusalMessage(error, rules) };
    }
  }

  /* Bytes of a file -> { ok: true, text } or the refusal (too large, not text). */
  function decode(bytes, rules) {
    return outcomeOf(function () {
      return { ok: true, text: decodeBytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), rules) };
    }, rules);
  }

  /* A file (its text, or its bytes) -> { ok: true, state, language, version, dropped, notices }
     or { ok: false, code, message }, as toolbox.browser.load_result answers. */
  function check(input, rules) {
    return outcomeOf(function () {
      var text = typeof input === "string" ? input
        : decodeBytes(input instanceof Uint8Array ? input : new Uint8Array(input), rules);
      var result = checkContent(parseResult(text, rules), rules);
      result.ok = true;
      result.notices = result.dropped.length ? [droppedNotice(result.dropped, rules)] : [];
      return result;
    }, rules);
  }

  /* The engine's sentence for a refusal the page finds before reading (a file too large). */
  function sentence(code, rules, params) {
    return refusalMessage(new Refusal(code, params), rules);
  }

  var api = { check: check, decode: decode, sentence: sentence, validDate: validDate, Float: Float };
  if (typeof module === "object" && module.exports) module.exports = api;
  global.MemoreResultCheck = api;
})(/** @type {any} */ (typeof globalThis !== "undefined" ? globalThis : this));
