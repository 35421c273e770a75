"""What the HTML view draws: a NetworkX graph turned into plain nodes, edges, legend and sources (no HTML here).

Every string in the model is text; the page puts it on the screen as text (canvas labels, ``textContent``),
never as markup.

How a graph is drawn:

- a node: its ``label``, coloured and shaped by its ``kind`` (the legend lists them); hovering shows its id,
  class and key facts (its literal attributes, current ones first, superseded ones marked);
- an edge: directed, labelled with the predicate's label; parallel edges are kept, each on its own curve. A fact
  the build states both ways (``wg:castMember`` / ``wg:castIn``, a symmetric ``wg:workedWith``) is drawn once, in
  the direction the ontology names first; a fact only superseded claims state is dashed. Hovering shows every
  claim behind it: source, date, certainty, span;
- a performance (a ``wg:Performance`` node: actor, character, work, credit) is folded into the actor's
  ``plays`` edge, so it reads at once: ``Ana de Armas —plays (Ballerina, lead)→ Eve Macarro``;
- projections (undirected) draw their edges without arrows, labelled with what joins the two nodes.

The two overviews (by class, and the franchise's chronologies) are in :mod:`wickgraph.viz.overviews`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import GraphTooLargeError
from ..networkx_export import SUPERSEDED_SUFFIX, Vocabulary, provenance_text

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EDGE_LABELS", "MAX_NODES", "STYLES", "Model", "build_model"]

MAX_NODES = 1000
"""The largest graph the view draws: past it a picture is a hairball (and the browser slows to a crawl).
Focus it (``focus=NAME, depth=N``), use a projection or a CONSTRUCT query, aggregate it by class
(``aggregated=True``), or raise the limit knowingly (``max_nodes=``)."""

# kind -> (colour, vis-network shape). Shapes that hold their label inside (box, ellipse) are for works and events.
STYLES: dict[str, tuple[str, str]] = {
    "wg:Person": ("#4e79a7", "dot"),
    "wg:Character": ("#e15759", "diamond"),
    "wg:Film": ("#f28e2b", "box"),
    "wg:TVSeries": ("#edc948", "box"),
    "wg:Work": ("#f28e2b", "box"),
    "wg:Franchise": ("#b07aa1", "star"),
    "wg:Company": ("#76b7b2", "triangle"),
    "wg:FictionalOrganisation": ("#59a14f", "hexagon"),
    "wg:ReleaseEvent": ("#d9b98c", "ellipse"),
    "wg:Script": ("#bab0ac", "square"),
    "wg:Draft": ("#bab0ac", "square"),
    "wg:Collaboration": ("#ff9da7", "dot"),
    "wg:Performance": ("#aaaaaa", "dot"),
}
DEFAULT_STYLE = ("#8c8c8c", "dot")
EDGE_LABELS = 150
"""Draw edge labels up to this many edges (60 for a projection, whose labels are long); hover shows them always."""
_TEXT_LIMIT = 300
_FACT_LINES = 14
# Facts a hover shows first, when a node has them.
_FIRST = [
    "wg:title",
    "wg:name",
    "wg:releaseDate",
    "wg:date",
    "wg:dateText",
    "wg:runtimeMinutes",
    "wg:birthDate",
    "wg:deathDate",
    "wg:nationality",
    "wg:occupation",
    "wg:creditType",
    "wg:creditedAs",
    "wg:releaseStatus",
    "wg:releaseKind",
    "skos:altLabel",
]


@dataclass(slots=True)
class Model:
    """Everything the page needs, as JSON-ready values."""

    title: str
    subtitle: str = ""
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    physics: bool = True
    seed: int = 7
    notes: list[str] = field(default_factory=list)
    iterations: int = 0
    """Stabilisation iterations (0: by size)."""
    barnes_hut: dict[str, float] = field(
        default_factory=lambda: {
            "gravitationalConstant": -4000.0,
            "centralGravity": 0.25,
            "springLength": 130.0,
            "springConstant": 0.03,
            "damping": 0.12,
            "avoidOverlap": 0.15,
        }
    )
    force_atlas: dict[str, float] = field(
        default_factory=lambda: {
            "gravitationalConstant": -70.0,
            "centralGravity": 0.012,
            "springLength": 120.0,
            "springConstant": 0.06,
            "damping": 0.5,
            "avoidOverlap": 0.4,
        }
    )
    edge_label_limit: int = EDGE_LABELS
    """Edges are labelled when there are at most this many (beyond, labels are on hover only)."""

    def as_json(self) -> dict[str, Any]:
        n = len(self.nodes)
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "nodes": self.nodes,
            "edges": self.edges,
            "legend": self.legend,
            "sources": self.sources,
            "physics": self.physics,
            "seed": self.seed,
            "iterations": self.iterations or (400 if n <= 200 else 250 if n <= 600 else 150),
            # Force Atlas 2 spreads a small graph evenly; Barnes-Hut is cheaper per step on a large one.
            "solver": "forceAtlas2Based" if n <= 300 else "barnesHut",
            "solverOptions": self.force_atlas if n <= 300 else self.barnes_hut,
            "edgeLabels": len(self.edges) <= self.edge_label_limit,
            "notes": self.notes,
        }


def _text(value: Any, limit: int = _TEXT_LIMIT) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind_label(kind: str, vocab: Vocabulary) -> str:
    return vocab.labels.get(kind) or kind.split(":")[-1] or "resource"


def _predicate_label(key: str, vocab: Vocabulary) -> str:
    if key == "skos:altLabel":
        return "also called"
    return vocab.labels.get(key) or key.split(":")[-1]


def _value_text(value: Any, vocab: Vocabulary) -> str:
    if isinstance(value, str) and value in vocab.labels and ":" in value:
        return vocab.labels[value]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() else f"{value:,}"
    return str(value)


def _node_facts(data: dict[str, Any], vocab: Vocabulary) -> list[str]:
    # Internal fields (wg:nameKey is the lookup index of names) are no facts to show.
    skip = {"label", "iri", "types", "kind", "bipartite", "released", "position", "wg:nameKey"}
    keys = [k for k in data if k not in skip and isinstance(data[k], list | str | int | float)]
    current = [k for k in keys if not k.endswith(SUPERSEDED_SUFFIX)]
    order = [k for k in _FIRST if k in current] + sorted(k for k in current if k not in _FIRST)
    order += sorted(k for k in keys if k.endswith(SUPERSEDED_SUFFIX))
    lines = []
    for key in order:
        values = data[key] if isinstance(data[key], list) else [data[key]]
        if not values:
            continue
        name = (
            _predicate_label(key[: -len(SUPERSEDED_SUFFIX)], vocab) + " (superseded)"
            if key.endswith(SUPERSEDED_SUFFIX)
            else _predicate_label(key, vocab)
        )
        lines.append(_text(f"{name}: {'; '.join(_value_text(v, vocab) for v in values)}"))
    if len(lines) > _FACT_LINES:
        lines = [*lines[:_FACT_LINES], f"… and {len(lines) - _FACT_LINES} more"]
    return lines


def _style(kind: str) -> tuple[str, str]:
    return STYLES.get(kind, DEFAULT_STYLE)


def _edge_rows(graph: nx.Graph) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    if graph.is_multigraph():
        for u, v, k, d in graph.edges(keys=True, data=True):
            yield str(u), str(v), str(k), d
    else:
        for u, v, d in graph.edges(data=True):
            yield str(u), str(v), "", d


@dataclass(slots=True)
class _Edge:
    source: str
    target: str
    key: str
    label: str
    data: dict[str, Any]
    arrows: str = "to"
    extra: list[str] = field(default_factory=list)
    dashes: bool = False


def _fold_performances(graph: nx.Graph, edges: list[_Edge], vocab: Vocabulary) -> tuple[set[str], list[_Edge], int]:
    """Drop performance nodes and their edges; annotate (or add) the actor's ``plays`` edge instead."""
    performances = {n for n, d in graph.nodes(data=True) if d.get("kind") == "wg:Performance"}
    if not performances:
        return set(), edges, 0
    parts: dict[str, dict[str, str]] = {p: {} for p in performances}
    for edge in edges:
        if edge.source in performances and edge.key in ("wg:actor", "wg:character", "wg:work"):
            parts[edge.source][edge.key] = edge.target
    kept = [e for e in edges if e.source not in performances and e.target not in performances]
    plays = {(e.source, e.target): e for e in kept if e.key == "wg:plays"}
    folded = 0
    for perf in sorted(performances):
        actor, character, work = (parts[perf].get(k) for k in ("wg:actor", "wg:character", "wg:work"))
        if actor is None or character is None:
            continue
        found = plays.get((actor, character))
        if found is None:
            data = next((e.data for e in edges if e.source == perf and e.key == "wg:actor"), {})
            found = _Edge(actor, character, "wg:plays", vocab.labels.get("wg:plays", "plays"), data)
            kept.append(found)
            plays[(actor, character)] = found
        edge = found
        info = graph.nodes[perf]
        credit = ", ".join(_value_text(v, vocab) for v in info.get("wg:creditType", []))
        named = "; ".join(str(v) for v in info.get("wg:creditedAs", []))
        work_label = str(graph.nodes[work].get("label", work)) if work is not None and work in graph else ""
        detail = work_label + (f", {credit}" if credit else "")
        edge.extra.append(
            f"in {work_label or 'a work'}"
            + (f": {credit}" if credit else "")
            + (f"; credited as {named}" if named else "")
        )
        edge.label = (edge.label + f" ({detail})") if "(" not in edge.label else edge.label[:-1] + f"; {detail})"
        folded += 1
    return performances, kept, folded


def _collapse_inverses(graph: nx.Graph, edges: list[_Edge], vocab: Vocabulary) -> list[_Edge]:
    """Keep one edge of each fact stated both ways."""
    if not graph.is_multigraph():
        return edges
    present = {(e.source, e.target, e.key) for e in edges}
    kept = []
    for edge in edges:
        inverse = vocab.inverse.get(edge.key)
        if inverse is None or (edge.target, edge.source, inverse) not in present:
            kept.append(edge)
            continue
        if inverse == edge.key:  # symmetric: keep one direction, drawn without arrows
            if edge.source < edge.target:
                edge.arrows = ""
                kept.append(edge)
        elif edge.key in vocab.primary or (inverse not in vocab.primary and edge.key < inverse):
            kept.append(edge)
    return kept


def _curve(edges: list[_Edge]) -> list[dict[str, Any] | bool]:
    """Straight edges, except where two nodes share several: each of those on its own curve."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(edges):
        groups.setdefault((min(e.source, e.target), max(e.source, e.target)), []).append(i)
    smooth: list[dict[str, Any] | bool] = [False] * len(edges)
    for (a, _), members in groups.items():
        if len(members) == 1:
            continue
        for rank, i in enumerate(members):
            clockwise = rank % 2 == 0
            if edges[i].source != a:
                clockwise = not clockwise
            smooth[i] = {
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": round(0.12 + 0.14 * (rank // 2), 2),
            }
    return smooth


def build_model(
    graph: nx.Graph,
    *,
    title: str = "wickgraph",
    vocabulary: Vocabulary | None = None,
    focus: str | None = None,
    max_nodes: int = MAX_NODES,
    seed: int = 7,
) -> Model:
    """The view of ``graph`` (see the module documentation). More than ``max_nodes`` nodes is a
    :class:`~wickgraph.errors.GraphTooLargeError` (a ``VizError``) that says how to focus the view."""
    vocab = vocabulary or Vocabulary.bundled()
    edges = [
        _Edge(u, v, k, str(d.get("label") or (vocab.labels.get(k) if k else "") or k.split(":")[-1]), d)
        for u, v, k, d in _edge_rows(graph)
    ]
    hidden, edges, folded = _fold_performances(graph, edges, vocab)
    count = graph.number_of_nodes() - len(hidden)
    if count > max_nodes:
        raise GraphTooLargeError(count, max_nodes)
    edges = _collapse_inverses(graph, edges, vocab)
    if not graph.is_directed():
        for edge in edges:
            edge.arrows = ""
    model = Model(title=title, seed=seed, edge_label_limit=EDGE_LABELS if graph.is_multigraph() else 60)
    if folded:
        model.notes.append(f"{folded} performance{'s' if folded != 1 else ''} drawn on the actors' 'plays' edges")
    kinds: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        if node in hidden:
            continue
        kind = str(data.get("kind") or "")
        kinds[kind] = kinds.get(kind, 0) + 1
        colour, shape = _style(kind)
        label = _text(data.get("label", node), 80)
        tip = [f"{label}", f"{_kind_label(kind, vocab)} · {node}", *_node_facts(data, vocab)]
        entry: dict[str, Any] = {
            "id": str(node),
            "label": label,
            "kind": kind,
            "color": colour,
            "shape": shape,
            "tip": tip,
        }
        if focus is not None and node == focus:
            entry["focus"] = True
        model.nodes.append(entry)
    sources: dict[str, dict[str, Any]] = {}
    smooth = _curve(edges)
    for i, edge in enumerate(edges):
        data = edge.data
        arrow = f"—{edge.label}→" if edge.arrows else f"—{edge.label}—"
        head = f"{graph.nodes[edge.source].get('label', edge.source)} {arrow} {graph.nodes[edge.target].get('label', edge.target)}"
        tip = [_text(head), *edge.extra]
        claims = provenance_text(data) if data.get("claims") else []
        tip += [_text(line) for line in claims]
        if not graph.is_multigraph():  # a projection's edge: what it carries
            for name in ("roles", "basis", "dates"):
                if data.get(name):
                    tip.append(_text(f"{name}: {', '.join(str(x) for x in data[name])}"))
        if data.get("work_labels"):
            tip.append(_text(f"shared works ({len(data['work_labels'])}): {', '.join(data['work_labels'])}"))
        edge_sources = sorted(set(data.get("sources", [])))
        for j, source in enumerate(data.get("sources", [])):
            entry = sources.setdefault(source, {"id": source, "title": data["source_titles"][j] or source, "count": 0})
        for source in edge_sources:
            sources[source]["count"] += 1
        model.edges.append(
            {
                "id": f"e{i}",
                "from": edge.source,
                "to": edge.target,
                "label": _text(edge.label, 60),
                "arrows": edge.arrows,
                "smooth": smooth[i],
                "tip": tip,
                "sources": edge_sources,
                **({"dashes": True} if edge.dashes or (data.get("current") and not any(data["current"])) else {}),
                **({"width": min(8, 1 + int(data["weight"]))} if isinstance(data.get("weight"), int | float) else {}),
            }
        )
    model.legend = [
        {"kind": k, "label": _kind_label(k, vocab), "color": _style(k)[0], "shape": _style(k)[1], "count": c}
        for k, c in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    ]
    model.sources = sorted(sources.values(), key=lambda s: (-s["count"], s["title"]))
    model.subtitle = _subtitle(graph, len(model.nodes), len(model.edges))
    return model


def _subtitle(graph: nx.Graph, nodes: int, edges: int) -> str:
    parts = [f"{nodes} nodes, {edges} edges"]
    if graph.graph.get("as_of"):
        parts.append(f"as known on {graph.graph['as_of']}")
    return "; ".join(parts)
