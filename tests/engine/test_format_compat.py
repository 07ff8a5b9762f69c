"""Compatibility forever: one frozen result file per released format version scores the same, always.

tests/fixtures/formats/result-v<N>.json are real files of each format (sustainability questionnaire);
expected-scores.json holds their per-theme means and overall mean, frozen when the format was released.
Never regenerate these files: if a test here fails, old result files on people's disks would now
load differently or score differently.

The files were written with version 1 of the questionnaire, so they are scored here against that
version, frozen in definitions-i1/. How they load against today's version (answers to changed
statements dropped, everything else kept) is tested in test_versions.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolbox import browser, definitions, resultfile, scoring
from toolbox.cli import main as cli_main

FORMATS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "formats"
EXPECTED = json.loads((FORMATS / "expected-scores.json").read_text(encoding="utf-8"))["files"]
FILES = sorted(EXPECTED)
DEFINITIONS_I1 = FORMATS / "definitions-i1"


def version_1(ident):
    """The questionnaire as it was when the frozen files were written (instrument version 1)."""
    return json.loads((DEFINITIONS_I1 / f"{ident}.json").read_text(encoding="utf-8"))


def test_one_frozen_file_per_released_format_version():
    versions = sorted(json.loads((FORMATS / name).read_text(encoding="utf-8"))["format_version"] for name in FILES)
    assert versions == list(range(1, resultfile.FORMAT_VERSION + 1)), (
        "every released format needs a frozen file here (add result-v<N>.json and its expected scores)")
    assert [f"result-v{v}.json" for v in versions] == FILES


@pytest.mark.parametrize("name", FILES)
def test_frozen_file_loads_with_the_same_scores_forever(name):
    expected = EXPECTED[name]
    defn = version_1(expected["instrument"])
    loaded = resultfile.load_result((FORMATS / name).read_bytes(), {defn["id"]: defn}, "en")
    assert loaded["instrument"]["id"] == expected["instrument"]
    assert loaded["format_version"] == resultfile.FORMAT_VERSION
    scores = scoring.score(defn, loaded["answers"], "en")
    means = {t["id"]: t["mean"] for t in scores["themes"]}
    assert set(means) == set(expected["themes"])
    for tid, mean in expected["themes"].items():
        if mean is None:
            assert means[tid] is None, tid
        else:
            assert means[tid] == pytest.approx(mean, abs=1e-6), tid
    assert scores["overall"]["mean"] == pytest.approx(expected["overall"], abs=1e-6)
    assert {t["id"]: t["level"] for t in scores["themes"]} == expected["levels"]
    assert scores["overall"]["level"] == expected["overall_level"]
    assert (scores["overall"]["answered"], scores["overall"]["na"]) == (expected["answered"], expected["na"])
    # The scores the loader stores in the migrated file are the same figures.
    assert loaded["scores"]["overall"]["mean"] == pytest.approx(expected["overall"], abs=1e-6)


@pytest.mark.parametrize("name", FILES)
def test_frozen_file_loads_in_the_page_entry_point_with_its_text_intact(name):
    raw = json.loads((FORMATS / name).read_text(encoding="utf-8"))
    defn = definitions.localise(version_1("sustainability"), "de")
    out = json.loads(browser.load_result((FORMATS / name).read_text(encoding="utf-8"), json.dumps(defn), "de"))
    assert out["ok"] is True, out
    assert out["state"]["answers"] == raw["answers"]
    assert out["state"]["notes"] == raw["notes"]
    assert out["state"]["action_plan"] == raw.get("action_plan", [])
    assert out["state"]["label"] == raw.get("label", "")
    assert out["language"] == raw["language"]


@pytest.mark.parametrize("name", FILES)
def test_frozen_file_scores_on_the_command_line(name, capsys):
    assert cli_main(["score", str(FORMATS / name), "--definitions", str(DEFINITIONS_I1)]) == 0
    out = capsys.readouterr().out
    overall = EXPECTED[name]["overall"]
    # No frozen file's overall mean lies just below a level bound, so its one-decimal figure is the
    # plain rounding; the rule for means just below a bound has its own tests in test_scoring.
    assert not any(overall < bound <= round(overall, 1) for bound in scoring.BOUNDS), overall
    row = next(line for line in out.splitlines() if line.startswith("All themes"))
    assert row.split()[2] == f"{overall:.1f}", row


def test_frozen_v2_file_still_matches_the_published_schema_shape():
    raw = json.loads((FORMATS / "result-v2.json").read_text(encoding="utf-8"))
    schema = resultfile.json_schema()["$defs"]["format-2"]
    assert set(schema["required"]) <= set(raw)
    assert raw["format_version"] == 2 and raw["format"] == resultfile.FORMAT
