"""Issue 18 in Chromium, over http and from the offline copy (file://): a team of five, one
organisation over three years, and a network benchmark made by the command line from 200 results.

The files come from the seeded generator (tests/synthetic.py); what the page must show is computed
by the engine from the same files, so the test knows the statements and figures to expect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import qhelpers as q
import synthetic
from support import ROOT

from memore_site.formhtml import ui_strings
from toolbox import resultfile, team

IDENT = "sustainability"


def write(folder: Path, prefix: str, texts: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts, start=1):
        path = folder / f"{prefix}-{i}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Five colleagues, three readings of one organisation, 200 network results and their benchmark."""
    folder = tmp_path_factory.mktemp("team-views")
    defn = q.definition(IDENT)
    out = {
        "team": write(folder / "team", "colleague", synthetic.team(defn, 5, seed=18, label="Team")),
        "history": write(folder / "history", "reading", synthetic.history(defn, 3, seed=18)),
        "network": write(folder / "network", "org", synthetic.network(defn, 200, seed=18)),
    }
    bench = folder / "network.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    run = subprocess.run([sys.executable, "-m", "toolbox", "benchmark", *map(str, out["network"]), "--out", str(bench)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out["benchmark"] = bench
    return out


def expected_widest(paths):
    defn = q.definition(IDENT)
    answers = [resultfile.load_result(p.read_bytes(), defn)["answers"] for p in paths]
    return [r["id"] for r in team.widest_spread(team.statement_distribution(defn, answers))]


def open_page(page, address):
    page.goto(address)
    q.wait_ready(page)


def check_team(page, paths):
    page.set_input_files("[data-memore-compare]", [str(p) for p in paths])
    output = page.locator("[data-memore-compare-output]")
    output.locator("[data-memore-team]").wait_for(timeout=q.PYTHON_TIMEOUT)
    assert str(len(paths)) in output.locator(".memore-compare-summary").text_content()
    # The ranked list: the engine's widest spreads, each linked to its statement and theme in the form.
    links = output.locator(".mt-disagree li a[href^='#st-']")
    widest = expected_widest(paths)
    assert widest and [a.get_attribute("href") for a in links.all()] == [f"#st-{sid}" for sid in widest]
    first = page.locator(f"#st-{widest[0]}")
    assert first.count() == 1
    theme_links = output.locator(".mt-disagree li a[href^='#theme-']")
    assert theme_links.count() == len(widest) and page.locator(theme_links.first.get_attribute("href")).count() == 1
    # One picture per theme, each with its title, description and table.
    themes = q.definition(IDENT)["themes"]
    charts = output.locator(".memore-team-theme svg[role=img]")
    assert charts.count() == len(themes)
    assert charts.first.locator("title").text_content().startswith(f"How {len(paths)} people answered")
    assert output.locator(".memore-team-theme table").count() == len(themes)
    # Anonymous by default: no labels anywhere, until the visitor asks.
    assert "Team 1" not in output.text_content()
    assert page.locator("[data-memore-names]").count() == 0
    box = page.locator("[data-memore-show-names]")
    assert box.is_visible() and not box.is_checked()
    box.focus()
    page.keyboard.press("Space")
    output.locator("[data-memore-names]").first.wait_for(timeout=q.PYTHON_TIMEOUT)
    names = output.locator("[data-memore-names] table").first
    heads = [th.text_content() for th in names.locator("thead th").all()]
    assert heads[1:] == [f"Team {i}" for i in range(1, len(paths) + 1)]
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('[data-memore-team]')"
                           " && document.querySelectorAll('[data-memore-names]').length === 0", timeout=q.PYTHON_TIMEOUT)
    assert "Team 1" not in output.text_content()
    # Cleared while nothing is pending, and once more right after asking for the names (Python still
    # comparing): the late answer must neither come back nor stop Python.
    page.click("[data-memore-compare-clear]")
    page.set_input_files("[data-memore-compare]", [str(p) for p in paths])
    output.locator("[data-memore-team]").wait_for(timeout=q.PYTHON_TIMEOUT)
    page.evaluate("""() => {  /* in one task: the comparison asked for is surely still running */
        document.querySelector('[data-memore-show-names]').click();
        document.querySelector('[data-memore-compare-clear]').click(); }""")
    page.wait_for_timeout(1500)
    assert output.text_content() == "" and page.get_attribute("[data-memore-status]", "data-state") == "ready"


def check_trend(page, paths):
    page.set_input_files("[data-memore-compare]", [str(p) for p in paths])
    output = page.locator("[data-memore-compare-output]")
    output.locator("[data-memore-trend]").wait_for(timeout=q.PYTHON_TIMEOUT)
    assert page.locator("[data-memore-over-time]").is_checked()  # same label: one organisation
    defn = q.definition(IDENT)
    loaded = [resultfile.load_result(p.read_bytes(), defn) for p in paths]
    dates = sorted(r["updated"][:10] for r in loaded)
    table = output.locator("[data-memore-trend] table")
    assert [th.text_content() for th in table.locator("thead th").all()][1:4] == dates
    svg = output.locator("[data-memore-trend] svg[role=img]")
    assert svg.locator("polyline").count() == len(defn["themes"]) + 1
    assert output.locator("[data-memore-team]").count() == 0
    # Unticking shows the files as a team instead.
    page.uncheck("[data-memore-over-time]")
    output.locator("[data-memore-team]").wait_for(timeout=q.PYTHON_TIMEOUT)
    assert output.locator("[data-memore-trend]").count() == 0
    page.click("[data-memore-compare-clear]")


def check_benchmark(page, bench, answers):
    q.answer(page, answers)
    q.wait_scored(page)
    page.set_input_files("[data-memore-benchmark]", str(bench))
    output = page.locator("[data-memore-benchmark-output]")
    output.locator("svg[role=img]").wait_for(timeout=q.PYTHON_TIMEOUT)
    expected = ui_strings()["en"]["benchmark_loaded"].format(name=bench.name, count=200)
    assert output.locator(".memore-compare-summary").text_content() == expected
    from toolbox import benchmark

    defn = q.definition(IDENT)
    figures = benchmark.load_benchmark(bench.read_bytes(), defn)
    stand = benchmark.standing(defn, figures, answers)
    rows = output.locator("table tbody tr")
    assert rows.count() == len(defn["themes"])
    first = stand["themes"][0]
    cells = [c.text_content() for c in rows.first.locator("td").all()]
    assert cells[0] == first["mean_display"] and cells[4] == str(first["stats"]["count"])
    assert output.locator("svg circle").count() >= 1
    # A result file is not a network file: one sentence, and the page keeps working.
    page.set_input_files("[data-memore-benchmark]", str(q.result_file(bench.parent, IDENT, answers, "mine.json")))
    page.wait_for_function("() => document.querySelector('[data-memore-benchmark-output] .memore-compare-error')", timeout=q.PYTHON_TIMEOUT)
    assert "not a network file" in output.text_content()


@pytest.mark.parametrize("where", ["http", "file"])
def test_team_trend_and_benchmark(where, files, context, base_url, request):
    if where == "http":
        address = q.url(base_url, IDENT)
    else:
        offline_dir = request.getfixturevalue("offline_dir")
        address = (offline_dir / "toolbox" / f"{IDENT}.html").as_uri()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_page(page, address)
    check_team(page, files["team"])
    check_trend(page, files["history"])
    check_benchmark(page, files["benchmark"], q.pattern_answers(IDENT))
    assert errors == []


def test_benchmark_refusal_in_dutch(files, context, base_url, tmp_path):
    page = context.new_page()
    open_page(page, q.url(base_url, IDENT, "nl"))
    data = json.loads(files["benchmark"].read_text(encoding="utf-8"))
    data["instruments"][0]["label"] = "Organisation 1"
    bad = tmp_path / "with-a-label.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    page.set_input_files("[data-memore-benchmark]", str(bad))
    page.wait_for_function("() => document.querySelector('[data-memore-benchmark-output] .memore-compare-error')", timeout=q.PYTHON_TIMEOUT)
    text = page.locator("[data-memore-benchmark-output]").text_content()
    assert text.startswith("with-a-label.json kan niet worden gebruikt: Het bestand heeft een veld")
    assert text.endswith(".") and "\n" not in text and "Organisation 1" not in text


def test_screenshots(files, context, base_url, tmp_path):
    """Pictures to look at (not compared): team view, trend and benchmark, on screen and in print."""
    folder = Path(os.environ.get("MEMORE_SCREENSHOTS", tmp_path))
    page = context.new_page()
    page.set_viewport_size({"width": 1100, "height": 900})
    open_page(page, q.url(base_url, IDENT))
    q.answer(page, q.pattern_answers(IDENT))
    q.wait_scored(page)
    page.set_input_files("[data-memore-benchmark]", str(files["benchmark"]))
    page.locator("[data-memore-benchmark-output] svg").wait_for(timeout=q.PYTHON_TIMEOUT)
    page.locator("#benchmark").screenshot(path=str(folder / "benchmark.png"))
    page.set_input_files("[data-memore-compare]", [str(p) for p in files["team"]])
    page.locator("[data-memore-team]").wait_for(timeout=q.PYTHON_TIMEOUT)
    page.locator("[data-memore-team]").screenshot(path=str(folder / "team.png"))
    page.locator(".memore-disagree").screenshot(path=str(folder / "team-disagree.png"))
    page.locator(".memore-team-theme").nth(1).screenshot(path=str(folder / "team-theme.png"))
    page.emulate_media(media="print")
    page.locator(".memore-team-theme").nth(1).screenshot(path=str(folder / "team-theme-print.png"))
    page.locator("#benchmark").screenshot(path=str(folder / "benchmark-print.png"))
    page.emulate_media(media="screen")
    page.click("[data-memore-compare-clear]")
    page.set_input_files("[data-memore-compare]", [str(p) for p in files["history"]])
    page.locator("[data-memore-trend]").wait_for(timeout=q.PYTHON_TIMEOUT)
    page.locator("[data-memore-trend]").screenshot(path=str(folder / "trend.png"))
    page.emulate_media(media="print")
    page.locator("[data-memore-trend]").screenshot(path=str(folder / "trend-print.png"))
    assert (folder / "team.png").stat().st_size > 10_000


@pytest.mark.firefox
@pytest.mark.parametrize("where", ["http", "file"])
def test_firefox_team_trend_and_benchmark(where, files, base_url, request):
    import shutil

    firefox = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
    assert Path(firefox).exists(), "install Debian's firefox-esr (scripts/test does it as root)"
    if where == "http":
        address = q.url(base_url, IDENT)
    else:
        address = (request.getfixturevalue("offline_dir") / "toolbox" / f"{IDENT}.html").as_uri()
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "browser" / "firefox_teamview.mjs"), address,
         ",".join(map(str, files["team"])), ",".join(map(str, files["history"])), str(files["benchmark"])],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["errors"] == [], out["errors"]
    assert out["state"] == "ready" and out["thread"] == ("worker" if where == "http" else "page")
    assert out["disagree"] == [f"#st-{sid}" for sid in expected_widest(files["team"])]
    assert out["teamCharts"] == len(q.definition(IDENT)["themes"])
    assert out["namesBefore"] == 0 and out["names"] == [f"Team {i}" for i in range(1, 6)]
    defn = q.definition(IDENT)
    dates = sorted(resultfile.load_result(p.read_bytes(), defn)["updated"][:10] for p in files["history"])
    assert out["trendLines"] == len(defn["themes"]) + 1 and out["trendDates"] == dates
    assert out["benchRows"] == len(defn["themes"])
    assert out["benchSummary"] == ui_strings()["en"]["benchmark_loaded"].format(name="network.json", count=200)
    foreign = [u for u in out["requests"] if u.startswith(("http:", "https:")) and not u.startswith(base_url)]
    assert foreign == [] and (where == "http" or not [u for u in out["requests"] if u.startswith("http")])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_the_team_view_names_and_benchmark_shown(scheme, files, context, base_url):
    """WCAG 2 A/AA (axe-core, serious and critical) with every new part on screen, in both schemes."""
    from test_accessibility import AXE, RUN_AXE

    page = context.new_page()
    page.add_init_script(path=str(AXE))
    open_page(page, q.url(base_url, IDENT))
    if scheme == "dark":
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    q.answer(page, dict(list(q.pattern_answers(IDENT).items())[:10]))
    q.wait_scored(page)
    page.set_input_files("[data-memore-benchmark]", str(files["benchmark"]))
    page.locator("[data-memore-benchmark-output] svg").wait_for(timeout=q.PYTHON_TIMEOUT)
    page.set_input_files("[data-memore-compare]", [str(p) for p in files["team"]])
    page.locator("[data-memore-team]").wait_for(timeout=q.PYTHON_TIMEOUT)
    page.check("[data-memore-show-names]")
    page.locator("[data-memore-names]").first.wait_for(timeout=q.PYTHON_TIMEOUT)
    page.locator(".memore-team-details").first.evaluate("d => { d.open = true; }")
    problems = page.evaluate(RUN_AXE)
    assert problems == [], json.dumps(problems, indent=1)


def test_hostile_files_as_network_files(files, context, base_url, tmp_path):
    """Result files with payloads, and a network file with a payload in a theme id: one sentence
    each, shown as text; nothing runs, and the answers stay."""
    hostile = ROOT / "tests" / "fixtures" / "hostile"

    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, q.url(base_url, IDENT))
    answers = dict(list(q.pattern_answers(IDENT).items())[:5])
    q.answer(page, answers)
    q.wait_scored(page)
    data = json.loads(files["benchmark"].read_text(encoding="utf-8"))
    data["instruments"][0]["themes"]["<img src=x onerror=alert(1)>"] = data["instruments"][0]["overall"]
    payload = tmp_path / "payload-theme.json"
    payload.write_text(json.dumps(data), encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(files["benchmark"].read_text(encoding="utf-8")[:300], encoding="utf-8")
    output = page.locator("[data-memore-benchmark-output]")
    for path, sentence in [(hostile / "payload-1.json", "This file is not a network file of the MeMoRe Toolbox."),
                           (cut, "The file is not a network file of this site: its content is not valid JSON."),
                           (hostile / "invalid-utf8.json", "The file is not a text file, so it is not a network file of this site."),
                           (payload, "The network file has figures for a theme that this questionnaire does not have (“<img src=x onerror=alert(1)>”).")]:
        page.evaluate("() => { document.querySelector('[data-memore-benchmark-output]').textContent = ''; }")
        page.set_input_files("[data-memore-benchmark]", str(path))
        page.wait_for_function("() => document.querySelector('[data-memore-benchmark-output] .memore-compare-error')", timeout=q.PYTHON_TIMEOUT)
        text = output.text_content()
        assert text == f"{path.name} cannot be used: {sentence}", text
        assert output.locator("img, script, svg").count() == 0
    assert "onerror" in text  # the theme id is quoted as text
    assert dialogs == [] and q.form_answers(page) == answers
