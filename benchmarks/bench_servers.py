"""Push and query times on the servers the tests use: `oxigraph serve` and Virtuoso 7 (one run each, printed).

python benchmarks/bench_servers.py [STORE]     # STORE: a built store (default: the default store)
"""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack

import wickgraph
from wickgraph import named_queries
from wickgraph.testing.oxigraph_server import OxigraphServer
from wickgraph.testing.virtuoso_server import VirtuosoServer


def main() -> None:
    store = sys.argv[1] if len(sys.argv) > 1 else None
    with ExitStack() as stack:
        oxigraph = stack.enter_context(OxigraphServer())
        virtuoso = stack.enter_context(VirtuosoServer())
        for name, endpoint in (
            ("oxigraph serve", oxigraph.endpoint(timeout=600)),
            ("Virtuoso 7.2", virtuoso.endpoint(timeout=600)),
        ):
            started = time.perf_counter()
            report = wickgraph.push(endpoint, store)
            pushed = time.perf_counter() - started
            again = time.perf_counter()
            wickgraph.push(endpoint, store)
            repushed = time.perf_counter() - again
            with wickgraph.open_graph(endpoint=endpoint) as graph:
                started = time.perf_counter()
                for query in sorted(named_queries()):
                    graph.run(query)
                queries = time.perf_counter() - started
                started = time.perf_counter()
                graph.run("lead-of", as_of="2024-01-03")
                as_of_first = time.perf_counter() - started
                started = time.perf_counter()
                graph.run("lead-of", as_of="2024-01-03")
                as_of = time.perf_counter() - started
            print(
                f"{name}: push {report.triples} triples {pushed:.1f} s (again {repushed:.1f} s, {report.batches} batches); "
                f"18 named queries {queries:.1f} s; lead-of --as-of 2024-01-03 {as_of_first:.2f} s "
                f"(with the view, {as_of:.2f} s once the view is known)"
            )


if __name__ == "__main__":
    main()
