"""The remote backend: any server that speaks the SPARQL 1.1 Protocol, with SPARQLWrapper as the client.

Reads go through SPARQLWrapper (SELECT, ASK, CONSTRUCT, DESCRIBE), always by POST with the query and the dataset
in the form body (a dataset can name a few hundred graphs). Answers are parsed into the same pyoxigraph terms
the embedded store returns, so every caller sees one kind of result whatever the backend. Writes (used by
:func:`wickgraph.push.push`) go through SPARQL 1.1 Update or the Graph Store HTTP Protocol.

The default graph. Without a view, wickgraph queries see the union of all its graphs as the default graph.
:class:`Endpoint` has two ways to get that from a server (``union``):

- ``"server"`` (the default): plain requests; the server's default graph must hold the union of the
  graphs: ``wickgraph push`` writes their merge there (as the build does in the embedded store), or the server
  makes it by itself (``oxigraph serve --union-default-graph``, Fuseki with ``tdb2:unionDefaultGraph true``,
  GraphDB, Virtuoso, Neptune). The store checks this once, with one small query, and says what to do when it
  is not so, rather than answering from an empty default graph;
- ``"client"``: every query names wickgraph's graphs as its dataset (``default-graph-uri`` and
  ``named-graph-uri`` for each), which any SPARQL 1.1 server honours and which hides the server's other data,
  but which a server may answer slowly (Oxigraph 0.5 took 53 s instead of 1 s for the heaviest named query
  over 185 graphs);
- ``"none"``: plain requests, no check: the server's default graph is whatever it is (a graph that is not
  wickgraph's, such as Wikidata's, or queries that only use ``GRAPH`` patterns).

Either way an "as known on DATE" view is sent as an explicit dataset.

>>> Endpoint("http://127.0.0.1:7878/query").update_url
'http://127.0.0.1:7878/update'
>>> Endpoint("https://query.wikidata.org/sparql").update_url
'https://query.wikidata.org/sparql'
"""

from __future__ import annotations

import base64
import math
import re
import urllib.parse
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Triple, parse, parse_query_results

from ..errors import (
    EndpointAuthError,
    EndpointError,
    EndpointQueryError,
    EndpointResponseError,
    EndpointUnreachableError,
    QueryError,
)
from ..namespaces import BASE, ENTITIES_GRAPH
from ..results import GraphResult, QueryResult, Row, SelectResult
from ..sparql_lexer import QUERY_FORMS, UPDATE_FORMS
from ..terms import value
from .base import GraphView

if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

    from SPARQLWrapper import SPARQLWrapper

__all__ = ["Endpoint", "RemoteStore", "Union", "query_form"]

Union = Literal["server", "client", "none"]
"""How the default graph becomes the union of wickgraph's graphs (see the module docstring)."""

ACCEPT = ", ".join(
    [
        "application/sparql-results+json",
        "application/sparql-results+xml;q=0.9",
        "application/n-triples;q=0.9",
        "text/turtle;q=0.8",
        "application/rdf+xml;q=0.5",
    ]
)
"""What wickgraph asks a server for: SPARQL results for SELECT/ASK, an RDF graph for CONSTRUCT/DESCRIBE."""

NOT_UNION = (
    "the server's default graph is not the union of its graphs, so wickgraph's queries would miss facts: "
    "push with `wickgraph push` (which writes the merge of the graphs into the default graph), or start Oxigraph "
    "with --union-default-graph (Fuseki: tdb2:unionDefaultGraph true), or query with --union client"
)
_NO_GRAPH = BASE + "graph/none"
"""A graph no one writes: the dataset of an empty view."""
_POSITION = re.compile(r"(?:\bat\s+(?:line\s+)?|\bline\s+)(\d+)(?::|,\s*column\s+|,\s*col\s+)(\d+)", re.I)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a SPARQL server is and how to talk to it.

    ``query`` is the SPARQL query URL. ``update`` defaults to the query URL with a final ``/query`` made
    ``/update`` (Oxigraph, Fuseki) and to the query URL itself otherwise (Virtuoso, Neptune, Wikidata's
    read-only ``/sparql``); ``graph_store`` (Graph Store Protocol URL) is only used by a push when given.
    Authentication is HTTP basic (``user`` and ``password``) or a bearer ``token``; ``timeout`` is in seconds
    (queries round it up to whole seconds).
    """

    query: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    union: Union = "server"

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.graph_store):
            if url is not None:
                _check_url(url)
        if self.union not in ("server", "client", "none"):
            raise EndpointError(self.query, f"union must be 'server', 'client' or 'none', not {self.union!r}")
        if self.timeout <= 0:
            raise EndpointError(self.query, f"the timeout must be a positive number of seconds, not {self.timeout}")
        if self.token and (self.user or self.password):
            raise EndpointError(self.query, "give a bearer token or a user and password, not both")

    @property
    def update_url(self) -> str:
        """The SPARQL Update URL (see the class docstring for the default)."""
        if self.update:
            return self.update
        parts = urllib.parse.urlsplit(self.query)
        if parts.path.endswith("/query"):
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "update"))
        return self.query

    def headers(self) -> dict[str, str]:
        """The authentication header, if any."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(url, "not an http:// or https:// URL of a SPARQL endpoint")


class RemoteStore:
    """The graph on a SPARQL 1.1 server: wickgraph's named graphs there, queried through SPARQLWrapper.

    The list of wickgraph's graphs (named under ``https://w3id.org/wickgraph/``) is read once per store;
    open a new store to see graphs pushed since.
    """

    def __init__(self, endpoint: Endpoint | str) -> None:
        self.endpoint = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
        self.location = self.endpoint.query
        self._graphs: list[str] | None = None
        self._union_checked = False

    # ---- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        """Run a SPARQL query (see the module docstring for which dataset it sees)."""
        if view is not None:
            graphs: Iterable[str] | None = view.graphs or (_NO_GRAPH,)
        elif self.endpoint.union == "client":
            graphs = self.named_graphs() or (_NO_GRAPH,)
        else:
            graphs = None
            if self.endpoint.union == "server" and not self._union_checked:
                if self.default_graph_is_union() is False:
                    raise EndpointError(self.location, NOT_UNION)
                self._union_checked = True
        return self._query(sparql, graphs)

    def default_graph_is_union(self) -> bool | None:
        """Whether the server's default graph holds wickgraph's graphs (``None``: it has none of them)."""
        result = self._query(
            f"SELECT ?in WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} BIND(EXISTS {{ ?s ?p ?o }} AS ?in) }} LIMIT 1",
            None,
        )
        assert isinstance(result, SelectResult)
        if not result.rows:
            return None
        return value(result[0], "in") in ("true", "1")

    def named_graphs(self) -> list[str]:
        """wickgraph's named graphs on the server (their IRIs start with ``https://w3id.org/wickgraph/``)."""
        if self._graphs is None:
            result = self._query(
                f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {_string(BASE)})) }}",
                None,
            )
            assert isinstance(result, SelectResult)
            self._graphs = sorted(value(row, "g") for row in result)
        return list(self._graphs)

    def forget_graphs(self) -> None:
        """Read the list of graphs again on next use (after the server's graphs changed)."""
        self._graphs = None

    def _query(self, sparql: str, graphs: Iterable[str] | None) -> QueryResult:
        from SPARQLWrapper import URLENCODED

        form = query_form(sparql)
        if form in UPDATE_FORMS:
            raise QueryError(f"{self.location}: a query cannot change the graph ({form}); write with `wickgraph push`")
        wrapper = self._wrapper(self.endpoint.query)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SPARQLWrapper warns about query forms it cannot tell
            wrapper.setQuery(sparql)
        # SPARQLWrapper guesses the form with a regular expression that a word like "moved" in a comment
        # fools into sending the query as an update; the form read here from the query's start is the real one.
        wrapper.queryType = form if form in QUERY_FORMS else "SELECT"  # the server will say what is wrong
        wrapper.setRequestMethod(URLENCODED)
        for graph in graphs or ():
            wrapper.addParameter("default-graph-uri", graph)
            wrapper.addParameter("named-graph-uri", graph)
        body, content_type = self._send(wrapper, self.endpoint.query)
        return _parse_answer(self.endpoint.query, body, content_type, graph=form in ("CONSTRUCT", "DESCRIBE"))

    # ---- writing (for push) ----------------------------------------------------------------
    def update(self, sparql: str | bytes) -> None:
        """Run a SPARQL 1.1 Update request (most servers apply one request as one transaction).

        Sent as ``application/sparql-update`` with plain urllib: SPARQLWrapper would scan the whole text
        with regular expressions to tell its form, which costs seconds on a large ``INSERT DATA``.
        """
        body = sparql.encode("utf-8") if isinstance(sparql, str) else sparql
        self._write(self.endpoint.update_url, "POST", body, "application/sparql-update")

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one named graph with N-Triples through the Graph Store Protocol (``PUT ?graph=IRI``)."""
        if not self.endpoint.graph_store:
            raise EndpointError(self.location, "no Graph Store Protocol URL (pass --graph-store-endpoint)")
        url = self.endpoint.graph_store
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        target = url + separator + urllib.parse.urlencode({"graph": graph})
        self._write(target, "PUT", ntriples, "application/n-triples", shown=url)

    def _write(self, url: str, method: str, body: bytes, content_type: str, *, shown: str | None = None) -> None:
        import urllib.error
        import urllib.request

        headers = {"Content-Type": content_type, "User-Agent": _user_agent(), **self.endpoint.headers()}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        name = shown or url
        try:
            with urllib.request.urlopen(request, timeout=self.endpoint.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise _http_error(name, exc.code, exc.reason, exc.read(), exc.headers) from None
        except Exception as exc:
            raise _transport_error(name, exc, self.endpoint.timeout) from None

    # ---- plumbing --------------------------------------------------------------------------
    def _wrapper(self, url: str) -> SPARQLWrapper:
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url, updateEndpoint=self.endpoint.update_url, agent=_user_agent())
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(math.ceil(self.endpoint.timeout))  # SPARQLWrapper counts whole seconds
        wrapper.addCustomHttpHeader("Accept", ACCEPT)
        for name, header in self.endpoint.headers().items():
            wrapper.addCustomHttpHeader(name, header)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, url: str) -> tuple[bytes, str]:
        import urllib.error

        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        try:
            response = wrapper.query().response
            return response.read(), response.headers.get("Content-Type") or ""
        except SPARQLWrapperException as exc:
            # SPARQLWrapper's errors for HTTP 400, 401, 404, 414 and 500 carry the body in their message and
            # the HTTP error they replace as their context.
            cause = exc.__context__
            if isinstance(cause, urllib.error.HTTPError):
                raise _http_error(url, cause.code, cause.reason, _wrapped_body(exc), cause.headers) from None
            raise EndpointResponseError(url, str(exc).splitlines()[0]) from None
        except urllib.error.HTTPError as exc:
            raise _http_error(url, exc.code, exc.reason, exc.read(), exc.headers) from None
        except Exception as exc:
            raise _transport_error(url, exc, self.endpoint.timeout) from None

    def close(self) -> None:
        self._graphs = None

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RemoteStore {self.location}>"


def query_form(sparql: str) -> str:
    r"""The form of a SPARQL request, upper-case: its first keyword after the prologue (BASE, PREFIX, comments).

    >>> query_form("PREFIX ex: <http://e/#>  # a comment\n# DELETE\nselect * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    'INSERT'
    """
    from ..sparql_lexer import query_form as form

    return form(sparql)


def _user_agent() -> str:
    from .. import __version__

    return f"wickgraph/{__version__} (SPARQLWrapper)"


def _string(text: str) -> str:
    from pyoxigraph import Literal as OxLiteral

    return str(OxLiteral(text))


# ---- answers --------------------------------------------------------------------------------
def _parse_answer(url: str, body: bytes, content_type: str, *, graph: bool = False) -> QueryResult:
    """Parse an answer by its media type; ``graph`` settles the ambiguous ones (``application/xml``,
    ``application/json``, ``text/plain``) for a CONSTRUCT or DESCRIBE query."""
    media = content_type.split(";")[0].strip().lower()
    results_format = QueryResultsFormat.from_media_type(media) if media else None
    rdf_format = RdfFormat.from_media_type(media) if media else None
    if graph and rdf_format is not None:
        results_format = None
    elif results_format is not None:
        rdf_format = None
    if results_format is None and rdf_format is None:
        what = "an HTML page" if media in ("text/html", "application/xhtml+xml") or _looks_html(body) else None
        shown = what or (f"{media} content" if media else "content without a Content-Type")
        raise EndpointResponseError(
            url, f"answered with {shown}, not SPARQL results (is this the query URL of a SPARQL endpoint?)"
        )
    try:
        if results_format is not None:
            parsed = parse_query_results(body, results_format)
            if isinstance(parsed, QueryBoolean):
                return bool(parsed)
            assert isinstance(parsed, QuerySolutions)
            variables = [v.value for v in parsed.variables]
            rows: list[Row] = [{v: solution[v] for v in variables} for solution in parsed]
            return SelectResult(variables, rows)
        assert rdf_format is not None
        return GraphResult(Triple(q.subject, q.predicate, q.object) for q in parse(body, rdf_format))
    except (SyntaxError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EndpointResponseError(url, f"answered {media} that does not parse as SPARQL results: {first}") from None


def _wrapped_body(exc: Exception) -> bytes:
    """The response body a SPARQLWrapper error quotes (``... Response:\\n b'...'``), or nothing."""
    import ast

    _, found, quoted = str(exc).partition("\n\nResponse:\n")
    if not found:
        return b""
    try:
        body = ast.literal_eval(quoted)
    except (ValueError, SyntaxError):
        return quoted.encode()
    return body if isinstance(body, bytes) else str(body).encode()


def _looks_html(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _one_line(body: bytes, content_type: str | None, limit: int = 240) -> str:
    text = body.decode("utf-8", "replace")
    if (content_type or "").startswith("text/html") or _looks_html(body):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        text = re.sub(r"<[^>]+>", " ", title.group(1) if title else text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _http_error(url: str, status: int, reason: str, body: bytes, headers: Message[str, str] | None) -> EndpointError:
    detail = _one_line(body, headers.get("Content-Type") if headers is not None else None)
    said = f"HTTP {status} {reason}".strip()
    if status == 429:
        retry = headers.get("Retry-After") if headers is not None else None
        after = f"; retry after {retry} s" if retry and retry.isdigit() else ""
        return EndpointResponseError(url, f"the server is limiting this client's requests ({said}){after}")
    if status in (401, 403):
        return EndpointAuthError(
            url, f"the server refused the credentials ({said}); check --user/--password or --token"
        )
    if status == 400:
        match = _POSITION.search(detail)
        line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        message = re.sub(r"\s+:", ":", _POSITION.sub("", detail, count=1)).strip(" :") if match else detail
        message = re.sub(r"^(?:syntax\s+)?error:\s*", "", message, flags=re.I)
        return EndpointQueryError(url, message or said, line=line, column=column)
    if status == 404:
        return EndpointResponseError(url, f"{said}: no SPARQL endpoint at this URL")
    return EndpointResponseError(url, f"{said}" + (f": {detail}" if detail else ""))


def _transport_error(url: str, exc: Exception, timeout: float) -> EndpointError:
    import http.client
    import socket
    import urllib.error

    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointUnreachableError(url, f"no answer within {math.ceil(timeout)} s (the timeout)")
    if isinstance(reason, ConnectionRefusedError):
        return EndpointUnreachableError(url, "connection refused: is the server running, and on that port?")
    if isinstance(reason, socket.gaierror):
        return EndpointUnreachableError(url, f"unknown host ({reason.strerror or reason})")
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        name = type(reason).__name__
        return EndpointResponseError(url, f"the server broke off or did not speak HTTP ({name}: {reason})".strip())
    if isinstance(reason, OSError):
        return EndpointUnreachableError(url, f"cannot connect: {reason.strerror or reason}")
    return EndpointError(url, f"{type(reason).__name__}: {reason}")
