"""Every real questionnaire in toolbox/questionnaires/*.yaml is valid and works end to end."""

import json
import re
from pathlib import Path

import pytest

from toolbox import browser
from toolbox.definitions import compile_yaml, localise, validate_definition
from toolbox.messages import LANGUAGES
from toolbox.scoring import accepted_values, answer_score

FOLDER = Path(__file__).resolve().parents[2] / "toolbox" / "questionnaires"
FILES = sorted(FOLDER.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_real_questionnaire_is_valid(path):
    d = compile_yaml(path)
    assert validate_definition(d, expected_id=path.stem) == []
    for lang in LANGUAGES:
        # The answer that scores 3 in each statement's own kind (3, or "partly" for a practice).
        answers = {st["id"]: next(v for v in accepted_values(st) if v != "na" and answer_score(st, v) == 3)
                   for t in d["themes"] for st in t["statements"]}
        out = json.loads(browser.evaluate(json.dumps(localise(d, lang)), json.dumps({"answers": answers}), lang))
        assert out["ok"] and out["overall"]["level"] == "established"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_finnish_result_is_written_loaded_and_scored(path):
    # The page's own path in Finnish: its slice of the definition, a downloaded file in Finnish,
    # that file loaded back (same answers, notes, plan, label), and scores with Finnish words and
    # the decimal comma.
    d = compile_yaml(path)
    page = json.dumps(localise(d, "fi"))
    first = d["themes"][0]
    answers = {st["id"]: [v for v in accepted_values(st) if v != "na"][1] for st in first["statements"]}
    answers[d["themes"][1]["statements"][0]["id"]] = "na"
    state = {"answers": answers, "notes": {first["id"]: "Muistiinpano: äö"}, "label": "Tiimi, kevät",
             "action_plan": [{"theme": first["id"], "action": "Kirjataan", "who": "Aino", "when": "toukokuu"}]}
    text = browser.export_result(page, json.dumps(state), "fi", "2026-12-02T06:00:00Z")
    written = json.loads(text)
    assert written["language"] == "fi" and written["answers"] == answers
    loaded = json.loads(browser.load_result(text, page, "fi"))
    assert loaded["ok"] and loaded["language"] == "fi" and loaded["notices"] == []
    assert {k: loaded["state"][k] for k in ("answers", "notes", "label", "action_plan")} == {
        k: state[k] for k in ("answers", "notes", "label", "action_plan")}
    out = json.loads(browser.evaluate(page, json.dumps(loaded["state"]), "fi"))
    assert out["ok"] and out["themes"][0]["level"] is not None
    assert first["title"]["fi"] in out["table_html"] and "Keskiarvo" in out["table_html"]
    assert "," in out["table_html"] and "Tutkakaavio" in out["radar_svg"]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_swedish_result_is_written_loaded_and_scored(path):
    # The page's path in Swedish: evaluate, export (download), load back, evaluate again.
    defn = json.dumps(localise(compile_yaml(path), "sv"))
    d = json.loads(defn)
    statements = [st for t in d["themes"] for st in t["statements"]]
    answers = {st["id"]: [v for v in accepted_values(st) if v != "na"][i % 3] for i, st in enumerate(statements)}
    answers[statements[0]["id"]] = "na"
    first = d["themes"][0]["id"]
    state = {"answers": answers, "notes": {first: "Prata med styrelsen: 3,5 är målet."},
             "action_plan": [{"theme": first, "action": "Skriv en plan", "who": "Åsa", "when": "2026-03"}],
             "label": "Team Malmö — våren"}
    scored = json.loads(browser.evaluate(defn, json.dumps(state), "sv"))
    assert scored["ok"]
    text = browser.export_result(defn, json.dumps(state), "sv", "2026-01-02T03:04:05Z")
    written = json.loads(text)
    assert written["language"] == "sv" and "Team Malmö — våren" in text  # not escaped to ASCII
    loaded = json.loads(browser.load_result(text, defn, "sv"))
    assert loaded["ok"] and loaded["language"] == "sv" and loaded["notices"] == []
    assert loaded["state"]["answers"] == answers and loaded["state"]["notes"] == state["notes"]
    assert loaded["state"]["action_plan"] == state["action_plan"]
    again = json.loads(browser.evaluate(defn, json.dumps(loaded["state"]), "sv"))
    assert again["overall"] == scored["overall"] and again["themes"] == scored["themes"]
    # The charts and the table speak Swedish, with a decimal comma.
    assert "Spindeldiagram" in again["radar_svg"] and "Medelvärde" in again["table_html"]
    assert re.search(r"\d,\d", again["table_html"]) and not re.search(r">\d\.\d<", again["table_html"])
    # A file written in Swedish loads on an English page too, and keeps its language.
    assert json.loads(browser.load_result(text, json.dumps(localise(compile_yaml(path), "en")), "en"))["language"] == "sv"
