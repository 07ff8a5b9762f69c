"""An internal fault of the engine in the browser: the page gets one plain sentence, the console the traceback."""

from __future__ import annotations

import json

import qhelpers as q

from toolbox.messages import message

QID = "sustainability"


def test_an_engine_fault_logs_its_traceback_to_the_console(base_url, context):
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(q.url(base_url, QID))
    q.wait_ready(page)
    # A definition whose theme is not an object: scoring fails inside the engine (a TypeError,
    # not a refusal of a visitor's file), which is what the guard is for.
    out = page.evaluate("""async () => {
        const engine = await window.MemoreToolbox.startPython();
        return engine.call('evaluate', JSON.stringify({id: 'broken', themes: [1]}), '{}', 'en');
    }""")
    out = json.loads(out)
    assert out == {"ok": False, "code": "internal", "message": message("error.internal", "en")}
    for _ in range(100):  # the worker's console lines arrive on their own
        if any("ZeroDivisionError" in line or "TypeError" in line for line in console):
            break
        page.wait_for_timeout(50)
    logged = "\n".join(console)
    assert "Traceback (most recent call last)" in logged, console[-5:]
    assert "TypeError" in logged and "toolbox/browser.py" in logged, console[-5:]
