"""One definition of the result file: the page's own check (resultcheck.js, run by Node) gives Python's verdict.

Every file of the hostile corpus (with the generated big ones), every frozen format fixture and the
cases below is checked on each questionnaire page by ``toolbox.resultfile.load_result`` and by the
page's check reading the rules the build puts in the page (``resultfile.page_rules``). Both must
refuse with the same code and the same sentence, or keep the same answers, notes, plan and label.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

sys.path.insert(0, str(ROOT / "tests" / "engine"))
from test_hostile_corpus import HOSTILE, generated_files  # noqa: E402

from toolbox import definitions, resultfile  # noqa: E402
from toolbox.errors import ToolboxError  # noqa: E402

FORMATS = ROOT / "tests" / "fixtures" / "formats"
RUNNER = Path(__file__).with_name("resultcheck_runner.js")
NODE = shutil.which("node")
PAGES = [("sustainability", "en"), ("programme-quality", "en"), ("nec-readiness", "en"),
         ("sustainability", "nl"), ("sustainability", "de")]
KEPT = ("answers", "notes", "action_plan", "label", "created", "updated")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def base_text() -> str:
    """A valid sustainability file as the writer makes it, with every kind of content."""
    defn = definitions.load_definition("sustainability")
    state = {"answers": {"social-problem-1": 4, "social-problem-2": "na", "environment-1": 2},
             "notes": {"purpose": "Eine Notiz"}, "label": "Base",
             "action_plan": [{"theme": "purpose", "action": "Ask", "who": "Ann", "when": "May"}]}
    return resultfile.dumps_result(defn, state, "en", "2026-03-01T10:00:00Z")


def edited(**changes) -> str:
    data = json.loads(base_text())
    for key, value in changes.items():
        data[key] = value
    return json.dumps(data, ensure_ascii=False)


def with_raw(field: str, raw: str, text: str | None = None) -> str:
    """The base file with ``field``'s JSON value replaced by ``raw`` exactly as written (3.0 stays 3.0)."""
    data = json.loads(text or base_text())
    marker = "@@RAW@@"
    if field.startswith("answers."):
        data["answers"][field.split(".", 1)[1]] = marker
    elif field == "instrument.version":
        data["instrument"]["version"] = marker
    else:
        data[field] = marker
    return json.dumps(data, ensure_ascii=False).replace(json.dumps(marker), raw)


def crafted() -> dict[str, bytes]:
    """The disagreements found between the two checks, and the edges of each rule, as files."""
    v1 = (FORMATS / "result-v1.json").read_text(encoding="utf-8")
    v1_data = json.loads(v1)
    cases = {
        # JavaScript read these as whole numbers; Python as floats.
        "answer-3.0": with_raw("answers.social-problem-1", "3.0"),
        "answer-3e0": with_raw("answers.social-problem-1", "3e0"),
        "answer-minus-0": with_raw("answers.social-problem-1", "-0"),
        "answer-1e400": with_raw("answers.social-problem-1", "1e400"),
        "answer-4300-digits": with_raw("answers.social-problem-1", "1" * 4300),
        "answer-4301-digits": with_raw("answers.social-problem-1", "1" * 4301),
        "answer-minus-4301-digits": with_raw("answers.social-problem-1", "-" + "1" * 4301),
        "format-version-2.0": with_raw("format_version", "2.0"),
        "format-version-huge": with_raw("format_version", "9" * 30),
        "instrument-version-1.0": with_raw("instrument.version", "1.0"),
        "instrument-version-null": with_raw("instrument.version", "null"),
        "instrument-version-true": with_raw("instrument.version", "true"),
        # A lone surrogate from an escape is not text; a pair of escapes is one character.
        "label-lone-surrogate": with_raw("label", '"a\\ud800b"'),
        "label-lone-low-surrogate": with_raw("label", '"a\\udc00b"'),
        "note-key-lone-surrogate": with_raw("notes", '{"\\ud800": "x"}'),
        "label-escaped-pair": with_raw("label", '"a\\ud83d\\ude00b"'),
        # Python counts characters, JavaScript UTF-16 units.
        "label-200-emoji": edited(label="\U0001F600" * 200),
        "label-201-emoji": edited(label="\U0001F600" * 201),
        "unknown-id-61-emoji": with_raw("answers", json.dumps({"\U0001F600" * 61: 3}, ensure_ascii=False)),
        "language-61-emoji": edited(language="\U0001F600" * 61),
        # Dates: one grammar for both (resultfile.DATE_PATTERN).
        "date-basic-format": edited(created="20250102T030405Z"),
        "date-week": edited(created="2025-W01-1"),
        "date-ordinal": edited(created="2025-002"),
        "date-7-digit-fraction": edited(created="2025-01-02T03:04:05.1234567Z"),
        "date-9-digit-fraction": edited(created="2025-01-02T03:04:05.123456789Z"),
        "date-10-digit-fraction": edited(created="2025-01-02T03:04:05.1234567891Z"),
        "date-only": edited(created="2025-01-02"),
        "date-space": edited(created="2025-01-02 03:04:05"),
        "date-no-seconds": edited(created="2025-01-02T03:04Z"),
        "date-lower-z": edited(created="2025-01-02T03:04:05z"),
        "date-offset-no-colon": edited(created="2025-01-02T03:04:05+0100"),
        "date-offset-23-59": edited(created="2025-01-02T03:04:05-23:59"),
        "date-offset-24": edited(created="2025-01-02T03:04:05+24:00"),
        "date-offset-minute-60": edited(created="2025-01-02T03:04:05+01:60"),
        "date-hour-24": edited(created="2025-01-02T24:00:00Z"),
        "date-second-60": edited(created="2025-12-31T23:59:60Z"),
        "date-29-february-2024": edited(created="2024-02-29T00:00:00Z"),
        "date-29-february-2025": edited(created="2025-02-29T00:00:00Z"),
        "date-29-february-1900": edited(created="1900-02-29T00:00:00Z"),
        "date-31-april": edited(created="2025-04-31T00:00:00Z"),
        "date-year-0": edited(created="0000-01-01T00:00:00Z"),
        "date-lower-t": edited(created="2025-01-02t03:04:05Z"),
        "date-trailing-newline": edited(created="2025-01-02T03:04:05Z\n"),
        "date-arabic-digits": edited(created="\u0662\u0660\u0662\u0665-01-02T03:04:05Z"),
        "date-zone-without-time": edited(created="2025-01-02Z"),
        # Order of refusals: the first bad answer in the file's order, whatever its key.
        "answers-numeric-key-after-bad-value": with_raw("answers", '{"social-problem-1": 9, "12": 3}'),
        "answers-duplicate-key-last-wins": with_raw("answers", '{"social-problem-1": 9, "social-problem-1": 3}'),
        "answers-proto-after-valid": with_raw("answers", '{"social-problem-1": 3, "__proto__": 3}'),
        "notes-proto": with_raw("notes", '{"__proto__": "x"}'),
        "plan-row-without-fields": edited(action_plan=[{}]),
        "plan-row-null-field": edited(action_plan=[{"action": None}]),
        "generator-null": with_raw("generator", "null"),
        "label-missing": json.dumps({k: v for k, v in json.loads(base_text()).items() if k != "label"}),
        # JSON itself.
        "nan-in-label": with_raw("label", "NaN"),
        "trailing-comma": base_text().rstrip().rstrip("}") + ',}',
        "extra-data": base_text() + "{}",
        "control-character-in-string": with_raw("label", '"a\tb"'),
        "bad-escape": with_raw("label", '"a\\x41"'),
        "short-unicode-escape": with_raw("label", '"a\\u12"'),
        "leading-zero": with_raw("answers.social-problem-1", "03"),
        "only-python-spaces": "\x1c\x1d \x85\u3000",
        "only-a-bom-and-spaces": "\ufeff\ufeff  ",
        "two-boms": "\ufeff\ufeff" + base_text(),
        "unterminated-string-then-brackets": '"' + "[" * 30,
        "brackets-in-strings-only": edited(label="[" * 100),
        "depth-20": "[" * 20 + "]" * 20,
        "depth-21": "[" * 21 + "]" * 21,
        # Format 1.
        "v1-without-language": json.dumps({k: v for k, v in v1_data.items() if k != "language"}),
        "v1-without-answers": json.dumps({k: v for k, v in v1_data.items() if k != "answers"}),
        "v1-with-bad-plan": json.dumps(dict(v1_data, action_plan="nonsense", label=5)),
        "v1-instrument-object": json.dumps(dict(v1_data, instrument={"id": "sustainability"})),
    }
    files = {name + ".json": text.encode("utf-8") for name, text in cases.items()}
    good = base_text()
    files["utf16-odd-length.json"] = b"\xff\xfe" + good.encode("utf-16-le") + b"\x00"
    files["utf16-lone-surrogate.json"] = b"\xff\xfe" + good.replace('"Base"', '"@"').encode("utf-16-le").replace(
        "@".encode("utf-16-le"), b"\x00\xd8")
    files["utf8-encoded-surrogate.json"] = good.replace('"Base"', '"@"').encode("utf-8").replace(b"@", b"\xed\xa0\x80")
    files["utf8-overlong.json"] = good.replace('"Base"', '"@"').encode("utf-8").replace(b"@", b"\xc0\xaf")
    return files


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
    changed["themes"][0]["statements"][0]["accepted"] = [1, 2, 3, 5, "na"]
    assert check_with(changed, text)["code"] == "bad-value"
    changed["messages"]["error.bad-value"] = "Nein: {id}."
    assert check_with(changed, text)["message"] == "Nein: social-problem-1."


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

    # Version 1: the revised answer (even a bad one) and the retired one are dropped, the rest kept.
    out = check_with(newer, file(1, {"social-problem-1": "bad", "old-1": 3, "social-problem-2": 4}))
    assert out["ok"] is True, out
    assert out["state"]["answers"] == {"social-problem-2": 4}
    assert out["dropped"] == ["social-problem-1", "old-1"]
    title = newer["themes"][0]["title"]
    assert out["notices"] == [f"2 dropped ({title}: no. 1; removed: 1)."]
    assert out["state"]["notes"] == base["notes"] and out["state"]["action_plan"] == base["action_plan"]
    # Version 2: the revised statement's answer holds; the retired one is dropped.
    out = check_with(newer, file(2, {"social-problem-1": 5, "old-1": 3}))
    assert out["state"]["answers"] == {"social-problem-1": 5} and out["dropped"] == ["old-1"]
    # The current version keeps everything, and a retired id is then unknown.
    out = check_with(newer, file(3, {"social-problem-1": 5}))
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
