"""Result files: round trip, migration, and refusal of every kind of hostile file."""

import json

import pytest
from engine_helpers import NOW

from toolbox.errors import ToolboxError
from toolbox.resultfile import FORMAT, build_result, dumps_result, json_schema, load_result
from toolbox.scoring import compact_scores, score

STATE = {
    "answers": {"alpha-1": 4, "alpha-3": 2, "beta-1": "na", "gamma-2": 1},
    "notes": {"beta": "Talk to the board.\nSecond line <b>not bold</b>"},
    "action_plan": [{"theme": "alpha", "action": "Plan <script>x</script>", "who": "Ana", "when": "2025-03"}],
    "label": "Team Ghent — spring",
}


def valid(defn, **changes):
    data = build_result(defn, STATE, "en", NOW)
    data.update(changes)
    return data


def refused(data, defn, code, lang="en", **kw):
    text = data if isinstance(data, (str, bytes)) else json.dumps(data)
    with pytest.raises(ToolboxError) as info:
        load_result(text, defn, lang, **kw)
    assert info.value.code == code, info.value.message
    assert info.value.message and "\n" not in info.value.message
    return info.value.message


def test_build_result_shape(defn):
    data = build_result(defn, STATE, "nl", NOW)
    assert data["format"] == FORMAT and data["format_version"] == 2
    assert data["generator"].startswith("MeMoRe Toolbox ")
    assert data["instrument"] == {"id": "mini", "version": 3}
    assert data["created"] == data["updated"] == NOW and data["language"] == "nl"
    assert data["scores"]["alpha"] == {"mean": 4.0, "level": "embedded", "answered": 2, "na": 0, "total": 3}
    assert set(data["scores"]) == {"alpha", "beta", "gamma", "overall"}
    later = build_result(defn, dict(STATE, created="2024-01-01T00:00:00Z"), "nl", NOW)
    assert later["created"] == "2024-01-01T00:00:00Z" and later["updated"] == NOW


def test_round_trip(defn):
    text = dumps_result(defn, STATE, "de", NOW)
    assert "Team Ghent — spring" in text  # ensure_ascii=False
    loaded = load_result(text, defn, "en")
    original = build_result(defn, STATE, "de", NOW)
    assert loaded["answers"] == original["answers"]
    assert loaded["scores"] == original["scores"]
    assert loaded == original
    assert load_result(text.encode("utf-8"), {"mini": defn}, "en") == original


def test_markup_stays_verbatim(defn):
    loaded = load_result(dumps_result(defn, STATE, "en", NOW), defn, "en")
    assert loaded["notes"]["beta"] == STATE["notes"]["beta"]
    assert loaded["action_plan"][0]["action"] == "Plan <script>x</script>"


def test_scores_in_file_are_never_trusted(defn):
    data = valid(defn)
    data["scores"]["alpha"]["mean"] = 1.0
    data["scores"]["overall"] = {"mean": 5, "level": "embedded", "answered": 99, "na": 0, "total": 1}
    loaded = load_result(json.dumps(data), defn, "en")
    assert loaded["scores"] == compact_scores(score(defn, STATE["answers"], "en"))
    refused(valid(defn, scores=[1, 2]), defn, "bad-type")


def test_migrate_v1(defn):
    v1 = {"format": FORMAT, "format_version": 1, "instrument": "mini", "language": "nl",
          "saved": "2023-05-06T07:08:09Z", "answers": {"alpha-1": 2, "beta-2": "na"}, "notes": {"gamma": "note"}}
    loaded = load_result(json.dumps(v1), defn, "en")
    assert loaded["format_version"] == 2
    assert loaded["created"] == loaded["updated"] == "2023-05-06T07:08:09Z"
    assert loaded["label"] == "" and loaded["action_plan"] == []
    assert loaded["instrument"] == {"id": "mini", "version": 3}
    assert loaded["answers"] == v1["answers"] and loaded["notes"] == {"gamma": "note"}
    assert loaded["scores"]["alpha"]["mean"] == 2.0
    refused(dict(v1, saved="yesterday"), defn, "bad-date")
    refused(dict(v1, instrument={"id": "mini"}), defn, "bad-type")


def test_newer_version_refused(defn):
    for lang, word in (("en", "newer version"), ("nl", "nieuwere versie"), ("de", "neueren Version"),
                       ("sv", "nyare version")):
        assert word in refused(valid(defn, format_version=3), defn, "newer-format", lang)


@pytest.mark.parametrize("data,code", [
    (b"", "empty"), ("   \n", "empty"), (b"\xef\xbb\xbf", "empty"),
    ("not json", "not-json"), ("{'format': 1}", "not-json"), ('{"a": 1', "not-json"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not-text"), (b"\xff\xd8\xff\xe0garbage\x80\x81", "not-text"),
    ("[1, NaN]", "bad-number"), ('{"x": Infinity}', "bad-number"), ('{"x": -Infinity}', "bad-number"),
    ('{"x": 1e999}', "bad-number"),
    ("[]", "not-a-result"), ("42", "not-a-result"), ('"text"', "not-a-result"), ("null", "not-a-result"),
    ('{"format": "other"}', "not-a-result"), ("{}", "not-a-result"),
    ("[" * 100000 + "]" * 100000, "too-deep"), ("[" * 100000, "too-deep"),
    ('{"a":' * 50 + "1" + "}" * 50, "too-deep"),
])
def test_hostile_files(defn, data, code):
    refused(data, defn, code)


def test_too_large(defn):
    big = json.dumps(valid(defn, label="")) + " " * (2 * 1024 * 1024)
    refused(big, defn, "too-large")
    refused(big.encode("utf-8"), defn, "too-large")
    refused("é" * (2 * 1024 * 1024 + 1), defn, "too-large")


def test_utf8_bom_and_utf16_bom(defn):
    text = dumps_result(defn, STATE, "en", NOW)
    assert load_result(b"\xef\xbb\xbf" + text.encode("utf-8"), defn, "en")["label"] == STATE["label"]
    assert load_result("\ufeff" + text, defn, "en")["label"] == STATE["label"]
    assert load_result(text.encode("utf-16"), defn, "en")["label"] == STATE["label"]  # BOM + UTF-16
    assert load_result(b"\xfe\xff" + text.encode("utf-16-be"), defn, "en")["label"] == STATE["label"]
    refused(b"\xff\xfe\x00\xd8", defn, "not-text")  # lone surrogate
    refused(text.encode("utf-16-le"), defn, "not-text")  # no BOM: NUL bytes


def field_cases():
    return [
        ("format_version", "2", "bad-type"), ("format_version", 2.0, "bad-type"), ("format_version", True, "bad-type"),
        ("format_version", 0, "bad-version"),
        ("instrument", "mini", "bad-type"), ("instrument", {"version": 3}, "missing-field"),
        ("instrument", {"id": 5, "version": 3}, "bad-type"), ("instrument", {"id": "mini", "version": "3"}, "bad-version"),
        ("instrument", {"id": "mini", "version": True}, "bad-version"),
        ("language", "fr", "bad-language"), ("language", None, "bad-type"),
        ("created", "2025-13-45T00:00:00Z", "bad-date"), ("updated", 20250101, "bad-type"),
        ("created", "x" * 41, "too-long"),
        ("label", ["a"], "bad-type"), ("label", "x" * 201, "too-long"),
        ("generator", {}, "bad-type"),
        ("answers", [], "bad-type"), ("answers", None, "bad-type"),
        ("notes", [], "bad-type"), ("notes", {"alpha": 5}, "bad-type"), ("notes", {"zeta": "x"}, "unknown-theme"),
        ("notes", {"alpha": "x" * 5001}, "too-long"),
        ("action_plan", {}, "bad-type"), ("action_plan", ["row"], "bad-type"),
        ("action_plan", [{"theme": "alpha", "action": 3}], "bad-type"),
        ("action_plan", [{"theme": "zeta", "action": "x"}], "unknown-theme"),
        ("action_plan", [{"theme": "alpha", "action": "x" * 1001}], "too-long"),
        ("action_plan", [{"theme": "alpha", "action": "x", "who": "x" * 1001}], "too-long"),
        ("action_plan", [{"theme": "alpha", "action": "x"}] * 101, "too-many-rows"),
    ]


@pytest.mark.parametrize("field,value,code", field_cases())
def test_wrong_fields(defn, field, value, code):
    refused(valid(defn, **{field: value}), defn, code)


@pytest.mark.parametrize("field", ["format_version", "instrument", "language", "created", "updated", "answers"])
def test_missing_fields(defn, field):
    data = valid(defn)
    del data[field]
    refused(data, defn, "missing-field")


def test_limits_are_inclusive(defn):
    data = valid(defn, label="x" * 200, notes={"alpha": "y" * 5000},
                 action_plan=[{"theme": "", "action": "z" * 1000, "who": "", "when": ""}] * 100)
    loaded = load_result(json.dumps(data), defn, "en")
    assert len(loaded["action_plan"]) == 100 and loaded["action_plan"][0]["theme"] == ""


@pytest.mark.parametrize("value", [True, False, 0, 6, -1, 3.5, 3.0, "3", "NA", None, [3], {"v": 3}])
def test_bad_answer_values(defn, value):
    msg = refused(valid(defn, answers={"alpha-1": value}), defn, "bad-value")
    assert "alpha-1" in msg


def test_unknown_statement(defn):
    assert "zeta-9" in refused(valid(defn, answers={"zeta-9": 3}), defn, "unknown-statement")


def test_unknown_and_other_instrument(defn, other, definitions):
    data = valid(defn, instrument={"id": "nope", "version": 1})
    refused(data, definitions, "unknown-instrument")
    msg = refused(build_result(other, {}, "en", NOW), defn, "other-questionnaire")
    assert msg == "This is a result of the questionnaire “other”, not of “Mini check”."
    msg = refused(build_result(other, {}, "en", NOW), definitions, "other-questionnaire", "en", expected_id="mini")
    assert msg == "This is a result of the questionnaire “Other check”, not of “Mini check”."
    assert load_result(json.dumps(build_result(other, {}, "en", NOW)), definitions, "en")["instrument"]["id"] == "other"


def test_messages_in_each_language(defn):
    assert refused("", defn, "empty", "nl") == "Het bestand is leeg."
    assert refused("", defn, "empty", "de") == "Die Datei ist leer."
    assert refused("", defn, "empty", "xx") == "The file is empty."


def test_extra_top_level_fields_are_dropped(defn):
    data = valid(defn, evil="<script>", __proto__={"x": 1})
    loaded = load_result(json.dumps(data), defn, "en")
    assert "evil" not in loaded and "__proto__" not in loaded


def test_non_text_input_type(defn):
    for value in (None, 12345, ["a"]):
        with pytest.raises(ToolboxError):
            load_result(value, defn, "en")


def test_json_schema_describes_built_files(defn):
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json.dumps(schema)
    data = build_result(defn, STATE, "en", NOW)
    current = schema["$defs"]["format-2"]
    assert set(current["required"]) <= set(data)
    assert set(data) <= set(current["properties"])
    assert current["properties"]["format_version"] == {"const": 2}
    assert current["properties"]["action_plan"]["maxItems"] == 100
    assert current["properties"]["label"]["maxLength"] == 200


@pytest.mark.parametrize("value, ok", [
    ("2026-03-09T16:20:05Z", True), ("2026-03-09T16:20:05.123Z", True), ("2026-03-09T16:20:05.123456789+02:00", True),
    ("2026-03-09", True), ("2026-03-09 16:20", True), ("2026-03-09T16:20:05+0200", True), ("2026-03-09T16:20:05z", True),
    ("2024-02-29T00:00:00Z", True), ("2000-02-29", True),
    ("20260309T162005Z", False), ("2026-W10-1", False), ("2026-068", False), ("2026-03-09T16:20:05.1234567890Z", False),
    ("2025-02-29", False), ("1900-02-29", False), ("2026-04-31", False), ("2026-13-01", False), ("0000-01-01", False),
    ("2026-03-09T24:00:00Z", False), ("2026-03-09T16:60:00Z", False), ("2026-03-09T16:20:60Z", False),
    ("2026-03-09T16:20:05+24:00", False), ("2026-03-09T16:20:05+01:60", False), ("2026-03-09t16:20:05Z", False),
    ("2026-03-09Z", False), ("2026-03-09T16:20:05Z\n", False), ("\u0662\u0660\u0662\u0666-03-09", False), ("", False),
])
def test_one_date_grammar_on_every_python(value, ok):
    """Not datetime.fromisoformat, which accepts different forms on 3.11 and 3.14 (the page's Python)."""
    from toolbox.resultfile import valid_date

    assert valid_date(value) is ok


def test_page_rules_come_from_the_engine(defn):
    from toolbox import resultfile
    from toolbox.messages import LANGUAGES, message
    from toolbox.scoring import accepted_values

    changed = json.loads(json.dumps(defn))
    changed["themes"][0]["statements"][1]["revised"] = 2
    changed["retired"] = [{"id": "old-1", "version": 2}]
    rules = resultfile.page_rules(changed, "de")
    assert (rules["format"], rules["format_version"], rules["format_versions"]) == (FORMAT, 2, [1, 2])
    assert (rules["max_bytes"], rules["max_depth"], rules["limits"]) == (
        resultfile.MAX_BYTES, resultfile.MAX_DEPTH, resultfile.LIMITS)
    assert rules["languages"] == list(LANGUAGES) and rules["date_pattern"] == resultfile.DATE_PATTERN
    assert rules["instrument"]["id"] == defn["id"] and rules["instrument"]["version"] == defn["version"]
    statements = [st for theme in rules["themes"] for st in theme["statements"]]
    originals = [st for theme in defn["themes"] for st in theme["statements"]]
    assert [st["id"] for st in statements] == [st["id"] for st in originals]
    assert all(st["accepted"] == accepted_values(orig) for st, orig in zip(statements, originals, strict=False))
    assert [st["revised"] for st in statements[:3]] == [1, 2, 1]
    assert rules["retired"] == [{"id": "old-1", "version": 2}]
    assert rules["messages"]["error.too-long"] == message("error.too-long", "de")
    assert "\u3000" in rules["space"] and "a" not in rules["space"]
    json.dumps(rules, allow_nan=False)
