"""Hardening in Chromium: hostile result files, storage failures, two tabs, privacy, CSP on every page."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import qhelpers as q
from support import LANGS, ROOT

from toolbox.scoring import accepted_values

sys.path.insert(0, str(ROOT / "tests" / "engine"))
from test_hostile_corpus import HOSTILE, MANIFEST, generated_files

from memore_site.formhtml import ui_strings
from toolbox import definitions, resultfile
from toolbox.errors import ToolboxError

QID = MANIFEST["questionnaire"]
PREFIX = "memore-toolbox:"
MATERIAL_PALETTE = "/.__palette"  # Material's colour scheme, scoped to the site's path ("/" over http)
UI = ui_strings()["en"]

# Records what must never happen: CSP violations, dangerous elements added after arming, dialogs.
WATCH = """
window.__csp = [];
window.__added = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
new MutationObserver(records => {
  if (!window.__armed) return;
  for (const r of records) for (const n of r.addedNodes) {
    if (n.nodeType !== 1) continue;
    const found = [n, ...n.querySelectorAll('*')].filter(e => /^(img|script|iframe|object|embed|frame|link|meta|base|form)$/i.test(e.tagName)
      || [...e.attributes].some(a => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)));
    for (const e of found) window.__added.push(e.outerHTML.slice(0, 200));
  }
}).observe(document, {childList: true, subtree: true});
"""


def refused_cases():
    return [c for c in MANIFEST["cases"] if c.get("page_code", c["code"]) is not None]


def loading_cases():
    return [c for c in MANIFEST["cases"] if c.get("page_code", c["code"]) is None]


def engine_message(path: Path) -> str:
    """What the engine says about this file's bytes on this page (the page decodes them as the engine does)."""
    try:
        resultfile.load_result(path.read_bytes(), definitions.load_definition(QID), "en", expected_id=QID)
    except ToolboxError as exc:
        return exc.message
    raise AssertionError(f"{path.name} loads in the engine")


def comparable(state: dict) -> dict:
    return {k: state[k] for k in ("answers", "notes", "action_plan", "label")}


def prepare(page, base_url, python: bool):
    page.add_init_script(WATCH)
    page.goto(q.url(base_url, QID))
    if python:
        q.wait_ready(page)
    else:
        page.wait_for_selector("[data-memore-status][data-state=failed]", timeout=30_000)
    answers = q.pattern_answers(QID, offset=2)
    q.answer(page, dict(list(answers.items())[:10]))
    page.fill("[data-memore-label]", "Before")
    page.fill('[data-memore-note="governance"]', "My own note")
    page.click("[data-memore-plan-add]")
    page.select_option('.memore-plan-row select[data-field="theme"]', "team")
    page.fill('.memore-plan-row input[data-field="action"]', "My own action")
    page.evaluate("() => { window.__armed = true; }")
    return page.evaluate("() => window.MemoreQuestionnaire.state()")


def load(page, path: Path) -> str:
    page.set_input_files("[data-memore-load]", str(path))
    page.wait_for_function(
        "name => { const m = document.querySelector('[data-memore-message]'); return !m.hidden && m.textContent.includes(name); }",
        arg=path.name, timeout=20_000)
    return page.text_content("[data-memore-message]")


def assert_nothing_ran(page, dialogs, errors):
    page.wait_for_timeout(200)
    assert dialogs == [], dialogs
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => window.__added") == []
    assert page.evaluate("() => window.__csp") == []
    assert errors == []


@pytest.mark.parametrize("python", [True, False], ids=["with-python", "without-python"])
def test_hostile_files_in_the_page(base_url, context, tmp_path, python):
    if not python:
        context.route("**/assets/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    before = prepare(page, base_url, python)
    files = [HOSTILE / c["file"] for c in refused_cases()] + list(generated_files(tmp_path).values())
    hostile_name = tmp_path / '<img src=x onerror="window.__pwned=9">.json'
    shutil.copy(HOSTILE / "payload-in-statement-id.json", hostile_name)
    files.append(hostile_name)
    problems = []
    for path in files:
        message = load(page, path)
        head = f"{path.name} was not loaded: "
        tail = " " + UI["load_refused"].split("{message}")[1].strip()
        if not (message.startswith(head) and message.endswith(tail)):
            problems.append(f"{path.name}: {message!r}")
            continue
        sentence = message[len(head):-len(tail)]
        if "\n" in sentence or not sentence.endswith(".") or re.search(r"Traceback|Error\b|undefined|\[object", sentence):
            problems.append(f"{path.name}: not one clear sentence: {sentence!r}")
        # With or without Python: the engine's own sentence (resultcheck.js has them from the rules).
        expected_ok = sentence == engine_message(path)
        if not expected_ok:
            problems.append(f"{path.name}: unexpected sentence {sentence!r}")
        if page.get_attribute("[data-memore-message]", "data-kind") != "error":
            problems.append(f"{path.name}: not shown as an error")
        now = page.evaluate("() => window.MemoreQuestionnaire.state()")
        if comparable(now) != comparable(before):
            problems.append(f"{path.name}: the form changed: {comparable(now)}")
    assert not problems, "\n".join(problems)
    assert page.input_value("[data-memore-label]") == "Before"
    assert page.input_value('[data-memore-note="governance"]') == "My own note"
    assert page.input_value('.memore-plan-row input[data-field="action"]') == "My own action"
    stored = json.loads(page.evaluate("k => localStorage.getItem(k)", f"{PREFIX}answers:{QID}:en"))
    assert comparable(stored["state"]) == comparable(before)
    assert_nothing_ran(page, dialogs, errors)

    # Valid files, payloads included, load with every text kept verbatim, and still nothing runs.
    for case in loading_cases():
        path = HOSTILE / case["file"]
        message = load(page, path)
        assert message.startswith(UI["loaded"].format(name=path.name)), (path.name, message)
        raw = json.loads(path.read_bytes().decode("utf-16" if path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"))
        now = page.evaluate("() => window.MemoreQuestionnaire.state()")
        # Answers to statements changed since the file's questionnaire version are not carried over.
        kept = resultfile.read_result(path.read_bytes(), definitions.all_definitions())[0]["answers"]
        assert now["answers"] == kept, path.name
        v1 = raw["format_version"] == 1
        assert now["label"] == ("" if v1 else raw["label"]), path.name
        assert now["notes"] == raw["notes"], path.name
        assert now["action_plan"] == ([] if v1 else raw["action_plan"]), path.name
        if not v1:
            assert page.input_value("[data-memore-label]") == raw["label"]
            for tid, text in raw["notes"].items():
                assert page.input_value(f'[data-memore-note="{tid}"]') == text
        if python and case["file"].startswith("payload-"):
            q.wait_scored(page, None)
            page.set_input_files("[data-memore-compare]", str(path))
            page.locator("[data-memore-compare-output] svg").first.wait_for()
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert_nothing_ran(page, dialogs, errors)


# ---------------------------------------------------------------- storage failures

STORAGE_BROKEN = {
    "full": """
        Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    """,
    "disabled": """
        Storage.prototype.setItem = function () { throw new DOMException('Access is denied for this document.', 'SecurityError'); };
        Storage.prototype.getItem = function () { throw new DOMException('Access is denied for this document.', 'SecurityError'); };
    """,
    "no-storage-object": """
        Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } });
    """,
}


@pytest.mark.parametrize("how", list(STORAGE_BROKEN))
def test_storage_failure_is_said_plainly_and_answering_and_download_still_work(base_url, context, tmp_path, how):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(STORAGE_BROKEN[how])
    page.goto(q.url(base_url, "programme-quality"))
    page.wait_for_selector("[data-memore-status]")
    answers = q.pattern_answers("programme-quality", offset=1)
    q.answer(page, answers)
    page.fill("[data-memore-label]", "No storage")
    message = page.locator("[data-memore-message]")
    assert message.is_visible()
    assert message.text_content() == UI["storage_failed"]
    assert q.form_answers(page) == answers
    assert str(len(answers)) in page.text_content("[data-memore-progress]")
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / "kept.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"] == answers and data["label"] == "No storage"
    assert resultfile.load_result(path.read_bytes(), definitions.all_definitions(), "en")["answers"] == answers
    # Narrow exclusion: when reading storage throws, Material's own inline palette script
    # (`__md_get("__palette")` in its base.html, no try/catch) fails once per page with the injected
    # error. Our scripts catch every storage error; anything else fails the test.
    material = [e for e in errors if how != "full" and e == "Access is denied for this document."]
    assert len(material) <= 2 and [e for e in errors if e not in material] == [], errors


def test_a_change_in_another_tab_warns_and_replaces_nothing(base_url, context):
    a = context.new_page()
    a.goto(q.url(base_url, "sustainability"))
    a.wait_for_selector("[data-memore-status]")
    mine = dict(list(q.pattern_answers("sustainability").items())[:8])
    q.answer(a, mine)
    a.fill("[data-memore-label]", "Tab A")
    b = context.new_page()
    b.goto(q.url(base_url, "sustainability"))
    b.wait_for_selector("[data-memore-status]")
    assert q.form_answers(b) == mine  # B starts from what A saved
    first = q.statement_ids("sustainability")[0]
    other_value = next(v for v in accepted_values(q.statements("sustainability")[0]) if v != mine[first])
    b.check(f'input[name="q-{first}"][value="{other_value}"]')
    b.fill("[data-memore-label]", "Tab B")
    a.wait_for_function("text => document.querySelector('[data-memore-message]').textContent === text",
                        arg=UI["other_tab"], timeout=10_000)
    assert a.locator("[data-memore-message]").is_visible()
    assert q.form_answers(a) == mine
    assert a.input_value("[data-memore-label]") == "Tab A"
    # B's own write does not warn B.
    assert b.text_content("[data-memore-message]") != UI["other_tab"]


# ---------------------------------------------------------------- privacy


def stored_keys(page) -> dict:
    return page.evaluate("""async () => ({
        local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie,
        idb: indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [],
        caches: self.caches ? await caches.keys() : [],
        workers: navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0,
    })""")


def test_no_cookies_and_only_our_storage_keys_after_using_a_questionnaire(base_url, context, tmp_path):
    page = context.new_page()
    for lang in LANGS:
        page.goto(q.url(base_url, "nec-readiness", lang))
        q.wait_ready(page)
        q.answer(page, dict(list(q.pattern_answers("nec-readiness").items())[:6]))
        page.fill("[data-memore-label]", f"Privacy {lang}")
        q.wait_scored(page, None)
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / "mine.json"
    info.value.save_as(path)
    page.set_input_files("[data-memore-load]", str(path))
    page.set_input_files("[data-memore-compare]", str(path))
    page.locator("[data-memore-compare-output] svg").first.wait_for()
    page.click("input.md-search__input")
    page.keyboard.type("mentor")
    page.locator(".md-search-result__item").first.wait_for(timeout=20_000)
    assert context.cookies() == []
    found = stored_keys(page)
    assert found["cookie"] == ""
    # Besides our own keys, only Material's colour-scheme entry (site path + ".__palette"), which
    # the privacy page lists and "delete all my data" removes.
    ours = [k for k in found["local"] if k != MATERIAL_PALETTE]
    assert ours and all(k.startswith(PREFIX) for k in ours), found
    assert sorted(ours) == sorted(f"{PREFIX}answers:nec-readiness:{lang}" for lang in LANGS)
    assert all(k.startswith(PREFIX) for k in found["session"]), found
    assert found["idb"] == [] and found["caches"] == [] and found["workers"] == 0, found


@pytest.mark.parametrize("lang", LANGS)
def test_delete_all_my_data_removes_every_key_of_this_site(base_url, context, lang):
    page = context.new_page()
    page.goto(q.url(base_url, "sustainability", lang))
    page.wait_for_selector("[data-memore-status]")
    q.answer(page, q.same_answers("sustainability", 3, q.statement_ids("sustainability")[:1]))
    prefix = "" if lang == "en" else f"{lang}/"
    page.goto(f"{base_url}{prefix}privacy.html")
    page.evaluate("""prefix => {
        localStorage.setItem(prefix + 'answers:programme-quality:de', '{}');
        localStorage.setItem(prefix + 'answers:nec-readiness:nl', '{}');
        localStorage.setItem('not-ours', 'keep');
    }""", PREFIX)
    ours = page.evaluate("p => Object.keys(localStorage).filter(k => k.startsWith(p)).length", PREFIX)
    assert ours == 3
    page.evaluate("k => localStorage.setItem(k, '{}')", MATERIAL_PALETTE)
    button = page.locator("[data-memore-delete-all]")
    strings = ui_strings()[lang]
    assert button.text_content().strip() == strings["delete_all"]
    page.once("dialog", lambda d: d.dismiss())
    button.click()
    assert page.evaluate("p => Object.keys(localStorage).filter(k => k.startsWith(p)).length", PREFIX) == 3
    confirms = []
    page.once("dialog", lambda d: (confirms.append(d.message), d.accept()))
    button.click()
    assert confirms == [strings["delete_all_confirm"]]
    status = page.locator("[data-memore-delete-status]")
    assert status.text_content() == strings["delete_all_done"].format(count=3)
    assert page.evaluate("p => Object.keys(localStorage).filter(k => k.startsWith(p))", PREFIX) == []
    assert page.evaluate("() => localStorage.getItem('not-ours')") == "keep"
    assert page.evaluate("k => localStorage.getItem(k)", MATERIAL_PALETTE) is None  # nothing of this site is left
    page.goto(q.url(base_url, "sustainability", lang))
    page.wait_for_selector("[data-memore-status]")
    assert q.form_answers(page) == {}


# ---------------------------------------------------------------- CSP on every page of both editions


def html_pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if "assets" not in p.parts)


def visit_all(page, pages, to_url, settle_ms=30):
    problems = []
    for path in pages:
        page.goto(to_url(path), wait_until="load")
        page.wait_for_timeout(settle_ms)
        csp = page.evaluate("() => window.__csp || null")
        if csp is None:
            problems.append(f"{path}: the listener did not run")
        elif csp:
            problems.append(f"{path}: {csp}")
    return problems


def use_questionnaire_and_search(page, url, word):
    page.goto(url)
    q.wait_ready(page)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, dict(list(q.pattern_answers("sustainability").items())[:12]))
    q.wait_scored(page, before)
    page.wait_for_selector(".memore-charts svg[role=img]")
    page.click("input.md-search__input")
    page.keyboard.type(word)
    page.locator(".md-search-result__item").first.wait_for(timeout=20_000)
    page.wait_for_timeout(200)
    return page.evaluate("() => window.__csp")


def test_no_csp_violation_on_any_page_online(site_dir, base_url, context):
    page = context.new_page()
    page.add_init_script(WATCH)
    pages = html_pages(site_dir)
    assert len(pages) >= 54
    problems = visit_all(page, pages, lambda p: base_url + p)
    for lang in LANGS:
        csp = use_questionnaire_and_search(page, q.url(base_url, "sustainability", lang), "mentor")
        if csp:
            problems.append(f"{lang} questionnaire after Python, chart and search: {csp}")
    assert not problems, "\n".join(problems)


def test_no_csp_violation_on_any_page_offline(offline_dir, context):
    network = []
    context.route("http://**/*", lambda route: (network.append(route.request.url), route.abort()))
    context.route("https://**/*", lambda route: (network.append(route.request.url), route.abort()))
    page = context.new_page()
    page.add_init_script(WATCH)
    pages = html_pages(offline_dir)
    assert len(pages) >= 54
    problems = visit_all(page, pages, lambda p: (offline_dir / p).as_uri(), settle_ms=60)
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        csp = use_questionnaire_and_search(page, (offline_dir / f"{prefix}toolbox/sustainability.html").as_uri(), "mentor")
        if csp:
            problems.append(f"{lang} questionnaire after Python, chart and search: {csp}")
    assert not problems, "\n".join(problems)
    assert network == []
