"""The questionnaire in Chromium: answer, score, autosave, download, load, compare, failures."""

from __future__ import annotations

import gzip
import json

import pytest
import qhelpers as q
from support import CHROMIUM, CHROMIUM_ARGS, LANGS, QUESTIONNAIRES, SITE


def open_ready(page, base_url, ident="sustainability", lang="en"):
    page.goto(q.url(base_url, ident, lang))
    q.wait_ready(page)
    q.wait_scored(page)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ident", QUESTIONNAIRES)
def test_fill_every_item_and_see_the_chart(base_url, watched, ident, lang):
    page = watched.page
    open_ready(page, base_url, ident, lang)
    answers = q.pattern_answers(ident)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    page.wait_for_timeout(100)
    total = len(answers)
    progress = page.text_content("[data-memore-progress]")
    assert str(total) in progress and progress.count(str(total)) >= 2
    radar = page.locator(".memore-charts svg[role=img]").first
    assert radar.is_visible()
    assert page.locator(".memore-charts svg title").count() >= 2
    expected = q.expected_table(ident, answers, lang)
    overall = page.text_content(".memore-overall")
    assert expected["overall"]["mean_display"] in overall
    assert expected["overall"]["level_label"] in overall
    rows = page.locator(".memore-charts table tbody tr").count()
    assert rows >= len(q.definition(ident)["themes"])
    # The weakest three come first, with their advice.
    weak_titles = page.locator(".memore-weak h4").all_text_contents()
    by_id = {t["id"]: t for t in expected["themes"]}
    assert weak_titles == [by_id[i]["title"] for i in expected["weakest"]]
    assert page.get_attribute("[data-memore-results]", "aria-live") == "polite"
    # Over http, Python runs in a Web Worker: its start never blocks the page.
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-thread") == "worker"
    assert any(w.url.endswith("/assets/toolbox/python-worker.mjs") for w in page.workers)
    # ... and starts from the build's memory snapshot (engine already imported).
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    assert page.evaluate("() => window.MemoreToolbox.startPython().then((e) => e.engineFrom)") == "snapshot"
    assert not watched.errors and not watched.foreign_requests()


def _same_scores_as_cpython(page, ident="nec-readiness", offset=1):
    answers = q.pattern_answers(ident, offset=offset)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    expected = q.expected_table(ident, answers)
    assert expected["overall"]["mean_display"] in page.text_content(".memore-overall")
    weak_titles = page.locator(".memore-weak h4").all_text_contents()
    by_id = {t["id"]: t for t in expected["themes"]}
    assert weak_titles == [by_id[i]["title"] for i in expected["weakest"]]


@pytest.mark.parametrize("damage", ["missing", "corrupt", "not-gzip", "sparse-cut"])
def test_without_a_usable_snapshot_python_starts_the_plain_way(base_url, context, damage):
    def damaged(route):
        if damage == "missing":
            route.fulfill(status=404, body="not found")
        elif damage == "corrupt":  # gzip header, then garbage
            route.fulfill(status=200, body=bytes([0x1F, 0x8B, 8, 0]) + b"\x00garbage" * 100,
                          content_type="application/octet-stream")
        elif damage == "not-gzip":  # plain bytes that are no memory image
            route.fulfill(status=200, body=b"\x01" * 4096, content_type="application/octet-stream")
        else:  # the build's sparse form, its last run cut short
            stored = gzip.decompress((SITE / "assets" / "toolbox" / "python-snapshot.bin").read_bytes())
            route.fulfill(status=200, body=gzip.compress(stored[:-5000], 1), content_type="application/octet-stream")

    context.route("**/assets/toolbox/python-snapshot.bin", damaged)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_ready(page, base_url, "nec-readiness")
    root = "[data-memore-questionnaire]"
    assert page.get_attribute(root, "data-python-thread") == "worker"
    assert page.get_attribute(root, "data-python-start") == "plain"
    _same_scores_as_cpython(page)
    assert errors == []


def test_on_a_slow_link_python_skips_the_snapshot(base_url, context):
    # The snapshot adds about 6.5 MB to a first visit: not worth it where the browser reports a
    # slow link (here Chromium's own network emulation, which sets navigator.connection to 3g).
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 600, "downloadThroughput": -1,
                                                  "uploadThroughput": -1, "connectionType": "cellular3g"})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_ready(page, base_url, "nec-readiness")
    assert page.evaluate("navigator.connection.effectiveType") != "4g"
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "plain"
    assert not any(url.endswith("/python-snapshot.bin") for url in requested)
    _same_scores_as_cpython(page, offset=3)


def test_a_snapshot_from_another_build_gets_the_engine_files_of_this_one(base_url, context, site_dir):
    # A cache may pair an old snapshot with a new engine.js: the engine is then imported afresh.
    engine = (site_dir / "assets" / "toolbox" / "engine.js").read_text(encoding="utf-8")
    build = json.loads(engine[engine.index("{"):engine.rindex("}") + 1])["build"]
    other = engine.replace(f'"build":"{build}"', '"build":"0000000000000000"')
    assert other != engine
    context.route("**/assets/toolbox/engine.js",
                  lambda route: route.fulfill(status=200, body=other, content_type="text/javascript"))
    page = context.new_page()
    open_ready(page, base_url, "nec-readiness")
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    assert page.evaluate("() => window.MemoreToolbox.startPython().then((e) => e.engineFrom)") == "files"
    _same_scores_as_cpython(page, offset=4)


def test_each_runtime_file_is_requested_once(base_url, context):
    # The worker begins Pyodide's own requests itself and hands them over (python-worker.mjs,
    # ownRequests): the 9.6 MB wasm, which it compiles while the snapshot unpacks, is not asked
    # for a second time by Pyodide, nor is anything else.
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url.split("?")[0]))
    open_ready(page, base_url, "nec-readiness")
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    names = ["pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "pyodide-lock.json", "python_stdlib.zip",
             "python-snapshot.bin", "engine.js", "python-worker.mjs", "runtime.js"]
    counts = {name: sum(1 for url in requested if url.rsplit("/", 1)[-1] == name) for name in names}
    # runtime.js twice: the page runs it (it adopts the worker) and so does the worker.
    assert counts == {**dict.fromkeys(names, 1), "runtime.js": 2}, counts
    _same_scores_as_cpython(page, offset=5)


def test_when_the_worker_is_refused_python_runs_in_the_page(base_url, context):
    context.route("**/assets/toolbox/python-worker.mjs", lambda route: route.abort())
    # runtime.js shares Pyodide's tiny wasm wrapper modules only while Python starts; in the page,
    # the browser's own WebAssembly.Module must be back afterwards.
    context.add_init_script("window.__ownWasmModule = WebAssembly.Module;")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_ready(page, base_url, "nec-readiness")
    answers = q.pattern_answers("nec-readiness", offset=2)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-thread") == "page"
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    assert page.get_attribute("[data-memore-status]", "data-state") == "ready"
    assert page.evaluate("WebAssembly.Module === window.__ownWasmModule")
    expected = q.expected_table("nec-readiness", answers)
    assert expected["overall"]["mean_display"] in page.text_content(".memore-overall")
    assert errors == []


WORKER_CLOCK = """
(() => {
  const Original = window.Worker;
  window.Worker = function (url, options) {
    if (String(url).includes("python-worker")) window.__workerAt = performance.now();
    return new Original(url, options);
  };
})();
"""


def test_a_first_visit_starts_python_once_the_page_is_parsed(base_url, context):
    # A first visit: early.js does not start the worker in the head (the page did not come from
    # the cache); toolbox.js starts it when it runs, after parsing and before DOMContentLoaded,
    # without waiting for the load event.
    context.add_init_script(WORKER_CLOCK)
    page = context.new_page()
    open_ready(page, base_url, "nec-readiness")
    assert page.evaluate("window.MemoreEarly.startedEarly") is False
    started = page.evaluate("window.__workerAt")
    nav = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                        " return { parsed: n.domInteractive, dcl: n.domContentLoadedEventStart, load: n.loadEventStart }; })()")
    assert started is not None and nav["parsed"] > 0
    assert nav["parsed"] <= started <= nav["dcl"], (started, nav)
    assert started < nav["load"], (started, nav)
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-thread") == "worker"


# An image added while the page is parsed, whose answer never comes: the load event never fires.
NEVER_LOADS = """document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  const image = document.createElement("img");
  image.src = "/__never-answered.png";
  image.alt = "";
  document.body.appendChild(image);
});"""


def test_a_page_load_that_never_ends_does_not_hold_python_back(base_url, context):
    # The load event never fires (an image that never arrives) and Material's script never
    # arrives either: Python starts all the same, once the page is parsed, and the questionnaire
    # scores as usual.
    held = []
    context.route("**/assets/javascripts/bundle.*.min.js", lambda route: held.append(route))
    context.route("**/__never-answered.png", lambda route: held.append(route))
    context.add_init_script(NEVER_LOADS)
    context.add_init_script(WORKER_CLOCK)
    page = context.new_page()
    page.goto(q.url(base_url, "nec-readiness"), wait_until="domcontentloaded")
    answers = q.pattern_answers("nec-readiness", offset=5)
    q.answer(page, answers)
    q.wait_ready(page)
    q.wait_scored(page)
    assert {r.request.url.rsplit("/", 1)[-1].split(".")[0] for r in held} == {"__never-answered", "bundle"}, held
    assert page.evaluate("document.readyState") != "complete"
    started = page.evaluate("window.__workerAt")
    dcl = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventStart")
    assert started is not None and started <= dcl, (started, dcl)
    expected = q.expected_table("nec-readiness", answers)
    assert expected["overall"]["mean_display"] in page.text_content(".memore-overall")


def test_a_returning_visitor_gets_python_without_waiting_for_the_page_to_settle(base_url, browser, tmp_path):
    # A second visit has the runtime in the HTTP cache: early.js starts Python in the head, before
    # the page is parsed, instead of when toolbox.js runs (a first visit, the test above). No
    # request is intercepted here: Playwright turns the HTTP cache off then.
    # An on-disk profile, as a visitor's browser has: the in-memory cache of an ordinary test
    # context is small, and under load the runtime's megabytes could push the page itself out of it.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="en-GB")
    try:
        _returning_visit(base_url, context)
    finally:
        context.close()


def _returning_visit(base_url, context):
    page = context.new_page()
    open_ready(page, base_url, "nec-readiness")
    assert page.evaluate("window.MemoreEarly.startedEarly") is False
    page.close()
    context.add_init_script(WORKER_CLOCK)
    page = context.new_page()
    page.goto(q.url(base_url, "nec-readiness"), wait_until="load")
    q.wait_ready(page)
    # The page itself came from the cache, so early.js, first in the head, started the worker
    # before the rest of the page was parsed.
    assert page.evaluate("window.MemoreEarly.startedEarly") is True
    started = page.evaluate("window.__workerAt")
    parsed = page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive")
    assert started is not None and parsed > 0
    assert started < parsed, ("the worker started only after the page was parsed", started, parsed)
    answers = q.pattern_answers("nec-readiness", offset=3)
    q.answer(page, answers)
    q.wait_scored(page)
    assert q.expected_table("nec-readiness", answers)["overall"]["mean_display"] in page.text_content(".memore-overall")


def test_the_runtime_compiles_while_the_snapshot_arrives(base_url, context):
    # Pyodide compiles its wasm only once the snapshot is unpacked; the worker compiles it from its
    # first line instead, and hands that module to Pyodide.
    page = context.new_page()
    open_ready(page, base_url, "nec-readiness")
    steps = page.evaluate("window.MemoreToolbox.startPython().then((e) => e.steps)")
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    assert {"worker", "imported", "unpacked", "compiled", "pyodide", "engine"} <= set(steps)
    assert steps["worker"] <= steps["compiled"] <= steps["pyodide"], steps


def test_reload_restores_every_answer_note_and_plan(base_url, watched):
    page = watched.page
    open_ready(page, base_url, "programme-quality")
    answers = q.pattern_answers("programme-quality", offset=3)
    q.answer(page, answers)
    page.fill('[data-memore-note="matching"]', "Matching takes too long <b>now</b>")
    page.click("[data-memore-plan-add]")
    page.select_option('.memore-plan-row select[data-field="theme"]', "matching")
    page.fill('.memore-plan-row input[data-field="action"]', "Shorter intake")
    page.fill("[data-memore-label]", "Team North")
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == answers
    assert page.input_value('[data-memore-note="matching"]') == "Matching takes too long <b>now</b>"
    assert page.input_value('.memore-plan-row input[data-field="action"]') == "Shorter intake"
    assert page.input_value("[data-memore-label]") == "Team North"
    # Start again asks first; dismissing keeps everything.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-memore-reset]")
    assert q.form_answers(page) == answers
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-memore-reset]")
    assert q.form_answers(page) == {}
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == {}


def test_download_matches_the_form_and_loads_elsewhere_with_the_same_scores(base_url, browser, watched, tmp_path):
    page = watched.page
    open_ready(page, base_url, "nec-readiness")
    answers = q.pattern_answers("nec-readiness", offset=1)
    q.answer(page, answers)
    page.fill("[data-memore-label]", "WISE Brussels")
    q.wait_scored(page, None)
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    download = info.value
    assert download.suggested_filename.startswith("memore-nec-readiness-") and download.suggested_filename.endswith(".json")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"] == q.form_answers(page) == answers
    assert data["instrument"]["id"] == "nec-readiness" and data["language"] == "en"
    assert data["label"] == "WISE Brussels"
    overall_here = page.text_content(".memore-overall")
    table_here = page.inner_html(".memore-charts table")

    fresh = browser.new_context(accept_downloads=True)
    try:
        other = fresh.new_page()
        other.goto(q.url(base_url, "nec-readiness", "de"))
        q.wait_ready(other)
        other.set_input_files("[data-memore-load]", str(path))
        other.wait_for_selector(".memore-overall")
        assert q.form_answers(other) == answers
        assert other.input_value("[data-memore-label]") == "WISE Brussels"
        expected_de = q.expected_table("nec-readiness", answers, "de")
        assert expected_de["overall"]["mean_display"] in other.text_content(".memore-overall")
        assert "anderen Sprache" in other.text_content("[data-memore-message]")
        # Same file, same language as the download: the very same figures.
        other.goto(q.url(base_url, "nec-readiness", "en"))
        q.wait_ready(other)
        other.set_input_files("[data-memore-load]", str(path))
        other.wait_for_selector(".memore-overall")
        assert other.text_content(".memore-overall") == overall_here
        assert other.inner_html(".memore-charts table") == table_here
    finally:
        fresh.close()


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_each_language_downloads_and_loads_back_in_that_language(base_url, browser, watched, tmp_path, lang):
    # Issue 20: in every language a result scores, charts, downloads in that language and loads back
    # on a fresh browser with the very same figures (English: the download test above).
    page = watched.page
    open_ready(page, base_url, "sustainability", lang)
    answers = q.pattern_answers("sustainability", offset=2)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    q.wait_scored(page, before)
    assert page.locator(".memore-charts svg[role=img]").first.is_visible()
    expected = q.expected_table("sustainability", answers, lang)
    overall = page.text_content(".memore-overall")
    assert expected["overall"]["mean_display"] in overall and expected["overall"]["level_label"] in overall
    table = page.inner_html(".memore-charts table")
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["language"] == lang and data["answers"] == answers

    fresh = browser.new_context(accept_downloads=True)
    try:
        other = fresh.new_page()
        other.goto(q.url(base_url, "sustainability", lang))
        q.wait_ready(other)
        other.set_input_files("[data-memore-load]", str(path))
        other.wait_for_selector(".memore-overall")
        assert q.form_answers(other) == answers
        other.wait_for_function("text => document.querySelector('.memore-overall').textContent === text", arg=overall)
        assert other.inner_html(".memore-charts table") == table
    finally:
        fresh.close()
    assert not watched.errors and not watched.foreign_requests()


def test_compare_before_and_after_and_a_group(base_url, watched, tmp_path):
    page = watched.page
    open_ready(page, base_url, "sustainability")
    earlier = q.result_file(tmp_path, "sustainability", q.same_answers("sustainability", 2), "january.json", "January")
    q.answer(page, q.same_answers("sustainability", 4, q.statement_ids("sustainability")[:12]))
    page.set_input_files("[data-memore-compare]", str(earlier))
    output = page.locator("[data-memore-compare-output]")
    output.locator("svg[role=img]").wait_for()
    assert "january.json" in output.locator(".memore-compare-summary").text_content()
    assert output.locator("table").count() == 1
    assert "+" in output.locator("table").text_content()  # a positive change per theme is shown with its sign

    team = [
        q.result_file(tmp_path, "sustainability", q.pattern_answers("sustainability", offset=i), f"member-{i}.json", f"Member {i}")
        for i in range(3)
    ]
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    page.set_input_files("[data-memore-compare]", [str(p) for p in team] + [str(bad)])
    output.locator(".memore-compare-summary").wait_for()
    assert "3" in output.locator(".memore-compare-summary").text_content()
    assert "broken.json" in output.locator(".memore-compare-error").first.text_content()
    svg = output.locator("svg[role=img]").first.inner_html()
    assert "<title" in svg
    # The group's table comes first (the team view's tables follow it, tests/browser/test_team_views.py).
    table = output.locator("table").first.text_content()
    assert table  # min, max, mean and count per theme
    page.click("[data-memore-compare-clear]")
    assert output.text_content() == ""


def test_without_python_answering_autosave_download_and_load_still_work(base_url, context, tmp_path):
    context.route("**/assets/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(q.url(base_url, "programme-quality"))
    page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=30_000)
    assert "newer browser" in page.text_content("[data-memore-status]")
    answers = q.pattern_answers("programme-quality", offset=5)
    q.answer(page, answers)
    assert "saved" in page.text_content("[data-memore-results]")
    page.reload()
    page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=30_000)
    assert q.form_answers(page) == answers
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / "no-python.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"] == answers and data["format_version"] == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-memore-reset]")
    assert q.form_answers(page) == {}
    page.set_input_files("[data-memore-load]", str(path))
    page.wait_for_function("() => document.querySelector('[data-memore-message]').textContent.includes('Loaded')")
    assert q.form_answers(page) == answers


def test_when_python_stops_answering_the_page_says_so_and_keeps_the_answers(base_url, context, tmp_path):
    page = context.new_page()
    open_ready(page, base_url, "programme-quality")
    first = q.pattern_answers("programme-quality", offset=1)
    q.answer(page, first)
    q.wait_scored(page)
    # The worker dies without a word (as after running out of memory): the next call times out.
    page.evaluate("window.__memoreCallTimeoutMs = 1500")
    worker = next(w for w in page.workers if w.url.endswith("/python-worker.mjs"))
    worker.evaluate("setTimeout(() => self.close(), 0)")
    page.wait_for_timeout(200)
    later = q.pattern_answers("programme-quality", offset=2)
    q.answer(page, later)
    page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=15_000)
    status = page.text_content("[data-memore-status]")
    assert "stopped" in status and "did not answer" in status
    assert not page.locator("[data-memore-questionnaire]").get_attribute("data-scoring")
    assert q.form_answers(page) == later
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == later  # autosaved while Python was gone
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / "after-stop.json"
    info.value.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8"))["answers"] == later


def bad_files(tmp_path):
    ident = "sustainability"
    good = json.loads(q.result_file(tmp_path, ident, {}, "good.json").read_text(encoding="utf-8"))
    sid = q.statement_ids(ident)[0]
    cases = {
        "not-json.json": ("this is not json", "json"),
        "empty.json": ("", "empty"),
        "list.json": ("[1, 2, 3]", "not a result"),
        "other.json": (q.result_file(tmp_path, "programme-quality", {}, "pq.json").read_text(encoding="utf-8"), "programme-quality"),
        "newer.json": (json.dumps(dict(good, format_version=99)), "newer version"),
        "out-of-range.json": (json.dumps(dict(good, answers={sid: 9})), None),
        "unknown.json": (json.dumps(dict(good, answers={"no-such-statement": 3})), None),
        "too-large.json": ("{" + " " * (2 * 1024 * 1024 + 10) + "}", "too large"),
    }
    return cases


@pytest.mark.parametrize("python", [True, False], ids=["with-python", "without-python"])
def test_each_bad_file_gets_one_clear_sentence_and_changes_nothing(base_url, context, tmp_path, python):
    if not python:
        context.route("**/assets/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(q.url(base_url, "sustainability"))
    if python:
        q.wait_ready(page)
    else:
        page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=30_000)
    answers = q.pattern_answers("sustainability", offset=2)
    q.answer(page, answers)
    page.fill("[data-memore-label]", "Before")
    for name, (text, phrase) in bad_files(tmp_path).items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        page.set_input_files("[data-memore-load]", str(path))
        page.wait_for_function("name => document.querySelector('[data-memore-message]').textContent.includes(name)", arg=name)
        message = page.text_content("[data-memore-message]")
        assert "was not loaded" in message, (name, message)
        assert "Traceback" not in message and "Error:" not in message
        if phrase:
            assert phrase in message.lower(), (name, message)
        assert q.form_answers(page) == answers, name
        assert page.input_value("[data-memore-label]") == "Before"


def test_text_from_a_file_is_shown_as_text_and_never_runs(base_url, watched, tmp_path):
    page = watched.page
    open_ready(page, base_url, "sustainability")
    payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    theme = q.definition("sustainability")["themes"][0]["id"]
    state = {"answers": q.pattern_answers("sustainability"), "notes": {theme: payload},
             "action_plan": [{"theme": theme, "action": payload, "who": payload, "when": payload}],
             "label": payload, "created": "2026-01-01T00:00:00Z"}
    from toolbox import resultfile

    path = tmp_path / f"{payload[:5]}.json".replace("<", "_")
    path.write_text(resultfile.dumps_result(q.definition("sustainability"), state, "en", "2026-01-02T00:00:00Z"), encoding="utf-8")
    page.set_input_files("[data-memore-load]", str(path))
    page.wait_for_selector(".memore-overall")
    page.set_input_files("[data-memore-compare]", str(path))
    page.locator("[data-memore-compare-output] svg").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.input_value("[data-memore-label]") == payload
    assert page.input_value(f'[data-memore-note="{theme}"]') == payload
    assert page.locator("img[src=x]").count() == 0
    assert not watched.errors
