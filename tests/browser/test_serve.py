"""The editors' command is the real site (issue 17): ``mkdocs serve`` on a fresh copy of the
project serves questionnaires that score with Python, and an edit to a page or a questionnaire
shows in the open browser tab without a manual rebuild (MkDocs' live reload).

Works on a temporary copy of the project (tracked files only, as a fresh clone has them, with
an empty plugin cache, so the runtime and the snapshot are made under ``serve``; npm's
``node_modules`` is linked, as ``scripts/_setup.sh`` would install it); the real docs are never
touched. Figures (seconds to serve, seconds from an edit to the page) are printed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import qhelpers as q
from support import ROOT

SERVE_TIMEOUT_S = 600  # a fresh cache: Pyodide vendored and the snapshot made and proven under Node
EDIT_TIMEOUT_MS = 180_000  # a rebuild of three languages: 20-30 s at a load average of 20 on 2 cores
MARKER = "Edited while mkdocs serve runs"
STATEMENT = "We have written down, in a few sentences, which problem our mentoring addresses and for whom."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_copy(target: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    assert not (target / ".cache").exists() and not (target / "site").exists()
    return target


def _wait_served(url: str, process, timeout_s: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if process.poll() is not None:
            pytest.fail(f"mkdocs serve stopped (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"mkdocs serve did not serve {url} within {timeout_s} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = _fresh_copy(tmp_path_factory.mktemp("clone"))
    port = _free_port()
    log = open(project / "serve.log", "w")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true")
    process = subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                               cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/"
    try:
        seconds = _wait_served(base + "toolbox/sustainability.html", process, SERVE_TIMEOUT_S)
        print(f"\nmkdocs serve on a fresh copy: first page served after {seconds:.1f} s")
        yield project, base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_mkdocs_serve_scores_a_questionnaire_with_python(served, watched):
    _project, base = served
    page = watched.page
    watched.allowed = (base,)
    page.goto(q.url(base, "sustainability"))
    q.wait_ready(page)
    before = q.wait_scored(page)
    answers = q.pattern_answers("sustainability")
    q.answer(page, answers)
    q.wait_scored(page, before)
    expected = q.expected_table("sustainability", answers)
    assert expected["overall"]["mean_display"] in page.text_content(".memore-overall")
    assert page.get_attribute("[data-memore-questionnaire]", "data-python-start") == "snapshot"
    assert not watched.errors and not watched.foreign_requests()


def _edit(path: Path, old: str, new: str) -> float:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: the text to edit is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return time.monotonic()


def test_an_edit_to_a_page_or_a_questionnaire_shows_without_a_manual_rebuild(served, context):
    project, base = served
    page = context.new_page()
    page.goto(base + "about.html")
    assert MARKER not in page.content()
    about = project / "docs" / "en" / "about.md"
    edited = _edit(about, "\n## The MeMoRe project", f"\n{MARKER}.\n\n## The MeMoRe project")
    # No navigation: MkDocs rebuilds and the open tab reloads itself.
    page.wait_for_function("marker => !!document.body && document.body.innerText.includes(marker)", arg=MARKER,
                           timeout=EDIT_TIMEOUT_MS)
    print(f"\npage edit shown after {time.monotonic() - edited:.1f} s")
    assert not (ROOT / "docs" / "en" / "about.md").read_text(encoding="utf-8").count(MARKER)

    page.goto(q.url(base, "sustainability"))
    q.wait_ready(page)
    edited = _edit(project / "toolbox" / "questionnaires" / "sustainability.yaml", STATEMENT, STATEMENT[:-1] + " (edited).")
    # textContent: the statement sits in a theme body that is laid out only near the screen.
    page.wait_for_function("text => !!document.body && document.body.textContent.includes(text)",
                           arg=STATEMENT[:-1] + " (edited).", timeout=EDIT_TIMEOUT_MS)
    print(f"questionnaire edit shown after {time.monotonic() - edited:.1f} s")
    q.wait_ready(page)  # still scores after the rebuild (snapshot from the cache)
