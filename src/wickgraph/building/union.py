"""The default graph both strategies write: the merge of all named graphs, and the claims' RDF 1.2 reifiers.

Both are streamed (the quads go through an N-Quads file loaded back in pieces, no Python object per quad), so
the same code serves the in-memory store of the full build and the on-disk store of the fast build.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, Quad, QuerySolutions, RdfFormat, Triple
from pyoxigraph import Store as OxStore

from .loading import load_lines

__all__ = ["claim_triples", "merge_from_inputs", "merge_into_default_graph", "write_reifiers"]


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


def _strip_graph(source: IO[bytes], sink: IO[bytes], skip_graph: bytes | None) -> bool:
    """Copy the quads of an N-Quads file to ``sink`` as N-Triples (the graph name dropped), leaving out those of
    graphs whose IRI starts with ``skip_graph``. Only the regular form is rewritten (one quad per line, the graph
    name an IRI or blank node, then `` .``; empty and comment lines are skipped): ``False`` at any other line
    (the caller then dumps the store instead)."""
    for line in source:
        body = line.rstrip()
        if not body or body.startswith(b"#"):
            continue
        if not body.endswith(b" .") or b"\t" in body:
            return False
        body = body[:-2].rstrip()
        cut = body.rfind(b" ")
        graph = body[cut + 1 :]
        if cut <= 0 or not (graph.startswith(b"_:") or (graph.startswith(b"<") and graph.endswith(b">"))):
            return False
        if skip_graph is not None and graph.startswith(skip_graph):
            continue
        sink.write(body[:cut] + b" .\n")
    return True


def merge_from_inputs(
    store: OxStore,
    files: list[Path],
    derived: Path | None,
    *,
    workdir: Path | None,
    drop_status: bool,
) -> bool:
    """Write the default graph as :func:`merge_into_default_graph` does, without dumping the store: from what
    went into it, i.e. the ontology graph, the data ``files`` (each loaded with the blank node scope ``f{n}``,
    as :func:`~wickgraph.building.fast.fill_fast` loads them; status graphs left out with ``drop_status``) and
    the triples of the derived quads (``derived``, N-Triples written by
    :func:`~wickgraph.building.derive.derive`). Returns ``False``, having written nothing, when a data file is
    not N-Quads in the regular form: the caller merges by dumping then. About twice as fast as the dump: the
    store is not read back, only the text of the input rewritten."""
    from pyoxigraph import NamedNode as Named

    from ..namespaces import ONTOLOGY_GRAPH, STATUS_GRAPH
    from .parse import FORMATS

    if any(FORMATS.get(path.suffix) != RdfFormat.N_QUADS for path in files):
        return False
    skip = f"<{STATUS_GRAPH}".encode() if drop_status else None
    with tempfile.TemporaryDirectory(prefix="wickgraph-merge-", dir=workdir) as tmp:
        rewritten = []
        for number, path in enumerate(files):
            target = Path(tmp) / f"input-{number}.nt"
            with path.open("rb") as source, target.open("wb", buffering=1 << 20) as sink:
                regular = _strip_graph(source, sink, skip)
            if not regular:
                return False
            rewritten.append((target, f"f{number}"))
        ontology = Path(tmp) / "ontology.nt"
        store.dump(output=str(ontology), format=RdfFormat.N_TRIPLES, from_graph=Named(ONTOLOGY_GRAPH))
        rewritten.append((ontology, ""))
        if derived is not None:
            rewritten.append((derived, ""))
        for path, scope in rewritten:
            with path.open("rb") as lines:
                load_lines(store, lines, RdfFormat.N_TRIPLES, scope=scope)
    return True


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


def write_reifiers(store: OxStore, workdir: Path | None = None, *, text: Path | None = None) -> None:
    """Write into the default graph, for every triple of every claim graph, its RDF 1.2 reifier: the claim,
    ``claim rdf:reifies <<( s p o )>>`` (Turtle 1.2: ``<< s p o ~ claim >>``). With the claim records already in
    the default graph, a SPARQL 1.2 query finds a fact's provenance without naming a graph:
    ``SELECT ?src { << wgd:ballerina wg:director ?d >> wg:source ?src }``. Streamed as
    :func:`merge_into_default_graph` is. With ``text`` (those lines, N-Triples, as
    :func:`~wickgraph.building.onepass.text_pass` writes them from the input's text), that file is loaded
    instead of scanning the claim graphs.
    """
    from ..namespaces import RDF

    if text is not None:
        with text.open("rb") as lines:
            load_lines(store, lines, RdfFormat.N_TRIPLES)
        return
    reifies = f"<{RDF}reifies>"
    with tempfile.TemporaryDirectory(prefix="wickgraph-merge-", dir=workdir) as tmp:
        path = Path(tmp) / "reifiers.nt"
        with path.open("w", encoding="utf-8", buffering=1 << 20) as sink:
            for claim, q in claim_triples(store):
                # str() of a triple term leaves out its brackets (that of a quad holding one does not)
                o = f"<<( {q.object} )>>" if isinstance(q.object, Triple) else q.object
                sink.write(f"{claim} {reifies} <<( {q.subject} {q.predicate} {o} )>> .\n")
        with path.open("rb") as lines:
            load_lines(store, lines, RdfFormat.N_TRIPLES)
