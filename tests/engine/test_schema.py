"""The published JSON Schema (resultfile.json_schema) against real files, checked with the jsonschema package.

It must accept every file the loader accepts (frozen files of every format, files the writer makes
for every questionnaire, the loadable hostile and crafted files), and refuse what the loader refuses
wherever JSON Schema can say so.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

try:
    import jsonschema
except ImportError:
    # Under Pyodide (tests/engine/test_pyodide.py) jsonschema's compiled dependency rpds is missing;
    # everywhere else a missing jsonschema is an error, never a skip.
    if sys.platform != "emscripten":
        raise
    jsonschema = None
from hypothesis import given, settings
from hypothesis import strategies as st
from result_cases import crafted
from test_hostile_corpus import HOSTILE

from toolbox import definitions, resultfile, scoring
from toolbox.errors import ToolboxError
from toolbox.messages import LANGUAGES

FORMATS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "formats"
NOW = "2026-03-09T16:20:05Z"


NO_JSONSCHEMA = "jsonschema needs its compiled dependency rpds, which is not built for Pyodide; this test runs under CPython"


@pytest.fixture(scope="module")
def validator():
    if jsonschema is None:
        pytest.skip(NO_JSONSCHEMA)
    schema = resultfile.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def decoded(data: bytes):
    """The JSON value as the loader reads it (decoding, BOMs, numbers)."""
    return resultfile.parse_json(data)


def loads(data: bytes) -> bool:
    try:
        resultfile.load_result(data, definitions.all_definitions(), "en")
    except ToolboxError:
        return False
    return True


@pytest.fixture(scope="module")
def all_files() -> dict[str, bytes]:
    """The hostile corpus, the frozen formats and the crafted files: read and made once per module
    (about a tenth of a second each time, for each of the many cases below)."""
    files = {p.name: p.read_bytes() for p in sorted(HOSTILE.iterdir()) if p.name != "cases.json"}
    files.update({p.name: p.read_bytes() for p in sorted(FORMATS.glob("result-*.json"))})
    files.update(crafted())
    return files


def errors(validator, data) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def test_the_schema_answers_come_from_accepted_values(validator):
    answer = resultfile.json_schema()["$defs"]["format-2"]["properties"]["answers"]["additionalProperties"]
    for value in scoring.accepted_values({}):
        assert jsonschema.Draft202012Validator(answer).is_valid(value), value
    for value in (0, 6, "NA", "3", True, None, [3], 3.5):
        assert not jsonschema.Draft202012Validator(answer).is_valid(value), value


@pytest.mark.parametrize("path", sorted(FORMATS.glob("result-*.json")), ids=lambda p: p.name)
def test_every_frozen_file_is_valid(validator, path):
    assert loads(path.read_bytes())
    assert errors(validator, decoded(path.read_bytes())) == []


@pytest.mark.parametrize("ident", sorted(definitions.all_definitions()))
def test_every_freshly_written_file_is_valid(validator, ident):
    defn = definitions.load_definition(ident)
    statements = [s for theme in defn["themes"] for s in theme["statements"]]
    themes = [t["id"] for t in defn["themes"]]
    full = {
        "answers": {s["id"]: scoring.accepted_values(s)[i % len(scoring.accepted_values(s))]
                    for i, s in enumerate(statements)},
        "notes": {tid: f"Note on {tid} <b>&</b> \U0001F600" for tid in themes},
        "label": "x" * resultfile.LIMITS["label"],
        "action_plan": [{"theme": themes[0], "action": "Ask", "who": "", "when": "May"}, {"action": "No theme"}],
        "created": "2025-01-02T03:04:05Z",
    }
    for state in (full, {}, None):
        data = resultfile.build_result(defn, state, "de", NOW)
        assert errors(validator, data) == [], state
        assert loads(resultfile.dumps_result(defn, state, "de", NOW).encode("utf-8"))


def test_every_file_the_loader_accepts_is_valid(validator, all_files):
    accepted = {name: data for name, data in all_files.items() if loads(data)}
    assert len(accepted) >= 30, sorted(accepted)
    # The ones the schema once refused: action rows without every field, a version-less instrument.
    assert {"plan-row-without-fields.json", "instrument-version-null.json", "result-v1.json",
            "older-format-v1.json", "v1-without-answers.json", "date-7-digit-fraction.json"} <= set(accepted)
    problems = {name: errors(validator, decoded(data)) for name, data in accepted.items()}
    assert {name: found for name, found in problems.items() if found} == {}


# What the loader refuses and JSON Schema can say: types, sizes, names, versions, values, dates' shape.
REFUSED_BY_BOTH = [
    "wrong-format.json", "no-format.json", "top-level-list.json", "top-level-string.json", "top-level-null.json",
    "newer-format-v99.json", "format-version-0.json", "format-version-string.json", "format-version-missing.json",
    "instrument-string.json", "instrument-id-number.json", "instrument-version-string.json",
    "instrument-version-zero.json", "language-number.json", "language-unknown.json", "language-missing.json",
    "created-number.json", "created-bad-date.json", "updated-missing.json", "generator-number.json",
    "label-number.json", "label-object.json", "label-too-long.json", "answers-list.json", "answers-missing.json",
    "notes-list.json", "note-number.json", "note-too-long.json", "action-plan-object.json",
    "action-plan-row-string.json", "action-plan-field-number.json", "action-plan-too-long.json",
    "action-plan-too-many-rows.json", "scores-list.json", "value-0.json", "value-6.json", "value-minus-1.json",
    "value-9.json", "value-3.5.json", "value-true.json", "value-false.json", "value-null.json",
    "value-string-3.json", "value-NA-upper.json", "value-list.json", "value-object.json",
    "older-format-v1-bad-saved.json", "payload-in-language.json", "label-201-emoji.json", "date-basic-format.json",
    "date-week.json", "date-ordinal.json", "date-10-digit-fraction.json", "date-offset-24.json",
    "date-year-0.json", "date-lower-t.json", "date-arabic-digits.json", "date-zone-without-time.json",
    "date-hour-24.json", "date-second-60.json", "date-offset-minute-60.json",
    "v1-without-language.json", "v1-instrument-object.json", "generator-null.json", "plan-row-null-field.json",
    "format-version-huge.json", "instrument-version-true.json",
]


@pytest.mark.parametrize("name", REFUSED_BY_BOTH)
def test_the_schema_refuses_what_it_can_say(validator, all_files, name):
    data = all_files[name]
    assert not loads(data), name
    assert errors(validator, decoded(data)) != [], name


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_written_files_are_valid_for_any_answers_and_text(validator, data):
    defn = definitions.load_definition(data.draw(st.sampled_from(sorted(definitions.all_definitions()))))
    statements = [s for theme in defn["themes"] for s in theme["statements"]]
    chosen = data.draw(st.lists(st.sampled_from(statements), unique_by=lambda s: s["id"]))
    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
    state = {
        "answers": {s["id"]: data.draw(st.sampled_from(scoring.accepted_values(s))) for s in chosen},
        "notes": data.draw(st.dictionaries(st.sampled_from([t["id"] for t in defn["themes"]]), text, max_size=3)),
        "label": data.draw(text),
        "action_plan": [{"theme": "", "action": data.draw(text)}],
    }
    written = resultfile.build_result(defn, state, data.draw(st.sampled_from(list(LANGUAGES))), NOW)
    assert loads(json.dumps(written).encode("utf-8"))
    assert errors(validator, written) == []
