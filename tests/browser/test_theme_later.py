"""On pages that run Python, Material's script waits in a <template> until Python's first results
are on screen (toolbox.js, holdTheme): its evaluation and mounting would otherwise take the page's
thread while Python starts. The visitor turning to the header, a failed start or THEME_HOLD_MS
release it sooner; reading pages load it as before."""

from __future__ import annotations

import qhelpers as q

THEME_HOLD_MS = 3000  # toolbox.js
LIFT_LIMIT = "window.__memoreThemeHoldMs = 600000;"  # read by toolbox.js
BUNDLE_RUN = "() => typeof window.document$ !== 'undefined'"  # Material's bundle sets document$ when it runs
BUNDLE_TAGS = "document.querySelectorAll('script[src*=\"javascripts/bundle.\"]').length"

# Before any page script: when Material's script tag entered the document (ms since navigation).
INSERTED_AT = """(() => {
  new MutationObserver((records, watch) => {
    if (!document.querySelector('script[src*="javascripts/bundle."]')) return;
    window.__bundleInsertedAt = performance.now();
    watch.disconnect();
  }).observe(document, { childList: true, subtree: true });
})();"""

# Before any page script: notes, when the first results appear, whether Material's script had
# been inserted or had run by then.
AT_FIRST_RESULTS = """(() => {
  const seen = window.__atFirstResults = { tags: null, ran: null };
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-memore-questionnaire]");
    const watch = new MutationObserver(() => {
      if (!root.hasAttribute("data-scored-at")) return;
      watch.disconnect();
      seen.tags = document.querySelectorAll('script[src*="javascripts/bundle."]').length;
      seen.ran = typeof window.document$ !== "undefined";
    });
    watch.observe(root, { attributes: true, attributeFilter: ["data-scored-at"] });
  });
})();"""


def test_materials_script_runs_once_the_first_results_are_on_screen(base_url, context):
    context.add_init_script(AT_FIRST_RESULTS)
    page = context.new_page()
    page.goto(q.url(base_url, "sustainability"))
    held_tag = "document.querySelector('template[data-memore-theme-later]').content.querySelectorAll('script[src]').length"
    assert page.evaluate(held_tag) == 1
    q.wait_scored(page)
    assert page.evaluate("window.__atFirstResults") == {"tags": 0, "ran": False}
    page.wait_for_function(BUNDLE_RUN, timeout=10_000)
    assert page.evaluate(BUNDLE_TAGS) == 1
    # Mounted: the palette control Material wires up now switches the colour scheme.
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== {before!r}", timeout=5000)


def test_answering_holds_it_and_turning_to_the_header_releases_it(base_url, context):
    # Python never starts (its worker's script is held) and the time limit is lifted: only the
    # visitor can release it, and answering in the form does not.
    context.add_init_script(LIFT_LIMIT)
    page, held = q.page_without_python(context, base_url)
    sid = q.statement_ids("sustainability")[0]
    page.check(f'input[name="q-{sid}"][value="partly"]')
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    assert page.evaluate(BUNDLE_TAGS) == 0
    page.locator("header.md-header").click(position={"x": 4, "y": 4})
    page.wait_for_function(BUNDLE_RUN, timeout=5000)
    assert held, "the worker's script was never requested"


def test_it_is_held_for_three_seconds_at_most(base_url, context):
    context.add_init_script(INSERTED_AT)
    page, held = q.page_without_python(context, base_url)
    page.wait_for_function(BUNDLE_RUN, timeout=THEME_HOLD_MS + 10_000)
    assert page.evaluate("window.__bundleInsertedAt") >= THEME_HOLD_MS
    assert page.get_attribute("[data-memore-status]", "data-state") != "ready"
    assert held, "the worker's script was never requested"


def test_a_failed_start_releases_it(base_url, context):
    context.route("**/assets/pyodide/**", lambda route: route.fulfill(status=404, body="gone"))
    context.route("**/assets/toolbox/python-snapshot.bin", lambda route: route.fulfill(status=404, body="gone"))
    page = context.new_page()
    page.goto(q.url(base_url, "sustainability"))
    page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=q.PYTHON_TIMEOUT)
    page.wait_for_function(BUNDLE_RUN, timeout=5000)


def test_reading_pages_load_it_as_before(base_url, context):
    page = context.new_page()
    page.goto(base_url + "models/mentoring-to-nec.html", wait_until="load")
    assert page.locator("template[data-memore-theme-later]").count() == 0
    assert page.locator("script[src*='javascripts/bundle.'][async]").count() == 1
    page.wait_for_function(BUNDLE_RUN, timeout=5000)
