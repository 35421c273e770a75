"""Where the server's CPU per request goes: each step of one simple SELECT through `wickgraph serve`, alone.

Not a test: it prints figures. One thread, no concurrency, so each figure is the Python CPU (``process_time``) of
one step per request, without waiting or contention: the guard's reading of the query (cached, as the server does
it, and uncached), the proxy hop to an engine (form-encoding, HTTP to the engine process, reading its answer),
turning the engine's answer into the client's format, the whole WSGI application (all of the above, routing and
headers), and the whole server as a client sees it (waitress and the application: the server process's CPU
over sequential requests on one kept-alive connection).

    python benchmarks/bench_serve_breakdown.py --store /tmp/wick --requests 2000
"""

from __future__ import annotations

import argparse
import http.client
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from _clients import start_server

QUERY = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro }"
_TICKS = os.sysconf("SC_CLK_TCK")


def per_call_ms(step: Callable[[], object], n: int) -> float:
    """Python CPU per call of ``step``, in ms, over ``n`` calls after a few warm-up calls."""
    for _ in range(min(20, n)):
        step()
    started = time.process_time()
    for _ in range(n):
        step()
    return (time.process_time() - started) / n * 1000


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (wickgraph build --store DIR)")
    parser.add_argument("--requests", type=int, default=1000, help="calls of each step")
    args = parser.parse_args(argv)
    n = args.requests

    from wickgraph.server.app import WickgraphApp
    from wickgraph.server.config import ServerConfig
    from wickgraph.server.engine import EnginePool
    from wickgraph.server.guard import _inspect, inspect_sparql
    from wickgraph.server.protocol import render_result
    from wickgraph.server.sparql import _prologue_for, _query_body

    print(f"store {args.store}, {n} calls per step, one thread, load average {os.getloadavg()[0]:.2f}")
    config = ServerConfig(args.store, workers=1)
    rows: list[tuple[str, float]] = []
    with EnginePool(args.store, size=1, timeout=10) as pool:
        app = WickgraphApp(config, pool)
        uncached = WickgraphApp(replace(config, limits=replace(config.limits, answer_cache_bytes=0)), pool)
        prologue = _prologue_for("http://127.0.0.1:7878/sparql")
        body = _query_body(prologue, QUERY, [])
        answer = pool.request("/query", body)
        assert answer.status == 200, answer.text
        rows.append(("guard: inspect_sparql, cached (as served)", per_call_ms(lambda: inspect_sparql(QUERY), n)))
        rows.append(("guard: the tokenizer alone (uncached)", per_call_ms(lambda: _inspect(QUERY), n)))
        rows.append(
            ("proxy hop: POST to the engine, read its answer", per_call_ms(lambda: pool.request("/query", body), n))
        )

        def render() -> object:
            return render_result(
                answer.content_type,
                answer.body,
                accept="application/sparql-results+json",
                override=None,
                max_rows=10_000,
            )

        rows.append(("answer: row count, JSON passed through", per_call_ms(render, n)))

        def render_csv() -> object:
            return render_result(answer.content_type, answer.body, accept="text/csv", override=None, max_rows=10_000)

        rows.append(("answer: re-encoded as CSV (for comparison)", per_call_ms(render_csv, n)))
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/sparql",
            "QUERY_STRING": urlencode({"query": QUERY}),
            "HTTP_HOST": "127.0.0.1:7878",
            "HTTP_ACCEPT": "application/sparql-results+json",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "7878",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
        }

        def whole_app(app: WickgraphApp = uncached) -> object:
            status: list[str] = []
            result = app(dict(environ), lambda s, h: status.append(s))
            assert status[0].startswith("200"), status
            return result

        rows.append(
            ("WSGI application, whole, no answer cache (the steps above, routing, headers)", per_call_ms(whole_app, n))
        )
        rows.append(("WSGI application, whole, the answer kept (as served)", per_call_ms(lambda: whole_app(app), n)))

    process, base = start_server(args.store, "--workers", "1")
    try:
        port = int(base.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        path = "/sparql?" + urlencode({"query": QUERY})
        headers = {"Accept": "application/sparql-results+json"}

        def one() -> None:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 200

        for _ in range(20):
            one()
        before = _process_cpu(process.pid)
        for _ in range(n):
            one()
        rows.append(
            (
                "wickgraph serve, whole (waitress and the application, the answer kept)",
                (_process_cpu(process.pid) - before) / n * 1000,
            )
        )
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    print("| step | Python CPU per request |")
    print("|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.3f} ms |")


if __name__ == "__main__":
    main()
