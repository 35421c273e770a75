"""The store interface every backend implements, and the dataset view a query runs over.

A backend answers SPARQL over the whole dataset (default graph = union of all graphs) or over a
:class:`GraphView`: a chosen list of named graphs, which is how "as known on DATE" is answered the same way on
every backend (pyoxigraph's dataset arguments, or ``FROM`` / ``FROM NAMED`` on a remote server).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..errors import QuerySyntaxError, ResultTooLargeError
from ..results import QueryResult, SelectResult
from ..terms import Term, value

__all__ = ["GraphView", "Quad", "Store", "sparql_quads", "syntax_error"]

Quad = tuple[Term, Term, Term, str]
"""One quad as :meth:`Store.quads` gives it: subject, predicate and object (pyoxigraph terms), and the IRI of
its named graph."""


@dataclass(frozen=True, slots=True)
class GraphView:
    """The graphs a query may see: their union is the default graph, and they are the only named graphs."""

    graphs: tuple[str, ...]


@runtime_checkable
class Store(Protocol):
    """What the library needs from a backend."""

    location: str
    """Where the store lives: a directory path or an endpoint URL."""

    read_only: bool
    """True when the store's answers cannot change while it is open (a built generation opened read-only), so
    a caller may keep what it read; False when a build or a push may change them (a server, an engine pool)."""

    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        """Run a SPARQL query; without a view the default graph is the union of all graphs."""
        ...  # pragma: no cover

    def named_graphs(self) -> list[str]:
        """The IRIs of the store's named graphs."""
        ...  # pragma: no cover

    def quads(self, graphs: Sequence[str] | None = None) -> Iterator[Quad]:
        """The quads of the named graphs ``graphs`` (all of :meth:`named_graphs` when ``None``), streamed; the
        default graph (the merge of the named graphs) is not among them; in no particular order."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release the store (files, connections); closing twice is allowed, a query after it is not."""
        ...  # pragma: no cover


QUAD_CHUNK = 200
"""Named graphs per request when a store reads quads with SPARQL (a VALUES block of graph IRIs)."""


def sparql_quads(store: Store, graphs: Sequence[str] | None = None) -> Iterator[Quad]:
    """:meth:`Store.quads` for a store that reads them with SPARQL: one ``SELECT`` per :data:`QUAD_CHUNK` graphs,
    each streamed. A request whose answer is too large for the server (a row cap, such as Virtuoso's
    ``ResultSetMaxRows``, or the engine's byte limit) is asked again in halves, down to one graph a request."""
    wanted = list(store.named_graphs() if graphs is None else graphs)
    pending = [wanted[start : start + QUAD_CHUNK] for start in range(0, len(wanted), QUAD_CHUNK)]
    while pending:
        chunk = pending.pop(0)
        values = " ".join(f"<{g}>" for g in chunk)
        try:
            result = store.query(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        except ResultTooLargeError:
            if len(chunk) == 1:
                raise
            pending[:0] = [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]]
            continue
        assert isinstance(result, SelectResult)
        for row in result.stream():
            s, p, o = row["s"], row["p"], row["o"]
            assert s is not None and p is not None and o is not None
            yield s, p, o, value(row, "g")


_POSITION = re.compile(r"(?:at|line)\s+(\d+):(\d+)[:,]?\s*(.*)", re.S)


def syntax_error(message: str, query: str) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` from a parser message such as ``error at 3:14: expected ...``."""
    match = _POSITION.search(message)
    if match:
        return QuerySyntaxError(
            match.group(3).strip() or message, query=query, line=int(match.group(1)), column=int(match.group(2))
        )
    return QuerySyntaxError(message, query=query)
