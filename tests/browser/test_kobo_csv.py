"""The group view takes a KoboToolbox or ODK Central CSV export: one result per submission, bad rows named."""

from __future__ import annotations

import json
import sys

import qhelpers as q
from support import ROOT

sys.path.insert(0, str(ROOT / "tests" / "engine"))
import kobo_exports as ke

from toolbox import browser
from toolbox.definitions import localise


def test_the_group_view_expands_a_csv_export_into_its_submissions(base_url, watched, tmp_path):
    ident = "programme-quality"
    defn = q.definition(ident)
    subs = [(f"uuid:{i}", ke.answers_for(defn, i)) for i in range(3)]
    text = ke.kobo(defn, subs, headers="labels", values="labels", lang="en")
    rows = text.split("\r\n")
    rows[2] = rows[2].replace(f'"{ident}"', '"sustainability"', 1)  # row 3: another questionnaire
    export = tmp_path / "kobo-export.csv"
    export.write_text("\r\n".join(rows), encoding="utf-8")
    member = q.result_file(tmp_path, ident, q.pattern_answers(ident, offset=4), "member.json", "Member")

    page = watched.page
    page.goto(q.url(base_url, ident))
    q.wait_ready(page)
    assert ".csv" in page.get_attribute("[data-memore-compare]", "accept").split(",")
    page.set_input_files("[data-memore-compare]", [str(export), str(member)])
    output = page.locator("[data-memore-compare-output]")
    output.locator(".memore-compare-summary").wait_for()
    assert output.locator(".memore-compare-summary").text_content() == "Group of 3 results."
    errors = output.locator(".memore-compare-error").all_text_contents()
    assert len(errors) == 1 and errors[0].startswith("kobo-export.csv, row 3 was left out: This is a result of")
    # The page shows what the engine computes for the two good submissions and the file.
    files = [{"name": "kobo-export.csv", "text": "\r\n".join(rows)},
             {"name": "member.json", "text": member.read_text(encoding="utf-8")}]
    expected = json.loads(browser.compare(json.dumps(localise(defn, "en")), "{}", json.dumps(files), "en"))
    assert expected["count"] == 3
    assert output.locator("table").first.evaluate("e => e.outerHTML") == expected["table_html"]
    assert not watched.errors
