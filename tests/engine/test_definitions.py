"""Definition checks (FORMAT.md), compiling, loading and localising."""

import json
import os
import time

import pytest
import yaml
from engine_helpers import big_definition, mini_definition

from toolbox.definitions import all_definitions, compile_all, compile_yaml, load_definition, localise, validate_definition
from toolbox.errors import DefinitionError, ToolboxError
from toolbox.messages import LANGUAGES


def problems_after(change):
    d = mini_definition()
    change(d)
    return validate_definition(d)


def one_problem(change, *needles):
    found = problems_after(change)
    assert found, "expected a problem"
    assert any(all(n in p for n in needles) for p in found), found
    return found


def test_fixture_and_big_definition_are_valid():
    assert validate_definition(mini_definition(), "mini") == []
    assert validate_definition(big_definition()) == []


def test_not_a_mapping():
    assert validate_definition([]) == ["definition: must be a mapping"]


def test_id_pattern_and_file_name():
    one_problem(lambda d: d.update(id="Mini"), "id", "does not match")
    assert any("file name" in p for p in validate_definition(mini_definition(), "maxi"))


@pytest.mark.parametrize("bad", ["Alpha", "1alpha", "al pha", "alpha_1", "", 7])
def test_theme_and_statement_id_pattern(bad):
    one_problem(lambda d: d["themes"][0].update(id=bad), "themes[0].id")
    one_problem(lambda d: d["themes"][0]["statements"][0].update(id=bad), "statements[0].id")


def test_ids_unique_across_instrument():
    one_problem(lambda d: d["themes"][1].update(id="alpha"), "used twice")
    one_problem(lambda d: d["themes"][1]["statements"][0].update(id="alpha-1"), "used twice")
    one_problem(lambda d: d["themes"][1]["statements"][0].update(id="gamma"), "used twice")


def test_statement_count_3_to_6():
    one_problem(lambda d: d["themes"][0]["statements"].pop(), "statements", "needs 3 to 6")

    def seven(d):
        st = d["themes"][1]["statements"]
        for i in range(3):
            st.append({"id": f"beta-x{i}", "text": dict(st[0]["text"]), "reverse": False})
    one_problem(seven, "statements", "has 7")

    def six(d):
        st = d["themes"][1]["statements"]
        for i in range(2):
            st.append({"id": f"beta-x{i}", "text": dict(st[0]["text"]), "reverse": False})
    assert problems_after(six) == []


def test_at_least_three_themes():
    one_problem(lambda d: d["themes"].pop(), "themes", "at least 3")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_needs_every_language(lang):
    one_problem(lambda d: d["title"].pop(lang), f"title.{lang}")
    one_problem(lambda d: d["themes"][2]["good"].update({lang: "  "}), f"good.{lang}")
    one_problem(lambda d: d["themes"][0]["statements"][1]["text"].update({lang: None}), f"text.{lang}")
    one_problem(lambda d: d["themes"][1]["advice"]["middle"].pop(lang), f"advice.middle.{lang}")
    one_problem(lambda d: d["themes"][1]["links"][0]["label"].pop(lang), f"label.{lang}")


def test_text_rules():
    one_problem(lambda d: d["title"].update(fr="Titre"), "unknown language")
    one_problem(lambda d: d.update(origin="just a string"), "origin", "mapping")
    one_problem(lambda d: d["short_title"].update(en="x" * 41), "short_title.en", "40")
    one_problem(lambda d: d["themes"][0]["title"].update(nl="x" * 61), "themes[0].title.nl", "60")
    one_problem(lambda d: d["themes"][0]["good"].update(en="<b>bold</b>"), "markup")


def test_missing_and_unknown_keys():
    for key in ("id", "version", "languages", "title", "short_title", "introduction", "origin", "themes"):
        one_problem(lambda d: d.pop(key), "missing", key)
    one_problem(lambda d: d.update(colour="red"), "unknown key")
    one_problem(lambda d: d["themes"][0].pop("advice"), "themes[0]", "missing 'advice'")
    one_problem(lambda d: d["themes"][0]["statements"][0].update(revers=True), "unknown key 'revers'")


def test_version_and_languages():
    for bad in ("1", 1.0, True, 0, None):
        one_problem(lambda d: d.update(version=bad), "version")
    every = list(LANGUAGES)
    for bad in (every[:-1], [*every, "fr"], " ".join(every), ["en", *every]):
        one_problem(lambda d: d.update(languages=bad), "languages")
    assert problems_after(lambda d: d.update(languages=every[::-1])) == []


def test_reverse_must_be_boolean_and_source_known():
    one_problem(lambda d: d["themes"][0]["statements"][0].update(reverse="yes"), "reverse")
    one_problem(lambda d: d["themes"][0].update(source="web"), "source")


def test_advice_low_middle_high():
    one_problem(lambda d: d["themes"][0]["advice"].pop("high"), "advice", "missing 'high'")
    one_problem(lambda d: d["themes"][0]["advice"].update(medium=d["themes"][0]["advice"]["middle"]),
                "advice", "unknown key 'medium'")
    one_problem(lambda d: d["themes"][0].update(advice="do more"), "advice", "mapping")


def test_links_one_to_three_pages_ending_md():
    one_problem(lambda d: d["themes"][0].update(links=[]), "links", "needs 1 to 3")
    one_problem(lambda d: d["themes"][0]["links"].extend([d["themes"][0]["links"][0]] * 3), "links", "has 4")
    one_problem(lambda d: d["themes"][0]["links"][0].update(page="about.html"), "ending in .md")
    one_problem(lambda d: d["themes"][0]["links"][0].update(page="../secret.md"), "relative")
    one_problem(lambda d: d["themes"][0]["links"][0].update(page="https://example.org/x.md"), "relative")
    one_problem(lambda d: d["themes"][0]["links"][0].pop("label"), "missing 'label'")


def with_groups(d):
    d["groups"] = [{"id": "micro", "title": {"en": "Micro", "nl": "Micro", "de": "Mikro", "fi": "Mikro", "sv": "Mikro"}},
                   {"id": "macro", "title": {"en": "Macro", "nl": "Macro", "de": "Makro", "fi": "Makro", "sv": "Makro"}}]
    for t, g in zip(d["themes"], ("micro", "micro", "macro"), strict=False):
        t["group"] = g


def test_groups_consistent():
    assert problems_after(with_groups) == []
    one_problem(lambda d: (with_groups(d), d["themes"][0].pop("group")), "themes[0].group")
    one_problem(lambda d: (with_groups(d), d["themes"][0].update(group="meso")), "themes[0].group", "meso")
    one_problem(lambda d: d["themes"][0].update(group="micro"), "no groups")
    one_problem(lambda d: (with_groups(d), d["themes"][2].update(group="micro")), "'macro' has no themes")
    one_problem(lambda d: (with_groups(d), d["groups"][1].update(id="micro")), "used twice")


def write_yaml(folder, d):
    (folder / f"{d['id']}.yaml").write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")


def test_compile_all_and_load(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    write_yaml(src, mini_definition())
    written = compile_all(src, out)
    assert [p.name for p in written] == ["mini.json"]
    text = (out / "mini.json").read_text(encoding="utf-8")
    assert "Bèta" in text  # ensure_ascii=False
    assert json.loads(text) == mini_definition()
    assert list(json.loads(text)) == sorted(json.loads(text))  # sorted keys
    assert load_definition("mini", out) == mini_definition()
    assert list(all_definitions(out)) == ["mini"]


def test_compile_all_reports_every_problem(tmp_path):
    d = mini_definition()
    d["version"] = "one"
    d["themes"][0]["links"] = []
    write_yaml(tmp_path, d)
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        compile_all(tmp_path, tmp_path / "out")
    text = "\n".join(info.value.problems)
    assert "mini.yaml: version" in text and "mini.yaml: themes[0].links" in text and "broken.yaml" in text
    assert not (tmp_path / "out" / "mini.json").exists()


def test_stale_json_is_recompiled_on_the_fly(tmp_path):
    d = mini_definition()
    write_yaml(tmp_path, d)
    compile_all(tmp_path, tmp_path)
    d["version"] = 9
    past = time.time() - 100
    os.utime(tmp_path / "mini.json", (past, past))
    write_yaml(tmp_path, d)
    assert load_definition("mini", tmp_path)["version"] == 9
    (tmp_path / "mini.json").unlink()
    assert all_definitions(tmp_path)["mini"]["version"] == 9


def test_unknown_definition(tmp_path):
    with pytest.raises(ToolboxError) as info:
        load_definition("nothing", tmp_path)
    assert info.value.code == "unknown-instrument"
    with pytest.raises(ToolboxError):
        load_definition("../etc/passwd", tmp_path)


def test_compile_yaml_defaults_reverse(tmp_path):
    d = mini_definition()
    del d["themes"][1]["statements"][0]["reverse"]
    write_yaml(tmp_path, d)
    assert compile_yaml(tmp_path / "mini.yaml")["themes"][1]["statements"][0]["reverse"] is False


def test_localise_keeps_structure_with_one_language():
    d = mini_definition()
    small = localise(d, "nl")
    assert small["title"] == {"nl": "Mini-check"}
    assert small["themes"][1]["title"] == {"nl": "Bèta-thema"}
    assert small["themes"][0]["statements"][2]["reverse"] is True
    assert small["themes"][0]["links"][0] == {"page": "models/mentoring-to-nec.md",
                                              "label": {"nl": "Mentoring naar NEC"}}
    assert small["languages"] == list(LANGUAGES)
    swedish = localise(d, "sv")
    assert swedish["title"] == {"sv": "Minikontroll"}
    assert swedish["themes"][0]["links"][0]["label"] == {"sv": "Mentorskap till NEC"}
    assert d["title"]["en"] == "Mini check"  # the input is not changed
    assert len(json.dumps(small)) < len(json.dumps(d)) * 0.6


def test_compile_yaml_reads_with_libyaml_when_pyyaml_has_it(tmp_path, monkeypatch):
    """libyaml's loader (about ten times faster: every `python -m toolbox` call in a checkout parses
    every questionnaire) is the one used whenever PyYAML offers it."""
    used = []

    class Spy(yaml.SafeLoader):
        def __init__(self, stream):
            used.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(yaml, "CSafeLoader", Spy, raising=False)
    (tmp_path / "mini.yaml").write_text("id: mini\nthemes: []\n", encoding="utf-8")
    assert compile_yaml(tmp_path / "mini.yaml") == {"id": "mini", "themes": []}
    assert len(used) == 1


def test_libyaml_and_the_python_loader_read_every_questionnaire_alike(monkeypatch):
    from toolbox.definitions import QUESTIONNAIRE_DIR

    paths = sorted(QUESTIONNAIRE_DIR.glob("*.yaml"))
    assert len(paths) >= 4
    fast = {path.name: compile_yaml(path) for path in paths}
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert {path.name: compile_yaml(path) for path in paths} == fast
