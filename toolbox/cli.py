"""Command line: ``python -m toolbox validate | score | aggregate | benchmark | schema | compile | xlsform | import-csv``."""

import argparse
import csv
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from . import benchmark as bench
from . import csvimport, xlsform
from .compare import comparable_themes
from .definitions import QUESTIONNAIRE_DIR, all_definitions, compile_all, validate_dir, writing_warnings
from .errors import DefinitionError, ToolboxError
from .messages import LANGUAGES, error, message, tr
from .resultfile import MAX_BYTES, json_schema, read_result
from .scoring import PRACTICE_SCORES, compact_scores, score
from .team import statement_distribution

_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m toolbox", description=message("cli.help", "en"))
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every questionnaire definition")
    v.add_argument("--definitions", default=str(QUESTIONNAIRE_DIR), help="folder with <id>.yaml files")
    s = sub.add_parser("score", help="print the scores of one result file")
    s.add_argument("file")
    s.add_argument("--lang", default="en", choices=LANGUAGES)
    s.add_argument("--definitions", default=str(QUESTIONNAIRE_DIR))
    a = sub.add_parser("aggregate", help="one CSV row per result file")
    a.add_argument("files", nargs="+")
    a.add_argument("--csv", required=True, dest="csv_path")
    a.add_argument("--by-statement", action="store_true",
                   help="one CSV row per statement: how many gave each answer, and the spread")
    a.add_argument("--lang", default="en", choices=LANGUAGES)
    a.add_argument("--definitions", default=str(QUESTIONNAIRE_DIR))
    a.add_argument("--instrument", help="the questionnaire of CSV exports (found from their columns when left out)")
    b = sub.add_parser("benchmark", help="write a network benchmark file (at least 5 results per questionnaire)")
    b.add_argument("files", nargs="+")
    b.add_argument("--out", required=True)
    b.add_argument("--lang", default="en", choices=LANGUAGES)
    b.add_argument("--definitions", default=str(QUESTIONNAIRE_DIR))
    b.add_argument("--instrument", help="the questionnaire of CSV exports (found from their columns when left out)")
    sc = sub.add_parser("schema", help="print the JSON Schema of result files (or of benchmark files)")
    sc.add_argument("--benchmark", action="store_true", help="the schema of network benchmark files")
    c = sub.add_parser("compile", help="compile YAML definitions to JSON")
    c.add_argument("src")
    c.add_argument("out")
    x = sub.add_parser("xlsform", help="write a questionnaire as an XLSForm for KoboToolbox or ODK (needs openpyxl)")
    x.add_argument("instrument")
    x.add_argument("--out", required=True)
    x.add_argument("--definitions", default=str(QUESTIONNAIRE_DIR))
    i = sub.add_parser("import-csv", help="one result file per submission of a KoboToolbox or ODK Central CSV export")
    i.add_argument("file")
    i.add_argument("--instrument", required=True)
    i.add_argument("--out", required=True)
    i.add_argument("--lang", default="en", choices=LANGUAGES)
    i.add_argument("--definitions", default=str(QUESTIONNAIRE_DIR))
    return p


def _read(path, lang, limit=MAX_BYTES) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        raise error("cannot-read", lang, name=str(path)) from None


def _definitions(folder, lang) -> dict:
    try:
        return all_definitions(folder)
    except DefinitionError as exc:
        raise ToolboxError(exc.code, message("error.bad-definition", lang)) from None


def cmd_validate(args) -> int:
    folder = Path(args.definitions)
    found, problems = validate_dir(folder)
    if problems:
        for line in problems:
            print(line)
        print(message("cli.invalid", "en", n=len(problems)))
        return 1
    if not found:
        print(message("error.no-questionnaires", "en", path=folder), file=sys.stderr)
        return 1
    # Item-writing warnings (FORMAT.md) are advice for the author: printed, never a failure.
    warnings = [f"{ident}.yaml: warning: {line}" for ident, defn in found.items() for line in writing_warnings(defn)]
    for line in warnings:
        print(line)
    if warnings:
        print(message("cli.warnings", "en", n=len(warnings)))
    print(message("cli.valid", "en", n=len(found)))
    return 0


def _table(rows) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for j, row in enumerate(rows):
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_score(args) -> int:
    lang = args.lang
    definitions = _definitions(args.definitions, lang)
    result, migration = read_result(_read(args.file, lang), definitions, lang)
    defn = definitions[result["instrument"]["id"]]
    scores = score(defn, result["answers"], lang)
    head = [message(f"table.{k}", lang) for k in ("theme", "mean", "level", "answered", "na", "total")]
    rows = [head] + [[t["title"], t["mean_display"], t["level_label"], t["answered"], t["na"], t["total"]]
                     for t in scores["themes"]]
    o = scores["overall"]
    rows.append([message("table.overall", lang), o["mean_display"], o["level_label"], o["answered"], o["na"],
                 o["total"]])
    print(message("cli.result_of", lang, title=tr(defn.get("title"), lang)))
    for notice in migration["notices"]:
        print(message("cli.notice", lang, message=notice))
    if result["label"]:
        print(message("cli.label_line", lang, label=" ".join(result["label"].split())))
    print(_table(rows))
    return 0


def _cell(value) -> str:
    """Spreadsheet-safe text: a leading = + - @ tab or carriage return is neutralised so no formula runs."""
    text = str(value)
    return "'" + text if text.startswith(_CSV_RISKY) else text


def _figure(mean) -> str:
    return "" if mean is None else f"{mean:.2f}"


def _is_csv(name) -> bool:
    return str(name).lower().endswith(".csv")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instrument(definitions, ident, lang) -> dict:
    if ident not in definitions:
        raise error("unknown-instrument", lang, id=str(ident)[:60])
    return definitions[ident]


def _loaded(name, definitions, defn, instrument, lang):
    """``(name, result, migration)`` for a result file, or one per submission of a CSV export."""
    if not _is_csv(name):
        result, migration = read_result(_read(name, lang), definitions, lang, expected_id=defn["id"] if defn else None)
        return [(name, result, migration)], []
    data = _read(name, lang, csvimport.MAX_CSV_BYTES)
    ident = defn["id"] if defn else instrument or csvimport.guess_instrument(data, definitions, lang)
    export = csvimport.read_export(data, _instrument(definitions, ident, lang), lang, _now())
    rows = [(csvimport.row_name(name, s["row"], lang), s["result"], s["migration"]) for s in export["submissions"]]
    return rows, [(csvimport.row_name(name, p["row"], lang), p["message"]) for p in export["problems"]]


def _read_results(names, definitions, lang, instrument=None, one_instrument=True) -> tuple:
    """``([(name, result, from_version)], skipped)``: each result file, or each submission of a
    Kobo/ODK CSV export, read as untrusted; a refused file or row is named on stderr with its
    sentence and skipped. ``one_instrument``: every result must be of ``instrument``, or of the
    first good result's questionnaire."""
    loaded, bad = [], 0
    defn = _instrument(definitions, instrument, lang) if instrument else None
    for name in names:
        try:
            rows, skipped = _loaded(name, definitions, defn if one_instrument or instrument else None, instrument, lang)
        except ToolboxError as exc:
            print(message("cli.skipped", lang, name=name, message=exc.message), file=sys.stderr)
            bad += 1
            continue
        for where, reason in skipped:
            print(message("cli.skipped", lang, name=where, message=reason), file=sys.stderr)
            bad += 1
        for where, result, migration in rows:
            if one_instrument and defn is None:
                defn = definitions[result["instrument"]["id"]]
            for notice in migration["notices"]:
                print(message("cli.skipped", lang, name=where, message=notice), file=sys.stderr)
            loaded.append((where, result, migration["from_version"]))
    return loaded, bad


def _write_csv(path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        # Every cell, file names included, goes through the formula guard: the means never start
        # with a sign, and any text (a label, a file named "=HYPERLINK(...).json") might.
        writer.writerows([[_cell(value) for value in row] for row in rows])


def _by_statement(args, lang, definitions) -> int:
    """One row per statement: the count of every answer (empty where the kind has no such answer),
    not applicable, no answer, the median answer and the spread (Leik's D, ``toolbox.team``)."""
    loaded, bad = _read_results(args.files, definitions, lang, args.instrument)
    defn = definitions[loaded[0][1]["instrument"]["id"]] if loaded else None
    options = [1, 2, 3, 4, 5, *PRACTICE_SCORES]
    head = [message(f"cli.{k}", lang) for k in ("instrument", "theme", "statement", "kind", "text")]
    head += [str(o) for o in options] + [message(f"cli.{k}", lang) for k in ("na", "missing", "median", "spread")]
    rows = []
    if defn:
        for r in statement_distribution(defn, [result["answers"] for _, result, _ in loaded], lang):
            counts = dict(zip(r["scale"], r["counts"], strict=False))
            rows.append([defn["id"], r["theme"], r["id"], r["kind"], r["text"]]
                        + [counts.get(o, "") for o in options]
                        + [r["na"], r["missing"], "" if r["median"] is None else r["median"],
                           "" if r["spread"] is None else f"{r['spread']:.3f}"])
    _write_csv(args.csv_path, [head, *rows])
    print(message("cli.wrote_statements", lang, n=len(rows), people=len(loaded), path=args.csv_path))
    return 2 if bad else 0


def cmd_aggregate(args) -> int:
    lang = args.lang
    definitions = _definitions(args.definitions, lang)
    if args.by_statement:
        return _by_statement(args, lang, definitions)
    loaded, bad = _read_results(args.files, definitions, lang, args.instrument)
    defn = definitions[loaded[0][1]["instrument"]["id"]] if loaded else None
    rows, versions = [], []
    for where, result, version in loaded:
        versions.append(version)
        scores = score(defn, result["answers"], lang)
        rows.append([where, defn["id"], " ".join(result["label"].split()), result["language"],
                     _figure(scores["overall"]["mean"])] + [_figure(t["mean"]) for t in scores["themes"]])
    head = [message(f"cli.{k}", lang) for k in ("file", "instrument", "label", "language", "overall_mean")]
    head += [t["id"] for t in defn["themes"]] if defn else []
    _write_csv(args.csv_path, [head, *rows])
    print(message("cli.wrote", lang, n=len(rows), path=args.csv_path))
    # Results of different questionnaire versions: name the themes whose figures do not compare.
    comparable = comparable_themes(defn, versions) if defn else {}
    if not all(comparable.values()):
        print(message("table.versions_note", lang), file=sys.stderr)
        for theme in defn["themes"]:
            if not comparable[theme["id"]]:
                print(message("table.not_comparable", lang, theme=tr(theme.get("title"), lang)), file=sys.stderr)
    return 2 if bad else 0


def cmd_benchmark(args) -> int:
    """Write the network benchmark; refuse (and write nothing) below ``benchmark.MIN_RESULTS`` per questionnaire."""
    lang = args.lang
    definitions = _definitions(args.definitions, lang)
    loaded, bad = _read_results(args.files, definitions, lang, args.instrument, one_instrument=False)
    data = bench.build_benchmark(definitions, [(result, version) for _, result, version in loaded], lang)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        raise error("cannot-write", lang, name=str(args.out)) from None
    print(message("cli.wrote_benchmark", lang, n=len(loaded), path=args.out))
    return 2 if bad else 0


def cmd_schema(args) -> int:
    schema = bench.json_schema() if args.benchmark else json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def cmd_compile(args) -> int:
    written = compile_all(args.src, args.out)
    print(message("cli.compiled", "en", n=len(written), path=args.out))
    return 0


def cmd_xlsform(args) -> int:
    definitions = _definitions(args.definitions, "en")
    defn = _instrument(definitions, args.instrument, "en")
    try:
        # Only this command needs openpyxl (an optional extra): the engine and the site do not.
        from openpyxl import Workbook
    except ImportError:
        print(message("cli.needs-openpyxl", "en"), file=sys.stderr)
        return 2
    book = Workbook()
    book.remove(book.active)
    for title, rows in xlsform.sheets(defn).items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    try:
        book.save(args.out)
    except OSError:
        raise ToolboxError("cannot-write", message("cli.cannot-write", "en", path=args.out)) from None
    print(message("cli.xlsform", "en", path=args.out))
    return 0


def _file_name(ident, submission) -> str:
    """A safe file name from the submission's id (``uuid:…`` keeps its letters, digits, dots and dashes)."""
    stem = re.sub(r"[^A-Za-z0-9.-]+", "-", submission["id"]).strip(".-")[:80]
    return f"{ident}-{stem or 'row-' + str(submission['row'])}.json"


def cmd_import_csv(args) -> int:
    lang = args.lang
    definitions = _definitions(args.definitions, lang)
    defn = _instrument(definitions, args.instrument, lang)
    export = csvimport.read_export(_read(args.file, lang, csvimport.MAX_CSV_BYTES), defn, lang, _now())
    for problem in export["problems"]:
        where = csvimport.row_name(args.file, problem["row"], lang)
        print(message("cli.skipped", lang, name=where, message=problem["message"]), file=sys.stderr)
    out = Path(args.out)
    names = set()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for submission in export["submissions"]:
            name = _file_name(defn["id"], submission)
            if name in names:  # two rows with one id (an export of both an edit and its original)
                name = name[:-5] + f"-row-{submission['row']}.json"
            names.add(name)
            for notice in submission["migration"]["notices"]:
                where = csvimport.row_name(args.file, submission["row"], lang)
                print(message("cli.skipped", lang, name=where, message=notice), file=sys.stderr)
            result = dict(submission["result"], scores=compact_scores(score(defn, submission["result"]["answers"], lang)))
            text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
            (out / name).write_text(text, encoding="utf-8")
    except OSError:
        raise ToolboxError("cannot-write", message("cli.cannot-write", lang, path=str(out))) from None
    print(message("cli.imported", lang, n=len(names), path=str(out), bad=len(export["problems"])))
    return 2 if export["problems"] else 0


COMMANDS = {"validate": cmd_validate, "score": cmd_score, "aggregate": cmd_aggregate, "benchmark": cmd_benchmark,
            "schema": cmd_schema, "compile": cmd_compile, "xlsform": cmd_xlsform, "import-csv": cmd_import_csv}


def main(argv=None) -> int:
    """Run one command; returns the exit code (0 fine, 1 invalid definitions, 2 bad input)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage line
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except DefinitionError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except ToolboxError as exc:
        print(exc.message, file=sys.stderr)
        return 2
