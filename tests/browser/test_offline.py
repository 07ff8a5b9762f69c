"""The offline edition, unzipped into a temporary folder and opened from file:// (no server)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import qhelpers as q
from support import LANGS, ROOT


def file_url(folder: Path, path: str) -> str:
    return (folder / path).as_uri()


def test_home_search_and_follow_a_hit(offline_dir, offline_page):
    page, _network, _errors = offline_page
    page.goto(file_url(offline_dir, "START-HERE.html"))
    page.wait_for_url("**/index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("input.md-search__input")
    page.keyboard.type("mentor")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=20_000)
    assert page.locator(".md-search-result__item").count() >= 3
    # Results stay in the reader's language.
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert hrefs and not any("/nl/" in h or "/de/" in h for h in hrefs), hrefs
    target = first.get_attribute("href")
    first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.split("#")[0].endswith(target.split("#")[0].lstrip("./"))
    assert page.evaluate("window.__csp") == []


@pytest.mark.parametrize("lang", ["nl", "sv"])
def test_search_in_a_language_finds_that_languages_pages(offline_dir, offline_page, lang):
    page, _network, _errors = offline_page
    page.goto(file_url(offline_dir, f"{lang}/index.html"))
    page.click("input.md-search__input")
    page.keyboard.type(q.SEARCH_WORDS[lang])
    page.locator(".md-search-result__item a").first.wait_for(timeout=20_000)
    assert page.locator(".md-search-result__item").count() >= 3
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert all(f"/{lang}/" in h for h in hrefs), hrefs
    first = page.locator(".md-search-result__item a").first
    first.click()
    page.wait_for_load_state("load")
    assert f"/{lang}/" in page.url and page.evaluate("document.documentElement.lang") == lang


def test_switch_language_and_see_the_pictures(offline_dir, offline_page):
    page, _network, _errors = offline_page
    page.goto(file_url(offline_dir, "models/mentoring-to-nec.html"))
    figures = page.locator("figure.memore-diagram svg[role=img]")
    assert figures.count() >= 2 and figures.first.is_visible()
    page.hover(".md-select button")
    page.click('.md-select a[hreflang="de"]')
    page.wait_for_load_state("load")
    assert page.url.endswith("/de/models/mentoring-to-nec.html")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.locator("figure.memore-diagram svg[role=img]").count() >= 2
    assert page.evaluate("window.__csp") == []


@pytest.mark.parametrize("lang", LANGS)
def test_questionnaire_scores_downloads_and_loads_back_from_file(offline_dir, offline_page, tmp_path, lang):
    page, _network, _errors = offline_page
    page.goto(file_url(offline_dir, ("" if lang == "en" else f"{lang}/") + "toolbox/programme-quality.html"))
    q.wait_ready(page)
    # Browsers refuse workers from file://: Python runs in the page there.
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-thread") == "page"
    # ... starting from the build's memory snapshot, which the zip carries as a classic script.
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    answers = q.pattern_answers("programme-quality", offset=4)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    page.wait_for_selector(".memore-charts svg[role=img]")
    overall = page.text_content(".memore-overall")
    expected = q.expected_table("programme-quality", answers, lang)
    assert expected["overall"]["mean_display"] in overall and expected["overall"]["level_label"] in overall
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / "offline.json"
    info.value.save_as(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["answers"] == answers and saved["language"] == lang
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-memore-reset]")
    assert q.form_answers(page) == {}
    page.set_input_files("[data-memore-load]", str(path))
    page.wait_for_selector(".memore-overall")
    page.wait_for_function("text => document.querySelector('.memore-overall').textContent === text", arg=overall)
    assert q.form_answers(page) == answers
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == answers  # autosave works from file:// too
    assert page.evaluate("window.__csp") == []


def test_firefox_opens_a_questionnaire_and_draws_the_chart(offline_dir):
    firefox = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
    assert Path(firefox).exists(), "install Debian's firefox-esr (scripts/test does it as root)"
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "browser" / "firefox_questionnaire.mjs"), file_url(offline_dir, "toolbox/nec-readiness.html")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["errors"] == [], out["errors"]
    assert out["state"] == "ready"
    assert out["charts"] >= 2
    assert out["theme"] == 1  # Material's script, held while Python started, inserted once
    total = len(q.statement_ids("nec-readiness"))
    assert out["answered"].startswith(f"{total} of {total}")
    assert out["thread"] == "page"  # no workers from file://
    assert out["restored"] == total  # autosave works in Firefox from file:// too
    assert not [u for u in out["requests"] if u.startswith(("http:", "https:"))]


def test_a_stick_without_the_snapshot_still_scores(offline_dir, offline_page, tmp_path):
    # A copy that lost assets/toolbox/offline-snapshot.js: Python starts the plain way, same scores.
    stick = tmp_path / "stick"
    shutil.copytree(offline_dir, stick, ignore=shutil.ignore_patterns("offline-snapshot.js"))
    assert not (stick / "assets" / "toolbox" / "offline-snapshot.js").exists()
    page, network, _errors = offline_page
    page.goto(file_url(stick, "toolbox/nec-readiness.html"))
    q.wait_ready(page)
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "plain"
    answers = q.pattern_answers("nec-readiness", offset=2)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    expected = q.expected_table("nec-readiness", answers)
    assert expected["overall"]["mean_display"] in page.text_content(".memore-overall")
    assert network == []
