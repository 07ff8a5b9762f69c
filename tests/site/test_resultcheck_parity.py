"""One definition of the result file: the page's own check (resultcheck.js, run by Node) gives Python's verdict.

Every file of the hostile corpus (with the generated big ones), every frozen format fixture and the
cases below is checked on each questionnaire page by ``toolbox.resultfile.load_result`` and by the
page's check reading the rules the build puts in the page (``resultfile.page_rules``). Both must
refuse with the same code and the same sentence, or keep the same answers, notes, plan and label.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import LANGS, QUESTIONNAIRES, ROOT

sys.path.insert(0, str(ROOT / "tests" / "engine"))
from result_cases import base_text, crafted
from test_hostile_corpus import HOSTILE, generated_files

from toolbox import definitions, resultfile
from toolbox.errors import ToolboxError

FORMATS = ROOT / "tests" / "fixtures" / "formats"
RUNNER = Path(__file__).with_name("resultcheck_runner.js")
NODE = shutil.which("node") or "node"  # Node.js is required to build the site, so it is never skipped
PAGES = [(ident, "en") for ident in QUESTIONNAIRES] + [("sustainability", lang) for lang in LANGS if lang != "en"]
KEPT = ("answers", "notes", "action_plan", "label", "created", "updated")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("parity")
    files = sorted(p for p in HOSTILE.iterdir() if p.name != "cases.json")
    files += sorted(FORMATS.glob("result-*.json"))
    files += sorted(generated_files(folder).values())
    for name, data in crafted().items():
        path = folder / name
        path.write_bytes(data)
        files.append(path)
    return files


def python_verdict(data, defn, lang) -> dict:
    try:
        result = resultfile.load_result(data, defn, lang, expected_id=defn["id"])
    except ToolboxError as exc:
        return {"ok": False, "code": exc.code, "message": exc.message}
    return {"ok": True, "language": result["language"], "state": {k: result[k] for k in KEPT}}


def js_verdict(outcome) -> dict:
    if not outcome["ok"]:
        return {"ok": False, "code": outcome["code"], "message": outcome["message"]}
    return {"ok": True, "language": outcome["language"], "state": {k: outcome["state"][k] for k in KEPT}}


def as_text(data: bytes):
    """The text the page hands to Python: the bytes decoded as resultfile decodes them (None if they do not)."""
    try:
        return data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def run_node(pages: dict, files: list[Path]) -> dict:
    job = json.dumps({"pages": pages, "files": [str(p) for p in files]})
    run = subprocess.run([NODE, str(RUNNER)], input=job, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def verdicts(corpus):
    pages = {f"{iid}:{lang}": resultfile.page_rules(definitions.load_definition(iid), lang) for iid, lang in PAGES}
    return run_node(pages, corpus)


@pytest.mark.parametrize("page", [f"{iid}:{lang}" for iid, lang in PAGES])
def test_the_page_and_python_give_the_same_verdict_on_every_file(page, corpus, verdicts):
    iid, lang = page.split(":")
    defn = definitions.load_definition(iid)
    problems = []
    for path in corpus:
        data = path.read_bytes()
        expected = python_verdict(data, defn, lang)
        got = verdicts[page][str(path)]
        if js_verdict(got["bytes"]) != expected:
            problems.append(f"{path.name} (bytes): page {js_verdict(got['bytes'])} != python {expected}")
        text = as_text(data)
        if text is not None and len(data) <= resultfile.MAX_BYTES:
            expected_text = python_verdict(text, defn, lang)
            if js_verdict(got["text"]) != expected_text:
                problems.append(f"{path.name} (text): page {js_verdict(got['text'])} != python {expected_text}")
    assert not problems, "\n".join(problems)


def test_the_corpus_covers_both_verdicts_and_the_disagreements(corpus, verdicts):
    names = {p.name for p in corpus}
    assert {"answer-3.0.json", "format-version-2.0.json", "instrument-version-1.0.json", "label-lone-surrogate.json",
            "date-basic-format.json", "date-week.json", "date-7-digit-fraction.json"} <= names
    assert {"result-v1.json", "result-v2.json", "huge.json", "deep.json"} <= names
    outcomes = verdicts["sustainability:en"]
    loaded = [p.name for p in corpus if outcomes[str(p)]["bytes"]["ok"]]
    refused = {outcomes[str(p)]["bytes"]["code"] for p in corpus if not outcomes[str(p)]["bytes"]["ok"]}
    assert len(loaded) >= 20, loaded
    for code in ("too-large", "too-deep", "not-text", "empty", "not-json", "bad-number", "not-a-result", "bad-version",
                 "newer-format", "bad-type", "bad-value", "unknown-statement", "unknown-theme", "bad-date", "too-long",
                 "other-questionnaire", "missing-field", "bad-language", "too-many-rows"):
        assert code in refused, code
    # The decided verdicts (both sides): the writer's numbers only, RFC 3339 dates, text only.
    for name, ok in (("answer-3.0.json", False), ("format-version-2.0.json", False),
                     ("instrument-version-1.0.json", False), ("label-lone-surrogate.json", False),
                     ("label-escaped-pair.json", True), ("date-basic-format.json", False), ("date-week.json", False),
                     ("date-7-digit-fraction.json", True), ("date-only.json", True), ("label-200-emoji.json", True),
                     ("label-201-emoji.json", False), ("invalid-utf8.json", False)):
        assert outcomes[next(str(p) for p in corpus if p.name == name)]["bytes"]["ok"] is ok, name


def test_the_page_checks_a_2_mib_file_in_well_under_a_second(corpus, verdicts):
    slow = {path.name: verdicts[page][str(path)]["ms"] for page in verdicts for path in corpus
            if verdicts[page][str(path)]["ms"] > 1000}
    assert not slow, slow


# ---------------------------------------------------------------- the check reads the rules


def check_with(rules: dict, text: str) -> dict:
    script = ("const c = require(process.argv[1]); let s = ''; process.stdin.on('data', d => s += d);"
              "process.stdin.on('end', () => { const j = JSON.parse(s);"
              "process.stdout.write(JSON.stringify(c.check(j.text, j.rules))); });")
    run = subprocess.run([NODE, "-e", script, str(ROOT / "overrides" / "assets" / "toolbox" / "resultcheck.js")],
                         input=json.dumps({"rules": rules, "text": text}), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture()
def rules():
    return resultfile.page_rules(definitions.load_definition("sustainability"), "en")


def test_the_check_follows_the_rules_it_is_given(rules):
    text = base_text()
    assert check_with(rules, text)["ok"] is True
    changed = json.loads(json.dumps(rules))
    changed["limits"]["label"] = 3
    assert check_with(changed, text)["message"] == rules["messages"]["error.too-long"].format(field="label", limit=3)
    changed = dict(rules, languages=["nl", "de"])
    assert check_with(changed, text)["code"] == "bad-language"
    changed = dict(rules, format_versions=[1], format_version=1)
    assert check_with(changed, text)["code"] == "newer-format"
    changed = dict(rules, max_depth=1)
    assert check_with(changed, text)["code"] == "too-deep"
    changed = dict(rules, date_pattern="[0-9]{4}-([0-9]{2})-([0-9]{2})")
    assert check_with(changed, text)["code"] == "bad-date"
    changed = json.loads(json.dumps(rules))
    changed["themes"][0]["statements"][3]["accepted"] = [1, 2, 3, 5, "na"]  # social-problem-4
    assert check_with(changed, text)["code"] == "bad-value"
    changed["messages"]["error.bad-value"] = "Nein: {id}."
    assert check_with(changed, text)["message"] == "Nein: social-problem-4."


def test_the_check_applies_the_version_rules(rules):
    """A newer questionnaire (version 3) revised social-problem-1 in 2 and retired old-1 in 3."""
    newer = json.loads(json.dumps(rules))
    newer["instrument"]["version"] = 3
    newer["themes"][0]["statements"][0]["revised"] = 2
    newer["retired"] = [{"id": "old-1", "version": 3}]
    newer["messages"].update({"notice.dropped": "{n} dropped ({items}).", "notice.item": "{theme}: no. {numbers}",
                              "notice.removed": "removed: {n}"})
    base = json.loads(base_text())

    def file(version, answers):
        return json.dumps(dict(base, instrument={"id": "sustainability", "version": version}, answers=answers))

    # Version 1: the revised answer (of its old kind) and the retired one are dropped, the rest kept.
    out = check_with(newer, file(1, {"social-problem-1": 2, "old-1": 3, "social-problem-4": 4}))
    assert out["ok"] is True, out
    assert out["state"]["answers"] == {"social-problem-4": 4}
    assert out["dropped"] == ["social-problem-1", "old-1"]
    title = newer["themes"][0]["title"]
    assert out["notices"] == [f"2 dropped ({title}: no. 1; removed: 1)."]
    assert out["state"]["notes"] == base["notes"] and out["state"]["action_plan"] == base["action_plan"]
    # A dropped answer must still be one that some kind of statement takes, as in Python.
    assert check_with(newer, file(1, {"social-problem-1": "bad"}))["code"] == "bad-value"
    assert check_with(newer, file(1, {"old-1": 0}))["code"] == "bad-value"
    # Version 2: the revised statement's answer holds; the retired one is dropped.
    out = check_with(newer, file(2, {"social-problem-1": "yes", "old-1": 3}))
    assert out["state"]["answers"] == {"social-problem-1": "yes"} and out["dropped"] == ["old-1"]
    # The current version keeps everything, and a retired id is then unknown.
    out = check_with(newer, file(3, {"social-problem-1": "yes"}))
    assert out["ok"] is True and out["dropped"] == [] and out["notices"] == []
    assert check_with(newer, file(3, {"old-1": 3}))["code"] == "unknown-statement"
    # An id neither known nor retired is refused whatever the version; a newer version is refused.
    assert check_with(newer, file(1, {"never-1": 3}))["code"] == "unknown-statement"
    refused = check_with(newer, file(4, {}))
    assert refused["ok"] is False and refused["code"] == "newer-instrument"
    # Format 1 files were all made with version 1.
    v1 = json.loads((FORMATS / "result-v1.json").read_text(encoding="utf-8"))
    out = check_with(newer, json.dumps(v1))
    assert out["ok"] is True and out["version"] == 1 and "social-problem-1" in out["dropped"]


# ---------------------------------------------------------------- differential fuzzing

MUTATIONS = [*list('0123456789"\\[]{},:.eE-+ tTzZnaul\xa0\x1c\x00\n'), "\\u", "\\ud800", "\\ude00", "1.0", "1e0", "null", "true", "NaN", "-Infinity", "😀", "2025-02-29", "W01"]


def mutants(count: int, seed: int) -> list[bytes]:
    """The base file with one to three random edits each: characters replaced, inserted, deleted, copied."""
    rng = random.Random(seed)
    base = base_text()
    out = []
    for _ in range(count):
        text = base
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(text))
            op = rng.random()
            if op < 0.4:
                text = text[:i] + rng.choice(MUTATIONS) + text[i + 1:]
            elif op < 0.7:
                text = text[:i] + rng.choice(MUTATIONS) + text[i:]
            elif op < 0.9:
                text = text[:i] + text[i + 1:]
            else:
                j = rng.randrange(len(text))
                text = text[:i] + text[min(i, j):max(i, j)][:50] + text[i:]
        out.append(text.encode("utf-8", "surrogatepass"))
    return out


RAW_VALUES = ["1", "3", "5", "0", "6", "-0", "3.0", "1e0", "2.5", "1e400", '"na"', '"NA"', '"3"', "true", "false", "null",
              "[]", "{}", "[3]", '""', '"x"', '"' + "y" * 201 + '"', '"\\ud800"', '"2026-03-01"', '"2026-02-30T00:00:00Z"',
              '"2026-03-01T10:00:00.1234567+01:00"', '"20260301T100000Z"', '"en"', '"fr"', '"purpose"',
              '"sustainability"', '"memore-toolbox-result"', "1.0", "2", "2.0", "99"]
PLACES = ["format", "format_version", "instrument", "instrument.id", "instrument.version", "language", "created",
          "updated", "generator", "label", "answers", "answers.social-problem-1", "answers.purpose-2", "answers.nope",
          "notes", "notes.purpose", "notes.nope", "action_plan", "action_plan.0", "action_plan.0.theme",
          "action_plan.0.who", "scores", "saved"]


def value_mutants(count: int, seed: int) -> list[bytes]:
    """The base file (or format 1's) with one to three fields set to odd values, written as raw JSON."""
    rng = random.Random(seed)
    v1 = (FORMATS / "result-v1.json").read_text(encoding="utf-8")
    out = []
    for _ in range(count):
        data = json.loads(rng.choice([base_text(), base_text(), v1]))
        raws = {}
        for n in range(rng.randint(1, 3)):
            *parents, last = rng.choice(PLACES).split(".")
            node = data
            for key in parents:
                node = node[int(key)] if isinstance(node, list) else node.get(key) if isinstance(node, dict) else None
            if isinstance(node, dict) or (isinstance(node, list) and last.isdigit() and int(last) < len(node)):
                marker = f"@@{n}@@"
                node[int(last) if isinstance(node, list) else last] = marker
                raws[json.dumps(marker)] = rng.choice(RAW_VALUES)
        text = json.dumps(data, ensure_ascii=False)
        for marker, raw in raws.items():
            text = text.replace(marker, raw)
        out.append(text.encode("utf-8"))
    return out


def test_the_page_and_python_agree_on_thousands_of_damaged_files(tmp_path):
    """Random edits of valid files (characters, and fields set to odd values), each judged by both.

    CI runs more (MEMORE_FUZZ_EXAMPLES)."""
    # A questionnaire version no edit of "version": 1 can pass, so both sides keep every answer.
    defn = dict(definitions.load_definition("sustainability"), version=10**9)
    count = max(2000, int(os.environ.get("MEMORE_FUZZ_EXAMPLES", "0")))
    files = []
    for n, data in enumerate(mutants(count, seed=14) + value_mutants(count, seed=15)):
        path = tmp_path / f"m{n}.json"
        path.write_bytes(data)
        files.append(path)
    got = run_node({"page": resultfile.page_rules(defn, "en")}, files)["page"]
    problems, outcomes = [], set()
    for path in files:
        expected = python_verdict(path.read_bytes(), defn, "en")
        outcomes.add(expected.get("code"))
        if js_verdict(got[str(path)]["bytes"]) != expected:
            problems.append(f"{path.read_bytes()!r}: page {js_verdict(got[str(path)]['bytes'])} != python {expected}")
    assert not problems, "\n".join(problems[:5])
    assert {None, "not-json", "not-text", "bad-date", "unknown-statement", "bad-number", "bad-value", "bad-type",
            "bad-version", "too-long", "unknown-theme", "other-questionnaire", "bad-language", "newer-format",
            "missing-field", "not-a-result"} <= outcomes, outcomes
