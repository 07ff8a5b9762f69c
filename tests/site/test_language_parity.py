"""Language parity (issue 16): the drift check on the real tree, and proof that it can fail.

The check itself is ``scripts/drift.py`` (run it alone for the full report). These tests need
no build: they read the Markdown sources, the tooltips, the termbase and the allow-list.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import drift
import pytest
from support import ROOT
from termbase import Termbase

from toolbox.messages import LANGUAGES, message

# ---- the real tree ----------------------------------------------------------------------


def test_every_language_matches_english_and_uses_the_termbase():
    findings = drift.check()
    assert not findings, drift.report(findings)


def test_the_termbase_has_a_form_in_every_language_and_compiles():
    termbase = Termbase(drift.Paths().termbase, LANGUAGES)
    assert termbase.glossary and termbase.terms
    assert termbase.problems == []


def test_the_termbase_is_not_published():
    """MkDocs publishes every file under docs_dir; the termbase and allow-list stay out of it."""
    paths = drift.Paths()
    for path in (paths.termbase, paths.allow):
        assert path.exists()
        assert ROOT / "docs" not in path.parents


def test_the_check_follows_the_engines_languages():
    assert drift.check.__defaults__[-1] == LANGUAGES


# ---- a copy of the real tree, made to drift ----------------------------------------------


@pytest.fixture()
def tree(tmp_path) -> drift.Paths:
    """A copy of docs/ and includes/ with the real termbase and allow-list."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "includes", tmp_path / "includes")
    real = drift.Paths()
    return drift.Paths(docs=tmp_path / "docs", includes=tmp_path / "includes",
                       termbase=real.termbase, allow=real.allow, data_files=[])


def _new_findings(paths, change) -> list:
    before = set(drift.check(paths))
    change()
    return [f for f in drift.check(paths) if f not in before]


def _pages_with_h2(docs: Path, lang: str):
    for path in sorted((docs / lang).rglob("*.md")):
        heads = [m for m in re.finditer(r"^## .*$", path.read_text(encoding="utf-8"), re.M)]
        if len(heads) >= 2:
            yield path, heads


def test_removing_a_section_from_one_language_fails(tree):
    path, heads = next(_pages_with_h2(tree.docs, "nl"))
    text = path.read_text(encoding="utf-8")
    cut = text[:heads[-1].start()]  # drop the page's last h2 section, with everything under it
    page = path.relative_to(tree.docs / "nl").as_posix()
    new = _new_findings(tree, lambda: path.write_text(cut, encoding="utf-8"))
    assert [f.aspect for f in new if f.where == f"nl/{page}"].count("sections") == 1, new
    (finding,) = [f for f in new if f.aspect == "sections"]
    assert "fewer than en" in finding.text and "missing" in finding.text


def test_removing_a_table_row_from_one_language_fails(tree):
    row = re.compile(r"^\|(?![ -|]*$).*\|[ \t]*\n", re.M)  # a table row, not the |---| line
    for path in sorted((tree.docs / "de").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        rows = list(row.finditer(text))
        if len(rows) >= 3:  # a header row and at least two body rows
            break
    else:
        pytest.fail("no German page with a table")
    last = rows[-1]
    page = path.relative_to(tree.docs / "de").as_posix()
    new = _new_findings(tree, lambda: path.write_text(text[:last.start()] + text[last.end():], encoding="utf-8"))
    tables = [f for f in new if f.where == f"de/{page}" and f.aspect == "tables"]
    assert len(tables) == 1, new
    assert "rows" in tables[0].text


def test_removing_a_glossary_term_from_one_language_fails(tree):
    glossary = tree.docs / "nl" / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    entry = re.search(r"^Mentee\n(:   .*\n)+\n?", text, re.M)
    assert entry, "the Dutch glossary should explain 'Mentee'"
    new = _new_findings(tree, lambda: glossary.write_text(text[:entry.start()] + text[entry.end():], encoding="utf-8"))
    assert drift.Finding("nl/glossary.md", "glossary", "missing term 'Mentee' (en 'Mentee')") in new


def test_removing_a_tooltip_from_one_language_fails(tree):
    path = tree.includes / "abbreviations.de.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("*[ESF]:")]
    assert len(kept) == len(lines) - 1
    new = _new_findings(tree, lambda: path.write_text("".join(kept), encoding="utf-8"))
    assert new == [drift.Finding("includes/abbreviations.de.md", "tooltips", "missing tooltip 'ESF'")]


def test_a_forbidden_variant_in_a_page_fails_with_file_and_word(tree):
    path = tree.docs / "de" / "privacy.md"
    text = path.read_text(encoding="utf-8")
    new = _new_findings(tree, lambda: path.write_text(
        text + "\nDer Weg in den regulären Arbeitsmarkt ist lang.\n", encoding="utf-8"))
    assert len(new) == 1 and new[0].where == "de/privacy.md" and new[0].aspect == "terms", new
    assert "'regulären Arbeitsmarkt'" in new[0].text and "erster Arbeitsmarkt" in new[0].text


# ---- each comparison on a small tree -----------------------------------------------------

TERMBASE = """
terms:
  statements:
    en: {use: statements}
    nl: {use: stellingen, forbidden: [uitspraken]}
    de:
      use: Aussagen
      forbidden: [{pattern: '(?<!Mentorinnen und )\\bMentoren\\b', why: "write 'Mentorinnen und Mentoren'"}]
glossary:
  mentor: {en: Mentor, nl: Mentor, de: "Mentor, Mentorin"}
  third-actor: {en: Third actor, nl: Derde partij, de: Dritte Partei}
tooltips:
  esf: {en: ESF, nl: ESF, de: ESF}
  eu: {en: EU, nl: EU, de: EU}
"""

PAGE = """# Title

!!! abstract "In short"
    Short.

## One

- a
- b

| a | b |
| - | - |
| 1 | 2 |
| 3 | 4 |

See [two](sub/two.md#x) and ![chart](img/chart.png).[^1]

## Two

### Two point one

1. x
2. y

```mermaid
graph LR
```

[^1]: A note.
"""

GLOSSARY = {
    "en": "# Glossary\n\n## Terms\n\nMentor\n:   A person.\n\nThird actor (third)\n:   An organisation.\n",
    "nl": "# Woordenlijst\n\n## Termen\n\nMentor\n:   Iemand.\n\nDerde partij (third actor)\n:   Een organisatie.\n",
    "de": "# Glossar\n\n## Begriffe\n\nMentor, Mentorin\n:   Eine Person.\n\nDritte Partei (third actor)\n:   Eine Organisation.\n",
}


# The small tree holds these three languages whatever the site's list is, so adding a language
# to the site does not change what these tests prove.
SMALL_LANGS = ("en", "nl", "de")


def _check(paths, languages=SMALL_LANGS):
    return drift.check(paths, languages=languages)


@pytest.fixture()
def small(tmp_path) -> drift.Paths:
    """en, nl and de with the same page, glossary and tooltips: no drift at all."""
    for lang in SMALL_LANGS:
        (tmp_path / "docs" / lang / "sub").mkdir(parents=True)
        (tmp_path / "docs" / lang / "page.md").write_text(PAGE, encoding="utf-8")
        (tmp_path / "docs" / lang / "sub" / "two.md").write_text("# Two\n", encoding="utf-8")
        (tmp_path / "docs" / lang / "glossary.md").write_text(GLOSSARY[lang], encoding="utf-8")
        (tmp_path / "includes").mkdir(exist_ok=True)
        (tmp_path / "includes" / f"abbreviations.{lang}.md").write_text("*[ESF]: x\n*[EU]: y\n", encoding="utf-8")
    (tmp_path / "termbase.yml").write_text(TERMBASE, encoding="utf-8")
    (tmp_path / "allow.yml").write_text("[]\n", encoding="utf-8")
    return drift.Paths(docs=tmp_path / "docs", includes=tmp_path / "includes",
                       termbase=tmp_path / "termbase.yml", allow=tmp_path / "allow.yml", data_files=[])


def _edit(paths, lang, page, old, new):
    path = paths.docs / lang / page
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_small_tree_has_no_drift(small):
    assert _check(small) == []


@pytest.mark.parametrize("old, new, aspect, says", [
    ("## Two\n", "", "sections", "1 section fewer than en: missing after 'One': 'Two' (h2)"),
    ("### Two point one\n", "### Extra\n\n### Two point one\n", "sections", "extra after 'Two': 'Extra' (h3)"),
    ('!!! abstract "In short"', '!!! tip "In short"', "admonitions", "en has 'abstract'; nl has 'tip'"),
    ("| 3 | 4 |\n", "", "tables", "under 'One' (en 'One'): en has a table of 2 rows; nl has a table of 1 row"),
    ("- b\n", "", "lists", "en has a bulleted list of 2 items; nl has a bulleted list of 1 item"),
    ("2. y\n", "2. y\n3. z\n", "lists", "en has a numbered list of 2 items; nl has a numbered list of 3 items"),
    (".[^1]", ".", "footnotes", "0 footnote references, en has 1"),
    ("[^1]: A note.\n", "", "footnotes", "0 footnote definitions, en has 1"),
    ("[two](sub/two.md#x)", "two", "links", "missing link to sub/two.md"),
    ("[two](sub/two.md#x)", "[two](glossary.md)", "links", "extra link to glossary.md"),
    ("![chart](img/chart.png)", "", "images", "0 × image img/chart.png, en has 1"),
    ("```mermaid\ngraph LR\n```\n", "", "images", "0 × mermaid, en has 1"),
])
def test_each_kind_of_drift_is_found_and_named(small, old, new, aspect, says):
    _edit(small, "nl", "page.md", old, new)
    findings = _check(small)
    assert {f.where for f in findings} == {"nl/page.md"}, drift.report(findings)
    assert any(f.aspect == aspect and says in f.text for f in findings), drift.report(findings)


def test_text_and_link_anchors_may_differ(small):
    _edit(small, "de", "page.md", "- a\n", "- ein ganz anderer Text\n")
    _edit(small, "de", "page.md", "sub/two.md#x", "sub/two.md#y")
    _edit(small, "de", "page.md", "## One", "## Eins")
    assert _check(small) == []


def test_a_missing_and_an_extra_page_are_named(small):
    (small.docs / "nl" / "sub" / "two.md").unlink()
    (small.docs / "de" / "only-de.md").write_text("# Nur\n", encoding="utf-8")
    findings = _check(small)
    assert drift.Finding("nl/sub/two.md", "pages", "the page is missing (en/sub/two.md exists)") in findings
    assert drift.Finding("de/only-de.md", "pages", "the page is not in en") in findings


def test_glossary_terms_are_compared_through_the_termbase(small):
    _edit(small, "de", "glossary.md", "Dritte Partei (third actor)\n:   Eine Organisation.\n", "")
    _edit(small, "nl", "glossary.md", "Derde partij", "Derde actor")
    findings = _check(small)
    assert drift.Finding("de/glossary.md", "glossary", "missing term 'Dritte Partei' (en 'Third actor')") in findings
    assert any(f.where == "nl/glossary.md" and "'Derde actor' is not in the termbase" in f.text for f in findings)
    assert drift.Finding("nl/glossary.md", "glossary", "missing term 'Derde partij' (en 'Third actor')") in findings


def test_tooltips_must_be_the_same_set(small):
    (small.includes / "abbreviations.nl.md").write_text("*[ESF]: x\n*[vzw]: z\n", encoding="utf-8")
    findings = _check(small)
    assert set(findings) == {
        drift.Finding("includes/abbreviations.nl.md", "tooltips", "missing tooltip 'EU'"),
        drift.Finding("includes/abbreviations.nl.md", "tooltips", "extra tooltip 'vzw'"),
    }


def test_forbidden_variants_fail_in_running_text_only(small):
    _edit(small, "nl", "page.md", "- a\n", "- De uitspraken en *uitspraken*, `uitspraken`, „uitspraken“ en <https://x.be/uitspraken>\n")
    _edit(small, "de", "page.md", "- a\n", "- Mentorinnen und Mentoren, aber auch Mentoren\n")
    findings = _check(small)
    assert set(findings) == {
        drift.Finding("nl/page.md", "terms", "'uitspraken' under 'One': write 'stellingen'"),
        drift.Finding("de/page.md", "terms", "'Mentoren' under 'One': write 'Mentorinnen und Mentoren'"),
    }


def test_forbidden_variants_fail_in_questionnaire_and_interface_texts(small, tmp_path):
    data = tmp_path / "ui.json"
    data.write_text(json.dumps({"nl": {"intro": "Lees de uitspraken."}, "en": {"intro": "uitspraken"}}), encoding="utf-8")
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text("themes:\n  - id: t1\n    title:\n      en: uitspraken\n      nl: 'Alle uitspraken'\n", encoding="utf-8")
    small.data_files = [data, questionnaire]
    findings = _check(small)
    assert set(findings) == {
        drift.Finding("ui.json", "terms", "'uitspraken' at nl.intro: write 'stellingen'"),
        drift.Finding("q.yaml", "terms", "'uitspraken' at themes[t1].title.nl: write 'stellingen'"),
    }


def test_the_allow_list_needs_a_reason_and_must_be_used(small):
    _edit(small, "nl", "page.md", "- b\n", "")
    small.allow.write_text(
        "- {where: nl/page.md, aspect: lists, contains: bulleted list, reason: 'Dutch readers need one item less.'}\n",
        encoding="utf-8")
    assert _check(small) == []
    small.allow.write_text("- {where: nl/page.md, aspect: lists, contains: bulleted list}\n", encoding="utf-8")
    findings = _check(small)
    assert drift.Finding("allow.yml", "allow-list", "entry 1 (nl/page.md) has no reason") in findings
    assert any(f.where == "nl/page.md" for f in findings)  # an entry without a reason allows nothing
    small.allow.write_text(
        "- {where: de/page.md, aspect: lists, contains: bulleted list, reason: 'stale'}\n", encoding="utf-8")
    findings = _check(small)
    assert any(f.aspect == "allow-list" and "matches no difference" in f.text for f in findings)


def test_a_new_language_joins_by_being_listed(small):
    """fi/sv: listing a language is enough to hold it to every page, term and tooltip."""
    findings = _check(small, languages=(*SMALL_LANGS, "fi"))
    assert drift.Finding("fi/page.md", "pages", "the page is missing (en/page.md exists)") in findings
    assert drift.Finding("includes/abbreviations.fi.md", "tooltips", "the file is missing") in findings
    assert any(f.aspect == "termbase" and "has no fi form" in f.text for f in findings)


def test_the_ready_sentence_speaks_every_language():
    # The status line of the self-evaluations page: the page words the engine's facts
    # (browser.runtime_info) with this sentence of its own language.
    sentences = {}
    for lang in LANGUAGES:
        page = (ROOT / "docs" / lang / "toolbox" / "index.md").read_text(encoding="utf-8")
        found = re.findall(r'data-ready-text="([^"]*)"', page)
        assert len(found) == 1, lang
        sentences[lang] = found[0]
        assert "{python}" in found[0] and "{toolbox}" in found[0] and "(1+2+3+4+5 = {check})" in found[0], lang
    assert len(set(sentences.values())) == len(LANGUAGES), sentences


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_help_quotes_the_labels_as_they_read(lang):
    # The help above the form names the "don't know" answer and the answers to give instead when
    # something is simply not done; it must quote the labels of this language exactly.
    ui = json.loads((ROOT / "memore_site" / "data" / "ui.json").read_text(encoding="utf-8"))[lang]
    for key in ("scale.na", "scale.2", "practice.no"):
        assert message(key, lang) in ui["how_text"], (lang, key)
