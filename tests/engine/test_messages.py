"""Messages: every key in every language, fallback, number format."""

import json
import re

import pytest

from toolbox import messages
from toolbox.messages import LANGUAGES, format_number, message, tr

CATALOGUE = messages.catalogue()
ERROR_CODES = ["empty", "too-large", "not-text", "not-json", "bad-number", "too-deep", "not-a-result",
               "newer-format", "missing-field", "bad-type", "unknown-instrument", "other-questionnaire",
               "bad-language", "bad-date", "unknown-statement", "bad-value", "unknown-theme", "too-long",
               "too-many-rows", "bad-version", "cannot-read", "bad-definition", "bad-input", "internal"]


def test_no_key_missing_in_any_language():
    keys = set(CATALOGUE["en"])
    for lang in LANGUAGES:
        assert set(CATALOGUE[lang]) == keys, lang
        for key, value in CATALOGUE[lang].items():
            assert isinstance(value, str) and value.strip(), (lang, key)


def test_placeholders_match_across_languages():
    for key in CATALOGUE["en"]:
        fields = {lang: sorted(set(re.findall(r"{(\w+)}", CATALOGUE[lang][key]))) for lang in LANGUAGES}
        assert all(fields[lang] == fields["en"] for lang in LANGUAGES), (key, fields)


@pytest.mark.parametrize("code", ERROR_CODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_error_is_one_sentence(code, lang):
    text = CATALOGUE[lang]["error." + code]
    assert text.endswith(".")
    assert text.count(". ") == 0 and "\n" not in text


def test_levels_and_scale():
    assert [message(f"level.{k}", "nl") for k in ("starting", "developing", "established", "embedded")] == [
        "beginnend", "in ontwikkeling", "gevestigd", "verankerd"]
    assert [message(f"level.{k}", "de") for k in ("starting", "developing", "established", "embedded")] == [
        "beginnend", "im Aufbau", "etabliert", "verankert"]
    assert [message(f"level.{k}", "fi") for k in ("starting", "developing", "established", "embedded")] == [
        "alkuvaiheessa", "kehittymässä", "vakiintunut", "juurtunut"]
    assert [message(f"level.{k}", "sv") for k in ("starting", "developing", "established", "embedded")] == [
        "i startskedet", "under utveckling", "etablerad", "förankrad"]
    for lang in LANGUAGES:
        for k in ("1", "2", "3", "4", "5", "na"):
            assert message(f"scale.{k}", lang)
    assert message("scale.na", "en") == "Don't know / not relevant to us"


def test_not_applicable_labels_cannot_read_as_disagreement():
    # "Trifft nicht zu" is what a German respondent who disagrees picks, and "niet van
    # toepassing" / "not applicable" read the same way; na is left out of the mean, so such a
    # label silently raises scores. The label must say "don't know / not relevant" instead.
    # Finnish: "ei sovellu" (not applicable), "ei päde" and "ei pidä paikkaansa" (not true of us)
    # read as "no" in the same way, and "en osaa sanoa" is the middle point of many Finnish
    # agreement scales, so people who mean 3 would pick it.
    # Swedish: "stämmer inte" is what a respondent who disagrees says, "gäller inte (oss)" reads
    # as "that is not true of us", and "ej/inte tillämpligt" is the same trap as "not applicable".
    banned = ("trifft nicht zu", "niet van toepassing", "not applicable", "passt nicht", "ei sovellu",
              "ei päde", "ei pidä paikkaansa", "en osaa sanoa", "stämmer inte", "gäller inte",
              "tillämpligt", "tillämplig")
    for lang in LANGUAGES:
        for key in ("scale.na", "table.na"):
            text = message(key, lang).lower()
            assert not any(b in text for b in banned), (lang, key, text)
    assert [message("scale.na", lang) for lang in ("en", "nl", "de", "fi", "sv")] == [
        "Don't know / not relevant to us", "Weet ik niet / niet relevant voor ons",
        "Weiß nicht / für uns nicht relevant", "En tiedä / meille epäolennainen", "Vet inte / inte relevant för oss"]


def test_not_applicable_label_holds_no_point_of_the_scale():
    # "Don't know" must not read as the middle of the scale or as (dis)agreement: a label such as
    # "Ei samaa eikä eri mieltä / en tiedä" would be picked by people who mean 3.
    for lang in LANGUAGES:
        points = [message(f"scale.{k}", lang).lower() for k in ("1", "2", "3", "4", "5")]
        assert len(set(points)) == 5, lang
        for key in ("scale.na", "table.na"):
            text = message(key, lang).lower()
            assert not any(point in text for point in points), (lang, key, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_answer_labels_are_distinct_and_not_hidden_in_the_not_applicable_label(lang):
    # Each answer must read as itself: no two labels alike, and the "don't know" label must not
    # hold another answer's label as a phrase of its own ("Nej" or "Instämmer inte" inside it
    # would let it be read as that answer).
    answers = [message(f"scale.{k}", lang) for k in "12345"] + [
        message(f"practice.{k}", lang) for k in ("no", "partly", "yes")]
    assert len({a.lower() for a in answers}) == len(answers), answers
    for key in ("scale.na", "table.na"):
        na = message(key, lang).lower()
        for answer in answers:
            assert not re.search(r"(?<!\w)" + re.escape(answer.lower()) + r"(?!\w)", na), (key, answer)


def test_swedish_answer_labels():
    # Reviewed wording (the Swedish agreement scale of "instämmer"; practices no / partly / yes).
    assert [message(f"scale.{k}", "sv") for k in "12345"] == [
        "Instämmer inte alls", "Instämmer inte", "Varken eller", "Instämmer", "Instämmer helt"]
    assert [message(f"practice.{k}", "sv") for k in ("no", "partly", "yes")] == ["Nej", "Delvis", "Ja"]
    assert message("table.na", "sv") == "Vet inte / inte relevant"


def test_fallback_to_english(monkeypatch):
    fake = json.loads(json.dumps(CATALOGUE))
    fake["nl"].pop("level.embedded")
    monkeypatch.setattr(messages, "catalogue", lambda: fake)
    assert message("level.embedded", "nl") == "embedded"
    assert message("level.embedded", "xx") == "embedded"


def test_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        message("no.such.key", "en")


def test_format_number_and_tr():
    assert format_number(3.44, "en") == "3.4"
    assert format_number(3.44, "nl") == "3,4"
    assert format_number(3.44, "fi") == "3,4"
    # 0.25 and -1.25 are exact in binary, and Python rounds halves to even.
    assert format_number(-1.25, "fi", sign=True) == "-1,2"
    assert format_number(0.25, "de", sign=True) == "+0,2"
    assert format_number(0.35, "de", sign=True) == "+0,3"  # 0.35 is stored as 0.34999...
    assert format_number(3.44, "sv") == "3,4"
    assert format_number(-1.25, "sv", decimals=2, sign=True) == "-1,25"
    assert format_number(-0.04, "en", sign=True) == "0.0"
    assert format_number(-1.0, "en", sign=True) == "-1.0"
    assert tr({"en": "a", "nl": "b"}, "nl") == "b"
    assert tr({"en": "a"}, "de") == "a"
    assert tr("plain", "de") == "plain"
    assert tr(None, "de") == ""
