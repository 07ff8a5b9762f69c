"""Real-looking result files, seeded and deterministic: teams, networks and one organisation over time.

The model: an organisation has a true level per theme (1-5); each person in its team sees it
through their own mood (a lean up or down for all themes) and their own view of some themes
(people disagree more on some themes than others), plus a little noise per statement; a few
statements are contentious (much more noise). A person says "not applicable" now and then, and
leaves a statement open more rarely. Reverse-worded statements are answered reversed. Practices
(no / partly / yes) follow the same level. Networks are many organisations, each with its own
levels, answered by one coordinator. Every random choice comes from ``random.Random(seed)``.

Used by the tests, and by ``scripts/bench_team.py`` (it puts this folder on ``sys.path``).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from toolbox.resultfile import dumps_result
from toolbox.scoring import kind_of

BASE_DATE = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _clip(value, low=1, high=5):
    return max(low, min(high, value))


def _answer(rng, statement, level, noise, na_rate, skip_rate):
    roll = rng.random()
    if roll < skip_rate:
        return None
    if roll < skip_rate + na_rate:
        return "na"
    seen = level + rng.gauss(0, noise)
    if statement.get("reverse"):
        seen = 6 - seen
    if kind_of(statement) == "practice":
        return "no" if seen < 2.4 else "partly" if seen < 3.8 else "yes"
    return int(_clip(round(seen)))


def organisation_levels(defn, rng, centre=3.2, spread=0.8) -> dict:
    """A true level per theme of one organisation: its own overall level, and themes around it."""
    own = _clip(rng.gauss(centre, spread), 1.3, 4.7)
    return {theme["id"]: _clip(rng.gauss(own, 0.6), 1.0, 5.0) for theme in defn["themes"]}


def person_answers(defn, levels, rng, mood=0.0, views=None, contentious=(), na_rate=0.05, skip_rate=0.02):
    """One person's answers to every statement, given the organisation's ``levels``."""
    views = views or {}
    answers = {}
    for theme in defn["themes"]:
        level = levels[theme["id"]] + mood + views.get(theme["id"], 0.0)
        for st in theme["statements"]:
            noise = 1.6 if st["id"] in contentious else 0.55
            value = _answer(rng, st, level, noise, na_rate, skip_rate)
            if value is not None:
                answers[st["id"]] = value
    return answers


def _result(defn, answers, label, when, lang="en") -> str:
    state = {"answers": answers, "label": label, "created": when}
    return dumps_result(defn, state, lang, when)


def _iso(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def team(defn, size, seed, label="", lang="en") -> list[str]:
    """The result files (texts) of a team of ``size`` people (3-12) of one organisation."""
    if not 3 <= size <= 12:
        raise ValueError("a team has 3 to 12 people")
    rng = random.Random(f"team:{defn['id']}:{size}:{seed}")
    levels = organisation_levels(defn, rng)
    statements = [st["id"] for theme in defn["themes"] for st in theme["statements"]]
    contentious = set(rng.sample(statements, max(2, len(statements) // 10)))
    # People disagree more about some themes: each person's view of those themes is shifted.
    split_themes = rng.sample([t["id"] for t in defn["themes"]], max(1, len(defn["themes"]) // 4))
    files = []
    for person in range(size):
        views = {tid: rng.gauss(0, 1.1) for tid in split_themes}
        answers = person_answers(defn, levels, rng, mood=rng.gauss(0, 0.35), views=views, contentious=contentious)
        when = _iso(BASE_DATE + timedelta(hours=person * 3 + rng.randint(0, 2)))
        person_label = f"{label} {person + 1}".strip() if label else ""
        files.append(_result(defn, answers, person_label, when, lang))
    return files


def network(defn, size, seed, lang="en") -> list[str]:
    """One result file per organisation of a network of ``size`` (5-200) organisations."""
    if not 5 <= size <= 200:
        raise ValueError("a network has 5 to 200 organisations")
    rng = random.Random(f"network:{defn['id']}:{size}:{seed}")
    files = []
    for org in range(size):
        levels = organisation_levels(defn, rng)
        answers = person_answers(defn, levels, rng, mood=rng.gauss(0, 0.2), na_rate=0.06)
        when = _iso(BASE_DATE + timedelta(days=rng.randint(0, 365)))
        files.append(_result(defn, answers, f"Organisation {org + 1}", when, lang))
    return files


def history(defn, readings, seed, label="Our organisation", lang="en", gain=0.35) -> list[str]:
    """``readings`` results of one organisation, a year apart, its levels rising by about ``gain`` a year.

    Returned in a shuffled order (the view must sort them by date, not by the order given).
    """
    rng = random.Random(f"history:{defn['id']}:{readings}:{seed}")
    levels = organisation_levels(defn, rng, centre=2.6)
    files = []
    for year in range(readings):
        now = {tid: _clip(v + gain * year + rng.gauss(0, 0.15)) for tid, v in levels.items()}
        answers = person_answers(defn, now, rng, mood=rng.gauss(0, 0.1), contentious=(), na_rate=0.03)
        when = _iso(BASE_DATE + timedelta(days=365 * year + rng.randint(0, 20)))
        files.append(_result(defn, answers, label, when, lang))
    order = list(range(readings))
    rng.shuffle(order)
    return [files[i] for i in order]


__all__ = ["history", "network", "organisation_levels", "person_answers", "team"]
