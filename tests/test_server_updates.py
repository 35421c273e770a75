"""`wickgraph serve --allow-updates`: updates need the token, go to a working copy, and LOAD stays refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

import wickgraph
from _server import ServerProcess

TOKEN = "update-test-token"
INSERT = "INSERT DATA { wgd:ballerina rdfs:comment 'added over HTTP' }"
ASK = "ASK { wgd:ballerina rdfs:comment 'added over HTTP' }"


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    with ServerProcess(built_store, "--allow-updates", "--timeout", "5", env={"WICKGRAPH_UPDATE_TOKEN": TOKEN}) as p:
        yield p


def _update(server: ServerProcess, text: str, token: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    reply = server.request("POST", "/sparql", body=text, headers=headers)
    return reply.status, reply.text


def _ask(server: ServerProcess, query: str) -> bool:
    reply = server.request("GET", "/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert reply.status == 200, reply.text
    return bool(json.loads(reply.body)["boolean"])


def test_an_update_needs_the_token(server: ServerProcess) -> None:
    for token in (None, "wrong-token"):
        status, text = _update(server, INSERT, token)
        assert status == 401 and "Authorization: Bearer" in text
    reply = server.request("POST", "/sparql", body=INSERT, headers={"Content-Type": "application/sparql-update"})
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert _ask(server, ASK) is False


def test_an_update_with_the_token_is_applied_to_the_working_copy(server: ServerProcess, built_store: Path) -> None:
    status, text = _update(server, INSERT, TOKEN)
    assert status == 204, text
    assert _ask(server, ASK) is True
    with wickgraph.open_graph(built_store) as kg:  # the built store itself is never written
        assert kg.ask(ASK) is False


def test_load_and_service_stay_refused(server: ServerProcess) -> None:
    status, text = _update(server, "LOAD <http://127.0.0.1:9/data.ttl>", TOKEN)
    assert status == 403 and "--allow-load" in text
    service = "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, text = _update(server, service, TOKEN)
    assert status == 403 and "SERVICE" in text


def test_update_syntax_error_is_400(server: ServerProcess) -> None:
    status, text = _update(server, "CLEAR XYZ", TOKEN)
    assert status == 400 and "1:" in text


def test_service_description_lists_update(server: ServerProcess) -> None:
    reply = server.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) in graph


def test_updates_need_a_token_to_start(built_store: Path) -> None:
    from click.testing import CliRunner

    from wickgraph.cli import cli

    result = CliRunner().invoke(
        cli, ["serve", "--store", str(built_store), "--allow-updates"], env={"WICKGRAPH_UPDATE_TOKEN": ""}
    )
    assert result.exit_code == 2
    assert "--allow-updates needs a token" in result.output
