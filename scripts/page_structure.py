"""The structure of one Markdown page, for comparing languages (used by ``drift.py``).

A page is rendered with the Markdown extensions of ``mkdocs.yml`` (the same parser as the
build) and the HTML is read with ``html.parser``. What is kept is what must be the same in
every language: headings, admonitions, table rows, list items, footnotes, links to other
files of the site, images and diagrams; plus the glossary headwords (``<dt>``) and the page's
running text, for the termbase.
"""

from __future__ import annotations

import importlib
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Item:
    """One structural element: what it is (compared across languages) and where it stands."""

    value: object
    section: str  # the heading it stands under, in the page's own language ("" before any)
    index: int = -1  # which of the page's sections (h2/h3) it is in; -1 before the first


@dataclass
class Structure:
    """Everything of one page that the drift check compares."""

    sections: list = field(default_factory=list)     # Item((level, title), ...)
    admonitions: list = field(default_factory=list)  # Item("tip" | "details note" ...)
    tables: list = field(default_factory=list)       # Item(body rows)
    lists: list = field(default_factory=list)        # Item(("ul" | "ol" | "dl", items))
    footnote_refs: list = field(default_factory=list)  # Item(footnote number)
    footnote_defs: list = field(default_factory=list)  # Item(footnote number)
    links: list = field(default_factory=list)        # Item(target path inside the language tree)
    media: list = field(default_factory=list)        # Item("image x.png" | "mermaid" | "svg")
    glossary_terms: list = field(default_factory=list)  # headwords of definition lists
    running_text: list = field(default_factory=list)  # (section, text) outside <dt>, <em>, <code>


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, including its ``!!python/name:`` and ``!ENV`` tags."""


_ConfigLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/name:",
    lambda loader, suffix, node: getattr(importlib.import_module(suffix.rpartition(".")[0]), suffix.rpartition(".")[2]))
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@lru_cache(maxsize=1)
def _extensions() -> tuple:
    """The Markdown extensions and their settings, read from mkdocs.yml so both parse alike."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    names, settings = [], {}
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict):
            (name, options), = entry.items()
            names.append(name)
            settings[name] = dict(options or {})
        else:
            names.append(entry)
    settings.setdefault("toc", {})["permalink"] = False  # no "¶" anchors in the structure
    if "pymdownx.superfences" in names:
        # A mermaid block counts as a diagram whether or not the site renders it yet.
        from pymdownx.superfences import fence_code_format

        fences = [f for f in settings.setdefault("pymdownx.superfences", {}).get("custom_fences", [])
                  if f.get("name") != "mermaid"]
        settings["pymdownx.superfences"]["custom_fences"] = [*fences, {"name": "mermaid", "class": "mermaid", "format": fence_code_format}]
    return tuple(names), settings


@lru_cache(maxsize=1024)
def render(text: str) -> str:
    """Markdown to HTML with the site's extensions; kept per text, so a check run again over
    mostly unchanged pages (the drift tests change one page of a copy) renders only what changed."""
    names, settings = _extensions()
    return markdown.Markdown(extensions=list(names), extension_configs=settings).convert(text)


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "tr", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "details", "summary", "table", "ul", "ol", "dl"}
_SKIP_TEXT = {"dt", "em", "code", "pre", "script", "style"}  # not running text (originals, titles, code)


def _target(href: str, page: str) -> str | None:
    """A site-internal link resolved against the page ('models/x.md'), or None if external/in-page."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    if not path or _SCHEME.match(path) or path.startswith("//"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    # English is built at the site's root and every other language one folder down, so a file
    # outside the language trees is "x" from English and "../x" from the others: the same file.
    return target[3:] if target.startswith("../") else target


class _Reader(HTMLParser):
    """Walks the rendered HTML once and fills a Structure."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.out = Structure()
        self.section = ""
        self._heading = None      # [level, text parts] while inside h1-h3
        self._tables = []         # open tables: [Item, in_thead]
        self._lists = []          # open lists: Item whose value is [kind, count]
        self._footnotes = 0       # depth inside <div class="footnote">
        self._divs = []           # for each open <div>: is it the footnote block?
        self._skip = []           # open tags whose text is not running text
        self._dt = None

    def _item(self, value, section):
        return Item(value, section, len(self.out.sections) - 1)

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.out.running_text.append((self.section, " "))  # words of two blocks never touch
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        out = self.out
        if tag in ("h1", "h2", "h3"):
            self._heading = [int(tag[1]), []]
        elif tag == "div":
            footnote = "footnote" in classes
            self._divs.append(footnote)
            self._footnotes += footnote
            if "admonition" in classes:
                kind = " ".join(c for c in classes if c != "admonition") or "note"
                out.admonitions.append(self._item(kind, self.section))
            if "mermaid" in classes:
                out.media.append(self._item("mermaid", self.section))
        elif tag == "details":
            out.admonitions.append(self._item("details " + (" ".join(classes) or "note"), self.section))
        elif tag == "table":
            item = self._item(0, self.section)
            out.tables.append(item)
            self._tables.append([item, False])
        elif tag == "thead" and self._tables:
            self._tables[-1][1] = True
        elif tag == "tr" and self._tables and not self._tables[-1][1]:
            self._tables[-1][0].value += 1
        elif tag in ("ul", "ol", "dl"):
            item = self._item([tag, 0], self.section)
            if not self._footnotes:
                out.lists.append(item)
            self._lists.append(item)
        elif tag in ("li", "dt") and self._lists:
            self._lists[-1].value[1] += 1
            if tag == "li" and self._footnotes and (a.get("id") or "").startswith("fn:"):
                out.footnote_defs.append(self._item(a["id"][3:], self.section))
        elif tag == "sup" and (a.get("id") or "").startswith("fnref"):
            out.footnote_refs.append(self._item(a["id"].split(":", 1)[-1], self.section))
        elif tag == "a" and a.get("href"):
            target = _target(a["href"], self.page)
            if target and "footnote-ref" not in classes:
                out.links.append(self._item(target, self.section))
        elif tag == "img" and a.get("src"):
            out.media.append(self._item("image " + (_target(a["src"], self.page) or a["src"]), self.section))
        elif tag == "svg":
            out.media.append(self._item("svg", self.section))
        elif tag in ("pre", "code") and any("mermaid" in c for c in classes):
            out.media.append(self._item("mermaid", self.section))
        if tag == "dt":
            self._dt = []
        if tag in _SKIP_TEXT:
            if not self._skip:
                out.running_text.append((self.section, " "))  # keep the words around it apart
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.out.running_text.append((self.section, " "))
        if tag in ("h1", "h2", "h3") and self._heading:
            level, parts = self._heading
            self.section = " ".join("".join(parts).split())
            if level > 1:
                self.out.sections.append(Item((level, self.section), self.section, len(self.out.sections)))
            self._heading = None
        elif tag == "div" and self._divs:
            self._footnotes -= self._divs.pop()
        elif tag == "table" and self._tables:
            self._tables.pop()
        elif tag == "thead" and self._tables:
            self._tables[-1][1] = False
        elif tag in ("ul", "ol", "dl") and self._lists:
            item = self._lists.pop()
            item.value = tuple(item.value)
        elif tag == "dt" and self._dt is not None:
            self.out.glossary_terms.append(" ".join("".join(self._dt).split()))
            self._dt = None
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if self._heading:
            self._heading[1].append(data)
        if self._dt is not None:
            self._dt.append(data)
        if not self._skip:
            self.out.running_text.append((self.section, data))


def structure(text: str, page: str) -> Structure:
    """The Structure of Markdown ``text``; ``page`` is its path inside its language tree."""
    reader = _Reader(page)
    reader.feed(render(text))
    reader.close()
    return reader.out


def page_structure(path: Path, page: str) -> Structure:
    """The Structure of the Markdown file at ``path``."""
    return structure(path.read_text(encoding="utf-8"), page)
