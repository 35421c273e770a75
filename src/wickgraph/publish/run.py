"""The push itself (:func:`push`): the graphs in batches, stale graphs dropped, then the default graph, checked."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from ..errors import EndpointError, PushError, StoreError, UsageError
from ..namespaces import BASE
from ..results import SelectResult
from ..terms import value
from .batches import (
    DEFAULT_BATCH_SIZE,
    VIRTUOSO_BATCH_SIZE,
    make_batch,
    pack,
    plan,
    too_big,
    too_big_before,
    write_in_pieces,
)
from .report import PushReport, failed

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store
    from ..store.remote import Endpoint, RemoteStore

__all__ = ["PushMethod", "push"]

PushMethod = TypingLiteral["auto", "update", "graph-store"]
"""``update``: SPARQL 1.1 Update; ``graph-store``: Graph Store Protocol PUT; ``auto``: the latter when the
endpoint has a graph-store URL, else the former."""

Progress = Callable[[int, int], None]
"""Called after each batch with (triples written so far, triples to write)."""


def push(
    endpoint: Endpoint | str,
    store: str | os.PathLike[str] | Store | None = None,
    *,
    replace: bool = False,
    default_graph: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    method: PushMethod = "auto",
    progress: Progress | None = None,
) -> PushReport:
    """Write the built graph at ``store`` (a store directory, default: the default store; or an open
    :class:`~wickgraph.store.Store`, which stays open) into the server at ``endpoint``.

    Raises :class:`~wickgraph.errors.PushError` when a batch fails (the message says how far the push got
    and in which state the server is), another :class:`~wickgraph.errors.EndpointError` when the server
    cannot be used at all (nothing written), :class:`~wickgraph.errors.StoreNotFoundError` without a build.
    """
    from ..store.remote import MERGE_GRAPH, Endpoint, RemoteStore  # the HTTP client, loaded when a push runs

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
    given = not (store is None or isinstance(store, str | os.PathLike))
    source: Store = store if given else _open_source(store)  # type: ignore[assignment,arg-type]
    try:
        graphs = _graphs(source)
        merged = _merged_count(source)
        before = set(remote.named_graphs()) if replace else set()
        if chosen == "update" and remote.server_software().startswith("Virtuoso/"):
            # Virtuoso compiles an update into SQL of bounded size: about 1,000 triples a request pass (more
            # would be refused and halved until they pass, which costs a refused request each time).
            batch_size = min(batch_size, VIRTUOSO_BATCH_SIZE)
        planned = plan(source, graphs, batch_size, per_graph=chosen == "graph-store")
        total = sum(size for batch in planned for _, size in batch)
        written_graphs = written_triples = count = 0
        if progress is not None:
            progress(0, total)
        pending = list(planned)
        while pending:
            group = pending.pop(0)
            batch = make_batch(source, group, update=chosen == "update")
            try:
                if chosen == "graph-store":
                    remote.put_graph(batch.graphs[0], batch.body)
                elif len(group) == 1 and batch.pieces and too_big_before(remote, batch):
                    write_in_pieces(remote, group[0][0], batch.pieces)
                else:
                    remote.update(batch.body)
            except EndpointError as exc:
                if chosen == "update" and too_big(exc) and len(group) > 1:
                    # The server takes fewer triples in one request (Virtuoso compiles an update into SQL of
                    # bounded size, about 1,000 triples): the rest goes in batches of half this one's size.
                    pending = pack([item for g in (group, *pending) for item in g], max(1, batch.triples // 2))
                    remote.max_update_triples = max(1, batch.triples // 2)
                    continue
                if chosen == "update" and too_big(exc) and batch.pieces and not too_big_before(remote, batch):
                    remote.max_update_triples = max(1, batch.triples // 2)  # this graph, in pieces
                    pending.insert(0, group)
                    continue
                raise failed(
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
                server_union = server_makes_union(remote)
                if not server_union:
                    remote.update(merge_request(graphs))
                    written = True
                elif remote.other_graph_in_default() is not None:
                    # The server's own union also holds graphs that are not wickgraph's (Virtuoso's system
                    # graphs): the merge goes in a graph of its own, which `--union client` sends as the
                    # default graph (each triple once, where a dataset of many graphs is their bag on Virtuoso).
                    merge_graph = MERGE_GRAPH
                    remote.update(merge_request(graphs, merge_graph))
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
        seen = default_graph_size(remote)
        union = seen == merged if seen else remote.default_graph_is_union()
    finally:
        if not given:
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


def _open_source(store: str | os.PathLike[str] | None) -> Store:
    from ..locations import default_store_path
    from ..store.embedded import EmbeddedStore

    return EmbeddedStore.open(store if store is not None else default_store_path())


def _graphs(store: Store) -> list[str]:
    graphs = store.named_graphs()
    foreign = [g for g in graphs if not g.startswith(BASE)]
    if foreign:
        raise StoreError(
            f"the store at {store.location} has graphs outside {BASE}, which push does not write: {foreign[0]}"
        )
    return graphs


def _count(store: Store, sparql: str) -> int:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)
    return int(value(result[0], "n"))


def _merged_count(store: Store) -> int:
    """The size of the merge of the named graphs; the store's default graph must be empty or that merge."""
    merged = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    # The build's RDF 1.2 reifiers (`claim rdf:reifies <<( s p o )>>`) are not pushed: servers without RDF 1.2
    # keep the named graphs, and the default graph push writes is the merge of those.
    default = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(!isTRIPLE(?o)) }")
    if default not in (0, merged):
        raise StoreError(
            f"the default graph of the store at {store.location} holds {default} triples, not the merge of its "
            f"named graphs ({merged}); push writes that merge: rebuild the store with `wickgraph build`"
        )
    return merged


_PROBE_GRAPH = BASE + "graph/push-probe"


def server_makes_union(remote: RemoteStore) -> bool:
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


def default_graph_size(remote: RemoteStore) -> int | None:
    """How many distinct triples the server's default graph holds (``None`` when the server will not say)."""
    try:
        rows = remote.query_plain("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    except EndpointError:
        return None
    if not isinstance(rows, SelectResult) or not rows.rows or rows[0].get("n") is None:
        return None
    return int(str(rows[0]["n"].value))  # type: ignore[union-attr]


def merge_request(graphs: list[str], into: str | None = None) -> str:
    """One update request: the default graph (or the graph ``into``) replaced by the merge of ``graphs`` (named
    in a VALUES block)."""
    values = " ".join(f"<{g}>" for g in graphs)
    if into is not None:
        return (
            f"DROP SILENT GRAPH <{into}> ;\nINSERT {{ GRAPH <{into}> {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    return f"DROP SILENT DEFAULT ;\nINSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
