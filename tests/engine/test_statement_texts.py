"""The real questionnaires keep the item-writing rules of issue 15 and say what they promise.

Checked on the data in every language: an agreement statement holds no threshold or digit, no
statement is longer than about 25 words, none asks in hindsight; each introduction says who "we"
is, gives the true number of statements, and a time that agrees with the toolbox page and with a
reading of the form (200 words a minute, fewer for Finnish, plus 5 seconds per answer).
"""

import re
from pathlib import Path

import pytest

from toolbox.definitions import compile_yaml
from toolbox.messages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "toolbox" / "questionnaires").glob("*.yaml"))
LANGS = LANGUAGES
HINDSIGHT = {
    "en": r"\b(last (year|two years)|past year|could have)\b",
    "nl": r"\b(voorbije|afgelopen) (jaar|twee jaar)\b|hadden kunnen",
    "de": r"\b(im letzten Jahr|in den letzten zwei Jahren|vergangenen Jahr)\b",
    "fi": r"\b(viime vuonna|viime vuoden|kahden viime vuoden|kuluneena vuonna|olisi voinut|olisimme voineet)\b",
    "sv": r"\b(förra året|(senaste|gångna) (året|två åren)|kunde ha)\b",
}
WE = {"en": r"[\"']we[\"']", "nl": r"'we'", "de": r"„wir“", "fi": r"”me”", "sv": r"”vi”"}
RANGE = {"en": r"(\d+) to (\d+) minutes", "nl": r"(\d+) tot (\d+) minuten", "de": r"(\d+) bis (\d+)\s+Minuten",
         "fi": r"(\d+)–(\d+) minuuttia", "sv": r"(\d+) till (\d+) minuter"}
# Reading speed in words a minute. Finnish says the same in fewer, longer words and is read at fewer
# words a minute: 161 against 228 for English in the International Reading Speed Texts
# (Trauzettel-Klosinski & Dietz, IOVS 2012;53:5452), so its rate is 200 x 161 / 228.
WORDS_PER_MINUTE = {"en": 200, "nl": 200, "de": 200, "fi": 141, "sv": 200}
# Labels for "not applicable" that read as "no" (Finnish: "ei sovellu", "ei päde"; Swedish: "inte tillämpligt").
NOT_APPLICABLE = r"not applicable|trifft nicht zu|niet van toepassing|ei sovellu|ei päde|tillämplig"


def _statements(d):
    return [st for t in d["themes"] for st in t["statements"]]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_statements_keep_the_item_writing_rules(path):
    for st in _statements(compile_yaml(path)):
        for lang in LANGS:
            text = st["text"][lang]
            assert len(text.split()) <= 25, (st["id"], lang, text)
            assert not re.search(HINDSIGHT[lang], text, re.I), (st["id"], lang, text)
            if st.get("kind", "agree") == "agree":
                assert not re.search(r"\d", text), (st["id"], lang, "threshold on an agreement scale", text)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_introduction_says_who_we_is_and_how_many_statements(path):
    d = compile_yaml(path)
    count = len(_statements(d))
    for lang in LANGS:
        intro = d["introduction"][lang]
        assert re.search(WE[lang], intro, re.I), (path.stem, lang, "who 'we' is")
        for number in re.findall(r"(\d+) (?:statements|stellingen|Aussagen|väittämää|påståenden)", intro):
            assert int(number) == count, (path.stem, lang, number, count)


def _page_minutes(lang, stem):
    page = (ROOT / "docs" / lang / "toolbox" / "index.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if f"]({stem}.md)" in line and line.startswith("|"))
    low, high = re.search(r"\|\s*(\d+)[-–](\d+) \w+\s*\|\s*$", row).groups()
    return int(low), int(high)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_time_estimates_agree_and_match_a_reading_of_the_form(path):
    d = compile_yaml(path)
    statements = _statements(d)
    for lang in LANGS:
        match = re.search(RANGE[lang], d["introduction"][lang])
        assert match, (path.stem, lang, "the introduction gives a time range")
        low, high = int(match.group(1)), int(match.group(2))
        assert (low, high) == _page_minutes(lang, path.stem), (path.stem, lang)
        words = sum(len(st["text"][lang].split()) for st in statements)
        answering = len(statements) * 5 / 60
        rate = WORDS_PER_MINUTE[lang]
        assert low <= round(words / rate + answering) <= high, (path.stem, lang, words, low, high)
        # Reading the theme titles and "what good looks like" as well still fits the upper bound.
        extra = sum(len(t["title"][lang].split()) + len(t["good"][lang].split()) for t in d["themes"])
        assert (words + extra) / rate + answering <= high, (path.stem, lang, words + extra, high)


def test_not_applicable_label_is_quoted_as_it_reads_in_the_form():
    # The page and the form help quote the answer; they must quote today's label, not the old
    # "not applicable / trifft nicht zu" that read as disagreement.
    for lang in LANGS:
        page = (ROOT / "docs" / lang / "toolbox" / "index.md").read_text(encoding="utf-8")
        assert not re.search(NOT_APPLICABLE, page, re.I), lang
    ui = (ROOT / "memore_site" / "data" / "ui.json").read_text(encoding="utf-8")
    assert not re.search(NOT_APPLICABLE, ui, re.I)
