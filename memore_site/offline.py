"""The offline edition: ``site/`` minus what only the online path needs, as one zip.

Made by ``scripts/build`` (``scripts/site_build.py``) after ``mkdocs build``, not by the plugin:
it is the whole site, so every page edit changes it, and ``mkdocs serve`` has no use for it.
Cached by the hash of the files that go in: an unchanged site reuses the zip of the last build.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from toolbox import __version__

from . import cache
from .runtime import ONLINE_ONLY, SNAPSHOT, runtime_path

START_HERE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta http-equiv="refresh" content="0; url=index.html">'
    "<title>MeMoRe Toolbox: start here</title></head><body>"
    '<p><a href="index.html">Open the MeMoRe Toolbox</a> · '
    '<a href="nl/index.html">Nederlands</a> · <a href="de/index.html">Deutsch</a></p>'
    "</body></html>\n"
)
DOWNLOAD = Path("downloads/memore-toolbox-offline.zip")  # the online site offers it (offline-copy page)


def members(site: Path, node_modules: Path) -> list[Path]:
    """The site's files that go into the zip (file:// cannot fetch the online-only runtime files)."""
    site = Path(site)
    skip = {site / runtime_path(node_modules) / name for name in ONLINE_ONLY} | {site / SNAPSHOT, site / DOWNLOAD}
    return [p for p in sorted(site.rglob("*")) if p.is_file() and p not in skip]


def _zip_into(out: Path, site: Path, files: list[Path], folder: str) -> None:
    with zipfile.ZipFile(out / f"{folder}.zip", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{folder}/START-HERE.html", START_HERE)
        for path in files:
            archive.write(path, f"{folder}/{path.relative_to(site).as_posix()}")


def offline_zip(site: Path, dist: Path, node_modules: Path, cache_dir: Path) -> tuple[Path, bool]:
    """Write ``dist/memore-toolbox-offline-<version>.zip`` and the site's download copy; returns
    (zip, made) where ``made`` is False when it came from the cache."""
    site = Path(site)
    folder = f"memore-toolbox-offline-{__version__}"
    files = members(site, node_modules)
    key = cache.digest(folder, START_HERE, Path(__file__),
                       *[part for path in files for part in (path.relative_to(site).as_posix(), path)])
    entry, made = cache.entry(cache_dir, "offline-zip", key, lambda out: _zip_into(out, site, files, folder))
    Path(dist).mkdir(parents=True, exist_ok=True)
    target = Path(dist) / f"{folder}.zip"
    shutil.copyfile(entry / f"{folder}.zip", target)
    (site / DOWNLOAD).parent.mkdir(exist_ok=True)
    shutil.copyfile(target, site / DOWNLOAD)
    return target, made
