"""Entry points for the page's JavaScript (through Pyodide): JSON strings in, JSON strings out."""

import contextlib
import functools
import inspect
import json
import sys
import traceback

from . import resultfile
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


def _definition(definition_json, lang) -> dict:
    try:
        defn = json.loads(definition_json) if isinstance(definition_json, str) else definition_json
    except ValueError:
        raise error("bad-definition", lang) from None
    if not isinstance(defn, dict) or not isinstance(defn.get("themes"), list) or not defn.get("id"):
        raise error("bad-definition", lang)
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


@_guarded
def compare(definition_json, state_json, files_json, lang) -> str:
    """One file: before (file) and now (page); two or more: the group of files. Bad files are listed."""
    defn = _definition(definition_json, lang)
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
            result, migration = resultfile.read_result(item.get("text"), defn, lang, expected_id=defn["id"])
            good.append(result)
            found.append((name, migration))
        except ToolboxError as exc:
            errors.append({"name": name, "code": exc.code, "message": exc.message})
    out = {"ok": True, "errors": errors, "count": len(good), "labels": [g["label"] for g in good],
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
    else:
        out.update(mode="none", rows=[], overall=None, radar_svg="", table_html="")
    return _out(out)


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


__all__ = ["evaluate", "load_result", "export_result", "compare", "scale_labels", "runtime_info"]
