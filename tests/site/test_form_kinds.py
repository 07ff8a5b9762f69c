"""The form shows each kind of answer as its own radio group (the site's form HTML; moved here
from tests/engine/test_kinds.py with memore_site.formhtml, since the engine's tests also run
under Pyodide, where the site adapter is not)."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest
from support import ROOT

from memore_site.formhtml import render_form
from toolbox.definitions import compile_yaml
from toolbox.messages import LANGUAGES, message


@pytest.fixture
def kinds():
    return compile_yaml(ROOT / "tests" / "engine" / "fixtures" / "kinds.yaml")


def _fieldset(html, sid):
    match = re.search(rf'<fieldset class="memore-statement" data-statement="{sid}".*?</fieldset>', html, re.S)
    assert match, sid
    return match.group(0)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_practice_renders_as_a_labelled_radio_group(kinds, lang):
    html = render_form(kinds, lang, lambda page: page)
    practice = _fieldset(html, "facts-1")
    assert 'data-kind="practice"' in practice
    assert re.findall(r'<input type="radio" name="q-facts-1" value="([^"]+)">', practice) == ["no", "partly", "yes", "na"]
    labels = [html_unescape(x) for x in re.findall(r'value="[^"]+">([^<]+)</label>', practice)]
    assert labels == [message(f"practice.{k}", lang) for k in ("no", "partly", "yes")] + [message("scale.na", lang)]
    assert len(set(labels)) == 4
    assert "data-n=" not in practice  # words only, no 1-5 number beside them
    assert re.search(r'<legend id="st-facts-1">[^<]+</legend>', practice)
    agree = _fieldset(html, "views-1")
    assert 'data-kind="agree"' in agree
    assert re.findall(r'name="q-views-1" value="([^"]+)"', agree) == ["1", "2", "3", "4", "5", "na"]
    assert 'data-n="1"' in agree
