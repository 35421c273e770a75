"""The library's :class:`~wickgraph.store.base.Store` over the server's engine pool, so named queries, entity
cards and "as known on" views run under the same deadline as the SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import QueryError
from ..results import QueryResult, SelectResult
from ..store.answers import parse_answer
from ..store.base import GraphView, Quad, sparql_quads, syntax_error
from ..terms import value

if TYPE_CHECKING:  # pragma: no cover
    from .engine import EnginePool
    from .snapshots import Snapshots

__all__ = ["EngineStore", "dataset_params"]


class EngineStore:
    """The library's :class:`~wickgraph.store.base.Store` over an :class:`EnginePool`.

    The store's default graph already holds every fact once (the build writes the merge of all named graphs
    there), so a query sees what it sees on the embedded store; a :class:`~wickgraph.store.base.GraphView`
    becomes the protocol's ``default-graph-uri`` and ``named-graph-uri`` parameters.
    """

    def __init__(self, pool: EnginePool, snapshots: Snapshots | None = None) -> None:
        self.pool = pool
        self.snapshots = snapshots
        """Where as-of views are answered from a copy (:mod:`.snapshots`); without, by the dataset parameters."""
        self.location = str(pool.root)
        self.read_only = False
        """A build may publish a new generation, which the pool's engines then answer from."""

    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        pool, params = self.pool, dataset_params(sparql, view)
        copy = self.snapshots.pool_for(view) if view is not None and self.snapshots is not None else None
        if copy is not None:  # the view's copy: its default graph is the view's merge already
            pool, params = copy, dataset_params(sparql)
        response = pool.request("/query", params)
        if response.status == 400:
            raise syntax_error(response.text.strip(), sparql)
        if response.status != 200:
            raise QueryError(f"the query engine answered {response.status}: {response.text.strip()[:500]}")
        # Oxigraph's own answers: its terms are the embedded store's already (canonical=False reads them as sent).
        return parse_answer(self.location, response.body, response.content_type, canonical=False)

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        assert isinstance(result, SelectResult)
        return sorted(value(row, "g") for row in result if row["g"] is not None)

    def quads(self, graphs: Sequence[str] | None = None) -> Iterator[Quad]:
        """The quads of the named graphs, read with SPARQL (:func:`~wickgraph.store.base.sparql_quads`)."""
        return sparql_quads(self, graphs)

    def close(self) -> None:
        """Nothing to release: the pool belongs to the server."""

    def __repr__(self) -> str:
        return f"<EngineStore {self.location}>"


def dataset_params(sparql: str, view: GraphView | None = None) -> list[tuple[str, str]]:
    """The engine parameters for ``sparql``: the query, and the view's graphs when there is a view.

    >>> dataset_params("ASK {}")
    [('query', 'ASK {}')]
    >>> dataset_params("ASK {}", GraphView(("http://e/g",)))
    [('query', 'ASK {}'), ('default-graph-uri', 'http://e/g'), ('named-graph-uri', 'http://e/g')]
    """
    params = [("query", sparql)]
    if view is not None:
        params += [("default-graph-uri", g) for g in view.graphs]
        params += [("named-graph-uri", g) for g in view.graphs]
    return params
