"""Shared fixtures: the built site, a local server, the offline edition and Debian's Chromium."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import CHROMIUM, CHROMIUM_ARGS, DIST, ROOT, SITE


def pytest_collection_modifyitems(config, items):
    """Mark every test by its folder (engine, site, browser), the Firefox ones also ``firefox``
    and the run under Pyodide's Python ``slow``, so ``-m`` selects the fast loop (scripts/check)."""
    for item in items:
        folder = Path(str(item.path)).resolve().relative_to(ROOT / "tests").parts[0]
        if folder in ("engine", "site", "browser"):
            item.add_marker(folder)
        if "firefox" in item.name or "firefox" in item.path.name:
            item.add_marker("firefox")
        if item.path.name == "test_pyodide.py":
            item.add_marker("slow")


def _ensure_built() -> None:
    zips = list(DIST.glob("memore-toolbox-offline-*.zip"))
    if not (SITE / "index.html").exists() or not zips:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "site_build.py")], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    _ensure_built()
    return SITE


@pytest.fixture(scope="session")
def offline_zip(site_dir) -> Path:
    zips = sorted(DIST.glob("memore-toolbox-offline-*.zip"))
    assert zips, "the build made no offline zip"
    return zips[-1]


@pytest.fixture(scope="session")
def offline_dir(offline_zip, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("usb-stick")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(target)
    folders = [p for p in target.iterdir() if p.is_dir()]
    assert len(folders) == 1, "the zip should hold one top-level folder"
    return folders[0]


@pytest.fixture(scope="session")
def base_url(site_dir):
    from static_server import serve_in_thread

    server, url = serve_in_thread(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package 'chromium' (scripts/test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


class PageWatch:
    """Records what a page did: requests, page errors, console errors, CSP violations."""

    def __init__(self, page, allowed_prefixes):
        self.page = page
        self.allowed = tuple(allowed_prefixes)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests
                if not url.startswith(self.allowed) and not url.startswith(("data:", "blob:", "about:"))]


@pytest.fixture
def context(browser):
    ctx = browser.new_context(accept_downloads=True, locale="en-GB")
    yield ctx
    ctx.close()


@pytest.fixture
def offline_page(context):
    """A page for file:// on which every http(s) request is recorded and refused, and CSP
    violations are recorded in window.__csp; -> (page, network, errors). Both lists must stay
    empty."""
    from qhelpers import CSP_LISTENER

    network = []

    def refuse(route):
        network.append(route.request.url)
        route.abort()

    context.route("http://**/*", refuse)
    context.route("https://**/*", refuse)
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, network, errors
    assert network == [], f"requests over the network from file://: {network}"
    assert errors == []


@pytest.fixture
def watched(context, base_url):
    """A fresh page whose requests and errors are recorded (only this server is allowed)."""
    page = context.new_page()
    return PageWatch(page, [base_url])
