"""The JSON-string entry points called from the page through Pyodide."""

import json
import xml.etree.ElementTree as ET

from engine_helpers import NOW

from toolbox import browser
from toolbox.definitions import localise
from toolbox.resultfile import dumps_result

STATE = {"answers": {"alpha-1": 4, "alpha-2": None, "beta-1": "na", "gamma-1": 2}, "notes": {"alpha": "n"},
         "action_plan": [], "label": "L"}


def test_evaluate(defn):
    out = json.loads(browser.evaluate(json.dumps(localise(defn, "nl")), json.dumps(STATE), "nl"))
    assert out["ok"] is True
    assert [t["id"] for t in out["themes"]] == ["alpha", "beta", "gamma"]
    alpha = out["themes"][0]
    for key in ("id", "title", "mean", "mean_display", "level", "level_label", "answered", "na", "total",
                "advice_key", "advice", "links"):
        assert key in alpha
    assert alpha["title"] == "Alfa-thema" and alpha["advice"] == "Alfa hoog advies."
    assert alpha["links"] == [{"page": "models/mentoring-to-nec.md", "label": {"nl": "Mentoring naar NEC"}}]
    assert out["ranked"] == ["gamma", "alpha"] and out["weakest"] == ["gamma", "alpha"]
    assert out["strongest"] == ["alpha", "gamma"]
    ET.fromstring(out["radar_svg"]), ET.fromstring(out["bars_svg"]), ET.fromstring(out["table_html"])
    assert 'id="mt-mini-radar-title"' in out["radar_svg"] and 'id="mt-mini-bars-title"' in out["bars_svg"]


def test_evaluate_bad_input_never_raises(defn):
    for state in ("{", "[]", json.dumps({"answers": {"alpha-1": 9}}), json.dumps({"answers": {"x": 1}})):
        out = json.loads(browser.evaluate(json.dumps(defn), state, "de"))
        assert out["ok"] is False and out["code"] and out["message"]
    out = json.loads(browser.evaluate("not json", "{}", "en"))
    assert out["ok"] is False and out["code"] == "bad-definition"


def test_export_and_load(defn):
    text = browser.export_result(json.dumps(defn), json.dumps(STATE), "en", NOW)
    data = json.loads(text)
    assert data["answers"] == {"alpha-1": 4, "beta-1": "na", "gamma-1": 2}
    out = json.loads(browser.load_result(text, json.dumps(localise(defn, "en")), "nl"))
    assert out["ok"] is True and out["language"] == "en"
    assert out["state"] == {"answers": data["answers"], "notes": {"alpha": "n"}, "action_plan": [], "label": "L",
                            "created": NOW, "updated": NOW}


def test_load_refusals_are_json(defn, other):
    d = json.dumps(defn)
    for text, code in (("", "empty"), ("[" * 50000, "too-deep"), ("{}", "not-a-result"),
                       (dumps_result(other, {}, "en", NOW), "other-questionnaire")):
        out = json.loads(browser.load_result(text, d, "de"))
        assert out == {"ok": False, "code": code, "message": out["message"]}
    out = json.loads(browser.load_result(None, d, "en"))
    assert out["ok"] is False


def test_compare_pair_and_group(defn, other):
    d = json.dumps(defn)
    before = dumps_result(defn, {"answers": {"alpha-1": 2}}, "en", NOW)
    files = [{"name": "before.json", "text": before}, {"name": "bad.json", "text": "nope"}]
    out = json.loads(browser.compare(d, json.dumps(STATE), json.dumps(files), "en"))
    assert out["mode"] == "pair" and out["count"] == 1
    assert out["errors"] == [{"name": "bad.json", "code": "not-json", "message": out["errors"][0]["message"]}]
    assert out["rows"][0]["before"] == 2.0 and out["rows"][0]["after"] == 4.0 and out["rows"][0]["delta"] == 2.0
    assert "Before" in out["radar_svg"] and "+2.0" in out["table_html"]
    files = [{"name": f"{i}.json", "text": dumps_result(defn, {"answers": {"alpha-1": i}}, "en", NOW)}
             for i in (1, 3, 5)]
    files.append({"name": "other.json", "text": dumps_result(other, {}, "en", NOW)})
    files.append("garbage")
    out = json.loads(browser.compare(d, "{}", json.dumps(files), "nl"))
    assert out["mode"] == "group" and out["count"] == 3 and len(out["errors"]) == 2
    alpha = out["rows"][0]
    assert (alpha["mean"], alpha["min"], alpha["max"], alpha["count"]) == (3.0, 1, 5, 3)
    ET.fromstring(out["radar_svg"]), ET.fromstring(out["table_html"])
    out = json.loads(browser.compare(d, "{}", "[]", "en"))
    assert out["mode"] == "none" and out["count"] == 0
    out = json.loads(browser.compare(d, "{}", "{", "en"))
    assert out["ok"] is False


def test_scale_labels():
    assert json.loads(browser.scale_labels("de"))["na"] == "Weiß nicht / für uns nicht relevant"
    assert json.loads(browser.scale_labels("sv"))["na"] == "Vet inte / inte relevant för oss"


def test_an_internal_fault_logs_its_traceback_and_returns_the_plain_message(defn, capsys, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("a bug in the engine")

    monkeypatch.setattr(browser, "score", broken)
    out = json.loads(browser.evaluate(json.dumps(defn), json.dumps(STATE), "nl"))
    assert out == {"ok": False, "code": "internal", "message": out["message"]}
    assert out["message"].endswith(".") and "Traceback" not in out["message"] and "Zero" not in out["message"]
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "in evaluate" in err and err.rstrip().endswith("ZeroDivisionError: a bug in the engine")


def test_a_refusal_logs_nothing(defn, capsys):
    out = json.loads(browser.load_result("{", json.dumps(defn), "en"))
    assert out["ok"] is False and out["code"] == "not-json"
    assert capsys.readouterr() == ("", "")


def test_a_broken_stderr_still_gives_the_plain_message(defn, monkeypatch):
    class Broken:
        def write(self, text):
            raise OSError("no console")

    monkeypatch.setattr(browser, "score", lambda *args: 1 / 0)
    monkeypatch.setattr("sys.stderr", Broken())
    out = json.loads(browser.evaluate(json.dumps(defn), json.dumps(STATE), "en"))
    assert out["ok"] is False and out["code"] == "internal"


def test_definition_text_parsed_once_and_results_unchanged(defn, monkeypatch):
    """The page sends the same definition text with every call; it is parsed once and kept, and a
    kept definition scores exactly as a freshly parsed one (nothing changes it between calls)."""
    text = json.dumps(localise(defn, "en"))
    first = browser.evaluate(text, json.dumps(STATE), "en")
    parsed = []
    real = json.loads
    monkeypatch.setattr(browser.json, "loads", lambda s, *a, **k: (parsed.append(s), real(s, *a, **k))[1])
    again = [browser.evaluate(text, json.dumps(STATE), "en") for _ in range(3)]
    assert text not in parsed  # the state is parsed on every call, the definition never again
    assert len(parsed) == 3
    assert again == [first] * 3
    other = json.dumps(dict(localise(defn, "en"), id="other"))
    browser.evaluate(other, json.dumps(STATE), "en")
    assert other in parsed  # another text is parsed: the cache is keyed by the text itself
    for i in range(browser._PARSED_MAX + 2):  # bounded: never more than _PARSED_MAX texts kept
        browser.evaluate(json.dumps(dict(localise(defn, "en"), id=f"d{i}")), json.dumps(STATE), "en")
    assert len(browser._PARSED) <= browser._PARSED_MAX
