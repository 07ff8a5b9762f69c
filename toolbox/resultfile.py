"""The result file: build, write, and load untrusted files safely (format 2; format 1 is migrated)."""

import gc
import json
import math
import re
from datetime import datetime

from . import __version__
from .errors import ToolboxError
from .messages import LANGUAGES, error, norm_lang, tr
from .scoring import NA, check_answer, compact_scores, score

FORMAT = "memore-toolbox-result"
FORMAT_VERSION = 2
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20
LIMITS = {"label": 200, "note": 5000, "action": 1000, "rows": 100, "generator": 200, "date": 40}
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
    return {k: str(row.get(k) or "") for k in ("theme", "action", "who", "when")}


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


def _date(value, field, lang) -> str:
    _text(value, field, LIMITS["date"], lang)
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise error("bad-date", lang, field=field) from None
    return value


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:60]
    return text[:60] + ("…" if len(text) > 60 else "")


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


def _answers(raw, defn, lang) -> dict:
    if not isinstance(raw, dict):
        raise error("bad-type", lang, field="answers")
    index = {st["id"]: st for theme in defn["themes"] for st in theme["statements"]}
    for sid, value in raw.items():
        check_answer(sid, value, index, lang)
    return dict(raw)


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
        for key in ("theme", "action", "who", "when"):
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
        "instrument": {"id": instrument, "version": None},
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
    """Check an untrusted result file and return it as format 2 with freshly computed scores.

    ``definitions`` is ``{id: definition}`` or one definition (which is then the expected one).
    Every refusal is a ``ToolboxError`` with one sentence in ``lang``.
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
    iversion = instrument.get("version")
    if iversion is None:
        iversion = defn.get("version", 1)
    elif not _is(iversion, int) or iversion < 1:
        raise error("bad-version", lang, field="instrument.version")
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
    answers = _answers(_need(obj, "answers", dict, lang), defn, lang)
    notes = _notes(obj.get("notes", {}), theme_ids, lang)
    plan = _action_plan(obj.get("action_plan", []), theme_ids, lang)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": generator,
        "instrument": {"id": defn["id"], "version": iversion},
        "language": language,
        "created": created,
        "updated": updated,
        "label": label,
        "answers": answers,
        "notes": notes,
        "action_plan": plan,
        "scores": compact_scores(score(defn, answers, lang)),
    }


# ---------------------------------------------------------------- schema


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of result files in format 2."""
    text = {"type": "string"}
    figures = {
        "type": "object",
        "required": ["mean", "level", "answered", "na", "total"],
        "properties": {
            "mean": {"type": ["number", "null"], "minimum": 1, "maximum": 5},
            "level": {"enum": ["starting", "developing", "established", "embedded", None]},
            "answered": {"type": "integer", "minimum": 0},
            "na": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 0},
        },
    }
    date = {"type": "string", "maxLength": LIMITS["date"], "description": "ISO 8601 date and time, UTC"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://memore-toolbox/result.schema.json",
        "title": "MeMoRe Toolbox result file",
        "description": "Answers, notes and action plan of one self-evaluation. Scores are informative only: "
                       "the toolbox always recomputes them from the answers.",
        "type": "object",
        "required": ["format", "format_version", "instrument", "language", "created", "updated", "answers"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "generator": {**text, "maxLength": LIMITS["generator"]},
            "instrument": {
                "type": "object",
                "required": ["id", "version"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                    "version": {"type": "integer", "minimum": 1},
                },
            },
            "language": {"enum": list(LANGUAGES)},
            "created": date,
            "updated": date,
            "label": {**text, "maxLength": LIMITS["label"]},
            "answers": {
                "type": "object",
                "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$"},
                "additionalProperties": {"oneOf": [
                    {"type": "integer", "minimum": 1, "maximum": 5},
                    {"const": NA},
                ]},
            },
            "notes": {
                "type": "object",
                "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$"},
                "additionalProperties": {**text, "maxLength": LIMITS["note"]},
            },
            "action_plan": {
                "type": "array",
                "maxItems": LIMITS["rows"],
                "items": {
                    "type": "object",
                    "required": ["theme", "action"],
                    "properties": {k: {**text, "maxLength": LIMITS["action"]} for k in ("theme", "action", "who", "when")},
                },
            },
            "scores": {"type": "object", "additionalProperties": figures},
        },
    }


__all__ = ["FORMAT", "FORMAT_VERSION", "build_result", "dumps_result", "load_result", "parse_json", "json_schema",
           "ToolboxError"]
