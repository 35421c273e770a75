"""The SPARQL 1.1 Protocol at ``/sparql``: queries and updates through the engine pool, and the service
description. :class:`SparqlEndpoint` is the base of :class:`~wickgraph.server.app.WickgraphApp`."""

from __future__ import annotations

import sys
import threading
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

from ..graph import KnowledgeGraph, parse_date
from ..namespaces import sparql_prologue
from ..results import SelectResult
from ..store.base import GraphView
from ..terms import value
from .answers import UNSTABLE, AnswerCache, AnswerKey
from .config import ServerConfig
from .engine import EnginePool, EngineStore, dataset_params, generation_now
from .guard import SparqlFacts, inspect_sparql
from .protocol import FORMATS, ProtocolError, SparqlRequest, negotiate, parse_request, render_result, shift_positions
from .responses import _Response
from .snapshots import Snapshots

__all__ = ["ENDPOINT", "SparqlEndpoint"]

ENDPOINT = "/sparql"
MAX_CACHED_VIEWS = 256
"""As-of views (one per date asked) kept per generation; past that the cache starts afresh."""
PREPARED_VIEWS = 64
"""Change points whose copies :meth:`SparqlEndpoint.prepare_as_of` makes ahead (the latest first)."""

KEPT_KEYS = 256
"""Query strings whose checked key :meth:`SparqlEndpoint.kept_answer` keeps (with their ``Accept`` and host)."""
KEPT_QUERY_BYTES = 8 * 1024
"""The longest query string whose checked key :meth:`SparqlEndpoint.kept_answer` keeps (a longer one takes the
ordinary way), so that the keys kept stay small: at most ``KEPT_KEYS`` x 2 x ``KEPT_QUERY_BYTES`` characters."""

_KeyParts = tuple[str, str, str | None, str | None, tuple[tuple[str, ...], tuple[str, ...]], None]
"""An :class:`AnswerKey` without its generation."""

EARLIEST = "0001-01-01"
"""A date before every change point."""

# The dates where what "as known on" sees changes: a source's publication, the later of a claim's date and its
# source's, a status graph's first day. Mirrors the graphs `KnowledgeGraph.view_as_of` selects (compared as ISO
# text, as there): two dates with no change point between them see the same graphs.
CHANGE_POINTS = """SELECT DISTINCT ?d WHERE {
  { GRAPH ?g { ?g a wg:Source ; wg:knownSince ?x } BIND(STR(?x) AS ?d) }
  UNION
  { GRAPH ?src { ?g a wg:Claim ; wg:claimDate ?a . ?src wg:knownSince ?k } BIND(IF(STR(?a) > STR(?k), STR(?a), STR(?k)) AS ?d) }
  UNION
  { GRAPH ?g { ?g a wg:StatusGraph ; wg:visibleFrom ?x } BIND(STR(?x) AS ?d) }
}"""


def as_of_days(marks: list[str]) -> list[str]:
    """The dates whose as-of copies are made ahead (by the server at start, and by a build), in order: the
    latest :data:`PREPARED_VIEWS` change points of ``marks`` (sorted), the latest first, then a date before the
    first when they are all there."""
    days = list(reversed(marks[-PREPARED_VIEWS:]))
    if len(marks) < PREPARED_VIEWS:
        days.append(EARLIEST)  # before the first change point: the registry and the ontology
    return days


class _GenerationStore(EngineStore):
    """The pool as a store whose answers hold for one generation (read-only engines): the library may keep what
    it resolved. The server drops it when the generation changes (:meth:`SparqlEndpoint._kg`)."""

    def __init__(self, pool: EnginePool, snapshots: Snapshots) -> None:
        super().__init__(pool, snapshots)
        self.read_only = True


@lru_cache(maxsize=64)
def _prologue_for(endpoint_url: str) -> str:
    return f"BASE <{endpoint_url}>\n" + sparql_prologue()


@lru_cache(maxsize=64)
def _encoded_query_start(prologue: str) -> bytes:
    """``query=`` and the form-encoded prologue: the same for every query to one host name."""
    return b"query=" + quote_plus(prologue).encode("ascii")


def _query_body(prologue: str, text: str, extra: list[tuple[str, str]]) -> bytes:
    """The engine's form-encoded body for ``prologue + text`` and the ``extra`` parameters."""
    body = _encoded_query_start(prologue) + quote_plus(text).encode("ascii")
    return body + (b"&" + urlencode(extra).encode("ascii") if extra else b"")


class SparqlEndpoint:
    """The SPARQL protocol over an :class:`EnginePool` (started and closed by the caller)."""

    def __init__(self, config: ServerConfig, pool: EnginePool) -> None:
        self.config = config
        self.pool = pool
        self.snapshots = Snapshots(pool)
        pool.at_close(self.snapshots.close)
        self.store = EngineStore(pool, self.snapshots)
        self._generation_kg: tuple[Path | None, KnowledgeGraph] | None = None
        self._generation_lock = threading.Lock()
        self._change: tuple[Path | None, list[str], dict[str, GraphView]] | None = None
        self._change_lock = threading.Lock()
        self.answers = AnswerCache(config.limits.answer_cache_bytes)
        """Answers kept for the current generation (:mod:`.answers`)."""
        self._kept_key_parts = lru_cache(maxsize=KEPT_KEYS)(self._answer_key_parts)

    def _kg(self) -> KnowledgeGraph:
        """The graph the engines serve. On a read-only pool, one :class:`KnowledgeGraph` per generation: what it
        learns once (the graphs of an as-of date, the IRI a name resolves to) holds until a build publishes a
        new generation, and is then dropped. A pool that takes updates gets a fresh one per request."""
        if self.pool.writable:
            return KnowledgeGraph(self.store)
        generation = generation_now(self.pool.root)
        with self._generation_lock:
            cached = self._generation_kg
            if cached is None or cached[0] != generation or len(cached[1]._views) >= MAX_CACHED_VIEWS:
                cached = (generation, KnowledgeGraph(_GenerationStore(self.pool, self.snapshots)))
                self._generation_kg = cached
            return cached[1]

    # ---- as-of ----------------------------------------------------------------------------------------------
    def change_points(self) -> list[str]:
        """The dates (ISO text, sorted) where what an as-of view sees changes, for the current generation."""
        return self._change_points()[1]

    def _change_points(self) -> tuple[Path | None, list[str], dict[str, GraphView]]:
        generation = generation_now(self.pool.root)
        with self._change_lock:
            found = self._change
            if found is None or found[0] != generation:
                result = self.store.query(sparql_prologue() + CHANGE_POINTS)
                assert isinstance(result, SelectResult)
                marks = sorted({value(row, "d") for row in result if row["d"] is not None})
                found = (generation, marks, {})
                self._change = found
            return found

    def _view_as_of(self, day: str) -> GraphView:
        """The view of ``day``: on a read-only pool, one view per change point, shared by every date up to the
        next one (their views are the same graphs, and so is their copy and its engine)."""
        kg = self._kg()
        if self.pool.writable:
            return kg.view_as_of(day)
        key = parse_date(day).isoformat()
        _, marks, views = self._change_points()
        at = bisect_right(marks, key)
        mark = marks[at - 1] if at else ""
        view = views.get(mark)
        if view is None:
            view = kg.view_as_of(key)
            with self._change_lock:
                if len(views) >= MAX_CACHED_VIEWS:
                    views.clear()
                views[mark] = view
            if marks and mark == marks[-1]:  # today's view, and every later date's: its engine is kept running
                self.snapshots.pin(view, start=False)
        return view

    def prepare_as_of(self) -> threading.Thread:
        """Make the copies of the latest :data:`PREPARED_VIEWS` change points' views in a background thread (a
        read-only pool), so that the first as-of request of a date only starts an engine on a copy made. No engine
        is started here: the server's processes change only when a request asks."""

        def run() -> None:
            try:
                for day in as_of_days(self.change_points()):
                    if self.snapshots.closed or not self.snapshots.prepare(self._view_as_of(day)):
                        break
            except Exception as exc:  # the server answers without them; the copies are then made when asked
                sys.stderr.write(f"wickgraph serve: as-of copies not made ahead: {exc}\n")

        thread = threading.Thread(target=run, name="wickgraph-as-of-prepare", daemon=True)
        if not self.pool.writable:
            thread.start()
        return thread

    def _endpoint_url(self, environ: Mapping[str, Any]) -> str:
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '')}"
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{ENDPOINT}"

    def _prologue(self, environ: Mapping[str, Any]) -> str:
        return _prologue_for(self._endpoint_url(environ))

    def _sparql(self, environ: Mapping[str, Any]) -> _Response:
        if str(environ.get("REQUEST_METHOD", "")).upper() == "HEAD":  # answered as GET; the body is left out
            environ = {**environ, "REQUEST_METHOD": "GET"}
        request = parse_request(environ, max_bytes=self.config.limits.max_request_bytes)
        if request is None:
            return self._service_description(environ)
        if request.operation == "update":
            return self._update(environ, request)
        return self._run_query(environ, request)

    def kept_answer(self, environ: Mapping[str, Any]) -> _Response | None:
        """The answer to a ``GET`` (or ``HEAD``) of ``/sparql`` when it is kept (:mod:`.answers`), after the same
        parsing, guard, policy and negotiation as :meth:`_sparql`; ``None`` when answering needs anything more (an
        engine, an as-of view, an error to report): the request then takes the ordinary way, from the start.

        What those checks make of a query string, ``Accept`` header and host name depends on nothing else (the
        policy is fixed for the server's life), so their verdict and the answer's key are kept for the last
        :data:`KEPT_KEYS` of them, query strings of up to :data:`KEPT_QUERY_BYTES`: a repeated query is answered
        with one look-up, the generation's ``readlink`` and the cache's."""
        method = str(environ.get("REQUEST_METHOD", "")).upper()
        if method not in ("GET", "HEAD") or not self.answers.max_bytes or self.pool.writable:
            return None
        query_string = str(environ.get("QUERY_STRING") or "")
        if len(query_string) > KEPT_QUERY_BYTES:
            return None
        accept = environ.get("HTTP_ACCEPT")
        parts = self._kept_key_parts(query_string, None if accept is None else str(accept), self._endpoint_url(environ))
        if parts is None:
            return None
        kept = self.answers.get(AnswerKey(generation_now(self.pool.root), *parts), count_miss=False, quick=True)
        return None if kept is None else _Response(200, kept[1], kept[0], {"Vary": "Accept"})

    def _answer_key_parts(self, query_string: str, accept: str | None, endpoint_url: str) -> _KeyParts | None:
        """What :meth:`_query` would put in the answer's key besides the generation, for a ``GET`` with this query
        string, ``Accept`` and endpoint URL, once every check has passed; ``None`` when a check refuses it or the
        answer is not one to keep (the ordinary way then answers)."""
        environ = {"REQUEST_METHOD": "GET", "QUERY_STRING": query_string, "HTTP_ACCEPT": accept}
        try:
            request = parse_request(environ, max_bytes=self.config.limits.max_request_bytes)
            if request is None or request.operation != "query" or request.as_of:
                return None
            facts = self._check_query(request, accept)
        except Exception:  # the ordinary way reports it
            return None
        if facts.keywords & UNSTABLE:
            return None
        graphs = (tuple(request.default_graphs), tuple(request.named_graphs))
        return request.text, _prologue_for(endpoint_url), accept, request.format, graphs, None

    def _check_query(self, request: SparqlRequest, accept: str | None) -> SparqlFacts:
        """The guard, the policy and content negotiation, before any work (raises what the client is told)."""
        facts = inspect_sparql(request.text)
        self.config.policy.check_query(facts)
        if facts.form in ("SELECT", "ASK"):
            negotiate(accept, "results", request.format)  # 406 before any work
        elif facts.form in ("CONSTRUCT", "DESCRIBE"):
            negotiate(accept, "graph", request.format)
        elif facts.form == "UPDATE":
            raise ProtocolError(400, "this is an update: send it as update= or as application/sparql-update")
        return facts

    def _run_query(self, environ: Mapping[str, Any], request: SparqlRequest) -> _Response:
        accept = environ.get("HTTP_ACCEPT")
        facts = self._check_query(request, accept)
        prologue = self._prologue(environ)
        view: GraphView | None = None
        if request.as_of:
            if request.default_graphs or request.named_graphs:
                raise ProtocolError(400, "as-of= chooses the graphs itself; do not combine it with default-graph-uri")
            view = self._view_as_of(request.as_of)
        key: AnswerKey | None = None
        if self.answers.max_bytes and not self.pool.writable and not (facts.keywords & UNSTABLE):
            key = AnswerKey(
                generation_now(self.pool.root),
                request.text,
                prologue,
                accept,
                request.format,
                (tuple(request.default_graphs), tuple(request.named_graphs)),
                view,
            )
            kept = self.answers.get(key)
            if kept is not None:
                return _Response(200, kept[1], kept[0], {"Vary": "Accept"})
        target = self.pool
        copy = self.snapshots.pool_for(view) if view is not None else None
        if copy is not None:  # the view's copy: its default graph is the view's merge already
            target, view = copy, None
        extra = dataset_params("", view)[1:]
        extra += [("default-graph-uri", g) for g in request.default_graphs]
        extra += [("named-graph-uri", g) for g in request.named_graphs]
        response = target.request("/query", _query_body(prologue, request.text, extra))
        if response.status == 400:
            raise ProtocolError(
                400, "SPARQL syntax error: " + shift_positions(response.text.strip(), prologue.count("\n"))
            )
        if response.status != 200:
            raise ProtocolError(502, f"the query engine answered {response.status}: {response.text.strip()[:1000]}")
        fmt, body = render_result(
            response.content_type,
            response.body,
            accept=accept,
            override=request.format,
            max_rows=self.config.limits.max_rows,
        )
        content_type = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
        if (
            key is not None
            and key.generation is not None
            and (copy is not None or response.generation == key.generation)
            and generation_now(self.pool.root) == key.generation
        ):
            self.answers.put(key, content_type, body)
        return _Response(200, body, content_type, {"Vary": "Accept"})

    def _update(self, environ: Mapping[str, Any], request: SparqlRequest) -> _Response:
        facts = inspect_sparql(request.text)
        auth = str(environ.get("HTTP_AUTHORIZATION") or "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        self.config.policy.check_update(facts, token)
        if (request.default_graphs or request.named_graphs) and facts.names_dataset:
            raise ProtocolError(
                400,
                "give the update's dataset either with using-graph-uri / using-named-graph-uri or with "
                "USING / USING NAMED / WITH in the update, not both",
            )
        prologue = self._prologue(environ)
        params = [("update", prologue + request.text)]
        params += [("using-graph-uri", g) for g in request.default_graphs]
        params += [("using-named-graph-uri", g) for g in request.named_graphs]
        response = self.pool.request("/update", params, accept="*/*")
        if response.status == 400:
            raise ProtocolError(400, shift_positions(response.text.strip(), prologue.count("\n")))
        if response.status >= 300:
            raise ProtocolError(502, f"the query engine answered {response.status}: {response.text.strip()[:1000]}")
        return _Response(204, b"", "text/plain; charset=utf-8")

    def _service_description(self, environ: Mapping[str, Any]) -> _Response:
        from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, serialize

        accept = environ.get("HTTP_ACCEPT") or ""
        if "text/html" in accept and not any(f.media_type in accept for f in FORMATS):
            raise _Response(303, b"", "text/plain", {"Location": "/"})  # a browser: show the query page
        fmt = negotiate(accept, "graph", None)
        sd = "http://www.w3.org/ns/sparql-service-description#"
        formats = "http://www.w3.org/ns/formats/"
        rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        service, dataset, graph = BlankNode(), BlankNode(), BlankNode()
        triples = [
            Triple(service, rdf_type, NamedNode(sd + "Service")),
            Triple(service, NamedNode(sd + "endpoint"), NamedNode(self._endpoint_url(environ))),
            Triple(service, NamedNode(sd + "supportedLanguage"), NamedNode(sd + "SPARQL11Query")),
            Triple(service, NamedNode(sd + "defaultDataset"), dataset),
            Triple(dataset, rdf_type, NamedNode(sd + "Dataset")),
            Triple(dataset, NamedNode(sd + "defaultGraph"), graph),
            Triple(graph, rdf_type, NamedNode(sd + "Graph")),
        ]
        if self.config.policy.allow_updates:
            triples.append(Triple(service, NamedNode(sd + "supportedLanguage"), NamedNode(sd + "SPARQL11Update")))
        if self.config.policy.allow_service:
            triples.append(Triple(service, NamedNode(sd + "feature"), NamedNode(sd + "BasicFederatedQuery")))
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"):
            triples.append(Triple(service, NamedNode(sd + "resultFormat"), NamedNode(formats + name)))
        for name in ("Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
            triples.append(Triple(service, NamedNode(sd + "resultFormat"), NamedNode(formats + name)))
        rdf_format = {
            "turtle": RdfFormat.TURTLE,
            "ntriples": RdfFormat.N_TRIPLES,
            "rdfxml": RdfFormat.RDF_XML,
            "jsonld": RdfFormat.JSON_LD,
        }[fmt.key]
        prefixes = {"sd": sd, "formats": formats} if fmt.key == "turtle" else None
        body = serialize(triples, format=rdf_format, prefixes=prefixes) or b""
        content_type = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
        return _Response(200, body, content_type, {"Vary": "Accept"})
