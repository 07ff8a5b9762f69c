"""Speed and size figures of the MeMoRe Toolbox against their budgets (``scripts/bench``; not a test).

Everything runs in one go on this machine: browser figures in Debian's Chromium (Playwright for
Python, the same flags as the browser tests), engine and command-line figures under CPython, the
full build and the offline zip. Browser timings are ratios against a bare ``loadPyodide()`` page of
the same vendored runtime, measured in the same run and alternated with the toolbox runs; each
measured visit starts after a pause of ``QUIET_S`` so that it does not overlap the previous one's end.

Prints a table (figure, value, budget, verdict) and writes the same, with the machine's facts, to
``bench-results.json`` at the repository root. Always exits 0 when the measurements ran: a failed
budget is a finding, not an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "scripts"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from runtime_version import pyodide_version  # noqa: E402

SITE = ROOT / "site"
DIST = ROOT / "dist"
PAGES = Path(__file__).resolve().parent / "bench_pages"
OUT = ROOT / "bench-results.json"
CHROMIUM = os.environ.get("MEMORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
QUESTIONNAIRE = "toolbox/sustainability.html"
CONTENT_PAGE = "models/mentoring-to-nec.html"
TIMEOUT_MS = 180_000
QUIET_S = 1.0  # pause before each measured browser visit
KB = 1000
MB = 1000 * 1000

# Injected before any page script (Page.addScriptToEvaluateOnNewDocument, not subject to the CSP).
# At DOMContentLoaded it answers every statement at once (one change event), and it records when
# the status turns ready and when the first chart's <svg> is in the DOM, plus every long task.
INIT_SCRIPT = r"""
(() => {
  const b = window.__bench = { dcl: null, answered: null, ready: null, chart: null, longtasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { b.longtasks = null; }
  document.addEventListener("DOMContentLoaded", () => {
    b.dcl = performance.now();
    const root = document.querySelector("[data-memore-questionnaire]");
    if (!root) return;
    const status = root.querySelector("[data-memore-status]");
    const charts = root.querySelector(".memore-charts");
    const check = () => {
      if (b.ready === null && status && status.getAttribute("data-state") === "ready") b.ready = performance.now();
      if (b.chart === null && charts && charts.querySelector("svg")) b.chart = performance.now();
      return b.ready !== null && b.chart !== null;
    };
    const watch = new MutationObserver(() => { if (check()) watch.disconnect(); });
    if (status) watch.observe(status, { attributes: true, attributeFilter: ["data-state"] });
    if (charts) watch.observe(charts, { childList: true, subtree: true });
    if (window.__benchAnswer !== false) {
      const form = root.querySelector("[data-memore-form]");
      const groups = {};
      form.querySelectorAll('input[type="radio"]').forEach((input) => {
        if (input.name.indexOf("q-") === 0) (groups[input.name] = groups[input.name] || []).push(input);
      });
      let k = 0;
      Object.keys(groups).forEach((name) => { const opts = groups[name]; opts[(k++ * 3) % opts.length].checked = true; });
      form.dispatchEvent(new Event("change", { bubbles: true }));
      b.answered = performance.now();
    }
    check();
  });
})();
"""

RESCORE_SCRIPT = r"""
async (count) => {
  const root = document.querySelector("[data-memore-questionnaire]");
  const form = root.querySelector("[data-memore-form]");
  const first = form.querySelector('input[type="radio"][name^="q-"]');
  const pick = (value) => form.querySelector('input[name="' + CSS.escape(first.name) + '"][value="' + value + '"]');
  const a = pick("2"), b = pick("4");
  const out = [];
  for (let i = 0; i < count; i++) {
    const target = i % 2 ? a : b;
    const done = new Promise((resolve) => {
      const watch = new MutationObserver(() => { watch.disconnect(); resolve(performance.now()); });
      watch.observe(root, { attributes: true, attributeFilter: ["data-score-ms"] });
    });
    const started = performance.now();
    target.checked = true;
    target.dispatchEvent(new Event("change", { bubbles: true }));
    const ended = await done;
    out.push({ total: ended - started, score_ms: Number(root.getAttribute("data-score-ms")) });
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return out;
}
"""


# ------------------------------------------------------------------------------------ helpers


def median(values):
    return statistics.median(values) if values else None


def p95(values):
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 n)
    return ordered[rank - 1]


def log(text):
    print(f"bench: {text}", file=sys.stderr, flush=True)


def machine_facts(browser_version: str | None) -> dict:
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
        "pyodide": pyodide_version(),
        "os": platform.platform(),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "loadavg": loadavg(),
    }


def loadavg():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


class Figures:
    def __init__(self):
        self.rows = []

    def add(self, key, figure, value, unit, budget=None, *, fmt="{:.0f}", notes="", samples=None, extra=None):
        if value is None:
            verdict = "ERROR"
        elif budget is None:
            verdict = "REPORT"
        else:
            verdict = "PASS" if value <= budget else "FAIL"
        self.rows.append({
            "key": key, "figure": figure, "value": value, "unit": unit, "budget": budget,
            "verdict": verdict, "shown": (fmt.format(value) + (f" {unit}" if unit else "")) if value is not None else "n/a",
            "budget_shown": ("<= " + fmt.format(budget) + (f" {unit}" if unit else "")) if budget is not None else "report",
            "notes": notes, "samples": samples, "extra": extra or {},
        })

    def error(self, key, figure, unit, budget, fmt, message):
        self.add(key, figure, None, unit, budget, fmt=fmt, notes=f"ERROR: {message}")


# ------------------------------------------------------------------------------------ browser


def snapshot_site(tmp: Path) -> Path:
    """A private copy of site/ (others may rebuild site/ meanwhile) plus the bare reference page."""
    target = tmp / "site"
    shutil.copytree(SITE, target, symlinks=True)
    bare = (PAGES / "bare.html").read_text(encoding="utf-8").replace("__PYODIDE_VERSION__", f"v{pyodide_version()}")
    (target / "__bench").mkdir(exist_ok=True)
    (target / "__bench" / "bare.html").write_text(bare, encoding="utf-8")
    return target


def unzip_offline(tmp: Path) -> tuple[Path, Path]:
    zips = sorted(DIST.glob("memore-toolbox-offline-*.zip"), key=lambda p: p.stat().st_mtime)
    if not zips:
        raise SystemExit("bench: no offline zip in dist/ (run scripts/build)")
    archive = zips[-1]
    target = tmp / "usb"
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(target)
    folders = [p for p in target.iterdir() if p.is_dir()]
    return archive, folders[0]


RUNTIME_START = """() => {
  const entry = performance.getEntriesByType("resource").find((r) => /\\/pyodide\\.js$/.test(r.name.split("?")[0]));
  return entry ? entry.startTime : null;
}"""

# The toolbox page: over http Python starts in a worker, whose requests are not in the page's
# resource timing; the worker reports when its module ran ("worker") and when its imports, Pyodide
# and the engine were done, as epoch milliseconds. Here: milliseconds since the page's navigation.
TOOLBOX_RUNTIME = """async () => {
  const engine = await window.MemoreToolbox.startPython();
  const steps = {};
  for (const [name, at] of Object.entries(engine.steps || {})) steps[name] = at - performance.timeOrigin;
  const entry = performance.getEntriesByType("resource").find((r) => /\\/pyodide\\.js$/.test(r.name.split("?")[0]));
  return { thread: engine.thread, source: engine.source, why: engine.why, steps, start: steps.worker !== undefined ? steps.worker : (entry ? entry.startTime : null) };
}"""


def run_bare(browser, url):
    context = browser.new_context(locale="en-GB")
    context.add_init_script(INIT_SCRIPT)  # only its long-task observer matters here
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => (window.__bench && window.__bench.done !== undefined) || window.__benchError",
                               timeout=TIMEOUT_MS)
        error = page.evaluate("() => window.__benchError || null")
        if error:
            raise RuntimeError(f"bare page: {error}")
        data = page.evaluate("() => ({ done: window.__bench.done, longtasks: window.__bench.longtasks })")
        data["runtime_start"] = page.evaluate(RUNTIME_START)
        return data
    finally:
        context.close()


def visit_toolbox(context, url):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__bench && window.__bench.chart !== null && window.__bench.ready !== null",
                           timeout=TIMEOUT_MS)
    data = page.evaluate("""() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const b = window.__bench;
      return { chart: b.chart, ready: b.ready, dcl: b.dcl, answered: b.answered, longtasks: b.longtasks,
               dcl_start: nav ? nav.domContentLoadedEventStart : null,
               answered_n: Object.keys(window.MemoreQuestionnaire.state().answers).length };
    }""")
    data["errors"] = errors
    runtime = page.evaluate(TOOLBOX_RUNTIME)
    data["runtime_start"], data["thread"], data["steps"] = runtime["start"], runtime["thread"], runtime["steps"]
    data["source"], data["why"] = runtime.get("source"), runtime.get("why")
    page.close()
    return data


def longest_task_until(data, until):
    tasks = data.get("longtasks")
    if tasks is None:
        return None
    durations = [d for start, d in tasks if start <= until]
    return max(durations) if durations else 0.0


def longest_after(data, start, until):
    """The longest task that began in [start, until] (None when Chromium reports no long tasks)."""
    tasks = data.get("longtasks")
    if tasks is None:
        return None
    durations = [d for begin, d in tasks if start <= begin <= until]
    return max(durations) if durations else 0.0


def quiet():
    """A pause before each measured visit, so that it does not start while the browser is still
    tearing down the previous one (a closed page running Pyodide frees a few hundred MB)."""
    time.sleep(QUIET_S)


def browser_timings(browser, base_url, offline_root, runs):
    bare_url = base_url + "__bench/bare.html"
    toolbox_url = base_url + QUESTIONNAIRE
    offline_url = (offline_root / QUESTIONNAIRE).as_uri()
    # One discarded round first: the OS file cache, Chromium's first-launch costs.
    log("browser: warm-up round (discarded)")
    run_bare(browser, bare_url)
    for url in (toolbox_url, offline_url):
        ctx = browser.new_context(locale="en-GB")
        ctx.add_init_script(INIT_SCRIPT)
        visit_toolbox(ctx, url)
        ctx.close()
    out = {"bare": [], "cold": [], "warm": [], "offline": [], "plain": []}
    for i in range(runs):
        log(f"browser: round {i + 1}/{runs}: bare, toolbox cold + second visit, offline (file://), no snapshot")
        quiet()
        out["bare"].append(run_bare(browser, bare_url))
        quiet()
        ctx = browser.new_context(locale="en-GB")
        ctx.add_init_script(INIT_SCRIPT)
        out["cold"].append(visit_toolbox(ctx, toolbox_url))
        quiet()
        out["warm"].append(visit_toolbox(ctx, toolbox_url))
        ctx.close()
        quiet()
        ctx = browser.new_context(locale="en-GB")
        ctx.add_init_script(INIT_SCRIPT)
        out["offline"].append(visit_toolbox(ctx, offline_url))
        ctx.close()
        quiet()
        # The fallback: the snapshot refused, so the worker starts Python the plain way.
        ctx = browser.new_context(locale="en-GB")
        ctx.add_init_script(INIT_SCRIPT)
        ctx.route("**/assets/toolbox/python-snapshot.bin", lambda route: route.fulfill(status=404, body="no"))
        out["plain"].append(visit_toolbox(ctx, toolbox_url))
        ctx.close()
    return out


def rescore_times(browser, base_url, count=50):
    ctx = browser.new_context(locale="en-GB")
    ctx.add_init_script(INIT_SCRIPT)
    try:
        page = ctx.new_page()
        page.goto(base_url + QUESTIONNAIRE, wait_until="commit")
        page.wait_for_function("() => window.__bench && window.__bench.chart !== null && window.__bench.ready !== null",
                               timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)  # let the first render and autosave settle
        return page.evaluate(RESCORE_SCRIPT, count)
    finally:
        ctx.close()


class Wire:
    """Bytes over the wire per URL: encoded body plus headers of every finished request of the page
    and of its workers (Python runs in a Web Worker, whose requests the page's own CDP session does
    not see; Playwright reports both)."""

    def __init__(self, context, page):
        self.finished = []
        page.on("requestfinished", lambda request: self.finished.append(request))

    def by_url(self):
        out = {}
        for request in self.finished:
            if not request.url.startswith(("http:", "https:")):
                continue  # data: URLs and the like never cross the wire
            sizes = request.sizes()
            size = max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
            out[request.url] = out.get(request.url, 0) + size
        return out


def wire_bytes(browser, base_url):
    # A content page: until load + network idle.
    ctx = browser.new_context(locale="en-GB")
    page = ctx.new_page()
    wire = Wire(ctx, page)
    page.goto(base_url + CONTENT_PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    content = wire.by_url()
    ctx.close()
    # The questionnaire page, all the way to the first chart; split into page and Pyodide's payload.
    ctx = browser.new_context(locale="en-GB")
    ctx.add_init_script(INIT_SCRIPT)
    page = ctx.new_page()
    wire = Wire(ctx, page)
    page.goto(base_url + QUESTIONNAIRE, wait_until="commit")
    page.wait_for_function("() => window.__bench && window.__bench.chart !== null", timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    questionnaire = wire.by_url()
    ctx.close()
    runtime, before = {}, {}
    for url, size in questionnaire.items():
        python = "/assets/pyodide/" in url or url.endswith(("/assets/toolbox/engine.js", "/assets/toolbox/python-snapshot.bin"))
        (runtime if python else before)[url] = size
    return content, before, runtime


def gzip_estimate(site_root: Path, base_url: str, urls) -> int:
    """What the same responses' bodies would weigh gzip-compressed (-6), for the notes."""
    total = 0
    for url in urls:
        if not url.startswith(base_url):
            continue
        path = site_root / url[len(base_url):].split("?")[0].split("#")[0]
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), compresslevel=6))
    return total


def short(url, base_url):
    return url[len(base_url):] if url.startswith(base_url) else url


# ------------------------------------------------------------------------------------ CPython


def engine_time():
    from toolbox import definitions
    from toolbox.charts import bars_svg, radar_svg
    from toolbox.scoring import score

    defn = definitions.localise(definitions.load_definition("sustainability"), "en")
    ids = [s["id"] for t in defn["themes"] for s in t["statements"]]
    answers = {sid: (i * 3) % 5 + 1 for i, sid in enumerate(ids)}

    def once():
        scores = score(defn, answers, "en")
        radar_svg(defn, "en", [scores], uid="mt-sustainability-radar")
        bars_svg(defn, "en", scores, uid="mt-sustainability-bars")

    once()
    timer = timeit.Timer(once)
    number, _ = timer.autorange()
    per_call = [t / number for t in timer.repeat(repeat=9, number=number)]
    return median(per_call) * 1000, len(ids), number


def aggregate_time(tmp: Path, count=10_000):
    from toolbox import definitions, resultfile

    folder = tmp / "results"
    folder.mkdir()
    rng = random.Random(20260105)
    defn = definitions.load_definition("sustainability")
    ids = [s["id"] for t in defn["themes"] for s in t["statements"]]
    choices = [1, 2, 3, 4, 5, "na"]
    started = time.perf_counter()
    names = []
    for i in range(count):
        answers = {sid: rng.choice(choices) for sid in ids if rng.random() < 0.95}
        state = {"answers": answers, "notes": {}, "action_plan": [], "label": f"team member {i}",
                 "created": "2026-01-05T10:00:00Z"}
        name = f"r{i:05d}.json"
        lang = ("en", "nl", "de")[i % 3]
        (folder / name).write_text(resultfile.dumps_result(defn, state, lang, "2026-01-05T11:00:00Z"), encoding="utf-8")
        names.append(name)
    generated = time.perf_counter() - started
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    help_text = subprocess.run([sys.executable, "-m", "toolbox", "aggregate", "--help"], cwd=folder, env=env,
                               capture_output=True, text=True).stdout
    argv = [sys.executable, "-m", "toolbox", "aggregate", *names, "--csv", "out.csv"]
    arg_bytes = sum(len(a) + 1 for a in argv)
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    rows = 0
    if (folder / "out.csv").exists():
        rows = sum(1 for _ in open(folder / "out.csv", encoding="utf-8")) - 1
    return {"seconds": elapsed, "returncode": proc.returncode, "rows": rows, "generated_s": generated,
            "arg_bytes": arg_bytes, "stdout": proc.stdout.strip()[-300:], "stderr": proc.stderr.strip()[-300:],
            "takes_files": "files" in help_text}


def build_time(tmp: Path):
    site, dist = tmp / "build-site", tmp / "build-dist"
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "site_build.py"), "--site-dir", str(site),
                           "--dist-dir", str(dist)], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    zips = list(dist.glob("*.zip"))
    return {"seconds": elapsed, "returncode": proc.returncode, "out": (proc.stdout + proc.stderr).strip()[-500:],
            "zip_bytes": zips[0].stat().st_size if zips else None}


# ------------------------------------------------------------------------------------ report


def fmt_load(value):
    return f"{value[0]:.1f}" if value else "?"


def print_table(rows, machine, seconds):
    head = ("figure", "measured", "budget", "verdict")
    table = [head] + [(r["figure"], r["shown"], r["budget_shown"], r["verdict"]) for r in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(4)]
    line = lambda row: "  ".join(str(c).ljust(w) if i in (0, 3) else str(c).rjust(w)  # noqa: E731
                                 for i, (c, w) in enumerate(zip(row, widths))).rstrip()
    print()
    print(f"MeMoRe Toolbox benchmark, {machine['date']}")
    print(f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM, "
          f"Chromium {machine['chromium']}, Python {machine['python']}, Pyodide {machine['pyodide']}; "
          f"load average {fmt_load(machine.get('loadavg_before'))} before, {fmt_load(machine.get('loadavg_after'))} after")
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
    budgets = [r for r in rows if r["budget"] is not None]
    met = sum(1 for r in budgets if r["verdict"] == "PASS")
    print()
    print(f"{met} of {len(budgets)} budgets met (benchmark ran {seconds:.0f} s; results in {OUT.name})")
    return met, len(budgets)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternated cold runs per browser figure (default 5)")
    parser.add_argument("--skip-build", action="store_true", help="leave out the full-build timing")
    parser.add_argument("--skip-browser", action="store_true", help="leave out the browser figures")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_before = loadavg()
    if load_before and load_before[0] > 0.5 * (os.cpu_count() or 1):
        log(f"warning: the machine is busy (load average {load_before[0]:.1f} on {os.cpu_count()} cores); "
            "timings will be noisy")
    figures = Figures()
    raw = {}
    browser_version = None

    with tempfile.TemporaryDirectory(prefix="memore-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_browser:
            from playwright.sync_api import sync_playwright
            from static_server import serve_in_thread

            log("copying site/ and unpacking the offline zip")
            site_root = snapshot_site(tmp)
            archive, offline_root = unzip_offline(tmp)
            server, base_url = serve_in_thread(site_root)
            server.handle_error = lambda request, address: None  # a closed context may cut a response short
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                    browser_version = browser.version
                    try:
                        timings = browser_timings(browser, base_url, offline_root, args.runs)
                        log("browser: rescore x50")
                        rescore = rescore_times(browser, base_url)
                        log("browser: bytes over the wire")
                        content, before, runtime = wire_bytes(browser, base_url)
                    finally:
                        browser.close()
            finally:
                server.shutdown()
            raw["browser"] = {"timings": timings, "rescore": rescore,
                              "bytes": {"content": {short(u, base_url): s for u, s in content.items()},
                                        "questionnaire_before_pyodide": {short(u, base_url): s for u, s in before.items()},
                                        "pyodide_payload": {short(u, base_url): s for u, s in runtime.items()}}}
            add_browser_figures(figures, timings, rescore, content, before, runtime, site_root, base_url, args.runs)

        log("engine: timeit in CPython")
        ms, statements, number = engine_time()
        figures.add("engine_ms", f"engine: score + radar + bars, sustainability ({statements} statements), CPython",
                    ms, "ms", 5.0, fmt="{:.2f}", notes=f"median of 9 repeats x {number} calls, in-process")

        log("command line: generating 10,000 result files and aggregating them")
        agg = aggregate_time(tmp)
        raw["aggregate"] = agg
        ok = agg["returncode"] == 0 and agg["rows"] == 10_000
        note = (f"one call with all 10,000 paths ({agg['arg_bytes'] / KB:.0f} KB of arguments, ARG_MAX "
                f"{os.sysconf('SC_ARG_MAX') / KB:.0f} KB), CSV rows {agg['rows']}, exit {agg['returncode']}; "
                f"generating the files took {agg['generated_s']:.1f} s (not counted)")
        if ok:
            figures.add("aggregate_s", "command line: aggregate 10,000 result files", agg["seconds"], "s", 10.0,
                        fmt="{:.1f}", notes=note)
        else:
            figures.error("aggregate_s", "command line: aggregate 10,000 result files", "s", 10.0, "{:.1f}",
                          note + f"; stderr: {agg['stderr']}")

        if not args.skip_build:
            log("build: full build of both editions into a temporary folder")
            build = build_time(tmp)
            raw["build"] = build
            cores = machine_facts(None)["cores_usable"]
            if build["returncode"] == 0:
                figures.add("build_s", f"full build of both editions ({cores} cores)", build["seconds"], "s", 90.0,
                            fmt="{:.1f}", notes="scripts/site_build.py into a fresh temporary site/ and dist/ "
                                                 f"(site/ left alone); it said: {build['out'].splitlines()[-1]}")
            else:
                figures.error("build_s", f"full build of both editions ({cores} cores)", "s", 90.0, "{:.1f}",
                              build["out"])

        zips = sorted(DIST.glob("memore-toolbox-offline-*.zip"), key=lambda p: p.stat().st_mtime)
        if zips:
            figures.add("zip_mb", "offline zip", zips[-1].stat().st_size / MB, "MB", 25.0, fmt="{:.1f}",
                        notes=f"{zips[-1].relative_to(ROOT)}, 1 MB = 10^6 bytes")
        else:
            figures.error("zip_mb", "offline zip", "MB", 25.0, "{:.1f}", "no zip in dist/")

    seconds = time.perf_counter() - started
    machine = machine_facts(browser_version)
    machine["loadavg_before"] = load_before
    machine["loadavg_after"] = machine.pop("loadavg")
    met, total = print_table(figures.rows, machine, seconds)
    OUT.write_text(json.dumps({
        "machine": machine, "run_seconds": round(seconds, 1), "runs": args.runs,
        "summary": f"{met} of {total} budgets met", "budgets_met": met, "budgets": total,
        "figures": figures.rows, "raw": raw,
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def expected_answers():
    from toolbox import definitions

    return sum(len(t["statements"]) for t in definitions.load_definition("sustainability")["themes"])


def add_browser_figures(figures, timings, rescore, content, before, runtime, site_root, base_url, runs):
    bare = [round(d["done"], 1) for d in timings["bare"]]
    cold = [round(d["chart"], 1) for d in timings["cold"]]
    warm = [round(d["chart"], 1) for d in timings["warm"]]
    offline = [round(d["chart"], 1) for d in timings["offline"]]
    plain = [round(d["chart"], 1) for d in timings["plain"]]
    bare_med = median(bare)
    pair_ratios = [round(c / b, 3) for c, b in zip(cold, bare)]
    for kind in ("cold", "warm", "offline", "plain"):
        for d in timings[kind]:
            if d["errors"]:
                log(f"page errors in a {kind} run: {d['errors']}")

    rt_cold = [round(d["runtime_start"] or 0) for d in timings["cold"]]
    rt_bare = [round(d["runtime_start"] or 0) for d in timings["bare"]]
    init_cold = [round(d["ready"] - (d["runtime_start"] or 0)) for d in timings["cold"]]
    init_bare = [round(d["done"] - (d["runtime_start"] or 0)) for d in timings["bare"]]
    threads = sorted({d["thread"] for d in timings["cold"]})
    sources = sorted({d.get("source") or "?" for d in timings["cold"]})
    plain_sources = sorted({d.get("source") or "?" for d in timings["plain"]})
    steps = {name: median([d["steps"][name] for d in timings["cold"] if name in d["steps"]])
             for name in ("worker", "imported", "pyodide", "engine") if any(name in d["steps"] for d in timings["cold"])}
    step_labels = {"worker": "module ran", "imported": "imports done", "pyodide": "Pyodide loaded", "engine": "engine imported"}
    step_note = ("; in the worker (ms since navigation): " + ", ".join(f"{step_labels[k]} {v:.0f}" for k, v in steps.items())
                 if steps else "")
    wrong = [d["answered_n"] for k in ("cold", "warm", "offline") for d in timings[k] if d["answered_n"] != expected_answers()]
    if wrong:
        log(f"warning: some runs did not have every statement answered: {wrong}")
    dcl = [round(d["dcl_start"], 1) for d in timings["cold"]]
    figures.add("dcl_ms", "questionnaire form usable (DOMContentLoaded), cold", median(dcl), "ms", 300.0,
                notes=f"median of {runs} cold visits of {QUESTIONNAIRE} (domContentLoadedEventStart): {dcl}",
                samples=dcl)
    figures.add("first_chart_ratio", "first chart, cold / bare loadPyodide page", median(cold) / bare_med, "x", 1.10,
                fmt="{:.2f}", samples={"toolbox_ms": cold, "bare_ms": bare, "pair_ratios": pair_ratios},
                notes=f"median toolbox {median(cold):.0f} ms over median bare {bare_med:.0f} ms "
                      f"(alternated, {runs} each; per-pair ratios {pair_ratios}); all {expected_answers()} answered at "
                      f"DOMContentLoaded; Python ran in: {', '.join(threads)}, started from: {', '.join(sources)}. "
                      f"Where the time goes (medians): "
                      f"the runtime's start (the worker's first line, or the page's pyodide.js request) at "
                      f"{median(rt_cold):.0f} ms in the toolbox page vs {median(rt_bare):.0f} ms (pyodide.js) in the bare page; "
                      f"from there to Python ready {median(init_cold):.0f} ms vs {median(init_bare):.0f} ms; "
                      f"ready to chart {median([d['chart'] - d['ready'] for d in timings['cold']]):.0f} ms{step_note}",
                extra={"runtime_start_ms": {"toolbox": rt_cold, "bare": rt_bare},
                       "start_to_ready_ms": {"toolbox": init_cold, "bare": init_bare},
                       "worker_steps_ms": steps})
    figures.add("offline_ratio", "first chart, offline file:// / bare page over http", median(offline) / bare_med, "x",
                1.25, fmt="{:.2f}", samples={"offline_ms": offline},
                notes=f"median offline {median(offline):.0f} ms over median bare {bare_med:.0f} ms: {offline}")
    figures.add("plain_ratio", "first chart, cold, snapshot refused (plain start) / bare page", median(plain) / bare_med,
                "x", None, fmt="{:.2f}", samples={"plain_ms": plain},
                notes=f"the fallback path: python-snapshot.bin answered 404, so the worker starts Python and imports "
                      f"the engine itself (started from: {', '.join(plain_sources)}); median {median(plain):.0f} ms: {plain}")
    figures.add("warm_ratio", "first chart, second visit (warm cache) / cold bare page", median(warm) / bare_med, "x",
                None, fmt="{:.2f}", samples={"warm_ms": warm},
                notes=f"median second visit {median(warm):.0f} ms (same context, HTTP cache warm): {warm}")

    totals = [round(r["total"], 2) for r in rescore]
    score_ms = [r["score_ms"] for r in rescore]
    figures.add("rescore_p95_ms", "rescore after one changed answer, p95 of 50", p95(totals), "ms", 50.0, fmt="{:.1f}",
                samples=totals,
                notes=f"change event -> data-score-ms set (readForm, autosave, evaluate, render); median "
                      f"{median(totals):.1f} ms, max {max(totals):.1f} ms; the page's own data-score-ms p95 "
                      f"{p95(score_ms):.0f} ms")

    longest = [longest_task_until(d, d["ready"]) for d in timings["cold"]]
    if any(v is None for v in longest):
        figures.error("longtask_ms", "longest main-thread task while Pyodide starts", "ms", 100.0, "{:.0f}",
                      "this Chromium reports no 'longtask' entries")
    else:
        figures.add("longtask_ms", "longest main-thread task while Pyodide starts", median(longest), "ms", 100.0,
                    samples=[round(v) for v in longest],
                    notes=f"PerformanceObserver 'longtask' (buffered), navigation to status ready; median of "
                          f"{runs} cold runs of the per-run maximum {[round(v) for v in longest]}, worst "
                          f"{max(longest):.0f} ms; offline (file://) median "
                          f"{median([longest_task_until(d, d['ready']) for d in timings['offline']]):.0f} ms; "
                          f"the snapshot refused: "
                          f"{median([longest_task_until(d, d['ready']) for d in timings['plain']]):.0f} ms; "
                          f"the bare loadPyodide() page itself: median "
                          f"{median([longest_task_until(d, d['done']) for d in timings['bare']]):.0f} ms")

    after_start = [longest_after(d, d["runtime_start"] or 0, d["ready"]) for d in timings["cold"]]
    if not any(v is None for v in after_start):
        figures.add("longtask_after_start_ms", "longest task begun after Python's start (worker's first line)",
                    median(after_start), "ms", None, samples=[round(v) for v in after_start],
                    notes="the same long tasks, counting only those that began between the worker's first line "
                          "and status ready (0 = none of 50 ms or more); the row above counts from navigation, "
                          "so it includes the page's own start-up (its first layout, Material's script)")

    content_total = sum(content.values())
    before_total = sum(before.values())
    runtime_total = sum(runtime.values())
    nocomp = "encoded bytes as sent by scripts/static_server.py (gzip for text and wasm, as real hosts do)"
    figures.add("bytes_content_kb", "bytes over the wire: content page", content_total / KB, "KB", 300.0,
                notes=f"{CONTENT_PAGE}, {len(content)} requests until load + network idle; {nocomp}; "
                      f"gzip level 6 of the files gives {gzip_estimate(site_root, base_url, content) / KB:.0f} KB; 1 KB = 1000 bytes",
                samples={short(u, base_url): s for u, s in content.items()})
    figures.add("bytes_questionnaire_kb", "bytes over the wire: questionnaire page before Pyodide",
                before_total / KB, "KB", 400.0,
                notes=f"{QUESTIONNAIRE}, {len(before)} requests, everything except assets/pyodide/ and engine.js; "
                      f"{nocomp}",
                samples={short(u, base_url): s for u, s in before.items()})
    snapshot_bytes = sum(v for u, v in runtime.items() if u.endswith("/python-snapshot.bin"))
    figures.add("bytes_pyodide_kb", "bytes over the wire: Pyodide payload (+ engine, snapshot)", runtime_total / KB,
                "KB", None,
                notes=f"{len(runtime)} requests under assets/pyodide/ plus engine.js and python-snapshot.bin "
                      f"({snapshot_bytes / KB:.0f} KB of it, stored gzip-compressed); {nocomp}",
                samples={short(u, base_url): s for u, s in runtime.items()})


if __name__ == "__main__":
    sys.exit(main())
