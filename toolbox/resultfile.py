"""The result file: build, write, and load untrusted files safely.

Format 1 is migrated to format 2; a file of an older instrument version keeps every answer whose
statement has not changed since (FORMAT.md, "Versions").
"""

import gc
import json
import math
import re
import sys
from datetime import datetime, timedelta, timezone

from . import __version__
from .errors import ToolboxError
from .messages import LANGUAGES, catalogue, error, message, norm_lang, tr
from .scoring import KINDS, NA, accepted_values, check_answer, compact_scores, is_accepted, score

FORMAT = "memore-toolbox-result"
FORMAT_VERSION = 2
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20
PLAN_FIELDS = ("theme", "action", "who", "when")  # the fields of one action-plan row
QUOTE = 60  # the most characters of a file's text quoted in a sentence
LIMITS = {"label": 200, "note": 5000, "action": 1000, "rows": 100, "generator": 200, "date": 40}
# The one date grammar of result files, for this loader, the page's check and the JSON Schema alike
# (Python's datetime.fromisoformat accepts more on 3.11 and 3.14, and differently): an RFC 3339
# date-time (fractions of up to 9 digits), also tolerating what every loader accepted before:
# a date alone, "T" or a space, no seconds, no zone, a zone without its colon, a lower-case "z".
# ASCII digits only ([0-9], never \d, which matches any Unicode digit in Python).
# The ranges are in the pattern so that the JSON Schema says them too; only the days of each month
# are left to valid_date.
DATE_PATTERN = (r"(?!0000)([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                r"(?:[T ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.[0-9]{1,9})?)?"
                r"(?:[Zz]|[+-]([01][0-9]|2[0-3]):?([0-5][0-9]))?)?")
_DATE_RE = re.compile(DATE_PATTERN)
# The checks before and after parsing work on bytes with C-level operations: no loop per character
# in Python, and no pattern that can backtrack over more than one token, so a crafted file costs
# time linear in its size (issue 14: a backtracking string pattern once took minutes on 64 KB).
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b"[]{}")))
_TO_PARENS = bytes.maketrans(b"[]{}", b"()()")
# A number that can overflow to infinity: one with an exponent, or 309 digits before its point. It
# starts at a digit that no digit or point precedes (a sign does not matter to the size).
_BIG_FLOAT_RE = re.compile(rb"[0-9](?<![0-9.][0-9])(?:[0-9.]*+[eE][-+]?[0-9]++|[0-9]{308,}+\.[0-9]++)")
_HIGH = rb"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE_RE = re.compile(_HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _LOW)
_DIGITS_AS_ZEROS = bytes.maketrans(b"0123456789", b"0" * 10)


# ---------------------------------------------------------------- writing


def build_result(defn, state, lang, now_iso) -> dict:
    """A format-2 result dict from the page state (``answers, notes, action_plan, label, created``)."""
    state = state or {}
    answers = {sid: v for sid, v in (state.get("answers") or {}).items() if v is not None}
    scores = score(defn, answers, lang)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": f"MeMoRe Toolbox {__version__}",
        "instrument": {"id": defn["id"], "version": defn.get("version", 1)},
        "language": norm_lang(lang),
        "created": state.get("created") or now_iso,
        "updated": now_iso,
        "label": state.get("label") or "",
        "answers": answers,
        "notes": {k: v for k, v in (state.get("notes") or {}).items() if v},
        "action_plan": [_row(r) for r in (state.get("action_plan") or [])],
        "scores": compact_scores(scores),
    }


def _row(row) -> dict:
    return {k: str(row.get(k) or "") for k in PLAN_FIELDS}


def dumps_result(defn, state, lang, now_iso) -> str:
    """The text of a result file (pretty JSON, UTF-8 characters kept)."""
    return json.dumps(build_result(defn, state, lang, now_iso), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- reading


def _decode(data, lang) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_BYTES:
            raise error("too-large", lang)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                data = data.decode("utf-16")
            except UnicodeDecodeError:
                raise error("not-text", lang) from None
        else:
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise error("not-text", lang) from None
    elif not isinstance(data, str):
        raise error("not-json", lang)
    if len(data) > MAX_BYTES:
        raise error("too-large", lang)
    data = data.lstrip("\ufeff")
    if "\x00" in data:
        raise error("not-text", lang)
    if not data.strip():
        raise error("empty", lang)
    return data


def _outside_strings(unescaped) -> bytes:
    """The bytes of a JSON text outside its strings (``unescaped``: the UTF-8 text, ``\\\\`` replaced).

    Exact wherever the text is JSON; elsewhere a backslash escapes a following quote anywhere.
    """
    data = unescaped.replace(b'\\"', b"").replace(b'""', b"")  # every quote left is a real one
    return b"".join(data.split(b'"')[::2])  # (dropping "" keeps which side of a quote each byte is)


def _deeper_than(outside, limit) -> bool:
    """Whether arrays/objects nest more than ``limit`` deep in ``_outside_strings``; no recursion.

    Depth counts the brackets still open at a point (a closing bracket with none open is ignored),
    so it is exact for every prefix the parser can read.
    """
    brackets = outside.translate(_TO_PARENS, _NOT_STRUCTURE).lstrip(b")")
    opens = brackets.count(b"(")
    if 2 * opens - len(brackets) > limit or b"(" * (limit + 1) in brackets:
        return True
    # Close what is left open, then peel the innermost pairs: each pass lowers the depth by exactly one.
    brackets += b")" * opens
    for _ in range(limit):
        peeled = brackets.replace(b"()", b"")
        if len(peeled) == len(brackets):
            return False
        brackets = peeled
    return b"(" in brackets


def parse_json(data, lang="en"):
    """Decode and parse untrusted result text: size, encoding, emptiness, depth, NaN/Infinity."""
    text = _decode(data, lang)
    try:
        # An escaped backslash becomes a plain character: each backslash left starts an escape.
        unescaped = text.encode("utf-8").replace(b"\\\\", b"_")
    except UnicodeEncodeError:  # a lone surrogate in text handed over as a string
        raise error("not-text", lang) from None
    outside = _outside_strings(unescaped)
    # Pyodide's stack overflows (a fatal error) on deep JSON long before Python's recursion limit.
    if _deeper_than(outside, MAX_DEPTH):
        raise error("too-deep", lang)
    bad_numbers = []

    def constant(name):
        bad_numbers.append(name)
        raise ValueError(name)

    collecting = gc.isenabled()
    gc.disable()  # parsing makes no cycles; the collector would walk up to a million new lists again and again
    try:
        obj = json.loads(text, parse_constant=constant)
    except RecursionError:
        raise error("too-deep", lang) from None
    except (ValueError, OverflowError, MemoryError):
        raise error("bad-number" if bad_numbers else "not-json", lang) from None
    finally:
        if collecting:
            gc.enable()
    if _overflows(outside):
        raise error("bad-number", lang)
    if (b"\\ud" in unescaped or b"\\uD" in unescaped) and _LONE_SURROGATE_RE.search(unescaped):
        raise error("not-text", lang)  # \ud800 alone is not text that can be shown or saved
    return obj


def _overflows(outside) -> bool:
    """Whether a number outside the strings of (parsed) JSON is too large for a float.

    Checked on the text, not per value: a callback for every number costs a second in Pyodide on
    2 MiB of them. Quick searches first: only an exponent or 309 digits in a row can overflow.
    """
    letters = outside.replace(b"true", b"").replace(b"false", b"")
    if b"e" not in letters and b"E" not in letters and b"0" * 309 not in outside.translate(_DIGITS_AS_ZEROS):
        return False
    return any(map(math.isinf, map(float, _BIG_FLOAT_RE.findall(outside))))


def _need(obj, key, kind, lang, field=None):
    field = field or key
    if key not in obj:
        raise error("missing-field", lang, field=field)
    value = obj[key]
    if not _is(value, kind):
        raise error("bad-type", lang, field=field)
    return value


def _is(value, kind) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _text(value, field, limit, lang) -> str:
    if not isinstance(value, str):
        raise error("bad-type", lang, field=field)
    if len(value) > limit:
        raise error("too-long", lang, field=field, limit=limit)
    return value


def valid_date(value) -> bool:
    """True when ``value`` follows ``DATE_PATTERN`` and names a real moment (no 31 April, no 24:00)."""
    match = _DATE_RE.fullmatch(value)
    if not match:
        return False
    year, month, day, hour, minute, second, zone_h, zone_m = (int(g or 0) for g in match.groups())
    if zone_h > 23 or zone_m > 59:
        return False
    try:
        datetime(year, month, day, hour, minute, second, tzinfo=timezone(timedelta(hours=zone_h, minutes=zone_m)))
    except ValueError:
        return False
    return True


def _date(value, field, lang) -> str:
    _text(value, field, LIMITS["date"], lang)
    if not valid_date(value):
        raise error("bad-date", lang, field=field)
    return value


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:QUOTE]
    return text[:QUOTE] + ("…" if len(text) > QUOTE else "")


def _pick_definition(definitions, instrument_id, expected_id, lang):
    if isinstance(definitions, dict) and "themes" in definitions and "id" in definitions:
        definitions = {definitions["id"]: definitions}
        if expected_id is None:
            expected_id = next(iter(definitions))
    defn = definitions.get(instrument_id) if isinstance(instrument_id, str) else None
    if expected_id is not None and instrument_id != expected_id:
        expected = definitions.get(expected_id)
        expected_title = tr(expected.get("title"), lang) if expected else expected_id
        found_title = tr(defn.get("title"), lang) if defn else _short(instrument_id)
        raise error("other-questionnaire", lang, found=found_title, expected=expected_title)
    if defn is None:
        raise error("unknown-instrument", lang, id=_short(instrument_id))
    return defn


def changed_since(defn, version) -> set:
    """Ids whose answers from instrument ``version`` no longer hold: revised or retired after it."""
    changed = {st["id"] for theme in defn["themes"] for st in theme["statements"]
               if st.get("revised", 1) > version}
    changed |= {item["id"] for item in defn.get("retired", []) if item["version"] > version}
    return changed


def _answers(raw, defn, version, lang) -> tuple:
    """(answers kept, ids dropped): answers to statements changed since ``version`` are dropped.

    A dropped answer is checked only against every kind's answers (its statement may have changed
    kind), so a value that no statement ever took (0, 3.5, true, "NA") is still refused.
    """
    if not isinstance(raw, dict):
        raise error("bad-type", lang, field="answers")
    changed = changed_since(defn, version)
    dropped = [sid for sid in raw if sid in changed]
    for sid in dropped:
        if not any(is_accepted({"kind": kind}, raw[sid]) for kind in KINDS):
            raise error("bad-value", lang, id=str(sid)[:60])
    kept = {sid: value for sid, value in raw.items() if sid not in changed}
    index = {st["id"]: st for theme in defn["themes"] for st in theme["statements"]}
    for sid, value in kept.items():
        check_answer(sid, value, index, lang)
    return kept, dropped


def dropped_notice(defn, dropped, lang) -> str:
    """One sentence naming the dropped answers by theme and statement number (1 = first in its theme)."""
    numbers = {}
    for theme in defn["themes"]:
        for n, st in enumerate(theme["statements"], start=1):
            if st["id"] in dropped:
                numbers.setdefault(theme["id"], (tr(theme.get("title"), lang), []))[1].append(str(n))
    items = [message("notice.item", lang, theme=title, numbers=", ".join(nums)) for title, nums in numbers.values()]
    removed = len(dropped) - sum(len(nums) for _, nums in numbers.values())
    if removed:
        items.append(message("notice.removed", lang, n=removed))
    return message("notice.dropped", lang, n=len(dropped), items="; ".join(items))


def _notes(raw, theme_ids, lang) -> dict:
    if not isinstance(raw, dict):
        raise error("bad-type", lang, field="notes")
    notes = {}
    for tid, text in raw.items():
        if tid not in theme_ids:
            raise error("unknown-theme", lang, id=_short(tid))
        notes[tid] = _text(text, f"notes.{tid}", LIMITS["note"], lang)
    return notes


def _action_plan(raw, theme_ids, lang) -> list:
    if not isinstance(raw, list):
        raise error("bad-type", lang, field="action_plan")
    if len(raw) > LIMITS["rows"]:
        raise error("too-many-rows", lang, limit=LIMITS["rows"])
    rows = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            raise error("bad-type", lang, field=f"action_plan[{i + 1}]")
        clean = {}
        for key in PLAN_FIELDS:
            clean[key] = _text(row.get(key, ""), f"action_plan[{i + 1}].{key}", LIMITS["action"], lang)
        if clean["theme"] and clean["theme"] not in theme_ids:
            raise error("unknown-theme", lang, id=_short(clean["theme"]))
        rows.append(clean)
    return rows


def _migrate_v1(obj, lang) -> dict:
    instrument = _need(obj, "instrument", str, lang)
    saved = _date(_need(obj, "saved", str, lang), "saved", lang)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": "",
        # Format 1 existed only while every instrument was at version 1.
        "instrument": {"id": instrument, "version": 1},
        "language": obj.get("language"),
        "created": saved,
        "updated": saved,
        "label": "",
        "answers": obj.get("answers", {}),
        "notes": obj.get("notes", {}),
        "action_plan": [],
        "scores": {},
    }


def load_result(data, definitions, lang="en", expected_id=None) -> dict:
    """Check an untrusted result file and return it as format 2 of the current instrument version.

    ``definitions`` is ``{id: definition}`` or one definition (which is then the expected one).
    Every refusal is a ``ToolboxError`` with one sentence in ``lang``. Scores are computed afresh.
    """
    return read_result(data, definitions, lang, expected_id)[0]


def read_result(data, definitions, lang="en", expected_id=None) -> tuple:
    """``(result, migration)``: ``load_result``'s result, and what loading changed, kept apart from the file.

    ``migration`` is ``{"from_version", "dropped", "notices"}``: the instrument version the file
    was made with, the ids of answers dropped because their statements changed since, and
    sentences in ``lang`` that say so (empty when nothing was dropped). Never written to a file.
    """
    lang = norm_lang(lang)
    obj = parse_json(data, lang)
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise error("not-a-result", lang)
    version = _need(obj, "format_version", int, lang)
    if version > FORMAT_VERSION:
        raise error("newer-format", lang)
    if version < 1:
        raise error("bad-version", lang, field="format_version")
    if version == 1:
        obj = _migrate_v1(obj, lang)
    instrument = _need(obj, "instrument", dict, lang)
    iid = _need(instrument, "id", str, lang, "instrument.id")
    defn = _pick_definition(definitions, iid, expected_id, lang)
    current = defn.get("version", 1)
    iversion = instrument.get("version")
    if iversion is None:
        iversion = current
    elif not _is(iversion, int) or iversion < 1:
        raise error("bad-version", lang, field="instrument.version")
    elif iversion > current:
        raise error("newer-instrument", lang, found=iversion, current=current)
    language = _need(obj, "language", str, lang)
    if language not in LANGUAGES:
        raise error("bad-language", lang, value=_short(language))
    created = _date(_need(obj, "created", str, lang), "created", lang)
    updated = _date(_need(obj, "updated", str, lang), "updated", lang)
    generator = _text(obj.get("generator", ""), "generator", LIMITS["generator"], lang)
    label = _text(obj.get("label", ""), "label", LIMITS["label"], lang)
    if "scores" in obj and not isinstance(obj["scores"], dict):
        raise error("bad-type", lang, field="scores")
    theme_ids = {t["id"] for t in defn["themes"]}
    answers, dropped = _answers(_need(obj, "answers", dict, lang), defn, iversion, lang)
    notes = _notes(obj.get("notes", {}), theme_ids, lang)
    plan = _action_plan(obj.get("action_plan", []), theme_ids, lang)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": generator,
        "instrument": {"id": defn["id"], "version": current},
        "language": language,
        "created": created,
        "updated": updated,
        "label": label,
        "answers": answers,
        "notes": notes,
        "action_plan": plan,
        "scores": compact_scores(score(defn, answers, lang)),
    }, {
        "from_version": iversion,
        "dropped": dropped,
        "notices": [dropped_notice(defn, dropped, lang)] if dropped else [],
    }


# ---------------------------------------------------------------- the page's check


def page_rules(defn, lang="en") -> dict:
    """What the page's own check of a loaded file (``assets/toolbox/resultcheck.js``) needs, from here.

    The page checks files itself when Python is not (or not yet) running; with these rules it
    gives the same verdict and the same sentence as ``load_result``, and copies no constant.
    """
    lang = norm_lang(lang)
    texts = catalogue()
    templates = {**texts["en"], **texts.get(lang, {})}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "format_versions": list(range(1, FORMAT_VERSION + 1)),
        "max_bytes": MAX_BYTES,
        "max_depth": MAX_DEPTH,
        "limits": dict(LIMITS),
        "plan_fields": list(PLAN_FIELDS),
        "quote": QUOTE,
        "date_pattern": DATE_PATTERN,
        # Python's own rules that JavaScript does not share: the longest integer json.loads takes,
        # and the characters str.strip() removes (a file of only these is "empty").
        "int_max_str_digits": sys.get_int_max_str_digits(),
        "space": "".join(c for c in map(chr, range(0x3001)) if c.isspace()),
        "languages": list(LANGUAGES),
        "instrument": {"id": defn["id"], "version": defn.get("version", 1), "title": tr(defn.get("title"), lang)},
        "themes": [
            {"id": theme["id"], "title": tr(theme.get("title"), lang), "statements": [
                {"id": st["id"], "kind": st.get("kind", "agree"), "accepted": accepted_values(st),
                 "revised": st.get("revised", 1)}
                for st in theme["statements"]
            ]}
            for theme in defn["themes"]
        ],
        "retired": [dict(item) for item in defn.get("retired", [])],
        # What an answer to a statement changed since the file's version may be (any kind's answer).
        "any_accepted": _any_accepted(),
        "messages": {key: text for key, text in templates.items() if key.startswith(("error.", "notice."))},
    }


# ---------------------------------------------------------------- schema


def _any_accepted() -> list:
    """Every answer some kind of statement accepts, each once (``accepted_values`` over ``KINDS``)."""
    return list(dict.fromkeys(v for kind in KINDS for v in accepted_values({"kind": kind})))


def _answer_schema() -> dict:
    """Every answer any kind of statement accepts (``accepted_values``): whole numbers and words."""
    values = _any_accepted()
    numbers = sorted({v for v in values if isinstance(v, int)})
    words = sorted({v for v in values if isinstance(v, str)}, key=lambda v: (v == NA, v))
    return {"oneOf": [
        {"type": "integer", "minimum": numbers[0], "maximum": numbers[-1]},
        {"enum": words},
    ]}


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of the result files the loader reads: format 2, and format 1 it migrates.

    It accepts every file ``load_result`` accepts. It cannot say everything the loader checks (which
    statements and themes a questionnaire has, real calendar dates, 1.0 is not 1), so it refuses less.
    """
    text = {"type": "string"}
    ident = {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}
    date = {"type": "string", "maxLength": LIMITS["date"], "pattern": f"^(?:{DATE_PATTERN})$",
            "description": "date and time, RFC 3339 (e.g. 2026-03-09T16:20:05Z)"}
    answers = {
        "type": "object",
        "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$"},
        "additionalProperties": _answer_schema(),
    }
    notes = {
        "type": "object",
        "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$"},
        "additionalProperties": {**text, "maxLength": LIMITS["note"]},
    }
    format_2 = {
        "type": "object",
        "required": ["format", "format_version", "instrument", "language", "created", "updated", "answers"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "generator": {**text, "maxLength": LIMITS["generator"]},
            "instrument": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": ident,
                    "version": {"type": ["integer", "null"], "minimum": 1,
                                "description": "the questionnaire's version; missing or null: the current one"},
                },
            },
            "language": {"enum": list(LANGUAGES)},
            "created": date,
            "updated": date,
            "label": {**text, "maxLength": LIMITS["label"]},
            "answers": {**answers, "description": "Statement id to answer; which answers a statement takes depends on "
                                                  "its kind (agree: 1 to 5 or na; practice: no, partly, yes or na)"},
            "notes": notes,
            "action_plan": {
                "type": "array",
                "maxItems": LIMITS["rows"],
                "items": {
                    "type": "object",
                    "description": "a missing field is read as empty text",
                    "properties": {k: {**text, "maxLength": LIMITS["action"]} for k in PLAN_FIELDS},
                },
            },
            "scores": {"type": "object",
                       "description": "informative only, never read: the toolbox recomputes the scores from the answers"},
        },
    }
    format_1 = {
        "type": "object",
        "required": ["format", "format_version", "instrument", "language", "saved"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": 1},
            "instrument": ident,
            "language": {"enum": list(LANGUAGES)},
            "saved": date,
            "answers": answers,
            "notes": notes,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://memore-toolbox/result.schema.json",
        "title": "MeMoRe Toolbox result file",
        "description": "Answers, notes and action plan of one self-evaluation. Format 2 is written today; "
                       "format 1 files are still read (and migrated to format 2).",
        "type": "object",
        "required": ["format", "format_version"],
        "properties": {"format": {"const": FORMAT}, "format_version": {"enum": list(range(1, FORMAT_VERSION + 1))}},
        "oneOf": [{"$ref": "#/$defs/format-2"}, {"$ref": "#/$defs/format-1"}],
        "$defs": {"format-2": format_2, "format-1": format_1},
    }


__all__ = [
    "DATE_PATTERN",
    "FORMAT",
    "FORMAT_VERSION",
    "ToolboxError",
    "build_result",
    "changed_since",
    "dumps_result",
    "json_schema",
    "load_result",
    "page_rules",
    "parse_json",
    "read_result",
    "valid_date",
]
