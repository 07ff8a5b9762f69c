"""The questionnaire page as plain HTML, rendered at build time from a definition.

The form works before (and without) Python in the browser: radio buttons, notes, the action
plan and the file controls are ordinary HTML; ``overrides/assets/toolbox/questionnaire.js``
adds autosave, download, load, compare and the live results computed by ``toolbox.browser``.
The page also carries its localised definition, its interface strings and the rules of its own
check of loaded files (``resultfile.page_rules``, read by ``resultcheck.js``) as JSON data blocks.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from toolbox import __version__
from toolbox.definitions import localise
from toolbox.messages import LANGUAGES, message, tr
from toolbox.resultfile import page_rules
from toolbox.scoring import NA, accepted_values, kind_of

_UI_PATH = Path(__file__).with_name("data") / "ui.json"


@lru_cache(maxsize=1)
def ui_strings() -> dict:
    """Interface strings of the questionnaire page: ``{lang: {key: text}}``."""
    with open(_UI_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def ui(key: str, lang: str, **fmt) -> str:
    strings = ui_strings()
    text = strings.get(lang, {}).get(key) or strings["en"][key]
    return text.format(**fmt) if fmt else text


def json_block(element_id: str, data) -> str:
    """A JSON data block that is safe inside HTML (no '</script>' can end it early)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def page_definition(defn: dict, lang: str, link) -> dict:
    """The definition reduced to ``lang``, with each link's page turned into a URL from this page."""
    local = localise(defn, lang)
    for theme in local["themes"]:
        for item in theme.get("links", []):
            item["url"] = link(item["page"])
    return local


# Search: themes, what good looks like and the statements stay in the site's search index; the
# controls (answer scale, counters, notes, toolbar, results, plan, compare) carry
# ``data-search-exclude``. Material's indexer ends an exclusion at the first closing tag of the same
# name, so it marks elements that hold no element of their own tag, never one wrapper around all.
def _option_label(value, lang: str) -> str:
    """The words of one answer: ``scale.1``..``scale.5`` and ``scale.na``, or ``practice.<value>``."""
    if isinstance(value, int) or value == NA:
        return message(f"scale.{value}", lang)
    return message(f"practice.{value}", lang)


def _statement(statement: dict, lang: str, number: int, total: int) -> str:
    sid = escape(statement["id"])
    legend_id = f"st-{sid}"
    kind = kind_of(statement)
    options = []
    for value in accepted_values(statement):
        css = "memore-option memore-option-na" if value == NA else "memore-option"
        # The number beside each agreement option is drawn by CSS from data-n (hidden from screen
        # readers, as the label says it in words): two elements fewer per option, 720 on the
        # longest form. A practice's options (no / partly / yes) are words only, without a number.
        number_attr = ""
        if kind == "agree":
            number_attr = f' data-n="{"–" if value == NA else value}"'
        options.append(
            f'<label class="{css}"{number_attr}>'
            f'<input type="radio" name="q-{sid}" value="{escape(str(value))}">{escape(_option_label(value, lang))}</label>'
        )
    return (
        f'<fieldset class="memore-statement" data-statement="{sid}" data-kind="{kind}" aria-describedby="{legend_id}-n">'
        f'<legend id="{legend_id}">{escape(tr(statement["text"], lang))}</legend>'
        f'<span class="memore-visually-hidden" id="{legend_id}-n" data-search-exclude>'
        f'{escape(ui("statement_group", lang, n=number, total=total))}</span>'
        f'<div class="memore-scale" data-search-exclude>{"".join(options)}</div></fieldset>'
    )


def _theme(theme: dict, index: int, lang: str, number_start: int, total: int) -> str:
    tid = escape(theme["id"])
    # One statement a line: the search index (which keeps the statements) then separates them.
    statements = "\n".join(
        _statement(st, lang, number_start + i, total) for i, st in enumerate(theme["statements"])
    )
    return (
        f'<section class="memore-theme" id="theme-{tid}" data-theme="{tid}" aria-labelledby="theme-{tid}-title">'
        f'<div class="memore-theme-body">'
        f'<h2 id="theme-{tid}-title">{index}. {escape(tr(theme["title"], lang))}</h2>'
        f'<p class="memore-good"><strong>{escape(ui("good", lang))}:</strong> {escape(tr(theme["good"], lang))}</p>'
        f"{statements}"
        f'<div class="memore-theme-result" data-memore-theme-result="{tid}"></div></div>'
        # The notes field stays outside the body that CSS lays out only near the screen: Chromium's
        # autofill inspects every text field when the page is parsed, and one inside forced that
        # theme's whole layout at once (15 forced layouts in one task on the longest form).
        f'<label class="memore-note-label" for="note-{tid}" data-search-exclude>{escape(ui("notes", lang))}</label>'
        f'<textarea class="memore-note" id="note-{tid}" data-memore-note="{tid}" rows="2" maxlength="5000"></textarea>'
        "</section>"
    )


def _device_controls(lang: str) -> str:
    """Shared-computer controls (storage.js): keep answers only in this tab; forget them all, with
    an inline confirmation step that is hidden until asked for."""
    return (
        '<div class="memore-device" role="group" aria-labelledby="memore-device-title" data-memore-device>'
        f'<p id="memore-device-title"><strong>{escape(ui("device_title", lang))}</strong></p>'
        '<p><input type="checkbox" id="memore-tab-only" data-memore-tab-only aria-describedby="memore-tab-only-hint"> '
        f'<label for="memore-tab-only">{escape(ui("tab_only", lang))}</label></p>'
        f'<p class="memore-hint" id="memore-tab-only-hint">{escape(ui("tab_only_hint", lang))}</p>'
        '<p><button type="button" class="md-button" data-memore-forget aria-expanded="false" aria-controls="memore-forget-confirm">'
        f'{escape(ui("forget", lang))}</button></p>'
        '<div class="memore-forget-confirm" id="memore-forget-confirm" data-memore-forget-confirm hidden>'
        f'<p id="memore-forget-question" tabindex="-1" data-memore-forget-question>{escape(ui("forget_question", lang))}</p>'
        f'<p><button type="button" class="md-button md-button--primary" data-memore-forget-yes>{escape(ui("forget_yes", lang))}</button> '
        f'<button type="button" class="md-button" data-memore-forget-no>{escape(ui("forget_no", lang))}</button></p>'
        "</div>"
        '<p class="memore-device-status" role="status" data-memore-device-status></p>'
        "</div>"
    )


def _team_options(lang: str) -> str:
    """The team view's choices (teamview.js), shown once several files are loaded: the files'
    names (off: anonymous by default) and whether the files are one organisation over time."""
    return (
        '<div class="memore-team-options" data-memore-team-options hidden>'
        '<p><input type="checkbox" id="memore-show-names" data-memore-show-names aria-describedby="memore-show-names-hint"> '
        f'<label for="memore-show-names">{escape(ui("team_show_names", lang))}</label></p>'
        f'<p class="memore-hint" id="memore-show-names-hint">{escape(ui("team_show_names_hint", lang))}</p>'
        '<p><input type="checkbox" id="memore-over-time" data-memore-over-time> '
        f'<label for="memore-over-time">{escape(ui("team_over_time", lang))}</label></p>'
        "</div>"
    )


def _benchmark_section(lang: str) -> str:
    """Load a network benchmark file and see where the current answers stand (teamview.js)."""
    return (
        '<section class="memore-benchmark" id="benchmark" aria-labelledby="benchmark-title" data-search-exclude>'
        f'<h2 id="benchmark-title" data-search-exclude>{escape(ui("benchmark_title", lang))}</h2>'
        f'<p>{escape(ui("benchmark_intro", lang))}</p>'
        f'<p><label class="md-button memore-file-button" for="memore-benchmark">{escape(ui("benchmark_choose", lang))}</label>'
        '<input type="file" id="memore-benchmark" class="memore-file-input" accept=".json,application/json" data-memore-benchmark>'
        f'<button type="button" class="md-button" data-memore-benchmark-clear hidden>{escape(ui("benchmark_clear", lang))}</button></p>'
        '<div data-memore-benchmark-output aria-live="polite"></div>'
        "</section>"
    )


def render_form(defn: dict, lang: str, link) -> str:
    """The whole questionnaire block for one page; ``link(page_md)`` gives a page-relative URL."""
    local = page_definition(defn, lang, link)
    ident = escape(defn["id"])
    total = sum(len(theme["statements"]) for theme in defn["themes"])
    themes = []
    number = 1
    for index, theme in enumerate(defn["themes"], start=1):
        themes.append(_theme(theme, index, lang, number, total))
        number += len(theme["statements"])
    theme_nav = "".join(
        f'<li><a href="#theme-{escape(t["id"])}">{escape(tr(t["title"], lang))}</a></li>' for t in defn["themes"]
    )
    theme_options = "".join(
        f'<option value="{escape(t["id"])}">{escape(tr(t["title"], lang))}</option>' for t in defn["themes"]
    )
    strings = dict(ui_strings()[lang])
    strings.update({f"level_{k}": message(f"level.{k}", lang) for k in ("starting", "developing", "established", "embedded", "none")})
    return f"""<div class="memore-questionnaire" data-memore-questionnaire="{ident}" data-version="{int(defn['version'])}" data-lang="{escape(lang)}" data-languages="{' '.join(LANGUAGES)}" data-generator="MeMoRe Toolbox {escape(__version__)}">
{json_block("memore-definition", local)}
{json_block("memore-ui", strings)}
{json_block("memore-rules", page_rules(defn, lang))}
<div class="admonition abstract"><p class="admonition-title">{escape(ui("in_short", lang))}</p><p>{escape(tr(defn["introduction"], lang))}</p></div>
<details class="memore-origin"><summary>{escape(ui("origin_title", lang))}</summary><p>{escape(tr(defn["origin"], lang))}</p></details>
<p class="memore-how" data-search-exclude>{escape(ui("how_text", lang))}</p>
<p class="memore-status" role="status" data-memore-status data-state="starting" data-search-exclude>{escape(ui("status_starting", lang))}</p>
<section class="memore-toolbar" data-search-exclude aria-label="{escape(ui("toolbar_label", lang))}">
<p class="memore-progress"><span data-memore-progress>{escape(ui("progress", lang, answered=0, total=total))}</span> <progress data-memore-progressbar max="{total}" value="0" aria-hidden="true"></progress></p>
<p><label for="memore-label">{escape(ui("label_label", lang))}</label><br><input type="text" id="memore-label" data-memore-label maxlength="200" autocomplete="off"></p>
<div class="memore-actions">
<button type="button" class="md-button md-button--primary" data-memore-download>{escape(ui("download", lang))}</button>
<label class="md-button memore-file-button" for="memore-load">{escape(ui("load", lang))}</label>
<input type="file" id="memore-load" class="memore-file-input" accept=".json,application/json" data-memore-load>
<button type="button" class="md-button" data-memore-print>{escape(ui("print", lang))}</button>
<button type="button" class="md-button" data-memore-reset>{escape(ui("reset", lang))}</button>
</div>
<p class="memore-dropzone" data-memore-dropzone>{escape(ui("drop", lang))}</p>
<p class="memore-message" role="alert" data-memore-message hidden></p>
<p class="memore-storage-note">{escape(ui("storage_note", lang))}</p>
{_device_controls(lang)}
</section>
<nav class="memore-theme-nav" data-search-exclude aria-label="{escape(ui("themes_nav", lang))}"><p><strong>{escape(ui("themes_nav", lang))}</strong></p><ol>{theme_nav}</ol></nav>
<form class="memore-form" data-memore-form novalidate>
{"".join(themes)}
</form>
<section class="memore-results" id="results" aria-labelledby="results-title" data-search-exclude>
<h2 id="results-title" data-search-exclude>{escape(ui("results_title", lang))}</h2>
<p class="memore-print-meta" data-memore-print-meta></p>
<div data-memore-results aria-live="polite"><p>{escape(ui("results_empty", lang))}</p></div>
<div class="memore-charts" data-memore-charts></div>
<div class="memore-print-notes" data-memore-print-notes></div>
</section>
<section class="memore-plan" id="action-plan" aria-labelledby="plan-title" data-search-exclude>
<h2 id="plan-title" data-search-exclude>{escape(ui("plan_title", lang))}</h2>
<p>{escape(ui("plan_intro", lang))}</p>
<div class="memore-plan-rows" data-memore-plan-rows></div>
<template data-memore-plan-template><fieldset class="memore-plan-row"><legend></legend>
<label>{escape(ui("plan_theme", lang))} <select data-field="theme"><option value=""></option>{theme_options}</select></label>
<label>{escape(ui("plan_action", lang))} <input type="text" data-field="action" maxlength="1000"></label>
<label>{escape(ui("plan_who", lang))} <input type="text" data-field="who" maxlength="1000"></label>
<label>{escape(ui("plan_when", lang))} <input type="text" data-field="when" maxlength="1000"></label>
<button type="button" class="md-button" data-memore-plan-remove>{escape(ui("plan_remove", lang))}</button>
</fieldset></template>
<button type="button" class="md-button" data-memore-plan-add>{escape(ui("plan_add", lang))}</button>
</section>
<section class="memore-compare" id="compare" aria-labelledby="compare-title" data-search-exclude>
<h2 id="compare-title" data-search-exclude>{escape(ui("compare_title", lang))}</h2>
<p>{escape(ui("compare_intro", lang))}</p>
<p><label class="md-button memore-file-button" for="memore-compare">{escape(ui("compare_choose", lang))}</label>
<input type="file" id="memore-compare" class="memore-file-input" accept=".json,application/json,.csv,text/csv" multiple data-memore-compare>
<button type="button" class="md-button" data-memore-compare-clear hidden>{escape(ui("compare_clear", lang))}</button></p>
{_team_options(lang)}
<div data-memore-compare-output aria-live="polite"></div>
</section>
{_benchmark_section(lang)}
</div>"""
