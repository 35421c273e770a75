"""The build refuses an unreviewed draft of ``wickgraph propose``: its candidates are not claims yet."""

from __future__ import annotations

from pyoxigraph import NamedNode

from ..errors import DataError
from .parse import Staged

__all__ = ["refuse_drafts"]

_DRAFT = NamedNode("https://w3id.org/wickgraph/propose#Draft")
_CANDIDATE = NamedNode("https://w3id.org/wickgraph/propose#Candidate")
_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def refuse_drafts(staged: Staged) -> None:
    """Raise :class:`~wickgraph.errors.DataError` naming each data file that holds a draft graph."""
    problems = []
    for quad in staged.store.quads_for_pattern(None, _TYPE, _DRAFT, None):
        graph = quad.graph_name
        name = graph.value if isinstance(graph, NamedNode) else str(quad.subject)
        count = sum(1 for _ in staged.store.quads_for_pattern(None, _TYPE, _CANDIDATE, graph))
        where = staged.files_of(name)
        problems.append(
            f"{where}: an unreviewed draft of `wickgraph propose` ({count} candidate claims); "
            f"run `wickgraph review {where}` to make it data, or move it out of the data directory"
        )
    if problems:
        raise DataError("; ".join(sorted(problems)))
