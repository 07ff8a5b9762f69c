"""One search index per language.

mkdocs-static-i18n stacks every language into one index, so an English search shows Dutch and
German pages first as often as English ones. After the build, this splits the index by language
folder (``nl/``, ``de/``, the rest is English) and writes ``<lang>/search/search_index.json`` and
the ``.js`` twin that the offline plugin loads from file:// (``split``, once per build); each
page's search ``base`` points at its language folder (``rebase``, page by page), so results stay
in the reader's language.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def split(site: Path, languages: tuple[str, ...], default: str) -> dict[str, int]:
    """Write one index per language from the combined one; returns {language: entries}."""
    combined = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    buckets: dict[str, list] = {lang: [] for lang in languages}
    for doc in combined["docs"]:
        first = doc["location"].split("/", 1)[0]
        lang = first if first in languages and first != default else default
        if lang != default:
            doc = dict(doc, location=doc["location"][len(lang) + 1:])
        buckets[lang].append(doc)
    counts = {}
    for lang, docs in buckets.items():
        folder = site if lang == default else site / lang
        index = {"config": dict(combined["config"], lang=[lang]), "docs": docs}
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        (folder / "search").mkdir(parents=True, exist_ok=True)
        (folder / "search" / "search_index.json").write_text(text, encoding="utf-8")
        (folder / "search" / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
        counts[lang] = len(docs)
    return counts


def search_base(dest_path: str, lang: str, default: str) -> str | None:
    """The search ``base`` of a page at ``dest_path`` (site-relative): its language folder, or
    None for the default language (Material's own base is right there)."""
    if lang == default:
        return None
    inside = dest_path.split("/", 1)[1] if dest_path.startswith(lang + "/") else dest_path
    return posixpath.relpath(".", posixpath.dirname(inside) or ".")


def rebase(html: str, base: str) -> str:
    """The page with its search ``base`` (in Material's ``#__config``) pointing at ``base``."""

    def replace(match: re.Match) -> str:
        config = json.loads(match.group(2))
        config["base"] = base
        return match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)

    return CONFIG.sub(replace, html, count=1)
