"""The graph view of a CONSTRUCT result: the same renderer as ``wickgraph viz``.

This module is the one seam between the server and the visualisation: :func:`render_graph` turns a
:class:`~wickgraph.results.GraphResult` into one self-contained HTML page (no network), by way of the NetworkX
export and the ``wickgraph viz`` renderer.
"""

from __future__ import annotations

from ..errors import WickgraphError
from ..results import GraphResult

__all__ = ["GraphViewUnavailableError", "available", "render_graph"]


class GraphViewUnavailableError(WickgraphError):
    """The ``wickgraph viz`` renderer is not part of this build."""


def available() -> bool:
    """Whether this build can draw graphs (the page hides its graph view otherwise)."""
    return False


def render_graph(result: GraphResult, *, title: str) -> str:
    """A self-contained HTML page drawing ``result``'s triples as an interactive graph."""
    raise GraphViewUnavailableError(
        "the graph view needs the `wickgraph viz` renderer, which this build does not include yet"
    )
