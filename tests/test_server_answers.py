"""The answer cache (``wickgraph.server.answers``): the same query asked the same way within one generation is
answered from memory, and the cache is made to fail in every way it could: a new generation served an old answer,
an error, a timed-out or per-call answer kept, two requests that differ (Accept, host name, as-of) given one
answer, a guard skipped on a hit, and memory filled by distinct or huge answers."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from wickgraph.server import Limits, ServerConfig, WickgraphApp
from wickgraph.server.answers import AnswerCache, AnswerKey
from wickgraph.server.engine import EnginePool
from wickgraph.store.embedded import new_generation_dir, publish_generation

DIRECTED = "ASK { wgd:ballerina wg:director wgd:len-wiseman }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = "application/sparql-results+json"


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class App:
    """The real WSGI application over a real engine pool, called without HTTP."""

    def __init__(self, app: WickgraphApp) -> None:
        self.app = app

    def get(self, path: str, params: dict[str, str], *, accept: str = JSON, host: str = "127.0.0.1:7878") -> Answer:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urlencode(params),
            "HTTP_HOST": host,
            "HTTP_ACCEPT": accept,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "7878",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
        }
        seen: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            seen["status"] = int(status.split()[0])
            seen["headers"] = dict(headers)

        body = b"".join(self.app(environ, start_response))
        return Answer(seen["status"], seen["headers"]["Content-Type"], body)

    def sparql(self, query: str, **options: Any) -> Answer:
        params = {"query": query}
        if "as_of" in options:
            params["as-of"] = options.pop("as_of")
        return self.get("/sparql", params, **options)


@pytest.fixture()
def store(built_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(built_store, copy, symlinks=True, ignore=shutil.ignore_patterns("as-of"))
    return copy


def _app(store: Path, **limits: Any) -> Iterator[App]:
    config = ServerConfig(store, limits=replace(Limits(), **limits))
    with EnginePool(store, size=1, timeout=config.limits.timeout) as pool:
        yield App(WickgraphApp(config, pool))


@pytest.fixture()
def app(store: Path) -> Iterator[App]:
    yield from _app(store, timeout=2.0)


def test_a_repeated_query_is_answered_from_the_cache_and_a_new_generation_never_gets_an_old_answer(
    app: App, store: Path
) -> None:
    first = app.sparql(DIRECTED)
    assert first.status == 200 and first.json()["boolean"] is True
    assert app.sparql(DIRECTED).body == first.body
    stats = app.app.answers.stats()
    assert stats["hits"] == 1 and stats["entries"] == 1, stats
    # A build publishes a generation without that fact: the next request is answered from it, not from memory.
    empty = new_generation_dir(store)
    import pyoxigraph

    pyoxigraph.Store(str(empty)).flush()
    publish_generation(store, empty)
    after = app.sparql(DIRECTED)
    assert after.status == 200 and after.json()["boolean"] is False, after.body
    assert app.sparql(DIRECTED).json()["boolean"] is False
    assert app.app.answers.stats()["entries"] == 1  # the old generation's answer is gone


def test_the_editors_terms_are_read_once_per_generation_and_follow_a_new_one(app: App, store: Path) -> None:
    first = app.get("/terms", {})
    assert first.status == 200
    labels = {term["label"] for term in json.loads(first.body)}
    assert {"wg:Film", "wgd:ballerina", "Ballerina"} <= labels
    kept = app.app.editor_terms()
    assert app.app.editor_terms() is kept  # the same list: read once for this generation
    # A build publishes a generation with one entity only: the next request offers its terms, not the old ones.
    fresh = new_generation_dir(store)
    import pyoxigraph

    one = pyoxigraph.Store(str(fresh))
    one.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("https://w3id.org/wickgraph/id/only-one"),
            pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            pyoxigraph.Literal("Only One"),
        )
    )
    one.flush()
    del one
    publish_generation(store, fresh)
    after = {term["label"] for term in json.loads(app.get("/terms", {}).body)}
    assert "Ballerina" not in after and "wgd:ballerina" not in after
    assert app.app.editor_terms() is not kept


def test_errors_and_timeouts_are_never_kept(app: App) -> None:
    for _ in range(2):
        broken = app.sparql("SELECT ?x WHERE { ?x ?y }")
        assert broken.status == 400, broken.body
    restarts = app.app.pool.restarts
    for _ in range(2):
        slow = app.sparql(RUNAWAY)
        assert slow.status == 503, slow.body
    # Both runaways reached an engine and were stopped there (a kept answer would not have cost a restart).
    assert app.app.pool.restarts == restarts + 2
    assert app.app.answers.stats()["entries"] == 0


def test_answers_that_change_from_call_to_call_are_not_kept(app: App) -> None:
    query = "SELECT (STRUUID() AS ?u) (RAND() AS ?r) WHERE { }"
    one, two = app.sparql(query), app.sparql(query)
    assert one.status == two.status == 200
    assert one.json()["results"]["bindings"] != two.json()["results"]["bindings"]
    assert app.app.answers.stats()["entries"] == 0


def test_requests_that_differ_get_their_own_answers(app: App) -> None:
    # The format asked for.
    as_json = app.sparql(DIRECTED)
    as_xml = app.sparql(DIRECTED, accept="application/sparql-results+xml")
    assert as_json.content_type.startswith(JSON) and as_xml.content_type.startswith("application/sparql-results+xml")
    assert app.sparql(DIRECTED, accept="application/sparql-results+xml").body == as_xml.body
    # The host name the client used: it is the BASE that relative IRIs resolve against.
    relative = "SELECT (<x> AS ?iri) WHERE { }"
    here = app.sparql(relative, host="127.0.0.1:7878").json()["results"]["bindings"][0]["iri"]["value"]
    there = app.sparql(relative, host="localhost:7878").json()["results"]["bindings"][0]["iri"]["value"]
    assert here.startswith("http://127.0.0.1:7878/") and there.startswith("http://localhost:7878/")
    # The as-of date: before and after Ballerina's sources were known.
    assert app.sparql(DIRECTED, as_of="2014-01-01").json()["boolean"] is False
    assert app.sparql(DIRECTED, as_of="2026-01-01").json()["boolean"] is True
    assert app.sparql(DIRECTED, as_of="2014-01-01").json()["boolean"] is False


def test_a_cached_answer_still_passes_every_guard(app: App) -> None:
    assert app.sparql(DIRECTED).status == 200
    assert app.sparql(DIRECTED).status == 200  # now kept
    assert app.sparql(DIRECTED, host="evil.example:7878").status == 421  # the Host guard
    assert app.sparql(DIRECTED, accept="image/png").status == 406  # negotiation
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert app.sparql(service).status == 403  # the policy


def test_the_cache_cannot_be_used_to_fill_memory(store: Path) -> None:
    bound = 64 * 1024
    for app in _app(store, answer_cache_bytes=bound):
        cache = app.app.answers
        assert cache.max_entry_bytes == bound // 8
        # Many distinct answers: the oldest go, the bound holds after every one.
        for offset in range(120):
            query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 10 OFFSET {offset}"
            assert app.sparql(query).status == 200
            assert cache.held_bytes <= bound
        assert 0 < len(cache) < 120
        # One answer larger than an entry may be: answered, not kept.
        entries = len(cache)
        big = app.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 2000")
        assert big.status == 200 and len(big.body) > cache.max_entry_bytes
        # Long query texts count as well: a key padded with a comment is not kept either.
        padded = app.sparql("# " + "x" * 20_000 + "\nASK { }")
        assert padded.status == 200
        assert len(cache) == entries and cache.held_bytes <= bound


def test_the_cache_alone_bounds_and_orders_its_entries() -> None:
    cache = AnswerCache(max_bytes=4096, max_entry_bytes=2048)
    keys = [AnswerKey(None, f"ASK {{ }} # {i}", "", None, None, ((), ()), None) for i in range(20)]
    for key in keys:
        assert cache.put(key, "text/plain", b"x" * 1000)
        assert cache.held_bytes <= 4096
    assert cache.get(keys[0]) is None and cache.get(keys[-1]) is not None  # least recently used first
    assert not cache.put(keys[0], "text/plain", b"x" * 3000)  # past the entry bound
    off = AnswerCache(max_bytes=0)
    assert not off.put(keys[0], "text/plain", b"") and off.get(keys[0]) is None
