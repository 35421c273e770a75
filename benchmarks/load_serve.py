"""Load on `wickgraph serve`: N concurrent clients for a fixed time on 127.0.0.1, with and without a runaway query.

Not a test: it prints figures. Each client keeps one HTTP connection open and sends, in turn, a one-hop SELECT,
a named query and an ASK. In the second phase one extra client sends nothing but a runaway query (a COUNT over a
four-way cross product) that the server must stop at its time limit; the other clients' figures show whether it
slows them down.

    python benchmarks/load_serve.py --store /tmp/wick --clients 8 --seconds 10
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _clients import KeepAlive, percentile_ms, start_server

REQUESTS = [
    ("GET", "/sparql?" + urlencode({"query": "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro }"})),
    ("GET", "/queries/who-plays?" + urlencode({"character": "Rooney"})),
    ("GET", "/sparql?" + urlencode({"query": "ASK { wgd:ballerina wg:director wgd:len-wiseman }"})),
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def phase(base: str, clients: int, seconds: float, runaway: bool, requests: list[tuple[str, str]]) -> None:
    until = time.monotonic() + seconds
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 0
    workers = [KeepAlive(host, port, until, requests) for _ in range(clients)]
    runaway_requests = [("GET", "/sparql?" + urlencode({"query": RUNAWAY}))]
    bad = KeepAlive(host, port, until, runaway_requests) if runaway else None
    started = time.monotonic()
    for w in [*workers, *([bad] if bad else [])]:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    latencies = sorted(x for w in workers for x in w.latencies)
    errors = sum(w.errors for w in workers)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = percentile_ms(latencies, 0.99)
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
    process, base = start_server(args.store, "--timeout", str(args.timeout), "--workers", str(args.workers))
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
