"""Content-Security-Policy for every built page, as a meta tag with hashes of its inline scripts.

Nothing from other origins; no inline script unless its hash is listed; ``'wasm-unsafe-eval'``
only on pages that start Python; ``object-src 'none'``, ``base-uri 'none'``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
PYTHON_PAGE = re.compile(r"data-memore-(smoke|questionnaire)")
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def script_hashes(html: str) -> list[str]:
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if re.search(r"\bsrc\s*=", attrs):
            continue
        type_match = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs)
        if type_match and type_match.group(1).lower() in DATA_TYPES:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(set(hashes))


def policy_for(html: str, extra_hashes: tuple[str, ...] = ()) -> str:
    script = ["'self'", *script_hashes(html), *extra_hashes]
    if PYTHON_PAGE.search(html):
        script.append("'wasm-unsafe-eval'")
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(script),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def apply(html: str, extra_hashes: tuple[str, ...] = ()) -> str:
    """The page with a CSP meta tag as the first element of <head>."""
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html, extra_hashes)}">'
    return re.sub(r"<head>", "<head>\n    " + tag, html, count=1)


def apply_to_site(site: Path, extra_hashes: tuple[str, ...] = ()) -> int:
    pages = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(apply(text, extra_hashes), encoding="utf-8")
        pages += 1
    return pages
