"""Before/after pairs and groups of results."""

import pytest

from toolbox.compare import aggregate, compare_pair


def row(result, ident):
    return next(r for r in result["themes"] if r["id"] == ident)


def test_pair_figures(defn):
    before = {"alpha-1": 2, "alpha-2": 2, "beta-1": 3}
    after = {"alpha-1": 4, "alpha-2": 3, "gamma-1": 5}
    c = compare_pair(defn, before, after, "en")
    a = row(c, "alpha")
    assert (a["before"], a["after"], a["delta"]) == (2.0, 3.5, 1.5)
    assert a["delta_display"] == "+1.5" and a["before_level"] == "developing" and a["after_level"] == "established"
    b = row(c, "beta")
    assert b["before"] == 3.0 and b["after"] is None and b["delta"] is None and b["delta_display"] == "–"
    g = row(c, "gamma")
    assert g["before"] is None and g["after"] == 5.0 and g["delta"] is None
    assert c["overall"]["before"] == pytest.approx(2.5)
    assert c["overall"]["after"] == pytest.approx(4.25)
    assert c["overall"]["delta"] == pytest.approx(1.75)


def test_pair_negative_delta_has_sign(defn):
    c = compare_pair(defn, {"gamma-1": 5}, {"gamma-1": 4}, "nl")
    assert row(c, "gamma")["delta"] == -1.0 and row(c, "gamma")["delta_display"] == "-1,0"


def test_aggregate_figures(defn):
    results = [
        {"alpha-1": 1, "beta-1": 4},
        {"alpha-1": 3, "beta-1": "na"},
        {"alpha-1": 5, "beta-1": 2, "gamma-1": 3},
    ]
    g = aggregate(defn, results, "en")
    assert g["count"] == 3
    a = row(g, "alpha")
    assert (a["mean"], a["min"], a["max"], a["count"]) == (3.0, 1, 5, 3)
    b = row(g, "beta")
    assert (b["mean"], b["min"], b["max"], b["count"]) == (3.0, 2, 4, 2)
    c = row(g, "gamma")
    assert (c["mean"], c["min"], c["max"], c["count"]) == (3.0, 3, 3, 1)
    overall_means = [2.5, 3.0, (5 + 2 + 3) / 3]
    assert g["overall"]["mean"] == pytest.approx(sum(overall_means) / 3)
    assert g["overall"]["min"] == 2.5 and g["overall"]["max"] == pytest.approx(10 / 3)
    assert g["overall"]["count"] == 3


def test_aggregate_of_nothing(defn):
    g = aggregate(defn, [], "de")
    assert g["count"] == 0 and [r["count"] for r in g["themes"]] == [0, 0, 0]
    assert g["overall"]["mean"] is None
