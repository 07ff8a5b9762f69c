"""Scoring: means, levels and bounds, na, reverse statements, ranking, advice, links."""

import pytest
from engine_helpers import FUZZ, big_definition, mini_definition
from hypothesis import given
from hypothesis import strategies as st

from toolbox.errors import ToolboxError
from toolbox.scoring import level_for, mean_display, score

ALPHA = ["alpha-1", "alpha-2", "alpha-3"]  # alpha-3 is reversed
BETA = ["beta-1", "beta-2", "beta-3", "beta-4"]
GAMMA = ["gamma-1", "gamma-2", "gamma-3"]


def theme(result, ident):
    return next(t for t in result["themes"] if t["id"] == ident)


@pytest.mark.parametrize("mean,level", [
    (1.0, "starting"), (1.99, "starting"), (2.0, "developing"), (2.99, "developing"), (3.0, "established"),
    (3.999, "established"), (4.0, "embedded"), (5.0, "embedded"), (None, None),
    (3.9999999999999996, "embedded"), (1.9999999999999998, "developing")])
def test_level_bands(mean, level):
    assert level_for(mean) == level


@pytest.mark.parametrize("values,level,advice", [
    ([2, 2, 2], "developing", "middle"),   # mean exactly 2
    ([3, 3, 3], "established", "middle"),  # mean exactly 3
    ([4, 4, 4], "embedded", "high"),       # mean exactly 4
    ([1, 2, 2], "starting", "low"),
    ([5, 5, 5], "embedded", "high"),
])
def test_theme_bounds_exact(defn, values, level, advice):
    answers = dict(zip(GAMMA, values, strict=False))
    t = theme(score(defn, answers, "en"), "gamma")
    assert t["mean"] == sum(values) / 3
    assert t["level"] == level and t["advice_key"] == advice
    assert t["advice"] == f"Gamma {advice} advice."


def test_level_labels_and_advice_in_language(defn):
    t = theme(score(defn, dict(zip(GAMMA, [2, 3, 3], strict=False)), "de"), "gamma")
    assert t["level_label"] == "im Aufbau"
    assert t["advice"] == "Gamma mittel Rat."
    assert t["title"] == "Gamma-Thema mit einem ziemlich langen Titel"
    assert t["mean_display"] == "2,7"


def test_reverse_scoring(defn):
    t = theme(score(defn, {"alpha-1": 5, "alpha-2": 5, "alpha-3": 1}, "en"), "alpha")
    assert t["mean"] == 5.0
    t = theme(score(defn, {"alpha-3": 5}, "en"), "alpha")
    assert t["mean"] == 1.0 and t["level"] == "starting"
    t = theme(score(defn, {"alpha-3": 3}, "en"), "alpha")
    assert t["mean"] == 3.0


def test_na_excluded_from_mean_but_counted(defn):
    r = score(defn, {"beta-1": 4, "beta-2": "na", "beta-3": 2}, "en")
    t = theme(r, "beta")
    assert t["mean"] == 3.0
    assert (t["answered"], t["na"], t["total"]) == (2, 1, 4)
    assert t["coverage"] == 0.75
    t = theme(score(defn, {b: "na" for b in BETA}, "en"), "beta")
    assert t["mean"] is None and t["level"] is None and t["advice_key"] is None and t["advice"] == ""
    assert t["na"] == 4 and t["coverage"] == 1.0
    assert t["mean_display"] == "no answer yet" and t["level_label"] == "no answer yet"


def test_empty_answers(defn):
    r = score(defn, {}, "nl")
    assert r["overall"]["mean"] is None and r["overall"]["level"] is None
    assert r["weakest"] == r["strongest"] == r["ranked"] == []
    assert r["overall"]["total"] == 10 and r["overall"]["answered"] == 0
    assert r["overall"]["mean_display"] == "nog geen antwoord"


def test_overall_is_mean_of_theme_means(defn):
    answers = {"alpha-1": 1, "alpha-2": 1, "beta-1": 5, "beta-2": 4, "beta-3": "na", "gamma-1": 3}
    r = score(defn, answers, "en")
    assert theme(r, "alpha")["mean"] == 1.0
    assert theme(r, "beta")["mean"] == 4.5
    assert r["overall"]["mean"] == pytest.approx((1 + 4.5 + 3) / 3)
    assert (r["overall"]["answered"], r["overall"]["na"], r["overall"]["total"]) == (5, 1, 10)
    assert r["overall"]["level"] == "developing"


def test_full_precision_kept_and_display_rounded(defn):
    t = theme(score(defn, {"gamma-1": 3, "gamma-2": 4, "gamma-3": 4}, "en"), "gamma")
    assert t["mean"] == 11 / 3
    assert t["mean_display"] == "3.7"


def test_display_never_crosses_a_band(defn):
    assert mean_display(3.96, "en") == "3.9"
    assert mean_display(1.95, "en") == "1.9"
    assert mean_display(4.0, "en") == "4.0"
    assert mean_display(2.04, "nl") == "2,0"


def test_weakest_strongest_ranked_and_ties(defn):
    r = score(defn, {"alpha-1": 3, "beta-1": 3, "gamma-1": 5}, "en")
    assert r["ranked"] == ["alpha", "beta", "gamma"]  # tie alpha/beta: definition order
    assert r["weakest"] == ["alpha", "beta", "gamma"]
    assert r["strongest"] == ["gamma", "alpha", "beta"]
    r = score(defn, {"alpha-1": 5, "gamma-1": 2}, "en")
    assert r["ranked"] == ["gamma", "alpha"] and r["strongest"] == ["alpha", "gamma"]


def test_weakest_and_strongest_at_most_three():
    d = big_definition(6, 3)
    answers = {f"s-{i}-1": (i % 5) + 1 for i in range(6)}
    r = score(d, answers, "en")
    assert len(r["weakest"]) == 3 and len(r["strongest"]) == 3 and len(r["ranked"]) == 6
    assert r["weakest"] == ["theme-0", "theme-5", "theme-1"]
    assert r["strongest"] == ["theme-4", "theme-3", "theme-2"]


def test_themes_in_definition_order_with_links_passed_through(defn):
    defn["themes"][1]["links"][0]["extra"] = "kept"
    r = score(defn, {}, "en")
    assert [t["id"] for t in r["themes"]] == ["alpha", "beta", "gamma"]
    assert r["themes"][1]["links"][0] == {"page": "privacy.md", "extra": "kept",
                                          "label": {"en": "Privacy", "nl": "Privacy", "de": "Datenschutz",
                                                    "fi": "Tietosuoja", "sv": "Integritet"}}


@pytest.mark.parametrize("bad", [0, 6, 3.5, 3.0, True, False, "3", "NA", "", [], {}])
def test_invalid_values_raise(defn, bad):
    with pytest.raises(ToolboxError) as info:
        score(defn, {"alpha-1": bad}, "en")
    assert info.value.code == "bad-value"


def test_unknown_statement_raises(defn):
    with pytest.raises(ToolboxError) as info:
        score(defn, {"zeta-1": 3}, "nl")
    assert info.value.code == "unknown-statement" and "zeta-1" in info.value.message


def test_answers_must_be_a_mapping(defn):
    with pytest.raises(ToolboxError) as info:
        score(defn, [("alpha-1", 3)], "en")
    assert info.value.code == "bad-type"


def test_none_means_unanswered(defn):
    assert score(defn, {"alpha-1": None}, "en") == score(defn, {}, "en")


IDS = ALPHA + BETA + GAMMA
ANSWERS = st.dictionaries(st.sampled_from(IDS), st.one_of(st.integers(1, 5), st.just("na")))


@FUZZ
@given(ANSWERS)
def test_property_means_within_scale(answers):
    r = score(mini_definition(), answers, "en")
    for t in r["themes"] + [r["overall"]]:
        if t["mean"] is not None:
            assert 1 <= t["mean"] <= 5
        assert t["answered"] + t["na"] <= t["total"]
    assert r["overall"]["answered"] == sum(1 for v in answers.values() if v != "na")


@FUZZ
@given(ANSWERS)
def test_property_na_changes_nothing_but_coverage(answers):
    d = mini_definition()
    without_na = {k: v for k, v in answers.items() if v != "na"}
    a, b = score(d, answers, "en"), score(d, without_na, "en")
    for ta, tb in zip(a["themes"], b["themes"], strict=False):
        assert ta["mean"] == tb["mean"] and ta["level"] == tb["level"] and ta["answered"] == tb["answered"]
    assert a["overall"]["mean"] == b["overall"]["mean"]


@FUZZ
@given(ANSWERS, st.randoms())
def test_property_answer_order_irrelevant(answers, rnd):
    items = list(answers.items())
    rnd.shuffle(items)
    d = mini_definition()
    assert score(d, dict(items), "en") == score(d, answers, "en")
