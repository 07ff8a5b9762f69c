"""The team view and the trend over time (toolbox.team, toolbox.teamcharts, browser.compare), hand-checked."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from engine_helpers import FIXTURES, NOW

from toolbox import browser, team
from toolbox.definitions import compile_yaml, localise
from toolbox.resultfile import dumps_result

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import synthetic


@pytest.fixture
def kinds():
    return compile_yaml(FIXTURES / "kinds.yaml")


# ---------------------------------------------------------------- the spread


@pytest.mark.parametrize("counts, expected", [
    ([0, 0, 5, 0, 0], 0.0),       # everyone the same
    ([2, 0, 0, 0, 2], 1.0),       # half at each end: the most
    ([1, 1, 1, 1, 1], 0.6),       # F = .2 .4 .6 .8 -> 2 * (.2 + .4 + .4 + .2) / 4
    ([0, 3, 1, 0, 0], 0.125),     # F = 0 .75 1 1 -> 2 * .25 / 4
    ([1, 1, 0], 0.5),             # practices: F = .5 1 -> 2 * .5 / 2
    ([2, 1, 2], 0.8),             # F = .4 .6 -> 2 * .8 / 2
    ([0, 4, 0], 0.0),
])
def test_leik_dispersion_by_hand(counts, expected):
    assert team.leik_dispersion(counts) == pytest.approx(expected)


@pytest.mark.parametrize("counts", [[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0]])
def test_no_spread_below_two_answers(counts):
    assert team.leik_dispersion(counts) is None


def test_spread_does_not_depend_on_the_order_being_reversed():
    assert team.leik_dispersion([3, 1, 0, 2, 0]) == pytest.approx(team.leik_dispersion([0, 2, 0, 1, 3]))


def test_distribution_counts_na_and_missing_apart(defn):
    people = [{"alpha-1": 1, "alpha-2": 4, "beta-1": "na"},
              {"alpha-1": 5, "alpha-2": 4, "beta-1": "na"},
              {"alpha-1": "na", "beta-1": 3}]
    rows = {r["id"]: r for r in team.statement_distribution(defn, people)}
    a1 = rows["alpha-1"]
    assert (a1["counts"], a1["na"], a1["missing"], a1["answered"]) == ([1, 0, 0, 0, 1], 1, 0, 2)
    assert a1["spread"] == 1.0 and a1["median"] == 1 and a1["scale"] == [1, 2, 3, 4, 5]
    a2 = rows["alpha-2"]
    assert (a2["counts"], a2["missing"], a2["spread"], a2["median"]) == ([0, 0, 0, 2, 0], 1, 0.0, 4)
    b1 = rows["beta-1"]  # "not applicable" is not on the scale: one answer left, no spread
    assert (b1["counts"], b1["na"], b1["spread"]) == ([0, 0, 1, 0, 0], 2, None)
    assert rows["alpha-1"]["number"] == 1 and rows["beta-1"]["number"] == 1 and rows["alpha-3"]["number"] == 3
    assert [r["id"] for r in team.statement_distribution(defn, people)][:4] == ["alpha-1", "alpha-2", "alpha-3", "beta-1"]


def test_distribution_of_practices(kinds):
    people = [{"facts-1": "no"}, {"facts-1": "yes"}, {"facts-1": "partly"}, {"facts-1": "yes"}]
    row = next(r for r in team.statement_distribution(kinds, people) if r["id"] == "facts-1")
    assert row["kind"] == "practice" and row["scale"] == ["no", "partly", "yes"]
    assert row["counts"] == [1, 1, 2] and row["median"] == "partly"
    assert row["spread"] == pytest.approx(2 * (.25 + .5) / 2)  # F = .25 .5


def test_reverse_statements_keep_the_answers_as_given(defn):
    # alpha-3 is reverse-worded: the picture shows what people answered, not the score.
    row = next(r for r in team.statement_distribution(defn, [{"alpha-3": 1}, {"alpha-3": 1}]) if r["id"] == "alpha-3")
    assert row["counts"] == [2, 0, 0, 0, 0]


def test_widest_spread_ranks_and_leaves_out_agreement(defn):
    people = [{"alpha-1": 1, "alpha-2": 2, "beta-1": 3, "beta-2": 1},
              {"alpha-1": 5, "alpha-2": 3, "beta-1": 3, "beta-2": 5},
              {"alpha-1": 5, "alpha-2": 3, "beta-1": 3}]
    rows = team.statement_distribution(defn, people)
    ranked = team.widest_spread(rows)
    # alpha-1: F=1/3 (x4) -> D=2*(4/3)/4=.667; beta-2: D=1 (two answers); alpha-2: F=0,1/3,1,1 -> D=2*(1/3)/4
    assert [r["id"] for r in ranked] == ["beta-2", "alpha-1", "alpha-2"]
    assert all(r["spread"] for r in ranked)
    assert len(team.widest_spread(rows, limit=1)) == 1


# ---------------------------------------------------------------- over time


def test_date_order_reads_the_zone():
    assert team.date_key("2025-02-28T23:00Z") > team.date_key("2025-03-01T02:00+05:00")
    assert team.date_key("2025-03-01T02:00-05:00") > team.date_key("2025-03-01T06:00Z")
    assert team.date_key("2025-03-01") < team.date_key("2025-03-01 00:01")
    assert team.date_key("2025-03-01T10:00:00.5+0100") == team.date_key("2025-03-01T09:00:00Z")


def test_same_organisation():
    assert team.same_organisation(["Our org", "our  ORG", " Our org "])
    assert not team.same_organisation(["Our org", "Other"])
    assert not team.same_organisation(["", ""])


def result(defn, answers, label, updated):
    return json.loads(dumps_result(defn, {"answers": answers, "label": label, "created": updated}, "en", updated))


def test_trend_orders_by_date_and_marks_changed_themes(kinds):
    files = [result(kinds, {"views-1": 4}, "Org", "2026-01-10T00:00:00Z"),
             result(kinds, {"views-1": 2}, "Org", "2024-01-10T00:00:00Z"),
             result(kinds, {"views-1": 3}, "Org", "2025-01-10T00:00:00+01:00")]
    data = team.trend(kinds, files, [2, 1, 2])
    assert [p["date"] for p in data["points"]] == ["2024-01-10", "2025-01-10", "2026-01-10"]
    assert [p["themes"]["views"] for p in data["points"]] == [2.0, 3.0, 4.0]
    assert data["comparable"] == {"facts": False, "views": False, "steady": True}
    table = browser.teamcharts.trend_table_html(kinds, data, "en")
    assert "+2.0" in table and "(not comparable: statements changed)" in table


# ---------------------------------------------------------------- the page's entry point


def page_definition(defn):
    return json.dumps(localise(defn, "en"))


def files_of(texts):
    return json.dumps([{"name": f"file-{i}.json", "text": t} for i, t in enumerate(texts, start=1)])


def test_compare_gives_the_team_view_anonymously(defn):
    texts = [dumps_result(defn, {"answers": a, "label": f"Person {name}"}, "en", NOW)
             for name, a in (("Ann", {"alpha-1": 1}), ("Bo", {"alpha-1": 5}), ("Cy", {"alpha-1": 3, "beta-1": 2}))]
    out = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en"))
    assert out["mode"] == "group" and out["labels"] == [] and out["show_names"] is False
    assert "Ann" not in json.dumps(out)
    assert out["team"]["disagree"] == ["alpha-1"]
    assert '<a href="#st-alpha-1">' in out["team"]["disagree_html"] and 'href="#theme-alpha"' in out["team"]["disagree_html"]
    themes = out["team"]["themes"]
    assert [t["id"] for t in themes] == [t["id"] for t in defn["themes"]] and "names_html" not in themes[0]
    svg = themes[0]["svg"]
    assert svg.startswith("<svg") and "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert out["over_time"] is False and "trend" not in out
    named = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en", '{"show_names": true}'))
    assert named["labels"] == ["Person Ann", "Person Bo", "Person Cy"]
    assert "<th scope=\"col\">Person Ann</th>" in named["team"]["themes"][0]["names_html"]


def test_names_fall_back_to_the_file_name(defn):
    texts = [dumps_result(defn, {"answers": {"alpha-1": v}}, "en", NOW) for v in (1, 2)]
    out = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en", {"show_names": True}))
    assert ">file-1.json</th>" in out["team"]["themes"][0]["names_html"]


def test_a_label_in_a_file_is_escaped_everywhere(defn):
    texts = [dumps_result(defn, {"answers": {"alpha-1": v}, "label": "<img src=x onerror=alert(1)>"}, "en", NOW)
             for v in (1, 5, 3)]
    options = '{"show_names": true, "over_time": false}'
    out = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en", options))
    html = [out["team"]["disagree_html"]] + [t[k] for t in out["team"]["themes"] for k in ("svg", "table_html", "names_html")]
    assert not any("<img" in part for part in html)
    assert "&lt;img src=x" in out["team"]["themes"][0]["names_html"]
    trend = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en", '{"show_names": true}'))["trend"]
    assert "<img" not in trend["svg"] + trend["table_html"]


def test_three_files_with_one_label_give_the_trend(defn):
    texts = [dumps_result(defn, {"answers": {"alpha-1": v}, "label": "Our org"}, "en", f"202{v}-05-01T10:00:00Z")
             for v in (4, 2, 3)]
    out = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en"))
    assert out["same_organisation"] is True and out["over_time"] is True
    assert out["trend"]["dates"] == ["2022-05-01", "2023-05-01", "2024-05-01"]
    assert "<polyline" in out["trend"]["svg"] and "<title" in out["trend"]["svg"]
    off = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en", '{"over_time": false}'))
    assert off["over_time"] is False and "trend" not in off
    two = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts[:2]), "en", '{"over_time": true}'))
    assert two["over_time"] is False and "trend" not in two  # before/after needs no trend; a trend needs three


def test_chosen_by_the_user_when_the_labels_differ(defn):
    texts = [dumps_result(defn, {"answers": {"alpha-1": v}, "label": f"v{v}"}, "en", f"202{v}-05-01")
             for v in (4, 2, 3)]
    auto = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en"))
    assert auto["over_time"] is False
    chosen = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), "en", '{"over_time": true}'))
    assert chosen["over_time"] is True and len(chosen["trend"]["dates"]) == 3


@pytest.mark.parametrize("options", ["[", "[]", "3", '"x"'])
def test_bad_options_are_refused_with_a_sentence(defn, options):
    out = json.loads(browser.compare(page_definition(defn), "{}", "[]", "en", options))
    assert out["ok"] is False and out["code"] == "bad-input"


@pytest.mark.parametrize("lang", ["en", "nl", "de"])
def test_every_language_has_its_own_words(defn, lang):
    texts = [dumps_result(defn, {"answers": {"alpha-1": v, "beta-1": "na"}}, "en", NOW) for v in (1, 5, 3)]
    out = json.loads(browser.compare(page_definition(defn), "{}", files_of(texts), lang))
    title = re.search(r"<title[^>]*>(.*?)</title>", out["team"]["themes"][0]["svg"]).group(1)
    assert title.startswith({"en": "How 3 people", "nl": "Hoe 3 mensen", "de": "Wie 3 Personen"}[lang])


# ---------------------------------------------------------------- generated data


def test_synthetic_team_is_deterministic_and_disagrees_plausibly():
    from toolbox.definitions import load_definition
    from toolbox.resultfile import load_result

    defn = load_definition("sustainability")
    first = synthetic.team(defn, 12, seed=4)
    assert first == synthetic.team(defn, 12, seed=4) and first != synthetic.team(defn, 12, seed=5)
    answers = [load_result(text, defn)["answers"] for text in first]
    rows = team.statement_distribution(defn, answers)
    spreads = sorted(r["spread"] for r in rows if r["spread"] is not None)
    # Real teams neither agree on everything nor answer at random.
    assert spreads[0] < 0.2 and spreads[-1] > 0.5 and 0.15 < spreads[len(spreads) // 2] < 0.6
    assert sum(r["na"] for r in rows) > 0
    with pytest.raises(ValueError):
        synthetic.team(defn, 2, seed=1)
    with pytest.raises(ValueError):
        synthetic.network(defn, 201, seed=1)


def test_synthetic_history_rises_and_is_shuffled():
    from toolbox.definitions import load_definition
    from toolbox.resultfile import load_result

    defn = load_definition("programme-quality")
    files = [load_result(text, defn) for text in synthetic.history(defn, 4, seed=2)]
    assert len({f["label"] for f in files}) == 1
    data = team.trend(defn, files, [None] * 4)
    overall = [p["overall"] for p in data["points"]]
    assert overall[-1] > overall[0]
    assert [f["updated"] for f in files] != sorted(f["updated"] for f in files)


def test_team_of_twelve_in_well_under_a_second():
    import time

    from toolbox.definitions import load_definition

    defn = load_definition("sustainability")
    files = files_of(synthetic.team(defn, 12, seed=7))
    page = page_definition(defn)
    start = time.process_time()
    out = json.loads(browser.compare(page, "{}", files, "en", '{"show_names": true}'))
    assert time.process_time() - start < 1.0
    assert out["count"] == 12 and len(out["team"]["themes"]) == 15
