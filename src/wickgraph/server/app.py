"""The wickgraph HTTP server as one small WSGI application, with no framework.

Routes::

    GET  /                      the query page (editor, named queries as examples, result table, graph view)
    GET  /card?name=NAME        an entity's card, as a page
    GET  /static/FILE           the page's own CSS and JavaScript, and the vendored editor (nothing is loaded
                                from elsewhere)
    GET  /favicon.ico           the page's icon (a small SVG)
    GET  /terms                 what the editor completes: prefixes, classes, properties and entity labels, JSON
    GET  /sparql                the service description (no query given)
    GET|POST /sparql            the SPARQL 1.1 Protocol: queries, and updates when allowed
    GET  /queries               the named queries, as JSON
    GET  /queries/NAME?p=v      run one, answered like /sparql (SPARQL results JSON by default)
    GET  /entity?name=NAME      an entity card, as JSON
    GET  /search?text=TEXT      entities by name, as JSON
    POST /labels                labels of IRIs (JSON list in, JSON object out), for the result table
    GET  /viz?query=CONSTRUCT…  a CONSTRUCT result drawn as an interactive graph (self-contained HTML)
    GET  /timeline?film=NAME    release events on a time axis with their sources, and story order (HTML)
    GET  /status                engines, restarts and limits, as JSON

Every query, including those behind /queries, /entity and /viz, runs in the engine pool under the time limit
(:mod:`wickgraph.server.engine`). Errors are answered with the status that fits and a body that says what went
wrong and what to change: plain text on /sparql (as SPARQL clients expect), JSON elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any

from ..errors import EntityNotFoundError, NamedQueryError, ResultTooLargeError
from ..graph import KnowledgeGraph
from ..namespaces import PREFIXES, WGD
from ..terms import value
from .config import ServerConfig
from .engine import EnginePool
from .graphview import available as graph_view_available
from .guard import inspect_sparql
from .protocol import SparqlRequest
from .responses import _REASONS, _json, _only, _params, _Response, _text, error_response, refused_host
from .review import review_page
from .sparql import ENDPOINT, SparqlEndpoint

__all__ = ["ServerConfig", "WickgraphApp"]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

_STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "card.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "vendor/editor.js": "text/javascript; charset=utf-8",
}
# The editor (CodeMirror) writes its theme into a style element: styles may be inline, scripts may not.
_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The graph view is one self-contained HTML file with inline script and style: it may load nothing at all.
# The query page frames it (sandboxed), so it may be framed by this server's pages, and by no one else's.
_VIZ_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'"
)
_PAGE_HEADERS = {"Content-Security-Policy": _PAGE_CSP, "X-Frame-Options": "DENY"}
_VIZ_HEADERS = {"Content-Security-Policy": _VIZ_CSP, "X-Frame-Options": "SAMEORIGIN"}
_PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Max-Age": "600",
}


class WickgraphApp(SparqlEndpoint):
    """The WSGI application over an :class:`EnginePool` (started and closed by the caller): the SPARQL endpoint
    (:class:`~wickgraph.server.sparql.SparqlEndpoint`), the pages and the JSON API."""

    def __init__(self, config: ServerConfig, pool: EnginePool) -> None:
        super().__init__(config, pool)
        self._routes: dict[str, Callable[[Mapping[str, Any]], _Response]] = {
            "/": self._page,
            "/index.html": self._page,
            "/card": self._card_page,
            "/favicon.ico": self._favicon,
            "/terms": self._terms,
            ENDPOINT: self._sparql,
            ENDPOINT + "/": self._sparql,
            "/queries": self._queries,
            "/entity": self._entity,
            "/search": self._search,
            "/labels": self._labels,
            "/viz": self._viz,
            "/timeline": self._timeline,
            "/status": self._status,
            "/review": lambda environ: review_page(self, environ),
        }
        self._terms_of: tuple[KnowledgeGraph, list[dict[str, str]]] | None = None
        """The editor's completions, kept with the graph they were read from (one per generation, read-only)."""

    # ---- WSGI -----------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        json_errors = path != ENDPOINT and not path.startswith(ENDPOINT + "/")
        try:
            refused = refused_host(environ, self.config)
            if refused is not None:
                raise _json(421, {"error": refused, "status": 421}) if json_errors else _text(421, refused)
            if path in (ENDPOINT, ENDPOINT + "/"):  # a GET whose answer is kept: found with its checks' kept verdict
                kept = self.kept_answer(environ)
                if kept is not None:
                    raise kept
            if self.config.cors and environ.get("REQUEST_METHOD") == "OPTIONS" and path != "/":
                raise _Response(204, b"", "text/plain", _PREFLIGHT)
            handler = self._routes.get(path)
            if handler is None and path.startswith("/queries/"):
                handler = self._named_query
            elif handler is None and path.startswith("/static/"):
                handler = self._static
            if handler is None:
                raise _json(404, {"error": f"no such page: {path}", "see": "/"})
            response = handler(environ)
        except _Response as done:
            response = done
        except Exception as exc:
            response = error_response(exc, json_errors)
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))]
        headers += list(response.headers.items())
        headers.append(("X-Content-Type-Options", "nosniff"))
        if self.config.cors:
            headers.append(("Access-Control-Allow-Origin", "*"))
        start_response(f"{response.status} {_REASONS.get(response.status, '')}".rstrip(), headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [response.body]

    # ---- pages ----------------------------------------------------------------------------------------------
    def _asset(self, name: str) -> bytes:
        return resources.files(__package__).joinpath("page", name).read_bytes()

    def _page(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        return _Response(200, self._asset("index.html"), "text/html; charset=utf-8", _PAGE_HEADERS)

    def _card_page(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        return _Response(200, self._asset("card.html"), "text/html; charset=utf-8", _PAGE_HEADERS)

    def _static(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        name = str(environ.get("PATH_INFO", ""))[len("/static/") :]
        if name not in _STATIC:
            raise _json(404, {"error": f"no static file {name!r}"})
        return _Response(200, self._asset(name), _STATIC[name], {"Cache-Control": "no-cache"})

    def _favicon(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        return _Response(200, self._asset("favicon.svg"), "image/svg+xml", {"Cache-Control": "max-age=86400"})

    def _terms(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        return _json(200, self.editor_terms())

    def editor_terms(self) -> list[dict[str, str]]:
        """:func:`completion_terms` of the graph served now, read once per generation: a read-only pool's
        :meth:`_kg` is one object per generation, so the terms are kept with it and dropped with it (a pool that
        takes updates gets a new graph, and new terms, on every request)."""
        kg = self._kg()
        kept = self._terms_of
        if kept is None or kept[0] is not kg:
            kept = (kg, completion_terms(kg))
            self._terms_of = kept
        return kept[1]

    # ---- JSON API for scripts and the page --------------------------------------------------------------------
    def _queries(self, environ: Mapping[str, Any]) -> _Response:
        from ..queries import named_queries

        _only(environ, "GET", "HEAD")
        kg = self._kg()
        return _json(
            200,
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "question": q.question,
                    "parameters": [
                        {"name": p.name, "default": p.default, "description": p.description} for p in q.parameters
                    ],
                    "example": q.example,
                    "url": f"/queries/{q.name}",
                    "text": q.text,
                    "example_query": _bind_defaults(kg, q.name),
                }
                for q in named_queries().values()
            ],
        )

    def _named_query(self, environ: Mapping[str, Any]) -> _Response:
        from ..queries import named_queries

        _only(environ, "GET", "HEAD")
        name = str(environ.get("PATH_INFO", ""))[len("/queries/") :]
        if name not in named_queries():
            raise _json(404, {"error": f"no named query {name!r}", "names": list(named_queries())})
        params = _params(environ)
        control = {"format", "output", "as-of", "as_of"}
        bindings = {k: v for k, v in params.items() if k not in control}
        text = self._kg().named_query_text(name, **bindings)
        request = SparqlRequest(
            "query",
            text,
            format=params.get("format") or params.get("output"),
            as_of=params.get("as-of") or params.get("as_of"),
        )
        return self._run_query(environ, request)

    def _entity(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        params = _params(environ)
        name = params.get("name") or params.get("iri")
        if not name:
            raise _json(400, {"error": "give ?name=NAME (a label, an alias, wgd:local or a full IRI)"})
        card = self._kg().entity(name, as_of=params.get("as-of") or params.get("as_of"))
        from .jsonview import card_json

        return _json(200, card_json(card))

    def _search(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        params = _params(environ)
        text = params.get("text", "")
        if not text.strip():
            raise _json(400, {"error": "give ?text=TEXT"})
        matches = self._kg().search(text, limit=50)
        return _json(200, [{"iri": m.iri, "label": m.label, "type": m.type, "matched": m.matched} for m in matches])

    def _labels(self, environ: Mapping[str, Any]) -> _Response:
        from pyoxigraph import NamedNode

        from .protocol import read_body

        _only(environ, "POST")
        try:
            iris = json.loads(read_body(environ, self.config.limits.max_request_bytes) or b"[]")
        except json.JSONDecodeError as exc:
            raise _json(400, {"error": f"the body is not JSON: {exc}"}) from None
        if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
            raise _json(400, {"error": 'send a JSON list of IRIs: ["https://w3id.org/wickgraph/id/ballerina", …]'})
        iris = sorted(set(iris))[:5000]
        if not iris:
            return _json(200, {})
        try:
            values = " ".join(str(NamedNode(i)) for i in iris)
        except ValueError as exc:
            raise _json(400, {"error": f"not an IRI: {exc}"}) from None
        rows = self._kg().select(
            f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }} GROUP BY ?s"
        )
        labels = {value(r, "s"): value(r, "label") for r in rows if r["s"] is not None and r["label"] is not None}
        return _json(200, labels)

    def _viz(self, environ: Mapping[str, Any]) -> _Response:
        from .graphview import render_graph

        _only(environ, "GET", "HEAD")
        params = _params(environ)
        query = params.get("query", "")
        if not query.strip():
            raise _json(400, {"error": "give ?query=CONSTRUCT …"})
        facts = inspect_sparql(query)
        self.config.policy.check_query(facts)
        if facts.form not in ("CONSTRUCT", "DESCRIBE"):
            raise _json(400, {"error": "the graph view draws a CONSTRUCT or DESCRIBE query's triples"})
        as_of = params.get("as-of") or params.get("as_of")
        result = self._kg().construct(query, as_of=as_of)
        if len(result) > self.config.limits.max_rows:
            raise ResultTooLargeError(
                f"the result has {len(result):,} triples; this server draws at most {self.config.limits.max_rows:,}"
            )
        html = render_graph(
            result, title=params.get("title") or "wickgraph: CONSTRUCT result", kg=self._kg(), as_of=as_of or None
        )
        return _Response(200, html.encode("utf-8"), "text/html; charset=utf-8", _VIZ_HEADERS)

    def _timeline(self, environ: Mapping[str, Any]) -> _Response:
        from ..viz import timeline_html

        _only(environ, "GET", "HEAD")
        params = _params(environ)
        view = timeline_html(
            self._kg(), film=params.get("film") or None, as_of=params.get("as-of") or params.get("as_of") or None
        )
        return _Response(200, view.html.encode("utf-8"), "text/html; charset=utf-8", _VIZ_HEADERS)

    def _status(self, environ: Mapping[str, Any]) -> _Response:
        _only(environ, "GET", "HEAD")
        limits = self.config.limits
        policy = self.config.policy
        return _json(
            200,
            {
                "store": str(self.config.store),
                "engines": len(self.pool.pids()),
                "restarts": self.pool.restarts,
                "read_only": not policy.allow_updates,
                "service": policy.allow_service,
                "load": policy.allow_load,
                "timeout_s": limits.timeout,
                "max_rows": limits.max_rows,
                "max_request_bytes": limits.max_request_bytes,
                "prefixes": PREFIXES,
                "graph_view": graph_view_available(),
                "engine_network": self.pool.protection,
                "answer_cache": self.answers.stats(),
                "as_of_copies": self.snapshots.copies(),
            },
        )


_TERM_QUERIES = {
    "class": "SELECT DISTINCT ?t (SAMPLE(?l) AS ?label) WHERE { { ?t a owl:Class } UNION { ?x a ?t } "
    "OPTIONAL { ?t rdfs:label ?l } } GROUP BY ?t",
    "property": "SELECT DISTINCT ?t (SAMPLE(?l) AS ?label) WHERE { { ?t a owl:ObjectProperty } UNION "
    "{ ?t a owl:DatatypeProperty } UNION { ?t a rdf:Property } OPTIONAL { ?t rdfs:label ?l } } GROUP BY ?t",
    "entity": "SELECT ?t (SAMPLE(?l) AS ?label) WHERE { ?t rdfs:label ?l "
    f'FILTER(STRSTARTS(STR(?t), "{WGD}")) }} GROUP BY ?t LIMIT 20000',
}


def completion_terms(kg: KnowledgeGraph) -> list[dict[str, str]]:
    """What the editor offers as you type: each prefix (``wg:``), each class and property of the vocabulary and
    each entity, written as the query would write it (``wg:Film``, ``wgd:ballerina``), with its label as detail;
    an entity also under its label (type ``Ballerina``, get ``wgd:ballerina``)."""
    from ..namespaces import compact

    terms = [{"label": f"{p}:", "type": "namespace", "detail": ns} for p, ns in PREFIXES.items()]
    seen = {t["label"] for t in terms}
    for kind, query in _TERM_QUERIES.items():
        for row in kg.select(query):
            iri = value(row, "t")
            label = value(row, "label") if row["label"] is not None else ""
            short = compact(iri) if iri else ""
            if not short or short.startswith("<") or short in seen:
                continue
            seen.add(short)
            terms.append({"label": short, "type": kind, "detail": label})
            if kind == "entity" and label and label not in seen:
                seen.add(label)
                terms.append({"label": label, "apply": short, "type": "entity", "detail": short})
    return terms


def _bind_defaults(kg: KnowledgeGraph, name: str) -> str:
    """The named query with its default parameter values bound (its text when a parameter has no default)."""
    from ..queries import get

    try:
        return kg.named_query_text(name)
    except (NamedQueryError, EntityNotFoundError):
        return get(name).text
