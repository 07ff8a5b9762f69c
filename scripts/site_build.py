"""Build the whole MeMoRe Toolbox: ``mkdocs build --strict`` (the site, made whole by the
``memore`` plugin) and then the offline zip.

The plugin (``memore_site/plugin``) does every page-level and runtime step inside MkDocs, the
same under ``mkdocs serve``; this script only adds the offline edition, which is the whole
built site zipped (``memore_site/offline.py``, cached by the hash of what goes in):
``dist/memore-toolbox-offline-<version>.zip`` and its copy under ``site/downloads/``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from memore_site import offline  # noqa: E402

SITE = ROOT / "site"
DIST = ROOT / "dist"
CACHE = ROOT / ".cache" / "memore"


def build_mkdocs(site: Path) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true")  # we pin MkDocs 1.6 on purpose
    if subprocess.run(cmd, cwd=ROOT, env=env).returncode != 0:
        raise SystemExit("build: mkdocs build failed (its message is above)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=SITE)
    parser.add_argument("--dist-dir", type=Path, default=DIST)
    parser.add_argument("--no-zip", action="store_true", help="skip the offline zip")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    names = offline.language_names(ROOT / "mkdocs.yml")  # the engine's languages and mkdocs.yml's agree
    build_mkdocs(args.site_dir)
    pages = sum(1 for _ in args.site_dir.rglob("*.html"))
    line = f"build: {pages} pages"
    if not args.no_zip:
        archive, made = offline.offline_zip(args.site_dir, args.dist_dir, ROOT / "node_modules", CACHE, names)
        shown = archive.relative_to(ROOT) if archive.is_relative_to(ROOT) else archive
        line += f", offline zip {archive.stat().st_size / 1e6:.1f} MB ({shown}{'' if made else ', from the cache'})"
    print(f"{line}, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
