"""Every real questionnaire in toolbox/questionnaires/*.yaml is valid and works end to end."""

import json
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
