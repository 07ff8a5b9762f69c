"""Kinds of answer: agreement (1-5) and practice (no / partly / yes), per FORMAT.md."""

from __future__ import annotations

import copy
import json

import pytest
from engine_helpers import FIXTURES, NOW

from toolbox import browser, definitions, scoring
from toolbox.cli import main as cli_main
from toolbox.definitions import compile_yaml, validate_definition, writing_warnings
from toolbox.errors import ToolboxError
from toolbox.messages import LANGUAGES, message
from toolbox.resultfile import dumps_result, json_schema, load_result


@pytest.fixture
def kinds():
    return compile_yaml(FIXTURES / "kinds.yaml")


def statement(defn, sid):
    return definitions.statement_index(defn)[sid][1]


def test_accepted_values_per_kind(kinds):
    assert scoring.accepted_values(statement(kinds, "views-1")) == [1, 2, 3, 4, 5, "na"]  # no kind: agree
    assert scoring.accepted_values({"id": "x", "kind": "agree"}) == [1, 2, 3, 4, 5, "na"]
    assert scoring.accepted_values(statement(kinds, "facts-1")) == ["no", "partly", "yes", "na"]
    with pytest.raises(ToolboxError) as info:
        scoring.accepted_values({"id": "x", "kind": "rubric"})
    assert info.value.code == "bad-definition"


def test_the_engine_and_the_definition_check_know_the_same_kinds():
    assert definitions.KINDS == scoring.KINDS


@pytest.mark.parametrize("value, expected", [("no", 1.0), ("partly", 3.0), ("yes", 5.0)])
def test_practice_scores_no_1_partly_3_yes_5(kinds, value, expected):
    result = scoring.score(kinds, {"facts-1": value}, "en")
    facts = result["themes"][0]
    assert facts["mean"] == expected
    assert (facts["answered"], facts["na"], facts["total"]) == (1, 0, 3)


@pytest.mark.parametrize("value, expected", [("no", 5.0), ("partly", 3.0), ("yes", 1.0)])
def test_reverse_practice_scores_six_minus(kinds, value, expected):
    assert scoring.score(kinds, {"facts-2": value}, "en")["themes"][0]["mean"] == expected


def test_both_kinds_feed_the_theme_mean_and_levels_alike(kinds):
    # facts: yes (5) + reverse "no" (5) + na  -> mean 5, embedded, na counted in coverage
    # views: agree 4 + 2 + reverse 1 (5) + 3 -> (4 + 2 + 5 + 3) / 4 = 3.5, established
    answers = {"facts-1": "yes", "facts-2": "no", "facts-3": "na",
               "views-1": 4, "views-2": 2, "views-3": 1, "views-4": 3}
    result = scoring.score(kinds, answers, "en")
    facts, views, steady = result["themes"]
    assert (facts["mean"], facts["level"], facts["answered"], facts["na"], facts["coverage"]) == (5.0, "embedded", 2, 1, 1.0)
    assert (views["mean"], views["level"]) == (3.5, "established")
    assert steady["mean"] is None
    assert result["overall"]["mean"] == pytest.approx((5.0 + 3.5) / 2)


@pytest.mark.parametrize("sid, value", [
    ("facts-1", 4), ("facts-1", 1), ("facts-1", "Yes"), ("facts-1", True), ("facts-1", "maybe"),
    ("views-1", "yes"), ("views-1", "partly"), ("views-1", 4.0), ("views-1", True), ("views-1", "4"),
])
def test_an_answer_of_the_wrong_kind_is_refused(kinds, sid, value):
    with pytest.raises(ToolboxError) as info:
        scoring.score(kinds, {sid: value}, "en")
    assert info.value.code == "bad-value"
    assert sid in info.value.message


def test_the_refusal_names_the_answers_this_statement_takes(kinds):
    with pytest.raises(ToolboxError) as practice:
        scoring.score(kinds, {"facts-1": 4}, "de")
    assert "„partly“" in practice.value.message and "1 bis 5" not in practice.value.message
    with pytest.raises(ToolboxError) as agree:
        scoring.score(kinds, {"views-1": "yes"}, "nl")
    assert "1 tot 5" in agree.value.message


def test_a_file_with_a_wrong_kind_answer_is_refused(kinds):
    text = dumps_result(kinds, {"answers": {"views-1": 4}}, "en", NOW).replace('"views-1": 4', '"views-1": "yes"')
    with pytest.raises(ToolboxError) as info:
        load_result(text, kinds, "en")
    assert info.value.code == "bad-value"


def test_practice_answers_round_trip_through_the_file_and_the_page_entry_points(kinds):
    state = {"answers": {"facts-1": "partly", "facts-2": "yes", "views-1": 5, "steady-2": "na"}}
    text = browser.export_result(json.dumps(kinds), json.dumps(state), "nl", NOW)
    saved = json.loads(text)
    assert saved["answers"] == state["answers"]
    assert saved["scores"]["facts"]["mean"] == 2.0  # partly 3, reverse yes 1
    loaded = json.loads(browser.load_result(text, json.dumps(kinds), "nl"))
    assert loaded["ok"] is True and loaded["state"]["answers"] == state["answers"] and loaded["notices"] == []
    evaluated = json.loads(browser.evaluate(json.dumps(kinds), json.dumps(state), "en"))
    assert evaluated["ok"] is True
    assert [t["mean"] for t in evaluated["themes"]] == [2.0, 5.0, None]


def test_json_schema_answers_are_the_union_of_every_kind():
    union = json_schema()["$defs"]["format-2"]["properties"]["answers"]["additionalProperties"]["oneOf"]
    numbers, words = union
    accepted = {v for kind in scoring.KINDS for v in scoring.accepted_values({"kind": kind})}
    assert set(range(numbers["minimum"], numbers["maximum"] + 1)) | set(words["enum"]) == accepted
    assert numbers["type"] == "integer" and set(words["enum"]) == {"no", "partly", "yes", "na"}


# ---------------------------------------------------------------- the form


def test_practice_labels_are_plain_and_distinct_in_every_language():
    for lang in LANGUAGES:
        words = [message(f"practice.{k}", lang) for k in ("no", "partly", "yes")]
        assert len(set(words)) == 3 and all(w and len(w.split()) <= 2 for w in words), lang
        assert message("scale.na", lang) not in words


def test_scale_labels_entry_point_has_the_practice_words():
    labels = json.loads(browser.scale_labels("nl"))
    assert (labels["no"], labels["partly"], labels["yes"]) == ("Nee", "Gedeeltelijk", "Ja")
    assert labels["3"] == message("scale.3", "nl")


# ---------------------------------------------------------------- the definition check


def _problems(defn, change):
    d = copy.deepcopy(defn)
    change(d)
    return validate_definition(d)


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["themes"][0]["statements"][0].update(kind="rubric"), "kind: 'rubric' must be one of agree, practice"),
    (lambda d: d["themes"][0]["statements"][0].update(kind=None), "must be one of agree, practice"),
    (lambda d: d["themes"][0]["statements"][0].update(revised=1), "revised: 1 must be a whole number from 2"),
    (lambda d: d["themes"][0]["statements"][0].update(revised=3), "revised: 3 must be a whole number from 2 to the instrument's version (2)"),
    (lambda d: d["themes"][0]["statements"][0].update(revised=True), "revised: True must be a whole number"),
    (lambda d: d["themes"][0]["statements"][0].update(revised="2"), "revised: '2' must be a whole number"),
    (lambda d: d.update(version=1), "revised: 2 must be a whole number from 2 to the instrument's version (raise 'version' first)"),
    (lambda d: d.update(retired={"id": "x", "version": 2}), "retired: must be a list"),
    (lambda d: d.update(retired=["facts-old"]), "retired[0]: must be a mapping"),
    (lambda d: d["retired"].append({"id": "views-1", "version": 2}), "'views-1' is retired and must not be used again"),
    (lambda d: d["retired"].append({"id": "facts", "version": 2}), "'facts' is retired and must not be used again"),
    (lambda d: d["retired"].append({"id": "facts-old", "version": 2}), "'facts-old' is retired twice"),
    (lambda d: d["retired"].append({"id": "Bad Id", "version": 2}), "retired[1].id: id 'Bad Id' does not match"),
    (lambda d: d["retired"].append({"id": "gone", "version": 5}), "retired[1].version: 5 must be a whole number"),
    (lambda d: d["retired"].append({"id": "gone"}), "retired[1]: missing 'version'"),
    (lambda d: d["retired"].append({"id": "gone", "version": 2, "why": "x"}), "retired[1]: unknown key 'why'"),
])
def test_bad_kinds_versions_and_retired_ids_are_clear_problems(kinds, change, expected):
    assert validate_definition(kinds) == []
    problems = _problems(kinds, change)
    assert any(expected in p for p in problems), problems


# ---------------------------------------------------------------- item-writing warnings


def _with_text(defn, sid, en, kind=None):
    d = copy.deepcopy(defn)
    st = definitions.statement_index(d)[sid][1]
    st["text"] = dict(st["text"], en=en)
    if kind:
        st["kind"] = kind
    return d


def test_no_warnings_for_well_written_statements(kinds):
    assert writing_warnings(kinds) == []


def test_warns_about_a_statement_over_25_words(kinds):
    long = "We " + " ".join(["really"] * 24) + " care."  # 26 words
    assert writing_warnings(_with_text(kinds, "views-1", long)) == [
        "views-1.text.en: 26 words; keep a statement to about 25"]
    exactly = "We " + " ".join(["really"] * 23) + " care."  # 25 words
    assert writing_warnings(_with_text(kinds, "views-1", exactly)) == []


@pytest.mark.parametrize("lang, text", [
    ("en", "We plan the year and we review it."),
    ("nl", "We plannen het jaar en we bespreken het."),
    ("de", "Wir planen das Jahr und wir prüfen es."),
    ("fi", "Me suunnittelemme vuoden ja me arvioimme sen."),
    ("sv", "Vi planerar året och vi går igenom det."),
])
def test_warns_about_a_second_verb_joined_by_and(kinds, lang, text):
    d = copy.deepcopy(kinds)
    definitions.statement_index(d)["steady-1"][1]["text"][lang] = text
    warnings = writing_warnings(d)
    assert len(warnings) == 1 and warnings[0].startswith(f"steady-1.text.{lang}: ") and "second idea" in warnings[0]


def test_warns_about_digits_on_an_agreement_scale_only(kinds):
    agree = _with_text(kinds, "views-1", "We meet 4 times a year.")
    assert writing_warnings(agree) == [
        "views-1.text.en: a number on an agreement scale; ask a fact as kind: practice"]
    practice = _with_text(kinds, "views-1", "We met 4 times last year.", kind="practice")
    assert writing_warnings(practice) == []


def test_validate_prints_warnings_but_succeeds(kinds, tmp_path, capsys):
    d = _with_text(kinds, "views-1", "We meet 4 times a year and we review it.")
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "kinds.yaml").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    assert cli_main(["validate", "--definitions", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "kinds.yaml: warning: views-1.text.en: 'and we' may join a second idea" in out
    assert "kinds.yaml: warning: views-1.text.en: a number on an agreement scale" in out
    assert "2 warnings" in out and "1 questionnaires valid" in out


def test_validate_with_a_problem_still_fails(kinds, tmp_path, capsys):
    d = copy.deepcopy(kinds)
    d["themes"][0]["statements"][0]["kind"] = "scale"
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "kinds.yaml").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    assert cli_main(["validate", "--definitions", str(folder)]) == 1
    assert "kind: 'scale' must be one of agree, practice" in capsys.readouterr().out
