"""The XLSForm export: every questionnaire converts with pyxform to an XForm that matches its definition."""

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from toolbox import definitions, xlsform
from toolbox.cli import main
from toolbox.messages import message, tr
from toolbox.scoring import accepted_values, kind_of

IDS = ["sustainability", "programme-quality", "nec-readiness", "integration-network"]
NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}
NAMES = {"en": "English (en)", "nl": "Nederlands (nl)", "de": "Deutsch (de)", "fi": "Suomi (fi)", "sv": "Svenska (sv)"}


@pytest.fixture(scope="module")
def xforms(tmp_path_factory):
    """``{id: (xlsx path, XForm root element)}``: each questionnaire written by the command, converted by pyxform."""
    from pyxform.xls2xform import convert

    folder = tmp_path_factory.mktemp("xlsform")
    out = {}
    for ident in IDS:
        path = folder / f"{ident}.xlsx"
        assert main(["xlsform", ident, "--out", str(path)]) == 0
        warnings = []
        xml = convert(xlsform=str(path), warnings=warnings).xform
        assert warnings == [], (ident, warnings)
        out[ident] = (path, ET.fromstring(xml))
    return out


def _itext(root):
    """``{language: {text id: text}}`` of the XForm's translations."""
    out = {}
    for translation in root.iterfind(".//x:itext/x:translation", NS):
        out[translation.get("lang")] = {t.get("id"): t.find("x:value", NS).text for t in translation.iterfind("x:text", NS)}
    return out


@pytest.mark.parametrize("ident", IDS)
def test_the_xform_has_a_group_per_theme_and_a_select_one_per_statement(xforms, ident):
    defn = definitions.load_definition(ident)
    _, root = xforms[ident]
    data = root.find(".//x:model/x:instance/x:data", NS)
    assert (data.get("id"), data.get("version")) == (ident, str(defn["version"]))
    assert [g.tag.split("}")[1] for g in data if g.tag.split("}")[1] in {t["id"] for t in defn["themes"]}] == [
        t["id"] for t in defn["themes"]]
    binds = {b.get("nodeset"): b for b in root.iterfind(".//x:model/x:bind", NS)}
    body = root.find("h:body", NS)
    groups = body.findall("x:group", NS)
    assert [g.get("ref") for g in groups] == [f"/data/{t['id']}" for t in defn["themes"]]
    for theme, group in zip(defn["themes"], groups, strict=False):
        selects = group.findall("x:select1", NS)
        assert [s.get("ref") for s in selects] == [f"/data/{theme['id']}/{st['id']}" for st in theme["statements"]]
        for st, select in zip(theme["statements"], selects, strict=False):
            assert binds[select.get("ref")].get("type") == "string"
            assert select.find("x:itemset", NS).get("nodeset") == f"instance('{kind_of(st)}')/root/item"
    # The instrument id and version travel with every submission.
    assert binds["/data/memore_instrument"].get("calculate") == f"'{ident}'"
    assert binds["/data/memore_version"].get("calculate") == f"'{defn['version']}'"


@pytest.mark.parametrize("ident", IDS)
def test_choices_are_our_answer_values_with_not_applicable_and_labels_in_every_language(xforms, ident):
    defn = definitions.load_definition(ident)
    _, root = xforms[ident]
    texts = _itext(root)
    assert list(texts) == [NAMES[lang] for lang in defn["languages"]]
    default = root.find(".//x:itext/x:translation[@default='true()']", NS)
    assert default.get("lang") == "English (en)"
    kinds = {kind_of(st) for theme in defn["themes"] for st in theme["statements"]}
    for kind in kinds:
        items = root.findall(f".//x:model/x:instance[@id='{kind}']/x:root/x:item", NS)
        values = accepted_values({"kind": kind})
        assert [i.find("x:name", NS).text for i in items] == [str(v) for v in values]
        assert "na" in [i.find("x:name", NS).text for i in items]
        for lang in defn["languages"]:
            labels = [texts[NAMES[lang]][i.find("x:itextId", NS).text] for i in items]
            assert labels == [xlsform.choice_label(v, lang) for v in values]
    assert message("scale.na", "de") in texts["Deutsch (de)"].values()
    for theme in defn["themes"]:
        for lang in defn["languages"]:
            assert texts[NAMES[lang]][f"/data/{theme['id']}:label"] == tr(theme["title"], lang)
            for st in theme["statements"]:
                assert texts[NAMES[lang]][f"/data/{theme['id']}/{st['id']}:label"] == tr(st["text"], lang)


@pytest.mark.parametrize("ident", IDS)
def test_the_workbook_has_survey_choices_and_settings(xforms, ident):
    from openpyxl import load_workbook

    defn = definitions.load_definition(ident)
    path, _ = xforms[ident]
    book = load_workbook(path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    settings = list(book["settings"].values)
    assert dict(zip(settings[0], settings[1], strict=False)) == {
        "form_title": tr(defn["title"], "en"), "form_id": ident, "version": str(defn["version"]),
        "default_language": "English (en)", "style": "pages"}
    header = next(book["survey"].values)
    assert [c for c in header if c.startswith("label::")] == [f"label::{NAMES[lang]}" for lang in defn["languages"]]


def test_languages_follow_the_definition():
    # A language added to a questionnaire appears in its form; a name unknown to the engine shows its code.
    defn = definitions.load_definition("nec-readiness")
    more = dict(defn, languages=[*defn["languages"], "xx"])
    header = xlsform.sheets(more)["survey"][0]
    labels = [c for c in header if c.startswith("label::")]
    assert labels == [*(f"label::{NAMES[lang]}" for lang in defn["languages"]), "label::xx (xx)"]


def test_without_openpyxl_the_command_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now raises ImportError
    assert main(["xlsform", "nec-readiness", "--out", str(tmp_path / "f.xlsx")]) == 2
    assert capsys.readouterr().err.strip() == message("cli.needs-openpyxl", "en")
    assert not (tmp_path / "f.xlsx").exists()


def test_the_engine_imports_no_third_party_package():
    # The site and the engine stay standard-library-only: openpyxl is imported by the command alone.
    code = ("import sys; import toolbox.cli, toolbox.browser, toolbox.csvimport, toolbox.xlsform; "
            "print(sorted(m for m in ('openpyxl', 'pyxform', 'yaml') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
