"""Engine strings in every language of ``LANGUAGES``, read from ``data/messages.json``."""

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "nl", "de", "fi", "sv")
DEFAULT_LANGUAGE = "en"
_PATH = Path(__file__).with_name("data") / "messages.json"


@lru_cache(maxsize=1)
def catalogue() -> dict:
    """All messages: ``{lang: {key: text}}`` (loaded once)."""
    with open(_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def norm_lang(lang) -> str:
    """Return ``lang`` if it is a supported language, else English."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def message(key: str, lang: str = DEFAULT_LANGUAGE, **fmt) -> str:
    """The text for ``key`` in ``lang`` (English if that language lacks the key), formatted with ``fmt``."""
    data = catalogue()
    text = data.get(norm_lang(lang), {}).get(key)
    if text is None:
        text = data[DEFAULT_LANGUAGE][key]  # KeyError for an unknown key is a programming error
    return text.format(**fmt) if fmt else text


def error(code: str, lang: str = DEFAULT_LANGUAGE, **fmt):
    """A ``ToolboxError`` with ``code`` and the sentence ``error.<code>`` in ``lang``."""
    from .errors import ToolboxError

    return ToolboxError(code, message("error." + code, lang, **fmt))


def tr(mapping, lang: str) -> str:
    """Pick ``lang`` from a language mapping (falls back to English, then any); plain strings pass."""
    if isinstance(mapping, dict):
        for key in (lang, DEFAULT_LANGUAGE):
            value = mapping.get(key)
            if isinstance(value, str):
                return value
        for value in mapping.values():
            if isinstance(value, str):
                return value
        return ""
    return mapping if isinstance(mapping, str) else ""


def format_number(value, lang: str, decimals: int = 1, sign: bool = False) -> str:
    """A number for people: fixed decimals, the language's decimal mark (``3.4`` / ``3,4``), optional sign."""
    rounded = round(float(value), decimals)
    text = f"{0.0:.{decimals}f}" if rounded == 0 else f"{rounded:+.{decimals}f}" if sign else f"{rounded:.{decimals}f}"
    return text.replace(".", message("number.decimal_mark", lang))
