"""The graph as a :class:`pyvis.network.Network`: styled like wickgraph's own view, saved as one offline page.

Someone who knows pyvis can take the graph from here, restyle it with pyvis's own calls (``add_node``,
``toggle_physics``, ``barnes_hut``, ``show_buttons``, ``set_options``) and save it with ``write_html`` or
``save_graph``. pyvis's own template loads Bootstrap (and, unless told otherwise, vis-network) from public CDNs;
the network returned here writes wickgraph's template instead: vis-network from pyvis's bundled copy and a small
script inline, the data in a JSON block, and a Content-Security-Policy that forbids every fetch. The file opens
with no network, and text in the graph cannot run as markup.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from .model import MAX_NODES, Model, build_model
from .page import _HEAD, _json_for_script, _scripted

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from pyvis.network import Network

    from ..networkx_export import Vocabulary

__all__ = ["to_pyvis"]

_PAGE = (
    _HEAD
    + """<meta name="generator" content="wickgraph {version} with pyvis, vis-network {vis_version}">
<title>{title}</title>
<style>
body {{ margin: 0; font-family: system-ui, sans-serif; background: {background}; }}
h1 {{ font-size: 1.1rem; margin: 0.6rem 1rem; }}
#wg-pyvis-graph {{ height: {height}; width: {width}; }}
div.vis-tooltip {{ white-space: pre-line; max-width: 32rem; font-size: 0.85rem; }}
</style>
</head>
<body>
{heading}<div id="wg-pyvis-graph"></div>
<div id="wg-pyvis-config"></div>
<script type="application/json" id="wg-pyvis-data">{data}</script>
<script>{vis}</script>
<script>{script}</script>
</body>
</html>
"""
)


def to_pyvis(
    graph: nx.Graph,
    *,
    title: str = "wickgraph",
    height: str = "760px",
    width: str = "100%",
    vocabulary: Vocabulary | None = None,
    max_nodes: int = MAX_NODES,
) -> Network:
    """A pyvis network of ``graph`` (from :func:`wickgraph.to_networkx`, a projection or a neighbourhood).

    Nodes carry wickgraph's colours, shapes and labels; hovering a node or an edge shows its facts and the
    sources that state them (pyvis's ``title``, as plain text). Performances are folded onto the actors'
    "plays" edges and inverse edges drawn once, as in :func:`wickgraph.viz.write_html`. More than
    ``max_nodes`` nodes is a :class:`~wickgraph.errors.VizError`.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("wgd:a", label="Ann", kind="wg:Person")
    >>> g.add_node("wgd:f", label="A Film", kind="wg:Film")
    >>> _ = g.add_edge("wgd:a", "wgd:f", key="wg:appearsIn")
    >>> net = to_pyvis(g)
    >>> [(n["id"], n["label"], n["shape"]) for n in net.nodes]
    [('wgd:a', 'Ann', 'dot'), ('wgd:f', 'A Film', 'box')]
    >>> [(e["from"], e["to"], e["label"]) for e in net.edges]
    [('wgd:a', 'wgd:f', 'appears in')]
    """
    from ..errors import MissingExtraError

    try:
        from pyvis.network import Network
    except ImportError as exc:  # pragma: no cover - pyvis is a dependency
        raise MissingExtraError("pyvis is not installed: pip install pyvis") from exc

    model = build_model(graph, title=title, vocabulary=vocabulary, max_nodes=max_nodes)

    class _OfflineNetwork(Network):  # type: ignore[misc]
        """pyvis's Network, writing wickgraph's offline page instead of pyvis's CDN template."""

        def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
            self.html = offline_page(self)
            return self.html

        def write_html(self, name: str, local: bool = True, notebook: bool = False, open_browser: bool = False) -> None:
            # pyvis's own write_html copies its lib/ folder into the working directory and writes in the
            # locale's encoding; this page needs neither.
            from pathlib import Path

            Path(name).write_text(self.generate_html(), encoding="utf-8")
            if open_browser:  # the user asked for it
                import webbrowser

                webbrowser.open(Path(name).resolve().as_uri())

    net = _OfflineNetwork(
        height=height, width=width, directed=graph.is_directed(), heading=title, cdn_resources="in_line"
    )
    _add(net, model)
    return net


def _add(net: Network, model: Model) -> None:
    """Put the view model's nodes, edges and physics into a pyvis network, in pyvis's own terms."""
    for node in model.nodes:
        net.add_node(
            node["id"],
            label=node["label"],
            title="\n".join(node["tip"]),
            color=node["color"],
            shape=node["shape"],
            group=node["kind"] or "other",
            size=20 if node.get("focus") else 12,
            borderWidth=4 if node.get("focus") else 1,
            font={"size": 18 if node.get("focus") else 14},
        )
    labelled = model.as_json()["edgeLabels"]
    for edge in model.edges:
        extra: dict[str, Any] = {}
        if edge.get("dashes"):
            extra["dashes"] = True
        if edge.get("width"):
            extra["width"] = edge["width"]
        if edge.get("smooth"):
            extra["smooth"] = {"enabled": True, **edge["smooth"]}
        net.add_edge(
            edge["from"],
            edge["to"],
            label=edge["label"] if labelled else None,
            title="\n".join(edge["tip"]),
            arrows="to" if edge["arrows"] else "",
            font={"size": 10, "strokeWidth": 3, "strokeColor": "#ffffff", "align": "horizontal"},
            color="#9aa0a6",
            **extra,
        )
    view = model.as_json()
    settings = view["solverOptions"]
    solver = net.force_atlas_2based if view["solver"] == "forceAtlas2Based" else net.barnes_hut
    solver(
        gravity=settings["gravitationalConstant"],
        central_gravity=settings["centralGravity"],
        spring_length=settings["springLength"],
        spring_strength=settings["springConstant"],
        damping=settings["damping"],
        overlap=settings["avoidOverlap"],
    )


def offline_page(net: Network) -> str:
    """The self-contained page of any pyvis network: its nodes, edges and options, vis-network inline."""
    nodes, edges, heading, height, width, options = net.get_network_data()
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options) if isinstance(options, str) else options}
    return _PAGE.format(
        **_scripted("pyvis.js", str(heading or "wickgraph")),
        heading=f"<h1>{html.escape(str(heading))}</h1>\n" if heading else "",
        background=_css_value(str(getattr(net, "bgcolor", "#ffffff")), "#ffffff"),
        height=_css_value(str(height), "760px"),
        width=_css_value(str(width), "100%"),
        data=_json_for_script(data),
    )


def _css_value(value: str, default: str) -> str:
    """A colour or a length as given, if it is one plain token (no way out of the style rule)."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#.%()-, ")
    return value if value and all(c in allowed for c in value) and len(value) <= 40 else default
