"""The knowledge graph as a Python object: open it, ask it SPARQL, run named queries, look up entities.

>>> import wickgraph
>>> kg = wickgraph.open_graph(store_path)          # doctest: +SKIP
>>> kg.select("SELECT ?l WHERE { wgd:ballerina rdfs:label ?l }")[0]["l"].value   # doctest: +SKIP
'Ballerina'
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import ConflictingTargetsError, EndpointQueryError, QueryFormError, QuerySyntaxError, WickgraphError
from .namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, sparql_prologue
from .results import GraphResult, QueryResult, SelectResult
from .store.base import GraphView, Store
from .terms import value

if TYPE_CHECKING:  # pragma: no cover
    from .entity import EntityCard, EntityMatch
    from .store.remote import Endpoint

__all__ = ["KnowledgeGraph", "open_graph", "parse_date"]

_PROLOGUE = sparql_prologue()
_PROLOGUE_LINES = _PROLOGUE.count("\n")
_LABEL_BATCH = 200


def parse_date(value: str | _dt.date) -> _dt.date:
    """A date from ``YYYY-MM-DD`` (or a date), with an error that says what was wrong."""
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise WickgraphError(f"not a date: {value!r} (use YYYY-MM-DD, e.g. 2024-01-03)") from None


class KnowledgeGraph:
    """The wickgraph knowledge graph over a :class:`~wickgraph.store.Store`.

    Every query may use the project prefixes (``wg:``, ``wgd:``, ``schema:``, ``wdt:`` …) without declaring
    them, and may be asked ``as_of`` a date: it then sees only the claims published by that date.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._views: dict[str, GraphView] = {}
        self._resolved: dict[tuple[str, str | None], str] = {}

    # ---- SPARQL -----------------------------------------------------------------------------
    def query(self, sparql: str, *, as_of: str | _dt.date | None = None) -> QueryResult:
        """Run a query of any form: SELECT rows, ASK bool, or CONSTRUCT/DESCRIBE triples."""
        view = self.view_as_of(as_of) if as_of is not None else None
        try:
            result = self.store.query(_PROLOGUE + sparql, view)
        except QuerySyntaxError as exc:
            line = exc.line - _PROLOGUE_LINES if exc.line is not None else None
            raise QuerySyntaxError(
                str(exc).split(": ", 1)[-1].split("\n")[0], query=sparql, line=line, column=exc.column
            ) from None
        except EndpointQueryError as exc:  # a server counts the prefix lines too
            raise exc.shifted(_PROLOGUE_LINES) from None
        if not isinstance(result, bool):
            result.graph = self
        return result

    def select(self, sparql: str, *, as_of: str | _dt.date | None = None) -> SelectResult:
        """Run a SELECT query."""
        result = self.query(sparql, as_of=as_of)
        if not isinstance(result, SelectResult):
            raise QueryFormError(f"select() needs a SELECT query; this one is {_form(result)} (use query())")
        return result

    def ask(self, sparql: str, *, as_of: str | _dt.date | None = None) -> bool:
        """Run an ASK query."""
        result = self.query(sparql, as_of=as_of)
        if not isinstance(result, bool):
            raise QueryFormError(f"ask() needs an ASK query; this one is {_form(result)} (use query())")
        return result

    def construct(self, sparql: str, *, as_of: str | _dt.date | None = None) -> GraphResult:
        """Run a CONSTRUCT or DESCRIBE query."""
        result = self.query(sparql, as_of=as_of)
        if not isinstance(result, GraphResult):
            raise QueryFormError(f"construct() needs a CONSTRUCT or DESCRIBE query; this one is {_form(result)}")
        return result

    def run(self, name: str, *, as_of: str | _dt.date | None = None, **params: str) -> QueryResult:
        """Run a named query (see :func:`wickgraph.queries.named_queries`) with its parameters.

        Its ``GROUP_CONCAT`` lists come out the same from every engine: their parts sorted (SPARQL leaves their
        order to the engine), and an empty list unbound (Oxigraph leaves it unbound, Virtuoso gives ``""``).
        """
        text = self.named_query_text(name, **params)
        return _sorted_lists(self.query(text, as_of=as_of), text)

    def named_query_text(self, name: str, **params: str) -> str:
        """The SPARQL text of a named query with its parameters bound, entity parameters resolved to IRIs."""
        from .entity import resolve
        from .queries import get

        query = get(name)
        values = query.values(**params)
        # A read-only store's answers do not change while it is open: each name is resolved once.
        cache = self.store.read_only
        iris = {}
        for p in query.parameters:
            if p.entity and values[p.name]:
                key = (values[p.name], p.entity_class)
                iri = self._resolved.get(key) if cache else None
                if iri is None:
                    iri = resolve(self, values[p.name], entity_class=p.entity_class)
                    if cache and len(self._resolved) < 4096:
                        self._resolved[key] = iri
                iris[p.name] = iri
        return query.bind(iris=iris, **values)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The display label of each IRI that has one: its ``rdfs:label``, else its ``schema:name`` (a source's
        title). IRIs without either are left out. Where an IRI has several, the first in order.
        """
        from pyoxigraph import NamedNode

        wanted = sorted({iri for iri in iris if iri})
        found: dict[str, tuple[int, str]] = {}
        for start in range(0, len(wanted), _LABEL_BATCH):
            values = " ".join(str(NamedNode(iri)) for iri in wanted[start : start + _LABEL_BATCH])
            rows = self.select(f"""
                SELECT ?s ?rank ?label WHERE {{
                  VALUES ?s {{ {values} }}
                  {{ ?s rdfs:label ?label BIND(0 AS ?rank) }} UNION {{ ?s schema:name ?label BIND(1 AS ?rank) }}
                }}""")
            for row in rows.stream():
                iri, label, rank = value(row, "s"), value(row, "label"), int(value(row, "rank"))
                best = found.get(iri)
                if best is None or (rank, label) < best:
                    found[iri] = (rank, label)
        return {iri: label for iri, (_, label) in sorted(found.items())}

    # ---- "as known on DATE" ----------------------------------------------------------------
    def view_as_of(self, day: str | _dt.date) -> GraphView:
        """The graphs visible on ``day``: registry, ontology, sources known by then, their claims dated by then,
        and the status graphs (supersession per triple) of the days up to it."""
        key = parse_date(day).isoformat()
        if key not in self._views:
            self._views[key] = _view(self.store, key)
        return self._views[key]

    # ---- entities --------------------------------------------------------------------------
    def search(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Entities whose label or any alias contains ``text`` (case-insensitive), best matches first."""
        from .entity import search

        return search(self, text, limit=limit)

    def entity(self, name: str, *, as_of: str | _dt.date | None = None) -> EntityCard:
        """The card of the entity called ``name`` (label or alias; an exact match wins, else a unique partial one)."""
        from .entity import entity_card

        return entity_card(self, name, as_of=as_of)

    # ---- housekeeping ----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Numbers of quads, entities, sources and claims."""
        row = self.select("""
            SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }""")[0]
        counts = {"quads": int(value(row, "quads"))}
        row = self.select("""
            SELECT (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?s) AS ?sources) (COUNT(DISTINCT ?c) AS ?claims) WHERE {
              { GRAPH wgg:entities { ?e a ?t } } UNION { GRAPH ?s { ?s a wg:Source } } UNION { GRAPH ?g { ?c a wg:Claim } } }""")[
            0
        ]
        counts.update({k: int(value(row, k)) for k in ("entities", "sources", "claims")})
        return counts

    def close(self) -> None:
        """Close the underlying store."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.store.location}>"


_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*\)?\s*AS\s+\?(\w+)', re.I
)


def _sorted_lists(result: QueryResult, text: str) -> QueryResult:
    """A named query's answer with each ``GROUP_CONCAT`` list in one order on every engine (see ``run``)."""
    lists = {var: sep for sep, var in _GROUP_CONCAT.findall(text) if sep}
    if not isinstance(result, SelectResult) or not lists:
        return result
    from pyoxigraph import Literal

    def tidy(term: object, separator: str | None) -> object:
        if separator is None or not isinstance(term, Literal) or term.language:
            return term
        if term.value == "":
            return None
        return Literal(separator.join(sorted(term.value.split(separator))), datatype=term.datatype)

    rows = [{v: tidy(row.get(v), lists.get(v)) for v in result.variables} for row in result]
    return SelectResult(result.variables, rows)  # type: ignore[arg-type]


def _form(result: QueryResult) -> str:
    if isinstance(result, bool):
        return "an ASK query"
    if isinstance(result, GraphResult):
        return "a CONSTRUCT or DESCRIBE query"
    return "a SELECT query"


def _view(store: Store, day: str) -> GraphView:
    # Dates compared as their ISO text (YYYY-MM-DD, which sorts as the dates do): Virtuoso 7 finds no stored
    # xsd:date less than or equal to an xsd:date constant.
    rows = store.query(
        _PROLOGUE
        + f"""
        SELECT DISTINCT ?g WHERE {{
          {{ GRAPH ?g {{ ?g a wg:Source ; wg:knownSince ?d }} FILTER(STR(?d) <= "{day}") }}
          UNION
          {{ GRAPH ?src {{ ?g a wg:Claim ; wg:claimDate ?d . ?src wg:knownSince ?k }}
             FILTER(STR(?d) <= "{day}" && STR(?k) <= "{day}") }}
          UNION
          {{ GRAPH ?g {{ ?g a wg:StatusGraph ; wg:visibleFrom ?d }} FILTER(STR(?d) <= "{day}") }}
        }}"""
    )
    assert isinstance(rows, SelectResult)
    graphs = [value(row, "g") for row in rows]
    return GraphView((ENTITIES_GRAPH, ONTOLOGY_GRAPH, *sorted(graphs)))


def open_graph(
    store: str | os.PathLike[str] | None = None,
    *,
    endpoint: str | Endpoint | None = None,
    allow_service: bool = False,
    timeout: float | None = None,
) -> KnowledgeGraph:
    """Open a built graph: the embedded store at ``store``, or the SPARQL server at ``endpoint``.

    With neither, the graph :func:`wickgraph.config.resolve_target` chooses, as the ``wickgraph`` command does:
    ``$WICKGRAPH_STORE`` or ``$WICKGRAPH_ENDPOINT``, else the config file's endpoint, else the embedded store at
    :func:`wickgraph.locations.default_store_path`. ``endpoint`` is a query URL or an
    :class:`~wickgraph.store.remote.Endpoint` (update URL, credentials, timeout, union mode).

    On the embedded store, a query that uses SERVICE (the engine would send requests to other hosts) raises
    :class:`~wickgraph.errors.QueryRefusedError` unless ``allow_service=True``; ``timeout`` (seconds) stops a
    query that runs longer with :class:`~wickgraph.errors.QueryTimeoutError` (it runs in a worker process that
    is killed). With an endpoint, ``timeout`` is the endpoint's timeout when ``endpoint`` is a URL, and SERVICE
    is the server's business.
    Raises :class:`~wickgraph.errors.StoreNotFoundError` when nothing has been built at ``store``,
    :class:`~wickgraph.errors.ConflictingTargetsError` when given both (or when both variables are set), and
    :class:`~wickgraph.errors.EndpointError` (at the first query) when the server cannot be used::

        kg = wickgraph.open_graph(endpoint="http://127.0.0.1:7878/query")
    """
    if store is None and endpoint is None:
        from .config import resolve_target

        return resolve_target(timeout=timeout).open(allow_service=allow_service)
    if endpoint is not None:
        if store is not None:
            raise ConflictingTargetsError("open_graph() takes a store or an endpoint, not both", where="argument")
        from .store.remote import Endpoint as _Endpoint
        from .store.remote import RemoteStore

        if isinstance(endpoint, str) and timeout is not None:
            endpoint = _Endpoint(endpoint, timeout=timeout)
        return KnowledgeGraph(RemoteStore(endpoint))
    from .store.embedded import EmbeddedStore

    assert store is not None
    return KnowledgeGraph(EmbeddedStore.open(store, allow_service=allow_service, timeout=timeout))
