"""What the server benchmarks (``load_serve.py``, ``slow_clients.py``) share: start ``wickgraph serve`` on a free
port of 127.0.0.1, keep-alive HTTP clients that count what they get, and a percentile. Standard library only, so
``PYTHONPATH=OTHER_CHECKOUT/src`` measures another version of the server with the same clients."""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

HEADERS = {"Accept": "application/sparql-results+json"}


def start_server(store: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """``wickgraph serve --store STORE --port 0 OPTIONS…`` in a process of its own; it and its base URL."""
    cmd = [sys.executable, "-m", "wickgraph", "serve", "--store", str(store), "--port", "0", *options]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("Listening on "):
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, line.split()[-1].rstrip("/")


class KeepAlive(threading.Thread):
    """Requests back to back on one kept-alive connection until ``until`` (in turn from ``requests``, pairs of
    method and path): each one's latency and status, and the failures (a connection lost, opened again)."""

    def __init__(self, host: str, port: int, until: float, requests: list[tuple[str, str]]) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.until, self.requests = host, port, until, requests
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.failures = 0

    @property
    def ok(self) -> int:
        """Requests answered 200."""
        return self.statuses.get(200, 0)

    @property
    def errors(self) -> int:
        """Requests not answered 200: failures and other statuses."""
        return self.failures + sum(n for status, n in self.statuses.items() if status != 200)

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        i = 0
        while time.monotonic() < self.until:
            method, path = self.requests[i % len(self.requests)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, headers=HEADERS)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                continue
            self.latencies.append(time.perf_counter() - started)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        conn.close()


def percentile_ms(values: list[float], q: float) -> float:
    """The ``q`` quantile (0 to 1) of latencies in seconds, in milliseconds (NaN for none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")
