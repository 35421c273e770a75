"""The default graph both strategies write: the merge of all named graphs, and the claims' RDF 1.2 reifiers.

Both are streamed (the quads go through an N-Quads file loaded back in pieces, no Python object per quad), so
the same code serves the in-memory store of the full build and the on-disk store of the fast build.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QuerySolutions, RdfFormat
from pyoxigraph import Store as OxStore

from .loading import load_lines

__all__ = ["claim_triples", "merge_into_default_graph", "write_reifiers"]


def merge_into_default_graph(store: OxStore, workdir: Path | None = None) -> None:
    """Write the RDF merge of all named graphs into the default graph.

    Queries without GRAPH see every fact exactly once, on this store and on any SPARQL server the graph is pushed
    to (no union-default-graph setting needed); the named graphs keep who said what. pyoxigraph dumps the quads,
    each line loses its graph name, the result is loaded back in pieces (a triple stated in several graphs is
    stored once). Work files go to a temporary directory in ``workdir`` (the system's when ``None``).
    """
    with tempfile.TemporaryDirectory(prefix="wickgraph-merge-", dir=workdir) as tmp:
        quads, triples = Path(tmp) / "all.nq", Path(tmp) / "merge.nt"
        store.dump(output=str(quads), format=RdfFormat.N_QUADS)
        with quads.open("rb") as source, triples.open("wb", buffering=1 << 20) as sink:
            for line in source:
                # "<s> <p> <o> <g> .": the graph name is the last term (an IRI or blank node, no spaces).
                body = line.rstrip()[:-2].rstrip()
                sink.write(body[: body.rindex(b" ")] + b" .\n")
        quads.unlink()
        with triples.open("rb") as merged:
            load_lines(store, merged, RdfFormat.N_TRIPLES)


def claim_triples(store: OxStore) -> Iterator[tuple[NamedNode, Quad]]:
    """Each quad of each claim graph, with its claim (the claim IRI names the graph): one index scan per claim,
    about twice as fast as the SPARQL join at a million quads."""
    from ..namespaces import sparql_prologue

    rows = store.query(sparql_prologue() + "SELECT DISTINCT ?c WHERE { GRAPH ?record { ?c a wg:Claim } }")
    assert isinstance(rows, QuerySolutions)
    for claim in [r["c"] for r in rows]:
        if isinstance(claim, NamedNode):
            for quad in store.quads_for_pattern(None, None, None, claim):
                yield claim, quad


def write_reifiers(store: OxStore, workdir: Path | None = None) -> None:
    """Write into the default graph, for every triple of every claim graph, its RDF 1.2 reifier: the claim,
    ``claim rdf:reifies <<( s p o )>>`` (Turtle 1.2: ``<< s p o ~ claim >>``). With the claim records already in
    the default graph, a SPARQL 1.2 query finds a fact's provenance without naming a graph:
    ``SELECT ?src { << wgd:ballerina wg:director ?d >> wg:source ?src }``. Streamed as
    :func:`merge_into_default_graph` is.
    """
    from ..namespaces import RDF

    reifies = f"<{RDF}reifies>"
    with tempfile.TemporaryDirectory(prefix="wickgraph-merge-", dir=workdir) as tmp:
        path = Path(tmp) / "reifiers.nt"
        with path.open("w", encoding="utf-8", buffering=1 << 20) as sink:
            for claim, q in claim_triples(store):
                sink.write(f"{claim} {reifies} <<( {q.subject} {q.predicate} {q.object} )>> .\n")
        with path.open("rb") as lines:
            load_lines(store, lines, RdfFormat.N_TRIPLES)
