"""Questionnaire definitions: validate (per FORMAT.md), warn about item writing, compile YAML to JSON, load, localise."""

import json
import os
import re
from pathlib import Path

from .errors import DefinitionError
from .messages import LANGUAGES, error

ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
MARKUP_RE = re.compile(r"<[A-Za-z/!]")
QUESTIONNAIRE_DIR = Path(__file__).with_name("questionnaires")
SOURCES = ("memore", "site")
ADVICE_KEYS = ("low", "middle", "high")
TOP_KEYS = {"id", "version", "languages", "title", "short_title", "introduction", "origin", "groups", "themes",
            "retired"}
TOP_REQUIRED = TOP_KEYS - {"groups", "retired"}
THEME_KEYS = {"id", "group", "source", "title", "good", "statements", "advice", "links"}
STATEMENT_KEYS = {"id", "text", "reverse", "kind", "revised"}
KINDS = ("agree", "practice")  # the same as toolbox.scoring.KINDS (checked by a test)
THEME_TITLE_LIMIT = 60
# Item-writing warnings (FORMAT.md, "Writing statements"): what a machine can see, nothing more.
WORD_LIMIT = 25
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
DIGIT_RE = re.compile(r"\d")
# A second verb joined by and/en/und/ja/och shows, in a "We ..." statement, as the conjunction
# followed by the subject again: "... and we review it", "... en we bespreken", "... und wir prüfen",
# "... ja me arvioimme", "... och vi går igenom". A simple heuristic: it misses "We plan and review"
# and may flag a sentence that is still one idea.
SECOND_VERB_RE = {
    "en": re.compile(r"\band\s+we\b", re.I),
    "nl": re.compile(r"\ben\s+(?:we|wij)\b", re.I),
    "de": re.compile(r"\bund\s+wir\b", re.I),
    # Finnish mostly drops the pronoun ("Suunnittelemme ja arvioimme"), so this catches less there.
    "fi": re.compile(r"\bja\s+me\b", re.I),
    "sv": re.compile(r"\boch\s+vi\b", re.I),
}


def _check_text(value, where, problems, limit=None):
    """A language mapping with every language present, a non-empty plain string, within ``limit``."""
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a mapping with the languages {', '.join(LANGUAGES)}")
        return
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}.{lang}: missing or empty text")
        elif limit is not None and len(text) > limit:
            problems.append(f"{where}.{lang}: longer than {limit} characters ({len(text)})")
        elif MARKUP_RE.search(text):
            problems.append(f"{where}.{lang}: looks like markup; texts are plain text only")
    for key in value:
        if key not in LANGUAGES:
            problems.append(f"{where}: unknown language {key!r}")


def _check_keys(obj, allowed, required, where, problems):
    for key in sorted(set(required) - set(obj), key=str):
        problems.append(f"{where}: missing {key!r}")
    for key in sorted(set(obj) - set(allowed), key=str):
        problems.append(f"{where}: unknown key {key!r}")


def _check_id(value, where, problems, seen):
    if not isinstance(value, str) or not ID_RE.match(value):
        problems.append(f"{where}: id {value!r} does not match {ID_RE.pattern}")
        return
    if value in seen:
        problems.append(f"{where}: id {value!r} is used twice in the instrument")
    seen.add(value)


def _check_list(value, where, problems, low, high=None):
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list")
        return []
    if len(value) < low or (high is not None and len(value) > high):
        span = f"{low} to {high}" if high is not None else f"at least {low}"
        problems.append(f"{where}: has {len(value)} entries, needs {span}")
    return value


def _check_link(link, where, problems):
    if not isinstance(link, dict):
        problems.append(f"{where}: must be a mapping with page and label")
        return
    _check_keys(link, {"page", "label"}, {"page", "label"}, where, problems)
    page = link.get("page")
    if not isinstance(page, str) or not page.endswith(".md"):
        problems.append(f"{where}.page: {page!r} must be a page path ending in .md")
    elif page.startswith(("/", "\\")) or ".." in page.split("/") or "://" in page:
        problems.append(f"{where}.page: {page!r} must be relative to docs/<lang>/")
    if "label" in link:
        _check_text(link["label"], f"{where}.label", problems)


def _check_statement(st, sw, problems, seen, version):
    _check_keys(st, STATEMENT_KEYS, {"id", "text"}, sw, problems)
    _check_id(st.get("id"), f"{sw}.id", problems, seen)
    if "text" in st:
        _check_text(st["text"], f"{sw}.text", problems)
    if "reverse" in st and not isinstance(st["reverse"], bool):
        problems.append(f"{sw}.reverse: must be true or false")
    if "kind" in st and st["kind"] not in KINDS:
        problems.append(f"{sw}.kind: {st['kind']!r} must be one of {', '.join(KINDS)}")
    if "revised" in st:
        _check_version_number(st["revised"], f"{sw}.revised", problems, version)


def _check_version_number(value, where, problems, version):
    """An instrument version in which something changed: a whole number from 2 to ``version``."""
    top = version if isinstance(version, int) and not isinstance(version, bool) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 2 or (top is not None and value > top):
        span = f"from 2 to the instrument's version ({top})" if top is not None and top >= 2 else \
            "from 2 to the instrument's version (raise 'version' first)"
        problems.append(f"{where}: {value!r} must be a whole number {span}")


def _check_retired(retired, problems, seen, version):
    """``retired: [{id, version}]``: ids removed in that version, never used again by anything."""
    if not isinstance(retired, list):
        problems.append("retired: must be a list of mappings with id and version")
        return
    names = set()
    for i, item in enumerate(retired):
        where = f"retired[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a mapping with id and version")
            continue
        _check_keys(item, {"id", "version"}, {"id", "version"}, where, problems)
        ident = item.get("id")
        if not isinstance(ident, str) or not ID_RE.match(ident):
            problems.append(f"{where}.id: id {ident!r} does not match {ID_RE.pattern}")
        elif ident in seen:
            problems.append(f"{where}.id: {ident!r} is retired and must not be used again in the instrument")
        elif ident in names:
            problems.append(f"{where}.id: {ident!r} is retired twice")
        else:
            names.add(ident)
        if "version" in item:
            _check_version_number(item["version"], f"{where}.version", problems, version)


def _check_theme(theme, where, problems, seen, group_ids, version=None):
    if not isinstance(theme, dict):
        problems.append(f"{where}: must be a mapping")
        return
    _check_keys(theme, THEME_KEYS, THEME_KEYS - {"group"}, where, problems)
    _check_id(theme.get("id"), f"{where}.id", problems, seen)
    if group_ids is None:
        if "group" in theme:
            problems.append(f"{where}.group: not allowed when the instrument has no groups")
    elif theme.get("group") not in group_ids:
        problems.append(f"{where}.group: {theme.get('group')!r} is not one of the groups {sorted(group_ids)}")
    if "source" in theme and theme["source"] not in SOURCES:
        problems.append(f"{where}.source: {theme['source']!r} must be one of {', '.join(SOURCES)}")
    if "title" in theme:
        _check_text(theme["title"], f"{where}.title", problems, THEME_TITLE_LIMIT)
    if "good" in theme:
        _check_text(theme["good"], f"{where}.good", problems)
    for i, st in enumerate(_check_list(theme.get("statements"), f"{where}.statements", problems, 3, 6)):
        sw = f"{where}.statements[{i}]"
        if not isinstance(st, dict):
            problems.append(f"{sw}: must be a mapping")
            continue
        _check_statement(st, sw, problems, seen, version)
    advice = theme.get("advice")
    if "advice" in theme and not isinstance(advice, dict):
        problems.append(f"{where}.advice: must be a mapping with low, middle and high")
    elif isinstance(advice, dict):
        _check_keys(advice, ADVICE_KEYS, ADVICE_KEYS, f"{where}.advice", problems)
        for key in ADVICE_KEYS:
            if key in advice:
                _check_text(advice[key], f"{where}.advice.{key}", problems)
    if "links" in theme:
        for i, link in enumerate(_check_list(theme["links"], f"{where}.links", problems, 1, 3)):
            _check_link(link, f"{where}.links[{i}]", problems)


def validate_definition(d, expected_id=None) -> list:
    """Every problem of definition ``d`` against FORMAT.md, as readable lines (empty list = valid)."""
    problems = []
    if not isinstance(d, dict):
        return ["definition: must be a mapping"]
    _check_keys(d, TOP_KEYS, TOP_REQUIRED, "definition", problems)
    seen = set()
    _check_id(d.get("id"), "id", problems, seen)
    if expected_id is not None and d.get("id") != expected_id:
        problems.append(f"id: {d.get('id')!r} must be the same as the file name {expected_id!r}")
    version = d.get("version")
    if "version" in d and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        problems.append(f"version: {version!r} must be a whole number of at least 1")
    langs = d.get("languages")
    if "languages" in d and (not isinstance(langs, list) or sorted(map(str, langs)) != sorted(LANGUAGES)
                             or len(langs) != len(set(map(str, langs)))):
        problems.append(f"languages: {langs!r} must list exactly {', '.join(LANGUAGES)}")
    for key in ("title", "short_title", "introduction", "origin"):
        if key in d:
            _check_text(d[key], key, problems, 40 if key == "short_title" else None)
    group_ids = None
    if "groups" in d:
        group_ids = set()
        for i, group in enumerate(_check_list(d["groups"], "groups", problems, 1)):
            if not isinstance(group, dict):
                problems.append(f"groups[{i}]: must be a mapping")
                continue
            _check_keys(group, {"id", "title"}, {"id", "title"}, f"groups[{i}]", problems)
            _check_id(group.get("id"), f"groups[{i}].id", problems, seen)
            if isinstance(group.get("id"), str):
                group_ids.add(group["id"])
            if "title" in group:
                _check_text(group["title"], f"groups[{i}].title", problems)
    themes = _check_list(d.get("themes"), "themes", problems, 3) if "themes" in d else []
    for i, theme in enumerate(themes):
        _check_theme(theme, f"themes[{i}]", problems, seen, group_ids, version)
    if group_ids:
        used = {t.get("group") for t in themes if isinstance(t, dict)}
        for gid in sorted(group_ids - used):
            problems.append(f"groups: group {gid!r} has no themes")
    if "retired" in d:
        _check_retired(d["retired"], problems, seen, version)
    return problems


def writing_warnings(d) -> list:
    """Item-writing rules a machine can see (FORMAT.md), as readable lines: warnings, not problems.

    Per statement text and language: more than ``WORD_LIMIT`` words; a second verb joined by
    and/en/und/ja (``SECOND_VERB_RE``, a heuristic); digits in an agreement statement (a threshold
    such as "at least four times a year" belongs in a ``practice`` statement).
    """
    warnings = []
    for theme in d.get("themes", []):
        for st in theme.get("statements", []):
            kind = st.get("kind", "agree")
            for lang in LANGUAGES:
                text = (st.get("text") or {}).get(lang)
                if not isinstance(text, str):
                    continue
                where = f"{st.get('id')}.text.{lang}"
                words = len(WORD_RE.findall(text))
                if words > WORD_LIMIT:
                    warnings.append(f"{where}: {words} words; keep a statement to about {WORD_LIMIT}")
                joined = SECOND_VERB_RE[lang].search(text) if lang in SECOND_VERB_RE else None
                if joined:
                    warnings.append(f"{where}: '{joined.group(0).strip()}' may join a second idea; "
                                    "ask one thing per statement")
                if kind == "agree" and DIGIT_RE.search(text):
                    warnings.append(f"{where}: a number on an agreement scale; ask a fact as kind: practice")
    return warnings


def compile_yaml(path) -> dict:
    """Read one YAML definition (PyYAML is imported here only: build time and development)."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is present wherever definitions are compiled
        raise error("no-yaml") from None
    # libyaml's loader when PyYAML was built with it: the same data, about ten times faster than
    # the pure-Python one (each `python -m toolbox` call in a checkout parses every questionnaire).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)  # a safe loader, C or Python
    if isinstance(data, dict):
        for theme in data.get("themes") or []:
            if isinstance(theme, dict):
                for st in theme.get("statements") or []:
                    if isinstance(st, dict):
                        st.setdefault("reverse", False)
    return data


def _check_file(path) -> tuple:
    """(definition, problems) for one YAML file; YAML syntax errors become problems."""
    path = Path(path)
    try:
        data = compile_yaml(path)
    except Exception as exc:  # YAML syntax errors and unreadable files are reported, not raised
        if getattr(exc, "code", None) == "no-yaml":
            raise
        return None, [f"{path.name}: cannot read: {exc}".replace("\n", " ")]
    return data, [f"{path.name}: {p}" for p in validate_definition(data, expected_id=path.stem)]


def dumps_definition(d) -> str:
    """The compiled JSON text of a definition (sorted keys, UTF-8 text kept)."""
    return json.dumps(d, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def validate_dir(src_dir) -> tuple:
    """({id: definition}, problems) for every ``*.yaml`` in ``src_dir``."""
    found, problems = {}, []
    for path in sorted(Path(src_dir).glob("*.yaml")):
        data, file_problems = _check_file(path)
        problems.extend(file_problems)
        if data is not None and not file_problems:
            found[path.stem] = data
    return found, problems


def compile_all(src_dir, out_dir) -> list:
    """Compile every YAML definition in ``src_dir`` to ``out_dir/<id>.json``; raise with all problems."""
    found, problems = validate_dir(src_dir)
    if problems:
        raise DefinitionError(problems)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for ident, data in found.items():
        target = out / f"{ident}.json"
        target.write_text(dumps_definition(data), encoding="utf-8")
        written.append(target)
    return written


def _yaml_available() -> bool:
    """True when PyYAML could be imported (checked without importing it)."""
    from importlib.util import find_spec

    return find_spec("yaml") is not None


# A checkout reads its questionnaires from YAML: parsed and checked once per version of the file
# (its modification time and size), not on every call.
_PARSED: dict = {}


def _checked_yaml(path: Path) -> tuple:
    """``(definition, problems)`` of a YAML file, from ``_PARSED`` while the file is unchanged."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    hit = _PARSED.get(path)
    if hit is None or hit[0] != key:
        hit = (key, *_check_file(path))
        _PARSED[path] = hit
    return hit[1], hit[2]


def load_definition(ident, directory=None) -> dict:
    """The definition ``ident`` from ``<id>.json`` (compiled from a newer YAML on the fly when possible)."""
    directory = Path(directory) if directory is not None else QUESTIONNAIRE_DIR
    if not isinstance(ident, str) or not ID_RE.match(ident):
        raise error("unknown-instrument", id=str(ident)[:60])
    js, ym = directory / f"{ident}.json", directory / f"{ident}.yaml"
    stale = ym.exists() and (not js.exists() or os.path.getmtime(js) < os.path.getmtime(ym))
    if stale and _yaml_available():
        data, problems = _checked_yaml(ym)
        if problems:
            raise DefinitionError(problems)
        return json.loads(json.dumps(data))  # a copy: callers may change what they get
    if not js.exists():
        raise error("unknown-instrument", id=ident)
    with open(js, encoding="utf-8") as handle:
        return json.load(handle)


def all_definitions(directory=None) -> dict:
    """``{id: definition}`` for every questionnaire in ``directory`` (JSON and/or YAML), sorted by id."""
    directory = Path(directory) if directory is not None else QUESTIONNAIRE_DIR
    idents = {p.stem for p in directory.glob("*.json")} | {p.stem for p in directory.glob("*.yaml")}
    if not _yaml_available():
        idents = {p.stem for p in directory.glob("*.json")}
    return {ident: load_definition(ident, directory) for ident in sorted(idents) if ID_RE.match(ident)}


def _is_text(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES) and all(
        isinstance(v, str) for v in value.values())


def localise(defn, lang):
    """The same structure with every language mapping reduced to ``{lang: text}`` (English if missing)."""
    if _is_text(defn):
        text = defn.get(lang, defn.get("en", next(iter(defn.values()))))
        return {lang: text}
    if isinstance(defn, dict):
        return {key: localise(value, lang) for key, value in defn.items()}
    if isinstance(defn, list):
        return [localise(value, lang) for value in defn]
    return defn


def statement_index(defn) -> dict:
    """``{statement_id: (theme_index, statement)}`` for a definition."""
    return {st["id"]: (i, st) for i, theme in enumerate(defn["themes"]) for st in theme["statements"]}
