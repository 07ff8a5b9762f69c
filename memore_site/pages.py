"""What the plugin does to each page: glossary tooltips and questionnaire forms.

- Every page gets its language's abbreviations (``includes/abbreviations.<lang>.md``) appended,
  so glossary terms show as tooltips (Material's ``content.tooltips``).
- A paragraph ``[[questionnaire:ID]]`` becomes the form that ``memore_site.formhtml`` renders
  from the questionnaire's definition, in the page's language.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from toolbox.messages import LANGUAGES

from . import formhtml

MARKER = re.compile(r"<p>\[\[questionnaire:([a-z][a-z0-9-]*)\]\]</p>")


def language_and_path(abs_src_path: str, docs_dir: Path) -> tuple[str, str]:
    """(language, path inside its language tree) of a page's source, e.g. ('nl', 'toolbox/index.md')."""
    parts = Path(abs_src_path).resolve().relative_to(Path(docs_dir).resolve()).parts
    if parts and parts[0] in LANGUAGES:
        return parts[0], "/".join(parts[1:])
    return "en", "/".join(parts)


def with_abbreviations(markdown: str, lang: str, pattern: Path) -> str:
    path = Path(str(pattern).replace("{lang}", lang))
    if path.exists():
        markdown = markdown.rstrip("\n") + "\n\n" + path.read_text(encoding="utf-8")
    return markdown


def with_forms(html: str, lang: str, path_in_language: str, definitions: dict) -> str:
    """The page with every questionnaire marker replaced by its form (links relative to the page)."""
    if "[[questionnaire:" not in html:
        return html
    here = posixpath.dirname(path_in_language)

    def link(target_md: str) -> str:
        return posixpath.relpath(target_md[:-3] + ".html", here or ".")

    def replace(match: re.Match) -> str:
        ident = match.group(1)
        if ident not in definitions:
            from . import BuildError

            raise BuildError(f"build: the page {path_in_language} ({lang}) names an unknown questionnaire '{ident}'")
        return formhtml.render_form(definitions[ident], lang, link)

    return MARKER.sub(replace, html)
