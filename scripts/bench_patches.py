"""What each patch of Material's bundle gains, measured against its absence (issue 17).

Copies of the built site differ only in Material's bundle (pristine, or patched with some of the
groups of ``memore_site.theme.ALL_PATCHES``) and in whether the page loads it ``async``. Each
round visits every variant once, cold (a fresh browser context), in a rotating order, so the
variants share the machine's load; a figure's gain is the ratio without/with within a round
(paired), reported as the median ratio and its spread over the rounds. Python is kept from
starting (requests for the runtime are refused): the patches act on the page's start, and the
Python worker's competition for the cores would only add noise.

Variants: ``all`` (every group), ``all-again`` (the same files again: the noise), ``no-tasks``,
``no-palette`` (all but that group), ``async`` (only the async group), ``none`` (pristine
Material, loaded blocking). Gains: ``async`` = none / async, ``tasks`` = no-tasks / all,
``palette`` = no-palette / all; ``noise`` = all-again / all, an A/A comparison whose ratios show
how far two identical sites differ in the same rounds.

``measure(site, rounds)`` returns (and ``python scripts/bench_patches.py --rounds 8 --json OUT``
prints and writes) a dict::

    {"page": ..., "rounds": n, "load": [before, after], "chromium": version,
     "variants": {name: {"groups": [...], "async": bool,
                         "dcl_ms" | "longest_ms" | "tbt_ms": {"median", "min", "max", "samples"}}},
     "noise": {"dcl_ms" | "longest_ms" | "tbt_ms": {"ratio", "min", "max", "below", "ratios", "q3"}},
     "gains": {group: {"without", "with", "targets",
                       "dcl_ms" | "longest_ms" | "tbt_ms": {"ratio", "min", "max", "below", "ratios"},
                       "verdict": "earns its keep" | "within noise"}}}

``dcl_ms``: DOMContentLoaded (navigation start to the event), when the form is usable.
``longest_ms``: the longest main-thread task (PerformanceObserver "longtask") until 2.5 s after
the load event; 50 when there was none (Chromium reports tasks of 50 ms or more only). ``tbt_ms``: total blocking time over the same span (sum of each task's part over
50 ms). A group earns its keep when, for one of the figures it was made to improve (``TARGETS``:
async DOMContentLoaded, tasks the longest task, palette the longest task or the blocking time),
the median ratio is at least 1.10, above the upper quartile of the A/A ratios of that figure
(``noise``), and at most a quarter of the rounds show a ratio below 1.0 (``below``: their count).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "scripts"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from memore_site import theme  # noqa: E402

PAGE = "toolbox/sustainability.html"  # the longest form
CHROMIUM = os.environ.get("MEMORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VARIANTS = {
    "all": (("async", "tasks", "palette"), True),
    "all-again": (("async", "tasks", "palette"), True),  # the same as "all": the noise (A/A)
    "no-tasks": (("async", "palette"), True),
    "no-palette": (("async", "tasks"), True),
    "async": (("async",), True),
    "none": ((), False),
}
GAINS = {"async": ("none", "async"), "tasks": ("no-tasks", "all"), "palette": ("no-palette", "all")}
# What each group was made to improve: its verdict looks at these figures only.
TARGETS = {"async": ("dcl_ms",), "tasks": ("longest_ms",), "palette": ("longest_ms", "tbt_ms")}
METRICS = ("dcl_ms", "longest_ms", "tbt_ms")
AFTER_LOAD_MS = 2500
OBSERVER = """(() => {
  window.__patchBench = { tasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__patchBench.tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { window.__patchBench.tasks = null; }
})();"""


def pristine_bundle(name: str) -> str:
    """Material's own bundle of the given file name, from the installed (pinned) package."""
    import material

    path = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / name
    if not path.exists():
        raise SystemExit(f"bench_patches: Material's package has no {name} (site built with another version?)")
    return path.read_text(encoding="utf-8")


def _rewrite(path: Path, text: str) -> None:
    path.unlink()  # the copies are hard links: never write through to site/
    path.write_text(text, encoding="utf-8")


def make_variant(site: Path, target: Path, groups, is_async: bool) -> Path:
    """A copy of ``site`` (hard links) whose bundle carries only ``groups``, async or not."""
    shutil.copytree(site, target, copy_function=os.link)
    bundle = theme.bundle_file(target)
    _rewrite(bundle, theme.patched(pristine_bundle(bundle.name), groups))
    if not is_async:
        for page in target.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            plain = theme.BUNDLE_TAG.sub(lambda m: m.group(0).replace(" async>", ">"), html)
            if plain != html:
                _rewrite(page, plain)
    return target


def _spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "samples": [round(v, 1) for v in values]}


def _visit(browser, url):
    context = browser.new_context(locale="en-GB")
    context.route("**/assets/pyodide/**", lambda route: route.abort())
    context.add_init_script(OBSERVER)
    errors = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(AFTER_LOAD_MS)
        data = page.evaluate("""() => {
          const nav = performance.getEntriesByType("navigation")[0];
          return { dcl: nav.domContentLoadedEventStart, load: nav.loadEventEnd, tasks: window.__patchBench.tasks,
                   mounted: typeof window.component$ !== "undefined"
                            && !!document.querySelector(".md-search__input") };
        }""")
    finally:
        context.close()
    if data["tasks"] is None:
        raise SystemExit("bench_patches: this Chromium reports no long tasks")
    if not data["mounted"] or errors:
        raise SystemExit(f"bench_patches: Material did not start on {url}: {errors or 'not mounted'}")
    until = data["load"] + AFTER_LOAD_MS
    durations = [d for start, d in data["tasks"] if start <= until]
    return {"dcl_ms": data["dcl"], "longest_ms": max(durations, default=50.0),
            "tbt_ms": sum(max(0.0, d - 50) for d in durations)}


def _gain(without, with_):
    ratios = sorted(w / v for w, v in zip(without, with_, strict=False) if v > 0)
    if not ratios:  # e.g. no blocking time at all with the patch
        return {"ratio": None, "min": None, "max": None, "below": 0, "ratios": []}
    return {"ratio": statistics.median(ratios), "min": ratios[0], "max": ratios[-1],
            "below": sum(r < 1.0 for r in ratios), "ratios": [round(r, 2) for r in ratios]}


def measure_patches(site: Path, rounds: int = 8, browser=None, log=print) -> dict:
    """Measure every variant in ``rounds`` alternated rounds of cold visits (see the module's doc)."""
    from static_server import serve_in_thread

    load_before = os.getloadavg()[0]
    results = {name: {m: [] for m in METRICS} for name in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="bench-patches-") as tmp:
        urls, servers = {}, []
        for name, (groups, is_async) in VARIANTS.items():
            server, url = serve_in_thread(make_variant(Path(site), Path(tmp) / name, groups, is_async))
            servers.append(server)
            urls[name] = url + PAGE

        def run(instance):
            names = list(VARIANTS)
            _visit(instance, urls["all"])  # warm the browser's own start, not measured
            for index in range(rounds):
                order = names[index % len(names):] + names[:index % len(names)]
                for name in order:
                    figures = _visit(instance, urls[name])
                    for metric in METRICS:
                        results[name][metric].append(figures[metric])
                log(f"bench_patches: round {index + 1}/{rounds} done")
            return instance.version

        try:
            if browser is not None:
                version = run(browser)
            else:
                from playwright.sync_api import sync_playwright

                with sync_playwright() as playwright:
                    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    try:
                        version = run(instance)
                    finally:
                        instance.close()
        finally:
            for server in servers:
                server.shutdown()
    report = {"page": PAGE, "rounds": rounds, "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
              "chromium": version, "variants": {}, "gains": {}}
    for name, (groups, is_async) in VARIANTS.items():
        report["variants"][name] = {"groups": list(groups), "async": is_async,
                                    **{m: _spread(results[name][m]) for m in METRICS}}
    noise = {m: _gain(results["all-again"][m], results["all"][m]) for m in METRICS}
    for m in METRICS:
        ratios = noise[m]["ratios"]
        noise[m]["q3"] = statistics.quantiles(ratios, n=4)[2] if len(ratios) >= 2 else (ratios or [None])[0]
    report["noise"] = noise
    for group, (without, with_) in GAINS.items():
        gain = {"without": without, "with": with_, "targets": list(TARGETS[group])}
        for metric in METRICS:
            gain[metric] = _gain(results[without][metric], results[with_][metric])
        keeps = any(gain[m]["ratio"] is not None and gain[m]["ratio"] >= 1.10
                    and (noise[m]["q3"] is None or gain[m]["ratio"] > noise[m]["q3"])
                    and gain[m]["below"] <= len(gain[m]["ratios"]) / 4 for m in TARGETS[group])
        gain["verdict"] = "earns its keep" if keeps else "within noise"
        report["gains"][group] = gain
    return report


def measure(run) -> None:
    """For scripts/bench: each kept or dropped patch group's gain as a row (the ratio without/with,
    median of alternated rounds, with its range; no budget: a report), beside the A/A noise."""
    report = measure_patches(ROOT / "site", max(4, run.args.runs))
    run.raw["patches"] = report
    for group, gain in report["gains"].items():
        for metric in TARGETS[group]:
            g, n = gain[metric], report["noise"][metric]
            if g["ratio"] is None:
                continue
            run.figures.add(f"patch_{group}_{metric}", f"bundle patch '{group}': {metric} without / with",
                            g["ratio"], "x", None, fmt="{:.2f}", spread=(g["min"], g["max"]),
                            notes=f"{gain['verdict']}; A/A noise x{n['ratio']:.2f} (upper quartile {n['q3']:.2f}), "
                                  f"{report['rounds']} rounds")


def summary(report: dict) -> str:
    lines = [f"Material bundle patches, {report['page']}, {report['rounds']} alternated rounds, "
             f"load {report['load'][0]}-{report['load'][1]}, Chromium {report['chromium']}"]
    for name, variant in report["variants"].items():
        figures = ", ".join(f"{m} {variant[m]['median']:.0f} ({variant[m]['min']:.0f}-{variant[m]['max']:.0f})"
                            for m in METRICS)
        lines.append(f"  {name:<10} {figures}")
    lines.append("  noise      all-again / all: " + ", ".join(
        f"{m} x{n['ratio']:.2f} ({n['min']:.2f}-{n['max']:.2f}, upper quartile {n['q3']:.2f})"
        if n["ratio"] is not None else f"{m} n/a" for m, n in report["noise"].items()))
    for group, gain in report["gains"].items():
        figures = ", ".join(f"{m} x{gain[m]['ratio']:.2f} ({gain[m]['min']:.2f}-{gain[m]['max']:.2f}, "
                            f"{gain[m]['below']}/{len(gain[m]['ratios'])} below 1)"
                            if gain[m]["ratio"] is not None else f"{m} n/a" for m in METRICS)
        lines.append(f"  gain {group:<8} {gain['without']} / {gain['with']}: {figures}: {gain['verdict']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if not (args.site / PAGE).exists():
        raise SystemExit(f"bench_patches: {args.site / PAGE} is missing: run scripts/build first")
    report = measure_patches(args.site, args.rounds)
    print(summary(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
