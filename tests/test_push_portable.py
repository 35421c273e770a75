"""Push against a server that refuses large updates, as Virtuoso does: batches halve, a big graph goes in pieces,
and the server ends with exactly the graphs a plain push writes.

A real `oxigraph serve` behind a small proxy on 127.0.0.1 that refuses (HTTP 400, with Virtuoso's message) any
update whose ``INSERT DATA`` carries more than a set number of triples.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from pyoxigraph import BlankNode

import wickgraph
from test_remote import Reply, Responder, forward, local_server
from wickgraph import Endpoint, KnowledgeGraph, PushError, RemoteStore
from wickgraph.results import SelectResult
from wickgraph.testing.oxigraph_server import OxigraphServer

_REFUSAL = (
    b"Virtuoso 37000 Error SP031: SPARQL: Internal error: The length of generated SQL text has exceeded 10000 lines"
)


def _limited(upstream: str, most: int, seen: list[int]) -> Responder:
    """Forward to ``upstream``; refuse an update whose INSERT DATA has more than ``most`` triples."""
    lock = threading.Lock()

    def respond(handler, body: bytes) -> Reply:  # type: ignore[no-untyped-def]
        if handler.path.startswith("/update"):
            data = body.split(b"INSERT DATA {", 1)[1].split(b"INSERT {", 1)[0] if b"INSERT DATA {" in body else b""
            triples = len(re.findall(rb" \.\n", data))
            with lock:
                seen.append(triples)
            if triples > most:
                return 400, {"Content-Type": "text/plain"}, _REFUSAL
        return forward(upstream, handler, body)

    return respond


def _quads(store: RemoteStore) -> set[tuple[str, ...]]:
    rows = store.query_plain("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(rows, SelectResult)
    return {tuple("_:b" if isinstance(row[v], BlankNode) else str(row[v]) for v in "gspo") for row in rows}


def test_refused_batches_halve_and_a_big_graph_goes_in_pieces(built_store: Path, kg: KnowledgeGraph) -> None:
    sizes = {
        str(row["g"].value): int(str(row["n"].value))  # type: ignore[union-attr]
        for row in kg.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    most = 300
    assert sizes["https://w3id.org/wickgraph/graph/entities"] > most  # a graph that must go in pieces
    with OxigraphServer() as plain, OxigraphServer() as limited:
        wickgraph.push(plain.endpoint(), built_store)
        seen: list[int] = []
        with local_server(_limited(limited.url, most, seen)) as proxy:
            report = wickgraph.push(Endpoint(proxy + "/query"), built_store)
        assert max(seen) > most  # the first batch was refused ...
        assert report.triples == kg.counts()["quads"]  # ... and everything was written in the end
        assert report.batches > 1
        assert _quads(RemoteStore(limited.endpoint(union="none"))) == _quads(RemoteStore(plain.endpoint(union="none")))
        # Pushed again through the proxy: the graph written in pieces is replaced, not doubled.
        with local_server(_limited(limited.url, most, seen)) as proxy:
            wickgraph.push(Endpoint(proxy + "/query"), built_store)
        assert _quads(RemoteStore(limited.endpoint(union="none"))) == _quads(RemoteStore(plain.endpoint(union="none")))
        store = RemoteStore(limited.endpoint(union="none"))
        count = store.query_plain("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(count, SelectResult)
        assert int(str(count[0]["n"].value)) == kg.counts()["quads"]  # type: ignore[union-attr]


def test_a_server_that_refuses_every_size_fails_the_push_in_one_line(built_store: Path) -> None:
    """Halving stops at one triple: a server that refuses even that gets a PushError, and nothing is written."""
    with OxigraphServer() as server:
        seen: list[int] = []
        with local_server(_limited(server.url, 0, seen)) as proxy, pytest.raises(PushError) as caught:
            wickgraph.push(Endpoint(proxy + "/query"), built_store)
        message = str(caught.value)
        assert "\n" not in message
        assert "SP031" in message
        assert "nothing was written" in message
        assert RemoteStore(server.endpoint(union="none")).named_graphs() == []
