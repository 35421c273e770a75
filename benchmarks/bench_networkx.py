"""Benchmark: export to NetworkX, wickgraph's exporter against rdflib's ``rdflib_to_networkx_multidigraph``.

For the real graph and for synthetic graphs of growing size (see ``synthetic.py``), each measurement runs in a
fresh process, so the peak memory of one does not hide another's:

- wickgraph: the quads sit in a pyoxigraph store (the built store on disk for the real graph, an in-memory
  store for synthetic ones); ``wickgraph.to_networkx`` is timed.
- rdflib: the same triples (every named graph merged, as rdflib's converter sees one graph) are parsed into an
  ``rdflib.Graph`` (load time printed apart), then ``rdflib_to_networkx_multidigraph`` is timed.

Printed per run: wall and CPU seconds, and the growth of the process's peak RSS during the export (MB). The
machines are shared: read the CPU seconds, and rerun.

    python benchmarks/bench_networkx.py                 # real graph, ~100k and ~1M quads
    python benchmarks/bench_networkx.py --sizes 7000    # real graph and ~100k quads only
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(run):  # type: ignore[no-untyped-def]
    before = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    graph = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "mb": max(0.0, _peak_mb() - before),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def worker(method: str, source: str) -> dict[str, float]:
    """One measurement (run in a child process)."""
    import networkx  # noqa: F401  (imported before timing, as a user's notebook would have it)

    if method == "wickgraph-store":
        import wickgraph

        kg = wickgraph.open_graph(source)
        return _measure(lambda: wickgraph.to_networkx(kg))
    if method == "wickgraph-nquads":
        from pyoxigraph import RdfFormat
        from pyoxigraph import Store as OxStore

        import wickgraph
        from wickgraph.store.embedded import EmbeddedStore

        store = OxStore()
        store.bulk_load(path=source, format=RdfFormat.N_QUADS)
        kg = wickgraph.KnowledgeGraph(EmbeddedStore(store, source))
        return _measure(lambda: wickgraph.to_networkx(kg))
    if method == "rdflib":
        import rdflib
        from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

        started = time.perf_counter()
        graph = rdflib.Graph()
        graph.parse(source, format="nt")
        load = time.perf_counter() - started
        result = _measure(lambda: rdflib_to_networkx_multidigraph(graph))
        result["load"] = load
        return result
    raise SystemExit(f"unknown method {method}")


def _child(method: str, source: Path | str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", method, str(source)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _triples_file(nquads: Path, target: Path) -> int:
    """The union of the named graphs of an N-Quads file as N-Triples (what rdflib's converter is given)."""
    from pyoxigraph import RdfFormat, Triple, parse, serialize

    seen = {Triple(q.subject, q.predicate, q.object) for q in parse(path=str(nquads), format=RdfFormat.N_QUADS)}
    data = serialize(seen, format=RdfFormat.N_TRIPLES)
    assert data is not None
    target.write_bytes(data)
    return len(seen)


def _real_store(tmp: Path) -> tuple[Path, Path]:
    """Build the real graph into a store; also dump its named graphs as N-Quads."""
    from pyoxigraph import NamedNode, RdfFormat
    from pyoxigraph import Store as OxStore

    import wickgraph
    from wickgraph.store.embedded import current_generation

    store = tmp / "real-store"
    wickgraph.build(store)
    ox = OxStore.read_only(str(current_generation(store)))
    nquads = tmp / "real.nq"
    with nquads.open("wb") as out:
        for graph in ox.named_graphs():
            if isinstance(graph, NamedNode):
                ox.dump(out, format=RdfFormat.N_QUADS, from_graph=graph)
    return store, nquads


def _row(name: str, quads: int, triples: int, ours: dict[str, float], theirs: dict[str, float]) -> str:
    return (
        f"{name:16} {quads:>9,} {triples:>9,} | {ours['nodes']:>8,} {ours['edges']:>9,} {ours['wall']:>7.2f} {ours['cpu']:>7.2f}"
        f" {ours['mb']:>7.0f} | {theirs['load']:>7.2f} {theirs['nodes']:>8,} {theirs['edges']:>9,} {theirs['wall']:>7.2f}"
        f" {theirs['cpu']:>7.2f} {theirs['mb']:>7.0f} | {theirs['cpu'] / max(ours['cpu'], 1e-9):>5.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[7_000, 70_000], help="synthetic performances")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    sys.path.insert(0, str(HERE))
    import synthetic

    print(
        f"{'graph':16} {'quads':>9} {'triples':>9} | {'wickgraph.to_networkx':^42} | {'rdflib_to_networkx_multidigraph':^50} | cpu"
    )
    print(
        f"{'':16} {'':>9} {'':>9} | {'nodes':>8} {'edges':>9} {'wall s':>7} {'cpu s':>7} {'+MB':>7} |"
        f" {'load s':>7} {'nodes':>8} {'edges':>9} {'wall s':>7} {'cpu s':>7} {'+MB':>7} | ratio"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store, nquads = _real_store(tmp)
        quads = sum(1 for _ in nquads.open("rb"))
        triples = _triples_file(nquads, tmp / "real.nt")
        print(
            _row("real graph", quads, triples, _child("wickgraph-store", store), _child("rdflib", tmp / "real.nt")),
            flush=True,
        )
        for size in args.sizes:
            path = tmp / f"synthetic-{size}.nq"
            path.write_text(synthetic.nquads(size), encoding="utf-8")
            quads = sum(1 for _ in path.open("rb"))
            triples = _triples_file(path, tmp / f"synthetic-{size}.nt")
            ours = _child("wickgraph-nquads", path)
            theirs = _child("rdflib", tmp / f"synthetic-{size}.nt")
            print(_row(f"synthetic {size}", quads, triples, ours, theirs), flush=True)
            path.unlink()
    print(
        "\nwickgraph: literals are attributes, edges keyed by predicate with per-claim provenance, no ontology;"
        "\nrdflib: every distinct literal is a node, no provenance (the named graphs are merged first)."
    )


if __name__ == "__main__":
    main()
