"""One search index per language.

mkdocs-static-i18n stacks every language into one index, so an English search shows Dutch and
German pages first as often as English ones. After the build, this splits the index by language
folder (``nl/``, ``de/``, the rest is English), writes ``<lang>/search/search_index.json`` and the
``.js`` twin that the offline plugin loads from file://, and points each page's search ``base``
at its language folder, so results stay in the reader's language.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def split(site: Path, languages: tuple[str, ...], default: str) -> dict[str, int]:
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
    for lang in languages:
        if lang == default:
            continue
        for page in (site / lang).rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            base = posixpath.relpath(".", page.parent.relative_to(site / lang).as_posix() or ".")

            def rebase(match: re.Match) -> str:
                config = json.loads(match.group(2))
                config["base"] = base
                return match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)

            page.write_text(CONFIG.sub(rebase, html, count=1), encoding="utf-8")
    return counts
