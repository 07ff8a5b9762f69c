"""Every language end to end (issue 20): its search finds its own pages, and a questionnaire in it
scores, charts, downloads and loads back, over http and from the offline copy (file://).

A new language joins these tests by being listed in ``LANGS`` (tests/support.py) and giving a word
of its own pages to ``SEARCH_WORDS`` in ``qhelpers.py``.
"""

from __future__ import annotations

import json

import pytest
import qhelpers as q
from support import LANGS

# A word that the pages of each language use often, in that language's own form.
SEARCH_WORDS = q.SEARCH_WORDS
IDENT = "programme-quality"


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def in_language(href: str, lang: str) -> bool:
    """Whether a link of a search hit points into ``lang``'s tree (English lives at the top)."""
    others = [f"/{other}/" for other in LANGS if other != "en"]
    return f"/{lang}/" in href if lang != "en" else not any(o in href for o in others)


@pytest.fixture
def offline(offline_page):
    """The shared file:// page (tests/conftest.py): no request over the network, no page error."""
    return offline_page[0]


def open_page(where, lang, path, base_url, offline_dir, watched, offline):
    if where == "http":
        page = watched.page
        page.goto(base_url + prefix(lang) + path)
    else:
        page = offline
        page.goto((offline_dir / (prefix(lang) + path)).as_uri())
    return page


def test_every_language_has_a_search_word():
    assert set(SEARCH_WORDS) == set(LANGS), "give each language of LANGS a word of its pages in SEARCH_WORDS"


@pytest.mark.parametrize("where", ["http", "file"])
@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_pages_of_the_readers_language_only(request, where, lang):
    fixtures = {name: request.getfixturevalue(name) for name in
                (("base_url", "watched") if where == "http" else ("offline_dir", "offline"))}
    page = open_page(where, lang, "index.html", fixtures.get("base_url"), fixtures.get("offline_dir"),
                     fixtures.get("watched"), fixtures.get("offline"))
    assert page.evaluate("document.documentElement.lang") == lang
    page.click("input.md-search__input")
    page.keyboard.type(SEARCH_WORDS[lang])
    page.locator(".md-search-result__item a").first.wait_for(timeout=20_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert len(hrefs) >= 2, hrefs
    assert all(in_language(h, lang) for h in hrefs), hrefs


@pytest.mark.parametrize("where", ["http", "file"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_questionnaire_scores_charts_downloads_and_loads_back(request, tmp_path, where, lang):
    fixtures = {name: request.getfixturevalue(name) for name in
                (("base_url", "watched") if where == "http" else ("offline_dir", "offline"))}
    page = open_page(where, lang, f"toolbox/{IDENT}.html", fixtures.get("base_url"), fixtures.get("offline_dir"),
                     fixtures.get("watched"), fixtures.get("offline"))
    q.wait_ready(page)
    assert page.get_attribute("[data-memore-questionnaire]", "data-lang") == lang
    answers = q.pattern_answers(IDENT, offset=3)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    page.wait_for_selector(".memore-charts svg[role=img]")
    expected = q.expected_table(IDENT, answers, lang)  # CPython's figures and words in this language
    overall = page.text_content(".memore-overall")
    assert expected["overall"]["mean_display"] in overall and expected["overall"]["level_label"] in overall, overall
    weak = page.locator(".memore-weak h4").all_text_contents()
    by_id = {t["id"]: t for t in expected["themes"]}
    assert weak == [by_id[i]["title"] for i in expected["weakest"]]
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / f"{lang}.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"] == answers and data["language"] == lang
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-memore-reset]")
    assert q.form_answers(page) == {}
    page.set_input_files("[data-memore-load]", str(path))
    page.wait_for_function("text => document.querySelector('.memore-overall')?.textContent === text", arg=overall)
    assert q.form_answers(page) == answers
