"""The wickgraph HTTP server as one small WSGI application, with no framework.

Routes::

    GET  /                      the query page (editor, named queries as examples, result table, graph view)
    GET  /card?name=NAME        an entity's card, as a page
    GET  /static/FILE           the page's own CSS and JavaScript (nothing is loaded from elsewhere)
    GET  /sparql                the service description (no query given)
    GET|POST /sparql            the SPARQL 1.1 Protocol: queries, and updates when allowed
    GET  /queries               the named queries, as JSON
    GET  /queries/NAME?p=v      run one, answered like /sparql (SPARQL results JSON by default)
    GET  /entity?name=NAME      an entity card, as JSON
    GET  /search?text=TEXT      entities by name, as JSON
    POST /labels                labels of IRIs (JSON list in, JSON object out), for the result table
    GET  /viz?query=CONSTRUCT…  a CONSTRUCT result drawn as an interactive graph (self-contained HTML)
    GET  /status                engines, restarts and limits, as JSON

Every query, including those behind /queries, /entity and /viz, runs in the engine pool under the time limit
(:mod:`wickgraph.server.engine`). Errors are answered with the status that fits and a body that says what went
wrong and what to change: plain text on /sparql (as SPARQL clients expect), JSON elsewhere.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from ..errors import (
    EngineError,
    EntityNotFoundError,
    NamedQueryError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    WickgraphError,
)
from ..graph import KnowledgeGraph
from ..namespaces import PREFIXES, sparql_prologue
from ..store.base import GraphView
from ..terms import value
from .engine import EnginePool, EngineStore, dataset_params
from .graphview import GraphViewUnavailableError
from .graphview import available as graph_view_available
from .guard import Limits, Policy, UpdateTokenError, inspect_sparql
from .http import HttpSettings
from .protocol import FORMATS, ProtocolError, SparqlRequest, negotiate, parse_request, render_result, shift_positions
from .review import review_page

__all__ = ["ServerConfig", "WickgraphApp"]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

ENDPOINT = "/sparql"
_STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "card.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
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
# Names that cannot be rebound to this machine by someone else's DNS (an IP literal names no DNS record).
_LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
_PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Max-Age": "600",
}
_REASONS = {
    200: "OK",
    204: "No Content",
    300: "Multiple Choices",
    303: "See Other",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    408: "Request Timeout",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    421: "Misdirected Request",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``wickgraph serve`` can set."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    workers: int = 4
    """Engine processes: how many queries run at once (read-only mode)."""
    limits: Limits = field(default_factory=Limits)
    policy: Policy = field(default_factory=Policy)
    cors: bool = False
    """Let pages from other origins (a hosted YASGUI, say) call the endpoint and the JSON API."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names (``example.org``, or ``*`` for any) the server answers to besides its own address, ``localhost``
    and IP literals; any other ``Host`` header gets 421 (a guard against DNS rebinding)."""
    http: HttpSettings = field(default_factory=HttpSettings)
    """Connections: how many, and how long a request may take to arrive (see :mod:`wickgraph.server.http`)."""


class _Response(Exception):
    """A finished response, raised to leave a handler early."""

    def __init__(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


def _json(status: int, value: Any, headers: Mapping[str, str] | None = None) -> _Response:
    body = json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    return _Response(status, body, "application/json; charset=utf-8", headers)


def _text(status: int, message: str, headers: Mapping[str, str] | None = None) -> _Response:
    return _Response(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)


class WickgraphApp:
    """The WSGI application over an :class:`EnginePool` (started and closed by the caller)."""

    def __init__(self, config: ServerConfig, pool: EnginePool) -> None:
        self.config = config
        self.pool = pool
        self.store = EngineStore(pool)
        self._routes: dict[str, Callable[[Mapping[str, Any]], _Response]] = {
            "/": self._page,
            "/index.html": self._page,
            "/card": self._card_page,
            ENDPOINT: self._sparql,
            ENDPOINT + "/": self._sparql,
            "/queries": self._queries,
            "/entity": self._entity,
            "/search": self._search,
            "/labels": self._labels,
            "/viz": self._viz,
            "/status": self._status,
            "/review": lambda environ: review_page(self, environ),
        }

    # ---- WSGI -----------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        json_errors = path != ENDPOINT and not path.startswith(ENDPOINT + "/")
        try:
            refused = self._refused_host(environ)
            if refused is not None:
                raise _json(421, {"error": refused, "status": 421}) if json_errors else _text(421, refused)
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
            response = self._error(exc, json_errors)
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))]
        headers += list(response.headers.items())
        headers.append(("X-Content-Type-Options", "nosniff"))
        if self.config.cors:
            headers.append(("Access-Control-Allow-Origin", "*"))
        start_response(f"{response.status} {_REASONS.get(response.status, '')}".rstrip(), headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [response.body]

    def _refused_host(self, environ: Mapping[str, Any]) -> str | None:
        """Why this request's ``Host`` is refused, or ``None``. A page on a domain its owner has pointed at
        127.0.0.1 (DNS rebinding) sends that domain as its Host, and gets 421 rather than the graph. The port plays
        no part (a rebinding page uses the real one; a forwarded port shows another), nor does a missing Host
        (HTTP/1.0 clients; browsers always send one)."""
        host = str(environ.get("HTTP_HOST") or "").strip().lower()
        if not host or "*" in self.config.allowed_hosts:
            return None
        name = _host_name(host)
        allowed = {h.strip().lower() for h in self.config.allowed_hosts}
        if name in _LOCAL_NAMES or name in allowed or name == self.config.host.lower() or _is_ip_literal(name):
            return None
        from ..terminal import safe_text

        shown = safe_text(name.encode("ascii", "backslashreplace").decode("ascii")[:200], one_line=True)
        return (
            f"this server does not answer to the host name {shown!r} (a guard against DNS rebinding); "
            f"if that name is yours, start the server with --allowed-host {shown}"
        )

    def _error(self, exc: Exception, as_json: bool) -> _Response:
        status, headers, extra = 500, {}, {}
        message = str(exc)
        if isinstance(exc, ProtocolError):
            status, headers, message = exc.status, exc.headers, exc.message
        elif isinstance(exc, UpdateTokenError):
            status, headers = 401, {"WWW-Authenticate": 'Bearer realm="wickgraph"'}
        elif isinstance(exc, QueryRefusedError):
            status = 403
        elif isinstance(exc, QuerySyntaxError):
            status = 400
        elif isinstance(exc, QueryTimeoutError):
            status = 503
        elif isinstance(exc, ResultTooLargeError):
            status = 422
        elif isinstance(exc, EngineError):
            status, headers = 503, {"Retry-After": "1"}
        elif isinstance(exc, GraphViewUnavailableError):
            status = 501
        elif isinstance(exc, EntityNotFoundError):
            status = 300 if exc.candidates else 404
            extra = {"candidates": [{"iri": iri, "label": label} for iri, label in exc.candidates]}
        elif isinstance(exc, WickgraphError):  # NamedQueryError, a bad date, …
            status = 400
        else:
            traceback.print_exc(file=sys.stderr)
            message = f"internal error: {type(exc).__name__}: {exc}"
        if as_json:
            return _json(status, {"error": message, "status": status, **extra}, headers)
        return _text(status, message, headers)

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

    # ---- SPARQL protocol ------------------------------------------------------------------------------------
    def _kg(self) -> KnowledgeGraph:
        return KnowledgeGraph(self.store)

    def _endpoint_url(self, environ: Mapping[str, Any]) -> str:
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '')}"
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{ENDPOINT}"

    def _prologue(self, environ: Mapping[str, Any]) -> str:
        return f"BASE <{self._endpoint_url(environ)}>\n" + sparql_prologue()

    def _sparql(self, environ: Mapping[str, Any]) -> _Response:
        if str(environ.get("REQUEST_METHOD", "")).upper() == "HEAD":  # answered as GET; the body is left out
            environ = {**environ, "REQUEST_METHOD": "GET"}
        request = parse_request(environ, max_bytes=self.config.limits.max_request_bytes)
        if request is None:
            return self._service_description(environ)
        if request.operation == "update":
            return self._update(environ, request)
        return self._run_query(environ, request)

    def _run_query(self, environ: Mapping[str, Any], request: SparqlRequest) -> _Response:
        facts = inspect_sparql(request.text)
        self.config.policy.check_query(facts)
        accept = environ.get("HTTP_ACCEPT")
        if facts.form in ("SELECT", "ASK"):
            negotiate(accept, "results", request.format)  # 406 before any work
        elif facts.form in ("CONSTRUCT", "DESCRIBE"):
            negotiate(accept, "graph", request.format)
        elif facts.form == "UPDATE":
            raise ProtocolError(400, "this is an update: send it as update= or as application/sparql-update")
        prologue = self._prologue(environ)
        text = prologue + request.text
        view: GraphView | None = None
        if request.as_of:
            if request.default_graphs or request.named_graphs:
                raise ProtocolError(400, "as-of= chooses the graphs itself; do not combine it with default-graph-uri")
            view = self._kg().view_as_of(request.as_of)
        params = dataset_params(text, view)
        params += [("default-graph-uri", g) for g in request.default_graphs]
        params += [("named-graph-uri", g) for g in request.named_graphs]
        response = self.pool.request("/query", params)
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
            },
        )


def _host_name(host: str) -> str:
    """The name in a Host header: ``example.org:8080`` → ``example.org``, ``[::1]:7878`` → ``[::1]``."""
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.split(":", 1)[0] if host.count(":") == 1 else host


def _is_ip_literal(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    return True


def _only(environ: Mapping[str, Any], *methods: str) -> None:
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    if method not in methods:
        allowed = ", ".join(methods)
        raise _json(405, {"error": f"{method} is not allowed here; use {allowed}"}, {"Allow": allowed})


def _params(environ: Mapping[str, Any]) -> dict[str, str]:
    try:
        pairs = parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise _json(400, {"error": f"the URL's query string is not valid UTF-8: {exc}"}) from None
    return dict(pairs)


def _bind_defaults(kg: KnowledgeGraph, name: str) -> str:
    """The named query with its default parameter values bound (its text when a parameter has no default)."""
    from ..queries import get

    try:
        return kg.named_query_text(name)
    except (NamedQueryError, EntityNotFoundError):
        return get(name).text
