"""The batches of a push: whole named graphs grouped up to a number of triples, as SPARQL Update requests or
N-Triples for a Graph Store PUT, and how a batch the server refuses for its size is split."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from ..errors import EndpointError, EndpointQueryError
from ..results import SelectResult
from ..terms import value

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store
    from ..store.remote import RemoteStore

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "VIRTUOSO_BATCH_SIZE",
    "Batch",
    "make_batch",
    "pack",
    "plan",
    "too_big",
    "write_in_pieces",
]

DEFAULT_BATCH_SIZE = 20_000
"""Triples per SPARQL Update request (whole graphs; a bigger graph goes in a batch of its own)."""

VIRTUOSO_BATCH_SIZE = 1_000
"""Triples per SPARQL Update request to a Virtuoso server (the most it compiles in one request, roughly)."""


@dataclass(frozen=True, slots=True)
class Batch:
    graphs: tuple[str, ...]
    body: bytes
    """N-Triples of each graph, for a PUT (one graph), or a whole SPARQL Update request."""
    triples: int
    pieces: list[bytes] | None = None
    """The lines of a one-graph batch without blank nodes, for writing it in pieces."""


_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def _portable(term: Any) -> Any:
    """A whole-number ``xsd:decimal`` written with a fraction (``"90000000.0"``): the same value, which Virtuoso
    otherwise stores as an ``xsd:integer``; every server reads it back as ``"90000000"^^xsd:decimal``."""
    if isinstance(term, Literal) and term.datatype == _DECIMAL and "." not in term.value:
        return Literal(term.value + ".0", datatype=_DECIMAL)
    return term


def _ntriples(store: Store, graph: str) -> tuple[bytes, int, bool]:
    """The graph as N-Triples, its size, and whether it has blank nodes."""
    triples = [Triple(s, p, _portable(o)) for s, p, o, _ in store.quads([graph])]  # type: ignore[arg-type]
    data = serialize(triples, format=RdfFormat.N_TRIPLES)
    assert data is not None
    blank = any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)
    return data, len(triples), blank


def plan(store: Store, graphs: list[str], batch_size: int, *, per_graph: bool) -> list[list[tuple[str, int]]]:
    """Whole graphs (with their sizes) grouped up to ``batch_size`` triples; one graph a batch for PUTs."""
    counted = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(counted, SelectResult)
    sizes = {value(row, "g"): int(value(row, "n")) for row in counted}
    if per_graph:
        return [[(graph, sizes.get(graph, 0))] for graph in graphs]
    return pack([(graph, sizes.get(graph, 0)) for graph in graphs], batch_size)


def pack(items: list[tuple[str, int]], batch_size: int) -> list[list[tuple[str, int]]]:
    """Whole graphs, in order, grouped up to ``batch_size`` triples (a bigger graph is a group of its own)."""
    plan: list[list[tuple[str, int]]] = []
    size = 0
    for graph, count in items:
        if not plan or size + count > batch_size:
            plan.append([])
            size = 0
        plan[-1].append((graph, count))
        size += count
    return plan


def make_batch(store: Store, group: list[tuple[str, int]], *, update: bool) -> Batch:
    """The request body of a planned batch, made only when it is about to be sent."""
    parts = [(graph, *_ntriples(store, graph)) for graph, _ in group]
    if update:
        batch = update_batch(parts)
        graph, data, n, blank = parts[0]
        if len(parts) == 1 and not blank and n > 1:
            return Batch(batch.graphs, batch.body, batch.triples, data.splitlines(keepends=True))
        return batch
    graph, data, n, _ = parts[0]
    return Batch((graph,), data, n)


_SIZE_WORDS = re.compile(r"exceed|too (?:large|long|big)|maximum size|size limit", re.I)


def too_big(exc: EndpointError) -> bool:
    """Whether the server refused an update for its size: HTTP 413, or a rejected request (400) or failure (500)
    that says so (Virtuoso: "The length of generated SQL text has exceeded 10000 lines", "Maximum size (32767)
    of a code vector exceeded"), as opposed to a bad request, missing rights, an unreachable or busy server."""
    if "HTTP 413" in exc.what:
        return True
    return (isinstance(exc, EndpointQueryError) or "HTTP 500" in exc.what) and bool(_SIZE_WORDS.search(exc.what))


def too_big_before(remote: RemoteStore, batch: Batch) -> bool:
    """Whether a one-graph batch is bigger than an update this server took before failed for its size."""
    return remote.max_update_triples is not None and batch.triples > remote.max_update_triples


def write_in_pieces(remote: RemoteStore, graph: str, lines: list[bytes]) -> None:
    """Write one graph bigger than the server takes in a request in several: the first replaces the graph
    (``DROP SILENT GRAPH``), the others add to it; the pieces halve until the server takes them."""
    size = min(len(lines), remote.max_update_triples or len(lines))
    while True:
        try:
            for start in range(0, len(lines), size):
                head = f"DROP SILENT GRAPH <{graph}> ;\n".encode() if start == 0 else b""
                body = b"".join(lines[start : start + size])
                remote.update(head + b"INSERT DATA { GRAPH <" + graph.encode() + b"> {\n" + body + b"} }\n")
            return
        except EndpointError as exc:
            if not too_big(exc) or size == 1:
                raise
            size = max(1, size // 2)
            remote.max_update_triples = size


def update_batch(graphs: list[tuple[str, bytes, int, bool]]) -> Batch:
    """``DROP SILENT GRAPH`` for each graph, then their triples: ``INSERT DATA`` for the graphs without blank
    nodes, ``INSERT { … } WHERE {}`` for those with some (Virtuoso refuses blank nodes in ``INSERT DATA``; a
    template makes one new blank node per label, as ``INSERT DATA`` does, on every server)."""
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g, _, _, _ in graphs)
    plain = b"".join(b"GRAPH <" + g.encode() + b"> {\n" + data + b"}\n" for g, data, _, blank in graphs if not blank)
    blank = b"".join(b"GRAPH <" + g.encode() + b"> {\n" + data + b"}\n" for g, data, _, blank in graphs if blank)
    operations = []
    if plain:
        operations.append(b"INSERT DATA {\n" + plain + b"}\n")
    if blank:
        operations.append(b"INSERT {\n" + blank + b"} WHERE {}\n")
    body = drops.encode() + b";\n".join(operations) if operations else drops.encode().rstrip(b" ;\n")
    return Batch(tuple(g for g, _, _, _ in graphs), body, sum(n for _, _, n, _ in graphs))
