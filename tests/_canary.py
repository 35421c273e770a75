"""A canary: an HTTP listener on 127.0.0.1 that records every request it hears (a test fails if it hears one).

It answers like a SPARQL endpoint with no rows (or with HTTP 500 when told to), so that a SERVICE call that
reaches it would succeed and return its answer to whoever made the call.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

EMPTY_RESULTS = b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}'


class Canary:
    """``with Canary() as canary:`` … ``canary.heard`` (a list of ``"METHOD /path"``), ``canary.url(path)``."""

    def __init__(self, *, status: int = 200) -> None:
        self.heard: list[str] = []
        self.status = status
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                canary.heard.append(f"{self.command} {self.path}")
                body = EMPTY_RESULTS if canary.status == 200 else b"the canary says no"
                self.send_response(canary.status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_HEAD = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/sparql") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Canary:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
