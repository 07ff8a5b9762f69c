"""The network benchmark file: figures of many organisations' results, and nothing of any one of them.

A benchmark holds, per questionnaire and per theme (and overall), how many results had a mean
there, the mean of those means and their quartiles (``toolbox/BENCHMARK.md`` documents the
format). It holds no answer, label, note, date or file name. It is
made only from at least ``MIN_RESULTS`` results per questionnaire: figures of a smaller group
would show what a single member answered. A theme with fewer results with a mean than that gets
its count only. Loading treats the file as untrusted, exactly like a result file: the same
decoding and byte-level checks before parsing (``resultfile.parse_json``), then every field's
type and range; a text that does not name the format anywhere is refused before it is parsed.

Quartiles: linear interpolation between the closest ranks (Hyndman and Fan's type 7, what
spreadsheets' ``QUARTILE.INC`` and R's default give).
"""

import math

from . import __version__
from .compare import comparable_themes
from .errors import ToolboxError
from .messages import error, message, norm_lang, tr
from .resultfile import MAX_BYTES, parse_json
from .resultfile import _decode as decode_text
from .scoring import score

FORMAT = "memore-toolbox-benchmark"
FORMAT_VERSION = 1
MIN_RESULTS = 5
DECIMALS = 3
MAX_INSTRUMENTS = 50
STAT_KEYS = ("count", "mean", "q1", "median", "q3")
FIGURES = ("mean", "q1", "median", "q3")
TOP_KEYS = {"format", "format_version", "generator", "instruments"}
INSTRUMENT_KEYS = {"id", "version", "count", "overall", "themes"}


def quantile(sorted_values, p) -> float:
    """The ``p`` quantile (0..1) of ascending ``sorted_values`` by linear interpolation (type 7)."""
    h = (len(sorted_values) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (h - low) * (sorted_values[high] - sorted_values[low])


def summary(values) -> dict:
    """``{count, mean, q1, median, q3}`` of ``values``; the figures are ``None`` below ``MIN_RESULTS``."""
    if len(values) < MIN_RESULTS:
        return {"count": len(values), "mean": None, "q1": None, "median": None, "q3": None}
    ordered = sorted(values)
    figures = (math.fsum(ordered) / len(ordered), quantile(ordered, .25), quantile(ordered, .5), quantile(ordered, .75))
    return {"count": len(values), **{k: round(v, DECIMALS) for k, v in zip(FIGURES, figures, strict=False)}}


def build_benchmark(definitions, loaded, lang="en") -> dict:
    """The benchmark of ``loaded``: ``[(result, from_version)]`` as ``resultfile.read_result`` gives them.

    A result counts for a theme only when the theme's statements have not changed since the
    version the result was made with (``compare.comparable_themes``). Raises ``ToolboxError``
    ``too-few-results`` when a questionnaire has fewer than ``MIN_RESULTS`` results.
    """
    lang = norm_lang(lang)
    groups = {}
    for result, version in loaded:
        groups.setdefault(result["instrument"]["id"], []).append((result, version))
    if not groups:
        raise error("too-few-results", lang, n=0, min=MIN_RESULTS, title="–")
    instruments = []
    for ident in sorted(groups):
        defn = definitions[ident]
        group = groups[ident]
        if len(group) < MIN_RESULTS:
            raise error("too-few-results", lang, n=len(group), min=MIN_RESULTS, title=tr(defn.get("title"), lang))
        per_theme = {t["id"]: [] for t in defn["themes"]}
        overall = []
        for result, version in group:
            scores = score(defn, result["answers"], lang)
            comparable = comparable_themes(defn, [version, None])
            for theme in scores["themes"]:
                if theme["mean"] is not None and comparable[theme["id"]]:
                    per_theme[theme["id"]].append(theme["mean"])
            if scores["overall"]["mean"] is not None and all(comparable.values()):
                overall.append(scores["overall"]["mean"])
        instruments.append({
            "id": ident, "version": defn.get("version", 1), "count": len(group),
            "overall": summary(overall),
            "themes": {tid: summary(values) for tid, values in per_theme.items()},
        })
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "generator": f"MeMoRe Toolbox {__version__}",
            "instruments": instruments}


# ---------------------------------------------------------------- loading (untrusted)


def _field(value, field, lang):
    if not isinstance(value, dict):
        raise error("bad-type", lang, field=field)
    return value


def _whole(value, field, lang, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise error("bad-type", lang, field=field)
    return value


def _known_keys(obj, allowed, where, lang):
    for key in obj:
        if key not in allowed:
            raise error("unknown-field", lang, field=(where + "." if where else "") + str(key)[:60])


def _stats(obj, field, limit, lang) -> dict:
    """One ``{count, mean, q1, median, q3}``: figures on 1..5 in order, or all ``null`` below ``MIN_RESULTS``."""
    _field(obj, field, lang)
    _known_keys(obj, set(STAT_KEYS), field, lang)
    for key in STAT_KEYS:
        if key not in obj:
            raise error("missing-field", lang, field=f"{field}.{key}")
    count = _whole(obj["count"], f"{field}.count", lang, 0)
    if count > limit:
        raise error("bad-benchmark", lang, field=f"{field}.count")
    values = [obj[k] for k in FIGURES]
    if count < MIN_RESULTS:
        if any(v is not None for v in values):
            raise error("bad-benchmark", lang, field=field)
        return {"count": count, "mean": None, "q1": None, "median": None, "q3": None}
    for key, value in zip(FIGURES, values, strict=False):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 5:
            raise error("bad-type", lang, field=f"{field}.{key}")
    if not obj["q1"] <= obj["median"] <= obj["q3"]:
        raise error("bad-benchmark", lang, field=field)
    return {"count": count, **{k: float(obj[k]) for k in FIGURES}}


# Refusals worded for a network file where the result file's sentence would mislead (same codes).
OWN_WORDS = ("too-large", "too-deep", "not-json", "not-text")


def load_benchmark(data, defn, lang="en") -> dict:
    """Check an untrusted benchmark file and return the figures for the questionnaire ``defn``.

    ``{"version", "count", "overall", "themes": {theme_id: stats}, "comparable": {theme_id: bool}}``;
    every refusal is a ``ToolboxError`` with one sentence in ``lang``. Themes the file does not
    have are missing from ``themes``; a theme whose statements changed since the file's version
    of the questionnaire is marked not comparable.
    """
    lang = norm_lang(lang)
    try:
        text = decode_text(data, lang)
        # A text without the format's name cannot be a benchmark: refused before parsing, so a
        # result file (even one built to be slow to parse) costs one search, not a parse.
        if FORMAT not in text:
            raise error("not-a-benchmark", lang)
        obj = parse_json(text, lang)
    except ToolboxError as exc:
        if exc.code in OWN_WORDS:
            raise ToolboxError(exc.code, message(f"error.benchmark.{exc.code}", lang)) from None
        raise
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise error("not-a-benchmark", lang)
    _known_keys(obj, TOP_KEYS, "", lang)
    if "format_version" not in obj:
        raise error("missing-field", lang, field="format_version")
    version = obj["format_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise error("bad-version", lang, field="format_version")
    if version > FORMAT_VERSION:
        raise error("newer-format", lang)
    generator = obj.get("generator", "")
    if not isinstance(generator, str) or len(generator) > 200:
        raise error("bad-type", lang, field="generator")
    if "instruments" not in obj:
        raise error("missing-field", lang, field="instruments")
    instruments = obj["instruments"]
    if not isinstance(instruments, list) or len(instruments) > MAX_INSTRUMENTS:
        raise error("bad-type", lang, field="instruments")
    found = None
    for i, item in enumerate(instruments):
        where = f"instruments[{i + 1}]"
        _field(item, where, lang)
        _known_keys(item, INSTRUMENT_KEYS, where, lang)
        for key in sorted(INSTRUMENT_KEYS):
            if key not in item:
                raise error("missing-field", lang, field=f"{where}.{key}")
        if not isinstance(item["id"], str):
            raise error("bad-type", lang, field=f"{where}.id")
        _whole(item["version"], f"{where}.version", lang, 1)
        count = _whole(item["count"], f"{where}.count", lang, 0)
        if count < MIN_RESULTS:
            raise error("bad-benchmark", lang, field=f"{where}.count")
        _field(item["themes"], f"{where}.themes", lang)
        if item["id"] == defn["id"]:
            if found is not None:
                raise error("bad-benchmark", lang, field=f"{where}.id")
            found = (where, item)
    title = tr(defn.get("title"), lang)
    if found is None:
        raise error("benchmark-no-instrument", lang, title=title)
    where, item = found
    current = defn.get("version", 1)
    if item["version"] > current:
        raise error("newer-instrument", lang, found=item["version"], current=current)
    theme_ids = [t["id"] for t in defn["themes"]]
    themes = {}
    for tid, stats in item["themes"].items():
        if tid not in theme_ids:
            raise ToolboxError("unknown-theme", message("error.benchmark.unknown-theme", lang, id=str(tid)[:60]))
        themes[tid] = _stats(stats, f"{where}.themes.{tid}", item["count"], lang)
    return {
        "version": item["version"], "count": item["count"],
        "overall": _stats(item["overall"], f"{where}.overall", item["count"], lang),
        "themes": themes,
        "comparable": comparable_themes(defn, [item["version"], None]),
    }


def position(mean, stats) -> str | None:
    """Where ``mean`` stands among the network: ``below`` the lower quartile, ``lower`` half of the
    middle, ``upper`` half, ``above`` the upper quartile (a tie counts as inside); ``None`` without both."""
    if mean is None or stats is None or stats.get("median") is None:
        return None
    m = round(mean, 9)
    if m < stats["q1"]:
        return "below"
    if m > stats["q3"]:
        return "above"
    return "lower" if m < stats["median"] else "upper"


def standing(defn, bench, answers, lang="en") -> dict:
    """Per theme and overall: your mean beside the network's figures, and where you stand."""
    scores = score(defn, answers, lang)
    rows = []
    for theme in scores["themes"]:
        stats = bench["themes"].get(theme["id"])
        rows.append({"id": theme["id"], "title": theme["title"], "mean": theme["mean"],
                     "mean_display": theme["mean_display"], "stats": stats,
                     "comparable": bench["comparable"][theme["id"]],
                     "position": position(theme["mean"], stats)})
    o = scores["overall"]
    overall = {"id": "overall", "title": message("table.overall", lang), "mean": o["mean"],
               "mean_display": o["mean_display"], "stats": bench["overall"],
               "comparable": all(bench["comparable"].values()), "position": position(o["mean"], bench["overall"])}
    return {"themes": rows, "overall": overall, "count": bench["count"]}


# ---------------------------------------------------------------- schema


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of benchmark files: every field named, nothing else allowed."""
    figure = {"type": ["number", "null"], "minimum": 1, "maximum": 5}
    stats = {
        "type": "object",
        "description": f"figures of the results with a mean here; all four are null when count is below {MIN_RESULTS}",
        "required": list(STAT_KEYS),
        "additionalProperties": False,
        "properties": {"count": {"type": "integer", "minimum": 0}, **{k: figure for k in FIGURES}},
    }
    instrument = {
        "type": "object",
        "required": ["id", "version", "count", "overall", "themes"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
            "version": {"type": "integer", "minimum": 1},
            "count": {"type": "integer", "minimum": MIN_RESULTS,
                      "description": "results the figures were made from (never fewer than five)"},
            "overall": {"$ref": "#/$defs/stats"},
            "themes": {"type": "object", "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$"},
                       "additionalProperties": {"$ref": "#/$defs/stats"}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://memore-toolbox/benchmark.schema.json",
        "title": "MeMoRe Toolbox network benchmark",
        "description": "Per questionnaire, theme and overall: count, mean and quartiles of many organisations' "
                       "theme means. No answer, label, note, date or file name of anyone.",
        "type": "object",
        "required": ["format", "format_version", "instruments"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "generator": {"type": "string", "maxLength": 200},
            "instruments": {"type": "array", "maxItems": MAX_INSTRUMENTS, "items": {"$ref": "#/$defs/instrument"}},
        },
        "$defs": {"stats": stats, "instrument": instrument},
    }


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_BYTES",
    "MIN_RESULTS",
    "ToolboxError",
    "build_benchmark",
    "json_schema",
    "load_benchmark",
    "position",
    "quantile",
    "standing",
    "summary",
]
