"""deploy/nginx.conf stays in step with the pages' own policy (memore_site/csp.py); the notes exist."""

from __future__ import annotations

import re

from support import ROOT

from memore_site import csp

CONF = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def _map(name: str) -> dict[str, str]:
    """``{pattern: value}`` of one ``map $uri $name { ... }`` block of the shipped configuration."""
    block = re.search(r"map \$uri \$" + name + r" \{(.*?)\n\}", CONF, re.S).group(1)
    return dict(re.findall(r'^\s+(\S+)\s+"([^"]*)";', block, re.M))


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_the_page_header_is_the_meta_policy_without_hashes_plus_frame_ancestors():
    meta = _directives(csp.policy_for('<div data-memore-questionnaire></div><script>start()</script>'))
    assert any(source.startswith("'sha256-") for source in meta["script-src"])  # the page's own hashes
    header = _directives(_map("memore_csp")["default"])
    assert header.pop("frame-ancestors") == ["'self'"]
    script = header.pop("script-src")
    assert script == [*[s for s in meta.pop("script-src") if not s.startswith("'sha256-")][:1], "'unsafe-inline'", "'wasm-unsafe-eval'"]
    assert header == meta


def test_the_workers_get_their_own_policy():
    policies = _map("memore_csp")
    python = _directives(policies[r"~/assets/toolbox/python-worker\.mjs$"])
    assert python["script-src"] == ["'self'", "'wasm-unsafe-eval'"] and python["default-src"] == ["'self'"]
    search = _directives(policies["~/assets/javascripts/workers/"])
    assert search["script-src"] == ["'self'"]


def test_only_the_versioned_runtime_is_cached_for_long():
    cache = _map("memore_cache_control")
    assert cache == {"default": "no-cache", "~/assets/pyodide/v[0-9][^/]*/": "public, max-age=31536000, immutable"}
    # add_header only at server level: a location with one of its own would drop the others.
    server = CONF[CONF.index("server {"):]
    headers = [m.start() for m in re.finditer(r"^\s+add_header ", server, re.M)]
    assert len(headers) >= 8 and max(headers) < re.search(r"^\s+location ", server, re.M).start()


def test_the_hosting_notes_cover_github_pages_and_any_static_host():
    notes = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for words in ("GitHub Pages", "frame-ancestors", "application/wasm", "nginx.conf"):
        assert words in notes, words
