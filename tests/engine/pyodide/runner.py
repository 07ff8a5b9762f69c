"""Runs pytest on the engine's tests inside Pyodide (started by run_pytest.mjs).

What cannot run there is reported as skipped with its reason, never as passed:
- tests that start a process (the command line via ``python -m toolbox``): Pyodide has no
  processes, so ``subprocess`` skips the test the moment it is asked to start one;
- property tests with hypothesis (see hypothesis.py next to this file).
Everything else runs as under CPython. Prints one JSON line: the interpreter and the outcome.
"""

import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # never write __pycache__ into the host's folders
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # no plugins from the host's entry points
os.makedirs("/tmp/run", exist_ok=True)
os.chdir("/tmp/run")  # hypothesis' and pytest's working files land in memory, not in the repo

import pytest  # noqa: E402

NO_PROCESSES = "Pyodide cannot start processes; this command-line test runs under CPython"


class _NoProcess:
    def __init__(self, *args, **kwargs):
        pytest.skip(NO_PROCESSES)


subprocess.Popen = _NoProcess


class Outcome:
    """Counts per outcome, and the reasons of the skipped tests."""

    def __init__(self):
        self.counts = {}
        self.skip_reasons = {}
        self.failed = []

    def pytest_runtest_logreport(self, report):
        if report.when != "call" and report.outcome == "passed":
            return
        self.counts[report.outcome] = self.counts.get(report.outcome, 0) + 1
        if report.skipped:
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
            self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1
        elif report.failed:
            self.failed.append(report.nodeid)

    def pytest_collection_modifyitems(self, items):
        self.counts["collected"] = len(items)


def main(args):
    outcome = Outcome()
    code = pytest.main(["-p", "no:cacheprovider", "--rootdir=/repo", *args], plugins=[outcome])
    return json.dumps({
        "python": sys.version.split()[0], "platform": sys.platform, "exit": int(code),
        "counts": outcome.counts, "skip_reasons": outcome.skip_reasons, "failed": outcome.failed,
    })
