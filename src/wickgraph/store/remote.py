"""The remote backend: any server that speaks the SPARQL 1.1 Protocol, with SPARQLWrapper as the client.

Reads go through SPARQLWrapper (SELECT, ASK, CONSTRUCT, DESCRIBE), always by POST with the query and the dataset
in the form body (a dataset can name a few hundred graphs). Answers are parsed into the same pyoxigraph terms
the embedded store returns, so every caller sees one kind of result whatever the backend. Writes (used by
:func:`wickgraph.publish.push`) go through SPARQL 1.1 Update or the Graph Store HTTP Protocol.

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
query's form, and :mod:`wickgraph.store.answers` reads what comes back (any server's blank-node labels, booleans
and numbers in the embedded store's canonical form; an answer cut at a row cap refused; HTTP errors made
:class:`~wickgraph.errors.EndpointError`); an HTTP digest challenge (Virtuoso's ``/sparql-auth``) is answered
with the endpoint's user and password (:mod:`wickgraph.store.digest`).
"""

from __future__ import annotations

import math
import urllib.parse
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import EndpointAuthError, EndpointError, EndpointResponseError, EndpointRowCapError, QueryError
from ..namespaces import BASE, ENTITIES_GRAPH
from ..results import GraphResult, QueryResult, SelectResult
from ..sparql_lexer import QUERY_FORMS, UPDATE_FORMS
from ..terms import value
from .answers import check_cap, expect_headers, parse_answer, transport_error, wrapped_body
from .auth import Authorizer, digest_authorization, refuse
from .base import GraphView, Quad, sparql_quads
from .endpoint import Endpoint, Union

if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

    from SPARQLWrapper import SPARQLWrapper

__all__ = ["MERGE_GRAPH", "Endpoint", "RemoteStore", "Union", "digest_authorization", "query_form"]

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


class RemoteStore:
    """The graph on a SPARQL 1.1 server: wickgraph's named graphs there, queried through SPARQLWrapper.

    The list of wickgraph's graphs (named under ``https://w3id.org/wickgraph/``) is read once per store;
    open a new store to see graphs pushed since.
    """

    def __init__(self, endpoint: Endpoint | str) -> None:
        self.endpoint = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
        self.location = self.endpoint.query
        self.read_only = False
        """A server's graphs may change (a push) while the store is open."""
        self._graphs: list[str] | None = None
        self._merge: bool | None = None
        self._row_cap: int | None = None
        self._union_checked = False
        self._auth = Authorizer(self.endpoint)
        self.max_update_triples: int | None = None
        """The most triples an update to this server may carry, once one has failed for its size (push)."""
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

    def quads(self, graphs: Sequence[str] | None = None) -> Iterator[Quad]:
        """The quads of wickgraph's named graphs on the server (:func:`~wickgraph.store.base.sparql_quads`)."""
        return sparql_quads(self, graphs)

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
            expect_headers(100 + len(defaults) + len(dataset))
            return self._send(wrapper, self.endpoint.query)

        body, headers = self._auth.run("POST", self.endpoint.query, attempt)
        self.server = headers.get("Server") or self.server
        result = parse_answer(self.endpoint.query, body, headers.get("Content-Type") or "", graph=graph_form)
        cap = check_cap(self.endpoint.query, sparql, result, headers, cut_ok=cut_ok)
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
                refuse(name, exc.code, exc.reason, exc.read(), exc.headers)
            except Exception as exc:
                raise transport_error(name, exc, self.endpoint.timeout) from None

        self._auth.run(method, url, attempt)

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
                refuse(url, cause.code, cause.reason, wrapped_body(exc), cause.headers)
            raise EndpointResponseError(url, str(exc).splitlines()[0]) from None
        except urllib.error.HTTPError as exc:
            refuse(url, exc.code, exc.reason, exc.read(), exc.headers)
        except Exception as exc:
            raise transport_error(url, exc, self.endpoint.timeout) from None

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
    from .._version import __version__

    return f"wickgraph/{__version__} (SPARQLWrapper)"


def _string(text: str) -> str:
    from pyoxigraph import Literal as OxLiteral

    return str(OxLiteral(text))
