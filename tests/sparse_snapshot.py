"""A reference reader of the snapshot's sparse form ("MEMSNAP1", written by
scripts/python_snapshot.mjs, read in the browser by runtime.js's expandSnapshot), for the tests."""

from __future__ import annotations

import gzip
import struct

MAGIC = b"MEMSNAP1"


def runs(data: bytes) -> tuple[int, int, list[tuple[int, int]]]:
    """-> (memory length, page size, [(first page, pages), ...]) of the sparse form."""
    assert data[:8] == MAGIC, data[:8]
    total, page, count = struct.unpack_from("<III", data, 8)
    return total, page, [struct.unpack_from("<II", data, 20 + 8 * i) for i in range(count)]


def expand(data: bytes) -> bytes:
    """The sparse form -> the memory it stands for."""
    total, page, found = runs(data)
    memory = bytearray(total)
    at = 20 + 8 * len(found)
    for first, pages in found:
        begin = first * page
        length = min(pages * page, total - begin)
        memory[begin:begin + length] = data[at:at + length]
        at += length
    assert at == len(data), "bytes left over after the last run"
    return bytes(memory)


def sparse(memory: bytes, page: int = 4096) -> bytes:
    """Memory -> its sparse form, as scripts/python_snapshot.mjs writes it."""
    pages = -(-len(memory) // page)
    zero = bytes(page)
    nonzero = [memory[p * page:(p + 1) * page] != zero[:len(memory[p * page:(p + 1) * page])] for p in range(pages)]
    found, p = [], 0
    while p < pages:
        if not nonzero[p]:
            p += 1
            continue
        first = p
        while p < pages and nonzero[p]:
            p += 1
        found.append((first, p - first))
    head = MAGIC + struct.pack("<III", len(memory), page, len(found)) + b"".join(struct.pack("<II", *r) for r in found)
    return head + b"".join(memory[f * page:min((f + n) * page, len(memory))] for f, n in found)


def memory_of(packed: bytes) -> bytes:
    """The built python-snapshot.bin (gzip of the sparse form) -> the memory."""
    return expand(gzip.decompress(packed))
