"""The graph view of a CONSTRUCT result: the same renderer as ``wickgraph viz``.

This module is the one seam between the server and the visualisation: :func:`render_graph` turns a
:class:`~wickgraph.results.GraphResult` into one self-contained HTML page (no network), by way of the NetworkX
export (:func:`wickgraph.networkx_export.result_to_networkx`) and the ``wickgraph viz`` renderer.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from ..errors import GraphViewUnavailableError
from ..results import GraphResult

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph

__all__ = ["GraphViewUnavailableError", "available", "render_graph"]


def available() -> bool:
    """Whether this build can draw graphs (the page hides its graph view otherwise)."""
    return True


def render_graph(
    result: GraphResult,
    *,
    title: str,
    kg: KnowledgeGraph | None = None,
    as_of: str | _dt.date | None = None,
) -> str:
    """A self-contained HTML page drawing ``result``'s triples as an interactive graph.

    With ``kg``, nodes carry their registry labels and classes and each edge the sources of its triple.
    """
    from ..networkx_export import result_to_networkx
    from ..viz import render_html

    return render_html(result_to_networkx(result, kg, as_of=as_of), title=title)
