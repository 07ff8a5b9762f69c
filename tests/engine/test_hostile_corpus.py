"""The hostile corpus (tests/fixtures/hostile): every file gets its expected outcome from the engine and the CLI.

cases.json says per file what must happen: ``code`` is the engine's error code when the file is loaded
with every definition (as ``python -m toolbox score`` does), ``null`` when it loads; ``page_code`` is the
outcome on the sustainability page (``expected_id``) where it differs. Huge and deeply nested files are
generated here rather than committed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolbox import cli, definitions, resultfile
from toolbox.errors import ToolboxError

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
MANIFEST = json.loads((HOSTILE / "cases.json").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
QID = MANIFEST["questionnaire"]
PAYLOAD_MARKERS = ("<img", "<script", "<svg", "<iframe", "javascript:", "constructor", "\u202e")


def generated_files(folder: Path) -> dict[str, Path]:
    """The big hostile files, made on demand (same recipe for the browser tests)."""
    base = json.loads((HOSTILE / "utf8-bom.json").read_text(encoding="utf-8-sig"))
    huge = dict(base, label="", padding="x" * (2 * 1024 * 1024 + 100))
    files = {
        "huge.json": json.dumps(huge),
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "deep-in-label.json": json.dumps(dict(base, label="@@"))
        .replace('"@@"', '{"a":' * 100_000 + "1" + "}" * 100_000),
    }
    out = {}
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


@pytest.fixture(scope="module")
def all_defs():
    return definitions.all_definitions()


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    return generated_files(tmp_path_factory.mktemp("hostile-generated"))


def outcome(data, defs, **kw):
    try:
        return None, resultfile.load_result(data, defs, "en", **kw)
    except ToolboxError as exc:
        return exc.code, exc


def test_manifest_lists_every_file_and_every_file_exists():
    on_disk = {p.name for p in HOSTILE.iterdir()} - {"cases.json"}
    listed = [c["file"] for c in CASES]
    assert len(listed) == len(set(listed))
    assert on_disk == set(listed)
    assert len(CASES) >= 60
    # The corpus covers what it promises: refusals of every kind and valid files that load.
    codes = {c["code"] for c in CASES}
    for code in ("empty", "not-json", "not-text", "bad-number", "not-a-result", "newer-format", "bad-type",
                 "bad-value", "unknown-statement", "unknown-instrument", "too-long", "too-many-rows", "bad-date",
                 "missing-field", "bad-language", "bad-version", "unknown-theme", None):
        assert code in codes, code
    assert {g["code"] for g in MANIFEST["generated"]} == {"too-large", "too-deep"}


def test_generated_files_are_what_they_claim(big_files):
    assert big_files["huge.json"].stat().st_size > 2 * 1024 * 1024
    assert big_files["deep.json"].read_text().startswith("[" * 100_000)
    assert '{"a":' * 1000 in big_files["deep-in-label.json"].read_text()


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_engine_gives_the_expected_outcome(case, all_defs):
    data = (HOSTILE / case["file"]).read_bytes()
    code, value = outcome(data, all_defs)
    assert code == case["code"], (case["file"], value)
    page_code, page_value = outcome(data, all_defs, expected_id=QID)
    assert page_code == case.get("page_code", case["code"]), (case["file"], page_value)
    # The same answer from text as from bytes (the page hands over text).
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and case["code"] != "not-text":
        assert outcome(data.decode("utf-8"), all_defs)[0] == case["code"]
    if code is not None:
        message = value.message
        assert message and "\n" not in message and "Traceback" not in message
        assert message.rstrip().endswith((".", "?", "!")), message
    else:
        assert value["format_version"] == resultfile.FORMAT_VERSION
        assert value["instrument"]["id"] in all_defs


@pytest.mark.parametrize("case", [c for c in CASES if c["file"].startswith("payload-") and c["code"] is None],
                         ids=lambda c: c["file"])
def test_payloads_load_verbatim(case):
    raw = json.loads((HOSTILE / case["file"]).read_text(encoding="utf-8"))
    loaded = resultfile.load_result((HOSTILE / case["file"]).read_bytes(), definitions.load_definition(QID), "en")
    assert any(marker in raw["label"] for marker in PAYLOAD_MARKERS)
    # Answers to statements changed since the file's instrument version are dropped (test_versions.py).
    changed = resultfile.changed_since(definitions.load_definition(QID), raw["instrument"]["version"])
    raw["answers"] = {sid: v for sid, v in raw["answers"].items() if sid not in changed}
    for key in ("label", "notes", "action_plan", "generator", "answers"):
        assert loaded[key] == raw[key], key
    # And a round trip through the writer keeps them too.
    again = json.loads(resultfile.dumps_result(definitions.load_definition(QID), loaded, "en", "2026-03-01T00:00:00Z"))
    for key in ("label", "notes", "action_plan", "answers"):
        assert again[key] == raw[key], key


def test_older_format_v1_is_migrated(all_defs):
    raw = json.loads((HOSTILE / "older-format-v1.json").read_text(encoding="utf-8"))
    loaded = resultfile.load_result((HOSTILE / "older-format-v1.json").read_bytes(), all_defs, "en")
    # Format 1 was written by instrument version 1: answers to statements changed since are dropped.
    changed = resultfile.changed_since(all_defs[raw["instrument"]], 1)
    assert loaded["format_version"] == 2
    assert loaded["answers"] == {sid: v for sid, v in raw["answers"].items() if sid not in changed}
    assert loaded["created"] == loaded["updated"] == raw["saved"]
    assert loaded["notes"] == raw["notes"]


@pytest.mark.parametrize("name", [g["file"] for g in MANIFEST["generated"]])
def test_generated_files_are_refused(name, big_files, all_defs):
    expected = next(g["code"] for g in MANIFEST["generated"] if g["file"] == name)
    data = big_files[name].read_bytes()
    assert outcome(data, all_defs)[0] == expected
    assert outcome(data.decode("utf-8"), all_defs)[0] == expected


# ---------------------------------------------------------------- the command line
#
# Every file goes through the ``score`` command in this process (``cli.main``, what ``python -m
# toolbox`` runs: about 0.1 s less per file than starting Python); one file of each outcome, the
# generated ones and the odd cases below through a real ``python -m toolbox`` process.


def run_cli(path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "toolbox", "score", str(path)], cwd=ROOT, env=env,
                          capture_output=True, timeout=60)


def check_answer(name: str, code, returncode: int, stdout: str, stderr: str, data: bytes):
    """What ``score`` must answer for a file: its scores, or exit code 2 and the engine's one line."""
    if code is None:
        assert returncode == 0, (name, stderr)
        assert stderr == "", (name, stderr)
        assert stdout.count("\n") >= 3
    else:
        assert returncode == 2, (name, returncode, stderr)
        lines = stderr.splitlines()
        assert len(lines) == 1 and stderr.endswith("\n"), (name, stderr)
        assert "Traceback" not in stderr and "Error" not in stderr.split(":")[0], stderr
        _, expected = outcome(data, definitions.all_definitions())
        assert lines[0] == expected.message
        assert stdout == ""


def check_process(path: Path, code):
    run = run_cli(path)
    check_answer(path.name, code, run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8", "replace"),
                 path.read_bytes())


# Run as a real process: the first file of each expected outcome (the manifest's order), and the
# loadable payloads, whose labels (markup, bidi controls) the command prints.
FIRST_OF_EACH_OUTCOME = list({c["code"]: c for c in reversed(CASES)}.values())[::-1]
PROCESS_CASES = FIRST_OF_EACH_OUTCOME + [c for c in CASES if c["file"].startswith("payload-") and c["code"] is None
                                         and c not in FIRST_OF_EACH_OUTCOME]


def test_process_cases_cover_every_outcome_and_the_payloads():
    assert len(FIRST_OF_EACH_OUTCOME) == len({c["code"] for c in CASES})
    assert {c["code"] for c in FIRST_OF_EACH_OUTCOME} == {c["code"] for c in CASES}
    assert sum(c["file"].startswith("payload-") for c in PROCESS_CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_cli_exit_codes_and_one_line(case, capsys):
    path = HOSTILE / case["file"]
    capsys.readouterr()
    returncode = cli.main(["score", str(path)])
    out, err = capsys.readouterr()
    check_answer(case["file"], case["code"], returncode, out, err, path.read_bytes())


@pytest.mark.parametrize("case", PROCESS_CASES, ids=[c["file"] for c in PROCESS_CASES])
def test_the_process_exit_codes_and_one_line(case):
    check_process(HOSTILE / case["file"], case["code"])


@pytest.mark.parametrize("name", [g["file"] for g in MANIFEST["generated"]])
def test_cli_refuses_generated_files(name, big_files):
    check_process(big_files[name], next(g["code"] for g in MANIFEST["generated"] if g["file"] == name))


def test_cli_missing_file_is_one_line():
    run = run_cli(HOSTILE / "no-such-file.json")
    assert run.returncode == 2 and len(run.stderr.decode().splitlines()) == 1


def test_cli_survives_an_unpaired_surrogate_in_the_label(tmp_path):
    base = (HOSTILE / "utf8-bom.json").read_text(encoding="utf-8-sig")
    path = tmp_path / "surrogate.json"
    path.write_text(base.replace('"label": "Hostile corpus base"', '"label": "a\\ud800b"'), encoding="utf-8")
    assert '\\ud800' in path.read_text(encoding="utf-8")
    run = run_cli(path)
    assert b"Traceback" not in run.stderr, run.stderr.decode()[-500:]
    assert run.returncode == 2 and len(run.stderr.decode().strip().splitlines()) == 1
