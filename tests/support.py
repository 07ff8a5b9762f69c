"""Constants shared by the site and browser tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
DIST = ROOT / "dist"
CHROMIUM = os.environ.get("MEMORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
QUESTIONNAIRES = ("sustainability", "programme-quality", "nec-readiness", "integration-network")

for extra in (ROOT, ROOT / "scripts"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

# Every test that covers languages follows the engine's one list (toolbox.messages.LANGUAGES).
from toolbox.messages import LANGUAGES  # noqa: E402

LANGS = tuple(LANGUAGES)
