"""The network benchmark (toolbox.benchmark): figures by hand, what the file may hold, loading it as untrusted,
its JSON Schema, the hostile and timing-adversarial corpora, the page's entry point and the command line."""

from __future__ import annotations

import copy
import csv
import json
import sys
from pathlib import Path

import pytest

try:
    import jsonschema
except ImportError:
    if sys.platform != "emscripten":
        raise
    jsonschema = None

from adversarial import SIZES, benchmark_corpus, corpus
from engine_helpers import FIXTURES, NOW
from test_adversarial import LIMIT_S, timed
from test_hostile_corpus import CASES, HOSTILE, MANIFEST, generated_files
from test_schema import NO_JSONSCHEMA

from toolbox import benchmark, browser, definitions, resultfile
from toolbox.cli import main
from toolbox.definitions import compile_yaml, localise
from toolbox.errors import ToolboxError
from toolbox.resultfile import dumps_result, read_result

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import synthetic


@pytest.fixture
def kinds():
    return compile_yaml(FIXTURES / "kinds.yaml")


def loaded_of(defn, list_of_answers, version=None):
    out = []
    for i, answers in enumerate(list_of_answers):
        text = dumps_result(defn, {"answers": answers, "label": f"Org {i}"}, "en", NOW)
        result, migration = read_result(text, defn)
        out.append((result, version or migration["from_version"]))
    return out


# ---------------------------------------------------------------- figures by hand


def test_quartiles_by_hand():
    assert benchmark.summary([1, 2, 3, 4, 5]) == {"count": 5, "mean": 3.0, "q1": 2.0, "median": 3.0, "q3": 4.0}
    # [1, 1, 2, 3, 5, 5]: q1 at rank 1.25 -> 1 + .25 * (2 - 1); median at 2.5 -> 2.5; q3 at 3.75 -> 3 + .75 * 2
    assert benchmark.summary([5, 1, 3, 2, 5, 1]) == {"count": 6, "mean": 2.833, "q1": 1.25, "median": 2.5, "q3": 4.5}
    assert benchmark.quantile([2.0], 0.75) == 2.0


def test_fewer_than_five_values_give_a_count_only():
    assert benchmark.summary([1, 2, 3, 4]) == {"count": 4, "mean": None, "q1": None, "median": None, "q3": None}


@pytest.mark.parametrize("mean, where", [(2.0, "below"), (2.5, "lower"), (3.0, "upper"), (3.5, "upper"),
                                         (4.0, "upper"), (4.01, "above"), (2.25, "lower"), (None, None)])
def test_position_by_hand(mean, where):
    assert benchmark.position(mean, {"q1": 2.25, "median": 3.0, "q3": 4.0}) == where


def test_build_from_five_results(defn):
    people = [{"alpha-1": v, "beta-1": v} for v in (1, 2, 3, 4, 5)]
    data = benchmark.build_benchmark({"mini": defn}, loaded_of(defn, people))
    assert data["format"] == "memore-toolbox-benchmark" and data["format_version"] == 1
    (item,) = data["instruments"]
    assert (item["id"], item["version"], item["count"]) == ("mini", 3, 5)
    assert item["themes"]["alpha"] == {"count": 5, "mean": 3.0, "q1": 2.0, "median": 3.0, "q3": 4.0}
    assert item["themes"]["gamma"] == {"count": 0, "mean": None, "q1": None, "median": None, "q3": None}
    assert item["overall"]["count"] == 5 and item["overall"]["median"] == 3.0


def test_the_file_holds_nothing_of_anyone(defn):
    people = [{"alpha-1": v, "beta-2": "na"} for v in (1, 2, 3, 4, 5)]
    loaded = loaded_of(defn, people)
    for result, _ in loaded:
        result["notes"] = {"alpha": "Secret note"}
    text = json.dumps(benchmark.build_benchmark({"mini": defn}, loaded))
    for secret in ("Org 0", "Secret note", NOW[:10], "alpha-1", "beta-2", ".json", '"na"'):
        assert secret not in text
    data = json.loads(text)
    assert set(data) == {"format", "format_version", "generator", "instruments"}
    assert set(data["instruments"][0]) == {"id", "version", "count", "overall", "themes"}


def test_four_results_are_refused_with_the_reason(defn):
    with pytest.raises(ToolboxError) as caught:
        benchmark.build_benchmark({"mini": defn}, loaded_of(defn, [{"alpha-1": 3}] * 4))
    assert caught.value.code == "too-few-results"
    assert caught.value.message == ("A network file needs at least 5 results per questionnaire, and “Mini check” has 4: "
                                    "with fewer, the figures could show what a single member answered, so no file was written.")


def test_a_theme_changed_since_a_results_version_leaves_that_result_out(kinds):
    # Version-1 results: their "facts" and "views" answers to changed statements are dropped and
    # those themes are not comparable; only "steady" counts them.
    old = loaded_of(kinds, [{"views-1": 5, "steady-1": 5}] * 5, version=1)
    new = loaded_of(kinds, [{"views-1": 1, "steady-1": 1}] * 5)
    item = benchmark.build_benchmark({"kinds": kinds}, old + new)["instruments"][0]
    assert item["count"] == 10
    assert item["themes"]["views"]["count"] == 5 and item["themes"]["views"]["mean"] == 1.0
    assert item["themes"]["steady"]["count"] == 10 and item["themes"]["steady"]["mean"] == 3.0
    assert item["overall"]["count"] == 5


# ---------------------------------------------------------------- loading


@pytest.fixture
def good(defn):
    people = [{"alpha-1": v, "beta-1": 6 - v, "gamma-1": 3} for v in (1, 2, 3, 4, 5, 5)]
    return benchmark.build_benchmark({"mini": defn}, loaded_of(defn, people))


def refusal(data, defn, lang="en"):
    text = data if isinstance(data, (str, bytes)) else json.dumps(data)
    with pytest.raises(ToolboxError) as caught:
        benchmark.load_benchmark(text, defn, lang)
    return caught.value


def test_round_trip(defn, good):
    figures = benchmark.load_benchmark(json.dumps(good), defn)
    assert figures["count"] == 6 and figures["version"] == 3
    assert figures["themes"]["alpha"] == {"count": 6, **{k: float(v) for k, v in good["instruments"][0]["themes"]["alpha"].items() if k != "count"}}
    assert figures["comparable"] == {"alpha": True, "beta": True, "gamma": True}


def mutate(good, change):
    data = copy.deepcopy(good)
    change(data)
    return data


def theme(data):
    return data["instruments"][0]["themes"]["alpha"]


@pytest.mark.parametrize("change, code", [
    (lambda d: d.update(format="memore-toolbox-result"), "not-a-benchmark"),
    (lambda d: d.update(format_version=2), "newer-format"),
    (lambda d: d.update(format_version=1.0), "bad-version"),
    (lambda d: d.update(format_version=True), "bad-version"),
    (lambda d: d.pop("format_version"), "missing-field"),
    (lambda d: d.pop("instruments"), "missing-field"),
    (lambda d: d.update(instruments={}), "bad-type"),
    (lambda d: d.update(instruments=[7]), "bad-type"),
    (lambda d: d.update(label="Org 1"), "unknown-field"),
    (lambda d: d["instruments"][0].update(answers={"alpha-1": 3}), "unknown-field"),
    (lambda d: theme(d).update(note="x"), "unknown-field"),
    (lambda d: d["instruments"][0].update(count=4), "bad-benchmark"),
    (lambda d: d["instruments"][0].update(count=True), "bad-type"),
    (lambda d: d["instruments"][0].update(id="other"), "benchmark-no-instrument"),
    (lambda d: d["instruments"][0].update(version=4), "newer-instrument"),
    (lambda d: d["instruments"][0].update(version=0), "bad-type"),
    (lambda d: d["instruments"].append(copy.deepcopy(d["instruments"][0])), "bad-benchmark"),
    (lambda d: d["instruments"][0]["themes"].update(delta=theme(d)), "unknown-theme"),
    (lambda d: theme(d).update(q1=4.5), "bad-benchmark"),
    (lambda d: theme(d).update(mean=6), "bad-type"),
    (lambda d: theme(d).update(median=0.5), "bad-type"),
    (lambda d: theme(d).update(q3="4"), "bad-type"),
    (lambda d: theme(d).update(mean=None), "bad-type"),
    (lambda d: theme(d).update(count=7), "bad-benchmark"),
    (lambda d: theme(d).update(count=-1), "bad-type"),
    (lambda d: theme(d).pop("q3"), "missing-field"),
    (lambda d: d["instruments"][0]["themes"]["gamma"].update(count=3, mean=3.0), "bad-benchmark"),
    (lambda d: d["instruments"][0].pop("overall"), "missing-field"),
    (lambda d: d.update(generator=5), "bad-type"),
])
def test_refusals(defn, good, change, code):
    exc = refusal(mutate(good, change), defn)
    assert exc.code == code, exc.message
    assert "\n" not in exc.message and exc.message.endswith(".")


@pytest.mark.parametrize("lang, sentence", [("en", "This network file has no figures for “Mini check”."),
                                            ("nl", "Dit netwerkbestand heeft geen cijfers voor “Mini-check”."),
                                            ("de", "Diese Netzwerkdatei hat keine Zahlen für „Mini-Check“.")])
def test_refusals_speak_the_page_language(defn, good, lang, sentence):
    assert refusal(json.dumps(good), {**defn, "id": "elsewhere"}, lang).message == sentence


def test_an_older_version_marks_changed_themes(kinds):
    data = benchmark.build_benchmark({"kinds": kinds}, loaded_of(kinds, [{"steady-1": v} for v in (1, 2, 3, 4, 5)]))
    data["instruments"][0]["version"] = 1
    figures = benchmark.load_benchmark(json.dumps(data), kinds)
    assert figures["comparable"] == {"facts": False, "views": False, "steady": True}
    page = json.dumps(localise(kinds, "en"))
    out = json.loads(browser.benchmark(page, '{"answers": {"steady-1": 4}}', json.dumps(data), "en"))
    assert "not comparable" in out["table_html"] and "older version" in out["table_html"]


# ---------------------------------------------------------------- where you stand (the page's entry point)


def test_where_you_stand(defn, good):
    page = json.dumps(localise(defn, "en"))
    state = json.dumps({"answers": {"alpha-1": 1, "beta-1": 5}})
    out = json.loads(browser.benchmark(page, state, json.dumps(good), "en"))
    assert out["ok"] is True and out["count"] == 6
    rows = {r["id"]: r for r in out["rows"]}
    # alpha: network means 1 2 3 4 5 5 -> q1 2.25; your 1.0 is below; beta: 5 4 3 2 1 1 -> q3 3.75, your 5 above.
    assert rows["alpha"]["stats"]["q1"] == 2.25 and rows["alpha"]["position"] == "below"
    assert rows["beta"]["position"] == "above" and rows["gamma"]["position"] is None
    assert out["svg"].startswith("<svg") and "<title" in out["svg"] and "<desc" in out["svg"]
    assert "lower than three quarters of the network" in out["table_html"]
    assert "<table" in out["table_html"] and "<caption>" in out["table_html"]


def test_the_page_gets_one_sentence_for_a_result_file(defn):
    page = json.dumps(localise(defn, "nl"))
    text = dumps_result(defn, {"answers": {"alpha-1": 3}}, "en", NOW)
    out = json.loads(browser.benchmark(page, "{}", text, "nl"))
    assert out == {"ok": False, "code": "not-a-benchmark",
                   "message": "Dit bestand is geen netwerkbestand van de MeMoRe Toolbox."}


# ---------------------------------------------------------------- schema


@pytest.fixture(scope="module")
def validator():
    if jsonschema is None:
        pytest.skip(NO_JSONSCHEMA)
    schema = benchmark.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_what_the_command_line_writes(validator):
    defs = definitions.all_definitions()
    loaded = []
    for ident in ("sustainability", "integration-network"):
        for text in synthetic.network(defs[ident], 12, seed=3):
            result, migration = read_result(text, defs)
            loaded.append((result, migration["from_version"]))
    data = benchmark.build_benchmark(defs, loaded)
    assert [i["id"] for i in data["instruments"]] == ["integration-network", "sustainability"]
    assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize("change", [
    lambda d: d.update(label="Org 1"),
    lambda d: d["instruments"][0].update(answers={}),
    lambda d: d["instruments"][0].update(count=4),
    lambda d: theme(d).update(mean=6),
    lambda d: theme(d).update(note="x"),
    lambda d: d.update(format_version=2),
    lambda d: d["instruments"][0]["themes"].update({"Bad id": theme(d)}),
])
def test_schema_refuses_what_the_loader_refuses(validator, defn, good, change):
    data = mutate(good, change)
    assert list(validator.iter_errors(data)) != []
    with pytest.raises(ToolboxError):
        benchmark.load_benchmark(json.dumps(data), defn)


def test_schema_command(capsys):
    assert main(["schema", "--benchmark"]) == 0
    assert json.loads(capsys.readouterr().out) == benchmark.json_schema()


# ---------------------------------------------------------------- the hostile and timing corpora


@pytest.fixture(scope="module")
def page_defn():
    return definitions.load_definition(MANIFEST["questionnaire"])


def expected_code(data):
    """What the benchmark loader must answer for a result-corpus file: the decoding's refusal (size,
    encoding, emptiness), else "not a network file" before any parsing (no such file names the
    benchmark format)."""
    try:
        text = resultfile._decode(data, "en")
    except ToolboxError as exc:
        return exc.code
    assert benchmark.FORMAT not in text
    return "not-a-benchmark"


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_hostile_result_files_are_refused_as_benchmarks(case, page_defn):
    data = (HOSTILE / case["file"]).read_bytes()
    exc = refusal(data, page_defn)
    assert exc.code == expected_code(data), (case["file"], exc.message)
    assert "\n" not in exc.message and exc.message.endswith(".")
    assert "result file" not in exc.message  # worded for a network file


def test_generated_hostile_files_are_refused(tmp_path, page_defn):
    codes = {}
    for name, path in generated_files(tmp_path).items():
        exc = refusal(path.read_bytes(), page_defn)
        assert exc.code == expected_code(path.read_bytes()) and "network file" in exc.message, exc.message
        codes[name] = exc.code
    assert codes == {"huge.json": "too-large", "deep.json": "not-a-benchmark", "deep-in-label.json": "not-a-benchmark"}


def test_parse_level_refusals_of_files_that_name_the_format(page_defn):
    """A text that names the format goes through the same parsing checks as a result file."""
    head = '{"format": "memore-toolbox-benchmark", "instruments": '
    cases = {head + "[" * 30 + "]" * 30 + "}": "too-deep", head + "[1e400]}": "bad-number",
             head + '["\\ud800"]}': "not-text", head + "[": "not-json", head + "[NaN]}": "bad-number"}
    for text, code in cases.items():
        exc = refusal(text, page_defn)
        assert exc.code == code and "result file" not in exc.message, (text, exc.message)


ADVERSARIAL = sorted(corpus(SIZES["4k"]))


@pytest.fixture(scope="module")
def corpus_2m():
    return corpus(SIZES["2m"])


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_result_files_answer_in_time(name, page_defn, corpus_2m):
    text, _ = corpus_2m[name]
    page = json.dumps(localise(page_defn, "en"))
    seconds, out = timed(lambda: json.loads(browser.benchmark(page, "{}", text, "en")))
    assert seconds < LIMIT_S, f"{name} took {seconds:.2f}"
    assert out["ok"] is False and out["code"] == expected_code(text), (name, out)


@pytest.mark.parametrize("label", ["4k", "64k", "2m"])
def test_adversarial_benchmark_files_answer_in_time(label, page_defn):
    cases = benchmark_corpus(SIZES[label])
    assert len(cases) >= 10
    for name, (text, code) in cases.items():
        assert len(text.encode("utf-8", "surrogatepass")) <= SIZES[label], name
        seconds, exc = timed(lambda: refusal(text, page_defn))
        assert seconds < LIMIT_S, f"{name} ({label}) took {seconds:.2f}"
        assert exc.code == code, (name, label, exc.message)


def test_the_base_of_the_adversarial_benchmarks_loads(page_defn):
    from adversarial import base_benchmark

    assert benchmark.load_benchmark(json.dumps(base_benchmark()), page_defn)["count"] == 5


# ---------------------------------------------------------------- command line


def write(folder, texts, prefix="r"):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"{prefix}{i}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def test_benchmark_command_from_200_results(tmp_path, capsys):
    import time

    defs = definitions.all_definitions()
    paths = write(tmp_path / "net", synthetic.network(defs["sustainability"], 200, seed=9))
    out = tmp_path / "network.json"
    start = time.process_time()
    assert main(["benchmark", *paths, "--out", str(out)]) == 0
    seconds = time.process_time() - start
    # The budget is CPython's (the command line's Python). Under Pyodide, where these tests run a
    # second time, process_time is the wall clock of a shared machine: a looser bound there.
    limit = 1.0 if sys.platform != "emscripten" else 5.0
    assert seconds < limit, f"200 results took {seconds:.2f} s"
    assert capsys.readouterr().out.strip() == f"Network file of 200 results written to {out}"
    figures = benchmark.load_benchmark(out.read_bytes(), defs["sustainability"])
    assert figures["count"] == 200 and figures["overall"]["count"] == 200
    assert all(s["q1"] <= s["median"] <= s["q3"] for s in figures["themes"].values())
    text = out.read_text(encoding="utf-8")
    assert "Organisation" not in text and "2024-" not in text and "r0.json" not in text


def test_benchmark_command_refuses_four_files(tmp_path, capsys):
    defs = definitions.all_definitions()
    paths = write(tmp_path / "net", synthetic.network(defs["sustainability"], 5, seed=9)[:4])
    out = tmp_path / "network.json"
    assert main(["benchmark", *paths, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert not out.exists() and captured.out == ""
    assert captured.err.splitlines() == [
        "A network file needs at least 5 results per questionnaire, and “Sustainability of a mentoring-to-work "
        "organisation” has 4: with fewer, the figures could show what a single member answered, so no file was written."]


def test_benchmark_command_counts_only_good_files(tmp_path, capsys):
    defs = definitions.all_definitions()
    paths = write(tmp_path / "net", synthetic.network(defs["sustainability"], 5, seed=9))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    out = tmp_path / "network.json"
    # Five files, one of them broken: four results, so no file.
    assert main(["benchmark", *paths[:4], str(broken), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith(f"{broken}: ") and not out.exists()
    # Six, one broken: written, and the exit code still says a file was skipped.
    assert main(["benchmark", *paths, str(broken), "--out", str(out)]) == 2
    assert json.loads(out.read_text(encoding="utf-8"))["instruments"][0]["count"] == 5


def test_benchmark_command_refuses_when_one_questionnaire_has_too_few(tmp_path, capsys):
    defs = definitions.all_definitions()
    paths = (write(tmp_path / "a", synthetic.network(defs["sustainability"], 6, seed=1), "s")
             + write(tmp_path / "b", synthetic.network(defs["programme-quality"], 5, seed=1)[:3], "p"))
    out = tmp_path / "network.json"
    assert main(["benchmark", *paths, "--out", str(out)]) == 2
    assert "has 3" in capsys.readouterr().err and not out.exists()


def test_aggregate_by_statement(defs_dir, tmp_path, capsys):
    from engine_helpers import mini_definition

    defn = mini_definition()
    people = [{"alpha-1": 1, "alpha-2": 4}, {"alpha-1": 5, "alpha-2": 4}, {"alpha-1": "na"}]
    paths = write(tmp_path / "team", [dumps_result(defn, {"answers": a, "label": "=cmd"}, "en", NOW) for a in people])
    out = tmp_path / "statements.csv"
    assert main(["aggregate", *paths, "--by-statement", "--csv", str(out), "--definitions", str(defs_dir)]) == 0
    assert capsys.readouterr().out.strip() == f"10 statements of 3 results written to {out}"
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["questionnaire", "theme", "statement", "kind", "text", "1", "2", "3", "4", "5", "no", "partly",
                       "yes", "na", "no_answer", "median", "spread"]
    by_id = {r[2]: r for r in rows[1:]}
    assert by_id["alpha-1"] == ["mini", "alpha", "alpha-1", "agree", "We do alpha one.", "1", "0", "0", "0", "1",
                                "", "", "", "1", "0", "1", "1.000"]
    assert by_id["alpha-2"][5:] == ["0", "0", "0", "2", "0", "", "", "", "0", "1", "4", "0.000"]
    assert by_id["beta-1"][-4:] == ["0", "3", "", ""]
    assert "=cmd" not in out.read_text(encoding="utf-8")  # the labels are not in it at all


def test_aggregate_by_statement_guards_every_cell(defs_dir, tmp_path, capsys):
    from engine_helpers import mini_definition

    text = (defs_dir / "mini.yaml").read_text(encoding="utf-8").replace(
        'text: {en: "We do alpha one."', 'text: {en: "=HYPERLINK(1) we do alpha one."')
    (defs_dir / "mini.yaml").write_text(text, encoding="utf-8")
    defn = mini_definition()
    paths = write(tmp_path / "team", [dumps_result(defn, {"answers": {"alpha-1": v}}, "en", NOW) for v in (1, 2)])
    out = tmp_path / "statements.csv"
    assert main(["aggregate", *paths, "--by-statement", "--csv", str(out), "--definitions", str(defs_dir)]) == 0
    cells = [cell for row in csv.reader(out.open(encoding="utf-8")) for cell in row]
    assert "'=HYPERLINK(1) we do alpha one." in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_python_m_toolbox_benchmark_refuses_four_in_one_line(tmp_path):
    import os
    import subprocess

    root = Path(__file__).resolve().parents[2]
    defs = definitions.all_definitions()
    paths = write(tmp_path / "net", synthetic.network(defs["nec-readiness"], 5, seed=2)[:4])
    out = tmp_path / "network.json"
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONIOENCODING="utf-8")
    run = subprocess.run([sys.executable, "-m", "toolbox", "benchmark", *paths, "--out", str(out), "--lang", "de"],
                         cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == "" and not out.exists()
    assert run.stderr.startswith("Eine Netzwerkdatei braucht mindestens 5 Ergebnisse pro Fragebogen, und „")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr and "hat 4:" in run.stderr
