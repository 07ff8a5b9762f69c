"""Instrument versions: files of an older version keep every answer that still holds (FORMAT.md, "Versions")."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from engine_helpers import FIXTURES

from toolbox import browser, definitions, resultfile, scoring
from toolbox.charts import compare_table_html, group_table_html
from toolbox.cli import main as cli_main
from toolbox.compare import aggregate_scores, comparable_themes, compare_pair
from toolbox.definitions import compile_yaml
from toolbox.errors import ToolboxError
from toolbox.messages import LANGUAGES, message

FORMATS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "formats"
FROZEN = sorted(FORMATS.glob("result-v2-*-i1.json"))
NOTES = {"facts": "Ask the board for the minutes.", "steady": "Good year."}
PLAN = [{"theme": "facts", "action": "Write the agreements down", "who": "Ana", "when": "May"}]


@pytest.fixture
def kinds():
    return compile_yaml(FIXTURES / "kinds.yaml")


def v1_file(answers, version=1, fmt=2):
    """A result file of the 'kinds' instrument as version ``version`` wrote it."""
    if fmt == 1:
        return json.dumps({"format": resultfile.FORMAT, "format_version": 1, "instrument": "kinds", "language": "en",
                           "saved": "2026-01-05T10:00:00Z", "answers": answers, "notes": NOTES})
    return json.dumps({
        "format": resultfile.FORMAT, "format_version": 2, "generator": "MeMoRe Toolbox 0.1.0",
        "instrument": {"id": "kinds", "version": version}, "language": "en",
        "created": "2026-01-05T10:00:00Z", "updated": "2026-01-05T11:00:00Z", "label": "Spring",
        "answers": answers, "notes": NOTES, "action_plan": PLAN,
    })


# Version 1 answers: facts-3 was an agreement statement then (now a revised practice), facts-old
# was removed in version 2.
OLD_ANSWERS = {"facts-1": "yes", "facts-2": "no", "facts-3": 4, "facts-old": 2,
               "views-1": 5, "views-2": "na", "steady-1": 3}
KEPT = {"facts-1": "yes", "facts-2": "no", "views-1": 5, "views-2": "na", "steady-1": 3}


def test_changed_since(kinds):
    assert resultfile.changed_since(kinds, 1) == {"facts-3", "views-4", "facts-old"}
    assert resultfile.changed_since(kinds, 2) == set()


def test_an_older_file_keeps_unchanged_answers_drops_changed_ones_and_keeps_notes_and_plan(kinds):
    result, migration = resultfile.read_result(v1_file(OLD_ANSWERS), {"kinds": kinds}, "en")
    assert result["answers"] == KEPT
    assert result["notes"] == NOTES and result["action_plan"] == PLAN and result["label"] == "Spring"
    assert result["instrument"] == {"id": "kinds", "version": 2}
    assert result["scores"] == scoring.compact_scores(scoring.score(kinds, KEPT, "en"))
    assert migration["from_version"] == 1
    assert sorted(migration["dropped"]) == ["facts-3", "facts-old"]
    assert migration["notices"] == [message("notice.dropped", "en", n=2, items="Facts theme: no. 3; removed statements: 1")]
    # One sentence that names what was dropped and says that notes and plan are kept.
    (notice,) = migration["notices"]
    for lang in LANGUAGES:
        template = message("notice.dropped", lang, n=2, items="")
        assert template.count(". ") == 0 and template.endswith(".") and "\n" not in template, lang
    assert "Facts theme: no. 3" in notice and "action plan" in notice
    # load_result gives the same file, and nothing of the notice is in it.
    assert resultfile.load_result(v1_file(OLD_ANSWERS), kinds, "en") == result
    assert "notice" not in json.dumps(result) and "from_version" not in result


@pytest.mark.parametrize("lang, words", [("nl", ["Feitenthema: nr. 3", "verwijderde stellingen: 1", "actieplan"]),
                                         ("de", ["Faktenthema: Nr. 3", "entfernte Aussagen: 1", "Aktionsplan"]),
                                         ("fi", ["Tosiasiateema: nro 3", "poistetut väittämät: 1",
                                                 "toimintasuunnitelma"]),
                                         ("sv", ["Faktatema: nr 3", "borttagna påståenden: 1", "handlingsplanen"])])
def test_the_notice_is_in_the_page_language(kinds, lang, words):
    _, migration = resultfile.read_result(v1_file(OLD_ANSWERS), kinds, lang)
    (notice,) = migration["notices"]
    for word in words:
        assert word in notice


def test_a_file_of_the_current_version_loads_without_a_notice(kinds):
    answers = dict(KEPT, **{"facts-3": "partly", "views-4": 2})
    result, migration = resultfile.read_result(v1_file(answers, version=2), kinds, "en")
    assert result["answers"] == answers
    assert migration == {"from_version": 2, "dropped": [], "notices": []}


def test_an_older_file_with_nothing_changed_answered_has_no_notice(kinds):
    result, migration = resultfile.read_result(v1_file(KEPT), kinds, "en")
    assert result["answers"] == KEPT and migration["notices"] == [] and migration["from_version"] == 1


def test_a_newer_instrument_version_is_refused_with_a_clear_sentence(kinds):
    with pytest.raises(ToolboxError) as info:
        resultfile.load_result(v1_file(KEPT, version=3), kinds, "de")
    assert info.value.code == "newer-instrument"
    assert info.value.message == message("error.newer-instrument", "de", found=3, current=2)
    assert "neueren Version dieses Fragebogens" in info.value.message


def test_an_unknown_id_that_is_not_retired_is_still_refused(kinds):
    with pytest.raises(ToolboxError) as info:
        resultfile.load_result(v1_file(dict(KEPT, **{"never-was": 3})), kinds, "en")
    assert info.value.code == "unknown-statement"


def test_a_retired_id_in_a_file_of_the_version_that_removed_it_is_refused(kinds):
    # A version-2 file cannot hold an answer to a statement removed in version 2.
    with pytest.raises(ToolboxError) as info:
        resultfile.load_result(v1_file(dict(KEPT, **{"facts-old": 2}), version=2), kinds, "en")
    assert info.value.code == "unknown-statement"


@pytest.mark.parametrize("value", [0, 6, 3.5, True, None, "3", "NA", "maybe", [], {}])
def test_a_dropped_answer_that_no_statement_ever_took_is_still_refused(kinds, value):
    with pytest.raises(ToolboxError) as info:
        resultfile.load_result(v1_file({"facts-3": value}), kinds, "en")
    assert info.value.code == "bad-value"
    with pytest.raises(ToolboxError) as info:
        resultfile.load_result(v1_file({"facts-old": value}), kinds, "en")
    assert info.value.code == "bad-value"


def test_a_revised_statement_s_old_answer_is_dropped_even_when_its_kind_changed(kinds):
    # facts-3's old answer (4 on the agreement scale) would be refused as a practice answer.
    result, migration = resultfile.read_result(v1_file({"facts-3": 4}), kinds, "en")
    assert result["answers"] == {} and migration["dropped"] == ["facts-3"]


def test_a_format_1_file_is_read_as_instrument_version_1(kinds):
    result, migration = resultfile.read_result(v1_file(OLD_ANSWERS, fmt=1), kinds, "en")
    assert result["answers"] == KEPT and result["notes"] == NOTES
    assert migration["from_version"] == 1 and sorted(migration["dropped"]) == ["facts-3", "facts-old"]


def test_the_page_gets_the_notice_apart_from_the_state_and_downloads_the_current_version(kinds):
    out = json.loads(browser.load_result(v1_file(OLD_ANSWERS), json.dumps(definitions.localise(kinds, "nl")), "nl"))
    assert out["ok"] is True
    assert out["state"]["answers"] == KEPT and out["state"]["notes"] == NOTES and out["state"]["action_plan"] == PLAN
    assert len(out["notices"]) == 1 and "Feitenthema: nr. 3" in out["notices"][0]
    assert "notices" not in out["state"]
    saved = json.loads(browser.export_result(json.dumps(kinds), json.dumps(out["state"]), "nl", "2026-02-01T00:00:00Z"))
    assert saved["instrument"] == {"id": "kinds", "version": 2}
    assert saved["answers"] == KEPT and saved["notes"] == NOTES
    assert not {"notices", "dropped", "from_version"} & set(saved)


def test_the_page_refuses_a_newer_version(kinds):
    out = json.loads(browser.load_result(v1_file(KEPT, version=7), json.dumps(kinds), "en"))
    assert out == {"ok": False, "code": "newer-instrument",
                   "message": message("error.newer-instrument", "en", found=7, current=2)}


def test_score_on_the_command_line_prints_the_notice(kinds, tmp_path, capsys):
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "kinds.yaml").write_text((FIXTURES / "kinds.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "old.json"
    path.write_text(v1_file(OLD_ANSWERS), encoding="utf-8")
    assert cli_main(["score", str(path), "--definitions", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Note: " + message("notice.dropped", "en", n=2, items="Facts theme: no. 3; removed statements: 1") in out
    assert "Facts theme" in out.split("Note:")[1]
    newer = tmp_path / "newer.json"
    newer.write_text(v1_file(KEPT, version=3), encoding="utf-8")
    assert cli_main(["score", str(newer), "--definitions", str(folder)]) == 2
    assert message("error.newer-instrument", "en", found=3, current=2) in capsys.readouterr().err


def test_aggregate_names_the_dropped_answers_per_file(kinds, tmp_path, capsys):
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "kinds.yaml").write_text((FIXTURES / "kinds.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(v1_file(OLD_ANSWERS), encoding="utf-8")
    new.write_text(v1_file(KEPT, version=2), encoding="utf-8")
    assert cli_main(["aggregate", str(old), str(new), "--csv", str(tmp_path / "out.csv"),
                     "--definitions", str(folder)]) == 0
    err = capsys.readouterr().err
    assert f"{old}: " in err and "Facts theme: no. 3" in err and f"{new}: " not in err
    # The two files are of versions 1 and 2: the themes with revised statements are named.
    assert message("table.versions_note", "en") in err
    assert message("table.not_comparable", "en", theme="Facts theme") in err
    assert message("table.not_comparable", "en", theme="Views theme") in err
    assert "Steady theme" not in err
    assert cli_main(["aggregate", str(new), str(new), "--csv", str(tmp_path / "same.csv"),
                     "--definitions", str(folder)]) == 0
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- comparisons across versions


def test_comparable_themes_between_versions(kinds):
    # facts-3 and views-4 were revised in version 2; steady never changed.
    assert comparable_themes(kinds, [1, 2]) == {"facts": False, "views": False, "steady": True}
    assert comparable_themes(kinds, [1, None]) == {"facts": False, "views": False, "steady": True}
    assert comparable_themes(kinds, [2, 2]) == {"facts": True, "views": True, "steady": True}
    assert comparable_themes(kinds, [1, 1]) == {"facts": True, "views": True, "steady": True}


def test_a_pair_across_versions_marks_the_themes_that_are_not_comparable(kinds):
    pair = compare_pair(kinds, KEPT, {"steady-1": 4}, "en", versions=(1, 2))
    assert [(r["id"], r["comparable"]) for r in pair["themes"]] == [("facts", False), ("views", False), ("steady", True)]
    assert pair["overall"]["comparable"] is False
    html = compare_table_html(kinds, "en", pair)
    assert message("table.not_comparable", "en", theme="Facts theme") in html
    assert message("table.not_comparable", "en", theme="Steady theme") not in html
    assert escape(message("table.versions_note", "en")) in html
    same = compare_pair(kinds, KEPT, {"steady-1": 4}, "en", versions=(2, 2))
    assert same["overall"]["comparable"] is True
    assert "not comparable" not in compare_table_html(kinds, "en", same)


def test_a_group_across_versions_marks_the_themes_that_are_not_comparable(kinds):
    scored = [scoring.score(kinds, KEPT, "de"), scoring.score(kinds, {"steady-1": 2}, "de")]
    group = aggregate_scores(kinds, scored, "de", versions=[1, 2])
    assert group["comparable"] == {"facts": False, "views": False, "steady": True}
    assert message("table.not_comparable", "de", theme="Faktenthema") in group_table_html(kinds, "de", group)


def test_the_page_compare_entry_point_says_which_themes_are_comparable(kinds):
    files = [{"name": "spring.json", "text": v1_file(OLD_ANSWERS)}]
    state = {"answers": {"facts-3": "yes", "steady-1": 4}}
    out = json.loads(browser.compare(json.dumps(kinds), json.dumps(state), json.dumps(files), "en"))
    assert out["ok"] is True and out["mode"] == "pair"
    assert {r["id"]: r["comparable"] for r in out["rows"]} == {"facts": False, "views": False, "steady": True}
    assert "Facts theme (not comparable" in out["table_html"]
    assert [n["name"] for n in out["notices"]] == ["spring.json"]
    current = [{"name": "now.json", "text": v1_file(KEPT, version=2)}]
    out = json.loads(browser.compare(json.dumps(kinds), json.dumps(state), json.dumps(current), "en"))
    assert all(r["comparable"] for r in out["rows"]) and out["notices"] == []


# ---------------------------------------------------------------- files frozen before version 2


@pytest.mark.parametrize("path", FROZEN, ids=[p.name for p in FROZEN])
def test_frozen_version_1_file_loads_against_todays_definition(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    ident = raw["instrument"]["id"]
    assert raw["instrument"]["version"] == 1 and raw["format_version"] == 2
    defn = definitions.load_definition(ident)
    old = json.loads((FORMATS / "definitions-i1" / f"{ident}.json").read_text(encoding="utf-8"))
    # Every statement of version 1 is still there or is retired: an old answer never becomes "unknown".
    now_ids = {st["id"] for theme in defn["themes"] for st in theme["statements"]}
    retired = {item["id"] for item in defn.get("retired", [])}
    for theme in old["themes"]:
        for st in theme["statements"]:
            assert st["id"] in now_ids | retired, f"{ident}: {st['id']} was removed without 'retired'"
    changed = resultfile.changed_since(defn, 1)
    result, migration = resultfile.read_result(path.read_bytes(), definitions.all_definitions(), raw["language"])
    expected = {sid: v for sid, v in raw["answers"].items() if sid not in changed}
    assert result["answers"] == expected
    assert sorted(migration["dropped"]) == sorted(set(raw["answers"]) & changed)
    assert bool(migration["notices"]) == bool(migration["dropped"])
    assert result["notes"] == raw["notes"] and result["action_plan"] == raw["action_plan"]
    assert result["label"] == raw["label"]
    assert result["instrument"]["version"] == defn["version"]
    page = json.loads(browser.load_result(path.read_text(encoding="utf-8"),
                                          json.dumps(definitions.localise(defn, raw["language"])), raw["language"]))
    assert page["ok"] is True and page["state"]["answers"] == expected and page["state"]["notes"] == raw["notes"]


@pytest.mark.parametrize("path", FROZEN, ids=[p.name for p in FROZEN])
def test_frozen_version_1_file_scores_the_same_against_its_own_definition(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    ident = raw["instrument"]["id"]
    old = json.loads((FORMATS / "definitions-i1" / f"{ident}.json").read_text(encoding="utf-8"))
    result, migration = resultfile.read_result(path.read_bytes(), old, raw["language"])
    assert result["answers"] == raw["answers"] and migration["notices"] == []
    # The scores stored when the file was written are what the engine computes today. Means were
    # summed with sum() then and with math.fsum() now (the same on Python 3.11 and Pyodide's 3.14):
    # they may differ in the last bit, never more; everything else is exact.
    assert result["scores"].keys() == raw["scores"].keys()
    for key, figures in raw["scores"].items():
        now = dict(result["scores"][key])
        then = dict(figures)
        assert now.pop("mean") == pytest.approx(then.pop("mean"), rel=1e-15, abs=0), key
        assert now == then, key


@pytest.mark.parametrize("path", FROZEN, ids=[p.name for p in FROZEN])
def test_frozen_version_1_file_scores_on_the_command_line(path, capsys):
    raw = json.loads(path.read_text(encoding="utf-8"))
    defn = definitions.load_definition(raw["instrument"]["id"])
    assert cli_main(["score", str(path), "--lang", raw["language"]]) == 0
    out = capsys.readouterr().out
    dropped = set(raw["answers"]) & resultfile.changed_since(defn, 1)
    assert (message("cli.notice", raw["language"], message="") in out) == bool(dropped)


def _every_language(node):
    """Give each text of a frozen definition the languages added since (English stands in), so that
    a revision made from it passes today's check; the frozen files themselves stay as published."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and set(node) <= set(LANGUAGES):
            for lang in LANGUAGES:
                node.setdefault(lang, node["en"])
        for value in node.values():
            _every_language(value)
    elif isinstance(node, list):
        for value in node:
            _every_language(value)
    return node


@pytest.mark.parametrize("path", FROZEN, ids=[p.name for p in FROZEN])
def test_frozen_file_against_a_version_2_that_revises_one_statement_and_removes_another(path):
    """Today's file against its instrument as it would be after a revision (made here from version 1)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    lang = raw["language"]
    v2 = json.loads((FORMATS / "definitions-i1" / f"{raw['instrument']['id']}.json").read_text(encoding="utf-8"))
    v2 = _every_language(v2)
    v2["languages"] = list(LANGUAGES)
    v2["version"] = 2
    theme = v2["themes"][1]
    answered = [st["id"] for st in theme["statements"] if st["id"] in raw["answers"]]
    revised, removed = answered[0], answered[1]
    number = [st["id"] for st in theme["statements"]].index(revised) + 1
    theme["statements"] = [st for st in theme["statements"] if st["id"] != removed]
    theme["statements"][number - 1]["revised"] = 2
    v2["retired"] = [{"id": removed, "version": 2}]
    assert definitions.validate_definition(v2) == []
    result, migration = resultfile.read_result(path.read_bytes(), v2, lang)
    assert result["answers"] == {k: v for k, v in raw["answers"].items() if k not in (revised, removed)}
    assert sorted(migration["dropped"]) == sorted([revised, removed])
    item = message("notice.item", lang, theme=theme["title"][lang], numbers=number)
    items = item + "; " + message("notice.removed", lang, n=1)
    assert migration["notices"] == [message("notice.dropped", lang, n=2, items=items)]
    assert result["notes"] == raw["notes"] and result["action_plan"] == raw["action_plan"]
    assert result["instrument"]["version"] == 2
