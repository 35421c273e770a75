"""`wickgraph serve` driven as a running process: SPARQLWrapper, rdflib's SPARQLStore and raw HTTP.

Facts checked against the founding article: Ana de Armas plays the ballerina Eve Macarro (who also goes by
"Rooney"), and Len Wiseman directs Ballerina.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.dom.minidom import Document, Node, Text

import pytest
import rdflib
import rdflib.compare
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from _server import ServerProcess, cpu_seconds, running

WGD = "https://w3id.org/wickgraph/id/"
WG = "https://w3id.org/wickgraph/ontology#"
WHO_PLAYS_EVE = "SELECT DISTINCT ?actor WHERE { ?actor wg:plays wgd:eve-macarro } ORDER BY ?actor"
PLAYERS = {WGD + "ana-de-armas", WGD + "unity-phelan"}  # the ballerina, in Ballerina and in Parabellum
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 10  # the runaway test's five fast queries must be answered inside it, on a loaded machine as well
MAX_ROWS = 1000
MAX_REQUEST = 4096


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    args = ["--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--max-request-bytes", str(MAX_REQUEST)]
    with ServerProcess(built_store, *args, "--workers", "3") as process:
        yield process


def _wrapper(server: ServerProcess, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


def _json(sparql: SPARQLWrapper) -> dict[str, Any]:
    converted = sparql.query().convert()
    assert isinstance(converted, dict), type(converted)
    return converted


def _xml(sparql: SPARQLWrapper) -> Document:
    converted = sparql.query().convert()
    assert isinstance(converted, Document), type(converted)
    return converted


def _text(sparql: SPARQLWrapper) -> str:
    converted = sparql.query().convert()
    assert isinstance(converted, bytes), type(converted)
    return converted.decode()


def _data(node: Node) -> str:
    """The text inside an XML element such as ``<uri>…</uri>``."""
    child = node.firstChild
    assert isinstance(child, Text), node.toxml()
    return child.data


# ---- SPARQLWrapper: every format ------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json_with_sparqlwrapper(server: ServerProcess, method: str) -> None:
    result = _json(_wrapper(server, WHO_PLAYS_EVE, JSON, method))
    actors = {b["actor"]["value"] for b in result["results"]["bindings"]}
    assert actors >= PLAYERS


def test_select_xml_csv_tsv_with_sparqlwrapper(server: ServerProcess) -> None:
    as_json = _json(_wrapper(server, WHO_PLAYS_EVE, JSON))
    actors = [b["actor"]["value"] for b in as_json["results"]["bindings"]]
    assert set(actors) >= PLAYERS
    document = _xml(_wrapper(server, WHO_PLAYS_EVE, XML))
    uris = [_data(node) for node in document.getElementsByTagName("uri")]
    assert uris == actors
    csv_text = _text(_wrapper(server, WHO_PLAYS_EVE, CSV))
    assert csv_text.splitlines() == ["actor", *actors]
    tsv_text = _text(_wrapper(server, WHO_PLAYS_EVE, TSV))
    assert tsv_text.splitlines() == ["?actor", *(f"<{a}>" for a in actors)]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_with_sparqlwrapper(server: ServerProcess, fmt: str) -> None:
    yes = _wrapper(server, "ASK { wgd:ballerina wg:director wgd:len-wiseman }", fmt)
    no = _wrapper(server, "ASK { wgd:ballerina wg:director wgd:ana-de-armas }", fmt)
    if fmt == JSON:
        assert (_json(yes)["boolean"], _json(no)["boolean"]) == (True, False)
    else:
        assert [_data(_xml(d).getElementsByTagName("boolean")[0]) for d in (yes, no)] == ["true", "false"]


CONSTRUCT_BALLERINA = "CONSTRUCT { wgd:ballerina ?p ?o } WHERE { wgd:ballerina ?p ?o }"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("fmt", "parse_as"), [(TURTLE, "turtle"), (N3, "turtle"), (RDFXML, None), (JSONLD, None)])
def test_construct_in_every_rdf_format(server: ServerProcess, fmt: str, parse_as: str | None) -> None:
    converted = _wrapper(server, CONSTRUCT_BALLERINA, fmt).query().convert()
    if isinstance(converted, rdflib.Graph):
        graph = converted
    else:
        assert isinstance(converted, str | bytes), type(converted)
        graph = rdflib.Graph().parse(data=converted, format=parse_as)
    directors = set(graph.objects(rdflib.URIRef(WGD + "ballerina"), rdflib.URIRef(WG + "director")))
    assert directors == {rdflib.URIRef(WGD + "len-wiseman")}


def test_construct_formats_carry_the_same_triples(server: ServerProcess) -> None:
    graphs = {}
    for accept, rdflib_format in [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ]:
        reply = server.request("GET", "/sparql", params={"query": CONSTRUCT_BALLERINA}, headers={"Accept": accept})
        assert reply.status == 200
        assert reply.content_type.startswith(accept)
        graphs[accept] = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
    sizes = {len(g) for g in graphs.values()}
    assert len(sizes) == 1 and sizes.pop() > 5
    reference = graphs["application/n-triples"]
    for graph in graphs.values():
        assert rdflib.compare.isomorphic(graph, reference)


def test_describe(server: ServerProcess) -> None:
    reply = server.request(
        "GET", "/sparql", params={"query": "DESCRIBE wgd:len-wiseman"}, headers={"Accept": "text/turtle"}
    )
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    assert (rdflib.URIRef(WGD + "len-wiseman"), rdflib.RDFS.label, rdflib.Literal("Len Wiseman")) in graph


def test_rdflib_sparqlstore_reads_the_endpoint(server: ServerProcess) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=server.endpoint))
    rows = list(graph.query(f"SELECT DISTINCT ?label WHERE {{ <{WGD}ana-de-armas> <{rdflib.RDFS.label}> ?label }}"))
    assert [str(r[0]) for r in rows if isinstance(r, tuple)] == ["Ana de Armas"]


# ---- the three ways to send a query ---------------------------------------------------------------------------
def test_get_form_post_and_direct_post_agree(server: ServerProcess) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = server.request("GET", "/sparql", params={"query": WHO_PLAYS_EVE}, headers=accept)
    by_form = server.request(
        "POST",
        "/sparql",
        body="query=" + quote(WHO_PLAYS_EVE),
        headers={**accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    by_body = server.request(
        "POST", "/sparql", body=WHO_PLAYS_EVE, headers={**accept, "Content-Type": "application/sparql-query"}
    )
    assert by_get.status == by_form.status == by_body.status == 200
    assert json.loads(by_get.body) == json.loads(by_form.body) == json.loads(by_body.body)


def test_union_default_graph_and_protocol_dataset(server: ServerProcess) -> None:
    ask = "ASK { wgd:ana-de-armas wg:plays wgd:eve-macarro }"

    def answer(params: list[tuple[str, str]]) -> bool:
        reply = server.request("GET", "/sparql", params=params, headers={"Accept": "application/sparql-results+json"})
        assert reply.status == 200, reply.text
        return bool(json.loads(reply.body)["boolean"])

    claim = "https://w3id.org/wickgraph/claim/cinemark-2024/a23"
    entities = "https://w3id.org/wickgraph/graph/entities"
    # The fact lives in claim graphs and, merged, in the default graph; a named dataset replaces both.
    assert answer([("query", ask)]) is True
    assert answer([("query", ask), ("default-graph-uri", entities)]) is False
    assert answer([("query", ask), ("default-graph-uri", claim)]) is True
    assert answer([("query", ask.replace("ASK", f"ASK FROM <{entities}>"))]) is False
    graph_ask = "ASK { GRAPH ?g { wgd:ana-de-armas wg:plays wgd:eve-macarro } }"
    assert answer([("query", graph_ask), ("named-graph-uri", entities)]) is False
    assert answer([("query", graph_ask), ("named-graph-uri", claim)]) is True


def test_as_of_parameter_sees_only_what_was_published_by_then(server: ServerProcess) -> None:
    ask = "ASK { GRAPH ?claim { ?x ?p ?o } GRAPH ?src { ?claim wg:claimDate ?d } FILTER(?d > '2024-01-03'^^xsd:date) }"
    now = server.request("GET", "/sparql", params={"query": ask}, headers={"Accept": "application/json"})
    then = server.request(
        "GET", "/sparql", params={"query": ask, "as-of": "2024-01-03"}, headers={"Accept": "application/json"}
    )
    assert json.loads(then.body)["boolean"] is False
    assert now.status == 200


# ---- status codes ---------------------------------------------------------------------------------------------
def test_malformed_query_is_400_with_the_parsers_message(server: ServerProcess) -> None:
    reply = server.request("GET", "/sparql", params={"query": "SELECT ?x WHERE {\n  ?x wg:plays \n"})
    assert reply.status == 400
    # The position is in the user's text, not in the prefixes the server adds before it.
    assert "SPARQL syntax error" in reply.text and "at 3:1" in reply.text
    with pytest.raises(QueryBadFormed):
        _wrapper(server, "SELECT ?x WHERE { ?x", JSON).query()


def test_not_acceptable_is_406(server: ServerProcess) -> None:
    select = server.request("GET", "/sparql", params={"query": WHO_PLAYS_EVE}, headers={"Accept": "image/png"})
    construct = server.request("GET", "/sparql", params={"query": CONSTRUCT_BALLERINA}, headers={"Accept": "text/csv"})
    assert (select.status, construct.status) == (406, 406)
    assert "text/csv" in select.text and "text/turtle" in construct.text


_SEND = "application/x-www-form-urlencoded (query= or update=), application/sparql-query or application/sparql-update"


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Content-Type": "text/plain"}, f"a POST with Content-Type 'text/plain': send {_SEND}"),
        ({}, f"a POST with no Content-Type: send {_SEND}"),
        ({"Content-Type": "application/sparql-query; charset=UTF-16"}, "the body must be UTF-8 (charset=utf-16 given)"),
    ],
    ids=["text/plain", "no content type", "utf-16"],
)
def test_unsupported_media_type_is_415(server: ServerProcess, headers: dict[str, str], why: str) -> None:
    reply = server.request("POST", "/sparql", body="ASK {}", headers=headers)
    assert reply.status == 415
    assert why in reply.text, reply.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(server: ServerProcess, method: str) -> None:
    reply = server.request(method, "/sparql", params={"query": "ASK {}"})
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, POST"


def test_repeated_query_parameter_is_400(server: ServerProcess) -> None:
    reply = server.request("GET", "/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert reply.status == 400 and "exactly one" in reply.text


def test_request_size_caps(server: ServerProcess) -> None:
    padding = "#" + "x" * MAX_REQUEST + "\n"
    body = server.request(
        "POST", "/sparql", body=padding + "ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    url = server.request("GET", "/sparql", params={"query": padding + "ASK {}"})
    assert (body.status, url.status) == (413, 414)
    assert f"{MAX_REQUEST:,}" in body.text and f"{MAX_REQUEST:,}" in url.text


def test_row_cap(server: ServerProcess) -> None:
    reply = server.request("GET", "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert reply.status == 422
    assert f"more than {MAX_ROWS:,} rows" in reply.text
    within = server.request("GET", "/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert within.status == 200 and len(json.loads(within.body)["results"]["bindings"]) == MAX_ROWS


# ---- what the server refuses ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            "update=INSERT%20DATA%20%7B%20%3Chttp%3A%2F%2Fe%2Fs%3E%20%3Chttp%3A%2F%2Fe%2Fp%3E%201%20%7D",
            "application/x-www-form-urlencoded",
        ),
        ("DROP ALL", "application/sparql-update"),
    ],
    ids=["form", "direct"],
)
def test_updates_are_refused_with_403(server: ServerProcess, body: str, content_type: str) -> None:
    reply = server.request("POST", "/sparql", body=body, headers={"Content-Type": content_type})
    assert reply.status == 403
    assert "read-only" in reply.text
    still_there = server.request("GET", "/sparql", params={"query": "ASK { wgd:ballerina ?p ?o }"})
    assert json.loads(still_there.body)["boolean"] is True


def test_update_by_get_is_400(server: ServerProcess) -> None:
    assert server.request("GET", "/sparql", params={"update": "CLEAR ALL"}).status == 400


def test_service_is_refused_with_403(server: ServerProcess) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    reply = server.request("GET", "/sparql", params={"query": query})
    assert reply.status == 403
    assert "SERVICE" in reply.text and "--allow-service" in reply.text
    silent = server.request("GET", "/sparql", params={"query": query.replace("SERVICE", "service SILENT")})
    assert silent.status == 403


def test_the_word_service_in_names_and_strings_is_not_refused(server: ServerProcess) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE and LOAD" AS ?service) } # SERVICE'
    reply = server.request("GET", "/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert reply.status == 200
    assert reply.text.splitlines() == ["service", "SERVICE and LOAD"]


# ---- the time limit -------------------------------------------------------------------------------------------
def test_timeout_stops_the_runaway_query_and_others_go_on(server: ServerProcess) -> None:
    engines_before = set(server.engine_pids())
    restarts_before = json.loads(server.request("GET", "/status").body)["restarts"]
    outcome: dict[str, Any] = {}

    def runaway() -> None:
        outcome["reply"] = server.request("GET", "/sparql", params={"query": RUNAWAY})
        outcome["others_done_first"] = "fast" in outcome

    thread = threading.Thread(target=runaway)
    spent = {pid: cpu_seconds(pid) for pid in engines_before}
    thread.start()
    try:
        # Once an engine is busy with the runaway (it has used half a second of CPU), the fast queries go.
        deadline = time.monotonic() + 60
        while not any(cpu_seconds(pid) - spent[pid] > 0.5 for pid in spent) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "reply" not in outcome, "the runaway ended before the fast queries could go"
        fast = [server.request("GET", "/sparql", params={"query": WHO_PLAYS_EVE}) for _ in range(5)]
        outcome["fast"] = fast
    finally:
        thread.join(60)
    reply = outcome["reply"]
    assert all(r.status == 200 for r in fast)
    assert outcome["others_done_first"] is True  # the fast queries were answered while the runaway ran
    assert reply.status == 503
    assert f"time limit of {TIMEOUT} s" in reply.text
    status = json.loads(server.request("GET", "/status").body)
    assert status["restarts"] == restarts_before + 1
    # The engine that ran the runaway is gone; a fresh one takes its place; nothing keeps computing.
    # (An as-of test before this one may have left the engine of a date's copy: count against what ran before.)
    deadline = time.monotonic() + 60  # the replacement starts in the background (slowly on a loaded machine)
    while len(server.engine_pids()) != len(engines_before) and time.monotonic() < deadline:
        time.sleep(0.05)
    gone = engines_before - set(server.engine_pids())
    assert len(gone) == 1
    assert not any(running(pid) for pid in gone)
    assert len(server.engine_pids()) == len(engines_before) >= 3
    engines = server.engine_pids()
    before = {pid: cpu_seconds(pid) for pid in engines}
    threading.Event().wait(1.0)
    assert all(cpu_seconds(pid) - before[pid] < 0.5 for pid in engines)


# ---- service description and the JSON API ---------------------------------------------------------------------
def test_service_description_at_the_endpoint(server: ServerProcess) -> None:
    reply = server.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert reply.status == 200
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(server.endpoint)
    assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph


def test_named_queries_over_http(server: ServerProcess) -> None:
    from wickgraph import named_queries

    listing = json.loads(server.request("GET", "/queries").body)
    assert [q["name"] for q in listing] == list(named_queries())
    who = next(q for q in listing if q["name"] == "who-plays")
    assert [p["name"] for p in who["parameters"]] == ["character"]
    reply = server.request("GET", "/queries/who-plays", params={"character": "Rooney"})
    assert reply.status == 200
    rows = json.loads(reply.body)["results"]["bindings"]
    assert "Ana de Armas" in {r["actorLabel"]["value"] for r in rows}
    as_csv = server.request("GET", "/queries/who-plays", params={"character": "Rooney", "format": "csv"})
    assert as_csv.content_type.startswith("text/csv") and "Ana de Armas" in as_csv.text
    assert server.request("GET", "/queries/no-such-query").status == 404
    bad = server.request("GET", "/queries/who-plays", params={"actor": "x"})
    assert bad.status == 400 and "no parameter actor" in json.loads(bad.body)["error"]


def test_entity_cards_over_http(server: ServerProcess) -> None:
    reply = server.request("GET", "/entity", params={"name": "Ana de Armas"})
    assert reply.status == 200
    card = json.loads(reply.body)
    assert card["iri"] == WGD + "ana-de-armas" and card["label"] == "Ana de Armas"
    plays = [f for f in card["facts"] if f["property"] == WG + "plays"]
    assert {f["value"]["value"] for f in plays} >= {WGD + "eve-macarro"}
    assert all(f["source_title"] and f["certainty"] and f["span"] for f in plays)
    missing = server.request("GET", "/entity", params={"name": "Nobody At All"})
    assert missing.status == 404 and "Nobody At All" in json.loads(missing.body)["error"]
    several = server.request("GET", "/entity", params={"name": "Chapter"})
    assert several.status == 300 and len(json.loads(several.body)["candidates"]) > 1


def test_labels_and_search(server: ServerProcess) -> None:
    labels = server.request(
        "POST", "/labels", body=json.dumps([WGD + "ana-de-armas", WGD + "len-wiseman", "http://e/none"])
    )
    assert json.loads(labels.body) == {WGD + "ana-de-armas": "Ana de Armas", WGD + "len-wiseman": "Len Wiseman"}
    found = json.loads(server.request("GET", "/search", params={"text": "rooney"}).body)
    assert found[0]["iri"] == WGD + "eve-macarro"


def test_page_and_assets_are_local(server: ServerProcess) -> None:
    page = server.request("GET", "/")
    assert page.status == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/style.css", "/static/card.js"):
        assert server.request("GET", asset).status == 200
    for text in (page.text, server.request("GET", "/static/app.js").text, server.request("GET", "/card").text):
        assert "http://" not in text.replace("http://www.w3.org", "") and "https://cdn" not in text
    assert server.request("GET", "/static/../app.py").status == 404


def test_engines_die_with_a_killed_server(built_store: Path, tmp_path: Path) -> None:
    """Even a server killed with SIGKILL (no chance to clean up) leaves no engine process running."""
    import signal

    with ServerProcess(built_store, "--workers", "2", env={"TMPDIR": str(tmp_path)}) as other:
        engines = other.engine_pids()
        assert len(engines) == 2
        assert other.process is not None
        other.process.send_signal(signal.SIGKILL)
        other.process.wait()
        deadline = time.monotonic() + 60  # the kernel's kill of each engine, reaped by init, may lag under load
        while any(running(pid) for pid in engines) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(running(pid) for pid in engines)


def test_cors_is_off_unless_asked_for(server: ServerProcess, built_store: Path) -> None:
    plain = server.request("GET", "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://yasgui.example"})
    assert "access-control-allow-origin" not in plain.headers
    assert server.request("OPTIONS", "/sparql").status == 405
    with ServerProcess(built_store, "--cors", "--workers", "1") as open_server:
        preflight = open_server.request(
            "OPTIONS", "/sparql", headers={"Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST"}
        )
        assert preflight.status == 204 and "POST" in preflight.headers["access-control-allow-methods"]
        reply = open_server.request("GET", "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://x"})
        assert reply.status == 200 and reply.headers["access-control-allow-origin"] == "*"


def test_graph_view_of_a_construct_is_the_viz_page(server: ServerProcess) -> None:
    import re
    import urllib.parse
    import urllib.request

    query = "CONSTRUCT { wgd:ballerina wg:director ?d } WHERE { wgd:ballerina wg:director ?d }"
    url = f"{server.url}/viz?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=30) as response:
        page = response.read().decode("utf-8")
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "Len Wiseman" in page and "Ballerina" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']https?://""", page)
