"""Answer kinds and versions in Chromium: a practice statement is answered, scored, downloaded and
loaded back; a file of an older version loads with one notice naming what was dropped.

Until the published questionnaires carry practice statements, the page is the built
programme-quality page with its first statement turned into a practice: the test rewrites that
statement's fieldset and the page's definition block with the engine's own renderer, exactly as
the build would have made them.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import qhelpers as q

from memore_site.formhtml import _statement, json_block
from toolbox import browser as engine
from toolbox import definitions
from toolbox.messages import message
from toolbox.scoring import accepted_values, answer_score

IDENT = "programme-quality"


def practice_definition(new_version=False):
    """programme-quality with its first statement as a practice; with ``new_version``, as the next
    version of the questionnaire, in which that statement was revised."""
    defn = copy.deepcopy(q.definition(IDENT))
    first = defn["themes"][0]["statements"][0]
    first["kind"] = "practice"
    first.pop("reverse", None)
    if new_version:
        defn["version"] += 1
        first["revised"] = defn["version"]
    return defn


def scoring(st, score):
    """The answer that scores ``score`` on this statement (its kind and direction)."""
    return next(v for v in accepted_values(st) if v != "na" and answer_score(st, v) == score)


def serve_with(context, defn, lang="en"):
    """Serve the built page with the statement and the definition block of ``defn``."""
    total = sum(len(t["statements"]) for t in defn["themes"])
    first = defn["themes"][0]["statements"][0]

    def handle(route):
        html = route.fetch().text()
        block = re.search(r'<script type="application/json" id="memore-definition">(.*?)</script>', html, re.S)
        local = json.loads(block.group(1))
        changed = definitions.localise(defn, lang)
        for theme, old in zip(changed["themes"], local["themes"], strict=False):  # keep the page's link URLs
            theme["links"] = old["links"]
        html = html.replace(block.group(0), json_block("memore-definition", changed))
        fieldset = re.compile(rf'<fieldset class="memore-statement" data-statement="{first["id"]}".*?</fieldset>', re.S)
        html, n = fieldset.subn(lambda _: _statement(first, lang, 1, total), html)
        assert n == 1
        html = re.sub(r'data-version="\d+"', f'data-version="{defn["version"]}"', html, count=1)
        route.fulfill(response=route.fetch(), body=html)

    context.route(re.compile(r".*/toolbox/programme-quality\.html$"), handle)


def test_practice_statement_is_answered_scored_downloaded_and_loaded_back(base_url, context, tmp_path):
    defn = practice_definition()
    serve_with(context, defn)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(q.url(base_url, IDENT))
    q.wait_ready(page)
    q.wait_scored(page)
    sid = defn["themes"][0]["statements"][0]["id"]
    group = page.locator(f'fieldset[data-statement="{sid}"]')
    # A labelled radio group: the statement is the group's name, the options are words.
    assert group.get_attribute("data-kind") == "practice"
    radios = group.get_by_role("radio")
    assert radios.count() == 4
    names = [radios.nth(i).evaluate("r => r.labels[0].textContent") for i in range(4)]
    assert names == [message("practice.no", "en"), message("practice.partly", "en"), message("practice.yes", "en"),
                     message("scale.na", "en")]
    assert page.get_by_role("group", name=defn["themes"][0]["statements"][0]["text"]["en"]).count() == 1

    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    group.get_by_role("radio", name=message("practice.partly", "en"), exact=True).check()
    answers = {sid: "partly"}
    others = {st["id"]: scoring(st, 5) for st in defn["themes"][0]["statements"][1:3]}  # agree 5 or yes
    q.answer(page, others)
    answers.update(others)
    q.wait_scored(page, before)
    assert q.form_answers(page) == answers
    state = {"answers": answers}
    expected = json.loads(engine.evaluate(json.dumps(definitions.localise(defn, "en")), json.dumps(state), "en"))
    theme = expected["themes"][0]
    assert theme["mean"] == pytest.approx(13 / 3)  # partly 3, then 5 and 5
    slot = page.text_content(f'[data-memore-theme-result="{defn["themes"][0]["id"]}"]')
    assert theme["mean_display"] in slot and theme["level_label"] in slot
    assert expected["overall"]["mean_display"] in page.text_content(".memore-overall")

    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / "practice.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"] == answers and data["answers"][sid] == "partly"
    assert data["scores"][defn["themes"][0]["id"]]["mean"] == pytest.approx(13 / 3)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-memore-reset]")
    page.wait_for_function("() => Object.keys(window.MemoreQuestionnaire.state().answers).length === 0")
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    page.set_input_files("[data-memore-load]", str(path))
    q.wait_scored(page, before)
    assert q.form_answers(page) == answers
    assert group.get_by_role("radio", name=message("practice.partly", "en"), exact=True).is_checked()
    assert theme["mean_display"] in page.text_content(f'[data-memore-theme-result="{defn["themes"][0]["id"]}"]')
    assert not errors


def test_a_file_of_the_older_version_loads_with_one_notice(base_url, context, tmp_path):
    old = q.definition(IDENT)  # today's version, in which the file is written
    defn = practice_definition(new_version=True)  # the next one, which revised the first statement
    serve_with(context, defn, "de")
    sts = old["themes"][0]["statements"]
    ids = [st["id"] for st in sts]
    answers = {ids[0]: scoring(sts[0], 5), ids[1]: scoring(sts[1], 1), ids[2]: "na"}
    kept = {ids[1]: answers[ids[1]], ids[2]: "na"}
    path = q.result_file(tmp_path, IDENT, answers, "spring.json", label="Frühjahr", lang="de")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["notes"] = {old["themes"][0]["id"]: "Mit dem Team besprechen."}
    data["action_plan"] = [{"theme": old["themes"][0]["id"], "action": "Leitfaden schreiben", "who": "Eva", "when": "Mai"}]
    assert data["instrument"]["version"] == old["version"] == defn["version"] - 1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    page = context.new_page()
    page.goto(q.url(base_url, IDENT, "de"))
    q.wait_ready(page)
    page.set_input_files("[data-memore-load]", str(path))
    page.wait_for_function("() => document.querySelector('[data-memore-message]').getAttribute('data-kind') === 'warning'")
    shown = page.text_content("[data-memore-message]")
    item = message("notice.item", "de", theme=old["themes"][0]["title"]["de"], numbers=1)
    assert message("notice.dropped", "de", n=1, items=item) in shown
    assert q.form_answers(page) == kept
    assert page.input_value(f'[data-memore-note="{old["themes"][0]["id"]}"]') == "Mit dem Team besprechen."
    assert page.locator(".memore-plan-row").count() == 1
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    saved = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert saved["instrument"]["version"] == defn["version"] and "notices" not in saved

    newer = dict(data, instrument={"id": IDENT, "version": defn["version"] + 1})
    newer_path = tmp_path / "newer.json"
    newer_path.write_text(json.dumps(newer), encoding="utf-8")
    page.set_input_files("[data-memore-load]", str(newer_path))
    page.wait_for_function("() => document.querySelector('[data-memore-message]').getAttribute('data-kind') === 'error'")
    assert message("error.newer-instrument", "de", found=defn["version"] + 1, current=defn["version"]) \
        in page.text_content("[data-memore-message]")
    assert q.form_answers(page) == kept  # nothing lost
