#!/usr/bin/env python3
"""Engine timings of issue 18 (not a test): the team view of 12 people and a network benchmark of 200.

Data from the seeded generator (tests/synthetic.py), the sustainability self-evaluation (the
longest). Each figure is the best of 5 runs, in CPU seconds of this process and on the clock;
budget: under one second each. Usage: .venv/bin/python scripts/bench_team.py [--json]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import synthetic  # noqa: E402

from toolbox import benchmark, browser, definitions, resultfile  # noqa: E402

BUDGET_S = 1.0
RUNS = 5
IDENT = "sustainability"


def best(call) -> tuple[float, float]:
    """(CPU seconds, clock seconds) of the fastest of ``RUNS`` runs."""
    runs = []
    for _ in range(RUNS):
        cpu, wall = time.process_time(), time.perf_counter()
        call()
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    return min(runs)


def timings() -> dict:
    """{figure: (CPU seconds, clock seconds)}, each the best of ``RUNS``."""
    defs = definitions.all_definitions()
    defn = defs[IDENT]
    page = json.dumps(definitions.localise(defn, "en"))
    team = json.dumps([{"name": f"person-{i}.json", "text": t} for i, t in enumerate(synthetic.team(defn, 12, seed=1))])
    network = synthetic.network(defn, 200, seed=1)

    def team_view():
        out = json.loads(browser.compare(page, "{}", team, "en", '{"show_names": true}'))
        assert out["count"] == 12 and out["team"]["themes"]

    def build():
        loaded = [resultfile.read_result(text.encode("utf-8"), defs) for text in network]
        return benchmark.build_benchmark(defs, [(r, m["from_version"]) for r, m in loaded])

    bench_text = json.dumps(build())
    mine = json.dumps({"answers": json.loads(network[0])["answers"]})

    def standing():
        out = json.loads(browser.benchmark(page, mine, bench_text, "en"))
        assert out["ok"] and out["count"] == 200

    return {
        "team view, 12 result files (browser.compare)": best(team_view),
        "benchmark from 200 result files (read, check, score, summarise)": best(build),
        "load a 200-result benchmark and show where you stand (browser.benchmark)": best(standing),
    }


def measure(run) -> None:
    """For scripts/bench: the three figures in CPU seconds against the one-second budget."""
    for index, (name, (cpu, wall)) in enumerate(timings().items()):
        run.figures.add(f"team_{index}", f"engine: {name}", cpu, "s", BUDGET_S, fmt="{:.3f}",
                        notes=f"best of {RUNS}, CPU time in CPython; clock {wall:.3f} s")


def main() -> int:
    figures = timings()
    if "--json" in sys.argv:
        print(json.dumps({name: {"cpu_s": cpu, "wall_s": wall} for name, (cpu, wall) in figures.items()}, indent=1))
    else:
        width = max(map(len, figures))
        print(f"{'figure'.ljust(width)}  CPU s   clock s  budget {BUDGET_S:.0f} s")
        for name, (cpu, wall) in figures.items():
            print(f"{name.ljust(width)}  {cpu:6.3f}  {wall:7.3f}  {'met' if cpu < BUDGET_S else 'OVER'}")
    return 0 if all(cpu < BUDGET_S for cpu, _ in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
