"""What the browser needs to run the engine: the vendored Pyodide, ``engine.js``, the snapshot.

- ``vendor``: Pyodide from ``node_modules/pyodide`` (never from a CDN) under
  ``assets/pyodide/v<version>/``, plus the classic-script payloads that let it start from
  ``file://`` and the iframe-worker shim (Material's offline search). Cached by the hash of
  those npm files and of this module.
- ``engine_bundle``: the engine's Python files that the browser imports (``toolbox.browser`` and
  what it imports, found in the sources; plus the engine's data files) as one classic script.
- ``snapshot``: Python's memory with the engine imported, made with Node
  (``scripts/python_snapshot.mjs``), restored once under Node to score a sample that must match
  CPython (``scripts/snapshot_check.mjs``). Cached by the hash of the runtime, ``engine.js``
  and both scripts: made and proven once per change of those.
"""

from __future__ import annotations

import ast
import base64
import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolbox import __version__, browser, definitions, resultfile, scoring

from . import BuildError, cache

PYODIDE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
ONLINE_ONLY = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
SHIM = Path("assets/vendor/iframe-worker/shim.js")
ENGINE = Path("assets/toolbox/engine.js")
SNAPSHOT = Path("assets/toolbox/python-snapshot.bin")
OFFLINE_SNAPSHOT = Path("assets/toolbox/offline-snapshot.js")  # the same bytes for file://
SNAPSHOT_SAMPLE = "sustainability"  # the questionnaire whose scores prove the restored snapshot
ENGINE_ENTRY = ("__init__", "browser")  # what runtime.js and the worker import


def pyodide_version(node_modules: Path) -> str:
    return json.loads((Path(node_modules) / "pyodide" / "package.json").read_text(encoding="utf-8"))["version"]


def runtime_path(node_modules: Path) -> Path:
    """Where the runtime sits inside the site (the version in the folder name)."""
    return Path("assets") / "pyodide" / f"v{pyodide_version(node_modules)}"


def classic_factory_script(source: str) -> str:
    """Rewrite pyodide.asm.mjs (an ES module) into a classic script that sets a global factory."""
    export = "export default _createPyodideModule"
    if source.count(export) != 1:
        raise BuildError(f"build: pyodide.asm.mjs no longer has exactly one '{export}'")
    if "import.meta.url" not in source:
        raise BuildError("build: pyodide.asm.mjs no longer uses import.meta.url as expected")
    body = source.replace(export, "globalThis.__memorePyodideFactory = _createPyodideModule")
    body = body.replace("import.meta.url", "__memoreScriptUrl")
    if "import.meta" in body:
        raise BuildError("build: pyodide.asm.mjs has other import.meta uses left")
    return (
        "/* Pyodide's module factory as a classic script (for file://), made by memore_site/runtime.py. */\n"
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


def _vendor_into(out: Path, node_modules: Path) -> None:
    source = node_modules / "pyodide"
    target = out / runtime_path(node_modules)
    offline = target / "offline"
    offline.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(source / name, target / name)
    (offline / "pyodide-asm.js").write_text(
        classic_factory_script((source / "pyodide.asm.mjs").read_text(encoding="utf-8")), encoding="utf-8")
    lock = json.loads((source / "pyodide-lock.json").read_text(encoding="utf-8"))
    (offline / "pyodide-lock.js").write_text(
        "window.__memorePyodidePayload = window.__memorePyodidePayload || {};\n"
        f'window.__memorePyodidePayload["pyodide-lock.json"] = {json.dumps(lock, separators=(",", ":"))};\n',
        encoding="utf-8")
    (offline / "pyodide-wasm.js").write_text(
        payload_script("pyodide.asm.wasm", (source / "pyodide.asm.wasm").read_bytes()), encoding="ascii")
    (offline / "pyodide-stdlib.js").write_text(
        payload_script("python_stdlib.zip", (source / "python_stdlib.zip").read_bytes()), encoding="ascii")
    shim = out / SHIM
    shim.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(node_modules / "iframe-worker" / "shim" / "index.js", shim)


def runtime_key(node_modules: Path) -> str:
    node_modules = Path(node_modules)
    inputs = [node_modules / "pyodide" / name for name in PYODIDE_FILES]
    return cache.digest(pyodide_version(node_modules), *inputs, node_modules / "iframe-worker" / "shim" / "index.js",
                        Path(__file__))


def vendor(site: Path, node_modules: Path, cache_dir: Path) -> bool:
    """Put the runtime into ``site``; True when it had to be made (not from the cache)."""
    folder, made = cache.entry(cache_dir, "runtime", runtime_key(node_modules),
                               lambda out: _vendor_into(out, Path(node_modules)))
    cache.install(folder, site)
    return made


def browser_modules(package: Path) -> list[str]:
    """The engine's modules the browser imports: ``ENGINE_ENTRY`` and, found in their sources,
    every module of the package they import (at any depth, function-level imports included)."""
    package = Path(package)
    seen, todo = set(), list(ENGINE_ENTRY)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            found = []
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module:
                    found.append(node.module.split(".")[0])
                elif node.level == 1:
                    found.extend(alias.name for alias in node.names)
                elif node.module and node.module.split(".")[0] == package.name:
                    parts = node.module.split(".")
                    found.extend([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == package.name and len(parts) > 1:
                        found.append(parts[1])
            todo.extend(m for m in found if (package / f"{m}.py").exists())
    return sorted(seen)


def engine_files(package: Path) -> dict[str, str]:
    """{path: text} of what ``engine.js`` carries: the browser's modules and the engine's data."""
    package = Path(package)
    files = {}
    for name in browser_modules(package):
        files[f"{package.name}/{name}.py"] = (package / f"{name}.py").read_text(encoding="utf-8")
    for path in sorted((package / "data").glob("*.json")):
        files[f"{package.name}/data/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def engine_bundle(site: Path, package: Path, node_modules: Path) -> str:
    """Write ``engine.js``; returns its text."""
    files = engine_files(package)
    version = pyodide_version(node_modules)
    # The build id ties the Python memory snapshot to these exact files (see runtime.js).
    digest = hashlib.sha256(json.dumps([__version__, version, files], sort_keys=True).encode())
    bundle = {"version": __version__, "pyodide": version, "build": digest.hexdigest()[:16], "files": files}
    text = ("/* The toolbox engine's Python files that the browser imports, for Pyodide "
            "(made by memore_site/runtime.py). */\n"
            f"self.__memoreEngine = {json.dumps(bundle, ensure_ascii=True, separators=(',', ':'))};\n")
    target = Path(site) / ENGINE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return text


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if not found:
        raise BuildError("build: Node.js is needed to make the Python snapshot (it comes with npm)")
    return found


def _sample(definition: dict) -> tuple[str, str, dict]:
    local = json.dumps(definitions.localise(definition, "en"))
    statements = [s for theme in json.loads(local)["themes"] for s in theme["statements"]]
    # Every kind of answer, "na" included: each statement cycles through the answers it accepts.
    state = json.dumps({"answers": {s["id"]: scoring.accepted_values(s)[i % len(scoring.accepted_values(s))]
                                    for i, s in enumerate(statements)}})
    return local, state, json.loads(browser.evaluate(local, state, "en"))


def check_snapshot(runtime: Path, engine: Path, snapshot: Path, scripts: Path, definition: dict) -> str:
    """Restore the snapshot once under Node as the browser does and score a sample with it; stop
    the build with one clear line when that fails or scores differently from CPython. (The
    browser would fall back to the plain start on every visit, slower and silently.)"""
    local, state, expected = _sample(definition)
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.json"
        sample.write_text(json.dumps({"definition": local, "state": state, "lang": "en"}), encoding="utf-8")
        try:
            done = subprocess.run(
                [node(), str(Path(scripts) / "snapshot_check.mjs"), str(runtime), str(engine), str(snapshot),
                 str(sample)], capture_output=True, text=True, timeout=600,
            )
        except subprocess.TimeoutExpired:
            raise BuildError("build: the Python snapshot does not work: restoring it took more than 10 minutes") from None
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise BuildError(f"build: the Python snapshot does not work: {why}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["evaluate"] != expected:
        raise BuildError("build: the Python snapshot does not work: it scores the sample differently from the "
                         f"engine under CPython (overall {report['evaluate'].get('overall')} instead of "
                         f"{expected['overall']})")
    return f"snapshot restored and checked ({report['memory'] / 1e6:.1f} MB of memory)"


def _snapshot_into(out: Path, site: Path, node_modules: Path, scripts: Path, definition: dict) -> None:
    runtime = Path(site) / runtime_path(node_modules)
    snapshot = out / SNAPSHOT
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([node(), str(Path(scripts) / "python_snapshot.mjs"), str(runtime), str(Path(site) / ENGINE),
                           str(snapshot)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"build: the Python snapshot failed:\n{done.stdout}{done.stderr}")
    check_snapshot(runtime, Path(site) / ENGINE, snapshot, scripts, definition)
    (out / OFFLINE_SNAPSHOT).write_text(payload_script("python-snapshot.bin", snapshot.read_bytes(), packed=True),
                                        encoding="ascii")


def snapshot(site: Path, node_modules: Path, scripts: Path, cache_dir: Path, engine_text: str,
             definition: dict) -> bool:
    """Put the proven snapshot into ``site`` (after ``vendor`` and ``engine_bundle``); True when
    it had to be made and proven now, False when it came from the cache."""
    scripts = Path(scripts)
    # The sample only proves the snapshot; an edited questionnaire does not change the snapshot.
    # runtime.js: snapshot_check.mjs proves the snapshot with the page's own unpacking (expandSnapshot).
    key = cache.digest(runtime_key(node_modules), engine_text, scripts / "python_snapshot.mjs",
                       scripts / "snapshot_check.mjs", scripts.parent / "overrides" / "assets" / "toolbox" / "runtime.js")
    folder, made = cache.entry(cache_dir, "snapshot", key,
                               lambda out: _snapshot_into(out, site, Path(node_modules), scripts, definition))
    cache.install(folder, site)
    return made


def publish_schema(site: Path) -> None:
    target = Path(site) / "schema" / f"result-v{resultfile.FORMAT_VERSION}.schema.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(resultfile.json_schema(), indent=2, ensure_ascii=False), encoding="utf-8")
