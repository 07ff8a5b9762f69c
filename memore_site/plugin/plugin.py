"""MkDocs hooks: glossary tooltips per language and questionnaire forms rendered from data.

- Every page gets its language's abbreviations (``includes/abbreviations.<lang>.md``) appended,
  so glossary terms show as tooltips.
- A paragraph ``[[questionnaire:ID]]`` is replaced by the form that ``toolbox.formhtml``
  renders from the questionnaire definition, in the page's language.
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from toolbox import definitions, formhtml  # noqa: E402
from toolbox.messages import LANGUAGES as LANGS  # noqa: E402
from runtime_version import pyodide_version  # noqa: E402
MARKER = re.compile(r"<p>\[\[questionnaire:([a-z][a-z0-9-]*)\]\]</p>")


def page_language(page) -> str:
    """The language tree a page's source lives in (docs/<lang>/...)."""
    parts = Path(page.file.abs_src_path).resolve().relative_to(ROOT / "docs").parts
    return parts[0] if parts and parts[0] in LANGS else "en"


def page_path_in_language(page) -> str:
    """The page's source path inside its language tree, e.g. 'toolbox/sustainability.md'."""
    rel = Path(page.file.abs_src_path).resolve().relative_to(ROOT / "docs" / page_language(page))
    return rel.as_posix()


def on_config(config):
    """Tell the templates which Pyodide runtime the build vendors (from the pinned npm package)."""
    config.extra["pyodide_version"] = pyodide_version()
    return config


def on_page_markdown(markdown, page, config, files):
    abbreviations = ROOT / "includes" / f"abbreviations.{page_language(page)}.md"
    if abbreviations.exists():
        markdown = markdown.rstrip("\n") + "\n\n" + abbreviations.read_text(encoding="utf-8")
    return markdown


def on_page_content(html, page, config, files):
    if "[[questionnaire:" not in html:
        return html
    lang = page_language(page)
    here = posixpath.dirname(page_path_in_language(page))

    def link(target_md: str) -> str:
        target_html = target_md[:-3] + ".html"
        return posixpath.relpath(target_html, here or ".")

    def replace(match: re.Match) -> str:
        definition = definitions.load_definition(match.group(1))
        return formhtml.render_form(definition, lang, link)

    return MARKER.sub(replace, html)
