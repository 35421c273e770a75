"""What the outbound protections cost: per engine request with and without the private network (root's shared
namespace, and an unprivileged user's `unshare -rn` + bridge), the guard's tokenizer, and a cold
`wickgraph query` with and without --timeout (the worker process).

Not a test: it prints figures. Bounded: a few hundred requests and a dozen process starts.

    python benchmarks/bench_outbound.py --store /tmp/wick [--runs 500] [--cold 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def per_request(store: Path, *, isolate: bool, writable: bool, runs: int) -> float:
    """Mean milliseconds of one small query sent to an engine (kept-alive connection; a new one when writable)."""
    from wickgraph.server.engine import EnginePool

    with EnginePool(store, size=1, writable=writable, isolate=isolate) as pool:
        params = [("query", "ASK { ?s ?p ?o }")]
        for _ in range(50):
            pool.request("/query", params)
        start = time.perf_counter()
        for _ in range(runs):
            pool.request("/query", params)
        return (time.perf_counter() - start) / runs * 1000


def tokenizer(runs: int) -> float:
    """Microseconds for the guard to read one named query (with the project prologue, as the server sends it)."""
    from wickgraph.namespaces import sparql_prologue
    from wickgraph.queries import named_queries
    from wickgraph.server.guard import inspect_sparql

    texts = [sparql_prologue() + q.text for q in named_queries().values()]
    start = time.perf_counter()
    for _ in range(runs):
        for text in texts:
            inspect_sparql(text)
    return (time.perf_counter() - start) / (runs * len(texts)) * 1e6


def cold(store: Path, extra: list[str], runs: int) -> float:
    """Median seconds of a whole `wickgraph query` process for a small SELECT."""
    env = {**os.environ, "WICKGRAPH_STORE": str(store)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wickgraph", "query", *extra, "SELECT ?f WHERE { ?f a wg:Film } LIMIT 3"],
            env=env,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--cold", type=int, default=8)
    parser.add_argument("--bridged-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bridged_only:  # run without CAP_SYS_ADMIN by the main run: the unprivileged user's mode
        for writable in (False, True):
            ms = per_request(args.store, isolate=True, writable=writable, runs=args.runs)
            kind = "read-write (new connection each)" if writable else "read-only (kept-alive connection)"
            print(f"engine request, {kind}, unshare -rn + bridge: {ms:.3f} ms")
        return
    for writable in (False, True):
        for isolate in (False, True, False, True):  # interleaved: the machine's load drifts
            ms = per_request(args.store, isolate=isolate, writable=writable, runs=args.runs)
            kind = "read-write (new connection each)" if writable else "read-only (kept-alive connection)"
            print(f"engine request, {kind}, {'private network' if isolate else 'host loopback  '}: {ms:.3f} ms")
    no_sys_admin = ["setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin"]
    bridged = [sys.executable, __file__, "--store", str(args.store), "--runs", str(args.runs), "--bridged-only"]
    subprocess.run([*no_sys_admin, *bridged], check=False)
    print(f"guard reading one named query: {tokenizer(20):.0f} µs")
    for extra in ([], ["--timeout", "30"], [], ["--timeout", "30"]):
        label = "with --timeout (worker process)" if extra else "in process"
        print(f"cold `wickgraph query`, {label}: {cold(args.store, extra, args.cold):.3f} s (median of {args.cold})")


if __name__ == "__main__":
    main()
