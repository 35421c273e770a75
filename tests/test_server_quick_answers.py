"""Kept answers found by the quick way (the checks' verdict kept per query string, ``Accept`` and host name;
``SparqlEndpoint.kept_answer``) and written in one ``send``: a real ``wickgraph serve`` over raw sockets, made to
fail the ways this could: a different answer or head than the ordinary way gives, a host, a format or a query
refused the ordinary way but let through here, a miss counted twice, pipelined requests answered out of order or
with a torn head, a long query string kept, and clients that vanish before their answer is written."""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest

from _server import Reply, ServerProcess

JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    with ServerProcess(built_store, "--workers", "2", "--allowed-host", "wick.example") as process:
        yield process


def _status(server: ServerProcess) -> dict[str, int]:
    found: dict[str, int] = json.loads(server.request("GET", "/status").body)["answer_cache"]
    return found


def _ask(server: ServerProcess, query: str, **headers: str) -> Reply:
    return server.request("GET", "/sparql", params={"query": query}, headers={"Accept": JSON, **headers})


def _connect(server: ServerProcess) -> socket.socket:
    parts = urlsplit(server.url)
    return socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=30)


def _head(server: ServerProcess, query: str, *, close: bool = False) -> bytes:
    """A GET of ``query`` with the Host header a client of ``server.url`` sends (the same answer's key)."""
    host = urlsplit(server.url).netloc
    lines = [f"GET /sparql?{urlencode({'query': query})} HTTP/1.1", f"Host: {host}", f"Accept: {JSON}"]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _replies(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split what a server sent on one connection into its answers (each with a Content-Length)."""
    found: list[tuple[int, dict[str, str], bytes]] = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, f"an unfinished head: {data[:200]!r}"
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
        length = int(headers["content-length"])
        found.append((int(status_line.split()[1]), headers, rest[:length]))
        data = rest[length:]
    return found


def _rows(body: bytes) -> Any:
    return json.loads(body)["results"]["bindings"]


def test_a_quick_answer_has_the_same_bytes_and_head_as_the_ordinary_way(server: ServerProcess) -> None:
    query = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro } # same bytes"
    before = _status(server)
    first = _ask(server, query)
    middle = _status(server)
    second = _ask(server, query)
    after = _status(server)
    assert first.status == second.status == 200 and _rows(first.body)
    assert second.body == first.body
    assert {k: v for k, v in second.headers.items() if k != "date"} == {
        k: v for k, v in first.headers.items() if k != "date"
    }
    # The first took the ordinary way (one miss, counted once, not once per way tried); the second the quick one.
    assert (middle["misses"] - before["misses"], middle["quick_hits"] - before["quick_hits"]) == (1, 0)
    assert (after["hits"] - middle["hits"], after["quick_hits"] - middle["quick_hits"]) == (1, 1)


def test_head_of_a_kept_answer_has_its_length_and_no_body(server: ServerProcess) -> None:
    query = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro } # head"
    get = _ask(server, query)
    before = _status(server)
    head = server.request("HEAD", "/sparql", params={"query": query}, headers={"Accept": JSON})
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(get.body)) and head.content_type == get.content_type
    assert _status(server)["quick_hits"] == before["quick_hits"] + 1


def test_a_kept_answer_is_still_refused_to_a_forged_host_and_to_an_unacceptable_accept(server: ServerProcess) -> None:
    query = "ASK { wgd:ballerina wg:director wgd:len-wiseman } # refused"
    assert _ask(server, query).status == 200
    assert _ask(server, query).status == 200  # kept, and found the quick way from now on
    before = _status(server)
    forged = _ask(server, query, Host="rebind.example")
    assert forged.status == 421 and b"rebind.example" in forged.body
    refused = server.request("GET", "/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert refused.status == 406
    elsewhere = server.request("GET", "/sparql/elsewhere", params={"query": query}, headers={"Accept": JSON})
    assert elsewhere.status == 404
    assert _status(server)["quick_hits"] == before["quick_hits"]
    # An allowed name is a request of its own (its BASE differs): answered, then kept, then answered at once.
    assert _ask(server, query, Host="wick.example").status == 200
    assert _ask(server, query, Host="wick.example").status == 200
    assert _status(server)["quick_hits"] == before["quick_hits"] + 1


def test_a_refused_query_is_refused_every_time_not_kept(server: ServerProcess) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    before = _status(server)
    assert [_ask(server, query).status for _ in range(3)] == [403, 403, 403]
    assert _status(server)["quick_hits"] == before["quick_hits"]


def test_pipelined_requests_are_answered_in_the_order_sent(server: ServerProcess) -> None:
    kept = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro } # pipelined"
    other = "SELECT (COUNT(*) AS ?n) WHERE { ?s a wg:Film } # pipelined, never asked before"
    assert _ask(server, kept).status == 200
    before = _status(server)
    sock = _connect(server)
    try:  # kept, not kept (a worker), kept again (behind the worker's), kept, in one write
        sock.sendall(_head(server, kept) + _head(server, other) + _head(server, kept) + _head(server, kept, close=True))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    finally:
        sock.close()
    replies = _replies(data)
    assert [status for status, _, _ in replies] == [200, 200, 200, 200]
    assert "n" in _rows(replies[1][2])[0] and all("actor" in _rows(r[2])[0] for i, r in enumerate(replies) if i != 1)
    assert replies[0][2] == replies[2][2] == replies[3][2]
    assert _status(server)["quick_hits"] == before["quick_hits"] + 3


def test_a_long_query_string_takes_the_ordinary_way_and_is_still_answered_from_the_cache(server: ServerProcess) -> None:
    query = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro } # " + "long " * 2000
    assert len(quote(query)) > 8 * 1024
    first = _ask(server, query)
    before = _status(server)
    second = _ask(server, query)
    after = _status(server)
    assert first.status == second.status == 200 and second.body == first.body
    assert after["hits"] == before["hits"] + 1 and after["quick_hits"] == before["quick_hits"]


def test_clients_that_vanish_before_their_kept_answer_is_written_do_not_stop_the_server(server: ServerProcess) -> None:
    query = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro } # vanishing"
    assert _ask(server, query).status == 200
    for _ in range(50):  # send, then reset the connection at once (SO_LINGER 0), before the answer is read
        sock = _connect(server)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(_head(server, query) * 3)
        sock.close()
    answer = _ask(server, query)
    assert answer.status == 200 and _rows(answer.body)
    other = _ask(server, "ASK { ?s ?p ?o } # after the vanishing clients")
    assert other.status == 200 and json.loads(other.body)["boolean"] is True
