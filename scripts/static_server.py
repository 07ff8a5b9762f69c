"""A small static file server for the built site, bound to 127.0.0.1 only.

Used by scripts/serve, the browser tests and the benchmark. It sets the wasm MIME type and
long-lived caching headers for the vendored Pyodide runtime (its file names carry the pinned
version through their folder), and no-cache plus a Last-Modified date (and an ETag) for everything
else, so a second visit revalidates instead of downloading again. Text and wasm are
sent gzip-compressed when the browser accepts it, as any real static host does.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import mimetypes
import os
import threading
from pathlib import Path

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/json", ".json")


COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".wasm", ".txt", ".map")
_gzip_cache: dict[tuple[str, float, int], bytes] = {}
_gzip_lock = threading.Lock()


def gzipped(path: str) -> tuple[bytes, str]:
    """The gzip bytes of a file (made once per version of the file) and its ETag."""
    stat = os.stat(path)
    key = (path, stat.st_mtime, stat.st_size)
    with _gzip_lock:
        data = _gzip_cache.get(key)
        if data is None:
            with open(path, "rb") as handle:
                data = gzip.compress(handle.read(), compresslevel=6, mtime=0)
            _gzip_cache[key] = data
    return data, f'"{int(stat.st_mtime)}-{stat.st_size}-gz"'


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with caching headers and gzip; quiet unless asked."""

    quiet = True

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().do_GET()
        data, etag = gzipped(path)
        # Last-Modified too: with an ETag alone Chromium kept no copy to revalidate, so every
        # visit downloaded these files again (and a returning visitor looked like a new one).
        modified = self.date_time_string(int(os.stat(path).st_mtime))
        if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(data)
        return None

    def end_headers(self):
        if "/assets/pyodide/" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def handle_one_request(self):
        # The browser went away (a test or benchmark closed its page): nothing to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle_one_request()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(root: Path, port: int = 0, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_thread(root: Path, port: int = 0):
    """Start a server on a free port in a daemon thread; returns (server, base_url)."""
    server = make_server(root, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", default="site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    Handler.quiet = not args.verbose
    server = make_server(Path(args.root), args.port)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
