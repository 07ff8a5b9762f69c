"""KoboToolbox and ODK Central CSV exports of our XLSForm, read back as result files.

Standard library only (``csv``). ``read_export`` turns the text of one export into result dicts
that ``resultfile.read_result`` has accepted, one per submission, and names every row it skips
with its reason. The file is untrusted: its size, rows, columns and cells are limited, and every
cell is parsed by the C ``csv`` reader in time linear in its size.

What the two tools write (see README, "For networks"):
- KoboToolbox: ``;`` between cells by default, group separator ``/`` (or any other the user
  picks), headers as XML names (``theme/statement``, or ``statement`` without groups) or as labels
  in one language, values as XML values (choice names) or as labels; ``_uuid``, ``_id`` and
  ``_submission_time`` columns, plus ``start`` and ``end``.
- ODK Central: ``,`` between cells, groups joined by ``-`` (``theme-statement``), XML values only;
  ``SubmissionDate`` first and ``KEY`` (the instance id) after the fields.
"""

import csv
import io
import json
from datetime import UTC, datetime

from . import __version__
from .errors import ToolboxError
from .messages import message, norm_lang, tr
from .resultfile import FORMAT, FORMAT_VERSION, LIMITS, read_result, valid_date
from .scoring import KINDS, accepted_values, kind_of
from .xlsform import INSTRUMENT_FIELD, VERSION_FIELD, choice_label, choice_name, languages

MAX_CSV_BYTES = 16 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 5_000
MAX_CELL = 100_000  # characters in one cell (the csv module's own default is 131,072)
SEPARATORS = ("/", "-", ":", ".")  # Kobo's default, ODK Central's, and others Kobo lets users choose
DELIMITERS = (",", ";", "\t")
# Submission time: the first valid one of these is the result's "updated"; "start" is its "created".
UPDATED_COLUMNS = ("end", "_submission_time", "submissiondate", "meta/submissiondate", "today")
CREATED_COLUMNS = ("start",)
ID_COLUMNS = ("_uuid", "key", "meta/instanceid", "meta-instanceid", "instanceid", "_id")


def _norm(text) -> str:
    """Headers and values compared without case and with spaces collapsed (labels are retyped)."""
    return " ".join(str(text).split()).casefold()


def _error(key, lang, **fmt):
    return ToolboxError(key, message(f"csv.{key}", lang, **fmt))


def decode(data, lang="en") -> str:
    """The text of an export: UTF-8 (with or without its mark) or UTF-16 with its mark; size-limited."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_CSV_BYTES:
            raise _error("too-large", lang, limit=MAX_CSV_BYTES // (1024 * 1024))
        try:
            data = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _error("not-text", lang) from None
    elif not isinstance(data, str):
        raise _error("not-text", lang)
    else:
        try:
            data.encode("utf-8")  # a lone surrogate (possible in text handed over by the page) is no text
        except UnicodeEncodeError:
            raise _error("not-text", lang) from None
    if len(data) > MAX_CSV_BYTES:
        raise _error("too-large", lang, limit=MAX_CSV_BYTES // (1024 * 1024))
    data = data.lstrip("\ufeff")
    if "\x00" in data:
        raise _error("not-text", lang)
    if not data.strip():
        raise _error("empty", lang)
    return data


def header_names(defn) -> dict:
    """``{normalised header: statement id}``: every header a Kobo or ODK export may give a statement.

    The statement's XML name alone or after its theme's (joined by any of ``SEPARATORS``), and its
    label in any of the questionnaire's languages, alone or after the theme's label. A header
    that two statements could have (the same text twice) is left out rather than guessed.
    """
    seen, ambiguous = {}, set()
    langs = languages(defn)
    for theme in defn["themes"]:
        for st in theme["statements"]:
            names = [st["id"], *(theme["id"] + sep + st["id"] for sep in SEPARATORS)]
            for lang in langs:
                text, title = tr(st.get("text"), lang), tr(theme.get("title"), lang)
                names += [text, *(title + sep + text for sep in SEPARATORS)]
            for name in map(_norm, names):
                if seen.get(name, st["id"]) != st["id"]:
                    ambiguous.add(name)
                seen[name] = st["id"]
    return {name: sid for name, sid in seen.items() if name not in ambiguous}


def answer_names(kind, langs) -> dict:
    """``{normalised cell: answer value}`` for one kind: the choice names and their labels in every language."""
    seen, ambiguous = {}, set()
    for value in accepted_values({"kind": kind}):
        for name in [choice_name(value), *(choice_label(value, lang) for lang in langs)]:
            name = _norm(name)
            if seen.get(name, value) != value:
                ambiguous.add(name)
            seen[name] = value
    return {name: value for name, value in seen.items() if name not in ambiguous}


def _header(text, known, lang) -> str:
    """The delimiter whose header row names the most known columns (then: gives the most cells).

    Kobo writes ``;`` and quotes every cell, ODK Central ``,``; a label header may itself hold a
    comma or a semicolon, so the count of cells alone could pick the wrong one.
    """
    end = text.find("\n", 0, MAX_CELL * 8)
    first = text[:end if end >= 0 else MAX_CELL * 8]
    best = None
    for delimiter in DELIMITERS:
        try:
            row = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
        except csv.Error:
            continue
        score = (sum(_norm(cell) in known for cell in row), len(row))
        if best is None or score > best[0]:
            best = (score, delimiter)
    if best is None:
        raise _error("unreadable", lang, line=1)
    return best[1]


def _rows(text, delimiter, lang):
    """Each record with its row number (the header is row 1, as in a spreadsheet)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise _error("unreadable", lang, line=max(reader.line_num, 1)) from None
            number += 1
            if len(row) > MAX_COLUMNS:
                raise _error("too-many-columns", lang, limit=MAX_COLUMNS)
            if number > MAX_ROWS + 1:
                raise _error("too-many-rows", lang, limit=MAX_ROWS)
            yield number, row
    finally:
        csv.field_size_limit(limit)


def _columns(header, names, defn, lang) -> tuple:
    """``({column index: statement id}, {meta name: column index})``; refuses a file of another form."""
    statements, meta, first_of = {}, {}, {}
    meta_names = {INSTRUMENT_FIELD, VERSION_FIELD, *UPDATED_COLUMNS, *CREATED_COLUMNS, *ID_COLUMNS}
    for index, cell in enumerate(header):
        key = _norm(cell)
        sid = names.get(key)
        if sid is not None:
            if sid in first_of:
                raise _error("same-column", lang, first=header[first_of[sid]][:60], second=cell[:60])
            first_of[sid] = index
            statements[index] = sid
        elif key in meta_names and key not in meta:
            meta[key] = index
    if not statements:
        raise _error("no-statements", lang, title=tr(defn.get("title"), lang))
    return statements, meta


def _cell(row, meta, name) -> str:
    index = meta.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _first_date(row, meta, names):
    for name in names:
        value = _cell(row, meta, name)
        if value and len(value) <= LIMITS["date"] and valid_date(value):
            return value
    return None


def _short(value) -> str:
    """A cell quoted in a sentence: 60 characters at most, control characters (a terminal's escapes) replaced."""
    return "".join(c if c.isprintable() else "\ufffd" for c in value[:60]) + ("…" if len(value) > 60 else "")


def _row_result(row, header, statements, meta, defn, lang, now_iso) -> tuple:
    """``(result, migration)`` for one submission (``ToolboxError`` with the reason to skip it)."""
    if len(row) != len(header):
        raise _error("cells", lang, found=len(row), expected=len(header))
    instrument = _cell(row, meta, INSTRUMENT_FIELD)
    if instrument and instrument != defn["id"]:
        raise ToolboxError("other-questionnaire", message("error.other-questionnaire", lang, found=_short(instrument),
                                                          expected=tr(defn.get("title"), lang)))
    current = defn.get("version", 1)
    version = _cell(row, meta, VERSION_FIELD) or str(current)
    if not (version.isascii() and version.isdigit() and len(version) < 6 and int(version) >= 1):
        raise _error("bad-version", lang, value=_short(version))
    if int(version) > current:
        raise _error("newer-version", lang, found=int(version), current=current)
    answers = {}
    for column, (sid, names) in statements.items():
        cell = row[column].strip()
        if not cell:
            continue  # not answered
        value = names.get(cell)
        if value is None:
            value = names.get(_norm(cell))
        if value is None:
            raise _error("bad-answer", lang, value=_short(cell), id=sid)
        answers[sid] = value
    updated = _first_date(row, meta, UPDATED_COLUMNS) or now_iso
    created = _first_date(row, meta, CREATED_COLUMNS) or updated
    ident = next((_cell(row, meta, name) for name in ID_COLUMNS if _cell(row, meta, name)), "")
    result = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "generator": f"MeMoRe Toolbox {__version__}",
        "instrument": {"id": defn["id"], "version": int(version)}, "language": norm_lang(lang),
        "created": created, "updated": updated, "label": ident[:LIMITS["label"]],
        "answers": answers, "notes": {}, "action_plan": [],
    }
    if int(version) < current:
        # Through the loader itself: answers to statements revised since the row's version are
        # dropped and named exactly as for a result file of that version.
        return read_result(json.dumps(result, ensure_ascii=False), defn, lang, expected_id=defn["id"])
    # Every field is checked above (answers of each statement's kind, real dates, the label's
    # length), so the row is a result the loader accepts; the loader's JSON round trip and its
    # scoring would double the time of a large export, so the scores are left to the caller.
    return result, {"from_version": current, "dropped": [], "notices": []}


def read_export(data, defn, lang="en", now_iso=None) -> dict:
    """Every submission of an export: ``{"submissions": [...], "problems": [...]}``.

    A submission is ``{"row", "id", "result", "migration"}`` (``result`` and ``migration`` as
    ``resultfile.read_result`` gives them, except that ``result`` has no ``scores``: the loader
    never reads them, and whoever uses the result scores it; ``id`` is the submission's id or
    ``""``); a problem is ``{"row", "code", "message"}`` for a
    row that was skipped. A file that is no export of this questionnaire, or cannot be read as
    CSV, raises ``ToolboxError`` with one sentence in ``lang``. ``now_iso`` (default: now) stands
    in for a submission without a time of its own.
    """
    lang = norm_lang(lang)
    now_iso = now_iso or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = decode(data, lang)
    names = header_names(defn)
    rows = _rows(text, _header(text, names, lang), lang)
    _, header = next(rows)
    statements, meta = _columns(header, names, defn, lang)
    # Each statement column with the answers its kind accepts (made once, not per row).
    langs = languages(defn)
    kinds = {kind: answer_names(kind, langs) for kind in KINDS}
    index = {st["id"]: st for theme in defn["themes"] for st in theme["statements"]}
    statements = {column: (sid, kinds[kind_of(index[sid])]) for column, sid in statements.items()}
    submissions, problems = [], []
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # a blank line is no submission
        try:
            result, migration = _row_result(row, header, statements, meta, defn, lang, now_iso)
        except ToolboxError as exc:
            problems.append({"row": number, "code": exc.code, "message": exc.message})
            continue
        submissions.append({"row": number, "id": result["label"], "result": result, "migration": migration})
    return {"submissions": submissions, "problems": problems}


def guess_instrument(data, definitions, lang="en"):
    """The id of the questionnaire an export answers: its instrument column, else the most statement columns."""
    lang = norm_lang(lang)
    text = decode(data, lang)
    known = {name: ident for ident, defn in definitions.items() for name in header_names(defn)}
    rows = _rows(text, _header(text, known, lang), lang)
    _, header = next(rows)
    normalised = [_norm(cell) for cell in header]
    if INSTRUMENT_FIELD in normalised:
        column = normalised.index(INSTRUMENT_FIELD)
        for _, row in rows:
            value = row[column].strip() if column < len(row) else ""
            if value in definitions:
                return value
            if value:
                break
    counts = {ident: len(set(normalised) & set(header_names(defn))) for ident, defn in definitions.items()}
    best = max(counts, key=counts.get, default=None)
    if best is None or counts[best] == 0:
        raise _error("no-instrument", lang)
    return best


def row_name(name, row, lang="en") -> str:
    """How a row of an export is named in messages: ``export.csv, row 7``."""
    return message("csv.row", lang, name=name, row=row)


__all__ = [
    "MAX_CSV_BYTES",
    "MAX_ROWS",
    "answer_names",
    "decode",
    "guess_instrument",
    "header_names",
    "read_export",
    "row_name",
]
