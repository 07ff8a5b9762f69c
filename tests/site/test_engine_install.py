"""runtime.js installs the engine on a restored snapshot (under Node, as the browser does): from
the snapshot, the engine answers from memory and its files are written only once its first answer
is out; from a snapshot of another build, the files are written and imported first."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("engine_install_runner.mjs")
NODE = shutil.which("node") or "node"  # Node.js is required to build the site, so it is never skipped


def install(site_dir: Path, tmp_path: Path, which: str) -> dict:
    from memore_site import runtime
    from toolbox.definitions import load_definition

    definition, state, _expected = runtime._sample(load_definition(runtime.SNAPSHOT_SAMPLE))
    sample = tmp_path / "sample.json"
    sample.write_text(json.dumps({"definition": definition, "state": state, "lang": "en"}), encoding="utf-8")
    done = subprocess.run(
        [NODE, str(RUNNER), str(site_dir / runtime.runtime_path(ROOT / "node_modules")),
         str(ROOT / "overrides" / "assets" / "toolbox" / "runtime.js"), str(site_dir / runtime.ENGINE),
         str(site_dir / runtime.SNAPSHOT), str(sample), which],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_from_the_snapshot_the_engine_answers_before_its_files_are_written(site_dir, tmp_path):
    got = install(site_dir, tmp_path, "same")
    assert got == {"engineFrom": "snapshot", "before": False, "rightAfter": False, "later": True, "ok": True}


def test_from_another_builds_snapshot_the_files_come_first(site_dir, tmp_path):
    got = install(site_dir, tmp_path, "other")
    assert got == {"engineFrom": "files", "before": True, "rightAfter": True, "later": True, "ok": True}
