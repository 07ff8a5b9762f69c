"""The termbase (``i18n/termbase.yml``): one form per term and language, and what it forbids.

Used by ``drift.py``: glossary headwords and tooltip abbreviations are mapped to language-free
ids through it, and the forbidden variants of a term are searched in one language's texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Forbidden:
    """One variant that must not be written in ``lang``: its regex and what to write instead."""

    lang: str
    label: str
    regex: re.Pattern
    advice: str


class Termbase:
    """The loaded termbase; ``problems`` lists what is wrong with the file itself."""

    def __init__(self, path: Path, languages):
        self.path = path
        self.languages = tuple(languages)
        # libyaml's safe loader when PyYAML has it (the same data, faster); the Python one otherwise.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        self.terms = data.get("terms") or {}
        self.glossary = data.get("glossary") or {}
        self.tooltips = data.get("tooltips") or {}
        self.problems: list[str] = []
        self._check()

    def _check(self):
        for section in ("terms", "glossary", "tooltips"):
            for ident, forms in getattr(self, section).items():
                for lang in self.languages:
                    form = (forms or {}).get(lang)
                    text = form.get("use") if isinstance(form, dict) else form
                    if not isinstance(text, str) or not text.strip():
                        self.problems.append(f"{section} '{ident}' has no {lang} form")
        self._forbidden = list(self._all_forbidden())  # also records patterns that do not compile

    def _all_forbidden(self):
        for ident, forms in self.terms.items():
            for lang, form in (forms or {}).items():
                if not isinstance(form, dict):
                    continue
                advice = f"write '{form.get('use')}'"
                for entry in form.get("forbidden") or []:
                    if isinstance(entry, dict):
                        label, pattern = entry["pattern"], entry["pattern"]
                        advice_here = entry.get("why") or advice
                    else:
                        label, pattern, advice_here = entry, _words(entry), advice
                    try:
                        regex = re.compile(pattern, re.IGNORECASE)
                    except re.error as exc:
                        self.problems.append(f"terms '{ident}' ({lang}): bad pattern {pattern!r}: {exc}")
                        continue
                    yield Forbidden(lang, label, regex, advice_here)

    def forbidden(self, lang: str) -> list:
        """The forbidden variants of ``lang``."""
        return [f for f in self._forbidden if f.lang == lang]

    def glossary_id(self, lang: str, headword: str):
        """The id of a glossary headword in ``lang`` (any case), or None if the termbase lacks it."""
        wanted = _fold(headword)
        for ident, forms in self.glossary.items():
            if _fold((forms or {}).get(lang, "")) == wanted:
                return ident
        return None

    def glossary_form(self, ident: str, lang: str) -> str:
        return (self.glossary.get(ident) or {}).get(lang, ident)

    def tooltip_id(self, lang: str, abbreviation: str) -> str:
        """The id of a tooltip abbreviation: its termbase entry, or the abbreviation itself."""
        for ident, forms in self.tooltips.items():
            if (forms or {}).get(lang) == abbreviation:
                return ident
        return abbreviation

    def tooltip_form(self, ident: str, lang: str) -> str:
        return (self.tooltips.get(ident) or {}).get(lang, ident)


def _words(phrase: str) -> str:
    """A plain phrase as a regex that matches whole words, with any run of spaces between them."""
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    start = r"\b" if phrase[:1].isalnum() else ""
    end = r"\b" if phrase[-1:].isalnum() else ""
    return start + body + end


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def headword(term: str) -> str:
    """A glossary headword: the words of a ``<dt>`` before any bracket."""
    return " ".join(term.split(" (", 1)[0].split())


def find(forbidden: list, text: str):
    """Yield (Forbidden, matched text) for each forbidden variant found in ``text``."""
    for entry in forbidden:
        for match in entry.regex.finditer(text):
            yield entry, match.group(0)


_MD_NOT_RUNNING = re.compile(
    r"\]\([^)]*\)"                      # link targets
    r"|<[^>]+>"                         # autolinks, tags
    r"|`[^`]*`"                         # code
    r"|(?<![\w*])\*(?!\s)[^*\n]+?\*(?!\*)"  # *italics*: a quoted original term or a title
    r"|https?://\S+"
)


_NOT_RUNNING = re.compile(
    r"https?://\S+"                          # addresses
    r"|„[^“”\n]*[“”]|“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»"  # quotations: an original's own words
)


def running_text(text: str) -> str:
    """Rendered text without what is not the site's own wording: addresses and quotations."""
    return _NOT_RUNNING.sub(" ", text)


def running_text_of_markdown(text: str) -> str:
    """The running text of a short Markdown string (questionnaire texts, tooltips)."""
    return running_text(_MD_NOT_RUNNING.sub(" ", text))


def language_strings(obj, lang: str, languages, path: str = "", current=None):
    """Yield (path, text) for every string of ``lang`` in a nested structure of data.

    A string belongs to a language when its nearest key that is a language code is that
    language: ``{"title": {"nl": "..."}}`` and ``{"nl": {"key": "..."}}`` alike.
    """
    if isinstance(obj, dict):
        for key, value in obj.items():
            here = key if key in languages else current
            yield from language_strings(value, lang, languages, f"{path}.{key}" if path else str(key), here)
    elif isinstance(obj, list):
        for number, value in enumerate(obj):
            name = value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else number
            yield from language_strings(value, lang, languages, f"{path}[{name}]", current)
    elif isinstance(obj, str) and current == lang:
        yield path, obj
