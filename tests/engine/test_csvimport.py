"""KoboToolbox and ODK Central CSV exports: imported into result files that score like the answers themselves."""

import csv
import json
import time

import kobo_exports as ke
import pytest

from toolbox import browser, csvimport, definitions
from toolbox.cli import main
from toolbox.compare import aggregate_scores
from toolbox.errors import ToolboxError
from toolbox.resultfile import load_result
from toolbox.scoring import accepted_values, score

IDS = ["sustainability", "programme-quality", "nec-readiness", "integration-network"]
STYLES = {
    "kobo-xml-groups": lambda d, s: ke.kobo(d, s),
    "kobo-xml-no-groups": lambda d, s: ke.kobo(d, s, groups=False),
    "kobo-xml-dash": lambda d, s: ke.kobo(d, s, group_sep="-"),
    "kobo-labels-nl": lambda d, s: ke.kobo(d, s, headers="labels", values="labels", lang="nl"),
    "kobo-labels-de-xml-values": lambda d, s: ke.kobo(d, s, headers="labels", values="xml", lang="de"),
    "kobo-xml-headers-en-labels": lambda d, s: ke.kobo(d, s, values="labels", lang="en"),
    "odk-central": lambda d, s: ke.odk(d, s),
}


def definition(ident):
    return definitions.load_definition(ident)


def submissions(defn):
    return [(f"uuid:0000000{i}-aaaa-4bbb-8ccc-00000000000{i}", ke.answers_for(defn, i, skip_every=7 if i == 2 else 0))
            for i in range(4)]


def figures(scores):
    return [(t["id"], t["mean"], t["answered"], t["na"]) for t in scores["themes"]] + [scores["overall"]["mean"]]


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("ident", IDS)
def test_each_submission_becomes_a_result_that_scores_like_its_answers(tmp_path, capsys, ident, style):
    defn = definition(ident)
    subs = submissions(defn)
    export = tmp_path / "export.csv"
    export.write_text(STYLES[style](defn, subs), encoding="utf-8")
    out = tmp_path / "results"
    assert main(["import-csv", str(export), "--instrument", ident, "--out", str(out)]) == 0
    assert f"{len(subs)} result files written" in capsys.readouterr().out
    files = sorted(out.glob("*.json"))
    assert len(files) == len(subs)
    for uuid, answers in subs:
        name = f"{ident}-{uuid.replace(':', '-')}.json"
        text = (out / name).read_text(encoding="utf-8")
        result = load_result(text, definitions.all_definitions())  # a file the loader accepts
        assert result["answers"] == answers
        assert result["label"] == uuid
        assert result["instrument"] == {"id": ident, "version": defn["version"]}
        assert figures(score(defn, result["answers"])) == figures(score(defn, answers))
        assert json.loads(text)["scores"]["overall"]["mean"] == score(defn, answers)["overall"]["mean"]


@pytest.mark.parametrize("ident", IDS)
def test_every_result_read_from_an_export_is_one_the_loader_accepts_unchanged(ident):
    defn = definition(ident)
    for text in (ke.kobo(defn, submissions(defn), headers="labels", values="labels", lang="de"), ke.odk(defn, submissions(defn))):
        export = csvimport.read_export(text, defn, "nl")
        assert len(export["submissions"]) == 4 and export["problems"] == []
        for submission in export["submissions"]:
            result = submission["result"]
            loaded = load_result(json.dumps(result), defn, "nl")
            assert loaded == dict(result, scores=loaded["scores"])
            assert loaded["language"] == "nl"


def test_dates_come_from_the_submission(tmp_path):
    defn = definition("programme-quality")
    kobo = csvimport.read_export(ke.kobo(defn, submissions(defn)), defn)["submissions"][0]["result"]
    assert (kobo["created"], kobo["updated"]) == ("2026-03-02T09:00:00.000+01:00", "2026-03-02T09:12:30.000+01:00")
    odk = csvimport.read_export(ke.odk(defn, submissions(defn)), defn)["submissions"][0]["result"]
    assert (odk["created"], odk["updated"]) == ("2026-03-04T10:40:00.000+01:00", "2026-03-04T10:55:00.000+01:00")
    first = defn["themes"][0]["statements"][0]
    bare = "\n".join([",".join(["_id", first["id"]]), f"7,{accepted_values(first)[2]}"])
    only = csvimport.read_export(bare, defn, now_iso="2026-05-01T00:00:00Z")["submissions"][0]
    assert (only["result"]["created"], only["result"]["updated"], only["id"]) == (
        "2026-05-01T00:00:00Z", "2026-05-01T00:00:00Z", "7")


def _rows(text):
    return list(csv.reader(text.splitlines(), delimiter=";"))


def _write(rows):
    return "\n".join(";".join(f'"{cell}"' for cell in row) for row in rows) + "\n"


def test_bad_rows_are_named_and_skipped_and_the_others_kept(tmp_path, capsys):
    defn = definition("nec-readiness")
    subs = submissions(defn)
    rows = _rows(ke.kobo(defn, subs))
    head = rows[0]
    first = head.index(f"duo-matching/{defn['themes'][0]['statements'][0]['id']}")
    rows[1][first] = "maybe\x1b[2J"                       # row 2: not an answer (with a terminal escape)
    rows[2] = rows[2][:-1]                                # row 3: a cell short
    rows[3][head.index("memore_instrument")] = "sustainability"   # row 4: another questionnaire
    rows.append(list(rows[4]))                            # row 6: a newer version of the questionnaire
    rows[5][head.index("memore_version")] = "9"
    rows[5][head.index("_uuid")] = "uuid:newer"
    export = tmp_path / "export.csv"
    export.write_text(_write(rows), encoding="utf-8")
    out = tmp_path / "results"
    assert main(["import-csv", str(export), "--instrument", "nec-readiness", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines[0] == f"{export}, row 2: “maybe\ufffd[2J” is not a valid answer to the statement “{head[first].split('/')[1]}”."
    assert lines[1] == f"{export}, row 3: This row has {len(head) - 1} cells, but the header has {len(head)}."
    assert lines[2].startswith(f"{export}, row 4: This is a result of the questionnaire “sustainability”")
    assert lines[3] == (f"{export}, row 6: This row answers a newer version of this questionnaire "
                        f"(version 9; this site has version {defn['version']}).")
    assert len(lines) == 4
    assert "1 result files written" in captured.out and "4 rows skipped" in captured.out
    kept = json.loads((out / f"nec-readiness-{subs[3][0].replace(':', '-')}.json").read_text(encoding="utf-8"))
    assert kept["answers"] == subs[3][1]


def test_a_row_of_an_older_version_keeps_what_still_holds(tmp_path):
    defn = definition("nec-readiness")
    assert defn["version"] == 2
    answers = ke.answers_for(defn, 1)
    rows = _rows(ke.kobo(defn, [("uuid:old", answers)]))
    rows[1][rows[0].index("memore_version")] = "1"
    export = csvimport.read_export(_write(rows), defn)
    (only,) = export["submissions"]
    revised = {st["id"] for theme in defn["themes"] for st in theme["statements"] if st.get("revised", 1) > 1}
    assert revised and only["migration"]["dropped"]
    assert set(only["migration"]["dropped"]) == revised & set(answers)
    assert only["result"]["answers"] == {k: v for k, v in answers.items() if k not in revised}
    assert only["migration"]["notices"] and export["problems"] == []


@pytest.mark.parametrize("text, code, sentence", [
    ("", "empty", "The CSV file is empty."),
    (" \n\n", "empty", "The CSV file is empty."),
    ("name;other\n1;2\n", "no-statements", "This CSV file is not an export of the questionnaire "
                                            "“Mentoring-to-NEC readiness”: none of its columns is one of its statements."),
    ('duo-matching-1,x\n"yes"x,1\n', "unreadable", "The file cannot be read as CSV near line 2."),
])
def test_a_file_that_is_no_export_of_the_form_gets_one_sentence(text, code, sentence):
    defn = definition("nec-readiness")
    with pytest.raises(ToolboxError) as info:
        csvimport.read_export(text, defn)
    assert (info.value.code, info.value.message) == (code, sentence)


@pytest.mark.parametrize("lang, start", [("en", "The CSV file is too large"), ("nl", "Het CSV-bestand is te groot"),
                                         ("de", "Die CSV-Datei ist zu groß")])
def test_limits_refuse_with_a_sentence_in_the_language(lang, start):
    defn = definition("nec-readiness")
    with pytest.raises(ToolboxError) as info:
        csvimport.read_export(b"a" * (csvimport.MAX_CSV_BYTES + 1), defn, lang)
    assert info.value.message.startswith(start)
    for data in (b"\xff\xfeA\x00" + b"\x00\xd8" + b"A\x00", "duo-matching-1\n\ud800", b"duo-matching-1\n\xe9", b"a\x00b"):
        with pytest.raises(ToolboxError) as info:
            csvimport.read_export(data, defn, lang)
        assert info.value.code == "not-text"


def test_too_many_rows_and_columns_are_refused():
    defn = definition("nec-readiness")
    sid = defn["themes"][0]["statements"][0]["id"]
    with pytest.raises(ToolboxError) as info:
        csvimport.read_export(sid + "\n" + "yes\n" * (csvimport.MAX_ROWS + 1), defn)
    assert info.value.code == "too-many-rows"
    with pytest.raises(ToolboxError) as info:
        csvimport.read_export(",".join([sid] + ["x"] * csvimport.MAX_COLUMNS) + "\n", defn)
    assert info.value.code == "too-many-columns"


@pytest.mark.parametrize("size, limit", [(2 * 1024 * 1024, 2.0), (csvimport.MAX_CSV_BYTES, 20.0)])
def test_the_largest_export_reads_in_bounded_time(size, limit):
    # The page's file limit (2 MiB) and the most a file may have (16 MiB): time linear in the size.
    # Measured: 16 MiB (20,000 submissions of 60 statements) in about 4.5 s of CPU on 2 shared cores.
    defn = definition("sustainability")
    one = ke.kobo(defn, [("uuid:x", ke.answers_for(defn, 3))])
    head, row = one.split("\r\n")[:2]
    count = min(csvimport.MAX_ROWS, (size - len(head)) // (len(row) + 2) - 1)
    text = head + "\r\n" + (row + "\r\n") * count
    assert len(text.encode()) <= size
    began = time.process_time()
    export = csvimport.read_export(text, defn)
    spent = time.process_time() - began
    assert len(export["submissions"]) == count and export["problems"] == []
    assert spent < limit, spent


def test_aggregate_takes_csv_exports_and_result_files_together(tmp_path, capsys):
    defn = definition("integration-network")
    subs = submissions(defn)
    (tmp_path / "kobo.csv").write_text(ke.kobo(defn, subs[:2]), encoding="utf-8")
    (tmp_path / "odk.csv").write_text(ke.odk(defn, [('=HYPERLINK("x")', subs[2][1])]), encoding="utf-8")
    main(["import-csv", str(tmp_path / "kobo.csv"), "--instrument", defn["id"], "--out", str(tmp_path / "files")])
    one = sorted((tmp_path / "files").glob("*.json"))[0]
    out = tmp_path / "out.csv"
    assert main(["aggregate", str(tmp_path / "kobo.csv"), str(tmp_path / "odk.csv"), str(one), "--csv", str(out)]) == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert [r[0] for r in rows[1:]] == [f"{tmp_path / 'kobo.csv'}, row 2", f"{tmp_path / 'kobo.csv'}, row 3",
                                        f"{tmp_path / 'odk.csv'}, row 2", str(one)]
    assert rows[3][2] == "'=HYPERLINK(\"x\")"  # the submission id as label, formula-guarded
    expected = score(defn, subs[0][1])["overall"]["mean"]
    assert rows[1][4] == rows[4][4] == f"{expected:.2f}"
    # Found from the columns alone, and refused for a file of no questionnaire.
    assert csvimport.guess_instrument(ke.odk(defn, subs), definitions.all_definitions()) == defn["id"]
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["aggregate", str(other), "--csv", str(tmp_path / "o.csv")]) == 2
    assert "No questionnaire of this site matches the columns" in capsys.readouterr().err


def test_the_group_view_expands_a_csv_into_its_submissions():
    defn = definition("programme-quality")
    subs = submissions(defn)
    rows = _rows(ke.kobo(defn, subs))
    rows[2][rows[0].index("memore_version")] = "x"
    files = [{"name": "kobo.csv", "text": _write(rows)}, {"name": "odk.csv", "text": ke.odk(defn, subs[:1])}]
    # Labels come back only when the visitor asks for names (the group view is anonymous by default).
    out = json.loads(browser.compare(json.dumps(defn), "{}", json.dumps(files), "de", '{"show_names": true}'))
    assert out["ok"] and out["mode"] == "group" and out["count"] == len(subs)
    assert out["labels"] == [s[0] for s in subs if s != subs[1]] + [subs[0][0]]
    assert out["errors"] == [{"name": "kobo.csv, Zeile 3", "code": "bad-version",
                              "message": "Die Fragebogenversion „x“ in dieser Zeile ist keine gültige Versionsnummer."}]
    group = aggregate_scores(defn, [score(defn, s[1], "de") for s in subs if s != subs[1]] + [score(defn, subs[0][1], "de")],
                             "de")
    assert out["overall"] == json.loads(json.dumps(group["overall"]))
    assert out["rows"] == json.loads(json.dumps(group["themes"]))
