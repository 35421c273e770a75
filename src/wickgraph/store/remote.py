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
  GraphDB, Neptune). The store checks this once, with two small queries (the entity registry is in it, no
  graph that is not wickgraph's is), and says what to do when it is not so, rather than answering from an
  empty default graph, or from one that also holds a server's system graphs (Virtuoso's does);
- ``"client"``: every query names wickgraph's graphs as its dataset (``default-graph-uri`` and
  ``named-graph-uri`` for each), which any SPARQL 1.1 server honours and which hides the server's other data,
  but which a server may answer slowly (Oxigraph 0.5 took 53 s instead of 1 s for the heaviest named query
  over 185 graphs);
- ``"none"``: plain requests, no check: the server's default graph is whatever it is (a graph that is not
  wickgraph's, such as Wikidata's, or queries that only use ``GRAPH`` patterns).

Either way an "as known on DATE" view is sent as an explicit dataset.

Answers are made alike at this boundary: the Accept header asks for SPARQL results or for an RDF graph by the
query's form; SPARQL JSON results are read term by term (any server's blank-node labels, booleans and numbers
in the embedded store's canonical form); an answer a server cut at its row cap (``X-SPARQL-MaxRows``) raises
:class:`~wickgraph.errors.EndpointRowCapError`; an HTTP digest challenge (Virtuoso's ``/sparql-auth``) is
answered with the endpoint's user and password.

>>> Endpoint("http://127.0.0.1:7878/query").update_url
'http://127.0.0.1:7878/update'
>>> Endpoint("https://query.wikidata.org/sparql").update_url
'https://query.wikidata.org/sparql'
"""

from __future__ import annotations

import base64
import functools
import math
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from pyoxigraph import (
    BlankNode,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import Store as OxStore

from ..errors import (
    EndpointAuthError,
    EndpointError,
    EndpointQueryError,
    EndpointResponseError,
    EndpointRowCapError,
    EndpointUnreachableError,
    QueryError,
)
from ..namespaces import BASE, ENTITIES_GRAPH
from ..results import GraphResult, QueryResult, Row, SelectResult
from ..sparql_lexer import QUERY_FORMS, UPDATE_FORMS
from ..terms import Term, value
from .base import GraphView

if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

    from SPARQLWrapper import SPARQLWrapper

__all__ = ["MERGE_GRAPH", "Endpoint", "RemoteStore", "Union", "digest_authorization", "query_form"]

_T = TypeVar("_T")

Union = Literal["server", "client", "none"]
"""How the default graph becomes the union of wickgraph's graphs (see the module docstring)."""

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
"""What wickgraph asks a server for a SELECT or ASK query: SPARQL results."""
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
"""What wickgraph asks a server for a CONSTRUCT or DESCRIBE query: an RDF graph (a server given one Accept
header for every form may answer a CONSTRUCT with a result set of ?s ?p ?o, as Virtuoso does)."""

NOT_UNION = (
    "the server's default graph is not the union of its graphs, so wickgraph's queries would miss facts: "
    "push with `wickgraph push` (which writes the merge of the graphs into the default graph), or start Oxigraph "
    "with --union-default-graph (Fuseki: tdb2:unionDefaultGraph true), or query with --union client"
)
HAS_OTHERS = (
    "the server's default graph also holds graphs that are not wickgraph's, such as <{graph}> (Virtuoso's is the "
    "union of all its graphs, its system graphs included), so wickgraph's queries would see other triples: "
    "query with --union client"
)
MERGE_GRAPH = BASE + "graph/merge"
"""Where push writes the merge of wickgraph's graphs on a server that has no default graph of its own to write
(Virtuoso's is the union of all its graphs); ``--union client`` then sends it as the default graph."""
_NO_GRAPH = BASE + "graph/none"
"""A graph no one writes: the dataset of an empty view."""
_LINE_ONLY = re.compile(r",\s*line\s+(\d+):\s*", re.I)
_POSITION = re.compile(r"(?:\bat\s+(?:line\s+)?|\bline\s+)(\d+)(?::|,\s*column\s+|,\s*col\s+)(\d+)", re.I)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a SPARQL server is and how to talk to it.

    ``query`` is the SPARQL query URL. ``update`` defaults to the query URL with a final ``/query`` made
    ``/update`` (Oxigraph, Fuseki) and to the query URL itself otherwise (Neptune, Wikidata's read-only
    ``/sparql``; for Virtuoso with a user, :attr:`RemoteStore.update_url` makes it ``/sparql-auth``);
    ``graph_store`` (Graph Store Protocol URL) is only used by a push when given. Authentication is HTTP basic
    (``user`` and ``password``, or digest when the server asks for it) or a bearer ``token``; ``timeout`` is in
    seconds (queries round it up to whole seconds).
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
        self._merge: bool | None = None
        self._row_cap: int | None = None
        self._union_checked = False
        self._challenge: tuple[str, str] | None = None
        """The URL that last sent a digest challenge, and the challenge (its nonce serves the next requests)."""
        self.max_update_triples: int | None = None
        """The most triples an update to this server may carry, once one has failed for its size (push)."""
        self._nonce_count = 0
        self.server = ""
        """The server's ``Server`` header, from its last answer (e.g. ``Virtuoso/07.20.3229 …``)."""

    # ---- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        """Run a SPARQL query (see the module docstring for which dataset it sees)."""
        if view is not None:
            graphs: Iterable[str] | None = view.graphs or (_NO_GRAPH,)
        elif self.endpoint.union == "client":
            graphs = self.named_graphs() or (_NO_GRAPH,)
            if self.has_merge_graph():
                # The merge `wickgraph push` wrote is the default graph: each triple once, where a dataset of
                # many graphs is their bag on Virtuoso (a triple in three graphs matched three times).
                return self._query(sparql, graphs, default=(MERGE_GRAPH,))
        else:
            graphs = None
            if self.endpoint.union == "server" and not self._union_checked:
                if self.default_graph_is_union() is False:
                    raise EndpointError(self.location, NOT_UNION)
                other = self.other_graph_in_default()
                if other is not None:
                    raise EndpointError(self.location, HAS_OTHERS.format(graph=other))
                self._union_checked = True
        return self._query(sparql, graphs)

    def query_plain(self, sparql: str) -> QueryResult:
        """Run a query as it is: no dataset, no check of the default graph (what the server's default graph is)."""
        return self._query(sparql, None)

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

    def other_graph_in_default(self) -> str | None:
        """A named graph that is not wickgraph's whose triples the server's default graph shows (Virtuoso's
        default graph is the union of all its graphs, its own system graphs included), or ``None``."""
        other = self._query(
            f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), {_string(BASE)})) "
            "FILTER EXISTS { ?s ?p ?o } } LIMIT 1",
            None,
        )
        assert isinstance(other, SelectResult)
        return value(other[0], "g") if other.rows and other[0].get("g") is not None else None

    def named_graphs(self) -> list[str]:
        """wickgraph's named graphs on the server (their IRIs start with ``https://w3id.org/wickgraph/``; the
        merge graph push writes for a server without a default graph of its own is not one of them)."""
        if self._graphs is None:
            result = self._query(
                f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {_string(BASE)})) }}",
                None,
            )
            assert isinstance(result, SelectResult)
            found = sorted(value(row, "g") for row in result)
            self._merge = MERGE_GRAPH in found
            self._graphs = [g for g in found if g != MERGE_GRAPH]
        return list(self._graphs)

    def has_merge_graph(self) -> bool:
        """Whether the server holds the merge graph (:data:`MERGE_GRAPH`) that push writes for a server whose
        default graph is its own union of all its graphs (Virtuoso)."""
        if self._merge is None:
            self.named_graphs()
        return bool(self._merge)

    def forget_graphs(self) -> None:
        """Read the list of graphs again on next use (after the server's graphs changed)."""
        self._graphs = None
        self._merge = None

    def _query(
        self,
        sparql: str,
        graphs: Iterable[str] | None,
        *,
        default: Iterable[str] | None = None,
        cut_ok: bool = False,
    ) -> QueryResult:
        from SPARQLWrapper import URLENCODED

        form = query_form(sparql)
        if form in UPDATE_FORMS:
            raise QueryError(f"{self.location}: a query cannot change the graph ({form}); write with `wickgraph push`")
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        dataset = list(graphs or ())
        defaults = list(default) if default is not None else dataset
        accept = GRAPH_ACCEPT if graph_form else RESULTS_ACCEPT

        def attempt(auth: dict[str, str]) -> tuple[bytes, Message[str, str]]:
            wrapper = self._wrapper(self.endpoint.query, accept, auth)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SPARQLWrapper warns about query forms it cannot tell
                wrapper.setQuery(sparql)
            # SPARQLWrapper guesses the form with a regular expression that a word like "moved" in a comment
            # fools into sending the query as an update; the form read here from the query's start is the real one.
            wrapper.queryType = form if form in QUERY_FORMS else "SELECT"  # the server will say what is wrong
            wrapper.setRequestMethod(URLENCODED)
            for graph in defaults:
                wrapper.addParameter("default-graph-uri", graph)
            for graph in dataset:
                wrapper.addParameter("named-graph-uri", graph)
            # Virtuoso echoes each graph of the dataset in a response header of its own; Python's HTTP client
            # refuses more than 100 headers unless told to expect them (a bound set for this many graphs).
            _expect_headers(100 + len(defaults) + len(dataset))
            return self._send(wrapper, self.endpoint.query)

        body, headers = self._authorized("POST", self.endpoint.query, attempt)
        self.server = headers.get("Server") or self.server
        result = _parse_answer(self.endpoint.query, body, headers.get("Content-Type") or "", graph=graph_form)
        cap = _check_cap(self.endpoint.query, sparql, result, headers, cut_ok=cut_ok)
        if cap is not None:
            self._row_cap = cap
        if form == "CONSTRUCT" and isinstance(result, GraphResult) and self.server.startswith("Virtuoso/"):
            self._check_graph_cap(sparql, result)
        return result

    def _check_graph_cap(self, sparql: str, result: GraphResult) -> None:
        """Virtuoso cuts a CONSTRUCT answer at its row cap too, and says nothing: an answer of as many triples
        as the cap (learnt from an earlier answer's ``X-SPARQL-MaxRows``, or by asking once for more rows
        than any cap) is refused like a cut SELECT answer."""
        if self._row_cap is None:
            digits = " ".join(str(i) for i in range(10))
            probe = (
                "SELECT ?a WHERE { " + " ".join(f"VALUES ?v{i} {{ {digits} }}" for i in range(7)) + " BIND(1 AS ?a) }"
            )
            self._row_cap = 0  # no cap found: none below ten million rows
            self._query(probe, None, cut_ok=True)  # an answer cut at the cap records it (see _query)
        if self._row_cap and len(result) >= self._row_cap:
            raise EndpointRowCapError(
                self.endpoint.query,
                len(result),
                f"the server cut the answer at {len(result)} triples, its row cap (Virtuoso: ResultSetMaxRows "
                f"{self._row_cap} in virtuoso.ini, which it applies to CONSTRUCT answers without saying so), and "
                "did not send the rest: raise the cap on the server, or narrow the query",
            )

    # ---- writing (for push) ----------------------------------------------------------------
    @property
    def update_url(self) -> str:
        """Where updates go: the endpoint's update URL; for a Virtuoso ``…/sparql`` endpoint given without an
        update URL and with credentials, ``…/sparql-auth`` (Virtuoso's ``/sparql`` is read-only for the
        anonymous user; ``/sparql-auth`` takes a user with the ``SPARQL_UPDATE`` role, by digest authentication).
        """
        if self.endpoint.update or self.endpoint.user is None or not self.endpoint.query.endswith("/sparql"):
            return self.endpoint.update_url
        if not self.server:
            self.server_software()
        if self.server.startswith("Virtuoso/"):
            return self.endpoint.query + "-auth"
        return self.endpoint.update_url

    def server_software(self) -> str:
        """The server's ``Server`` header (asked with one small query if no answer has said it yet)."""
        if not self.server:
            self._query("ASK {}", None)
        return self.server

    def update(self, sparql: str | bytes) -> None:
        """Run a SPARQL 1.1 Update request (most servers apply one request as one transaction).

        Sent as ``application/sparql-update`` with plain urllib: SPARQLWrapper would scan the whole text
        with regular expressions to tell its form, which costs seconds on a large ``INSERT DATA``.
        """
        body = sparql.encode("utf-8") if isinstance(sparql, str) else sparql
        url = self.update_url
        try:
            self._write(url, "POST", body, "application/sparql-update")
        except EndpointResponseError as exc:
            if "SR186" in exc.what and url.endswith("/sparql"):
                raise EndpointAuthError(
                    url,
                    "Virtuoso runs updates sent to /sparql as its anonymous SPARQL user, who may not write: give "
                    "--user and --password of an account with the SPARQL_UPDATE role (updates then go to "
                    "/sparql-auth)",
                ) from None
            raise

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

        headers = {"Content-Type": content_type, "User-Agent": _user_agent()}
        name = shown or url

        def attempt(auth: dict[str, str]) -> None:
            request = urllib.request.Request(url, data=body, method=method, headers={**headers, **auth})
            try:
                with urllib.request.urlopen(request, timeout=self.endpoint.timeout) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                _refuse(name, exc.code, exc.reason, exc.read(), exc.headers)
            except Exception as exc:
                raise _transport_error(name, exc, self.endpoint.timeout) from None

        self._authorized(method, url, attempt)

    # ---- plumbing --------------------------------------------------------------------------
    def _wrapper(self, url: str, accept: str, auth: dict[str, str]) -> SPARQLWrapper:
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url, updateEndpoint=self.endpoint.update_url, agent=_user_agent())
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(math.ceil(self.endpoint.timeout))  # SPARQLWrapper counts whole seconds
        wrapper.addCustomHttpHeader("Accept", accept)
        for name, header in auth.items():
            wrapper.addCustomHttpHeader(name, header)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, url: str) -> tuple[bytes, Message[str, str]]:
        import urllib.error

        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        try:
            response = wrapper.query().response
            return response.read(), response.headers
        except SPARQLWrapperException as exc:
            # SPARQLWrapper's errors for HTTP 400, 401, 404, 414 and 500 carry the body in their message and
            # the HTTP error they replace as their context.
            cause = exc.__context__
            if isinstance(cause, urllib.error.HTTPError):
                _refuse(url, cause.code, cause.reason, _wrapped_body(exc), cause.headers)
            raise EndpointResponseError(url, str(exc).splitlines()[0]) from None
        except urllib.error.HTTPError as exc:
            _refuse(url, exc.code, exc.reason, exc.read(), exc.headers)
        except Exception as exc:
            raise _transport_error(url, exc, self.endpoint.timeout) from None

    def _authorized(self, method: str, url: str, attempt: Callable[[dict[str, str]], _T]) -> _T:
        """Run ``attempt`` with the endpoint's credentials, answering the server's HTTP digest challenge.

        Basic or bearer credentials go with the first request. A server that wants digest authentication
        (Virtuoso's ``/sparql-auth``) answers 401 with a challenge (Virtuoso only to a request that has no
        ``Authorization`` header); its nonce is then used for the following requests too, until the server
        sends a new challenge. An HTTP 401 to a fresh digest answer means wrong credentials.
        """
        fresh = False
        asked_plainly = False
        auth = self._credentials(method, url)
        for _ in range(4):
            try:
                return attempt(auth)
            except _Unauthorized as refused:
                challenge = refused.digest_challenge()
                if self.endpoint.user is None or fresh:
                    raise refused.error from None
                if challenge is not None:
                    self._challenge, self._nonce_count, fresh = (url, challenge), 0, True
                elif auth and not asked_plainly:
                    self._challenge, asked_plainly = None, True  # ask again, without credentials, for a challenge
                    auth = {}
                    continue
                else:
                    raise refused.error from None
                auth = self._credentials(method, url)
        raise EndpointAuthError(url, "the server keeps asking for credentials (HTTP 401)")

    def _credentials(self, method: str, url: str) -> dict[str, str]:
        """The ``Authorization`` header for one request: a digest answer once the server has sent a challenge."""
        if self._challenge is None or self._challenge[0] != url or self.endpoint.user is None:
            return self.endpoint.headers()
        self._nonce_count += 1
        header = digest_authorization(
            self._challenge[1],
            method,
            url,
            self.endpoint.user,
            self.endpoint.password or "",
            count=self._nonce_count,
        )
        return {"Authorization": header}

    def close(self) -> None:
        self._graphs = None

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RemoteStore {self.location}>"


def _refuse(url: str, code: int, reason: str, body: bytes, headers: Message[str, str] | None) -> NoReturn:
    """Raise the error for an HTTP error answer: ``_Unauthorized`` for a 401 (its challenge may be answered),
    else the endpoint error that says what the server said."""
    error = _http_error(url, code, reason, body, headers)
    if code == 401:
        raise _Unauthorized(headers, error) from None
    raise error from None


class _Unauthorized(Exception):
    """An HTTP 401: the server's headers (for its challenge) and the error to raise if it cannot be answered."""

    def __init__(self, headers: Message[str, str] | None, error: EndpointError) -> None:
        super().__init__(str(error))
        self.headers = headers
        self.error = error

    def digest_challenge(self) -> str | None:
        for header in (self.headers.get_all("WWW-Authenticate") or []) if self.headers is not None else []:
            if header.strip().lower().startswith("digest "):
                return header.strip()
        return None


def digest_authorization(challenge: str, method: str, target: str, user: str, password: str, *, count: int = 1) -> str:
    """The ``Authorization`` header answering an HTTP digest ``challenge`` (RFC 7616, ``qop=auth`` or none).

    >>> header = digest_authorization('Digest realm="r", nonce="n", qop="auth"', "POST", "http://h/x?a=1", "u", "p")
    >>> header.startswith('Digest username="u", realm="r", nonce="n", uri="/x?a=1", algorithm=MD5, response="')
    True
    """
    import hashlib

    fields = dict(
        (key.lower(), quoted if quoted else plain)
        for key, quoted, plain in re.findall(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', challenge[6:])
    )
    algorithm = fields.get("algorithm", "MD5").upper()
    hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
    if algorithm not in hashes:
        raise EndpointAuthError(
            target, f"the server asks for digest authentication with {algorithm}, not MD5 or SHA-256"
        )

    def h(text: str) -> str:
        return hashes[algorithm](text.encode()).hexdigest()

    parts = urllib.parse.urlsplit(target)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    ha1 = h(f"{user}:{realm}:{password}")
    ha2 = h(f"{method}:{uri}")
    header = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm={algorithm}'
    if "auth" in [q.strip() for q in fields.get("qop", "").split(",")]:
        cnonce = secrets_token()
        response = h(f"{ha1}:{nonce}:{count:08x}:{cnonce}:auth:{ha2}")
        header += f', response="{response}", qop=auth, nc={count:08x}, cnonce="{cnonce}"'
    else:
        header += f', response="{h(f"{ha1}:{nonce}:{ha2}")}"'
    if "opaque" in fields:
        header += f', opaque="{fields["opaque"]}"'
    return header


def secrets_token() -> str:
    """A client nonce for digest authentication."""
    import secrets

    return secrets.token_hex(8)


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
    from .._version import __version__

    return f"wickgraph/{__version__} (SPARQLWrapper)"


def _string(text: str) -> str:
    from pyoxigraph import Literal as OxLiteral

    return str(OxLiteral(text))


# ---- answers --------------------------------------------------------------------------------
def _expect_headers(count: int) -> None:
    """Let Python's HTTP client read an answer with up to ``count`` headers (it refuses more than 100 by
    default). The limit guards against a server that sends headers without end; it is only ever raised, to a
    bound wickgraph sets from the dataset it sends, never removed."""
    import http.client

    limit = getattr(http.client, "_MAXHEADERS", 100)
    if isinstance(limit, int) and count > limit:
        http.client._MAXHEADERS = count  # type: ignore[attr-defined]


_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.I)


def _check_cap(
    url: str, sparql: str, result: QueryResult, headers: Message[str, str], *, cut_ok: bool = False
) -> int | None:
    """Refuse an answer the server cut at its row cap: Virtuoso returns at most ``ResultSetMaxRows`` rows and
    says so in an ``X-SPARQL-MaxRows`` header when the answer reaches that many. Returns the cap it says."""
    said = (headers.get("X-SPARQL-MaxRows") or "").strip()
    if not said.isdigit() or isinstance(result, bool):
        return None
    cap = int(said)
    size = len(result)
    if size < cap:
        return cap
    # The query's own top-level LIMIT (after its last closing brace) may explain an answer of that size.
    tail = sparql[sparql.rfind("}") + 1 :]
    limit = _LIMIT.search(tail)
    if limit is not None and int(limit.group(1)) <= cap:
        return cap
    if cut_ok:
        return cap
    what = "rows" if isinstance(result, SelectResult) else "triples"
    raise EndpointRowCapError(
        url,
        size,
        f"the server cut the answer at {size} {what}, its row cap (X-SPARQL-MaxRows: {cap}; Virtuoso: "
        "ResultSetMaxRows in virtuoso.ini), and did not send the rest: raise the cap on the server, or page "
        "the query (ORDER BY with LIMIT and OFFSET)",
    )


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
        if results_format == QueryResultsFormat.JSON:
            return _json_results(body)
        if results_format is not None:
            parsed = parse_query_results(body, results_format)
            if isinstance(parsed, QueryBoolean):
                return bool(parsed)
            assert isinstance(parsed, QuerySolutions)
            variables = [v.value for v in parsed.variables]
            rows: list[Row] = [{v: normal_term(solution[v]) for v in variables} for solution in parsed]
            return SelectResult(variables, rows)
        assert rdf_format is not None
        return GraphResult(Triple(q.subject, q.predicate, normal_term(q.object)) for q in parse(body, rdf_format))
    except (SyntaxError, ValueError, TypeError, KeyError, AttributeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EndpointResponseError(url, f"answered {media} that does not parse as SPARQL results: {first}") from None


def _json_results(body: bytes) -> QueryResult:
    """SPARQL JSON results, read term by term so that every server's terms come out as the embedded store's:
    blank-node labels of any form (Virtuoso's ``nodeID://b10092``), literals in their canonical form."""
    import json

    data = json.loads(body)
    if not isinstance(data, dict) or "head" not in data:
        raise ValueError("no 'head' member")
    if "boolean" in data:
        answer = data["boolean"]
        if not isinstance(answer, bool):
            raise ValueError(f"'boolean' is {answer!r}")
        return answer
    variables = [str(v) for v in data["head"].get("vars", [])]
    labels: dict[str, BlankNode] = {}
    rows: list[Row] = [
        {v: _json_term(binding[v], labels) if v in binding else None for v in variables}
        for binding in data["results"]["bindings"]
    ]
    return SelectResult(variables, rows)


def _json_term(term: dict[str, Any], labels: dict[str, BlankNode]) -> Term:
    kind = term["type"]
    if kind == "uri":
        return NamedNode(term["value"])
    if kind == "bnode":
        label = str(term["value"])
        if label not in labels:
            labels[label] = _blank(label)
        return labels[label]
    if kind in ("literal", "typed-literal"):
        language = term.get("xml:lang")
        if language:
            return OxLiteral(term["value"], language=language)
        datatype = term.get("datatype")
        if datatype and datatype != XSD_STRING:
            return normal_literal(str(term["value"]), datatype)
        return OxLiteral(term["value"])
    if kind == "triple":
        inner = term["value"]
        subject, predicate, obj = (_json_term(inner[k], labels) for k in ("subject", "predicate", "object"))
        return Triple(subject, predicate, obj)  # type: ignore[arg-type]
    raise ValueError(f"unknown term type {kind!r}")


_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _blank(label: str) -> BlankNode:
    """A blank node for a server's label: the label itself when it is one N-Triples takes, else one made from it
    (Virtuoso's ``nodeID://b10092`` becomes ``nodeID_b10092``; labels only name a node within one answer)."""
    if _BLANK_LABEL.fullmatch(label) and not label.endswith("."):
        return BlankNode(label)
    return BlankNode(re.sub(r"[^A-Za-z0-9_]+", "_", label).strip("_") or "b")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_CANONICAL = {_XSD + name: name for name in ("boolean", "integer", "decimal", "double", "float")}


def normal_term(term: Any) -> Any:
    """A term as the embedded store gives it: literals of the numeric and boolean types in canonical form."""
    if isinstance(term, OxLiteral) and term.datatype.value in _CANONICAL:
        return normal_literal(term.value, term.datatype.value)
    return term


def normal_literal(lexical: str, datatype: str) -> OxLiteral:
    """A typed literal with the lexical form the embedded store would give it: ``"1"^^xsd:boolean`` (Virtuoso)
    is ``"true"``, ``"1.50"^^xsd:decimal`` is ``"1.5"``, ``"1.0"^^xsd:double`` is ``"1"`` (Oxigraph's forms)."""
    if datatype in _CANONICAL:
        return _canonical(lexical, datatype)
    return OxLiteral(lexical, datatype=NamedNode(datatype))


@functools.lru_cache(maxsize=4096)
def _canonical(lexical: str, datatype: str) -> OxLiteral:
    literal = OxLiteral(lexical, datatype=NamedNode(datatype))
    solutions = _caster().query(
        f"SELECT (<{_XSD}{_CANONICAL[datatype]}>(?v) AS ?c) WHERE {{ VALUES ?v {{ {literal} }} }}"
    )
    assert isinstance(solutions, QuerySolutions)
    found = next(iter(solutions))["c"]
    return found if isinstance(found, OxLiteral) else literal  # a form that does not parse stays as it was


@functools.cache
def _caster() -> OxStore:
    """An empty in-memory store: its casts give Oxigraph's canonical lexical forms."""
    return OxStore()


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
        detail = detail.split(" SPARQL query:", 1)[0]  # Virtuoso quotes the whole query after its message
        match = _POSITION.search(detail)
        line: int | None = int(match.group(1)) if match else None
        column: int | None = int(match.group(2)) if match else None
        message = re.sub(r"\s+:", ":", _POSITION.sub("", detail, count=1)).strip(" :") if match else detail
        if match is None and (only_line := _LINE_ONLY.search(detail)) is not None:
            line = int(only_line.group(1))  # Virtuoso: "SPARQL compiler, line 17: syntax error at ..."
            message = _LINE_ONLY.sub(": ", detail, count=1)
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
