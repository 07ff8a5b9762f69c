"""Result files for the tests of the page's check and of the JSON Schema: the edges of every rule.

``crafted()`` gives files (name -> bytes) that the page's check and Python's loader once judged
differently, and the edges of each rule (numbers, dates, text, JSON, format 1).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from toolbox import definitions, resultfile

FORMATS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "formats"


@lru_cache(maxsize=1)
def base_text() -> str:
    """A valid sustainability file as the writer makes it, with every kind of content."""
    defn = definitions.load_definition("sustainability")
    state = {"answers": {"social-problem-4": 4, "social-problem-2": "na", "purpose-4": 2},
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
        "answer-3.0": with_raw("answers.social-problem-4", "3.0"),
        "answer-3e0": with_raw("answers.social-problem-4", "3e0"),
        "answer-minus-0": with_raw("answers.social-problem-4", "-0"),
        "answer-1e400": with_raw("answers.social-problem-4", "1e400"),
        "answer-4300-digits": with_raw("answers.social-problem-4", "1" * 4300),
        "answer-4301-digits": with_raw("answers.social-problem-4", "1" * 4301),
        "answer-minus-4301-digits": with_raw("answers.social-problem-4", "-" + "1" * 4301),
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
        "answers-numeric-key-after-bad-value": with_raw("answers", '{"social-problem-4": 9, "12": 3}'),
        "answers-duplicate-key-last-wins": with_raw("answers", '{"social-problem-4": 9, "social-problem-4": 3}'),
        "answers-proto-after-valid": with_raw("answers", '{"social-problem-4": 3, "__proto__": 3}'),
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
        "leading-zero": with_raw("answers.social-problem-4", "03"),
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
        # Big ones (the 2 MiB unterminated string of issue 14 waits for the loader's fix: 4 KB here).
        "unterminated-escapes-4k": '"' + '\\"' * 2000,
        "many-keys": edited(**{f"k{i}": i for i in range(100_000)}),
        "long-integer": with_raw("format_version", "7" * 1_500_000),
        "long-float": with_raw("answers.social-problem-4", "0." + "3" * 1_500_000),
        "long-label-escapes": with_raw("label", '"' + "\\n" * 300_000 + '"'),
    }
    files = {name + ".json": text.encode("utf-8") for name, text in cases.items()}
    good = base_text()
    files["utf16-odd-length.json"] = b"\xff\xfe" + good.encode("utf-16-le") + b"\x00"
    files["utf16-lone-surrogate.json"] = b"\xff\xfe" + good.replace('"Base"', '"@"').encode("utf-16-le").replace(
        "@".encode("utf-16-le"), b"\x00\xd8")
    files["utf8-encoded-surrogate.json"] = good.replace('"Base"', '"@"').encode("utf-8").replace(b"@", b"\xed\xa0\x80")
    files["utf8-overlong.json"] = good.replace('"Base"', '"@"').encode("utf-8").replace(b"@", b"\xc0\xaf")
    return files
