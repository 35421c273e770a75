"""The server's policy and protocol reading, without a server: the guard's lexer, refusals, negotiation."""

from __future__ import annotations

import io
from typing import Any

import pytest

from wickgraph.errors import QueryRefusedError
from wickgraph.server.guard import Policy, UpdateTokenError, inspect_sparql
from wickgraph.server.protocol import ProtocolError, negotiate, parse_request, shift_positions


@pytest.mark.parametrize(
    ("text", "form", "service", "load", "dataset"),
    [
        ("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }", "SELECT", True, False, False),
        ("select * { service silent <http://x/sparql> { ?s ?p ?o } }", "SELECT", True, False, False),
        (
            "PREFIX svc: <http://e/> SELECT * { svc:service ?load _:service . ?s ex:load ?o }",
            "SELECT",
            False,
            False,
            False,
        ),
        # The engine reads `SERVICE:x` as the keyword and the IRI `:x` (measured on pyoxigraph 0.5): it counts.
        ("PREFIX : <http://e/> SELECT * { SERVICE:x { ?s ?p ?o } }", "SELECT", True, False, False),
        ("PREFIX service: <http://e/> SELECT * { service:x ?p ?o }", "SELECT", True, False, False),
        # Comments end at CR as well as LF (the bypass of issue 12); escapes are read as the engine may read them.
        ("ASK { #\rSERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "ASK", True, False, False),
        ("ASK { # \r\n #\r sErViCe <http://x> { } }", "ASK", True, False, False),
        ("ASK { SERV\\u0049CE <http://x> { } }", "ASK", True, False, False),
        ("CLEAR ALL ; #\rLOAD <http://e/x>", "UPDATE", False, True, False),
        ("\\u0041SK { }", "ASK", False, False, False),
        ('ASK { ?s ?p "SERVICE" , """LOAD\nSERVICE""" , \'SERVICE\' , "x"@service }', "ASK", False, False, False),
        ("ASK { <http://e/SERVICE> ?p ?o } # SERVICE LOAD", "ASK", False, False, False),
        ("ASK { ?a ?b ?c FILTER(?a<?b||?c>?d) }", "ASK", False, False, False),
        ("BASE <http://e/> PREFIX x: <y> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False, False),
        ("DESCRIBE <http://e/a> FROM <http://e/g>", "DESCRIBE", False, False, True),
        ("CLEAR ALL ; LOAD <http://e/data.ttl>", "UPDATE", False, True, False),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE", False, False, True),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x> { ?s ?p ?o } }", "UPDATE", True, False, False),
    ],
)
def test_inspect_sparql(text: str, form: str, service: bool, load: bool, dataset: bool) -> None:
    facts = inspect_sparql(text)
    assert (facts.form, facts.uses_service, facts.uses_load, facts.names_dataset) == (form, service, load, dataset)


def test_policy_refusals() -> None:
    read_only = Policy()
    with pytest.raises(QueryRefusedError, match="read-only"):
        read_only.check_update(inspect_sparql("CLEAR ALL"), "anything")
    with pytest.raises(QueryRefusedError, match="--allow-service"):
        read_only.check_query(inspect_sparql("SELECT * { SERVICE <http://x> { ?s ?p ?o } }"))
    writable = Policy(allow_updates=True, update_token="t0ken")
    with pytest.raises(UpdateTokenError):
        writable.check_update(inspect_sparql("CLEAR ALL"), None)
    with pytest.raises(UpdateTokenError):
        writable.check_update(inspect_sparql("CLEAR ALL"), "t0ke")
    writable.check_update(inspect_sparql("CLEAR ALL"), "t0ken")
    with pytest.raises(QueryRefusedError, match="--allow-load"):
        writable.check_update(inspect_sparql("LOAD <http://e/x.ttl>"), "t0ken")
    Policy(allow_updates=True, update_token="t", allow_load=True).check_update(inspect_sparql("LOAD <http://e/>"), "t")
    with pytest.raises(ValueError, match="token"):
        Policy(allow_updates=True)


@pytest.mark.parametrize(
    ("accept", "kind", "override", "expected"),
    [
        (None, "results", None, "json"),
        ("*/*", "graph", None, "turtle"),
        ("text/csv;q=0.5, text/tab-separated-values", "results", None, "tsv"),
        ("application/xml", "results", None, "xml"),
        ("application/xml", "graph", None, "rdfxml"),
        ("text/*", "graph", None, "turtle"),
        ("application/json", "graph", None, "jsonld"),
        ("*/*, application/sparql-results+json;q=0", "results", None, "xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "results", None, "json"),
        ("application/n-triples", "graph", "rdf+xml", "rdfxml"),  # SPARQLWrapper's format=
        ("text/csv", "results", "n3", "csv"),  # a format= naming no results format: Accept decides
    ],
)
def test_negotiate(accept: str | None, kind: Any, override: str | None, expected: str) -> None:
    assert negotiate(accept, kind, override).key == expected


def test_negotiate_406() -> None:
    with pytest.raises(ProtocolError) as info:
        negotiate("text/html", "graph")
    assert info.value.status == 406 and "text/turtle" in info.value.message


def _environ(method: str, query: str = "", body: bytes = b"", content_type: str = "") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }


def test_parse_request() -> None:
    assert parse_request(_environ("GET"), max_bytes=1000) is None  # the service description
    got = parse_request(_environ("GET", "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fe%2Fg"), max_bytes=1000)
    assert got is not None and (got.operation, got.text, got.default_graphs) == ("query", "ASK{}", ["http://e/g"])
    direct = parse_request(
        _environ("POST", "named-graph-uri=http%3A%2F%2Fe%2Fn", b"ASK {}", "application/sparql-query; charset=utf-8"),
        max_bytes=1000,
    )
    assert direct is not None and (direct.text, direct.named_graphs) == ("ASK {}", ["http://e/n"])
    update = parse_request(
        _environ("POST", "", b"update=CLEAR+ALL", "application/x-www-form-urlencoded"), max_bytes=1000
    )
    assert update is not None and (update.operation, update.text) == ("update", "CLEAR ALL")


@pytest.mark.parametrize(
    ("environ", "status"),
    [
        (_environ("PUT", "query=ASK%7B%7D"), 405),
        (_environ("POST", "", b"ASK {}", "text/plain"), 415),
        (_environ("POST", "", b"ASK {}"), 415),
        (_environ("POST", "", "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"), 415),
        (_environ("POST", "", b"\xff\xfeA", "application/sparql-query"), 400),
        (_environ("GET", "query=ASK%7B%7D&query=ASK%7B%7D"), 400),
        (_environ("GET", "update=CLEAR%20ALL"), 400),
        (_environ("POST", "", b"query=ASK%7B%7D&update=CLEAR%20ALL", "application/x-www-form-urlencoded"), 400),
        (_environ("POST", "", b"x" * 2000, "application/sparql-query"), 413),
        (_environ("GET", "query=" + "x" * 2000), 414),
        (_environ("GET", "query=%20%20"), 400),
    ],
    ids=[
        "PUT",
        "text/plain",
        "no type",
        "utf-16",
        "bad utf-8",
        "two queries",
        "update by GET",
        "both",
        "413",
        "414",
        "empty",
    ],
)
def test_parse_request_refusals(environ: dict[str, Any], status: int) -> None:
    with pytest.raises(ProtocolError) as info:
        parse_request(environ, max_bytes=1000)
    assert info.value.status == status


def test_shift_positions() -> None:
    assert shift_positions("error at 18:3: expected one of", 17) == "error at 1:3: expected one of"


def test_w3c_runner_fails_what_it_should() -> None:
    """The W3C runner's check is not a rubber stamp: wrong status, type or boolean are each reported."""
    from _server import Reply
    from test_w3c_protocol import Step, check

    step = Step("GET", "/sparql/", {}, None, {"StatusCode2xx"}, True, "boolean")
    ok = Reply(200, {"content-type": "application/sparql-results+json"}, b'{"head":{},"boolean":true}')
    assert check(step, ok) == []
    assert check(step, Reply(400, ok.headers, ok.body))
    assert check(step, Reply(200, {"content-type": "text/csv"}, b"true"))
    assert check(step, Reply(200, ok.headers, b'{"head":{},"boolean":false}'))
