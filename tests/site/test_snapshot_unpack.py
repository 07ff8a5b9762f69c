"""The snapshot's sparse form, unpacked by the page's own runtime.js (under Node): the built
snapshot gives back exactly the memory it was made from, whether it arrives as bytes, as a response
in chunks, gzip or already unpacked by a server; a damaged one is refused, so that Python starts
the plain way instead of from broken memory."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
import sparse_snapshot
from sparse_snapshot import MAGIC

RUNNER = Path(__file__).with_name("snapshot_runner.mjs")
NODE = shutil.which("node") or "node"  # Node.js is required to build the site, so it is never skipped
DAMAGED = "the Python snapshot is damaged"


def unpack(files: dict[str, bytes], tmp_path: Path) -> dict[str, dict]:
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    done = subprocess.run([NODE, str(RUNNER), *map(str, paths.values())], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    return {name: got[str(path)] for name, path in paths.items()}


def digest(memory: bytes) -> dict:
    return {"length": len(memory), "sha256": hashlib.sha256(memory).hexdigest()}


def test_the_built_snapshot_unpacks_to_its_memory_every_way_it_can_arrive(site_dir, tmp_path):
    packed = (site_dir / "assets" / "toolbox" / "python-snapshot.bin").read_bytes()
    memory = sparse_snapshot.memory_of(packed)
    got = unpack({"gzip": packed, "unpacked-by-server": gzip.decompress(packed), "plain-memory": gzip.compress(memory, 1)},
                 tmp_path)
    for name, outcomes in got.items():
        assert outcomes == {"bytes": digest(memory), "response": digest(memory)}, name


def _sparse(total, page, found, body):
    return MAGIC + struct.pack("<III", total, page, len(found)) + b"".join(struct.pack("<II", *r) for r in found) + body


def test_a_small_sparse_memory_round_trips_with_its_last_page_cut_short(tmp_path):
    memory = bytes(4096) + b"\x07" * 4096 + bytes(8192) + b"ab" + bytes(100)
    stored = sparse_snapshot.sparse(memory)
    assert sparse_snapshot.runs(stored) == (len(memory), 4096, [(1, 1), (4, 1)])
    got = unpack({"small": gzip.compress(stored)}, tmp_path)["small"]
    assert got == {"bytes": digest(memory), "response": digest(memory)}


DAMAGES = {
    "header-cut": MAGIC + struct.pack("<I", 100),
    "runs-cut": MAGIC + struct.pack("<III", 8192, 4096, 3) + struct.pack("<II", 0, 1),
    "run-past-the-memory": _sparse(8192, 4096, [(2, 1)], b"\x01" * 4096),
    "body-cut": _sparse(8192, 4096, [(0, 2)], b"\x01" * 5000),
    "bytes-left-over": _sparse(8192, 4096, [(0, 1)], b"\x01" * 4097),
    "no-page-size": _sparse(8192, 0, [(0, 1)], b""),
}


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    """Every damaged form, gzip and as a server may have unpacked it, through one Node run."""
    files = {}
    for name, data in DAMAGES.items():
        files[name] = gzip.compress(data)
        files[name + "-unpacked"] = data
    return unpack(files, tmp_path_factory.mktemp("damaged"))


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_a_damaged_sparse_snapshot_is_refused(damaged, name):
    for key in (name, name + "-unpacked"):
        assert damaged[key] == {"bytes": {"error": DAMAGED}, "response": {"error": DAMAGED}}, (key, damaged[key])


def test_a_cut_gzip_stream_is_refused(site_dir, tmp_path):
    packed = (site_dir / "assets" / "toolbox" / "python-snapshot.bin").read_bytes()
    got = unpack({"cut": packed[: len(packed) // 3]}, tmp_path)["cut"]
    assert set(got["bytes"]) == {"error"} and set(got["response"]) == {"error"}, got
