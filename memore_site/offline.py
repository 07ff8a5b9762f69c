"""The offline edition: ``site/`` minus what only the online path needs, as one zip.

Made by ``scripts/build`` (``scripts/site_build.py``) after ``mkdocs build``, not by the plugin:
it is the whole site, so every page edit changes it, and ``mkdocs serve`` has no use for it.
Cached by the hash of the files that go in: an unchanged site reuses the zip of the last build.
"""

from __future__ import annotations

import html
import shutil
import zipfile
from pathlib import Path

from toolbox import __version__
from toolbox.messages import DEFAULT_LANGUAGE, LANGUAGES

from . import cache
from .runtime import ONLINE_ONLY, SNAPSHOT, runtime_path


def language_names(config: Path) -> dict[str, str]:
    """Each language's own name ("Suomi"), from the i18n plugin in ``mkdocs.yml`` (the switcher's
    names), in the engine's order (``toolbox.messages.LANGUAGES``, the default first).

    Stops the build when a language of ``LANGUAGES`` is not built there, or one is built that the
    engine does not know: its pages, search index and start link would otherwise be missing, or
    its questionnaires, without a word.
    """
    import yaml

    data = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
    plugins = [p["i18n"] for p in data.get("plugins", []) if isinstance(p, dict) and "i18n" in p]
    names = {entry["locale"]: entry["name"] for entry in (plugins[0]["languages"] if plugins else [])
             if entry.get("build", True)}
    missing = [lang for lang in LANGUAGES if lang not in names]
    if missing:
        raise SystemExit(f"build: mkdocs.yml builds no locale for {', '.join(missing)} (i18n plugin, 'languages')")
    unknown = [lang for lang in names if lang not in LANGUAGES]
    if unknown:
        raise SystemExit(f"build: mkdocs.yml builds {', '.join(unknown)}, which toolbox.messages.LANGUAGES lacks")
    return {lang: names[lang] for lang in LANGUAGES}


def start_here_page(names: dict[str, str]) -> str:
    """The offline copy's START-HERE.html: forwards to the default language's home, with a link to
    each other language's, by its own name."""
    links = "".join(f' · <a href="{lang}/index.html" lang="{lang}">{html.escape(name)}</a>'
                    for lang, name in names.items() if lang != DEFAULT_LANGUAGE)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=index.html">'
        "<title>MeMoRe Toolbox: start here</title></head><body>"
        f'<p><a href="index.html">Open the MeMoRe Toolbox</a>{links}</p>'
        "</body></html>\n"
    )


DOWNLOAD = Path("downloads/memore-toolbox-offline.zip")  # the online site offers it (offline-copy page)


def members(site: Path, node_modules: Path) -> list[Path]:
    """The site's files that go into the zip (file:// cannot fetch the online-only runtime files)."""
    site = Path(site)
    skip = {site / runtime_path(node_modules) / name for name in ONLINE_ONLY} | {site / SNAPSHOT, site / DOWNLOAD}
    return [p for p in sorted(site.rglob("*")) if p.is_file() and p not in skip]


def _zip_into(out: Path, site: Path, files: list[Path], folder: str, start_here: str) -> None:
    with zipfile.ZipFile(out / f"{folder}.zip", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{folder}/START-HERE.html", start_here)
        for path in files:
            archive.write(path, f"{folder}/{path.relative_to(site).as_posix()}")


def offline_zip(site: Path, dist: Path, node_modules: Path, cache_dir: Path, names: dict[str, str]) -> tuple[Path, bool]:
    """Write ``dist/memore-toolbox-offline-<version>.zip`` and the site's download copy; returns
    (zip, made) where ``made`` is False when it came from the cache. ``names``: the languages by
    their own names (``language_names``), for the start page."""
    site = Path(site)
    folder = f"memore-toolbox-offline-{__version__}"
    files = members(site, node_modules)
    start_here = start_here_page(names)
    key = cache.digest(folder, start_here, Path(__file__),
                       *[part for path in files for part in (path.relative_to(site).as_posix(), path)])
    entry, made = cache.entry(cache_dir, "offline-zip", key, lambda out: _zip_into(out, site, files, folder, start_here))
    Path(dist).mkdir(parents=True, exist_ok=True)
    target = Path(dist) / f"{folder}.zip"
    shutil.copyfile(entry / f"{folder}.zip", target)
    (site / DOWNLOAD).parent.mkdir(exist_ok=True)
    shutil.copyfile(target, site / DOWNLOAD)
    return target, made
