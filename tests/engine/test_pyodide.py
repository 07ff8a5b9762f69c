"""The engine's tests again, under Pyodide's own Python in Node: the interpreter visitors run.

``pyodide/run_pytest.mjs`` starts the vendored runtime (node_modules/pyodide, nothing downloaded)
and runs pytest on this folder with the pinned pytest from this environment. Two kinds of test
cannot run there and are reported as skipped with their reason: the ones that start a process
(the command line), the hypothesis property tests (compiled extension; see
``pyodide/hypothesis.py``) and the JSON Schema checks with jsonschema (compiled dependency). All
other engine tests must pass.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNNER = HERE / "pyodide" / "run_pytest.mjs"
LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
NO_PROCESSES = "Pyodide cannot start processes; this command-line test runs under CPython"
NO_JSONSCHEMA = "jsonschema needs its compiled dependency rpds, which is not built for Pyodide; this test runs under CPython"
NO_HYPOTHESIS = "hypothesis needs its compiled extension, which is not built for Pyodide; this property test runs under CPython"


def test_engine_tests_pass_under_pyodides_python():
    node = shutil.which("node")
    assert node, "Node.js is needed (scripts/test checks for it)"
    site_packages = sysconfig.get_paths()["purelib"]
    run = subprocess.run(
        [node, str(RUNNER), str(ROOT), site_packages, "/repo/tests/engine", "-q",
         f"--ignore=/repo/tests/engine/{Path(__file__).name}"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])
    out = json.loads(run.stdout.strip().splitlines()[-1])
    # The interpreter is the one the site ships, not the host's.
    assert out["platform"] == "emscripten"
    assert out["python"] == json.loads(LOCK.read_text(encoding="utf-8"))["info"]["python"]
    assert out["failed"] == [] and out["exit"] == 0, run.stdout[-3000:]
    counts = out["counts"]
    assert counts["passed"] > 0
    assert counts["passed"] + counts.get("skipped", 0) == counts["collected"], counts
    assert set(out["skip_reasons"]) <= {NO_PROCESSES, NO_HYPOTHESIS, NO_JSONSCHEMA}, out["skip_reasons"]
    # Exactly the property tests are skipped for hypothesis, no other test.
    given = sum(len(re.findall(r"^@given\(", p.read_text(encoding="utf-8"), re.M)) for p in HERE.glob("test_*.py"))
    assert out["skip_reasons"].get(NO_HYPOTHESIS, 0) == given, "property tests are counted by their '@given(' lines"
