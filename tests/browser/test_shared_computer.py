"""Shared training laptops (storage.js): forget every saved questionnaire, or keep answers only in the tab."""

from __future__ import annotations

import json

import pytest
import qhelpers as q
from support import LANGS
from test_accessibility import AXE, RUN_AXE

from memore_site.formhtml import ui_strings

PREFIX = "memore-toolbox:"
OURS = "p => Object.keys(localStorage).filter(k => k.startsWith(p)).sort()"
OURS_SESSION = "p => Object.keys(sessionStorage).filter(k => k.startsWith(p + 'answers:')).sort()"


def open_form(context, base_url, ident, lang="en"):
    page = context.new_page()
    page.goto(q.url(base_url, ident, lang))
    page.wait_for_selector("[data-memore-status]")
    page.wait_for_function("() => window.MemoreQuestionnaire && window.MemoreStorage")
    return page


def status(page) -> str:
    locator = page.locator("[data-memore-device-status]")
    page.wait_for_function("() => document.querySelector('[data-memore-device-status]').textContent !== ''")
    return locator.text_content()


@pytest.mark.parametrize("lang", LANGS)
def test_forget_removes_every_questionnaire_after_confirmation_and_cancel_keeps_them(base_url, context, lang):
    strings = ui_strings()[lang]
    # Three questionnaires answered in three languages, in this browser.
    for ident, where in (("programme-quality", "de"), ("nec-readiness", "nl"), ("sustainability", lang)):
        other = open_form(context, base_url, ident, where)
        q.answer(other, q.same_answers(ident, 4, q.statement_ids(ident)[:1]))
        other.close()
    page = open_form(context, base_url, "sustainability", lang)
    mine = q.same_answers("sustainability", 2, q.statement_ids("sustainability")[:3])
    q.answer(page, mine)
    page.evaluate("() => localStorage.setItem('someone-else', 'keep')")  # another file:// page's key
    saved = page.evaluate(OURS, PREFIX)
    assert len(saved) == 3, saved

    # The confirmation is a step on the page, hidden until asked for; nothing happens before it.
    forget = page.locator("[data-memore-forget]")
    step = page.locator("[data-memore-forget-confirm]")
    assert forget.text_content() == strings["forget"]
    assert step.is_hidden()
    forget.click()
    assert step.is_visible()
    assert forget.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.activeElement.hasAttribute('data-memore-forget-question')")
    assert page.evaluate(OURS, PREFIX) == saved

    # "No" keeps everything and says so.
    page.click("[data-memore-forget-no]")
    assert step.is_hidden()
    assert status(page) == strings["forget_kept"]
    assert page.evaluate(OURS, PREFIX) == saved
    assert q.form_answers(page) == mine

    # Escape, from the keyboard, cancels too.
    forget.focus()
    page.keyboard.press("Enter")
    assert step.is_visible()
    page.keyboard.press("Escape")
    assert step.is_hidden()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-memore-forget')")
    assert page.evaluate(OURS, PREFIX) == saved

    # Yes, from the keyboard: every questionnaire of this site is gone, the form is empty.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-memore-forget-yes')")
    page.keyboard.press("Enter")
    assert status(page) == strings["forget_done"].format(count=3)
    assert page.evaluate(OURS, PREFIX) == []
    assert page.evaluate("() => localStorage.getItem('someone-else')") == "keep"
    assert q.form_answers(page) == {}
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == {}
    assert page.evaluate(OURS, PREFIX) == []
    other = open_form(context, base_url, "programme-quality", "de")
    assert q.form_answers(other) == {}


def test_forget_with_nothing_saved_says_so(base_url, context):
    page = open_form(context, base_url, "nec-readiness")
    page.click("[data-memore-forget]")
    page.click("[data-memore-forget-yes]")
    assert status(page) == ui_strings()["en"]["forget_none"]


def test_tab_only_keeps_answers_in_this_tab_and_not_on_the_device(base_url, context):
    strings = ui_strings()["en"]
    page = open_form(context, base_url, "programme-quality")
    first = q.same_answers("programme-quality", 3, q.statement_ids("programme-quality")[:2])
    q.answer(page, first)
    key = page.evaluate("window.MemoreQuestionnaire.storageKey")
    assert page.evaluate(OURS, PREFIX) == [key]
    other = open_form(context, base_url, "nec-readiness", "nl")  # a second questionnaire, saved earlier
    q.answer(other, q.same_answers("nec-readiness", 5, q.statement_ids("nec-readiness")[:1]))
    other.close()

    toggle = page.locator("[data-memore-tab-only]")
    assert not toggle.is_checked()
    toggle.check()
    assert status(page) == strings["tab_only_on"]
    # Switching it on moves every saved questionnaire out of the device's storage into this tab.
    assert page.evaluate(OURS, PREFIX) == []
    assert page.evaluate(OURS_SESSION, PREFIX) == sorted([key, f"{PREFIX}answers:nec-readiness:nl"])
    more = q.same_answers("programme-quality", 5, q.statement_ids("programme-quality")[2:4])
    q.answer(page, more)
    assert page.evaluate(OURS, PREFIX) == []
    assert json.loads(page.evaluate("k => sessionStorage.getItem(k)", key))["state"]["answers"] == {**first, **more}

    # Reload in the same tab: the answers and the choice are back.
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == {**first, **more}
    assert toggle.is_checked()
    assert page.evaluate(OURS, PREFIX) == []

    # A new tab sees nothing: neither the answers nor the choice.
    fresh = open_form(context, base_url, "programme-quality")
    assert q.form_answers(fresh) == {}
    assert not fresh.locator("[data-memore-tab-only]").is_checked()
    fresh.close()

    # Switching it off puts them back on the device.
    toggle.uncheck()
    assert status(page) == strings["tab_only_off"]
    assert page.evaluate(OURS_SESSION, PREFIX) == []
    assert key in page.evaluate(OURS, PREFIX)
    back = open_form(context, base_url, "programme-quality")
    assert q.form_answers(back) == {**first, **more}


def test_forget_also_clears_answers_kept_only_in_the_tab(base_url, context):
    page = open_form(context, base_url, "sustainability")
    page.check("[data-memore-tab-only]")
    q.answer(page, q.same_answers("sustainability", 1, q.statement_ids("sustainability")[:1]))
    assert len(page.evaluate(OURS_SESSION, PREFIX)) == 1
    page.click("[data-memore-forget]")
    page.click("[data-memore-forget-yes]")
    assert status(page) == ui_strings()["en"]["forget_done"].format(count=1)
    assert page.evaluate(OURS_SESSION, PREFIX) == []
    assert page.locator("[data-memore-tab-only]").is_checked()  # the choice stays for the tab
    page.reload()
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == {}


def test_full_storage_when_switching_to_the_tab_loses_nothing(base_url, context):
    page = open_form(context, base_url, "nec-readiness")
    answers = q.same_answers("nec-readiness", 4, q.statement_ids("nec-readiness")[:3])
    q.answer(page, answers)
    key = page.evaluate("window.MemoreQuestionnaire.storageKey")
    saved = page.evaluate("k => localStorage.getItem(k)", key)
    page.evaluate("""() => {
        const real = Storage.prototype.setItem;
        Storage.prototype.setItem = function (k, v) {
            if (this === window.sessionStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
            return real.call(this, k, v);
        };
    }""")
    toggle = page.locator("[data-memore-tab-only]")
    toggle.click()  # the page unticks it again: check() would insist on the new state
    assert status(page) == ui_strings()["en"]["storage_failed"]
    assert not toggle.is_checked()
    assert page.evaluate("k => localStorage.getItem(k)", key) == saved
    assert page.evaluate(OURS_SESSION, PREFIX) == []
    assert q.form_answers(page) == answers


def test_privacy_page_delete_all_also_clears_answers_kept_in_the_tab(base_url, context):
    page = open_form(context, base_url, "sustainability")
    page.check("[data-memore-tab-only]")
    q.answer(page, q.same_answers("sustainability", 2, q.statement_ids("sustainability")[:1]))
    page.goto(f"{base_url}privacy.html")  # the same tab: the same session storage
    assert len(page.evaluate(OURS_SESSION, PREFIX)) == 1
    page.once("dialog", lambda d: d.accept())
    page.click("[data-memore-delete-all]")
    assert page.text_content("[data-memore-delete-status]") == ui_strings()["en"]["delete_all_done"].format(count=1)
    assert page.evaluate("p => Object.keys(sessionStorage).filter(k => k.startsWith(p))", PREFIX) == []
    page.goto(q.url(base_url, "sustainability"))
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == {}
    assert not page.locator("[data-memore-tab-only]").is_checked()


def test_controls_pass_axe_with_the_confirmation_open_and_a_status_shown(base_url, context):
    page = context.new_page()
    page.add_init_script(path=str(AXE))
    page.goto(q.url(base_url, "nec-readiness", "nl"))
    page.wait_for_function("() => window.MemoreStorage")
    page.check("[data-memore-tab-only]")
    assert status(page) == ui_strings()["nl"]["tab_only_on"]
    page.click("[data-memore-forget]")
    assert page.locator("[data-memore-forget-confirm]").is_visible()
    violations = page.evaluate(RUN_AXE)
    assert violations == [], json.dumps(violations, indent=1)


def test_full_storage_while_kept_in_the_tab_says_so_and_keeps_the_form(base_url, context):
    page = open_form(context, base_url, "programme-quality")
    page.check("[data-memore-tab-only]")
    page.evaluate("""() => {
        Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    }""")
    answers = q.same_answers("programme-quality", 5, q.statement_ids("programme-quality")[:4])
    q.answer(page, answers)
    message = page.locator("[data-memore-message]")
    assert message.is_visible()
    assert message.text_content() == ui_strings()["en"]["storage_failed"]
    assert q.form_answers(page) == answers
