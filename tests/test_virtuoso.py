"""Virtuoso 7 (Debian's virtuoso-opensource), started by the tests: push, credentials, row caps, the default graph.

The shared server (fixture ``virtuoso``) has Debian's row cap, ResultSetMaxRows = 10,000; the push tests start
servers of their own, so that what they write is all the server holds.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode

import wickgraph
from conftest import need_virtuoso
from wickgraph import Endpoint, EndpointAuthError, EndpointError, EndpointQueryError, KnowledgeGraph, RemoteStore
from wickgraph.cli import cli
from wickgraph.errors import EndpointRowCapError, ResultTooLargeError
from wickgraph.results import SelectResult
from wickgraph.store.remote import MERGE_GRAPH
from wickgraph.terms import value
from wickgraph.testing.virtuoso_server import VirtuosoServer

_CROSS = "SELECT ?a ?b WHERE { GRAPH <https://w3id.org/wickgraph/graph/entities> { ?a a ?t . ?b a ?u } }"
"""An answer far bigger than 10,000 rows (every pair of entities)."""


def _count(store: RemoteStore, pattern: str) -> int:
    rows = store.query_plain(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    assert isinstance(rows, SelectResult)
    return int(str(rows[0]["n"].value))  # type: ignore[union-attr]


def _wick_quads(store: RemoteStore) -> int:
    return _count(
        store,
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), 'https://w3id.org/wickgraph/') && ?g != <{MERGE_GRAPH}>)",
    )


def test_push_with_only_the_endpoint_and_credentials_twice(
    built_store: Path, kg: KnowledgeGraph, tmp_path: Path
) -> None:
    need_virtuoso()
    runner = CliRunner()
    quads = kg.counts()["quads"]
    with VirtuosoServer() as server:
        url = server.url + "/sparql"
        args = ["push", "--store", str(built_store), "--endpoint", url, "--user", "dba"]
        env = {"WICKGRAPH_PASSWORD": server.password, "WICKGRAPH_CONFIG": str(tmp_path / "none.toml")}
        store = RemoteStore(Endpoint(url))
        for _ in range(2):  # the second time replaces, and adds nothing
            result = runner.invoke(cli, args, env=env)
            assert result.exit_code == 0, result.output
            # Updates go to /sparql-auth (digest authentication) without being told.
            assert (
                f"Pushed {quads} triples in {len(kg.store.named_graphs())} named graphs to {url}-auth" in result.stdout
            )
            assert f"written to <{MERGE_GRAPH}>, which --union client uses" in result.stdout
            # The union check counts: Virtuoso's default graph holds its own system graphs too.
            assert "query with --union client" in result.stdout
            assert _wick_quads(store) == quads
        assert store.named_graphs() == kg.store.named_graphs()
        # The ontology's blank nodes (OWL lists) arrived as blank nodes, not as skolem IRIs.
        assert store.query_plain(
            "ASK { GRAPH <https://w3id.org/wickgraph/graph/ontology> { ?s ?p ?o FILTER(isBlank(?o)) } }"
        )
        # Whole-number decimals keep their datatype.
        with KnowledgeGraph(RemoteStore(Endpoint(url, union="client"))) as graph:
            query = "SELECT ?o WHERE { wgd:ballerina wg:budgetUSD ?o }"
            assert graph.select(query).rows == kg.select(query).rows


def test_push_report_counts_the_default_graph(built_store: Path, kg: KnowledgeGraph) -> None:
    """The union check compares the default graph with the merge of wickgraph's graphs, triple for triple."""
    need_virtuoso()
    with VirtuosoServer() as server:
        report = wickgraph.push(server.endpoint(), built_store)
        named = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
        merged = int(value(kg.select(named)[0], "n"))
        assert report.merged == merged
        assert report.server_union is True
        assert report.default_graph == merged and report.merge_graph == MERGE_GRAPH
        assert report.default_graph_seen is not None and report.default_graph_seen > merged
        assert report.default_graph_is_union is False
        assert f"holds {report.default_graph_seen} triples, not the {merged} of wickgraph's graphs" in report.summary()
        # With --union client the default graph is exactly the merge of wickgraph's graphs: the same triples,
        # once each (the 31 rows for 10 came from the server's own union).
        with wickgraph.open_graph(endpoint=server.endpoint(union="client")) as graph:
            distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
            assert int(value(graph.select(distinct)[0], "n")) == merged
            performances = "SELECT ?perf WHERE { ?perf wg:work wgd:ballerina }"
            assert sorted(map(str, graph.select(performances).column("perf"))) == sorted(
                map(str, kg.select(performances).column("perf"))
            )
            assert _count(graph.store, f"GRAPH <{MERGE_GRAPH}> {{ ?s ?p ?o }}") == merged  # type: ignore[arg-type]
        again = wickgraph.push(server.endpoint(), built_store, default_graph=False)
        assert again.default_graph is None and again.default_graph_is_union is False
        assert again.default_graph_seen == report.default_graph_seen
        assert not RemoteStore(server.endpoint()).has_merge_graph()  # no stale merge left behind
        # Asked to use the server's default graph, the store refuses rather than answer from the system graphs.
        with (
            wickgraph.open_graph(endpoint=server.endpoint(union="server")) as graph,
            pytest.raises(
                EndpointError, match=r"also holds graphs that are not wickgraph.s, such as <http.* --union client"
            ),
        ):
            graph.run("lead-of")


def test_wrong_password_is_refused_in_one_line(virtuoso: VirtuosoServer) -> None:
    store = RemoteStore(Endpoint(virtuoso.url + "/sparql", user="dba", password="wrong"))
    with pytest.raises(EndpointAuthError, match=r"sparql-auth: the server refused the credentials \(HTTP 401"):
        store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
    anonymous = RemoteStore(Endpoint(virtuoso.url + "/sparql-auth"))
    with pytest.raises(EndpointAuthError):
        anonymous.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
    assert RemoteStore(virtuoso.endpoint()).query_plain("ASK { GRAPH <urn:x> { ?s ?p ?o } }") is False


def test_push_without_credentials_says_what_virtuoso_needs(virtuoso: VirtuosoServer, built_store: Path) -> None:
    """Not retried in smaller batches: the refusal is about rights, and the message says which."""
    with pytest.raises(wickgraph.PushError) as caught:
        wickgraph.push(virtuoso.url + "/sparql", built_store)
    message = str(caught.value)
    planned = re.search(r"push failed in batch 1 of (\d+) ", message)
    assert planned is not None and int(planned.group(1)) < 10  # the plan, not 188 graphs one by one
    assert "nothing was written" in message
    assert "give --user and --password of an account with the SPARQL_UPDATE role" in message
    assert "\n" not in message


def test_row_cap_is_an_error_with_the_count(virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    store = RemoteStore(virtuoso.endpoint(union="none"))
    with pytest.raises(EndpointRowCapError) as caught:
        store.query(_CROSS)
    assert caught.value.rows == 10_000
    assert isinstance(caught.value, ResultTooLargeError)
    assert "cut the answer at 10000 rows, its row cap (X-SPARQL-MaxRows: 10000" in str(caught.value)
    # An answer that the query's own LIMIT makes exactly as long as the cap is whole, and accepted.
    exact = store.query(_CROSS + " LIMIT 10000")
    assert isinstance(exact, SelectResult) and len(exact) == 10_000
    small = store.query(_CROSS + " LIMIT 5")
    assert isinstance(small, SelectResult) and len(small) == 5
    env = {"WICKGRAPH_CONFIG": str(tmp_path / "none.toml")}
    result = CliRunner().invoke(
        cli, ["query", _CROSS, "--endpoint", virtuoso.url + "/sparql", "--union", "none"], env=env
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1 and "cut the answer at 10000 rows" in lines[0], result.output


def test_quads_are_read_in_requests_below_the_row_cap(built_store: Path, kg: KnowledgeGraph) -> None:
    """Store.quads() over a server whose row cap is below the graph's size: the requests halve until each answer
    is whole, and every quad comes, once (the embedded store's quads, blank nodes aside)."""
    need_virtuoso()

    def key(quad: tuple[object, ...]) -> tuple[str, ...]:
        return tuple("_:b" if isinstance(term, BlankNode) else str(term) for term in quad)

    expected = Counter(map(key, kg.store.quads()))
    assert sum(expected.values()) > 2_000  # more than the cap below: the halving is needed
    with VirtuosoServer(max_rows=1_000) as server:
        wickgraph.push(server.endpoint(), built_store)
        store = RemoteStore(server.endpoint(timeout=600))
        with pytest.raises(EndpointRowCapError):  # all graphs in one request: cut at the cap
            store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert Counter(map(key, store.quads())) == expected


def test_construct_cut_at_the_cap_is_an_error_too(virtuoso: VirtuosoServer) -> None:
    """Virtuoso cuts CONSTRUCT answers at ResultSetMaxRows without a header; wickgraph asks once for the cap."""
    store = RemoteStore(virtuoso.endpoint(union="none"))
    construct = "CONSTRUCT { ?a <urn:wickgraph-test:with> ?b } " + _CROSS[_CROSS.index("WHERE") :]
    with pytest.raises(
        EndpointRowCapError, match=r"cut the answer at \d+ triples, its row cap .*ResultSetMaxRows 10000"
    ) as caught:
        store.query(construct)
    assert caught.value.rows >= 10_000  # Virtuoso sends the cap's worth of triples (and one more)
    small = store.query(construct + " LIMIT 20")
    assert isinstance(small, wickgraph.GraphResult) and 0 < len(small) <= 20  # a small answer passes


def test_syntax_error_is_placed_in_the_users_lines(virtuoso: VirtuosoServer) -> None:
    with wickgraph.open_graph(endpoint=virtuoso.endpoint()) as graph, pytest.raises(EndpointQueryError) as caught:
        graph.query("SELECT ?x WHERE {\n  ?x ?y }")
    assert caught.value.line == 2, str(caught.value)
    message = str(caught.value)
    assert message.startswith(f"{virtuoso.url}/sparql: the server rejected the query at line 2: ")
    assert "syntax error" in message
    assert "define input:" not in message  # the query Virtuoso quotes back is left out


def test_digest_answer_is_rfc_7616() -> None:
    """The worked example of RFC 2617 section 3.5 (MD5, qop=auth), with its client nonce."""
    from wickgraph.store import auth

    challenge = (
        'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"'
    )
    original = auth.secrets_token
    try:
        auth.secrets_token = lambda: "0a4f113b"
        header = auth.digest_authorization(
            challenge, "GET", "http://www.nowhere.org/dir/index.html", "Mufasa", "Circle Of Life"
        )
    finally:
        auth.secrets_token = original
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header


def _gone(pid: int, seconds: float = 60.0) -> bool:
    """Whether the process ``pid`` is gone (or a zombie) within ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def test_no_server_is_left_behind_stopped_or_killed(tmp_path: Path) -> None:
    """Stopped, the server is gone with its files; and when the process that started it is killed with
    SIGKILL (no clean-up runs), the kernel stops the server too."""
    import os
    import shutil
    import signal
    import subprocess
    import sys

    need_virtuoso()
    with VirtuosoServer() as server:
        assert server.process is not None
        pid = server.process.pid
        location = server.location
        assert location is not None and (location / "virtuoso.db").is_file()
    assert _gone(pid)
    assert not location.exists()

    script = (
        "import sys, time\n"
        "from wickgraph.testing.virtuoso_server import VirtuosoServer\n"
        "server = VirtuosoServer().start()\n"
        "print(server.process.pid, server.location, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    left, child = "", 0
    try:
        assert parent.stdout is not None
        pid_text, left = parent.stdout.readline().split(maxsplit=1)
        child = int(pid_text)
        assert not _gone(child, 0.5)  # running
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert _gone(child)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
        if child and not _gone(child, 0):
            os.kill(child, signal.SIGKILL)  # this test's own server, if the kernel did not stop it
        if left.strip():
            shutil.rmtree(left.strip(), ignore_errors=True)  # the files a killed run cannot remove


def test_header_limit_is_raised_only_as_far_as_the_dataset_needs() -> None:
    """Virtuoso echoes each graph of a dataset in a header of its own; wickgraph expects two per graph it sends,
    and a server that sends thousands more is still refused, in one line."""
    import json
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from wickgraph.store.base import GraphView

    class Echo(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
            answer = json.dumps({"head": {}, "boolean": True}).encode()
            self.send_response(200)
            for graph in form.get("default-graph-uri", []):
                self.send_header("X-SPARQL-default-graph", graph)
            for graph in form.get("named-graph-uri", []):
                self.send_header("X-SPARQL-named-graph", graph)
            for i in range(5000 if "flood" in form.get("query", [""])[0] else 0):
                self.send_header("X-Noise", str(i))
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = RemoteStore(Endpoint(f"http://127.0.0.1:{server.server_address[1]}/sparql", union="none"))
        graphs = tuple(f"https://w3id.org/wickgraph/claim/x/{i}" for i in range(300))
        assert store.query("ASK {}", GraphView(graphs)) is True  # 600 echoed headers, then the answer
        with pytest.raises(EndpointError, match=r"did not speak HTTP .*got more than \d+ headers"):
            store.query("ASK { } # flood")
    finally:
        server.shutdown()
        server.server_close()


def test_answers_are_made_alike_at_the_boundary(virtuoso: VirtuosoServer) -> None:
    """Virtuoso's booleans (1/0), number forms and blank-node labels come out as the embedded store gives them."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    from wickgraph.store.answers import parse_answer

    xsd = "http://www.w3.org/2001/XMLSchema#"
    store = RemoteStore(virtuoso.endpoint(union="none"))
    rows = store.query(
        "SELECT (xsd:boolean(1 < 2) AS ?yes) (xsd:boolean(2 < 1) AS ?no) (1.50 AS ?dec) (1.0e0 AS ?dbl) ?b WHERE { "
        "GRAPH <https://w3id.org/wickgraph/graph/ontology> { ?s ?p ?b FILTER(isBlank(?b)) } } LIMIT 1"
    )
    assert isinstance(rows, SelectResult)
    row = rows[0]
    assert row["yes"] == Literal("true", datatype=NamedNode(xsd + "boolean"))
    assert row["no"] == Literal("false", datatype=NamedNode(xsd + "boolean"))
    assert row["dec"] == Literal("1.5", datatype=NamedNode(xsd + "decimal"))
    assert row["dbl"] == Literal("1", datatype=NamedNode(xsd + "double"))
    assert isinstance(row["b"], BlankNode)  # a label like nodeID://b10092, taken

    body = b"""{ "head": { "vars": ["b", "n", "x"] }, "results": { "bindings": [
      { "b": { "type": "bnode", "value": "nodeID://b10092" }, "n": { "type": "typed-literal",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "007" } },
      { "b": { "type": "bnode", "value": "nodeID://b10092" }, "x": { "type": "typed-literal",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "seven" } } ] } }"""
    parsed = parse_answer("http://127.0.0.1:1/sparql", body, "application/sparql-results+json")
    assert isinstance(parsed, SelectResult)
    first, second = parsed.rows
    assert first["b"] == second["b"]  # one label, one node, within an answer
    assert first["n"] == Literal("7", datatype=NamedNode(xsd + "integer"))
    assert second["x"] == Literal("seven", datatype=NamedNode(xsd + "integer"))  # not a number: kept as it is
    assert first["x"] is None
