"""Comparisons: one result before and after, and a group of results (mean, range, count).

Results may come from different versions of the instrument: a theme is comparable across them
when none of its statements was revised between the lowest and the highest of those versions.
"""

import math

from .messages import format_number, message
from .scoring import level_for, level_label, mean_display, score


def comparable_themes(defn, versions) -> dict:
    """``{theme_id: bool}``: True when no statement of the theme was revised after the lowest of
    ``versions`` (instrument versions of the results; ``None`` means the current version)."""
    current = defn.get("version", 1)
    known = [current if v is None else v for v in versions] or [current]
    low, high = min(known), max(known)
    return {theme["id"]: not any(low < st.get("revised", 1) <= high for st in theme["statements"])
            for theme in defn["themes"]}


def _delta(before, after):
    return after - before if before is not None and after is not None else None


def _pair_row(ident, title, b, a, lang):
    delta = _delta(b["mean"], a["mean"])
    return {
        "id": ident,
        "title": title,
        "before": b["mean"],
        "after": a["mean"],
        "delta": delta,
        "before_display": b["mean_display"],
        "after_display": a["mean_display"],
        "delta_display": format_number(delta, lang, 1, sign=True) if delta is not None else message("table.empty", lang),
        "before_level": b["level"],
        "after_level": a["level"],
    }


def compare_pair(defn, before_answers, after_answers, lang="en", versions=(None, None)) -> dict:
    """Per theme and overall: before, after and change (``None`` where either side has no mean).

    ``versions`` are the instrument versions of the two results; each row says whether its theme
    is ``comparable`` between them, and the overall row is comparable when every theme is.
    """
    before = score(defn, before_answers, lang)
    after = score(defn, after_answers, lang)
    comparable = comparable_themes(defn, versions)
    themes = [_pair_row(b["id"], b["title"], b, a, lang) for b, a in zip(before["themes"], after["themes"], strict=False)]
    overall = _pair_row("overall", message("table.overall", lang), before["overall"], after["overall"], lang)
    for row in themes:
        row["comparable"] = comparable[row["id"]]
    overall["comparable"] = all(comparable.values())
    return {"mode": "pair", "themes": themes, "overall": overall, "before": before, "after": after,
            "comparable": comparable}


def _group_row(ident, title, values, lang):
    mean = math.fsum(values) / len(values) if values else None  # as scoring: the same on every Python
    level = level_for(mean)
    empty = message("table.empty", lang)
    return {
        "id": ident,
        "title": title,
        "mean": mean,
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "count": len(values),
        "level": level,
        "level_label": level_label(level, lang),
        "mean_display": mean_display(mean, lang) if values else empty,
        "min_display": format_number(min(values), lang) if values else empty,
        "max_display": format_number(max(values), lang) if values else empty,
    }


def aggregate(defn, list_of_answers, lang="en") -> dict:
    """Per theme and overall over many results: mean of the results' means, lowest, highest, count."""
    scored = [score(defn, answers, lang) for answers in list_of_answers]
    return aggregate_scores(defn, scored, lang)


def aggregate_scores(defn, scored, lang="en", versions=()) -> dict:
    """Like ``aggregate`` but from score dicts already computed; ``versions`` as in ``comparable_themes``."""
    themes = []
    for i, theme in enumerate(scored[0]["themes"] if scored else []):
        values = [s["themes"][i]["mean"] for s in scored if s["themes"][i]["mean"] is not None]
        themes.append(_group_row(theme["id"], theme["title"], values, lang))
    if not scored:
        themes = [_group_row(t["id"], t["title"], [], lang) for t in score(defn, {}, lang)["themes"]]
    overall_values = [s["overall"]["mean"] for s in scored if s["overall"]["mean"] is not None]
    overall = _group_row("overall", message("table.overall", lang), overall_values, lang)
    comparable = comparable_themes(defn, list(versions))
    for row in themes:
        row["comparable"] = comparable[row["id"]]
    overall["comparable"] = all(comparable.values())
    return {"mode": "group", "themes": themes, "overall": overall, "count": len(scored), "comparable": comparable}
