"""The built site served by Debian's nginx with the shipped deploy/nginx.conf: headers, and the main flow in Chromium.

nginx runs as an unprivileged process (the current user, or ``nobody`` when the tests run as
root, then from a copy of the site if the clone lies where others cannot read) on a free port of
127.0.0.1, with a temporary prefix; its configuration is the shipped file with only its three
lines marked ``HERE`` changed (address and site folder).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import qhelpers as q
from support import ROOT
from test_hardening import WATCH, use_questionnaire_and_search

SHIPPED = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MAIN = """# made by tests/browser/test_nginx.py around the shipped deploy/nginx.conf
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {prefix}/memore-toolbox.conf;
}}
"""


def render(text: str, port: int, site: Path) -> str:
    """The shipped server configuration for this test: its ``HERE`` lines point at 127.0.0.1:port and the site."""
    out, changed = [], 0
    for line in text.splitlines():
        if "# HERE" in line:
            changed += 1
            setting = line.split()[0:2]
            if setting == ["listen", "[::]:80;"]:
                continue  # the test machine may have no IPv6
            line = f"    listen 127.0.0.1:{port};" if setting[0] == "listen" else f'    root "{site}";'
        out.append(line)
    assert changed == 3, "deploy/nginx.conf should mark exactly three lines with '# HERE'"
    return "\n".join(out) + "\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _readable_by_others(site: Path) -> str | None:
    """The first folder or file on the way to the site that others cannot read (None: all fine)."""
    for folder in [*reversed(site.parents), site]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return str(folder)
    index = site / "index.html"
    return None if index.stat().st_mode & stat.S_IROTH else str(index)


@pytest.fixture(scope="module")
def nginx_url(site_dir):
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: install Debian's package 'nginx' (scripts/test does it as root)")
    # Not under pytest's own temporary folder: that one is private to this user (0700).
    prefix = Path(tempfile.mkdtemp(prefix="memore-nginx-"))
    for sub in ("logs", "temp"):
        (prefix / sub).mkdir()
    run_as, served = {}, site_dir
    if os.geteuid() == 0:
        # As root nginx would keep a root master process; run all of it as nobody instead. A
        # clone in a private folder (such as /root) is out of nobody's reach: serve a copy (58 MB).
        if _readable_by_others(site_dir):
            served = prefix / "site"
            shutil.copytree(site_dir, served)
        prefix.chmod(0o755)
        for path in [prefix, *prefix.rglob("*")]:
            shutil.chown(path, "nobody", "nogroup")
        run_as = {"user": "nobody", "group": "nogroup", "extra_groups": []}
    for attempt in range(3):
        port = _free_port()
        (prefix / "memore-toolbox.conf").write_text(render(SHIPPED.read_text(encoding="utf-8"), port, served),
                                                    encoding="utf-8")
        (prefix / "nginx.conf").write_text(MAIN.format(prefix=prefix), encoding="utf-8")
        log = prefix / "logs" / "error.log"
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log),
                                    "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **run_as)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        if process.poll() is None:
            break
        err = process.stderr.read().decode(errors="replace") + (log.read_text() if log.exists() else "")
        if "Address already in use" not in err or attempt == 2:
            pytest.fail(f"nginx did not start: {err.strip()[-2000:]}")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_nginx_sends_the_headers_the_site_needs(nginx_url, site_dir):
    runtime = next((site_dir / "assets" / "pyodide").glob("v*")).name
    status, page, body = fetch(nginx_url + "toolbox/nec-readiness.html")
    assert status == 200 and page["Content-Type"] == "text/html; charset=utf-8"
    assert page["Content-Encoding"] == "gzip" and b"data-memore-questionnaire" in gzip.decompress(body)
    assert page["Cache-Control"] == "no-cache"
    policy = page["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy and "base-uri 'none'" in policy
    assert page["X-Content-Type-Options"] == "nosniff" and page["X-Frame-Options"] == "SAMEORIGIN"
    assert page["Referrer-Policy"] == "no-referrer" and page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "nginx/" not in page["Server"]

    status, wasm, body = fetch(f"{nginx_url}assets/pyodide/{runtime}/pyodide.asm.wasm")
    assert status == 200 and wasm["Content-Type"] == "application/wasm" and wasm["Content-Encoding"] == "gzip"
    assert wasm["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(body)[:4] == b"\0asm"
    for module in (f"assets/pyodide/{runtime}/pyodide.mjs", f"assets/pyodide/{runtime}/pyodide.asm.mjs",
                   "assets/toolbox/python-worker.mjs"):
        status, headers, _ = fetch(nginx_url + module)
        assert status == 200 and headers["Content-Type"].startswith("text/javascript"), module
    status, worker, _ = fetch(nginx_url + "assets/toolbox/python-worker.mjs")
    assert worker["Cache-Control"] == "no-cache"
    assert worker["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self' 'wasm-unsafe-eval';")
    status, lock, _ = fetch(f"{nginx_url}assets/pyodide/{runtime}/pyodide-lock.json")
    assert lock["Content-Type"].startswith("application/json") and lock["Content-Encoding"] == "gzip"

    # Unversioned files are asked for again each time, and cost a 304 while unchanged.
    status, engine, _ = fetch(nginx_url + "assets/toolbox/engine.js")
    assert status == 200 and engine["Cache-Control"] == "no-cache" and engine["Content-Encoding"] == "gzip"
    assert engine["Content-Type"].startswith("application/javascript")
    status, _again, _ = fetch(nginx_url + "assets/toolbox/engine.js", **{"If-None-Match": engine["ETag"]})
    assert status == 304
    status, snapshot, _ = fetch(nginx_url + "assets/toolbox/python-snapshot.bin")
    assert status == 200 and snapshot["Content-Encoding"] is None  # gzip already

    status, missing, _ = fetch(nginx_url + "no/such/page.html")
    assert status == 404 and missing["X-Content-Type-Options"] == "nosniff" and missing["Content-Security-Policy"]
    assert fetch(nginx_url + ".git/config")[0] == 404


def test_the_main_flow_in_chromium_against_nginx(nginx_url, browser, context, tmp_path):
    page = context.new_page()
    page.add_init_script(WATCH)
    errors, console = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    ident = "nec-readiness"
    page.goto(q.url(nginx_url, ident))
    q.wait_ready(page)
    q.wait_scored(page)
    answers = q.pattern_answers(ident, offset=2)
    before = page.get_attribute("[data-memore-questionnaire]", "data-scored-at")
    q.answer(page, answers)
    page.fill("[data-memore-label]", "Served by nginx")
    q.wait_scored(page, before)
    root = "[data-memore-questionnaire]"
    # The worker started under its own header policy, from the memory snapshot.
    assert page.get_attribute(root, "data-python-thread") == "worker"
    assert page.get_attribute(root, "data-python-start") == "snapshot"
    assert page.locator(".memore-charts svg[role=img]").first.is_visible()
    expected = q.expected_table(ident, answers)
    overall = page.text_content(".memore-overall")
    assert expected["overall"]["mean_display"] in overall and expected["overall"]["level_label"] in overall
    with page.expect_download() as info:
        page.click("[data-memore-download]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8"))["answers"] == answers

    fresh = browser.new_context(accept_downloads=True)
    try:
        other = fresh.new_page()
        other.goto(q.url(nginx_url, ident))
        q.wait_ready(other)
        other.set_input_files("[data-memore-load]", str(path))
        other.wait_for_selector(".memore-overall")
        assert q.form_answers(other) == answers
        assert other.input_value("[data-memore-label]") == "Served by nginx"
        assert other.text_content(".memore-overall") == overall
    finally:
        fresh.close()
    # Search runs in Material's worker under its header policy; no policy refused anything.
    assert use_questionnaire_and_search(page, q.url(nginx_url, "sustainability"), "mentor") == []
    assert errors == [] and console == []
