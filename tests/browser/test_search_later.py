"""On pages that run Python, the site search's index waits for Python (search-later.js)."""

from __future__ import annotations

import qhelpers as q

INDEX_ASKED = """() => {
  const entry = performance.getEntriesByType("resource").find((r) => /search\\/search_index\\.json$/.test(r.name));
  return entry ? entry.startTime : null;
}"""
HOLD_MS = 5000  # search-later.js
SEARCH_QUIET_MS = 1500  # results.js
LIFT_LIMIT = "window.__memoreSearchHoldMs = 600000;"  # read by search-later.js


def _search(page, word="mentor"):
    page.click("input.md-search__input")
    page.keyboard.type(word)
    page.locator(".md-search-result__item a").first.wait_for(timeout=20_000)
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


def test_the_search_index_is_asked_for_once_the_results_are_shown_and_quiet(base_url, context):
    # The hold's own limit is lifted here, so only the page's release can end it: 1.5 s after the
    # last evaluation (results.js, SEARCH_QUIET_MS).
    context.add_init_script(LIFT_LIMIT)
    page = context.new_page()
    page.goto(q.url(base_url, "sustainability"))
    q.wait_ready(page)
    q.wait_scored(page)
    scored = int(page.get_attribute("[data-memore-questionnaire]", "data-scored-at"))  # epoch ms
    page.wait_for_function(f"() => ({INDEX_ASKED})() !== null", timeout=20_000)
    asked = page.evaluate(f"performance.timeOrigin + ({INDEX_ASKED})()")
    assert asked >= scored + SEARCH_QUIET_MS - 5, ("the search index was asked for too soon", asked - scored)
    assert len(_search(page)) >= 2


def test_on_the_self_evaluations_page_the_index_waits_for_python(base_url, context):
    # That page runs Python only for its check (data-memore-smoke): no results to wait for. The
    # hold's own limit is lifted, so a slow start cannot end it first.
    context.add_init_script(LIFT_LIMIT)
    page = context.new_page()
    page.goto(base_url + "toolbox/index.html")
    page.wait_for_selector("[data-memore-smoke][data-state=ready]", timeout=q.PYTHON_TIMEOUT)
    ready = page.evaluate("window.MemoreToolbox.startPython().then((e) => e.steps.engine - performance.timeOrigin)")
    page.wait_for_function(f"() => ({INDEX_ASKED})() !== null", timeout=10_000)
    asked = page.evaluate(INDEX_ASKED)
    assert asked >= ready, (ready, asked)


def test_turning_to_the_search_releases_the_index_at_once(base_url, context):
    # Python never starts here (its worker's script is held) and the hold's own limit is lifted:
    # only the visitor's click into the search field can release the index.
    context.add_init_script(LIFT_LIMIT)
    page, held = q.page_without_python(context, base_url)
    # Material's script, itself held while Python starts (test_theme_later.py), runs now and
    # asks for the index, which stays held.
    page.evaluate("window.MemoreToolbox.releaseTheme()")
    page.wait_for_function("() => window.MemoreSearchLater.held() === 1", timeout=10_000)
    page.wait_for_timeout(500)
    assert page.evaluate(INDEX_ASKED) is None, "the index was asked for while Python was starting"
    assert page.evaluate("window.MemoreSearchLater.held()") == 1
    clicked = page.evaluate("performance.now()")
    hrefs = _search(page)
    asked = page.evaluate(INDEX_ASKED)
    assert asked >= clicked, (clicked, asked)
    assert len(hrefs) >= 2, hrefs
    assert held, "the worker's script was never requested"
    assert page.get_attribute("[data-memore-status]", "data-state") != "ready"


def test_the_index_is_held_for_five_seconds_at_most(base_url, context):
    page, held = q.page_without_python(context, base_url)
    page.wait_for_function(f"() => ({INDEX_ASKED})() !== null", timeout=HOLD_MS + 10_000)
    assert page.evaluate(INDEX_ASKED) >= HOLD_MS
    assert held, "the worker's script was never requested"
    assert page.get_attribute("[data-memore-status]", "data-state") != "ready"
    assert len(_search(page)) >= 2


def test_reading_pages_ask_for_the_index_at_once(base_url, context):
    page = context.new_page()
    page.goto(base_url + "models/mentoring-to-nec.html", wait_until="load")
    assert page.evaluate("typeof window.MemoreSearchLater") == "undefined"
    # Material's script asks for it while it starts, which the load event waits for (the answer
    # may come later, so the entry is waited for; its start is when it was asked).
    page.wait_for_function(f"() => ({INDEX_ASKED})() !== null", timeout=20_000)
    asked = page.evaluate(INDEX_ASKED)
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
    assert asked <= loaded, (asked, loaded)
