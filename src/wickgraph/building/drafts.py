"""The build refuses an unreviewed draft of ``wickgraph propose``: its candidates are not claims yet."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pyoxigraph import NamedNode
from pyoxigraph import Store as OxStore

from ..errors import DataError

__all__ = ["refuse_drafts"]

_DRAFT = NamedNode("https://w3id.org/wickgraph/propose#Draft")
_CANDIDATE = NamedNode("https://w3id.org/wickgraph/propose#Candidate")
_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def refuse_drafts(store: OxStore, files_of: Callable[[str], str | Iterable[str]]) -> None:
    """Raise :class:`~wickgraph.errors.DataError` naming each data file that holds a draft graph (one indexed
    lookup: a build without drafts pays nothing). ``files_of`` gives the files a graph comes from."""
    problems = []
    for quad in store.quads_for_pattern(None, _TYPE, _DRAFT, None):
        graph = quad.graph_name
        if not isinstance(graph, NamedNode):
            continue
        count = sum(1 for _ in store.quads_for_pattern(None, _TYPE, _CANDIDATE, graph))
        found = files_of(graph.value)
        where = found if isinstance(found, str) else ", ".join(sorted(found)) or graph.value
        problems.append(
            f"{where}: an unreviewed draft of `wickgraph propose` ({count} candidate claims); "
            f"run `wickgraph review {where}` to make it data, or move it out of the data directory"
        )
    if problems:
        raise DataError("; ".join(sorted(problems)))
