"""The engine holds exactly the engine (issue 17): what ``engine.js`` ships, what ``toolbox/``
contains, and that an installed toolbox (a wheel, into a fresh venv without PyYAML) has its
questionnaires."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import QUESTIONNAIRES, ROOT

# Run in a fresh interpreter: records every toolbox module imported and every file opened while
# the browser's entry points run (what runtime.js and the worker call), nothing else imported first.
BROWSER_RUN = r"""
import json, sys
opened = set()
sys.addaudithook(lambda event, args: opened.add(str(args[0])) if event == "open" and isinstance(args[0], str) else None)
definition, state, result = (open(p, encoding="utf-8").read() for p in sys.argv[1:4])
import toolbox.browser as b
b.runtime_info(); b.scale_labels("nl")
b.evaluate(definition, state, "de")
b.load_result(result, definition, "en")
b.export_result(definition, state, "en", "2026-01-01T00:00:00Z")
b.compare(definition, state, json.dumps([{"name": "a.json", "text": result}]), "en")
print(json.dumps({"modules": sorted(m for m in sys.modules if m == "toolbox" or m.startswith("toolbox.")),
                  "opened": sorted(opened)}))
"""


def _engine_files(site_dir) -> dict:
    text = (site_dir / "assets" / "toolbox" / "engine.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("{"):text.rindex("}") + 1])["files"]


def test_engine_js_ships_exactly_what_the_browser_imports(site_dir, tmp_path):
    from toolbox import browser, definitions

    definition = json.dumps(definitions.localise(definitions.load_definition("sustainability"), "en"))
    first = json.loads(definition)["themes"][0]["statements"][0]["id"]
    state = json.dumps({"answers": {first: 4}})
    result = browser.export_result(definition, state, "en", "2026-01-01T00:00:00Z")
    paths = []
    for name, text in (("definition", definition), ("state", state), ("result", result)):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BROWSER_RUN, *map(str, paths)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    used = json.loads(done.stdout)
    modules = {("toolbox/__init__.py" if m == "toolbox" else m.replace(".", "/") + ".py") for m in used["modules"]}
    package = (ROOT / "toolbox").resolve()
    data = {Path(p).resolve().relative_to(ROOT.resolve()).as_posix() for p in used["opened"]
            if Path(p).resolve().is_relative_to(package) and not p.endswith(".py") and "__pycache__" not in p}
    shipped = set(_engine_files(site_dir))
    assert shipped == modules | data
    assert "toolbox/cli.py" not in shipped and "toolbox/definitions.py" not in shipped  # checks the test's reach


PAGE_WORDS = re.compile(r"md-|data-md|mkdocs|material|ui\.json|formhtml|smoke|autofill|search index|data-search", re.I)


def test_the_engine_package_holds_no_page_or_theme_code():
    """No module or data file of toolbox/ knows Material's classes, MkDocs or the page strings."""
    ui = json.loads((ROOT / "memore_site" / "data" / "ui.json").read_text(encoding="utf-8"))
    long_strings = {text for strings in ui.values() for text in strings.values() if len(text) > 40}
    files = [p for p in (ROOT / "toolbox").rglob("*") if p.suffix in (".py", ".json") and "__pycache__" not in p.parts]
    assert len(files) > 8
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in PAGE_WORDS.finditer(text):
            problems.append(f"{path.relative_to(ROOT)}: '{match.group(0)}'")
        problems += [f"{path.relative_to(ROOT)}: page string {s[:40]!r}" for s in long_strings if s in text]
    assert not problems, problems
    assert not (ROOT / "toolbox" / "data" / "ui.json").exists()
    assert not list((ROOT / "toolbox" / "questionnaires").glob("*.json")) or not _tracked("toolbox/questionnaires/")


def _tracked(prefix: str) -> list[str]:
    done = subprocess.run(["git", "ls-files", prefix], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines() if line.endswith(".json")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built offline with the pinned setuptools and PyYAML, from the tracked files only
    (what a clean clone has: no compiled questionnaire lying in the source tree)."""
    tmp = tmp_path_factory.mktemp("wheel")
    clone = tmp / "clone"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file() and name.startswith(("toolbox/", "memore_site/", "setup.py", "pyproject.toml", "README")):
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    assert not list((clone / "toolbox" / "questionnaires").glob("*.json"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-index",
                    "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(clone)], check=True)
    wheels = list((tmp / "dist").glob("memore_toolbox-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_the_wheel_carries_the_compiled_questionnaires(wheel):
    from toolbox import definitions

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for ident in QUESTIONNAIRES:
            compiled = json.loads(archive.read(f"toolbox/questionnaires/{ident}.json"))
            assert compiled == json.loads(definitions.dumps_definition(definitions.load_definition(ident)))
    assert "toolbox/data/messages.json" in names and "memore_site/data/ui.json" in names


def test_an_installed_toolbox_has_its_questionnaires_without_pyyaml(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--disable-pip-version-check", "--no-index", "--no-deps", str(wheel)], check=True)
    run = [str(python), "-I", "-c", "import importlib.util as u, json, toolbox.definitions as d; "
           "print(json.dumps([u.find_spec('yaml') is None, sorted(d.all_definitions()), d.QUESTIONNAIRE_DIR.as_posix()]))"]
    no_yaml, found, folder = json.loads(subprocess.run(run, cwd=tmp_path, capture_output=True, text=True,
                                                       check=True).stdout)
    assert no_yaml, "the fresh venv has PyYAML: the test would prove nothing"
    assert found == sorted(QUESTIONNAIRES)
    assert str(venv) in folder  # the installed copy, not this checkout
    result = tmp_path / "result.json"
    shutil.copy2(ROOT / "tests" / "fixtures" / "formats" / "result-v2.json", result)
    score = subprocess.run([str(venv / "bin" / "memore-toolbox"), "score", str(result)], cwd=tmp_path,
                           capture_output=True, text=True)
    assert score.returncode == 0, score.stdout + score.stderr
    assert "Sustainability of a mentoring-to-work organisation" in score.stdout  # read from the installed JSON
