"""The remote backend's edges: bad endpoints, credentials, rejected queries, push semantics, CLI and config.

Real parts only: a real `oxigraph serve`, and for what a real SPARQL server will not do on demand (answer with
an HTML page, ask for a password, stall, fail in the middle of a push) a tiny local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode

import wickgraph
from _readme import section, wickgraph_examples
from wickgraph import (
    Endpoint,
    EndpointAuthError,
    EndpointError,
    EndpointQueryError,
    EndpointResponseError,
    EndpointUnreachableError,
    KnowledgeGraph,
    PushError,
    QueryError,
    RemoteStore,
)
from wickgraph.cli import cli
from wickgraph.config import endpoint_config, resolve_endpoint
from wickgraph.store.local import free_port
from wickgraph.testing.oxigraph_server import OxigraphServer

Reply = tuple[int, dict[str, str], bytes]
Responder = Callable[[BaseHTTPRequestHandler, bytes], Reply]


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, data = self.server.respond(self, body)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def local_server(respond: Responder) -> Iterator[str]:
    """A tiny HTTP server on 127.0.0.1 answering with ``respond``; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.respond = respond  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def forward(upstream: str, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
    """Pass the request ``handler`` holds (its method, path, body, content type and accept) on to ``upstream`` and
    give back its answer, an HTTP error included: the honest part of a proxy that fails on purpose."""
    headers = {k: v for k, v in handler.headers.items() if k.lower() in ("content-type", "accept")}
    request = urllib.request.Request(
        upstream + handler.path, data=body or None, method=handler.command, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {"Content-Type": response.headers.get("Content-Type", "")}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {"Content-Type": exc.headers.get("Content-Type", "")}, exc.read()


def _sparql_json(body: bytes) -> Reply:
    """A minimal correct SPARQL answer: ASK -> true, SELECT -> no rows."""
    query = urllib.parse.parse_qs(body.decode()).get("query", [""])[0]
    if "SELECT" in query.upper():
        data = {"head": {"vars": ["x"]}, "results": {"bindings": []}}
    else:
        data = {"head": {}, "boolean": True}
    return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(data).encode()


def _one_error_line(output: str) -> str:
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("Error: "), output
    return lines[0]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user config file or WICKGRAPH_* endpoint variable leaks into these tests."""
    monkeypatch.setenv("WICKGRAPH_CONFIG", str(tmp_path / "no-config.toml"))
    for name in (
        "ENDPOINT",
        "UPDATE_ENDPOINT",
        "GRAPH_STORE_ENDPOINT",
        "USER",
        "PASSWORD",
        "TOKEN",
        "TIMEOUT",
        "UNION",
    ):
        monkeypatch.delenv(f"WICKGRAPH_{name}", raising=False)


# ---- bad endpoints -----------------------------------------------------------------------------------------------
def test_server_down(runner: CliRunner) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointUnreachableError, match="connection refused"):
        RemoteStore(url).query("ASK {}")
    result = runner.invoke(cli, ["query", "lead-of", "--endpoint", url])
    assert result.exit_code == 1
    assert (
        _one_error_line(result.output) == f"Error: {url}: connection refused: is the server running, and on that port?"
    )


def test_html_page_is_not_sparql_results(runner: CliRunner) -> None:
    page = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>Hello</body></html>"
    with local_server(lambda h, b: (200, {"Content-Type": "text/html; charset=utf-8"}, page)) as base:
        with pytest.raises(EndpointResponseError, match="answered with an HTML page, not SPARQL results"):
            RemoteStore(base + "/").query("ASK {}")
        result = runner.invoke(cli, ["query", "ASK {}", "--endpoint", base + "/"])
    assert result.exit_code == 1
    line = _one_error_line(result.output)
    assert line.startswith(f"Error: {base}/: answered with an HTML page")


def test_error_page() -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
    reply = (502, {"Content-Type": "text/html"}, page)
    with local_server(lambda h, b: reply) as base, pytest.raises(EndpointResponseError) as caught:
        RemoteStore(base + "/sparql").query("ASK {}")
    assert str(caught.value) == f"{base}/sparql: HTTP 502 Bad Gateway: 502 Bad Gateway"


def test_json_that_is_not_sparql_results() -> None:
    reply = (200, {"Content-Type": "application/sparql-results+json"}, b'{"hello": [1')
    with (
        local_server(lambda h, b: reply) as base,
        pytest.raises(EndpointResponseError, match="does not parse as SPARQL results"),
    ):
        RemoteStore(base + "/sparql").query("ASK {}")


def test_construct_answered_as_text_plain_is_read_as_n_triples() -> None:
    reply = (200, {"Content-Type": "text/plain"}, b"<http://e/a> <http://e/b> <http://e/c> .\n")
    with local_server(lambda h, b: reply) as base:
        graph = RemoteStore(Endpoint(base + "/sparql", union="none")).query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(graph, wickgraph.GraphResult)
    assert graph.serialize("nt") == "<http://e/a> <http://e/b> <http://e/c> .\n"


def test_rate_limited() -> None:
    reply = (429, {"Content-Type": "text/plain", "Retry-After": "7"}, b"Too many requests")
    with local_server(lambda h, b: reply) as base, pytest.raises(EndpointResponseError) as caught:
        RemoteStore(Endpoint(base + "/sparql", union="none")).query("ASK {}")
    assert str(caught.value) == (
        f"{base}/sparql: the server is limiting this client's requests (HTTP 429 Too Many Requests); retry after 7 s"
    )


def test_not_an_endpoint(oxigraph_union: OxigraphServer) -> None:
    with pytest.raises(EndpointResponseError, match="HTTP 404 Not Found: no SPARQL endpoint at this URL"):
        RemoteStore(oxigraph_union.url + "/sparql-nothing-here").query("ASK {}")
    with pytest.raises(EndpointError, match="not an http:// or https:// URL"):
        Endpoint("ftp://example.org/sparql")


def test_timeout() -> None:
    def slow(handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        time.sleep(2)
        return _sparql_json(body)

    with local_server(slow) as base, pytest.raises(EndpointUnreachableError) as caught:
        RemoteStore(Endpoint(base + "/sparql", timeout=1)).query("ASK {}")
    assert str(caught.value) == f"{base}/sparql: no answer within 1 s (the timeout)"


# ---- credentials -------------------------------------------------------------------------------------------------
def _guarded(expected: str) -> Responder:
    def respond(handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        if handler.headers.get("Authorization") != expected:
            return 401, {"WWW-Authenticate": 'Basic realm="wick"', "Content-Type": "text/plain"}, b"Unauthorized"
        return _sparql_json(body)

    return respond


def test_basic_auth(runner: CliRunner) -> None:
    good = "Basic " + base64.b64encode(b"wick:secret").decode()
    with local_server(_guarded(good)) as base:
        url = base + "/sparql"
        assert RemoteStore(Endpoint(url, user="wick", password="secret")).query("ASK {}") is True
        with pytest.raises(EndpointAuthError, match=r"refused the credentials \(HTTP 401 Unauthorized\)"):
            RemoteStore(Endpoint(url, user="wick", password="wrong")).query("ASK {}")
        with pytest.raises(EndpointAuthError):
            RemoteStore(url).query("ASK {}")
        ok = runner.invoke(
            cli, ["query", "ASK {}", "--endpoint", url, "--user", "wick"], env={"WICKGRAPH_PASSWORD": "secret"}
        )
        bad = runner.invoke(cli, ["query", "ASK {}", "--endpoint", url, "--user", "wick", "--password", "nope"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.strip() == "true"
    assert bad.exit_code == 1
    assert _one_error_line(bad.output).startswith(f"Error: {url}: the server refused the credentials (HTTP 401")


def test_bearer_token() -> None:
    with local_server(_guarded("Bearer t0k3n")) as base:
        assert RemoteStore(Endpoint(base + "/sparql", token="t0k3n")).query("ASK {}") is True
        with pytest.raises(EndpointAuthError):
            RemoteStore(Endpoint(base + "/sparql", token="other")).query("ASK {}")
    with pytest.raises(EndpointError, match="not both"):
        Endpoint("http://127.0.0.1:1/sparql", token="t", user="u")


# ---- queries the server rejects ------------------------------------------------------------------------------------
def test_rejected_query_names_the_endpoint_and_the_users_line(
    oxigraph_union: OxigraphServer, runner: CliRunner
) -> None:
    url = oxigraph_union.url + "/query"
    with wickgraph.open_graph(endpoint=url) as graph, pytest.raises(EndpointQueryError) as caught:
        graph.query("SELECT ?x WHERE {\n  ?x ?y }")
    assert caught.value.line == 2  # the user's line, not counting the prefixes wickgraph adds
    assert str(caught.value).startswith(f"{url}: the server rejected the query at line 2, column ")
    assert isinstance(caught.value, QueryError)
    result = runner.invoke(cli, ["query", "SELECT ?x WHERE {\n  ?x ?y }", "--endpoint", url])
    assert result.exit_code == 1
    assert _one_error_line(result.output).startswith(f"Error: {url}: the server rejected the query at line 2")


def test_a_query_cannot_write(oxigraph_union: OxigraphServer) -> None:
    store = RemoteStore(oxigraph_union.endpoint())
    with pytest.raises(QueryError, match="cannot change the graph"):
        store.query("INSERT DATA { <https://w3id.org/wickgraph/id/x> <https://w3id.org/wickgraph/id/y> 1 }")
    assert store.query("ASK { <https://w3id.org/wickgraph/id/x> ?p ?o }") is False


# ---- push --------------------------------------------------------------------------------------------------------
def _quads(store: RemoteStore) -> set[tuple[str, ...]]:
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", None)
    assert isinstance(rows, wickgraph.SelectResult)
    return {tuple("_:b" if isinstance(row[v], BlankNode) else str(row[v]) for v in "gspo") for row in rows}


def _count(store: RemoteStore, pattern: str = "GRAPH ?g { ?s ?p ?o }") -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", None)
    assert isinstance(rows, wickgraph.SelectResult)
    return int(str(rows[0]["n"].value))  # type: ignore[union-attr]


def test_push_is_idempotent_and_both_methods_agree(built_store: Path, kg: KnowledgeGraph) -> None:
    expected_quads = kg.counts()["quads"]
    with OxigraphServer() as server:
        store = RemoteStore(server.endpoint(union="none"))
        first = wickgraph.push(server.endpoint(), built_store, method="update", batch_size=1000)
        assert first.triples == expected_quads
        assert first.graphs == len(kg.store.named_graphs())
        assert first.batches > 1
        assert _count(store) == expected_quads
        after_update = _quads(store)
        second = wickgraph.push(server.endpoint(graph_store=True), built_store, method="graph-store")
        assert second.method == "Graph Store Protocol PUT"
        assert second.batches == second.graphs
        assert _count(store) == expected_quads  # replaced, not added
        assert _quads(store) == after_update
        assert store.named_graphs() == kg.store.named_graphs()


def test_push_replace_drops_only_stale_wickgraph_graphs(built_store: Path) -> None:
    stale = "https://w3id.org/wickgraph/claim/withdrawn/1"
    foreign = "https://example.org/someone-elses-graph"
    with OxigraphServer() as server:
        store = RemoteStore(server.endpoint(union="none"))
        store.update(
            f"INSERT DATA {{ GRAPH <{stale}> {{ <urn:a> <urn:b> <urn:c> }} GRAPH <{foreign}> {{ <urn:a> <urn:b> <urn:c> }} }}"
        )
        kept = wickgraph.push(server.endpoint(), built_store)
        assert kept.dropped == ()
        assert stale in RemoteStore(server.endpoint()).named_graphs()
        replaced = wickgraph.push(server.endpoint(), built_store, replace=True)
        assert replaced.dropped == (stale,)
        assert "dropped 1 wickgraph graphs" in replaced.summary()
        assert stale not in RemoteStore(server.endpoint()).named_graphs()
        assert store.query(f"ASK {{ GRAPH <{foreign}> {{ ?s ?p ?o }} }}") is True


def test_push_writes_the_default_graph_as_built(built_store: Path, kg: KnowledgeGraph) -> None:
    # The built store's default graph, but for the RDF 1.2 reifiers, which push leaves out.
    rows = kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(!isTriple(?o)) }")
    expected = int(str(rows[0]["n"].value))  # type: ignore[union-attr]
    assert kg.ask("ASK { ?claim rdf:reifies ?t FILTER(isTriple(?t)) }")  # there are some to leave out
    with OxigraphServer() as server:
        store = RemoteStore(server.endpoint(union="none"))
        store.update("INSERT DATA { <urn:left:over> <urn:left:over> <urn:left:over> }")
        for _ in range(2):  # twice: the same default graph, not twice as many triples
            report = wickgraph.push(server.endpoint(), built_store)
            assert report.default_graph == expected
            assert report.default_graph_is_union is True
            assert _count(store, "?s ?p ?o") == expected
        assert store.query("ASK { <urn:left:over> ?p ?o }") is False
        assert f"default graph: the merge of the graphs, {expected} triples" in report.summary()


def _failing_proxy(upstream: str, fail_after: int) -> Responder:
    """Forward to ``upstream``, but answer 503 to every write after the first ``fail_after`` writes."""
    writes = 0
    lock = threading.Lock()

    def respond(handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        nonlocal writes
        if handler.path.startswith(("/update", "/store")):
            with lock:
                writes += 1
                if writes > fail_after:
                    return 503, {"Content-Type": "text/plain"}, b"Service Unavailable: disk full"
        return forward(upstream, handler, body)

    return respond


@pytest.mark.parametrize("method", ["update", "graph-store"])
def test_push_that_fails_half_way_says_what_it_wrote(built_store: Path, method: str) -> None:
    marker = "<urn:wickgraph-test:marker> <urn:wickgraph-test:marker> <urn:wickgraph-test:old>"
    with OxigraphServer() as server:
        wickgraph.push(server.endpoint(), built_store)
        direct = RemoteStore(server.endpoint(union="none"))
        direct.update(
            f"INSERT {{ GRAPH ?g {{ {marker} }} }} WHERE {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
        )
        graphs = direct.named_graphs()
        with local_server(_failing_proxy(server.url, fail_after=2)) as proxy:
            endpoint = Endpoint(proxy + "/query", graph_store=proxy + "/store")
            with pytest.raises(PushError) as caught:
                wickgraph.push(endpoint, built_store, method=method, batch_size=1000)  # type: ignore[arg-type]
        error = caught.value
        message = str(error)
        assert "\n" not in message
        assert message.startswith(proxy + "/")
        assert "push failed in batch 3 of" in message
        assert "HTTP 503 Service Unavailable: Service Unavailable: disk full" in message
        assert "batches 1-2 were written" in message
        assert "all others as they were before the push" in message
        assert "the default graph is as it was" in message
        written = error.graphs_written
        assert written >= 2
        assert f"{written} of {len(graphs)} graphs" in message
        marked = {
            str(row["g"].value)  # type: ignore[union-attr]
            for row in direct.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ {marker} }} }}")  # type: ignore[union-attr]
        }
        # Push writes graphs in IRI order: the first `written` are new (no marker), the others untouched.
        assert marked == set(graphs[written:])


def test_push_that_fails_at_once_wrote_nothing(built_store: Path) -> None:
    with OxigraphServer() as server, local_server(_failing_proxy(server.url, fail_after=0)) as proxy:
        with pytest.raises(PushError, match=r"push failed in batch 1 of 1 .*nothing was written"):
            wickgraph.push(proxy + "/query", built_store)
        assert RemoteStore(server.endpoint()).named_graphs() == []


# ---- the command line ----------------------------------------------------------------------------------------------
def test_cli_push_then_query(built_store: Path, runner: CliRunner, kg: KnowledgeGraph) -> None:
    with OxigraphServer() as server:
        url = server.url + "/query"
        args = ["push", "--store", str(built_store), "--endpoint", url, "--batch-size", "1000"]
        first = runner.invoke(cli, args)
        assert first.exit_code == 0, first.output
        quads = kg.counts()["quads"]
        graphs = len(kg.store.named_graphs())
        assert f"Pushed {quads} triples in {graphs} named graphs to {server.url}/update" in first.stdout
        assert "default graph: the merge of the graphs" in first.stdout
        second = runner.invoke(cli, args)
        assert second.exit_code == 0, second.output
        assert _count(RemoteStore(url)) == quads

        remote = runner.invoke(cli, ["query", "lead-of", "--format", "tsv", "--endpoint", url])
        local = runner.invoke(cli, ["query", "lead-of", "--format", "tsv", "--store", str(built_store)])
        assert remote.exit_code == 0, remote.output
        assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())

        from_env = runner.invoke(cli, ["show", "Ruska Roma"], env={"WICKGRAPH_ENDPOINT": url})
        assert from_env.exit_code == 0, from_env.output
        assert "The Director" in from_env.stdout


def test_cli_push_needs_an_endpoint(built_store: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["push", "--store", str(built_store)])
    assert result.exit_code == 1
    assert "pass --endpoint URL" in _one_error_line(result.output)


def test_cli_store_and_endpoint_together(runner: CliRunner, built_store: Path) -> None:
    result = runner.invoke(cli, ["query", "ASK {}", "--store", str(built_store), "--endpoint", "http://127.0.0.1:1/q"])
    assert result.exit_code == 2
    assert "--store and --endpoint are both given on the command line" in result.output
    # A store on the command line wins over an endpoint in the environment.
    result = runner.invoke(
        cli, ["query", "ASK {}", "--store", str(built_store)], env={"WICKGRAPH_ENDPOINT": "http://127.0.0.1:1/q"}
    )
    assert result.exit_code == 0, result.output


def test_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner, oxigraph_union: OxigraphServer
) -> None:
    url = oxigraph_union.url + "/query"
    config = tmp_path / "config.toml"
    config.write_text(f'[endpoint]\nquery = "{url}"\ntimeout = 45\nuser = "wick"\npassword = "secret"\n')
    monkeypatch.setenv("WICKGRAPH_CONFIG", str(config))
    result = runner.invoke(cli, ["query", "ASK { wgd:ballerina wg:director wgd:len-wiseman }"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "true"
    endpoint = resolve_endpoint()
    assert endpoint is not None
    assert (endpoint.query, endpoint.timeout, endpoint.user) == (url, 45.0, "wick")
    # The file's credentials go to the file's server only.
    other = resolve_endpoint(query="http://127.0.0.1:1/sparql")
    assert other is not None
    assert (other.user, other.password, other.timeout) == (None, None, 60.0)
    # Explicit settings win over the file's.
    assert resolve_endpoint(query=url, timeout=5).timeout == 5.0  # type: ignore[union-attr]


def test_bad_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[endpoint]\nquery = "http://127.0.0.1:7878/query"\npasword = "typo"\n')
    with pytest.raises(wickgraph.WickgraphError, match=r"config.toml: unknown key 'pasword' in \[endpoint\]"):
        endpoint_config(config)
    config.write_text("[endpoint\n")
    with pytest.raises(wickgraph.WickgraphError, match="cannot read the config file"):
        endpoint_config(config)


def test_endpoint_urls() -> None:
    assert Endpoint("http://h:3030/wick/query").update_url == "http://h:3030/wick/update"
    assert Endpoint("http://h:8890/sparql").update_url == "http://h:8890/sparql"
    assert Endpoint("http://h/q", update="http://h/u").update_url == "http://h/u"
    assert "secret" not in repr(Endpoint("http://h/q", user="u", password="secret"))


# ---- the README's examples ------------------------------------------------------------------------------------------
def _readme_examples() -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for each `$ wickgraph …` line of the README's server section that
    talks to the example server at 127.0.0.1:7878."""
    examples = wickgraph_examples(section("## Using a SPARQL server"), fence="text")
    return [(command, shown) for command, shown in examples if "127.0.0.1:7878" in command]


def _shape(line: str) -> str:
    return re.sub(r"\d+(\.\d+)?", "#", line)


def test_readme_server_examples(built_store: Path, runner: CliRunner) -> None:
    examples = _readme_examples()
    assert [shlex.split(c)[1] for c, _ in examples] == ["push", "query", "query"]
    with OxigraphServer() as server:
        for command, shown in examples:
            args = shlex.split(command.replace("http://127.0.0.1:7878", server.url))[1:]
            if args[0] == "push":
                args += ["--store", str(built_store), "-q"]
            result = runner.invoke(cli, args)
            assert result.exit_code == 0, result.output
            produced = [
                _shape(line.replace(server.url, "http://127.0.0.1:7878")) for line in result.stdout.splitlines()
            ]
            position = 0
            for line in shown:  # every shown line appears in the real output, in order
                matches = [j for j in range(position, len(produced)) if produced[j] == _shape(line)]
                assert matches, f"README shows {line!r} after `{command}`; the command printed:\n{result.stdout}"
                position = matches[0] + 1
