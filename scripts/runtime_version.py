"""The pinned Pyodide version, read once from what npm installed (``node_modules/pyodide``).

The build vendors that runtime under ``assets/pyodide/v<version>/``, the templates name the version
for the browser glue, and the benchmark's bare page points at the same folder.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pyodide_version() -> str:
    package = ROOT / "node_modules" / "pyodide" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]
