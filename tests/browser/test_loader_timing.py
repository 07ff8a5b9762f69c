"""No file stalls the page: the worst cases of the adversarial corpus at 2 MiB, timed in Chromium.

With Python (the worker over http) and without it (Pyodide blocked: the page's own check), each
file is answered, loaded or refused in one plain sentence, within LIMIT_MS of the file being
chosen (the page's own clock, from the input's change event to the message). The comparison,
which runs again on every change, answers within the same limit. A neighbour on this shared
machine can slow one run down, so a case over the limit is tried again (best of three).
"""

from __future__ import annotations

import json

import pytest
import qhelpers as q
from adversarial import QID, SIZES, write_corpus

from memore_site.formhtml import ui_strings
from toolbox import definitions

UI = ui_strings()["en"]
LIMIT_MS = 1000
WORST = ["unterminated-escaped-quotes", "unterminated-backslash-quote-mix", "deep-arrays-balanced",
         "depth-21-many-times", "depth-20-in-scores", "many-floats-then-infinity", "many-small-objects",
         "lone-surrogates-in-a-value", "long-whitespace-then-a-file"]

CLOCK = """
window.__chosen = null;
document.addEventListener('change', e => {
  if (e.target.matches('[data-memore-load], [data-memore-compare]')) window.__chosen = performance.now();
}, true);
"""


@pytest.fixture(scope="module")
def worst_files(tmp_path_factory):
    files = write_corpus(tmp_path_factory.mktemp("adversarial-browser"), SIZES["2m"])
    return {name: files[name] for name in WORST}


def open_page(context, base_url, python: bool):
    if not python:
        context.route("**/assets/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(CLOCK)
    page.goto(q.url(base_url, QID))
    if python:
        q.wait_ready(page)
    else:
        page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=30_000)
    return page, errors


def load_timed(page, path) -> tuple[float, str]:
    """(milliseconds from choosing the file to the page's message about it, that message)."""
    best, message = float("inf"), ""
    for _ in range(3):
        page.evaluate("() => { const m = document.querySelector('[data-memore-message]'); m.hidden = true; m.textContent = ''; }")
        page.set_input_files("[data-memore-load]", str(path))
        shown = page.wait_for_function(
            """name => { const m = document.querySelector('[data-memore-message]');
                 return !m.hidden && m.textContent.includes(name) && performance.now() - window.__chosen; }""",
            arg=path.name, timeout=60_000)
        best = min(best, shown.json_value())
        message = page.text_content("[data-memore-message]")
        if best < LIMIT_MS:
            break
    return best, message


def engine_sentence(path) -> str | None:
    """What the engine says about the file on this page (None: it loads)."""
    from toolbox import browser

    local = definitions.localise(definitions.load_definition(QID), "en")
    out = json.loads(browser.load_result(path.read_text(encoding="utf-8"), json.dumps(local), "en"))
    return None if out["ok"] else out["message"]


@pytest.mark.parametrize("python", [True, False], ids=["with-python", "without-python"])
def test_the_worst_files_are_answered_in_time(base_url, context, worst_files, python):
    page, errors = open_page(context, base_url, python)
    problems, timings = [], {}
    for name, (path, code) in worst_files.items():
        ms, message = load_timed(page, path)
        timings[name] = round(ms)
        if ms >= LIMIT_MS:
            problems.append(f"{name}: {ms:.0f} ms")
        if code is None:
            ok = message.startswith(UI["loaded"].format(name=path.name))
        else:  # with or without Python, the engine's own sentence (resultcheck.js has it from the rules)
            ok = message == UI["load_refused"].format(name=path.name, message=engine_sentence(path))
        if not ok:
            problems.append(f"{name}: unexpected message {message!r}")
    print(f"page load timings (ms, {'with' if python else 'without'} Python):", timings)
    assert not problems, "\n".join(problems)
    assert errors == []
    if python:  # Python still answers after all of them
        assert page.get_attribute("[data-memore-status]", "data-state") != "failed"


def test_the_comparison_answers_in_time_and_on_every_change(base_url, context, worst_files):
    page, errors = open_page(context, base_url, True)
    q.answer(page, dict(list(q.pattern_answers(QID).items())[:5]))
    paths = [worst_files[name][0] for name in ("unterminated-escaped-quotes", "deep-arrays-balanced",
                                                 "many-floats-then-infinity", "depth-20-in-scores")]
    best = float("inf")
    for _ in range(3):
        page.evaluate("() => { document.querySelector('[data-memore-compare-output]').textContent = ''; }")
        page.set_input_files("[data-memore-compare]", [str(p) for p in paths])
        shown = page.wait_for_function(
            """() => { const out = document.querySelector('[data-memore-compare-output]');
                 return out.querySelectorAll('.memore-compare-error').length === 3 && out.querySelector('svg')
                   && performance.now() - window.__chosen; }""", timeout=60_000)
        best = min(best, shown.json_value())
        if best < len(paths) * LIMIT_MS:
            break
    assert best < len(paths) * LIMIT_MS, f"comparing {len(paths)} files of 2 MiB took {best:.0f} ms"
    # Every change scores again and compares again with all four files: still in time.
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    started = page.evaluate("() => performance.now()")
    page.locator('input[type="radio"][value="2"]').nth(7).check()
    page.wait_for_function(
        """before => { const root = document.querySelector('[data-memore-questionnaire]');
             const out = document.querySelector('[data-memore-compare-output]');
             return root.getAttribute('data-scored-at') !== before && !root.hasAttribute('data-scoring')
               && out.querySelectorAll('.memore-compare-error').length === 3 && out.querySelector('svg'); }""",
        arg=before, timeout=60_000)
    elapsed = page.evaluate("() => performance.now()") - started
    assert elapsed < len(paths) * LIMIT_MS, f"a change with 4 files compared took {elapsed:.0f} ms"
    assert errors == []
