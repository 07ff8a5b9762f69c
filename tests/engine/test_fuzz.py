"""Loader fuzzing: random JSON and mutated valid files raise nothing but ToolboxError."""

import json

from hypothesis import given, strategies as st

from engine_helpers import FUZZ, NOW, mini_definition
from toolbox import browser
from toolbox.errors import ToolboxError
from toolbox.resultfile import build_result, load_result

DEFN = mini_definition()
BASE = build_result(DEFN, {"answers": {"alpha-1": 4, "beta-2": "na"}, "notes": {"alpha": "x"},
                           "action_plan": [{"theme": "alpha", "action": "a", "who": "b", "when": "c"}],
                           "label": "l"}, "en", NOW)
KEYS = sorted(BASE) + ["answers", "instrument", "format_version"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20) | st.sampled_from(["na", "mini", "alpha", "alpha-1", "memore-toolbox-result"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def try_load(data):
    try:
        result = load_result(data, DEFN, "en")
    except ToolboxError as exc:
        assert exc.code and exc.message
        return None
    json.dumps(result, allow_nan=False)
    return result


@FUZZ
@given(json_values)
def test_random_json_values(value):
    try_load(json.dumps(value))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data):
    try_load(data)
    assert json.loads(browser.load_result(data.decode("latin-1"), json.dumps(DEFN), "en"))["ok"] in (True, False)


@FUZZ
@given(st.sampled_from(KEYS), json_values)
def test_mutated_top_level_field(key, value):
    data = json.loads(json.dumps(BASE))
    data[key] = value
    try_load(json.dumps(data))


@FUZZ
@given(st.sampled_from(["answers", "notes", "instrument", "scores"]), json_values, json_values)
def test_mutated_nested_field(key, sub, value):
    data = json.loads(json.dumps(BASE))
    target = data[key]
    target[str(sub)[:10] if not isinstance(sub, str) else sub] = value
    result = try_load(json.dumps(data))
    if result is not None:
        for v in result["answers"].values():
            assert v == "na" or (type(v) is int and 1 <= v <= 5)


@FUZZ
@given(st.integers(0, 2000), st.text(max_size=5))
def test_mutated_text(position, insert):
    text = json.dumps(BASE)
    position = min(position, len(text))
    try_load(text[:position] + insert + text[position + len(insert):])
