"""Scoring: answers of every kind on the 1-5 scale, theme means, levels, advice and the overall picture."""

import math

from .errors import ToolboxError
from .messages import error, format_number, message, tr

LEVELS = ("starting", "developing", "established", "embedded")
BOUNDS = (2.0, 3.0, 4.0)  # lower bounds of developing, established, embedded
ADVICE_FOR_LEVEL = {"starting": "low", "developing": "middle", "established": "middle", "embedded": "high"}
NA = "na"
KINDS = ("agree", "practice")
AGREE_VALUES = (1, 2, 3, 4, 5)
# A practice ("in place: no / partly / yes") is scored on the same 1-5 scale as agreement, so both
# kinds feed the theme mean and the levels alike: no = 1, partly = 3 (the middle), yes = 5.
PRACTICE_SCORES = {"no": 1, "partly": 3, "yes": 5}


def kind_of(statement) -> str:
    """The statement's kind of answer: ``agree`` (the default) or ``practice``."""
    kind = statement.get("kind", "agree") if isinstance(statement, dict) else None
    if kind not in KINDS:
        raise error("bad-definition")
    return kind


def accepted_values(statement) -> list:
    """Every answer the statement accepts, ``"na"`` last: the one place that says so.

    ``[1, 2, 3, 4, 5, "na"]`` for an agreement statement, ``["no", "partly", "yes", "na"]`` for a
    practice. The form, the check of answers, the page's check data and the JSON Schema follow it.
    """
    if kind_of(statement) == "practice":
        return [*PRACTICE_SCORES, NA]
    return [*AGREE_VALUES, NA]


def is_accepted(statement, value) -> bool:
    """True when ``value`` is one of ``accepted_values(statement)`` with the same JSON type (1.0, True are not 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return False
    return value in accepted_values(statement)


def answer_score(statement, value):
    """The score of one answer on 1-5 (``None`` for ``"na"``); a reverse statement scores ``6 - score``."""
    if value == NA:
        return None
    base = PRACTICE_SCORES[value] if kind_of(statement) == "practice" else value
    return 6 - base if statement.get("reverse") else base


def level_for(mean):
    """The level name for a mean (``None`` when there is no mean); robust to float noise at the bounds."""
    if mean is None:
        return None
    m = round(mean, 9)
    if m < BOUNDS[0]:
        return "starting"
    if m < BOUNDS[1]:
        return "developing"
    if m < BOUNDS[2]:
        return "established"
    return "embedded"


def level_label(level, lang):
    """The level in words (``no answer yet`` for ``None``)."""
    return message(f"level.{level}" if level else "level.none", lang)


def mean_display(mean, lang):
    """One decimal, never rounded up across a level bound (3.96 shows 3.9, not a misleading 4.0)."""
    if mean is None:
        return message("level.none", lang)
    shown = round(mean, 1)
    m = round(mean, 9)
    for bound in BOUNDS:
        if m < bound <= shown:
            shown = bound - 0.1
    return format_number(shown, lang, 1)


def check_answer(sid, value, index, lang="en"):
    """Raise ``ToolboxError`` unless ``sid`` is in ``index`` (``{id: statement}``) and ``value`` is one it accepts."""
    if sid not in index:
        raise error("unknown-statement", lang, id=str(sid)[:60])
    statement = index[sid]
    if not is_accepted(statement, value):
        # One code for every kind; the sentence names the answers this statement takes.
        key = "error.bad-value-practice" if kind_of(statement) == "practice" else "error.bad-value"
        raise ToolboxError("bad-value", message(key, lang, id=str(sid)[:60]))


def _summary(values, answered, na, total, lang):
    # fsum: the same last digit on every Python (sum() of floats compensates from 3.12 on; Pyodide runs 3.14).
    mean = math.fsum(values) / len(values) if values else None
    level = level_for(mean)
    return {
        "mean": mean,
        "mean_display": mean_display(mean, lang),
        "level": level,
        "level_label": level_label(level, lang),
        "answered": answered,
        "na": na,
        "total": total,
        "coverage": (answered + na) / total if total else 0.0,
    }


def _ranked(themes, key_sign):
    with_mean = [(t["mean"] * key_sign, i, t["id"]) for i, t in enumerate(themes) if t["mean"] is not None]
    return [ident for _, _, ident in sorted(with_mean)]


def score(defn, answers, lang="en") -> dict:
    """Score ``answers`` (``{statement_id: value}``, values per ``accepted_values``; missing or ``None`` = unanswered)."""
    if not isinstance(answers, dict):
        raise error("bad-type", lang, field="answers")
    themes_def = defn["themes"]
    index = {st["id"]: st for theme in themes_def for st in theme["statements"]}
    for sid, value in answers.items():
        if value is not None:
            check_answer(sid, value, index, lang)
    themes = []
    all_answered = all_na = all_total = 0
    for theme in themes_def:
        values, na = [], 0
        for st in theme["statements"]:
            value = answers.get(st["id"])
            if value is None:
                continue
            if value == NA:
                na += 1
            else:
                values.append(answer_score(st, value))
        total = len(theme["statements"])
        row = {"id": theme["id"], "title": tr(theme.get("title"), lang), "group": theme.get("group")}
        row.update(_summary(values, len(values), na, total, lang))
        key = ADVICE_FOR_LEVEL.get(row["level"])
        row["advice_key"] = key
        row["advice"] = tr(theme.get("advice", {}).get(key), lang) if key else ""
        row["links"] = [dict(link) if isinstance(link, dict) else link for link in theme.get("links", [])]
        themes.append(row)
        all_answered += len(values)
        all_na += na
        all_total += total
    means = [t["mean"] for t in themes if t["mean"] is not None]
    overall = _summary(means, all_answered, all_na, all_total, lang)
    ranked = _ranked(themes, 1)
    return {
        "instrument": defn.get("id"),
        "version": defn.get("version"),
        "language": lang,
        "themes": themes,
        "overall": overall,
        "ranked": ranked,
        "weakest": ranked[:3],
        "strongest": _ranked(themes, -1)[:3],
    }


def compact_scores(scores) -> dict:
    """The figures stored in a result file: ``{theme_id: {mean, level, answered, na, total}, "overall": ...}``."""
    keys = ("mean", "level", "answered", "na", "total")
    out = {t["id"]: {k: t[k] for k in keys} for t in scores["themes"]}
    out["overall"] = {k: scores["overall"][k] for k in keys}
    return out
