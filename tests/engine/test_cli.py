"""The command line: validate, score, aggregate, schema, compile."""

import csv
import json
import subprocess
import sys
from pathlib import Path

from engine_helpers import NOW, mini_definition, other_definition

from toolbox.cli import main
from toolbox.resultfile import dumps_result

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_validate_ok(defs_dir, capsys):
    assert main(["validate", "--definitions", str(defs_dir)]) == 0
    assert capsys.readouterr().out.strip() == "2 questionnaires valid"


def test_validate_problems(defs_dir, capsys):
    text = (defs_dir / "mini.yaml").read_text(encoding="utf-8").replace("version: 3", "version: three")
    (defs_dir / "mini.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--definitions", str(defs_dir)]) == 1
    out = capsys.readouterr().out
    assert "mini.yaml: version" in out and "1 problems found" in out


def test_validate_empty_folder(tmp_path, capsys):
    assert main(["validate", "--definitions", str(tmp_path)]) == 1
    assert "No questionnaire definitions" in capsys.readouterr().err


def test_score(defs_dir, tmp_path, capsys):
    f = write(tmp_path, "r.json", dumps_result(mini_definition(), {"answers": {"alpha-1": 4, "beta-1": 2},
                                                                   "label": "Team A"}, "en", NOW))
    assert main(["score", f, "--lang", "nl", "--definitions", str(defs_dir)]) == 0
    out = capsys.readouterr().out
    assert "Resultaat van “Mini-check”" in out and "Naam: Team A" in out
    assert "Alfa-thema" in out and "4,0" in out and "verankerd" in out and "Alle thema's" in out


def test_score_bad_file(defs_dir, tmp_path, capsys):
    f = write(tmp_path, "bad.json", "{not json")
    assert main(["score", f, "--definitions", str(defs_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid JSON" in err and "Traceback" not in err
    assert main(["score", str(tmp_path / "missing.json"), "--lang", "de", "--definitions", str(defs_dir)]) == 2
    assert "kann nicht gelesen werden" in capsys.readouterr().err


def test_bad_arguments_give_usage_not_traceback(capsys):
    assert main(["score"]) == 2
    assert main(["nonsense"]) == 2
    assert main(["score", "x", "--lang", "fr"]) == 2
    assert "usage" in capsys.readouterr().err


def test_aggregate(defs_dir, tmp_path, capsys):
    m = mini_definition()
    files = [write(tmp_path, "a.json", dumps_result(m, {"answers": {"alpha-1": 2}, "label": "=cmd|' /C calc'!A0"},
                                                    "en", NOW)),
             write(tmp_path, "b.json", dumps_result(m, {"answers": {"alpha-1": 5, "beta-1": 3}}, "nl", NOW)),
             write(tmp_path, "bad.json", "[]"),
             write(tmp_path, "other.json", dumps_result(other_definition(), {}, "en", NOW))]
    out_csv = tmp_path / "out.csv"
    assert main(["aggregate", *files, "--csv", str(out_csv), "--definitions", str(defs_dir)]) == 2
    captured = capsys.readouterr()
    assert "2 results written" in captured.out
    assert "bad.json: This file is not a result file" in captured.err
    assert "other.json: This is a result of the questionnaire “Other check”, not of “Mini check”." in captured.err
    rows = list(csv.reader(out_csv.open(encoding="utf-8")))
    assert rows[0] == ["file", "questionnaire", "label", "language", "overall mean", "alpha", "beta", "gamma"]
    assert rows[1][1:] == ["mini", "'=cmd|' /C calc'!A0", "en", "2.00", "2.00", "", ""]
    assert rows[2][1:] == ["mini", "", "nl", "4.00", "5.00", "3.00", ""]
    assert main(["aggregate", *files[:2], "--csv", str(out_csv), "--definitions", str(defs_dir)]) == 0


def test_aggregate_guards_every_text_column_file_names_included(defs_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    m = mini_definition()
    names = ["=HYPERLINK(\"x\").json", "+SUM(1).json", "-2+3.json", "@cmd.json", "\tx.json", "plain.json"]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(dumps_result(m, {"answers": {"alpha-1": 1 + i % 5}, "label": "\t =1+1"}, "en", NOW),
                                     encoding="utf-8")
    assert main(["aggregate", "--csv", "out.csv", "--definitions", str(defs_dir), "--", *names]) == 0, capsys.readouterr()
    capsys.readouterr()
    rows = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert [row[0] for row in rows[1:]] == ["'" + name for name in names[:-1]] + ["plain.json"]
    assert {row[2] for row in rows[1:]} == {"'=1+1"}
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (row, cell)


def test_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["properties"]["format"] == {"const": "memore-toolbox-result"}


def test_compile(defs_dir, tmp_path, capsys):
    assert main(["compile", str(defs_dir), str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["mini.json", "other.json"]
    (defs_dir / "mini.yaml").write_text("id: mini\n", encoding="utf-8")
    assert main(["compile", str(defs_dir), str(tmp_path / "out2")]) == 1
    assert "mini.yaml: definition: missing" in capsys.readouterr().err


def test_python_dash_m_schema():
    run = subprocess.run([sys.executable, "-m", "toolbox", "schema"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and run.stderr == ""
    assert json.loads(run.stdout)["$schema"].endswith("2020-12/schema")


def test_engine_imports_only_the_standard_library():
    code = ("import sys, toolbox, toolbox.browser, toolbox.cli, toolbox.definitions, toolbox.resultfile, "
            "toolbox.charts, toolbox.compare\n"
            "bad = [m for m in ('yaml', 'hypothesis', 'pytest') if m in sys.modules]\n"
            "assert not bad, bad")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
