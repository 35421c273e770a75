"""The store interface every backend implements, and the dataset view a query runs over.

A backend answers SPARQL over the whole dataset (default graph = union of all graphs) or over a
:class:`GraphView`: a chosen list of named graphs, which is how "as known on DATE" is answered the same way on
every backend (pyoxigraph's dataset arguments, or ``FROM`` / ``FROM NAMED`` on a remote server).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..errors import QuerySyntaxError
from ..results import QueryResult

__all__ = ["GraphView", "Store", "syntax_error"]


@dataclass(frozen=True, slots=True)
class GraphView:
    """The graphs a query may see: their union is the default graph, and they are the only named graphs."""

    graphs: tuple[str, ...]


@runtime_checkable
class Store(Protocol):
    """What the library needs from a backend."""

    location: str
    """Where the store lives: a directory path or an endpoint URL."""

    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        """Run a SPARQL query; without a view the default graph is the union of all graphs."""
        ...  # pragma: no cover

    def named_graphs(self) -> list[str]:
        """The IRIs of the store's named graphs."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release the store (files, connections)."""
        ...  # pragma: no cover


_POSITION = re.compile(r"(?:at|line)\s+(\d+):(\d+)[:,]?\s*(.*)", re.S)


def syntax_error(message: str, query: str) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` from a parser message such as ``error at 3:14: expected ...``."""
    match = _POSITION.search(message)
    if match:
        return QuerySyntaxError(
            match.group(3).strip() or message, query=query, line=int(match.group(1)), column=int(match.group(2))
        )
    return QuerySyntaxError(message, query=query)
