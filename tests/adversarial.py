"""Timing-adversarial result files, made at any size on demand (never committed).

Each case is built to cost a loader as much as its kind allows at the given size: long escaped and
unterminated strings, deep and near-limit nesting, unbalanced brackets, long and huge numbers, many
keys, many duplicate keys, long whitespace, many small arrays. ``corpus(size)`` returns
``{name: (text, code)}``: ``code`` is what the engine must answer with every definition loaded (as
``python -m toolbox score`` does), ``None`` when the file loads. Every text is at most ``size`` bytes
in UTF-8 (``SIZES["2m"]`` is the loader's own limit, so nothing is refused for its size alone).
"""

from __future__ import annotations

import json
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
SIZES = {"4k": 4 * 1024, "16k": 16 * 1024, "64k": 64 * 1024, "2m": 2 * 1024 * 1024}
QID = "sustainability"  # the instrument of the base file (and of the page the browser tests use)


def base_result() -> dict:
    """A valid result file of the sustainability self-evaluation (the hostile corpus's base)."""
    return json.loads((HOSTILE / "utf8-bom.json").read_text(encoding="utf-8-sig"))


def _fill(size: int, head: str, unit: str, tail: str = "", sep: str = "") -> str:
    """``head + unit (sep unit)* + tail``, as many units as fit in ``size`` bytes of UTF-8."""
    room = size - len((head + tail).encode("utf-8"))
    step = len((unit + sep).encode("utf-8"))
    count = max(1, (room + len(sep.encode("utf-8"))) // step)
    return head + sep.join([unit] * count) + tail


def _around(field: str, value_marker: str = "@@") -> tuple[str, str]:
    """The base file's text split where ``field``'s value goes: (text before, text after)."""
    doc = base_result()
    doc[field] = value_marker
    text = json.dumps(doc, ensure_ascii=False)
    head, tail = text.split(json.dumps(value_marker), 1)
    return head, tail


def _in(field: str, size: int, open_: str, unit: str, close: str, sep: str = "") -> str:
    """The base file with ``field`` set to ``open_ + unit (sep unit)* + close``, filled to ``size``."""
    head, tail = _around(field)
    return _fill(size, head + open_, unit, close + tail, sep)


def _exact(field: str, value: str) -> str:
    """The base file with ``field``'s value replaced by the JSON text ``value``."""
    head, tail = _around(field)
    return head + value + tail


def _cut(field: str, size: int, open_: str, unit: str) -> str:
    """The base file up to ``field``'s value, which starts and never ends (a truncated file)."""
    head, _ = _around(field)
    return _fill(size, head + open_, unit)


def corpus(size: int = SIZES["2m"]) -> dict[str, tuple[str, str | None]]:
    """Every adversarial case at ``size`` bytes: ``{name: (text, expected engine code or None)}``."""
    block20 = "[" * 17 + "]" * 17  # inside "scores": {"x": [...]} (depth 3): 20 levels, the most allowed
    cases = {
        # Strings: the crafted file of issue 14 and its relatives.
        "unterminated-escaped-quotes": (_fill(size, '"', '\\"'), "not-json"),
        "unterminated-escaped-quotes-in-label": (_cut("label", size, '"', '\\"'), "not-json"),
        "unterminated-escaped-backslashes": (_fill(size, '"', "\\\\"), "not-json"),
        "unterminated-backslash-quote-mix": (_fill(size, '"', '\\\\\\"'), "not-json"),
        "unterminated-string-of-brackets": (_cut("label", size, '"', "[{"), "not-json"),
        "quotes-only": (_fill(size, "", '"'), "not-json"),
        "quoted-brackets": (_fill(size, "[", '"[{"', "]", ","), "not-a-result"),
        "escaped-quotes-in-a-long-value": (_in("scores", size, '{"x": "', '\\"', '"}'), None),
        "brackets-in-a-long-value": (_in("scores", size, '{"x": "', "[[{", '"}'), None),
        "unicode-escapes-in-label": (_in("label", size, '"', "\\u00e9", '"'), "too-long"),
        "lone-surrogates-in-a-value": (_in("scores", size, '{"x": "', "\\ud800", '"}'), "not-text"),
        "non-ascii-in-label": (_in("label", size, '"', "é€𝄞", '"'), "too-long"),
        "long-key": (_in("scores", size, '{"', "k", '": 1}'), None),
        # Nesting: open, balanced, unbalanced, and just under the limit many times over.
        "deep-arrays-unclosed": (_fill(size, "", "["), "too-deep"),
        "deep-arrays-balanced": ("[" * (size // 2) + "]" * (size // 2), "too-deep"),
        "deep-objects": ('{"a":' * ((size - 1) // 6) + "1" + "}" * ((size - 1) // 6), "too-deep"),
        "depth-21-many-times": (_fill(size, "[", "[" * 20 + "]" * 20, "]", ","), "too-deep"),
        "depth-20-many-times": (_fill(size, "[", "[" * 19 + "]" * 19, "]", ","), "not-a-result"),
        "depth-20-in-scores": (_in("scores", size, '{"x": [', block20, "]}", ","), None),
        "stairs-up": (_fill(size, "", "[[]"), "too-deep"),
        "closing-brackets": (_fill(size, "", "]"), "not-json"),
        "closing-then-opening": ("]" * (size // 2) + "[" * (size // 2), "too-deep"),
        "valleys": (_fill(size, "", "]["), "not-json"),
        # Numbers: huge exponents, too many digits for int (CPython's int max-str-digits), long floats.
        "long-integer": _long_integer(size),
        "long-fraction": (_in("answers", size, '{"social-problem-1": 1.', "1", "}"), "bad-value"),
        "long-zero-fraction": (_in("answers", size, '{"social-problem-1": 0.', "0", "1}"), "bad-value"),
        "exponent-1e400": (_in("answers", size, '{"social-problem-1": 1e400, "x": "', " ", '"}'), "bad-number"),
        "huge-exponent": (_in("answers", size, '{"social-problem-1": 1e', "9", "}"), "bad-number"),
        "many-floats": (_in("scores", size, '{"x": [', "1.5", "]}", ","), None),
        "many-floats-then-infinity": (_in("scores", size, '{"x": [', "1.5", ", 1e400]}", ","), "bad-number"),
        "many-integers": (_in("scores", size, '{"x": [', "7", "]}", ","), None),
        # Keys and containers.
        "many-keys": (_in("scores", size, "{", '"k": 0', "}", ","), None),
        "many-distinct-keys": (_distinct_keys(size), None),
        "many-duplicate-answers": (_in("answers", size, "{", '"social-problem-1": 3', "}", ","), None),
        "many-small-arrays": (_in("scores", size, '{"x": [', "[]", "]}", ","), None),
        "many-small-objects": (_in("scores", size, '{"x": [', "{}", "]}", ","), None),
        "many-action-plan-rows": (_in("action_plan", size, "[", "{}", "]", ","), "too-many-rows"),
        "many-small-arrays-top": (_fill(size, "[", "[]", "]", ","), "not-a-result"),
        # Whitespace.
        "long-whitespace-then-a-file": (_fill(size - len(json.dumps(base_result())), "", " \n\t\r")
                                        + json.dumps(base_result()), None),
        "whitespace-only": (_fill(size, "", " \n\t\r"), "empty"),
        "byte-order-marks": (_fill(size, "", "\ufeff"), "empty"),
    }
    if size >= 8 * 1024:  # one digit past CPython's int max-str-digits (4300), in a file that fits
        cases["integer-of-4301-digits"] = (_exact("answers", '{"social-problem-1": ' + "1" * 4301 + "}"), "not-json")
    return cases


def _long_integer(size: int) -> tuple[str, str]:
    text = _in("answers", size, '{"social-problem-1": ', "1", "}")
    digits = text.count("1" * 100) * 100  # roughly: only past 4300 digits does CPython refuse the number
    return text, "not-json" if digits > 4300 else "bad-value"


def _distinct_keys(size: int) -> str:
    head, tail = _around("scores")
    room = size - len((head + tail).encode("utf-8")) - 2
    parts, used, i = [], 0, 0
    while True:
        part = f'"k{i}": 0'
        if used + len(part) + 1 > room:
            break
        parts.append(part)
        used += len(part) + 1
        i += 1
    return head + "{" + ",".join(parts) + "}" + tail


def write_corpus(folder: Path, size: int = SIZES["2m"]) -> dict[str, tuple[Path, str | None]]:
    """The corpus as files in ``folder`` (UTF-8): ``{name: (path, code)}``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (text, code) in corpus(size).items():
        path = folder / f"{name}.json"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        out[name] = (path, code)
    return out


# The crafted file of issue 14 at each size: what README's "measured" figures are about.
def crafted(size: int) -> str:
    """One ``"`` followed by as many ``\\"`` as fit: the file that stalled the old loader."""
    return _fill(size, '"', '\\"')


# ---------------------------------------------------------------- network benchmark files (issue 18)


def base_benchmark() -> dict:
    """A valid benchmark file with figures for the sustainability self-evaluation (version 1)."""
    stats = {"count": 5, "mean": 3.0, "q1": 2.0, "median": 3.0, "q3": 4.0}
    return {"format": "memore-toolbox-benchmark", "format_version": 1, "generator": "adversarial",
            "instruments": [{"id": QID, "version": 1, "count": 5, "overall": dict(stats),
                             "themes": {"social-problem": dict(stats)}}]}


def _bench_around(path: tuple, marker: str = "@@") -> tuple[str, str]:
    """The base benchmark's text split where the value at ``path`` (keys and indexes) goes."""
    doc = base_benchmark()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = marker
    head, tail = json.dumps(doc).split(json.dumps(marker), 1)
    return head, tail


def _bench_in(path: tuple, size: int, open_: str, unit: str, close: str, sep: str = "") -> str:
    head, tail = _bench_around(path)
    return _fill(size, head + open_, unit, close + tail, sep)


def benchmark_corpus(size: int = SIZES["2m"]) -> dict[str, tuple[str, str]]:
    """Benchmark-shaped files that cost a loader most at ``size`` bytes: ``{name: (text, expected code)}``.

    Every one is refused (the engine's code); the result-file corpus above is refused as
    benchmarks too (``not-a-benchmark``, or the same code where parsing already refuses it).
    """
    themes = ("instruments", 0, "themes")
    stats = '{"count": 5, "mean": 3, "q1": 2, "median": 3, "q3": 4}'
    valid = json.dumps(base_benchmark())
    return {
        "long-theme-key": (_bench_in(themes, size, '{"', "t", '": ' + stats + "}"), "unknown-theme"),
        "many-theme-keys": (_bench_in(themes, size, "{", '"t": ' + stats, "}", ","), "unknown-theme"),
        "many-instruments": (_bench_in(("instruments",), size, "[", "{}", "]", ","), "bad-type"),
        "long-generator": (_bench_in(("generator",), size, '"', "g", '"'), "bad-type"),
        "escaped-quotes-in-generator": (_bench_in(("generator",), size, '"', '\\"', '"'), "bad-type"),
        "unterminated-generator": (_fill(size, _bench_around(("generator",))[0] + '"', '\\"'), "not-json"),
        "huge-exponent-in-a-mean": (_bench_in(("instruments", 0, "overall"), size, '{"count": 5, "mean": 1e', "9",
                                              ', "q1": 2, "median": 3, "q3": 4}'), "bad-number"),
        "long-digits-in-a-count": (_bench_in(themes, size, '{"social-problem": {"count": 1', "0",
                                             ', "mean": 3, "q1": 2, "median": 3, "q3": 4}}'), _digits_code(size)),
        "deep-in-themes": (_bench_in(themes, size, '{"x": ', "[", ""), "too-deep"),
        "many-unknown-keys": (_bench_in(("instruments", 0, "overall"), size, "{", '"k": 0', "}", ","), "unknown-field"),
        "whitespace-then-other-instrument": (_fill(size - len(valid), "", " \n\t\r") + valid.replace(QID, "other"),
                                             "benchmark-no-instrument"),
        "many-small-objects-in-a-list": (_bench_in(("instruments", 0, "count"), size, "[", "{}", "]", ","), "bad-type"),
    }


def _digits_code(size: int) -> str:
    # A count of more than 4300 digits is not a number Python reads; a shorter one is more than the file's count.
    return "not-json" if size > 5000 else "bad-benchmark"
