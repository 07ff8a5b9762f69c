"""Drift check: every language's pages against the English ones, and the termbase.

    .venv/bin/python scripts/drift.py     # prints every difference; exit status 1 if any

For each page of ``docs/en`` and every other language in ``toolbox.messages.LANGUAGES``:
the page exists in both; the same sections (h2/h3, in order), admonitions (types, in order),
table rows (per table), list items (per list), footnotes, links to other files of the site,
images and diagrams. The glossary headwords and the tooltip abbreviations are the same set in
every language, mapped through ``i18n/termbase.yml``; the termbase's forbidden variants appear in
no page, tooltip, questionnaire or interface text of their language. A deliberate difference is
listed, with its reason, in ``i18n/drift-allow.yml``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from page_structure import page_structure  # noqa: E402

# libyaml's safe loader when PyYAML has it: the same data, the check in about half the time.
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str):
    return yaml.load(text, Loader=_YAML)  # a safe loader, C or Python
from termbase import (  # noqa: E402
    Termbase,
    find,
    headword,
    language_strings,
    running_text,
    running_text_of_markdown,
)

from toolbox.messages import DEFAULT_LANGUAGE, LANGUAGES  # noqa: E402

SOURCE = DEFAULT_LANGUAGE  # the language every other one is compared against
GLOSSARY = "glossary.md"
LIST_KINDS = {"ul": "bulleted list", "ol": "numbered list", "dl": "definition list"}


@dataclass(frozen=True)
class Finding:
    """One difference: the file (``nl/about.md``), what kind of thing, and what is wrong."""

    where: str
    aspect: str
    text: str

    def __str__(self):
        return f"{self.where}: {self.aspect}: {self.text}"


@dataclass
class Paths:
    """Where the check reads; tests point it at a temporary copy."""

    docs: Path = ROOT / "docs"
    includes: Path = ROOT / "includes"
    termbase: Path = ROOT / "i18n" / "termbase.yml"
    allow: Path = ROOT / "i18n" / "drift-allow.yml"
    data_files: list = field(default_factory=lambda: sorted(
        [*(ROOT / "toolbox" / "questionnaires").glob("*.yaml"), *(ROOT / "toolbox" / "data").glob("*.json")]))


# ---- pages ---------------------------------------------------------------------------------

def _pages(docs: Path, lang: str) -> set:
    base = docs / lang
    return {p.relative_to(base).as_posix() for p in base.rglob("*.md")} if base.is_dir() else set()


def _n(count: int, noun: str) -> str:
    """'1 section', '2 sections' (nouns are given in the plural)."""
    return f"{count} {noun[:-1] if count == 1 and noun.endswith('s') else noun}"


def _sequence(aspect, noun, describe, en, other, lang, where):
    """Findings for the Items of one section, which must match the English ones value by value."""
    found = []
    matcher = SequenceMatcher(None, [i.value for i in en], [i.value for i in other], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        theirs, ours = ", ".join(map(describe, en[i1:i2])), ", ".join(map(describe, other[j1:j2]))
        if tag == "delete":
            found.append(f"{where}: {_n(i2 - i1, noun)} fewer than {SOURCE}: {theirs}")
        elif tag == "insert":
            found.append(f"{where}: {_n(j2 - j1, noun)} more than {SOURCE}: {ours}")
        elif tag == "replace":
            found.append(f"{where}: {SOURCE} has {theirs}; {lang} has {ours}")
    return [(aspect, text) for text in found]


def _per_section(pairs, en, other, lang):
    """Admonitions, tables and lists compared section by section (paired by _align_sections).

    The contents of a section without a partner are left to the section finding: while a
    section is missing the check fails anyway, and its contents are compared once it is back.
    """
    kinds = (
        ("admonitions", "admonitions", lambda i: f"'{i.value}'"),
        ("tables", "tables", lambda i: f"a table of {_n(i.value, 'rows')}"),
        ("lists", "lists", lambda i: f"a {LIST_KINDS[i.value[0]]} of {_n(i.value[1], 'items')}"),
    )
    out = []
    for i, j in [(-1, -1)] + [p for p in pairs if None not in p]:
        where = ("at the top of the page" if i < 0 else
                 f"under '{other.sections[j].section}' ({SOURCE} '{en.sections[i].section}')")
        for name, noun, describe in kinds:
            mine = [x for x in getattr(en, name) if x.index == i]
            theirs = [x for x in getattr(other, name) if x.index == j]
            out += _sequence(name, noun, describe, mine, theirs, lang, where)
    return out


def _section_features(st):
    """Per section, what it holds apart from its words, plus the heading's own words (names and
    numbers are often the same in every language): used to pair sections across languages."""
    features = [{("word", w.casefold()) for w in s.section.split() if len(w) > 2} for s in st.sections]
    for name in ("admonitions", "tables", "lists", "footnote_refs", "links", "media"):
        for item in getattr(st, name):
            if item.index >= 0:
                features[item.index].add((name, str(item.value)))
    return features


def _align_sections(en, other):
    """Pair the sections of two pages: most pairs of the same level, then most alike.

    Returns a list of (i, j) with i or j None for a section that has no partner.
    """
    a, b = en.sections, other.sections
    fa, fb = _section_features(en), _section_features(other)

    def score(i, j):
        if a[i].value[0] != b[j].value[0]:
            return None
        union = fa[i] | fb[j]
        return 1 + (len(fa[i] & fb[j]) / len(union) if union else 0)

    best = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            s = score(i, j)
            best[i][j] = max(best[i + 1][j], best[i][j + 1], (s + best[i + 1][j + 1]) if s else 0)
    pairs, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        s = score(i, j) if i < len(a) and j < len(b) else None
        if s and best[i][j] == s + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif i < len(a) and (j == len(b) or best[i][j] == best[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs


def _sections(en, other, lang, pairs):
    if [s.value[0] for s in en.sections] == [s.value[0] for s in other.sections]:
        return []
    diff = len(en.sections) - len(other.sections)
    head = (f"{_n(diff, 'sections')} fewer than {SOURCE}" if diff > 0 else
            f"{_n(-diff, 'sections')} more than {SOURCE}" if diff < 0 else f"sections differ from {SOURCE}")
    details, last, run = [], None, None  # run: ("missing" | "extra", anchor, [titles])
    for i, j in [*pairs, (-1, -1)]:
        kind = "missing" if j is None else "extra" if i is None else None
        if run and (kind != run[0]):
            details.append(f"{run[0]} {run[1]}: " + ", ".join(run[2]))
            run = None
        if kind:
            section = en.sections[i] if kind == "missing" else other.sections[j]
            if not run:
                run = (kind, f"after '{last}'" if last else "at the start", [])
            run[2].append(f"'{section.section}' (h{section.value[0]})")
        if j is not None and j >= 0:
            last = other.sections[j].section
    return [("sections", f"{head}: " + "; ".join(details))]


def _sets(aspect, noun, en_values, values, show=str):
    missing, extra = sorted(set(en_values) - set(values)), sorted(set(values) - set(en_values))
    return ([(aspect, f"missing {noun} {show(v)}") for v in missing]
            + [(aspect, f"extra {noun} {show(v)}") for v in extra])


def compare_page(en, other, lang) -> list:
    """(aspect, text) pairs for every way page ``other`` in ``lang`` differs from ``en``."""
    pairs = _align_sections(en, other)
    out = _sections(en, other, lang, pairs)
    out += _per_section(pairs, en, other, lang)
    for name, noun in (("footnote_defs", "footnote definitions"), ("footnote_refs", "footnote references")):
        a, b = len(getattr(en, name)), len(getattr(other, name))
        if a != b:
            out.append(("footnotes", f"{_n(b, noun)}, {SOURCE} has {a}"))
    out += _sets("links", "link to", [i.value for i in en.links], [i.value for i in other.links])
    media_en, media = Counter(i.value for i in en.media), Counter(i.value for i in other.media)
    for value in sorted(set(media_en) | set(media)):
        if media_en[value] != media[value]:
            out.append(("images", f"{media[value]} × {value}, {SOURCE} has {media_en[value]}"))
    return out


# ---- glossary, tooltips, terms -----------------------------------------------------------

def _tooltips(path: Path) -> list:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("*[") and "]:" in line:
            out.append((line[2:line.index("]:")], line[line.index("]:") + 2:]))
    return out


def _glossary(paths, tb, langs, structures):
    found = []
    ids = {}
    for lang in langs:
        st = structures.get((lang, GLOSSARY))
        if st is None:
            continue
        ids[lang] = set()
        for term in st.glossary_terms:
            word = headword(term)
            ident = tb.glossary_id(lang, word)
            if ident is None:
                found.append(Finding(f"{lang}/{GLOSSARY}", "glossary",
                                     f"term '{word}' is not in the termbase ({paths.termbase.name}): add it there in every language"))
            else:
                ids[lang].add(ident)
    for lang in langs:
        if lang == SOURCE or lang not in ids or SOURCE not in ids:
            continue
        for aspect, text in _sets("glossary", "term", ids[SOURCE], ids[lang],
                                  lambda i, lang=lang: f"'{tb.glossary_form(i, lang)}' ({SOURCE} '{tb.glossary_form(i, SOURCE)}')"):
            found.append(Finding(f"{lang}/{GLOSSARY}", aspect, text))
    return found


def _tooltip_findings(paths, tb, langs):
    found = []
    sets = {lang: {tb.tooltip_id(lang, a) for a, _ in _tooltips(paths.includes / f"abbreviations.{lang}.md")}
            for lang in langs}
    for lang in langs:
        where = f"includes/abbreviations.{lang}.md"
        if not (paths.includes / f"abbreviations.{lang}.md").exists():
            found.append(Finding(where, "tooltips", "the file is missing"))
            continue
        if lang == SOURCE:
            continue
        for aspect, text in _sets("tooltips", "tooltip", sets[SOURCE], sets[lang],
                                  lambda i, lang=lang: f"'{tb.tooltip_form(i, lang)}'"):
            found.append(Finding(where, aspect, text))
    return found


def _term_findings(paths, tb, langs, structures):
    found = []

    def scan(where, lang, text, place):
        hits = Counter((entry.label, entry.advice, match) for entry, match in find(tb.forbidden(lang), text))
        for (_label, advice, match), count in sorted(hits.items()):
            times = f" ({count} times)" if count > 1 else ""
            found.append(Finding(where, "terms", f"'{match}'{times} {place}: {advice}"))

    for (lang, page), st in sorted(structures.items()):
        by_section = {}
        for section, text in st.running_text:
            by_section.setdefault(section, []).append(text)
        for section, parts in by_section.items():
            scan(f"{lang}/{page}", lang, running_text("".join(parts)), f"under '{section}'" if section else "at the top")
    for lang in langs:
        for abbr, text in _tooltips(paths.includes / f"abbreviations.{lang}.md"):
            scan(f"includes/abbreviations.{lang}.md", lang, running_text_of_markdown(text), f"in '{abbr}'")
    for path in paths.data_files:
        data = (json.loads if path.suffix == ".json" else _yaml)(path.read_text(encoding="utf-8"))
        name = _rel(path)
        for lang in langs:
            for key, text in language_strings(data, lang, langs):
                scan(name, lang, running_text_of_markdown(text), f"at {key}")
    return found


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


# ---- allow-list and the whole check ------------------------------------------------------

def _apply_allow(findings, path: Path):
    """Drop the findings the allow-list justifies; an entry without reason, or unused, is one."""
    entries = (_yaml(path.read_text(encoding="utf-8")) if path.exists() else None) or []
    problems, used = [], set()
    kept = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry[k].strip()
                                                  for k in ("where", "aspect", "contains")):
            problems.append(Finding(path.name, "allow-list", f"entry {number} needs 'where', 'aspect' and 'contains'"))
        elif not (isinstance(entry.get("reason"), str) and entry["reason"].strip()):
            problems.append(Finding(path.name, "allow-list", f"entry {number} ({entry['where']}) has no reason"))
    valid = [(n, e) for n, e in enumerate(entries, 1) if isinstance(e, dict)
             and all(isinstance(e.get(k), str) and e[k].strip() for k in ("where", "aspect", "contains", "reason"))]
    for f in findings:
        hit = [n for n, e in valid if e["where"] == f.where and e["aspect"] == f.aspect and e["contains"] in f.text]
        used.update(hit)
        if not hit:
            kept.append(f)
    for number, entry in valid:
        if number not in used:
            problems.append(Finding(path.name, "allow-list",
                                    f"entry {number} ({entry['where']}, {entry['aspect']}: '{entry['contains']}') matches no difference: remove it"))
    return kept + problems


def check(paths: Paths | None = None, languages=LANGUAGES) -> list:
    """Every difference between the languages, after the allow-list, as Findings."""
    paths = paths or Paths()
    langs = tuple(languages)
    tb = Termbase(paths.termbase, langs)
    findings = [Finding(_rel(paths.termbase), "termbase", p) for p in tb.problems]
    pages = {lang: _pages(paths.docs, lang) for lang in langs}
    structures = {(lang, page): page_structure(paths.docs / lang / page, page)
                  for lang in langs for page in sorted(pages[lang])}
    for lang in langs:
        if lang == SOURCE:
            continue
        for page in sorted(pages[SOURCE] - pages[lang]):
            findings.append(Finding(f"{lang}/{page}", "pages", f"the page is missing ({SOURCE}/{page} exists)"))
        for page in sorted(pages[lang] - pages[SOURCE]):
            findings.append(Finding(f"{lang}/{page}", "pages", f"the page is not in {SOURCE}"))
        for page in sorted(pages[SOURCE] & pages[lang]):
            for aspect, text in compare_page(structures[(SOURCE, page)], structures[(lang, page)], lang):
                findings.append(Finding(f"{lang}/{page}", aspect, text))
    findings += _glossary(paths, tb, langs, structures)
    findings += _tooltip_findings(paths, tb, langs)
    findings += _term_findings(paths, tb, langs, structures)
    return _apply_allow(findings, paths.allow)


def report(findings) -> str:
    """The findings as text, one line each, grouped by file."""
    if not findings:
        return f"No drift: every language matches {SOURCE} ({', '.join(LANGUAGES)})."
    lines = [f"{len(findings)} differences between the languages:"]
    lines += [f"  {f}" for f in sorted(findings, key=lambda f: (f.where, f.aspect))]
    return "\n".join(lines)


def main() -> int:
    findings = check()
    print(report(findings))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
