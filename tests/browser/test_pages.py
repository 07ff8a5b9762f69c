"""Every page in Chromium over http: no errors, nothing from other origins, Python, languages."""

from __future__ import annotations

import pytest
from qhelpers import CSP_LISTENER, PYTHON_TIMEOUT
from support import LANGS


def site_pages(site_dir):
    return sorted(
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if "assets" not in p.parts and p.name != "404.html"
    )


def test_every_page_loads_cleanly_with_no_foreign_request(site_dir, base_url, watched):
    page = watched.page
    page.add_init_script(CSP_LISTENER)
    pages = site_pages(site_dir)
    assert len(pages) >= 54
    problems = []
    for path in pages:
        watched.errors.clear()
        watched.console_errors.clear()
        response = page.goto(base_url + path, wait_until="load")
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
        page.wait_for_timeout(50)
        csp = page.evaluate("window.__csp")
        if watched.errors or watched.console_errors or csp:
            problems.append(f"{path}: {watched.errors + watched.console_errors + csp}")
        lang = page.evaluate("document.documentElement.lang")
        expected = path.split("/")[0] if path.split("/")[0] in LANGS else "en"
        if lang != expected:
            problems.append(f"{path}: lang={lang}")
    assert not problems, "\n".join(problems)
    assert not watched.foreign_requests(), watched.foreign_requests()


@pytest.mark.parametrize("lang", LANGS)
def test_python_runs_in_the_page_and_prints_the_smoke_line(base_url, watched, lang):
    page = watched.page
    page.add_init_script(CSP_LISTENER)
    prefix = "" if lang == "en" else f"{lang}/"
    page.goto(base_url + f"{prefix}toolbox/index.html")
    smoke = page.locator("[data-memore-smoke]")
    # Visible loading state first, then the line computed by toolbox inside Pyodide.
    assert smoke.get_attribute("data-state") in ("loading", "ready")
    page.wait_for_selector("[data-memore-smoke][data-state=ready]", timeout=90_000)
    text = smoke.text_content()
    assert "Python 3." in text and "0.1.0" in text and "15" in text
    assert page.evaluate("window.__csp") == []
    assert not watched.errors
    assert not watched.foreign_requests()


def test_python_failure_is_shown_plainly(base_url, context):
    context.route("**/assets/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(base_url + "toolbox/index.html")
    page.wait_for_selector("[data-memore-smoke][data-state=failed]", timeout=30_000)
    assert "could not start" in page.locator("[data-memore-smoke]").text_content()


def test_language_switcher_reaches_the_same_page_in_each_language(base_url, watched):
    page = watched.page
    for start in ("models/memoga.html", "nl/models/memoga.html", "de/toolbox/sustainability.html"):
        same = start.split("/", 1)[1] if start.split("/")[0] in LANGS else start
        for lang in LANGS:
            page.goto(base_url + start)
            # On a page that runs Python, Material's script runs once the first results are on
            # screen (toolbox.js): its header settles then, so the menu is opened after that.
            page.wait_for_function("() => typeof window.document$ !== 'undefined'", timeout=PYTHON_TIMEOUT)
            page.hover(".md-select button")
            page.click(f'.md-select a[hreflang="{lang}"]')
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.lang") == lang, (start, lang, page.url)
            expected = same if lang == "en" else f"{lang}/{same}"
            assert page.url == base_url + expected, (start, lang, page.url)
    assert not watched.foreign_requests()


def test_theme_components_mount_and_the_colour_scheme_switches_and_stays(base_url, watched):
    # Material's script runs async and mounts after DOMContentLoaded (the build's one bundle
    # patch): the table of contents follows the reader, and the scheme toggle works, is kept
    # across pages and leaves no "switching" mark behind.
    page = watched.page
    page.goto(base_url + "models/mentoring-to-nec.html")
    page.wait_for_function("() => document.querySelector('meta[name=theme-color]')")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("h2").nth(2).scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.md-sidebar--secondary .md-nav__link--active')")
    scheme_metas = "() => [...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)"
    assert page.evaluate(scheme_metas) == ["light"]
    page.click("label[for='__palette_1']")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'"
                           " && !document.body.hasAttribute('data-md-color-switching')")
    page.wait_for_function(f"() => ({scheme_metas})().join() === 'dark'")  # one tag, following the scheme
    page.goto(base_url + "toolbox/sustainability.html")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.wait_for_function("() => !document.querySelector(\"label[for='__palette_0']\").hidden")
    page.click("label[for='__palette_0']")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.wait_for_function(f"() => ({scheme_metas})().join() === 'light'")
    assert not watched.errors
    assert not watched.foreign_requests()
