"""Push the built graph into a SPARQL server: every named graph, in batches, idempotently.

Each named graph of the build (ontology, entity registry, one graph per source, one per claim) is written as a
whole, replacing the graph of the same name on the server, so pushing twice gives the same graph, not
duplicates. Two ways to write:

- SPARQL 1.1 Update (the default): a batch is one request, ``DROP SILENT GRAPH`` then ``INSERT DATA`` for up
  to ``batch_size`` triples' worth of whole graphs. A server applies one update request as one transaction
  (Oxigraph, Fuseki, GraphDB, Virtuoso, Neptune), so a batch is written entirely or not at all;
- the Graph Store HTTP Protocol, when the endpoint has a ``graph_store`` URL: one ``PUT ?graph=IRI`` per graph
  (then a batch is one graph).

Then, as the build does, the default graph: the RDF merge of the pushed graphs, so that a query without
``GRAPH`` sees every fact once on any server. It is made by the server in one request (``DROP SILENT
DEFAULT`` and ``INSERT … WHERE { GRAPH ?g … }`` over the pushed graphs), which replaces what the server's default
graph held: give wickgraph a dataset of its own. A server whose default graph is the union of its named graphs
(``oxigraph serve --union-default-graph``, Virtuoso, GraphDB) is found out first (a triple written into a probe
graph shows in the default graph) and its default graph left alone; ``default_graph=False`` leaves it alone
on any server. Afterwards the distinct triples of the default graph are counted against the merge
(:attr:`PushReport.default_graph_is_union`): Virtuoso's also holds its system graphs.

Blank nodes go in ``INSERT { … } WHERE {}`` (Virtuoso refuses them in ``INSERT DATA``); a batch the server
refuses for its size is split in halves, and a graph bigger than it takes goes in pieces.

If a push fails part-way, the graphs of the batches written so far are the new ones and all others are as
they were before the push, and so is the default graph; :class:`~wickgraph.errors.PushError` says which. With ``replace=True``, wickgraph's
graphs on the server that are not in the build are dropped once every batch is written, so the server ends
with exactly the built graphs, and a failed push never leaves it with fewer graphs than it had.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import Literal as TypingLiteral

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, QuerySolutions, RdfFormat, Triple, serialize
from pyoxigraph import Store as OxStore

from .errors import EndpointError, EndpointQueryError, PushError, StoreError, UsageError
from .namespaces import BASE
from .results import SelectResult
from .store.embedded import EmbeddedStore
from .store.remote import MERGE_GRAPH, NOT_UNION, Endpoint, RemoteStore

__all__ = ["DEFAULT_BATCH_SIZE", "PushMethod", "PushReport", "push"]

DEFAULT_BATCH_SIZE = 20_000
"""Triples per SPARQL Update request (whole graphs; a bigger graph goes in a batch of its own)."""

VIRTUOSO_BATCH_SIZE = 1_000
"""Triples per SPARQL Update request to a Virtuoso server (the most it compiles in one request, roughly)."""

PushMethod = TypingLiteral["auto", "update", "graph-store"]
"""``update``: SPARQL 1.1 Update; ``graph-store``: Graph Store Protocol PUT; ``auto``: the latter when the
endpoint has a graph-store URL, else the former."""

Progress = Callable[[int, int], None]
"""Called after each batch with (triples written so far, triples to write)."""


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push wrote."""

    endpoint: str
    """The URL written to (update or graph-store URL)."""
    method: str
    graphs: int
    triples: int
    batches: int
    dropped: tuple[str, ...]
    """wickgraph graphs that were on the server but not in the build, dropped (``replace=True``)."""
    seconds: float
    default_graph: int | None = None
    """Triples written into the server's default graph (the merge of the graphs), ``None`` when not written."""
    default_graph_is_union: bool | None = None
    """Whether, after the push, the server's default graph holds exactly the merge of wickgraph's graphs (what
    queries without ``--union client`` need)."""
    default_graph_seen: int | None = None
    """Distinct triples the server's default graph holds after the push."""
    merged: int | None = None
    """Distinct triples in the merge of the pushed graphs."""
    server_union: bool = False
    """The server makes its default graph from its named graphs by itself, so push did not write it."""
    merge_graph: str | None = None
    """The graph push wrote the merge into, on a server whose own default graph also holds other graphs."""

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else float("inf")

    def summary(self) -> str:
        """A few lines for a person."""
        lines = [
            f"Pushed {self.triples} triples in {self.graphs} named graphs to {self.endpoint}",
            f"  {self.batches} batches by {self.method}, {self.seconds:.2f} s, {self.triples_per_second:,.0f} triples/s",
        ]
        if self.dropped:
            lines.append(f"  dropped {len(self.dropped)} wickgraph graphs that are not in the build")
        if self.merge_graph is not None:
            lines.append(
                f"  default graph: the server's own union of all its graphs; the merge of wickgraph's graphs "
                f"({self.default_graph} triples) written to <{self.merge_graph}>, which --union client uses"
            )
        elif self.default_graph is not None:
            lines.append(f"  default graph: the merge of the graphs, {self.default_graph} triples")
        elif self.server_union:
            lines.append("  default graph: made by the server from its graphs (not written)")
        if self.default_graph_is_union is False:
            if self.default_graph_seen and self.merged and self.default_graph_seen > self.merged:
                lines.append(
                    f"  note: the server's default graph holds {self.default_graph_seen} triples, not the "
                    f"{self.merged} of wickgraph's graphs (it holds other graphs too, such as the server's own): "
                    "query with --union client, which names wickgraph's graphs in every query"
                )
            else:
                lines.append(f"  note: {NOT_UNION}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Batch:
    graphs: tuple[str, ...]
    body: bytes
    """N-Triples of each graph, for a PUT (one graph), or a whole SPARQL Update request."""
    triples: int
    pieces: list[bytes] | None = None
    """The lines of a one-graph batch without blank nodes, for writing it in pieces."""


def push(
    endpoint: Endpoint | str,
    store: str | os.PathLike[str] | EmbeddedStore | None = None,
    *,
    replace: bool = False,
    default_graph: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    method: PushMethod = "auto",
    progress: Progress | None = None,
) -> PushReport:
    """Write the built graph at ``store`` (default: the default store) into the server at ``endpoint``.

    Raises :class:`~wickgraph.errors.PushError` when a batch fails (the message says how far the push got
    and in which state the server is), another :class:`~wickgraph.errors.EndpointError` when the server
    cannot be used at all (nothing written), :class:`~wickgraph.errors.StoreNotFoundError` without a build.
    """
    if batch_size < 1:
        raise UsageError(f"batch_size must be at least 1, not {batch_size}")
    target = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
    chosen = method if method != "auto" else ("graph-store" if target.graph_store else "update")
    if chosen == "graph-store" and not target.graph_store:
        raise EndpointError(target.query, "the graph-store method needs a Graph Store Protocol URL")
    remote = RemoteStore(target)
    url = target.graph_store if chosen == "graph-store" else remote.update_url
    assert url is not None
    label = "Graph Store Protocol PUT" if chosen == "graph-store" else "SPARQL Update"

    started = time.perf_counter()
    source = store if isinstance(store, EmbeddedStore) else _open_source(store)
    try:
        ox = source.ox
        graphs = _graphs(ox, source.location)
        merged = _merged_count(ox, source.location)
        before = set(remote.named_graphs()) if replace else set()
        if chosen == "update" and remote.server_software().startswith("Virtuoso/"):
            # Virtuoso compiles an update into SQL of bounded size: about 1,000 triples a request pass (more
            # would be refused and halved until they pass, which costs a refused request each time).
            batch_size = min(batch_size, VIRTUOSO_BATCH_SIZE)
        plan = _plan(ox, graphs, batch_size, per_graph=chosen == "graph-store")
        total = sum(size for batch in plan for _, size in batch)
        written_graphs = written_triples = count = 0
        if progress is not None:
            progress(0, total)
        pending = list(plan)
        while pending:
            group = pending.pop(0)
            batch = _batch(ox, group, update=chosen == "update")
            try:
                if chosen == "graph-store":
                    remote.put_graph(batch.graphs[0], batch.body)
                elif len(group) == 1 and batch.pieces and _too_big_before(remote, batch):
                    _write_in_pieces(remote, group[0][0], batch.pieces)
                else:
                    remote.update(batch.body)
            except EndpointError as exc:
                if chosen == "update" and _too_big(exc) and len(group) > 1:
                    # The server takes fewer triples in one request (Virtuoso compiles an update into SQL of
                    # bounded size, about 1,000 triples): the rest goes in batches of half this one's size.
                    pending = _pack([item for g in (group, *pending) for item in g], max(1, batch.triples // 2))
                    remote.max_update_triples = max(1, batch.triples // 2)
                    continue
                if chosen == "update" and _too_big(exc) and batch.pieces and not _too_big_before(remote, batch):
                    remote.max_update_triples = max(1, batch.triples // 2)  # this graph, in pieces
                    pending.insert(0, group)
                    continue
                raise _failed(
                    url,
                    exc,
                    count,
                    count + 1 + len(pending),
                    written_graphs,
                    written_triples,
                    len(graphs),
                    total,
                    replace,
                    default_graph,
                ) from None
            count += 1
            written_graphs += len(batch.graphs)
            written_triples += batch.triples
            if progress is not None:
                progress(written_triples, total)
        stale = tuple(sorted(before - set(graphs)))
        if stale:
            try:
                for start in range(0, len(stale), 500):
                    remote.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale[start : start + 500]))
            except EndpointError as exc:
                raise PushError(
                    url,
                    f"all {len(graphs)} graphs were written, but dropping the {len(stale)} graphs that are not in "
                    f"the build failed ({exc.what}); some of them are still on the server",
                    graphs_written=len(graphs),
                    triples_written=written_triples,
                ) from None
        server_union = False
        merge_graph: str | None = None
        written = False
        try:
            if default_graph:
                server_union = _server_makes_union(remote)
                if not server_union:
                    remote.update(_merge_request(graphs))
                    written = True
                elif remote.other_graph_in_default() is not None:
                    # The server's own union also holds graphs that are not wickgraph's (Virtuoso's system
                    # graphs): the merge goes in a graph of its own, which `--union client` sends as the
                    # default graph (each triple once, where a dataset of many graphs is their bag on Virtuoso).
                    merge_graph = MERGE_GRAPH
                    remote.update(_merge_request(graphs, merge_graph))
                    written = True
            else:
                remote.update(f"DROP SILENT GRAPH <{MERGE_GRAPH}>")  # no stale merge left for --union client
        except EndpointError as exc:
            if default_graph:
                raise PushError(
                    url,
                    f"all {len(graphs)} graphs were written, but writing their merge into the default graph failed "
                    f"({exc.what}); the default graph is as it was",
                    graphs_written=len(graphs),
                    triples_written=written_triples,
                ) from None
            raise PushError(
                url,
                f"all {len(graphs)} graphs were written, but dropping the old merge graph <{MERGE_GRAPH}> failed "
                f"({exc.what})",
                graphs_written=len(graphs),
                triples_written=written_triples,
            ) from None
        seen = _default_graph_size(remote)
        union = seen == merged if seen else remote.default_graph_is_union()
    finally:
        if not isinstance(store, EmbeddedStore):
            source.close()
    return PushReport(
        endpoint=url,
        method=label,
        graphs=len(graphs),
        triples=written_triples,
        batches=count,
        dropped=stale,
        seconds=time.perf_counter() - started,
        default_graph=merged if written else None,
        default_graph_is_union=union,
        default_graph_seen=seen,
        merged=merged,
        server_union=server_union,
        merge_graph=merge_graph,
    )


def _open_source(store: str | os.PathLike[str] | None) -> EmbeddedStore:
    from .locations import default_store_path

    return EmbeddedStore.open(store if store is not None else default_store_path())


def _graphs(ox: OxStore, location: str) -> list[str]:
    graphs = sorted(g.value for g in ox.named_graphs() if isinstance(g, NamedNode))
    foreign = [g for g in graphs if not g.startswith(BASE)]
    if foreign:
        raise StoreError(f"the store at {location} has graphs outside {BASE}, which push does not write: {foreign[0]}")
    return graphs


def _merged_count(ox: OxStore, location: str) -> int:
    """The size of the merge of the named graphs; the store's default graph must be empty or that merge."""
    counted = ox.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
    )
    assert isinstance(counted, QuerySolutions)
    merged = int(next(iter(counted))["n"].value)
    # The build's RDF 1.2 reifiers (`claim rdf:reifies <<( s p o )>>`) are not pushed: servers without RDF 1.2
    # keep the named graphs, and the default graph push writes is the merge of those.
    default = sum(1 for q in ox.quads_for_pattern(None, None, None, DefaultGraph()) if not isinstance(q.object, Triple))
    if default not in (0, merged):
        raise StoreError(
            f"the default graph of the store at {location} holds {default} triples, not the merge of its named graphs "
            f"({merged}); push writes that merge: rebuild the store with `wickgraph build`"
        )
    return merged


_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def _portable(term: Any) -> Any:
    """A whole-number ``xsd:decimal`` written with a fraction (``"90000000.0"``): the same value, which Virtuoso
    otherwise stores as an ``xsd:integer``; every server reads it back as ``"90000000"^^xsd:decimal``."""
    if isinstance(term, Literal) and term.datatype == _DECIMAL and "." not in term.value:
        return Literal(term.value + ".0", datatype=_DECIMAL)
    return term


def _ntriples(ox: OxStore, graph: str) -> tuple[bytes, int, bool]:
    """The graph as N-Triples, its size, and whether it has blank nodes."""
    triples = [
        Triple(q.subject, q.predicate, _portable(q.object))
        for q in ox.quads_for_pattern(None, None, None, NamedNode(graph))
    ]
    data = serialize(triples, format=RdfFormat.N_TRIPLES)
    assert data is not None
    blank = any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)
    return data, len(triples), blank


def _plan(ox: OxStore, graphs: list[str], batch_size: int, *, per_graph: bool) -> list[list[tuple[str, int]]]:
    """Whole graphs (with their sizes) grouped up to ``batch_size`` triples; one graph a batch for PUTs."""
    sizes: dict[str, int] = {}
    counted = ox.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(counted, QuerySolutions)
    for row in counted:
        sizes[row["g"].value] = int(row["n"].value)
    if per_graph:
        return [[(graph, sizes.get(graph, 0))] for graph in graphs]
    return _pack([(graph, sizes.get(graph, 0)) for graph in graphs], batch_size)


def _pack(items: list[tuple[str, int]], batch_size: int) -> list[list[tuple[str, int]]]:
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


def _batch(ox: OxStore, group: list[tuple[str, int]], *, update: bool) -> _Batch:
    """The request body of a planned batch, made only when it is about to be sent."""
    parts = [(graph, *_ntriples(ox, graph)) for graph, _ in group]
    if update:
        batch = _update_batch(parts)
        graph, data, n, blank = parts[0]
        if len(parts) == 1 and not blank and n > 1:
            return _Batch(batch.graphs, batch.body, batch.triples, data.splitlines(keepends=True))
        return batch
    graph, data, n, _ = parts[0]
    return _Batch((graph,), data, n)


_SIZE_WORDS = re.compile(r"exceed|too (?:large|long|big)|maximum size|size limit", re.I)


def _too_big(exc: EndpointError) -> bool:
    """Whether the server refused an update for its size: HTTP 413, or a rejected request (400) or failure (500)
    that says so (Virtuoso: "The length of generated SQL text has exceeded 10000 lines", "Maximum size (32767)
    of a code vector exceeded"), as opposed to a bad request, missing rights, an unreachable or busy server."""
    if "HTTP 413" in exc.what:
        return True
    return (isinstance(exc, EndpointQueryError) or "HTTP 500" in exc.what) and bool(_SIZE_WORDS.search(exc.what))


def _too_big_before(remote: RemoteStore, batch: _Batch) -> bool:
    """Whether a one-graph batch is bigger than an update this server took before failed for its size."""
    return remote.max_update_triples is not None and batch.triples > remote.max_update_triples


def _write_in_pieces(remote: RemoteStore, graph: str, lines: list[bytes]) -> None:
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
            if not _too_big(exc) or size == 1:
                raise
            size = max(1, size // 2)
            remote.max_update_triples = size


_PROBE_GRAPH = BASE + "graph/push-probe"


def _server_makes_union(remote: RemoteStore) -> bool:
    """Whether the server's default graph is made by the server from its named graphs (``oxigraph serve
    --union-default-graph``, Virtuoso, GraphDB): a triple written into a probe graph shows in the default graph.
    Such a server has no default graph of its own to write (Virtuoso refuses ``DROP DEFAULT``)."""
    import secrets

    token = secrets.token_hex(8)
    triple = f'<{_PROBE_GRAPH}> <{_PROBE_GRAPH}> "{token}"'
    remote.update(f"INSERT DATA {{ GRAPH <{_PROBE_GRAPH}> {{ {triple} }} }}")
    try:
        seen = remote.query_plain(f"ASK {{ {triple} }}")
    finally:
        remote.update(f"DROP SILENT GRAPH <{_PROBE_GRAPH}>")
    return seen is True


def _default_graph_size(remote: RemoteStore) -> int | None:
    """How many distinct triples the server's default graph holds (``None`` when the server will not say)."""
    try:
        rows = remote.query_plain("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    except EndpointError:
        return None
    if not isinstance(rows, SelectResult) or not rows.rows or rows[0].get("n") is None:
        return None
    return int(str(rows[0]["n"].value))  # type: ignore[union-attr]


def _merge_request(graphs: list[str], into: str | None = None) -> str:
    """One update request: the default graph (or the graph ``into``) replaced by the merge of ``graphs`` (named
    in a VALUES block)."""
    values = " ".join(f"<{g}>" for g in graphs)
    if into is not None:
        return (
            f"DROP SILENT GRAPH <{into}> ;\nINSERT {{ GRAPH <{into}> {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    return f"DROP SILENT DEFAULT ;\nINSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"


def _update_batch(graphs: list[tuple[str, bytes, int, bool]]) -> _Batch:
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
    return _Batch(tuple(g for g, _, _, _ in graphs), body, sum(n for _, _, n, _ in graphs))


def _failed(
    url: str,
    exc: EndpointError,
    done: int,
    planned: int,
    graphs_written: int,
    triples_written: int,
    graphs_total: int,
    triples_total: int,
    replace: bool,
    default_graph: bool,
) -> PushError:
    if done == 0:
        state = "nothing was written: wickgraph's graphs on the server are as they were before the push"
    else:
        state = (
            f"batches 1-{done} were written ({graphs_written} of {graphs_total} graphs, {triples_written} of "
            f"{triples_total} triples): those graphs are as of the last complete batch, all others as they were "
            "before the push"
        )
    if replace:
        state += "; no graph was dropped"
    if default_graph:
        state += "; the default graph is as it was"
    return PushError(
        url,
        f"push failed in batch {done + 1} of {planned} ({exc.what}); {state}",
        graphs_written=graphs_written,
        triples_written=triples_written,
    )
