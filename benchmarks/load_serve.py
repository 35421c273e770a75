"""Load on `wickgraph serve`: N concurrent clients for a fixed time on 127.0.0.1, with and without a runaway query.

Not a test: it prints figures. Each client keeps one HTTP connection open and sends, in turn, a one-hop SELECT,
a named query and an ASK. In the second phase one extra client sends nothing but a runaway query (a COUNT over a
four-way cross product) that the server must stop at its time limit; the other clients' figures show whether it
slows them down.

    python benchmarks/load_serve.py --store /tmp/wick --clients 8 --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REQUESTS = [
    ("GET", "/sparql?" + urlencode({"query": "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro }"})),
    ("GET", "/queries/who-plays?" + urlencode({"character": "Rooney"})),
    ("GET", "/sparql?" + urlencode({"query": "ASK { wgd:ballerina wg:director wgd:len-wiseman }"})),
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def start_server(store: Path, timeout: float, workers: int) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "wickgraph", "serve", "--store", str(store), "--port", "0"]
    cmd += ["--timeout", str(timeout), "--workers", str(workers)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("Listening on "):
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, line.split()[-1].rstrip("/")


class Client(threading.Thread):
    def __init__(self, base: str, until: float, requests: list[tuple[str, str]]) -> None:
        super().__init__(daemon=True)
        self.base = urlsplit(base)
        self.until = until
        self.requests = requests
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.failures = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=60)
        i = 0
        while time.monotonic() < self.until:
            method, path = self.requests[i % len(self.requests)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=60)
                continue
            self.latencies.append(time.perf_counter() - started)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        conn.close()


def phase(base: str, clients: int, seconds: float, runaway: bool, requests: list[tuple[str, str]]) -> None:
    until = time.monotonic() + seconds
    workers = [Client(base, until, requests) for _ in range(clients)]
    bad = Client(base, until, [("GET", "/sparql?" + urlencode({"query": RUNAWAY}))]) if runaway else None
    started = time.monotonic()
    for w in [*workers, *([bad] if bad else [])]:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    latencies = sorted(x for w in workers for x in w.latencies)
    errors = sum(w.failures for w in workers) + sum(n for w in workers for s, n in w.statuses.items() if s != 200)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000 if latencies else float("nan")
    title = f"{clients} clients" + (" + 1 runaway client" if runaway else "")
    print(
        f"{title}, {elapsed:.1f} s: {len(latencies) / elapsed:,.0f} requests/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"errors {errors}"
    )
    if bad is not None:
        bad.join()
        print(
            f"  runaway client: {sum(bad.statuses.values())} runaway queries answered "
            f"({', '.join(f'{n}x {s}' for s, n in sorted(bad.statuses.items()))}), {bad.failures} failures"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (wickgraph build --store DIR)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=4, help="the server's --workers")
    parser.add_argument("--mix", choices=["mixed", "simple"], default="mixed", help="simple: only the one-hop SELECT")
    args = parser.parse_args()
    process, base = start_server(args.store, args.timeout, args.workers)
    try:
        print(f"wickgraph serve at {base}: {args.workers} engines, timeout {args.timeout:g} s")
        requests = REQUESTS[:1] if args.mix == "simple" else REQUESTS
        print(f"query mix: {args.mix} ({len(requests)} request kinds)")
        phase(base, args.clients, args.seconds, runaway=False, requests=requests)
        phase(base, args.clients, args.seconds, runaway=True, requests=requests)
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
