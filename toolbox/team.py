"""A team's answers statement by statement, and one organisation's results over time.

Spread of ordinal answers: Leik's ordinal dispersion ``D`` (Leik 1966, "A measure of ordinal
consensus", Pacific Sociological Review 9(2)). With ``F_i`` the share of answers at or below option
``i`` of ``k`` ordered options, ``D = 2 * sum(min(F_i, 1 - F_i) for i < k) / (k - 1)``: 0 when everyone
gives the same answer, 1 when half give the lowest and half the highest. It uses only the order of
the options (no distances between "agree" and "strongly agree" are assumed), and its range does not
depend on ``k``, so the agreement scale (5 options) and practices (no / partly / yes) compare.
"Not applicable" is not a point on the scale: it is left out of the spread and counted on its own.
A statement needs two answers on its scale to have a spread.
"""

import re
from datetime import datetime, timedelta, timezone

from .compare import comparable_themes
from .messages import tr
from .resultfile import DATE_PATTERN
from .scoring import NA, accepted_values, kind_of, score

MIN_FOR_SPREAD = 2
_DATE_RE = re.compile(DATE_PATTERN)


def leik_dispersion(counts) -> float | None:
    """Leik's ``D`` for ``counts`` of the ordered options (lowest first); ``None`` below 2 answers."""
    total = sum(counts)
    if total < MIN_FOR_SPREAD or len(counts) < 2:
        return None
    running, acc = 0, 0.0
    for count in counts[:-1]:
        running += count
        share = running / total
        acc += min(share, 1 - share)
    return 2 * acc / (len(counts) - 1)


def _median_option(scale, counts):
    """The option in the middle of the answers (the lower middle for an even number), or None."""
    total = sum(counts)
    if not total:
        return None
    half, running = (total + 1) // 2, 0
    for option, count in zip(scale, counts, strict=False):
        running += count
        if running >= half:
            return option
    return None


def statement_distribution(defn, list_of_answers, lang="en") -> list:
    """Per statement (in the form's order): the count of each answer, not applicable, no answer, spread.

    ``list_of_answers`` holds one ``{statement_id: value}`` per person, already checked. Each row:
    ``id, theme, theme_title, number`` (1 = first in its theme), ``text, kind, scale`` (the options
    on the scale, lowest first), ``counts`` (per option of the scale), ``na, missing, answered`` and
    ``spread`` (Leik's D, or ``None``), ``median`` (an option, or ``None``), ``given`` (each person's
    answer or ``None``, in the order of ``list_of_answers``: only for the table of names).
    """
    rows = []
    people = len(list_of_answers)
    for theme in defn["themes"]:
        for number, st in enumerate(theme["statements"], start=1):
            scale = [v for v in accepted_values(st) if v != NA]
            given = [answers.get(st["id"]) for answers in list_of_answers]
            counts = [sum(1 for v in given if v == option and not isinstance(v, bool)) for option in scale]
            na = sum(1 for v in given if v == NA)
            answered = sum(counts)
            rows.append({
                "id": st["id"], "theme": theme["id"], "theme_title": tr(theme.get("title"), lang),
                "number": number, "text": tr(st.get("text"), lang), "kind": kind_of(st), "scale": scale,
                "counts": counts, "na": na, "missing": people - answered - na, "answered": answered,
                "spread": leik_dispersion(counts), "median": _median_option(scale, counts), "given": given,
            })
    return rows


def widest_spread(rows, limit=10) -> list:
    """The statements people disagree on most: widest spread first, then more answers, then form order."""
    ranked = [(-r["spread"], -r["answered"], i) for i, r in enumerate(rows) if r["spread"]]
    return [rows[i] for _, _, i in sorted(ranked)[:limit]]


# ---------------------------------------------------------------- over time

def date_key(text) -> tuple:
    """A sortable moment of a checked result date (``resultfile.DATE_PATTERN``); no zone is read as UTC."""
    m = _DATE_RE.fullmatch(text or "")
    if not m:
        return (1, 0.0)
    year, month, day, hour, minute, second, zone_h, zone_m = (int(g or 0) for g in m.groups())
    sign = -1 if re.search(r"[0-9]-[0-9]{2}:?[0-9]{2}$", text[10:]) else 1
    zone = timezone(sign * timedelta(hours=zone_h, minutes=zone_m))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return (1, 0.0)
    return (0, moment.timestamp())


def same_organisation(labels) -> bool:
    """True when every label is the same non-empty text (spaces and case aside)."""
    norm = {" ".join(str(label or "").split()).casefold() for label in labels}
    return len(norm) == 1 and "" not in norm


def trend(defn, results, versions, lang="en") -> dict:
    """One organisation's results in date order (``updated``, the moment the answers were last changed).

    ``results`` are loaded result dicts, ``versions`` the instrument version each was made with.
    Returns ``{"points": [{date, label, overall, themes: {id: mean}}], "themes": [{id, title,
    comparable}], "comparable": {...}}``; a theme is comparable when its statements did not change
    between the oldest and the newest version among the files.
    """
    order = sorted(range(len(results)), key=lambda i: (date_key(results[i]["updated"]), i))
    points = []
    for i in order:
        scores = score(defn, results[i]["answers"], lang)
        points.append({
            "date": results[i]["updated"][:10], "label": results[i]["label"],
            "overall": scores["overall"]["mean"],
            "themes": {t["id"]: t["mean"] for t in scores["themes"]},
            "version": versions[i],
        })
    comparable = comparable_themes(defn, list(versions))
    themes = [{"id": t["id"], "title": tr(t.get("title"), lang), "comparable": comparable[t["id"]]}
              for t in defn["themes"]]
    return {"points": points, "themes": themes, "comparable": comparable}

