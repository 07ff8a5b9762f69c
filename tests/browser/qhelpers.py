"""Helpers for driving a questionnaire page in the browser tests."""

from __future__ import annotations

import json
from pathlib import Path

from toolbox import definitions, resultfile
from toolbox.scoring import kind_of

PYTHON_TIMEOUT = 90_000

# An init script that records every Content-Security-Policy violation in window.__csp.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def url(base: str, ident: str, lang: str = "en") -> str:
    prefix = "" if lang == "en" else f"{lang}/"
    return f"{base}{prefix}toolbox/{ident}.html"


def definition(ident: str) -> dict:
    return definitions.load_definition(ident)


def statement_ids(ident: str) -> list[str]:
    return [s["id"] for theme in definition(ident)["themes"] for s in theme["statements"]]


def statements(ident: str) -> list[dict]:
    return [s for theme in definition(ident)["themes"] for s in theme["statements"]]


PRACTICE = {1: "no", 2: "no", 3: "partly", 4: "yes", 5: "yes", "na": "na"}


def pattern_answers(ident: str, offset: int = 0) -> dict:
    """A deterministic mix covering every statement: 1-5 and 'na', or no/partly/yes/na for a practice."""
    values = [1, 2, 3, 4, 5, "na", 4, 2, 5, 3, 1]
    out = {}
    for i, st in enumerate(statements(ident)):
        value = values[(i + offset) % len(values)]
        out[st["id"]] = PRACTICE[value] if kind_of(st) == "practice" else value
    return out


def same_answers(ident: str, value, ids=None) -> dict:
    """``value`` (1-5) for every statement in ``ids`` (all by default); a practice gets its no/partly/yes."""
    wanted = None if ids is None else set(ids)
    return {st["id"]: PRACTICE[value] if kind_of(st) == "practice" else value
            for st in statements(ident) if wanted is None or st["id"] in wanted}


def page_without_python(context, base_url: str, ident: str = "sustainability"):
    """A questionnaire page, loaded, whose Python never starts (its worker's script is held, never
    answered) -> (page, held requests). For what a page does while Python is still starting."""
    held = []
    context.route("**/assets/toolbox/python-worker.mjs", lambda route: held.append(route))
    page = context.new_page()
    page.goto(url(base_url, ident), wait_until="load")
    return page, held


def wait_ready(page) -> None:
    page.wait_for_selector("[data-memore-status][data-state=ready]", timeout=PYTHON_TIMEOUT)


def answer(page, answers: dict) -> None:
    for sid, value in answers.items():
        page.check(f'input[name="q-{sid}"][value="{value}"]')


def form_answers(page) -> dict:
    return page.evaluate("window.MemoreQuestionnaire.state().answers")


def wait_scored(page, previous: str | None = None) -> str:
    page.wait_for_function(
        "prev => { const r = document.querySelector('[data-memore-questionnaire]');"
        " return r.getAttribute('data-scored-at') && r.getAttribute('data-scored-at') !== prev"
        " && !r.hasAttribute('data-scoring'); }",
        arg=previous, timeout=PYTHON_TIMEOUT,
    )
    return page.get_attribute("[data-memore-questionnaire]", "data-scored-at")


def result_file(tmp_path: Path, ident: str, answers: dict, name: str, label: str = "", lang: str = "en") -> Path:
    """A valid result file made by the engine itself (as a colleague's download would be)."""
    state = {"answers": answers, "notes": {}, "action_plan": [], "label": label, "created": "2026-01-05T10:00:00Z"}
    text = resultfile.dumps_result(definition(ident), state, lang, "2026-01-05T11:00:00Z")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def expected_table(ident: str, answers: dict, lang: str = "en") -> str:
    """The figures table the engine renders for these answers (the browser must show the same)."""
    from toolbox import browser

    state = {"answers": answers, "notes": {}, "action_plan": [], "label": "", "created": None}
    out = json.loads(browser.evaluate(json.dumps(definitions.localise(definition(ident), lang)), json.dumps(state), lang))
    return out


# A word that search finds on pages of each language (and only there, once stemmed).
SEARCH_WORDS = {"en": "employer", "nl": "werkgever", "de": "Arbeitgeber", "fi": "työnantaja", "sv": "arbetsgivare"}
