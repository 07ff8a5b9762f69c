"""Browser figures of ``scripts/bench``, in Debian's Chromium (Playwright for Python).

Every visit is in a fresh browser profile on disk (a persistent context: Chromium keeps no code
cache for the in-memory profiles of ordinary test contexts, and a returning visitor has one), over
``scripts/static_server.py`` serving a private copy of ``site/``. One round is, in this order and
with a pause of ``QUIET_S`` before each visit: the bare ``loadPyodide()`` page; the longest
questionnaire, cold, then 50 rescores in that page, then a second visit in the same profile (warm
HTTP and code caches); the offline edition from ``file://``; the questionnaire with the snapshot
refused; a plain content page; the floor page (``bench_pages/floor.html``: the toolbox's Python
worker alone, nothing else on the page) cold, and as a second visit after the questionnaire's cold
visit and its rescores. Each browser is given ``LAUNCHED_S`` after its launch before the
visit: Chromium's own start (its profile databases, the renderer of its address-bar pop-up) takes
a few hundred milliseconds of processor after the launch returns, and a visitor's browser has done
that long before they open a page. Ratios are taken within the run, medians over the rounds, and
the spread is that of the per-round ratios. ``measure(run)`` adds the rows (see bench.py).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from bench_report import KB, log, median, p95, spread
from runtime_version import pyodide_version

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
DIST = ROOT / "dist"
PAGES = Path(__file__).resolve().parent / "bench_pages"
CHROMIUM = os.environ.get("MEMORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CONTENT_PAGE = "models/mentoring-to-nec.html"
QUESTIONNAIRES = ("sustainability", "programme-quality", "nec-readiness", "integration-network")
TIMEOUT_MS = 180_000
QUIET_S = 1.0  # pause before each measured visit, so it never overlaps the previous one's teardown
LAUNCHED_S = 2.0  # pause after each browser launch, so the visit does not overlap Chromium's own start
RESCORES = 50

# Injected before any page script (not subject to the CSP). At DOMContentLoaded it answers every
# statement at once (one change event), and it records when the status turns ready and when the
# first chart's <svg> is in the DOM, plus every long task.
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
    const form = root.querySelector("[data-memore-form]");
    const groups = {};
    form.querySelectorAll('input[type="radio"]').forEach((input) => {
      if (input.name.indexOf("q-") === 0) (groups[input.name] = groups[input.name] || []).push(input);
    });
    let k = 0;
    Object.keys(groups).forEach((name) => { const opts = groups[name]; opts[(k++ * 3) % opts.length].checked = true; });
    form.dispatchEvent(new Event("change", { bubbles: true }));
    b.answered = performance.now();
    check();
  });
})();
"""

# 50 changes spread across the form: statement (i * 7) mod n, each time another of its answers.
# Timed from the change event to the page's data-score-ms (read form, autosave, evaluate, render).
RESCORE_SCRIPT = r"""
async (count) => {
  const root = document.querySelector("[data-memore-questionnaire]");
  const form = root.querySelector("[data-memore-form]");
  const groups = {};
  form.querySelectorAll('input[type="radio"][name^="q-"]').forEach((i) => (groups[i.name] = groups[i.name] || []).push(i));
  const names = Object.keys(groups);
  const out = [];
  for (let i = 0; i < count; i++) {
    const options = groups[names[(i * 7) % names.length]];
    const now = options.findIndex((o) => o.checked);
    const target = options[(now + 1 + (i % (options.length - 1))) % options.length];
    const done = new Promise((resolve) => {
      const watch = new MutationObserver(() => { watch.disconnect(); resolve(performance.now()); });
      watch.observe(root, { attributes: true, attributeFilter: ["data-score-ms"] });
    });
    const started = performance.now();
    target.checked = true;
    target.dispatchEvent(new Event("change", { bubbles: true }));
    const ended = await done;
    out.push(Math.round((ended - started) * 100) / 100);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return out;
}
"""

# Over http Python starts in a worker, whose requests are not in the page's resource timing; the
# worker reports when each of its steps ended (epoch ms). Here: ms since the page's navigation.
TOOLBOX_RUNTIME = """async () => {
  const engine = await window.MemoreToolbox.startPython();
  const steps = {};
  for (const [name, at] of Object.entries(engine.steps || {})) steps[name] = at - performance.timeOrigin;
  const entry = performance.getEntriesByType("resource").find((r) => /\\/pyodide\\.js$/.test(r.name.split("?")[0]));
  return { thread: engine.thread, source: engine.source, why: engine.why, steps,
           start: steps.worker !== undefined ? steps.worker : (entry ? entry.startTime : null) };
}"""


def quiet():
    time.sleep(QUIET_S)


def longest_questionnaire(site_root: Path) -> str:
    """The questionnaire page with the most HTML (the English one): the slowest form to parse."""
    pages = [f"toolbox/{q}.html" for q in QUESTIONNAIRES if (site_root / "toolbox" / f"{q}.html").is_file()]
    return max(pages, key=lambda p: (site_root / p).stat().st_size)


def snapshot_site(tmp: Path) -> Path:
    """A private copy of site/ (others may rebuild site/ meanwhile) plus the bare reference page and
    the floor page (the toolbox's worker alone)."""
    target = tmp / "site"
    shutil.copytree(SITE, target, symlinks=True)
    (target / "__bench").mkdir(exist_ok=True)
    for name in ("bare.html", "floor.html"):
        page = (PAGES / name).read_text(encoding="utf-8").replace("__PYODIDE_VERSION__", f"v{pyodide_version()}")
        (target / "__bench" / name).write_text(page, encoding="utf-8")
    return target


def unzip_offline(tmp: Path) -> Path:
    zips = sorted(DIST.glob("memore-toolbox-offline-*.zip"), key=lambda p: p.stat().st_mtime)
    if not zips:
        raise SystemExit("bench: no offline zip in dist/ (run scripts/build)")
    target = tmp / "usb"
    with zipfile.ZipFile(zips[-1]) as handle:
        handle.extractall(target)
    return next(p for p in target.iterdir() if p.is_dir())


class Profiles:
    """Fresh on-disk browser profiles, one per call of ``new``."""

    def __init__(self, playwright, tmp: Path):
        self.playwright = playwright
        self.root = Path(tempfile.mkdtemp(prefix="profiles-", dir=tmp))
        self.count = 0

    def new(self):
        self.count += 1
        context = self.playwright.chromium.launch_persistent_context(
            str(self.root / f"p{self.count}"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            locale="en-GB")
        context.add_init_script(INIT_SCRIPT)
        time.sleep(LAUNCHED_S)
        return context


def run_bare(context, url):
    """The bare loadPyodide() page, or the floor page: navigation -> done (both set __bench.done)."""
    page = context.new_page()
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => (window.__bench && window.__bench.done !== undefined) || window.__benchError",
                           timeout=TIMEOUT_MS)
    error = page.evaluate("() => window.__benchError || null")
    if error:
        raise RuntimeError(f"{url.rsplit('/', 1)[-1]}: {error}")
    data = page.evaluate("() => ({ done: window.__bench.done, longtasks: window.__bench.longtasks, "
                         "source: window.__bench.source || null, steps: window.__bench.steps || {} })")
    page.close()
    return data


def visit_toolbox(context, url, rescores=0):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__bench && window.__bench.chart !== null && window.__bench.ready !== null",
                           timeout=TIMEOUT_MS)
    data = page.evaluate("""() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const b = window.__bench;
      return { chart: b.chart, ready: b.ready, dcl: nav ? nav.domContentLoadedEventStart : b.dcl,
               longtasks: b.longtasks, answered_n: Object.keys(window.MemoreQuestionnaire.state().answers).length };
    }""")
    runtime = page.evaluate(TOOLBOX_RUNTIME)
    data.update(errors=errors, runtime_start=runtime["start"], thread=runtime["thread"], steps=runtime["steps"],
                source=runtime.get("source"), why=runtime.get("why"))
    if rescores:
        page.wait_for_timeout(500)  # the first chart's autosave and layout settle
        data["rescore"] = page.evaluate(RESCORE_SCRIPT, rescores)
    page.close()
    return data


def visit_content(context, url):
    page = context.new_page()
    page.goto(url, wait_until="load")
    dcl = page.evaluate("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart")
    page.close()
    return {"dcl": dcl}


def longest_task_until(data, until):
    tasks = data.get("longtasks")
    if tasks is None:
        return None
    durations = [d for start, d in tasks if start <= until]
    return max(durations) if durations else 0.0


def rounds(playwright, tmp, base_url, offline_root, questionnaire, runs, load):
    """``runs`` alternated rounds after one discarded warm-up round; -> {kind: [visit data]}."""
    profiles = Profiles(playwright, tmp)
    urls = {"bare": base_url + "__bench/bare.html", "floor": base_url + "__bench/floor.html",
            "toolbox": base_url + questionnaire,
            "offline": (offline_root / questionnaire).as_uri(), "content": base_url + CONTENT_PAGE}

    def once(kind, visit):
        quiet()
        context = profiles.new()
        try:
            if kind == "plain":
                context.route("**/assets/toolbox/python-snapshot.bin", lambda route: route.fulfill(status=404, body="no"))
            return visit(context)
        finally:
            context.close()

    def cold_then_warm(context):
        cold = visit_toolbox(context, urls["toolbox"], rescores=RESCORES)
        quiet()
        return cold, visit_toolbox(context, urls["toolbox"])

    def floor_returning(context):
        """The floor's second visit comes after the same first visit as the questionnaire's (the
        questionnaire, cold, and its rescores), so the caches it finds are the same."""
        visit_toolbox(context, urls["toolbox"], rescores=RESCORES)
        quiet()
        return run_bare(context, urls["floor"])

    out = {k: [] for k in ("bare", "cold", "warm", "offline", "plain", "content", "floor_cold", "floor_warm")}
    for i in range(runs + 1):
        label = "warm-up round (discarded)" if i == 0 else f"round {i}/{runs}"
        load.sample(label)
        log(f"browser: {label}: bare, questionnaire cold + 50 rescores + second visit, file://, "
            "snapshot refused, content page, floor page cold, questionnaire cold then floor page")
        got = {
            "bare": once("bare", lambda c: run_bare(c, urls["bare"])),
            "both": once("toolbox", cold_then_warm),
            "offline": once("offline", lambda c: visit_toolbox(c, urls["offline"])),
            "plain": once("plain", lambda c: visit_toolbox(c, urls["toolbox"])),
            "content": once("content", lambda c: visit_content(c, urls["content"])),
            "floor_cold": once("floor", lambda c: run_bare(c, urls["floor"])),
            "floor_warm": once("floor", floor_returning),
        }
        if i == 0:
            continue  # the OS file cache, Chromium's first-launch costs
        cold, warm = got.pop("both")
        out["cold"].append(cold)
        out["warm"].append(warm)
        for kind, data in got.items():
            out[kind].append(data)
    return out


class Wire:
    """Bytes over the wire per URL (encoded body plus headers), the page's and its workers'."""

    def __init__(self, page):
        self.finished = []
        page.on("requestfinished", lambda request: self.finished.append(request))

    def by_url(self):
        out = {}
        for request in self.finished:
            if not request.url.startswith(("http:", "https:")):
                continue
            sizes = request.sizes()
            out[request.url] = out.get(request.url, 0) + max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
        return out


def wire_bytes(browser, base_url, questionnaire):
    ctx = browser.new_context(locale="en-GB")
    page = ctx.new_page()
    wire = Wire(page)
    page.goto(base_url + CONTENT_PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    content = wire.by_url()
    ctx.close()
    ctx = browser.new_context(locale="en-GB")
    ctx.add_init_script(INIT_SCRIPT)
    page = ctx.new_page()
    wire = Wire(page)
    page.goto(base_url + questionnaire, wait_until="commit")
    page.wait_for_function("() => window.__bench && window.__bench.chart !== null", timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    questionnaire_bytes = wire.by_url()
    ctx.close()
    runtime, before = {}, {}
    for url, size in questionnaire_bytes.items():
        python = "/assets/pyodide/" in url or url.endswith(("/assets/toolbox/engine.js", "/assets/toolbox/python-snapshot.bin"))
        (runtime if python else before)[url] = size
    return content, before, runtime


def short(url, base_url):
    return url[len(base_url):] if url.startswith(base_url) else url


def measure(run):
    from playwright.sync_api import sync_playwright
    from static_server import serve_in_thread

    log("copying site/ and unpacking the offline zip")
    site_root = snapshot_site(run.tmp)
    offline_root = unzip_offline(run.tmp)
    questionnaire = longest_questionnaire(site_root)
    server, base_url = serve_in_thread(site_root)
    server.handle_error = lambda request, address: None  # a closed page may cut a response short
    try:
        with sync_playwright() as playwright:
            timings = rounds(playwright, run.tmp, base_url, offline_root, questionnaire, run.args.runs, run.load)
            log("browser: bytes over the wire")
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            run.facts["chromium"] = browser.version
            try:
                content, before, runtime = wire_bytes(browser, base_url, questionnaire)
            finally:
                browser.close()
    finally:
        server.shutdown()
    run.raw["browser"] = {"questionnaire": questionnaire, "timings": timings,
                          "bytes": {"content": {short(u, base_url): s for u, s in content.items()},
                                    "questionnaire_before_pyodide": {short(u, base_url): s for u, s in before.items()},
                                    "pyodide_payload": {short(u, base_url): s for u, s in runtime.items()}}}
    add_timing_figures(run.figures, timings, questionnaire, run.args.runs)
    add_byte_figures(run.figures, content, before, runtime, site_root, base_url, questionnaire)


def ratio_row(figures, key, label, kind, timings, budget, what, at="chart"):
    """median(kind) / median(bare), with the spread of the per-round ratios."""
    values = [round(d[at], 1) for d in timings[kind]]
    bare = [round(d["done"], 1) for d in timings["bare"]]
    pairs = [round(v / b, 3) for v, b in zip(values, bare, strict=False)]
    figures.add(key, label, median(values) / median(bare), "x", budget, fmt="{:.2f}", spread=spread(pairs),
                samples={f"{kind}_ms": values, "bare_ms": bare, "round_ratios": pairs},
                notes=f"{what}: median {median(values):.0f} ms over the bare page's {median(bare):.0f} ms; "
                      f"per round {values} vs {bare}")


def add_timing_figures(figures, timings, questionnaire, runs):
    for kind in ("cold", "warm", "offline", "plain"):
        for d in timings[kind]:
            if d["errors"]:
                log(f"page errors in a {kind} visit: {d['errors']}")
    cold = timings["cold"]

    def median_steps(visits):
        """The worker's steps (ms since navigation), each the median over the visits that had it."""
        return {name: median([d["steps"][name] for d in visits if name in d["steps"]])
                for name in ("worker", "imported", "responded", "compiled", "unpacked", "pyodide", "engine")
                if any(name in d["steps"] for d in visits)}

    steps = median_steps(cold)
    warm_steps = median_steps(timings["warm"])

    def step_text(found):
        return ", ".join(f"{k} {v:.0f}" for k, v in found.items())

    ratio_row(figures, "first_chart_ratio", "first chart, cold / cold bare loadPyodide() page", "cold", timings, 0.35,
              f"{questionnaire}, every statement answered at DOMContentLoaded, a fresh profile; Python ran in "
              f"{sorted({d['thread'] for d in cold})}, started from {sorted({d.get('source') or '?' for d in cold})}; "
              f"worker steps (ms since navigation, medians): {step_text(steps)}")
    ratio_row(figures, "warm_ratio", "first chart, second visit (warm HTTP and code cache) / cold bare page", "warm",
              timings, 0.20, f"the same profile after the cold visit and its 50 rescores; worker steps: "
                             f"{step_text(warm_steps)}")
    ratio_row(figures, "offline_ratio", "first chart, offline edition (file://) / cold bare page over http", "offline",
              timings, 0.45, "Python in the page, from the zip's classic scripts")
    ratio_row(figures, "plain_ratio", "first chart, snapshot refused (plain start) / cold bare page", "plain", timings,
              None, f"python-snapshot.bin answered 404, so Python starts and imports the engine itself (started from "
                    f"{sorted({d.get('source') or '?' for d in timings['plain']})})")

    floor_visits = {"floor_warm": ("second visit", "; the second visit after the questionnaire's cold visit and its "
                                                   "rescores in the same profile"),
                    "floor_cold": ("cold", "; a fresh profile")}
    for kind, (visit, after) in floor_visits.items():
        found = median_steps(timings[kind])
        ratio_row(figures, f"{kind}_ratio", f"floor: Python alone ready, {visit} / cold bare page", kind, timings, None,
                  f"__bench/floor.html: the toolbox's worker started first in the head of an otherwise empty page, "
                  f"navigation -> its ready message (no page to parse, no evaluation, no chart{after}; started from "
                  f"{sorted({d.get('source') or '?' for d in timings[kind]})}); worker steps: {step_text(found)}",
                  at="done")

    per_round = [p95(d["rescore"]) for d in cold if d.get("rescore")]
    every = [t for d in cold for t in d.get("rescore") or []]
    if per_round:
        figures.add("rescore_p95_ms", f"rescore after one changed answer, p95 of {RESCORES} per round",
                    median(per_round), "ms", 15.0, fmt="{:.1f}", spread=spread(per_round), samples=per_round,
                    notes=f"change event -> data-score-ms set (read form, autosave, evaluate, render), {RESCORES} "
                          f"changes spread across the form, from 0.5 s after the first chart; median of the rounds' "
                          f"p95; all {len(every)} changes: median {median(every):.1f} ms, p95 {p95(every):.1f} ms, "
                          f"max {max(every):.1f} ms")

    q_dcl = [round(d["dcl"], 1) for d in cold]
    c_dcl = [round(d["dcl"], 1) for d in timings["content"]]
    pairs = [round(q / c, 3) for q, c in zip(q_dcl, c_dcl, strict=False)]
    figures.add("dcl_ratio", "form usable: DOMContentLoaded, longest questionnaire / content page", median(q_dcl) / median(c_dcl),
                "x", 1.25, fmt="{:.2f}", spread=spread(pairs), samples={"questionnaire_ms": q_dcl, "content_ms": c_dcl},
                notes=f"{questionnaire} vs {CONTENT_PAGE}, cold, fresh profiles, alternated; per round {pairs}")
    figures.add("dcl_ms", "form usable: DOMContentLoaded of the longest questionnaire, cold", median(q_dcl), "ms", None,
                spread=spread(q_dcl), samples=q_dcl, notes=f"the content page: median {median(c_dcl):.0f} ms {c_dcl}")

    longest = [longest_task_until(d, d["ready"]) for d in cold]
    if any(v is None for v in longest):
        figures.error("longtask_ms", "longest main-thread task while Pyodide starts", "ms", 100.0, "{:.0f}",
                      "this Chromium reports no 'longtask' entries")
    else:
        others = {kind: median([longest_task_until(d, d["ready"]) for d in timings[kind]]) for kind in ("warm", "offline", "plain")}
        bare = median([longest_task_until(d, d["done"]) for d in timings["bare"]])
        figures.add("longtask_ms", "longest main-thread task while Pyodide starts (cold)", median(longest), "ms", 100.0,
                    spread=spread(longest), samples=[round(v) for v in longest],
                    notes="PerformanceObserver 'longtask', navigation to status ready, per-visit maximum; medians "
                          f"elsewhere: second visit {others['warm']:.0f} ms, file:// {others['offline']:.0f} ms, "
                          f"snapshot refused {others['plain']:.0f} ms, the bare loadPyodide() page {bare:.0f} ms")


def gzip_estimate(site_root: Path, base_url: str, urls) -> int:
    total = 0
    for url in urls:
        if not url.startswith(base_url):
            continue
        path = site_root / url[len(base_url):].split("?")[0].split("#")[0]
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), compresslevel=6))
    return total


def add_byte_figures(figures, content, before, runtime, site_root, base_url, questionnaire):
    nocomp = "encoded bytes as sent by scripts/static_server.py (gzip for text and wasm, as real hosts do)"
    figures.add("bytes_content_kb", "bytes over the wire: content page", sum(content.values()) / KB, "KB", 300.0,
                notes=f"{CONTENT_PAGE}, {len(content)} requests until load + network idle; {nocomp}; gzip -6 of the "
                      f"files: {gzip_estimate(site_root, base_url, content) / KB:.0f} KB; 1 KB = 1000 bytes",
                samples={short(u, base_url): s for u, s in content.items()})
    figures.add("bytes_questionnaire_kb", "bytes over the wire: questionnaire page before Pyodide",
                sum(before.values()) / KB, "KB", 400.0,
                notes=f"{questionnaire}, {len(before)} requests, all but assets/pyodide/, engine.js and the snapshot; {nocomp}",
                samples={short(u, base_url): s for u, s in before.items()})
    snapshot = sum(v for u, v in runtime.items() if u.endswith("/python-snapshot.bin"))
    figures.add("bytes_pyodide_kb", "bytes over the wire: Pyodide payload (+ engine, snapshot)",
                sum(runtime.values()) / KB, "KB", None,
                notes=f"{len(runtime)} requests; the snapshot {snapshot / KB:.0f} KB of it (stored gzip-compressed); {nocomp}",
                samples={short(u, base_url): s for u, s in runtime.items()})


if __name__ == "__main__":
    print(json.dumps({"longest questionnaire": longest_questionnaire(SITE)}))
