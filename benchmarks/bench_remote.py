"""Benchmark (not a test): push throughput and named-query latency, embedded store versus a local server.

Starts two real `oxigraph serve` processes on 127.0.0.1: a plain one, filled by `wickgraph push` (named graphs,
then their merge as the default graph, as in the built store), and one with --union-default-graph, filled by
`push --no-default-graph`. Then prints, side by side:

- writing the graph: into a fresh embedded store (what `wickgraph build` does) and into each server by
  SPARQL Update and by Graph Store Protocol PUT, in triples per second;
- every named query's median latency on the embedded store and on each server.

    .venv/bin/python benchmarks/bench_remote.py --store /tmp/wick            # a built store
    .venv/bin/python benchmarks/bench_remote.py --store /tmp/wick --scale 20 # push 20 copies of every graph
    .venv/bin/python benchmarks/bench_remote.py --store /tmp/wick --client   # also the union="client" mode

Figures depend on the machine and its load: compare columns of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import NamedNode, Quad
from pyoxigraph import Store as OxStore

import wickgraph
from wickgraph.publish import DEFAULT_BATCH_SIZE
from wickgraph.results import SelectResult
from wickgraph.store.embedded import EmbeddedStore
from wickgraph.testing.oxigraph_server import OxigraphServer


def _scaled(source: EmbeddedStore, copies: int) -> EmbeddedStore:
    """An in-memory store with ``copies`` copies of every named graph (graph IRIs suffixed /copy-N), and their
    merge as the default graph, as a build writes it."""
    if copies == 1:
        return source
    from wickgraph.building.union import merge_into_default_graph

    scaled = OxStore()
    quads = [q for q in source.ox if isinstance(q.graph_name, NamedNode)]
    for k in range(copies):
        suffix = "" if k == 0 else f"/copy-{k}"
        scaled.bulk_extend(
            Quad(q.subject, q.predicate, q.object, NamedNode(q.graph_name.value + suffix)) for q in quads
        )
    merge_into_default_graph(scaled)
    return EmbeddedStore(scaled, f":memory: ({copies} copies)")


def _best(runs: int, action: Callable[[], object]) -> float:
    """The median wall time of ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _read(result: object) -> int:
    """Read every row (a result is lazy)."""
    return len(result.rows) if isinstance(result, SelectResult) else 1


def _embedded_load(store: EmbeddedStore) -> float:
    with tempfile.TemporaryDirectory(prefix="wickgraph-bench-") as tmp:
        started = time.perf_counter()
        disk = OxStore(tmp)
        disk.bulk_extend(store.ox)
        disk.flush()
        seconds = time.perf_counter() - started
        del disk
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="A built store (default: the default store).")
    parser.add_argument("--scale", type=int, default=1, help="Push this many copies of every graph (throughput).")
    parser.add_argument("--runs", type=int, default=3, help="Runs per named query (median).")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Triples per update request.")
    parser.add_argument("--client", action="store_true", help="Also time union='client' (slow on Oxigraph).")
    parser.add_argument("--queries", nargs="*", default=None, help="Only these named queries.")
    args = parser.parse_args(argv)

    from wickgraph.locations import default_store_path

    source = EmbeddedStore.open(args.store or default_store_path())
    data = _scaled(source, args.scale)
    named = sum(1 for q in data.ox if isinstance(q.graph_name, NamedNode))
    triples = len(data.ox)
    print(
        f"graph: {named} triples in {sum(1 for _ in data.ox.named_graphs())} named graphs, {triples} with the default graph"
    )
    print("push figures count the named graphs' triples; the time includes writing the default graph", flush=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on a kill too
    with OxigraphServer(union_default_graph=True) as union_server, OxigraphServer() as plain_server:
        print("\n-- writing the graph (triples/s; higher is better)")
        print(f"{'target':58} {'seconds':>8} {'triples/s':>11}")
        seconds = _embedded_load(data)
        print(f"{'embedded: fresh on-disk store, bulk load (as a build)':58} {seconds:8.2f} {named / seconds:11,.0f}")
        rows: list[tuple[str, Callable[[], wickgraph.PushReport]]] = [
            (
                "server: SPARQL Update, first push",
                lambda: wickgraph.push(plain_server.endpoint(), data, batch_size=args.batch_size),
            ),
            (
                "server: SPARQL Update, again (replaces every graph)",
                lambda: wickgraph.push(plain_server.endpoint(), data, batch_size=args.batch_size),
            ),
            (
                "server: Graph Store Protocol PUT per graph",
                lambda: wickgraph.push(plain_server.endpoint(graph_store=True), data, method="graph-store"),
            ),
            (
                "union server: SPARQL Update, --no-default-graph",
                lambda: wickgraph.push(union_server.endpoint(), data, batch_size=args.batch_size, default_graph=False),
            ),
        ]
        for label, run in rows:
            report = run()
            print(f"{label:58} {report.seconds:8.2f} {report.triples_per_second:11,.0f}", flush=True)
        if args.scale != 1:  # latency on the real graph, not on copies
            wickgraph.push(plain_server.endpoint(), source, replace=True)
            wickgraph.push(union_server.endpoint(), source, replace=True, default_graph=False)

        graphs = {
            "embedded": wickgraph.open_graph(args.store or default_store_path()),
            "server": wickgraph.open_graph(endpoint=plain_server.endpoint(timeout=900)),
            "union-server": wickgraph.open_graph(endpoint=union_server.endpoint(timeout=900)),
        }
        if args.client:
            graphs["client"] = wickgraph.open_graph(endpoint=plain_server.endpoint(union="client", timeout=900))
        names = args.queries or sorted(wickgraph.named_queries())
        print(f"\n-- named-query latency, median of {args.runs} (ms; lower is better)")
        print(
            "server: after wickgraph push; union-server: oxigraph serve --union-default-graph, push --no-default-graph"
        )
        print(f"{'query':24}" + "".join(f"{k:>14}" for k in graphs))
        for name in names:
            cells = []
            for graph in graphs.values():

                def once(g: wickgraph.KnowledgeGraph = graph, n: str = name) -> int:
                    return _read(g.run(n))

                try:
                    cells.append(f"{_best(args.runs, once) * 1000:14.1f}")
                except wickgraph.WickgraphError as exc:
                    cells.append(f"{'failed':>14}")
                    print(f"  {name}: {exc}", file=sys.stderr)
            print(f"{name:24}" + "".join(cells), flush=True)
        for graph in graphs.values():
            graph.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
