"""Loader fuzzing: random JSON and mutated valid files raise nothing but ToolboxError; large inputs are timed."""

import json
import time

from adversarial import _around
from engine_helpers import FUZZ, NOW, mini_definition
from hypothesis import given, settings
from hypothesis import strategies as st

from toolbox import browser
from toolbox.definitions import all_definitions
from toolbox.errors import ToolboxError
from toolbox.resultfile import MAX_BYTES, build_result, load_result

DEFN = mini_definition()
BASE = build_result(DEFN, {"answers": {"alpha-1": 4, "beta-2": "na"}, "notes": {"alpha": "x"},
                           "action_plan": [{"theme": "alpha", "action": "a", "who": "b", "when": "c"}],
                           "label": "l"}, "en", NOW)
KEYS = [*sorted(BASE), "answers", "instrument", "format_version"]

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


# ---------------------------------------------------------------- large inputs, timed

LARGE = settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 20))
ALL_DEFINITIONS = all_definitions()
LARGE_LIMIT_S = 1.0  # CPU seconds per input, as in test_adversarial.py

fragments = (
    st.text(alphabet='[]{}"\\,:0123456789eE.-+ \naé€\U0001d11e', min_size=1, max_size=8)
    | st.sampled_from(['\\"', "\\\\", "\\u00e9", "\\ud800", "\\udc00", "1e400", "[[", "]]", '{"a":', '"', "1.5,",
                       "[],", "{},", "true,", " ", '"k": 0,', "1" * 50])
)


@LARGE
@given(st.lists(st.tuples(fragments, st.integers(1, 400_000)), min_size=1, max_size=4),
       st.sampled_from([None, "label", "answers", "notes", "scores"]))
def test_large_inputs_are_answered_in_time(pieces, field):
    """Up to 2 MiB made of repeated small pieces, alone or as the value of one field of a valid file."""
    head, tail = ("", "") if field is None else _around(field)
    room = MAX_BYTES - len((head + tail).encode("utf-8"))
    body = "".join(piece * count for piece, count in pieces)
    body = body.encode("utf-8")[:room].decode("utf-8", "ignore")
    text = head + body + tail
    started = time.process_time()
    try:
        load_result(text.encode("utf-8"), ALL_DEFINITIONS, "en")
    except ToolboxError as exc:
        assert exc.code and exc.message
    out = json.loads(browser.load_result(text, json.dumps(ALL_DEFINITIONS["sustainability"]), "de"))
    spent = time.process_time() - started
    assert out["ok"] in (True, False)
    assert spent < 2 * LARGE_LIMIT_S, f"{len(text)} characters took {spent:.2f} s of CPU for two loads"
