"""The report half of ``scripts/bench``: figures against budgets, the table, ``bench-results.json``.

Measurement modules (``bench_browser``, ``bench_engine``, and any module listed in
``bench.MODULES``) only add rows to a ``Figures`` and raw data to a dict; this module knows how to
show them. A row holds the median of its samples, their spread (lowest-highest), the budget and a
verdict. The machine's facts, the load average sampled through the run included, go with every
report: on a shared machine the figures of the day are only meaningful with the load beside them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
from pathlib import Path

KB = 1000
MB = 1000 * 1000


def median(values):
    return statistics.median(values) if values else None


def p95(values):
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 n)
    return ordered[rank - 1]


def spread(values):
    """(lowest, highest), or None."""
    return (min(values), max(values)) if values else None


def log(text):
    print(f"bench: {text}", file=sys.stderr, flush=True)


def loadavg():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


class LoadSampler:
    """The 1-minute load average, sampled at each call of ``sample`` (once per browser round)."""

    def __init__(self):
        self.samples = []

    def sample(self, label=""):
        value = loadavg()
        if value:
            self.samples.append({"label": label, "load1": value[0]})
        return value

    def span(self):
        values = [s["load1"] for s in self.samples]
        return spread(values)


def machine_facts(browser_version, pyodide_version) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) * 1024 / 2**30, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gib": ram,
        "chromium": browser_version,
        "python": platform.python_version(),
        "pyodide": pyodide_version,
        "os": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


class Figures:
    """Rows of the report. ``add`` takes the figure's value (usually a median), its samples and
    spread, and a budget (None: reported only). A failed budget is a finding, not an error."""

    def __init__(self):
        self.rows = []

    def add(self, key, figure, value, unit, budget=None, *, fmt="{:.0f}", notes="", samples=None,
            spread=None, extra=None):
        if value is None:
            verdict = "ERROR"
        elif budget is None:
            verdict = "REPORT"
        else:
            verdict = "PASS" if value <= budget else "FAIL"
        suffix = f" {unit}" if unit else ""
        self.rows.append({
            "key": key, "figure": figure, "value": value, "unit": unit, "budget": budget,
            "verdict": verdict, "shown": (fmt.format(value) + suffix) if value is not None else "n/a",
            "spread": list(spread) if spread else None,
            "spread_shown": f"{fmt.format(spread[0])}-{fmt.format(spread[1])}" if spread else "",
            "budget_shown": ("<= " + fmt.format(budget) + suffix) if budget is not None else "report",
            "notes": notes, "samples": samples, "extra": extra or {},
        })

    def error(self, key, figure, unit, budget, fmt, message):
        self.add(key, figure, None, unit, budget, fmt=fmt, notes=f"ERROR: {message}")


def fmt_load(value):
    return f"{value:.1f}" if value is not None else "?"


def describe_machine(machine) -> str:
    load = machine.get("load") or {}
    during = load.get("during")
    during_text = f", {fmt_load(during[0])}-{fmt_load(during[1])} during the rounds" if during else ""
    return (f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM, "
            f"Chromium {machine['chromium']}, Python {machine['python']}, Pyodide {machine['pyodide']}; "
            f"load average {fmt_load(load.get('before'))} before{during_text}, "
            f"{fmt_load(load.get('after'))} after")


def print_table(rows, machine, seconds, out_name):
    head = ("figure", "measured", "spread", "budget", "verdict")
    table = [head] + [(r["figure"], r["shown"], r["spread_shown"], r["budget_shown"], r["verdict"]) for r in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]

    def line(row):
        return "  ".join(str(c).ljust(w) if i in (0, 4) else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths, strict=False))).rstrip()

    print()
    print(f"MeMoRe Toolbox benchmark, {machine['date']}")
    print(describe_machine(machine))
    print()
    print(line(head))
    print("  ".join("-" * w for w in widths))
    for row in table[1:]:
        print(line(row))
    print()
    print("notes:")
    for r in rows:
        if r["notes"]:
            print(f"  - {r['figure']}: {r['notes']}")
    met, total = summary(rows)
    print()
    print(f"{met} of {total} budgets met (benchmark ran {seconds:.0f} s; results in {out_name})")
    return met, total


def summary(rows):
    budgets = [r for r in rows if r["budget"] is not None]
    return sum(1 for r in budgets if r["verdict"] == "PASS"), len(budgets)


def markdown_table(rows) -> str:
    """The README's table, from this run."""
    out = ["| figure | measured (median) | spread | budget | verdict |", "| --- | --- | --- | --- | --- |"]
    verdicts = {"PASS": "met", "FAIL": "NOT met", "REPORT": "", "ERROR": "error"}
    for r in rows:
        out.append(f"| {r['figure']} | {r['shown']} | {r['spread_shown']} | {r['budget_shown']} | "
                   f"{verdicts[r['verdict']]} |")
    return "\n".join(out)


def write_json(path: Path, figures: Figures, machine, seconds, runs, raw):
    met, total = summary(figures.rows)
    path.write_text(json.dumps({
        "machine": machine, "run_seconds": round(seconds, 1), "runs": runs,
        "summary": f"{met} of {total} budgets met", "budgets_met": met, "budgets": total,
        "figures": figures.rows, "raw": raw,
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
