"""CPython figures of ``scripts/bench``: the engine's own time, the command line, the build, the zip.

``measure(run)`` adds its rows to ``run.figures`` and its raw data to ``run.raw`` (see bench.py).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import timeit
from pathlib import Path

from bench_report import KB, MB, log, median

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


def engine_time():
    from toolbox import definitions
    from toolbox.charts import bars_svg, radar_svg
    from toolbox.scoring import accepted_values, score

    defn = definitions.localise(definitions.load_definition("sustainability"), "en")
    statements = [s for t in defn["themes"] for s in t["statements"]]
    answers = {}
    for i, st in enumerate(statements):
        values = accepted_values(st)
        answers[st["id"]] = values[i % len(values)]

    def once():
        scores = score(defn, answers, "en")
        radar_svg(defn, "en", [scores], uid="mt-sustainability-radar")
        bars_svg(defn, "en", scores, uid="mt-sustainability-bars")

    once()
    timer = timeit.Timer(once)
    number, _ = timer.autorange()
    per_call = [t / number * 1000 for t in timer.repeat(repeat=9, number=number)]
    return per_call, len(statements), number


def aggregate_time(tmp: Path, count=10_000):
    from toolbox import definitions, resultfile
    from toolbox.scoring import accepted_values

    folder = tmp / "results"
    folder.mkdir()
    rng = random.Random(20260105)
    defn = definitions.load_definition("sustainability")
    statements = [s for t in defn["themes"] for s in t["statements"]]
    choices = {s["id"]: accepted_values(s) for s in statements}  # agreement or practice answers
    started = time.perf_counter()
    names = []
    for i in range(count):
        answers = {sid: rng.choice(values) for sid, values in choices.items() if rng.random() < 0.95}
        state = {"answers": answers, "notes": {}, "action_plan": [], "label": f"team member {i}",
                 "created": "2026-01-05T10:00:00Z"}
        name = f"r{i:05d}.json"
        lang = ("en", "nl", "de")[i % 3]
        (folder / name).write_text(resultfile.dumps_result(defn, state, lang, "2026-01-05T11:00:00Z"), encoding="utf-8")
        names.append(name)
    generated = time.perf_counter() - started
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    argv = [sys.executable, "-m", "toolbox", "aggregate", *names, "--csv", "out.csv"]
    arg_bytes = sum(len(a) + 1 for a in argv)
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    rows = 0
    if (folder / "out.csv").exists():
        with open(folder / "out.csv", encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
    return {"seconds": elapsed, "returncode": proc.returncode, "rows": rows, "generated_s": generated,
            "arg_bytes": arg_bytes, "stdout": proc.stdout.strip()[-300:], "stderr": proc.stderr.strip()[-300:]}


def build_time(tmp: Path):
    site, dist = tmp / "build-site", tmp / "build-dist"
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "site_build.py"), "--site-dir", str(site),
                           "--dist-dir", str(dist)], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "returncode": proc.returncode, "out": (proc.stdout + proc.stderr).strip()[-500:]}


def measure(run):
    figures = run.figures
    log("engine: timeit in CPython")
    per_call, statements, number = engine_time()
    figures.add("engine_ms", f"engine: score + radar + bars, sustainability ({statements} statements), CPython",
                median(per_call), "ms", 5.0, fmt="{:.2f}", spread=(min(per_call), max(per_call)),
                notes=f"median of 9 repeats x {number} calls, in-process")

    log("command line: generating 10,000 result files and aggregating them")
    agg = aggregate_time(run.tmp)
    run.raw["aggregate"] = agg
    note = (f"one call with all 10,000 paths ({agg['arg_bytes'] / KB:.0f} KB of arguments), CSV rows "
            f"{agg['rows']}, exit {agg['returncode']}; generating the files took {agg['generated_s']:.1f} s "
            "(not counted)")
    if agg["returncode"] == 0 and agg["rows"] == 10_000:
        figures.add("aggregate_s", "command line: aggregate 10,000 result files", agg["seconds"], "s", 10.0,
                    fmt="{:.1f}", notes=note)
    else:
        figures.error("aggregate_s", "command line: aggregate 10,000 result files", "s", 10.0, "{:.1f}",
                      note + f"; stderr: {agg['stderr']}")

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not run.args.skip_build:
        log("build: full build of both editions into a temporary folder")
        build = build_time(run.tmp)
        run.raw["build"] = build
        label = f"full build of both editions ({cores} cores)"
        if build["returncode"] == 0:
            figures.add("build_s", label, build["seconds"], "s", 90.0, fmt="{:.1f}",
                        notes="scripts/site_build.py into a fresh temporary site/ and dist/ (site/ left alone); "
                              f"it said: {build['out'].splitlines()[-1]}")
        else:
            figures.error("build_s", label, "s", 90.0, "{:.1f}", build["out"])

    zips = sorted(DIST.glob("memore-toolbox-offline-*.zip"), key=lambda p: p.stat().st_mtime)
    if zips:
        figures.add("zip_mb", "offline zip", zips[-1].stat().st_size / MB, "MB", 25.0, fmt="{:.1f}",
                    notes=f"{zips[-1].relative_to(ROOT)}, 1 MB = 10^6 bytes")
    else:
        figures.error("zip_mb", "offline zip", "MB", 25.0, "{:.1f}", "no zip in dist/")
