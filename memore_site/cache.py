"""A folder per (step, hash of its inputs) under a git-ignored cache (default ``.cache/memore``).

A heavy step (vendoring Pyodide, the Python memory snapshot, the offline zip) runs only when
the hash of its inputs changes; otherwise its files are copied from the cache. Copies, not hard
links: nothing that later changes a built file can reach into the cache.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

DONE = ".complete"


def digest(*parts) -> str:
    """A short hash of texts, bytes and files (a ``Path`` counts by its content)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.name.encode() + b"\0" + part.read_bytes())
        elif isinstance(part, bytes):
            h.update(part)
        else:
            h.update(str(part).encode("utf-8"))
        h.update(b"\0\0")
    return h.hexdigest()[:20]


def entry(root: Path, step: str, key: str, make) -> tuple[Path, bool]:
    """The folder of ``step`` for ``key``, made by ``make(folder)`` when missing. Returns
    (folder, made). Older folders of the same step are removed (one version kept per step)."""
    root = Path(root)
    folder = root / f"{step}-{key}"
    if (folder / DONE).exists():
        return folder, False
    work = root / f".{step}-{key}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        make(work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    (work / DONE).touch()
    shutil.rmtree(folder, ignore_errors=True)
    work.rename(folder)
    for old in root.glob(f"{step}-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder, True


def install(folder: Path, target: Path) -> int:
    """Copy every file of a cache folder into ``target`` (same relative paths); returns the count."""
    count = 0
    for path in sorted(Path(folder).rglob("*")):
        if path.is_dir() or path.name == DONE:
            continue
        out = Path(target) / path.relative_to(folder)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
        count += 1
    return count
