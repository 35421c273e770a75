"""The interactive HTML view of a graph: one self-contained, offline, escaped page (vis-network inlined).

The same renderer serves the command line (``wickgraph viz -o FILE.html``) and notebooks (an ``<iframe
srcdoc=…>``: no file, no server, no network):

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("wgd:a", label="<b>Ann</b>", kind="wg:Person")
>>> page = render_html(g, title="demo")
>>> page.startswith("<!DOCTYPE html>") and "<b>Ann</b>" not in page and "\\\\u003cb\\\\u003eAnn" in page
True
>>> notebook_html(g).startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
True

What is drawn, and how, is described in :mod:`wickgraph.viz.model` (the overviews by class and in story order in
:mod:`wickgraph.viz.overviews`); the page in :mod:`wickgraph.viz.page`.
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from ..errors import UsageError, VizError
from .chart import bar_chart
from .model import MAX_NODES, Model, build_model
from .overviews import aggregate, story_model
from .pyvis_network import to_pyvis
from .timeline import timeline_html

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..graph import KnowledgeGraph
    from ..networkx_export import Vocabulary

__all__ = [
    "MAX_NODES",
    "HtmlView",
    "RenderOptions",
    "Rendered",
    "bar_chart",
    "neighbourhood",
    "notebook_html",
    "render",
    "render_html",
    "timeline_html",
    "to_pyvis",
    "view",
    "write_html",
]


def neighbourhood(graph: nx.Graph, name: str, depth: int = 1) -> nx.Graph:
    """The part of ``graph`` within ``depth`` edges (either direction) of the node called ``name``.

    The node is found by id, label or alias (see :func:`wickgraph.analysis.find_node`); the result keeps the
    graph's attributes and says what it is (``focus``, ``depth``).
    """
    import networkx as nx

    from ..analysis import find_node

    if depth < 0:
        raise VizError(f"a depth is 0 or more, not {depth}")
    centre = find_node(graph, name)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    members = nx.single_source_shortest_path_length(undirected, centre, cutoff=depth)
    part: nx.Graph = graph.subgraph(members).copy()
    part.graph.update(focus=centre, depth=depth)
    return part


def _title(graph: nx.Graph) -> str:
    if graph.graph.get("focus"):
        centre = graph.graph["focus"]
        label = graph.nodes[centre].get("label", centre) if centre in graph else centre
        depth = int(graph.graph.get("depth", 1))
        title = f"wickgraph: around {label} ({depth} step{'s' if depth != 1 else ''})"
    elif graph.graph.get("name") and graph.graph["name"] != "wickgraph":
        title = f"wickgraph: {graph.graph['name']}"
    else:
        title = "wickgraph"
    return title + (f" (as of {graph.graph['as_of']})" if graph.graph.get("as_of") else "")


class RenderOptions(TypedDict, total=False):
    """What :func:`render` takes besides the graph (and :func:`render_html`, :func:`write_html`,
    :func:`notebook_html` pass on)."""

    title: str | None
    focus: str | None
    max_nodes: int
    aggregated: bool
    story: bool
    vocabulary: Vocabulary | None
    seed: int


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page and how much it draws."""

    html: str
    nodes: int
    edges: int


def render(
    graph: nx.Graph,
    *,
    title: str | None = None,
    focus: str | None = None,
    max_nodes: int = MAX_NODES,
    aggregated: bool = False,
    story: bool = False,
    vocabulary: Vocabulary | None = None,
    seed: int = 7,
) -> Rendered:
    """The self-contained HTML page of ``graph``, with the numbers of nodes and edges it draws.

    ``story`` draws the franchise's story order beside its release order (``graph`` is a full export);
    ``aggregated`` draws the graph by class; otherwise the graph itself, centred on ``focus`` when given. Past
    ``max_nodes`` nodes the view refuses with a :class:`~wickgraph.errors.VizError` that says how to focus it.
    The layout is seeded (``seed``): the same graph gives the same page and the same picture.
    """
    from .page import page

    chosen = title or _title(graph)
    model: Model
    if story:
        model = story_model(graph, vocabulary=vocabulary)
        if title:
            model.title = title
    elif aggregated:
        model = aggregate(graph, vocabulary=vocabulary, title=title or f"{chosen}: by class")
    else:
        model = build_model(
            graph,
            title=chosen,
            vocabulary=vocabulary,
            focus=focus or graph.graph.get("focus"),
            max_nodes=max_nodes,
            seed=seed,
        )
    return Rendered(page(model), len(model.nodes), len(model.edges))


def render_html(graph: nx.Graph, **options: Unpack[RenderOptions]) -> str:
    """The self-contained HTML page of ``graph``: :func:`render`'s page (the same options), as text."""
    return render(graph, **options).html


def write_html(graph: nx.Graph, path: str | Path, **options: Unpack[RenderOptions]) -> Rendered:
    """Write :func:`render_html`'s page to ``path``; what was written (the page, its node and edge counts)."""
    rendered = render(graph, **options)
    _write(Path(path), rendered.html)
    return rendered


def _write(target: Path, page: str) -> None:
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise VizError(f"cannot write {target}: {exc.strerror or exc}") from exc


def notebook_html(graph_or_page: nx.Graph | str, *, height: int = 640, **options: Unpack[RenderOptions]) -> str:
    """An ``<iframe srcdoc=…>`` holding the page, for a notebook cell: no file path, no server, sandboxed
    (scripts run, but cannot reach the notebook)."""
    text = graph_or_page if isinstance(graph_or_page, str) else render_html(graph_or_page, **options)
    return (
        f'<iframe srcdoc="{html.escape(text, quote=True)}" sandbox="allow-scripts" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd" title="wickgraph view"></iframe>'
    )


class HtmlView:
    """A rendered view: shows itself inline in Jupyter, and saves to a file. ``nodes`` and ``edges``: how much
    it draws (when known)."""

    def __init__(self, page: str, *, height: int = 640, nodes: int | None = None, edges: int | None = None) -> None:
        self.html = page
        self.height = height
        self.nodes = nodes
        self.edges = edges

    def _repr_html_(self) -> str:
        return notebook_html(self.html, height=self.height)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (a :class:`~wickgraph.errors.VizError` when it cannot be written)."""
        target = Path(path)
        _write(target, self.html)
        return target

    def __repr__(self) -> str:
        return f"<HtmlView {len(self.html):,} characters>"


def view(
    kg: KnowledgeGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    projection: str | None = None,
    as_of: str | _dt.date | None = None,
    story: bool = False,
    aggregated: bool = False,
    max_nodes: int = MAX_NODES,
    height: int = 640,
) -> HtmlView:
    """The view of a knowledge graph, as the command line draws it (``wickgraph viz``), for a notebook:
    the whole graph, a CONSTRUCT ``query`` result, or a ``projection``; as known ``as_of`` a date; around a
    ``focus`` entity up to ``depth`` steps; the ``story`` chronologies (of the whole graph: with a focus, a query,
    a projection or ``aggregated`` it is a :class:`~wickgraph.errors.UsageError`); or ``aggregated`` by class."""
    from ..analysis import analysis_graph
    from ..networkx_export import Vocabulary

    if story and (focus or query or projection or aggregated):
        raise UsageError("story draws the franchise's works: it takes no focus, query, projection or aggregated")
    vocabulary = Vocabulary.load(kg)
    graph = analysis_graph(kg, query=query, projection=None if story else projection, as_of=as_of)
    if story:
        drawn = render(graph, story=True, vocabulary=vocabulary)
    else:
        if focus:
            graph = neighbourhood(graph, focus, depth)
        drawn = render(graph, aggregated=aggregated, max_nodes=max_nodes, vocabulary=vocabulary)
    return HtmlView(drawn.html, height=height, nodes=drawn.nodes, edges=drawn.edges)
