"""Two overviews the HTML view draws instead of the graph itself: the graph by class (:func:`aggregate`), and the
franchise's story order beside its release order (:func:`story_model`). Both are :class:`~.model.Model` values."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from ..networkx_export import Vocabulary
from .model import Model, _curve, _Edge, _edge_rows, _kind_label, _predicate_label, _style, _text

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["aggregate", "story_model"]


def aggregate(graph: nx.Graph, *, vocabulary: Vocabulary | None = None, title: str = "wickgraph by class") -> Model:
    """The graph drawn by class: one node per kind (with how many resources it has), one edge per predicate
    between two kinds (with how many facts)."""
    vocab = vocabulary or Vocabulary.bundled()
    model = Model(title=title)
    kinds: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        kind = str(data.get("kind") or "")
        kinds[kind] = kinds.get(kind, 0) + 1
    for kind, count in sorted(kinds.items()):
        colour, shape = _style(kind)
        name = _kind_label(kind, vocab)
        model.nodes.append(
            {
                "id": kind or "(untyped)",
                "label": f"{name} ({count})",
                "kind": kind,
                "color": colour,
                "shape": shape,
                "tip": [f"{name}: {count} resources", f"class {kind or '(none)'}"],
            }
        )
    links: dict[tuple[str, str, str], int] = {}
    for u, v, k, _ in _edge_rows(graph):
        key = (str(graph.nodes[u].get("kind") or "(untyped)"), str(graph.nodes[v].get("kind") or "(untyped)"), k)
        links[key] = links.get(key, 0) + 1
    items = sorted(links.items())
    fake = [_Edge(a, b, k, "", {}) for (a, b, k), _ in items]
    smooth = _curve(fake)
    for i, ((a, b, k), count) in enumerate(items):
        label = f"{_predicate_label(k, vocab) if k else 'linked'} ×{count}"
        model.edges.append(
            {
                "id": f"e{i}",
                "from": a or "(untyped)",
                "to": b or "(untyped)",
                "label": label,
                "arrows": "to" if graph.is_directed() else "",
                "smooth": smooth[i],
                "tip": [label],
                "sources": [],
            }
        )
    model.legend = [
        {"kind": k, "label": _kind_label(k, vocab), "color": _style(k)[0], "shape": _style(k)[1], "count": c}
        for k, c in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    ]
    model.subtitle = f"{graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges, by class"
    return model


def story_model(
    graph: nx.MultiDiGraph,
    *,
    vocabulary: Vocabulary | None = None,
    title: str = "The franchise: story order and release order",
) -> Model:
    """The franchise's works left to right in story order (top row), with release order beside it (bottom row);
    a dashed line joins each work's two places. Positions are fixed: no physics."""
    from ..analysis import story_order
    from ..projections import release_order
    from ..projections import story_order as story_dag

    vocab = vocabulary or Vocabulary.bundled()
    order = story_order(graph)
    dag = story_dag(graph)
    released = release_order(graph)
    by_release = sorted(released.nodes, key=lambda n: released.nodes[n]["position"])
    model = Model(title=title, physics=False)
    step, row = 200, 200
    model.nodes.append(
        {
            "id": "row:story",
            "label": "Story order →",
            "kind": "",
            "shape": "text",
            "color": "#333333",
            "x": -step,
            "y": 0,
            "tip": ["In-universe order, from the set-before / set-after / prequel facts"],
        }
    )
    model.nodes.append(
        {
            "id": "row:release",
            "label": "Release order →",
            "kind": "",
            "shape": "text",
            "color": "#333333",
            "x": -step,
            "y": row,
            "tip": ["Order of first release (premiere or release date)"],
        }
    )
    kinds: dict[str, int] = {}
    for i, work in enumerate(order):
        data = dag.nodes[work]
        kind = str(data.get("kind", ""))
        kinds[kind] = kinds.get(kind, 0) + 1
        colour, _ = _style(kind)
        model.nodes.append(
            {
                "id": f"story:{work}",
                "label": f"{i + 1}. {_text(data.get('label', work), 60)}",
                "kind": kind,
                "color": colour,
                "shape": "box",
                "width": 150,
                "fontSize": 15,
                "x": i * step,
                "y": 0,
                "tip": [
                    f"{data.get('label', work)}",
                    f"story position {i + 1}",
                    f"first released {data.get('released') or 'unknown'}",
                ],
            }
        )
    for j, work in enumerate(by_release):
        data = released.nodes[work]
        kind = str(data.get("kind", ""))
        colour, _ = _style(kind)
        model.nodes.append(
            {
                "id": f"release:{work}",
                "label": f"{j + 1}. {_text(data.get('label', work), 60)}\n{data['released']}",
                "kind": kind,
                "color": colour,
                "shape": "box",
                "width": 150,
                "fontSize": 15,
                "x": j * step,
                "y": row,
                "tip": [
                    f"{data.get('label', work)}",
                    f"release position {j + 1}",
                    f"first released {data['released']}",
                ],
            }
        )
    edges: list[dict[str, Any]] = []
    for a, b in itertools.pairwise(order):
        basis = dag.edges[a, b] if dag.has_edge(a, b) else {"basis": ["(order left open by the facts)"], "claims": []}
        edges.append(
            {
                "from": f"story:{a}",
                "to": f"story:{b}",
                "label": "then",
                "arrows": "to",
                "smooth": False,
                "tip": [
                    f"{dag.nodes[a]['label']} comes before {dag.nodes[b]['label']}",
                    f"basis: {', '.join(basis.get('basis', []))}",
                    *(f"claim {c}" for c in basis.get("claims", [])),
                ],
                "sources": [],
            }
        )
    for a, b in itertools.pairwise(by_release):
        edges.append(
            {
                "from": f"release:{a}",
                "to": f"release:{b}",
                "label": "next",
                "arrows": "to",
                "smooth": False,
                "tip": [
                    f"{released.nodes[a]['label']} ({released.nodes[a]['released']}) was released before {released.nodes[b]['label']} ({released.nodes[b]['released']})"
                ],
                "sources": [],
            }
        )
    for work in order:
        if work in released:
            edges.append(
                {
                    "from": f"story:{work}",
                    "to": f"release:{work}",
                    "label": "",
                    "arrows": "",
                    "dashes": True,
                    "smooth": False,
                    "color": "#bbbbbb",
                    "tip": [
                        f"{dag.nodes[work]['label']}: story {order.index(work) + 1}, release {released.nodes[work]['position']}"
                    ],
                    "sources": [],
                }
            )
    for i, edge in enumerate(edges):
        edge["id"] = f"e{i}"
    model.edges = edges
    model.legend = [
        {"kind": k, "label": _kind_label(k, vocab), "color": _style(k)[0], "shape": "box", "count": c}
        for k, c in sorted(kinds.items())
    ]
    model.subtitle = f"{len(order)} works; top: story order, bottom: release order"
    return model
