"""A questionnaire as an XLSForm (KoboToolbox, ODK Central, Enketo): its three sheets as rows.

Standard library only: ``python -m toolbox xlsform`` writes these rows to an .xlsx file with
openpyxl (imported there, not here). The names chosen here are the ones their CSV exports carry,
and ``toolbox.csvimport`` reads them back: a group per theme named by the theme id, a
``select_one`` per statement named by the statement id, and choice names that are our own
answer values (``scoring.accepted_values``: ``1``-``5``, ``no``/``partly``/``yes``, ``na``).
"""

from .messages import DEFAULT_LANGUAGE, catalogue, message, tr
from .scoring import KINDS, accepted_values, kind_of

# Two calculated fields carry the instrument id and version into every submission, so an import
# knows which questionnaire and which version of it a row answers. Statement ids never contain
# "_", so these names cannot clash with a statement.
INSTRUMENT_FIELD = "memore_instrument"
VERSION_FIELD = "memore_version"
# Kobo and ODK record when the form was opened and finished ("start", "end" metadata).
META_FIELDS = ("start", "end")


def languages(defn) -> list:
    """The questionnaire's languages, from its ``languages`` list (else from its title's keys)."""
    langs = defn.get("languages")
    if isinstance(langs, list) and langs:
        return [str(lang) for lang in langs]
    title = defn.get("title")
    return list(title) if isinstance(title, dict) and title else [DEFAULT_LANGUAGE]


def language_column(lang) -> str:
    """The XLSForm name of a language: ``English (en)``; the code alone when no name is known."""
    name = catalogue().get(lang, {}).get("language.name", lang)
    return f"{name} ({lang})"


def choice_label(value, lang) -> str:
    """The words for an answer value in ``lang``, as the page shows them."""
    key = f"practice.{value}" if value in ("no", "partly", "yes") else f"scale.{value}"
    return message(key, lang)


def choice_name(value) -> str:
    """The XLSForm choice name of an answer value (text: ``3`` -> ``"3"``)."""
    return str(value)


def _labels(mapping, langs) -> list:
    return [tr(mapping, lang) for lang in langs]


def sheets(defn) -> dict:
    """``{"survey": rows, "choices": rows, "settings": rows}``; the first row of each is its header."""
    langs = languages(defn)
    label_columns = [f"label::{language_column(lang)}" for lang in langs]
    survey = [["type", "name", *label_columns, "appearance", "calculation"]]
    blank = [""] * len(langs)
    for meta in META_FIELDS:
        survey.append([meta, meta, *blank, "", ""])
    survey.append(["calculate", INSTRUMENT_FIELD, *blank, "", f"'{defn['id']}'"])
    survey.append(["calculate", VERSION_FIELD, *blank, "", f"'{defn.get('version', 1)}'"])
    used = []
    for theme in defn["themes"]:
        survey.append(["begin_group", theme["id"], *_labels(theme.get("title"), langs), "field-list", ""])
        for statement in theme["statements"]:
            kind = kind_of(statement)
            if kind not in used:
                used.append(kind)
            survey.append([f"select_one {kind}", statement["id"], *_labels(statement.get("text"), langs), "", ""])
        survey.append(["end_group", "", *blank, "", ""])
    choices = [["list_name", "name", *label_columns]]
    for kind in (k for k in KINDS if k in used):
        for value in accepted_values({"kind": kind}):
            choices.append([kind, choice_name(value), *(choice_label(value, lang) for lang in langs)])
    first = langs[0] if DEFAULT_LANGUAGE not in langs else DEFAULT_LANGUAGE
    settings = [
        ["form_title", "form_id", "version", "default_language", "style"],
        [tr(defn.get("title"), first), defn["id"], str(defn.get("version", 1)), language_column(first), "pages"],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


__all__ = [
    "INSTRUMENT_FIELD",
    "META_FIELDS",
    "VERSION_FIELD",
    "choice_label",
    "choice_name",
    "language_column",
    "languages",
    "sheets",
]
