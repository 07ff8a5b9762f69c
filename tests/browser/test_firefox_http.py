"""Firefox ESR over http: the questionnaire with Python in the module Web Worker, as in Chromium.

Firefox is otherwise only tested from file://, where Python runs in the page. Here the built site
is served by scripts/static_server.py (the same server as the Chromium tests) and driven by
puppeteer-core (firefox_questionnaire.mjs): answer, chart, reload (autosave), load a result file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import qhelpers as q
from support import ROOT

from memore_site.formhtml import ui_strings
from toolbox.scoring import accepted_values, score

IDENT = "nec-readiness"


@pytest.mark.firefox
def test_firefox_over_http_scores_in_the_worker_and_loads_a_file(base_url, tmp_path):
    firefox = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
    assert Path(firefox).exists(), "install Debian's firefox-esr (scripts/test does it as root)"
    answers = q.pattern_answers(IDENT, offset=3)
    colleague = q.result_file(tmp_path, IDENT, answers, "colleague.json", label="Team B")
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "browser" / "firefox_questionnaire.mjs"), q.url(base_url, IDENT), str(colleague)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["errors"] == [], out["errors"]
    assert out["state"] == "ready"
    # Python ran in the worker, not in the page's fallback; Firefox does not report a slow link,
    # so it restored the build's memory snapshot.
    assert out["thread"] == "worker"
    assert out["start"] == "snapshot"
    assert any(u.endswith("assets/toolbox/python-worker.mjs") for u in out["requests"]), out["requests"]
    total = len(q.statement_ids(IDENT))
    assert out["answered"].startswith(f"{total} of {total}")
    assert out["charts"] >= 2
    assert out["theme"] == 1  # Material's script, held while Python started, inserted once
    # What firefox_questionnaire.mjs picks: "Agree" (4), or "yes" for a practice.
    picked = {st["id"]: "yes" if "yes" in accepted_values(st) else 4 for st in q.statements(IDENT)}
    all_fours = score(q.definition(IDENT), picked)["overall"]
    assert all_fours["mean_display"] in out["overall"] and all_fours["level_label"] in out["overall"]
    assert out["restored"] == total  # autosave in Firefox over http
    assert out["loaded"] == ui_strings()["en"]["loaded"].format(name="colleague.json")
    expected = score(q.definition(IDENT), answers)["overall"]
    assert expected["mean_display"] in out["loadedOverall"] and expected["level_label"] in out["loadedOverall"]
    # Nothing from another origin (Material's icons are data: URLs).
    assert [u for u in out["requests"] if u.startswith(("http:", "https:")) and not u.startswith(base_url)] == []
