"""Build the MeMoRe Toolbox: questionnaires, the MkDocs site, the vendored runtime and the offline zip.

Steps (each fails loudly; the build stops on the first problem):
1. compile the questionnaire YAML files to JSON (checked against the definition schema);
2. ``mkdocs build --strict`` into ``site/`` (one tree that works over http and from file://);
3. vendor the Pyodide runtime from ``node_modules/pyodide`` (never from a CDN), plus the
   classic-script payloads that let it start from file://, and the iframe-worker polyfill;
4. bundle the engine's Python files as a classic script, snapshot Python's memory with the engine
   imported (Node, scripts/python_snapshot.mjs), restore that snapshot once under Node and score a
   sample with it (scripts/snapshot_check.mjs; the scores must equal CPython's), publish the result
   file's JSON Schema;
5. split the search index per language, load Material's script async with the patches of
   ``BUNDLE_PATCHES`` (start after DOMContentLoaded, mount in shorter tasks, no needless restyling),
   and add a Content-Security-Policy meta tag to every page, hashing its inline scripts and the
   offline search's iframe-worker bootstrap (the build stops when that bootstrap is not found);
6. zip the offline edition into ``dist/memore-toolbox-offline-<version>.zip``.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import toolbox  # noqa: E402
from toolbox import browser, definitions, messages, resultfile, scoring  # noqa: E402
import csp  # noqa: E402
import search_split  # noqa: E402
from runtime_version import pyodide_version  # noqa: E402

SITE = ROOT / "site"
DIST = ROOT / "dist"
NODE = ROOT / "node_modules"
QUESTIONNAIRES = ROOT / "toolbox" / "questionnaires"
PYODIDE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
SHIM = Path("assets/vendor/iframe-worker/shim.js")
ENGINE = Path("assets/toolbox/engine.js")
ONLINE_ONLY = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Engine files the browser never needs (build-time form rendering, command line).
ENGINE_SKIP = ("cli.py", "__main__.py", "formhtml.py")


def runtime_dir(site: Path) -> Path:
    return site / "assets" / "pyodide" / f"v{pyodide_version()}"


def compile_questionnaires() -> int:
    compiled = definitions.compile_all(QUESTIONNAIRES, QUESTIONNAIRES)
    return len(compiled)


def build_mkdocs(site: Path) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true")  # we pin MkDocs 1.6 on purpose
    subprocess.run(cmd, cwd=ROOT, check=True, env=env)


def classic_factory_script(source: str) -> str:
    """Rewrite pyodide.asm.mjs (an ES module) into a classic script that sets a global factory."""
    export = "export default _createPyodideModule"
    if source.count(export) != 1:
        raise SystemExit(f"build: pyodide.asm.mjs no longer has exactly one '{export}'")
    if "import.meta.url" not in source:
        raise SystemExit("build: pyodide.asm.mjs no longer uses import.meta.url as expected")
    body = source.replace(export, "globalThis.__memorePyodideFactory = _createPyodideModule")
    body = body.replace("import.meta.url", "__memoreScriptUrl")
    if "import.meta" in body:
        raise SystemExit("build: pyodide.asm.mjs has other import.meta uses left")
    return (
        "/* Pyodide's module factory as a classic script (for file://), made by scripts/site_build.py. */\n"
        "(async function () {\n"
        "var __memoreScriptUrl = document.currentScript ? document.currentScript.src : location.href;\n"
        + body
        + "\n})();\n"
    )


def payload_script(name: str, data: bytes, *, packed: bool = False) -> str:
    """A classic script that carries a file (gzip, base64) for the file:// edition."""
    encoded = base64.b64encode(data if packed else gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")
    return (
        "window.__memorePyodidePayload = window.__memorePyodidePayload || {};\n"
        f'window.__memorePyodidePayload["{name}"] = "{encoded}";\n'
    )


def vendor_runtime(site: Path) -> None:
    source = NODE / "pyodide"
    target = runtime_dir(site)
    offline = target / "offline"
    offline.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(source / name, target / name)
    (offline / "pyodide-asm.js").write_text(
        classic_factory_script((source / "pyodide.asm.mjs").read_text(encoding="utf-8")), encoding="utf-8"
    )
    lock = json.loads((source / "pyodide-lock.json").read_text(encoding="utf-8"))
    (offline / "pyodide-lock.js").write_text(
        "window.__memorePyodidePayload = window.__memorePyodidePayload || {};\n"
        f'window.__memorePyodidePayload["pyodide-lock.json"] = {json.dumps(lock, separators=(",", ":"))};\n',
        encoding="utf-8",
    )
    (offline / "pyodide-wasm.js").write_text(
        payload_script("pyodide.asm.wasm", (source / "pyodide.asm.wasm").read_bytes()), encoding="ascii"
    )
    (offline / "pyodide-stdlib.js").write_text(
        payload_script("python_stdlib.zip", (source / "python_stdlib.zip").read_bytes()), encoding="ascii"
    )
    shim = site / SHIM
    shim.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(NODE / "iframe-worker" / "shim" / "index.js", shim)


def engine_bundle(site: Path) -> None:
    files = {}
    package = ROOT / "toolbox"
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if "__pycache__" in rel or path.is_dir():
            continue
        if path.suffix == ".py" and path.name not in ENGINE_SKIP:
            files[rel] = path.read_text(encoding="utf-8")
        elif path.parent.name == "data" and path.suffix == ".json":
            files[rel] = path.read_text(encoding="utf-8")
    # The build id ties the Python memory snapshot to these exact files (see runtime.js).
    digest = hashlib.sha256(json.dumps([toolbox.__version__, pyodide_version(), files], sort_keys=True).encode())
    bundle = {"version": toolbox.__version__, "pyodide": pyodide_version(), "build": digest.hexdigest()[:16],
              "files": files}
    target = site / ENGINE
    target.write_text(
        "/* The toolbox engine's Python files, for Pyodide (made by scripts/site_build.py). */\n"
        f"self.__memoreEngine = {json.dumps(bundle, ensure_ascii=True, separators=(',', ':'))};\n",
        encoding="utf-8",
    )


SNAPSHOT = Path("assets/toolbox/python-snapshot.bin")
OFFLINE_SNAPSHOT = Path("assets/toolbox/offline-snapshot.js")  # the same bytes for file://


def python_snapshot(site: Path) -> str:
    """Python's memory after importing the engine, made with Node from the vendored runtime; the
    online worker starts from it (scripts/python_snapshot.mjs says how and why)."""
    done = subprocess.run(
        [_node(), str(ROOT / "scripts" / "python_snapshot.mjs"), str(runtime_dir(site)),
         str(site / ENGINE), str(site / SNAPSHOT)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"build: the Python snapshot failed:\n{done.stdout}{done.stderr}")
    (site / OFFLINE_SNAPSHOT).write_text(
        payload_script("python-snapshot.bin", (site / SNAPSHOT).read_bytes(), packed=True), encoding="ascii"
    )
    return done.stdout.strip()


SNAPSHOT_SAMPLE = "sustainability"  # the questionnaire whose scores prove the restored snapshot


def _node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        raise SystemExit("build: Node.js is needed to make the Python snapshot (it comes with npm)")
    return node


def check_snapshot(runtime: Path, engine: Path, snapshot: Path) -> str:
    """Restore the snapshot once under Node as the browser does and score a sample with it; stop
    the build with one clear line when that fails or scores differently from CPython. (The
    browser would fall back to the plain start on every visit, slower and silently.)"""
    definition = json.dumps(definitions.localise(definitions.load_definition(SNAPSHOT_SAMPLE), "en"))
    statements = [s for theme in json.loads(definition)["themes"] for s in theme["statements"]]
    # Every kind of answer, "na" included: each statement cycles through the answers it accepts.
    state = json.dumps({"answers": {s["id"]: scoring.accepted_values(s)[i % len(scoring.accepted_values(s))]
                                    for i, s in enumerate(statements)}})
    expected = json.loads(browser.evaluate(definition, state, "en"))
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.json"
        sample.write_text(json.dumps({"definition": definition, "state": state, "lang": "en"}), encoding="utf-8")
        try:
            done = subprocess.run(
                [_node(), str(ROOT / "scripts" / "snapshot_check.mjs"), str(runtime), str(engine), str(snapshot),
                 str(sample)], capture_output=True, text=True, timeout=600,
            )
        except subprocess.TimeoutExpired:
            raise SystemExit("build: the Python snapshot does not work: restoring it took more than 10 minutes") from None
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise SystemExit(f"build: the Python snapshot does not work: {why}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["evaluate"] != expected:
        raise SystemExit("build: the Python snapshot does not work: it scores the sample differently from the "
                         f"engine under CPython (overall {report['evaluate'].get('overall')} instead of "
                         f"{expected['overall']})")
    return f"snapshot restored and checked ({report['memory'] / 1e6:.1f} MB of memory)"


def publish_schema(site: Path) -> None:
    target = site / "schema" / f"result-v{resultfile.FORMAT_VERSION}.schema.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(resultfile.json_schema(), indent=2, ensure_ascii=False), encoding="utf-8")


BUNDLE_TAG = re.compile(r'(<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js")></script>')
# Changes to Material's minified bundle, each (why, exact text, replacement). Material is pinned
# (requirements.lock); the build stops when a text is not there exactly once, so an upgrade that
# moves one of them is noticed instead of silently loading an unpatched theme.
BUNDLE_PATCHES = (
    # Its components wait for DOMContentLoaded and would wait for ever when the script runs after
    # that event (it is loaded async). When parsing is done, the document is now announced two
    # task turns later, after the control components' task (below): the content components mount
    # in a task of their own.
    ("mount after DOMContentLoaded, in a task of its own",
     'h(document,"DOMContentLoaded",{once:!0}).subscribe(()=>e.next(document))',
     'document.readyState==="loading"?document.addEventListener("DOMContentLoaded",'
     '()=>e.next(document),{once:!0}):setTimeout(()=>setTimeout(()=>e.next(document)))'),
    # The control components (palette, search, dialog...) were built inside the script's own
    # evaluation, and all components were subscribed there too: one task of 70-200 ms on 2 cores.
    # Built lazily and subscribed in a later task, the evaluation, the controls and the content
    # components (header, sidebars, table of contents) are three shorter tasks.
    ("control components built lazily",
     'Hs=L(...me("consent").map(e=>An(e,{target$:Ht})),...me("dialog").map(e=>ni(e,{alert$:fo})),'
     '...me("palette").map(e=>li(e)),...me("progress").map(e=>mi(e,{progress$:uo})),'
     '...me("search").map(e=>_i(e,{index$:zi,keyboard$:mo})),...me("source").map(e=>$i(e))),$s=H(',
     'Hs=H(()=>L(...me("consent").map(e=>An(e,{target$:Ht})),...me("dialog").map(e=>ni(e,{alert$:fo})),'
     '...me("palette").map(e=>li(e)),...me("progress").map(e=>mi(e,{progress$:uo})),'
     '...me("search").map(e=>_i(e,{index$:zi,keyboard$:mo})),...me("source").map(e=>$i(e)))),$s=H('),
    ("components subscribed in their own task", "Ki.subscribe();", "setTimeout(()=>Ki.subscribe());"),
    # The palette added a <meta name="color-scheme"> and then set its content: each a full style
    # recalculation of the page (Chromium treats it as a platform colour change), 30-50 ms on the
    # long form. It now takes the one the page already has (overrides/main.html, "light", what
    # the default scheme computes) and writes it only when the value changes.
    ("palette keeps the page's color-scheme meta",
     'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
     'let o=document.querySelector(\'meta[name="color-scheme"]\')'
     '||document.head.appendChild(x("meta",{name:"color-scheme"}));'),
    ("palette writes color-scheme only when it changes",
     'return o.content=a.colorScheme,',
     'return o.content!==a.colorScheme&&(o.content=a.colorScheme),'),
    # On every page load the palette marked the whole document as "switching colours" (a rule
    # that matches every element) although nothing changed, then read the header's computed style:
    # a full style recalculation, twice. Now only when the colour scheme really changes.
    ("palette switch only on a real change",
     'i.subscribe(s=>{if(document.body.setAttribute("data-md-color-switching",""),',
     'i.subscribe(s=>{if(document.body.getAttribute("data-md-color-scheme")!==s.color.scheme'
     '&&document.body.setAttribute("data-md-color-switching",""),'),
)


def patch_theme_script(site: Path) -> int:
    """Load Material's bundle with ``async`` instead of as a blocking script at the end of the body
    (DOMContentLoaded, the form usable, no longer waits for its evaluation) and apply
    ``BUNDLE_PATCHES``. Its tag follows ``#__config``, so it never runs before the page's
    configuration is parsed. Returns the number of pages changed."""
    bundles = list((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise SystemExit(f"build: expected one Material bundle, found {len(bundles)}")
    code = bundles[0].read_text(encoding="utf-8")
    for why, old, new in BUNDLE_PATCHES:
        if code.count(old) != 1:
            raise SystemExit(f"build: Material's bundle changed ({why}: its text is not there once): "
                             "check BUNDLE_PATCHES in scripts/site_build.py")
        code = code.replace(old, new)
    bundles[0].write_text(code, encoding="utf-8")
    pages = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        changed, count = BUNDLE_TAG.subn(r"\1 async></script>", html)
        if count:
            page.write_text(changed, encoding="utf-8")
            pages += 1
    if not pages:
        raise SystemExit("build: Material's bundle script was not found in any page")
    return pages


def content_security_policy(site: Path) -> int:
    """The policy of every page (scripts/csp.py); one clear line and a stop when it cannot be right."""
    try:
        return csp.apply_to_site(site, site / SHIM)
    except csp.CspError as exc:
        raise SystemExit(f"build: the Content-Security-Policy cannot be made: {exc}") from None


def site_languages(config: Path = ROOT / "mkdocs.yml") -> list[tuple[str, str]]:
    """(locale, name) of every language the i18n plugin builds, default first: mkdocs.yml is the one list."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    plugin = next(p["i18n"] for p in data["plugins"] if isinstance(p, dict) and "i18n" in p)
    languages = [(lang["locale"], lang["name"]) for lang in plugin["languages"] if lang.get("build", True)]
    return sorted(languages, key=lambda item: item[0] != messages.DEFAULT_LANGUAGE)


def start_here_page(languages: list[tuple[str, str]]) -> str:
    """The offline copy's entry file: forwards to the default language and links every other one."""
    others = "".join(f' · <a href="{locale}/index.html" lang="{locale}">{name}</a>'
                     for locale, name in languages if locale != messages.DEFAULT_LANGUAGE)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=index.html">'
        "<title>MeMoRe Toolbox: start here</title></head><body>"
        f'<p><a href="index.html">Open the MeMoRe Toolbox</a>{others}</p>'
        "</body></html>\n"
    )


def offline_zip(site: Path, dist: Path) -> Path:
    version = toolbox.__version__
    folder = f"memore-toolbox-offline-{version}"
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{folder}.zip"
    skip = {runtime_dir(site) / name for name in ONLINE_ONLY} | {site / SNAPSHOT}  # file:// cannot fetch them
    start_here = start_here_page(site_languages())
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{folder}/START-HERE.html", start_here)
        for path in sorted(site.rglob("*")):
            if path.is_dir() or path in skip:
                continue
            archive.write(path, f"{folder}/{path.relative_to(site).as_posix()}")
    tmp.replace(target)
    # The online site offers the same zip under a stable name (offline-copy page).
    downloads = site / "downloads"
    downloads.mkdir(exist_ok=True)
    shutil.copy2(target, downloads / "memore-toolbox-offline.zip")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=SITE)
    parser.add_argument("--dist-dir", type=Path, default=DIST)
    parser.add_argument("--no-zip", action="store_true", help="skip the offline zip")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = compile_questionnaires()
    build_mkdocs(args.site_dir)
    vendor_runtime(args.site_dir)
    engine_bundle(args.site_dir)
    python_snapshot(args.site_dir)
    check_snapshot(runtime_dir(args.site_dir), args.site_dir / ENGINE, args.site_dir / SNAPSHOT)
    publish_schema(args.site_dir)
    patch_theme_script(args.site_dir)
    search_split.split(args.site_dir, messages.LANGUAGES, messages.DEFAULT_LANGUAGE)
    pages = content_security_policy(args.site_dir)
    line = f"build: {count} questionnaires, {pages} pages"
    if not args.no_zip:
        archive = offline_zip(args.site_dir, args.dist_dir)
        line += f", offline zip {archive.stat().st_size / 1e6:.1f} MB ({archive.relative_to(ROOT) if archive.is_relative_to(ROOT) else archive})"
    print(f"{line}, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
