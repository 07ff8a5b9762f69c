"""Speed and size figures of the MeMoRe Toolbox against their budgets (``scripts/bench``; not a test).

The measuring is done by modules, the showing by ``bench_report``. Each module in ``MODULES`` has a
``measure(run)`` that adds rows to ``run.figures`` (``bench_report.Figures.add``: value, unit,
budget or None, samples, spread, notes) and its raw data to ``run.raw``; it may use ``run.tmp`` (a
private temporary folder), ``run.args``, ``run.load`` (``sample(label)`` the load average between
its rounds) and ``run.facts`` (facts about the machine it found, e.g. the browser's version). A
module listed in ``OPTIONAL`` joins when its file exists. ``--only NAME`` runs some of them.

Prints a table (figure, median, spread, budget, verdict) with the load average before, during and
after, and writes the same to ``bench-results.json`` at the repository root (``--markdown`` also
prints the README's table). Always exits 0 when the measurements ran: a failed budget is a
finding, not an error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for extra in (ROOT, HERE):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import bench_report as report  # noqa: E402
from runtime_version import pyodide_version  # noqa: E402

OUT = ROOT / "bench-results.json"
MODULES = ["bench_browser", "bench_engine"]
OPTIONAL = ["bench_patches", "bench_team"]  # measurement modules of other work, when present


def modules(only):
    names = MODULES + [name for name in OPTIONAL if (HERE / f"{name}.py").is_file()]
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise SystemExit(f"bench: no measurement module {', '.join(unknown)} (there are: {', '.join(names)})")
        names = [n for n in names if n in only]
    return names


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternated rounds per browser figure (default 5)")
    parser.add_argument("--skip-build", action="store_true", help="leave out the full-build timing")
    parser.add_argument("--skip-browser", action="store_true", help="leave out the browser figures")
    parser.add_argument("--only", action="append", metavar="MODULE", help="run only this measurement module")
    parser.add_argument("--markdown", action="store_true", help="also print the README's table")
    args = parser.parse_args(argv)
    names = [n for n in modules(args.only) if not (args.skip_browser and n == "bench_browser")]
    started = time.perf_counter()
    load = report.LoadSampler()
    before = load.sample("before")
    if before and before[0] > 0.5 * (os.cpu_count() or 1):
        report.log(f"warning: the machine is busy (load average {before[0]:.1f} on {os.cpu_count()} cores); "
                   "the ratios are measured side by side, the absolute times will be slow")
    with tempfile.TemporaryDirectory(prefix="memore-bench-") as tmp:
        run = SimpleNamespace(figures=report.Figures(), raw={}, tmp=Path(tmp), args=args, load=load,
                              facts={"chromium": None})
        for name in names:
            try:
                importlib.import_module(name).measure(run)
            except Exception as exc:  # one broken module must not cost the others' figures
                report.log(f"{name} failed: {exc!r}")
                traceback.print_exc()
                run.figures.error(name, f"{name}: the measurement failed", "", None, "{}", repr(exc)[:300])
    seconds = time.perf_counter() - started
    after = report.loadavg()
    machine = report.machine_facts(run.facts.get("chromium"), pyodide_version())
    machine["load"] = {"before": before[0] if before else None, "after": after[0] if after else None,
                       "during": report.spread([s["load1"] for s in load.samples[1:]]) if len(load.samples) > 1 else None,
                       "samples": load.samples}
    report.print_table(run.figures.rows, machine, seconds, OUT.name)
    if args.markdown:
        print()
        print(report.markdown_table(run.figures.rows))
    report.write_json(OUT, run.figures, machine, seconds, args.runs, run.raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
