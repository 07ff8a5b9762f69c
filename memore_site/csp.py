"""Content-Security-Policy for every built page, as a meta tag with hashes of its inline scripts.

Nothing from other origins; no inline script unless its hash is listed; ``'wasm-unsafe-eval'``
only on pages that start Python; ``object-src 'none'``, ``base-uri 'none'``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
PYTHON_PAGE = re.compile(r"data-memore-(smoke|questionnaire)")
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


class CspError(Exception):
    """A policy that cannot be made right (the build stops: a page would break, not just warn)."""


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


def _function_source(source: str, name: str) -> str:
    """The exact text of ``function name(...){...}`` in a minified file (brace matching)."""
    start = source.find(f"function {name}(")
    if start < 0:
        raise CspError(f"the iframe-worker shim has no function {name}, which its search bootstrap uses")
    depth = 0
    for index in range(source.index("{", start), len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return source[start:index + 1]
    raise CspError(f"the iframe-worker shim's function {name} has unbalanced braces")


def iframe_worker_hash(html: str, shim_source: str) -> str | None:
    """Hash of the inline script that the iframe-worker shim writes into its frame on this page.

    Material's search runs in a Worker; from file:// the vendored shim runs it in a hidden
    same-origin frame whose bootstrap is an inline script built from the shim's own functions
    and the page's search-worker URL. The frame inherits the page's policy, so it is hashed here.
    ``None`` for a page without search; ``CspError`` when the shim's bootstrap is not where it was
    (a changed shim): search from file:// would be blocked, so the build must not go on.
    """
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    worker = json.loads(config.group(1)).get("search") if config else None
    if not worker:
        return None
    template = re.search(r"<script>(postMessage=\$\{\w+\};.*?)<\\/script>", shim_source)
    if not template:
        raise CspError("the search bootstrap was not found in the iframe-worker shim (a new version?): "
                       "without its hash, search from file:// would be blocked")
    body = template.group(1)
    worker_variable = _worker_variable(body)
    for name in set(re.findall(r"\$\{(\w+)\}", body)):
        value = worker if name == worker_variable else _function_source(shim_source, name)
        body = body.replace("${" + name + "}", value)
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _worker_variable(body: str) -> str:
    """The template variable that stands for the worker URL (the one inside ``filename:"..."``)."""
    found = re.search(r'filename:"\$\{(\w+)\}"', body)
    if not found:
        raise CspError("the iframe-worker shim's search bootstrap no longer names the worker's URL where expected")
    return found.group(1)


def policy_for(html: str, extra_hashes: tuple[str, ...] = (), *, allow_inline: bool = False) -> str:
    """The page's policy. ``allow_inline`` (``mkdocs serve`` only): inline scripts by
    ``'unsafe-inline'`` instead of by hash, because the live-reload script MkDocs injects into
    every page it serves changes on every request; the rest of the policy is the same."""
    script = ["'self'", "'unsafe-inline'"] if allow_inline else ["'self'", *script_hashes(html), *extra_hashes]
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


def apply(html: str, shim_source: str | None = None, *, allow_inline: bool = False) -> str:
    """The page with a CSP meta tag as the first element of <head> (``shim_source``: the
    iframe-worker shim's text, whose search bootstrap is hashed; ``None``: no offline search)."""
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    worker = iframe_worker_hash(html, shim_source) if shim_source is not None else None
    policy = policy_for(html, (worker,) if worker else (), allow_inline=allow_inline)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return re.sub(r"<head>", "<head>\n    " + tag, html, count=1)


def apply_to_site(site: Path, shim: Path | None = None) -> int:
    """Add the policy to every page of a built site; returns the number of pages."""
    if shim is not None and not shim.exists():
        raise CspError(f"the iframe-worker shim is missing ({shim}): its search bootstrap cannot be hashed")
    shim_source = shim.read_text(encoding="utf-8") if shim else None
    pages = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(apply(text, shim_source), encoding="utf-8")
        pages += 1
    return pages
