"""Entry points for the page's JavaScript (through Pyodide): JSON strings in, JSON strings out."""

import contextlib
import functools
import inspect
import json
import sys
import traceback

from . import benchmark as bench
from . import csvimport, resultfile, team, teamcharts
from .charts import bars_svg, compare_table_html, group_table_html, radar_group_svg, radar_svg, table_html
from .compare import aggregate_scores, compare_pair
from .errors import ToolboxError
from .messages import error, message, norm_lang
from .scoring import score


def _out(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def _fail(exc, lang) -> str:
    if not isinstance(exc, ToolboxError):
        exc = error("internal", lang)
    return _out({"ok": False, "code": exc.code, "message": exc.message})


def _guarded(func):
    """Normalise the ``lang`` argument and turn any failure into ``{"ok": false, "code", "message"}``.

    An unexpected exception also logs its traceback to stderr; a refusal (``ToolboxError``) does not.
    """
    position = list(inspect.signature(func).parameters).index("lang")

    @functools.wraps(func)
    def wrapper(*args):
        args = list(args)
        args[position] = lang = norm_lang(args[position])
        try:
            return func(*args)
        except Exception as exc:  # the page gets one sentence, never a traceback
            if not isinstance(exc, ToolboxError):
                # A fault of the engine, not of the visitor's file: whoever debugs it needs the
                # traceback, so it goes to stderr (the browser's console under Pyodide).
                with contextlib.suppress(Exception):
                    traceback.print_exc(file=sys.stderr)
            return _fail(exc, lang)

    return wrapper


# The page sends the same definition text with every call: parsed once and kept, keyed by that
# text, so a rescore does not parse it again. Nothing in the engine changes a definition it is given.
_PARSED: dict[str, dict] = {}
_PARSED_MAX = 8


def _definition(definition_json, lang) -> dict:
    if isinstance(definition_json, str) and definition_json in _PARSED:
        return _PARSED[definition_json]
    try:
        defn = json.loads(definition_json) if isinstance(definition_json, str) else definition_json
    except ValueError:
        raise error("bad-definition", lang) from None
    if not isinstance(defn, dict) or not isinstance(defn.get("themes"), list) or not defn.get("id"):
        raise error("bad-definition", lang)
    if isinstance(definition_json, str):
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[definition_json] = defn
    return defn


def _state(state_json, lang) -> dict:
    try:
        state = json.loads(state_json) if isinstance(state_json, str) else (state_json or {})
    except ValueError:
        raise error("bad-input", lang) from None
    if not isinstance(state, dict):
        raise error("bad-input", lang)
    answers = state.get("answers") or {}
    if not isinstance(answers, dict):
        raise error("bad-type", lang, field="answers")
    state = dict(state)
    state["answers"] = {k: v for k, v in answers.items() if v is not None and v != ""}
    return state


def _uid(defn, part) -> str:
    return f"mt-{defn['id']}-{part}"


@_guarded
def evaluate(definition_json, state_json, lang) -> str:
    """Scores, advice, both charts and the table for the current answers."""
    defn = _definition(definition_json, lang)
    scores = score(defn, _state(state_json, lang)["answers"], lang)
    return _out({
        "ok": True,
        "overall": scores["overall"],
        "themes": scores["themes"],
        "weakest": scores["weakest"],
        "strongest": scores["strongest"],
        "ranked": scores["ranked"],
        "radar_svg": radar_svg(defn, lang, [scores], uid=_uid(defn, "radar")),
        "bars_svg": bars_svg(defn, lang, scores, uid=_uid(defn, "bars")),
        "table_html": table_html(defn, lang, scores),
    })


@_guarded
def load_result(text, definition_json, lang) -> str:
    """Check a result file chosen by the visitor; ``{"ok": true, "state", "language", "notices"}`` or the refusal.

    ``notices`` are sentences to show (answers dropped because their statements changed since the
    file's version); they are not part of the state, so they are never saved or downloaded.
    """
    defn = _definition(definition_json, lang)
    result, migration = resultfile.read_result(text, defn, lang, expected_id=defn["id"])
    keys = ("answers", "notes", "action_plan", "label", "created", "updated")
    return _out({"ok": True, "state": {k: result[k] for k in keys}, "language": result["language"],
                 "notices": migration["notices"]})


@_guarded
def export_result(definition_json, state_json, lang, now_iso) -> str:
    """The text of the result file to download (raises nothing: refusals come back as JSON)."""
    defn = _definition(definition_json, lang)
    return resultfile.dumps_result(defn, _state(state_json, lang), lang, now_iso)


def _options(options_json, lang) -> dict:
    """The view's choices: ``show_names`` (bool) and ``over_time`` (bool, or ``None``: decide from the labels)."""
    try:
        options = json.loads(options_json) if isinstance(options_json, str) else (options_json or {})
    except ValueError:
        raise error("bad-input", lang) from None
    if not isinstance(options, dict):
        raise error("bad-input", lang)
    over_time = options.get("over_time")
    return {"show_names": options.get("show_names") is True,
            "over_time": over_time if isinstance(over_time, bool) else None}


def _team_view(defn, good, names, lang, show_names) -> dict:
    """Per theme: the bars and table of how people answered; the statements with the widest spread."""
    rows = team.statement_distribution(defn, [g["answers"] for g in good], lang)
    themes = []
    for theme in defn["themes"]:
        mine = [r for r in rows if r["theme"] == theme["id"]]
        title = mine[0]["theme_title"] if mine else theme["id"]
        item = {"id": theme["id"], "title": title,
                "svg": teamcharts.team_theme_svg(title, mine, len(good), lang,
                                                 uid=_uid(defn, f"team-{theme['id']}")),
                "table_html": teamcharts.team_table_html(title, mine, lang)}
        if show_names:
            item["names_html"] = teamcharts.names_table_html(title, mine, names, lang)
        themes.append(item)
    ranked = team.widest_spread(rows)
    keep = ("id", "theme", "number", "kind", "scale", "counts", "na", "missing", "answered", "spread", "median")
    return {"themes": themes, "disagree_html": teamcharts.disagree_html(ranked, lang),
            "disagree": [r["id"] for r in ranked],
            "statements": [{k: r[k] for k in keep} for r in rows]}


@_guarded
def compare(definition_json, state_json, files_json, lang, options_json="{}") -> str:
    """One file: before (file) and now (page); two or more: the group of files, how its people
    answered each statement (``team``) and, for one organisation's files, the trend over time
    (``trend``). Bad files are listed. File labels come back only when ``options.show_names``."""
    defn = _definition(definition_json, lang)
    options = _options(options_json, lang)
    state = _state(state_json, lang)
    try:
        files = json.loads(files_json) if isinstance(files_json, str) else files_json
    except ValueError:
        raise error("bad-input", lang) from None
    if not isinstance(files, list):
        raise error("bad-input", lang)
    good, found, errors = [], [], []
    for item in files:
        name = str(item.get("name", "")) if isinstance(item, dict) else ""
        try:
            if not isinstance(item, dict):
                raise error("bad-input", lang)
            for where, result, migration in _results_of(item, name, defn, lang, errors):
                good.append(result)
                found.append((where, migration))
        except ToolboxError as exc:
            errors.append({"name": name, "code": exc.code, "message": exc.message})
    labels = [g["label"] for g in good]
    # Anonymous unless asked: the page never receives the labels it is not to show.
    out = {"ok": True, "errors": errors, "count": len(good), "labels": labels if options["show_names"] else [],
           "show_names": options["show_names"],
           "notices": [{"name": n, "message": m} for n, migration in found for m in migration["notices"]]}
    if len(good) == 1:
        pair = compare_pair(defn, good[0]["answers"], state["answers"], lang, versions=(found[0][1]["from_version"], None))
        out.update(mode="pair", rows=pair["themes"], overall=pair["overall"],
                   radar_svg=radar_svg(defn, lang, [pair["before"], pair["after"]], uid=_uid(defn, "compare")),
                   table_html=compare_table_html(defn, lang, pair))
    elif good:
        group = aggregate_scores(defn, [score(defn, g["answers"], lang) for g in good], lang,
                                 versions=[migration["from_version"] for _, migration in found])
        out.update(mode="group", rows=group["themes"], overall=group["overall"],
                   radar_svg=radar_group_svg(defn, lang, group, uid=_uid(defn, "group")),
                   table_html=group_table_html(defn, lang, group))
        names = [g["label"].strip() or n or message("team.person", lang, n=i + 1)
                 for i, (g, (n, _)) in enumerate(zip(good, found, strict=False))]
        out["team"] = _team_view(defn, good, names, lang, options["show_names"])
        same = team.same_organisation(labels)
        over_time = same if options["over_time"] is None else options["over_time"]
        out.update(same_organisation=same, over_time=bool(over_time and len(good) >= 3))
        if out["over_time"]:
            data = team.trend(defn, good, [m["from_version"] for _, m in found], lang)
            out["trend"] = {"svg": teamcharts.trend_svg(defn, data, lang, uid=_uid(defn, "trend")),
                            "table_html": teamcharts.trend_table_html(defn, data, lang),
                            "dates": [p["date"] for p in data["points"]]}
    else:
        out.update(mode="none", rows=[], overall=None, radar_svg="", table_html="")
    return _out(out)


def _results_of(item, name, defn, lang, errors) -> list:
    """``[(name, result, migration)]``: one result file, or each submission of a Kobo/ODK CSV export.

    A CSV's skipped rows go into ``errors``, each named by its row (``export.csv, row 7``).
    """
    if not name.lower().endswith(".csv"):
        return [(name, *resultfile.read_result(item.get("text"), defn, lang, expected_id=defn["id"]))]
    export = csvimport.read_export(item.get("text"), defn, lang)
    errors.extend({"name": csvimport.row_name(name, p["row"], lang), "code": p["code"], "message": p["message"]}
                  for p in export["problems"])
    return [(csvimport.row_name(name, s["row"], lang), s["result"], s["migration"]) for s in export["submissions"]]


@_guarded
def benchmark(definition_json, state_json, text, lang) -> str:
    """A network benchmark file chosen by the visitor, beside the current answers: per theme the
    visitor's mean against the network's quartiles (picture and table), or the refusal."""
    defn = _definition(definition_json, lang)
    state = _state(state_json, lang)
    figures = bench.load_benchmark(text, defn, lang)
    data = bench.standing(defn, figures, state["answers"], lang)
    rows = [{"id": r["id"], "mean": r["mean"], "position": r["position"], "comparable": r["comparable"],
             "stats": r["stats"]} for r in [*data["themes"], data["overall"]]]
    return _out({"ok": True, "count": figures["count"], "version": figures["version"], "rows": rows,
                 "svg": teamcharts.standing_svg(defn, data, lang, uid=_uid(defn, "bench")),
                 "table_html": teamcharts.standing_table_html(defn, data, lang)})


def scale_labels(lang) -> str:
    """The answers in words: ``{"1": ..., ..., "5": ..., "na": ..., "no": ..., "partly": ..., "yes": ...}``."""
    lang = norm_lang(lang)
    labels = {k: message(f"scale.{k}", lang) for k in ("1", "2", "3", "4", "5", "na")}
    labels.update({k: message(f"practice.{k}", lang) for k in ("no", "partly", "yes")})
    return _out(labels)


def runtime_info() -> str:
    """What runs: ``{"python": "3.14.0", "toolbox": "0.1.0", "check": 15}`` (``check``: a tiny
    computation, the 1-5 scale summed). The page words it in its own language."""
    from . import __version__

    python = ".".join(str(part) for part in sys.version_info[:3])
    return _out({"python": python, "toolbox": __version__, "check": sum(range(1, 6))})


__all__ = ["benchmark", "compare", "evaluate", "export_result", "load_result", "runtime_info", "scale_labels"]
