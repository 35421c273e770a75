"""Graph analytics on the exported graph: paths with their facts, centrality, communities, story order.

Every function takes a graph from :func:`wickgraph.to_networkx` (or a projection of it, see
:mod:`wickgraph.projections`); :func:`analysis_graph` makes one from a knowledge graph, ``as_of`` a date.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, label in [("wgd:a", "Ann"), ("wgd:f", "Film"), ("wgd:b", "Bob")]:
...     g.add_node(n, label=label, kind="wg:Person")
>>> _ = g.add_edge("wgd:a", "wgd:f", key="wg:castIn", label="cast in", claims=["wgc:s/1"], sources=["wgs:s"],
...                source_titles=["S"], dates=["2024-01-03"], certainties=["stated"], spans=[""])
>>> _ = g.add_edge("wgd:b", "wgd:f", key="wg:directed", label="directed", claims=["wgc:s/2"], sources=["wgs:s"],
...                source_titles=["S"], dates=["2024-01-03"], certainties=["stated"], spans=[""])
>>> [str(c) for c in shortest_paths(g, "ann", "Bob")]
['Ann —cast in→ Film ←directed— Bob']
"""

from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import EntityNotFoundError, StoryOrderCycleError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .graph import KnowledgeGraph

__all__ = [
    "Connection",
    "EdgeFact",
    "Score",
    "Step",
    "WorkOrder",
    "analysis_graph",
    "centrality",
    "chronology",
    "communities",
    "find_node",
    "shortest_paths",
    "story_order",
]


def analysis_graph(
    source: nx.MultiDiGraph | KnowledgeGraph,
    *,
    query: str | None = None,
    projection: str | None = None,
    as_of: str | _dt.date | None = None,
    include_ontology: bool = False,
    aliases: bool = False,
) -> nx.Graph:
    """The graph an analysis (a view, an export) runs on: ``source`` itself (an exported graph), or ``source``
    exported (a knowledge graph: the whole graph, or the result of the CONSTRUCT ``query``; as known ``as_of``
    a date; with the ontology's terms, with aliases); then its ``projection`` when one is named.

    This is the one place that exports and projects: :func:`wickgraph.project` of a knowledge graph, the HTML
    view and the command line come here.
    """
    from .graph import KnowledgeGraph
    from .projections import project

    if isinstance(source, KnowledgeGraph):
        from .networkx_export import construct_to_networkx, to_networkx

        if query is not None:
            if include_ontology:
                raise UsageError("include_ontology goes with the whole graph, not with a CONSTRUCT query")
            source = construct_to_networkx(source, query, as_of=as_of, aliases=aliases)
        else:
            source = to_networkx(source, include_ontology=include_ontology, aliases=aliases, as_of=as_of)
    elif query is not None or include_ontology or aliases:
        raise UsageError("query, include_ontology and aliases need a KnowledgeGraph, not an exported graph")
    return project(source, projection) if projection else source


# ---- finding a node by name -----------------------------------------------------------------------------


def find_node(graph: nx.Graph, name: str) -> str:
    """The node called ``name``: its id (``wgd:john-wick``, or the local name ``john-wick``), or a label or
    alias (``skos:altLabel``), case-insensitive.

    An exact label wins over an exact alias, which wins over a unique partial match; otherwise
    :class:`~wickgraph.errors.EntityNotFoundError` lists the candidates, or the nearest names when none fits.
    """
    if name in graph:
        return name
    if "wgd:" + name in graph:
        return "wgd:" + name
    wanted = name.casefold()
    by_label, by_alias, partial = [], [], []
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", ""))
        aliases = [str(a) for a in data.get("skos:altLabel", [])]
        if label.casefold() == wanted:
            by_label.append(node)
        elif any(a.casefold() == wanted for a in aliases):
            by_alias.append(node)
        elif wanted in label.casefold() or any(wanted in a.casefold() for a in aliases):
            partial.append(node)
    for found in (by_label, by_alias, partial):
        if len(found) == 1:
            return str(found[0])
        if found:
            listing = "; ".join(f"{graph.nodes[n].get('label', n)} ({n})" for n in sorted(found)[:15])
            raise EntityNotFoundError(
                f"{name!r} matches {len(found)} nodes: {listing}. Give one of these names or ids.",
                [(str(n), str(graph.nodes[n].get("label", n))) for n in sorted(found)],
            )
    from .entity import nearest_names

    names = []
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", node))
        names += [(label, label), (label, str(node).removeprefix("wgd:"))]
        names += [(label, str(a)) for a in data.get("skos:altLabel", [])]
    nearest = nearest_names(names, name)
    hint = f"; nearest names: {', '.join(nearest)}" if nearest else ""
    raise EntityNotFoundError(f"no node is called {name!r} in this graph{hint}", [(n, n) for n in nearest])


# ---- paths with their facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EdgeFact:
    """One edge of the exported graph as a fact, with its provenance (one entry per claim)."""

    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    claims: tuple[str, ...]
    sources: tuple[str, ...]
    source_titles: tuple[str, ...]
    dates: tuple[str, ...]
    certainties: tuple[str, ...]
    spans: tuple[str, ...]
    directed: bool = True
    """False for an edge of an undirected projection (its label then names what joins the two nodes)."""

    def __str__(self) -> str:
        if not self.directed:
            return f"{self.subject_label} —{self.predicate_label}— {self.object_label}"
        return f"{self.subject_label} —{self.predicate_label}→ {self.object_label}"

    def provenance(self) -> list[str]:
        """One line per claim: ``title (date, certainty; span)``."""
        from .networkx_export import provenance_text

        return provenance_text(
            {
                "claims": self.claims,
                "sources": self.sources,
                "source_titles": self.source_titles,
                "dates": self.dates,
                "certainties": self.certainties,
                "spans": self.spans,
            }
        )


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a path: from ``source`` to ``target``, and the facts that join them."""

    source: str
    target: str
    source_label: str
    target_label: str
    facts: tuple[EdgeFact, ...]

    def __str__(self) -> str:
        fact = self.facts[0]
        if not fact.directed:
            return f"—{fact.predicate_label}— {self.target_label}"
        arrow = f"—{fact.predicate_label}→" if fact.subject == self.source else f"←{fact.predicate_label}—"
        return f"{arrow} {self.target_label}"


@dataclass(frozen=True, slots=True)
class Connection:
    """A path between two nodes, with the facts along each step."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def hops(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        return " ".join([self.labels[0], *(str(s) for s in self.steps)])


def _facts(graph: nx.MultiDiGraph | nx.Graph, u: str, v: str) -> tuple[EdgeFact, ...]:
    """The facts joining u and v, forward ones first; a fact stated both ways by the same claims (an inverse or
    a symmetric property the build derived) is given once, in the direction of travel."""
    label = {n: str(graph.nodes[n].get("label", n)) for n in (u, v)}

    def edges(a: str, b: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        if not graph.has_edge(a, b):
            return []
        if graph.is_multigraph():
            return [(a, b, str(k), d) for k, d in graph[a][b].items()]
        return [(a, b, graph.graph.get("name", "edge"), graph[a][b])]

    forward = edges(u, v)
    backward = edges(v, u) if graph.is_directed() else []
    seen_claims = {tuple(d.get("claims", ())) for _, _, _, d in forward if d.get("claims")}
    backward = [e for e in backward if not (e[3].get("claims") and tuple(e[3]["claims"]) in seen_claims)]
    facts = []
    for a, b, key, data in forward + backward:
        facts.append(
            EdgeFact(
                subject=a,
                subject_label=label[a],
                predicate=key,
                predicate_label=str(data.get("label", key)),
                object=b,
                object_label=label[b],
                claims=tuple(data.get("claims", ())),
                sources=tuple(data.get("sources", ())),
                source_titles=tuple(data.get("source_titles", ())),
                dates=tuple(data.get("dates", ())),
                certainties=tuple(data.get("certainties", ())),
                spans=tuple(data.get("spans", ())),
                directed=graph.is_directed(),
            )
        )
    return tuple(facts)


def shortest_paths(graph: nx.Graph, a: str, b: str, *, limit: int = 10) -> list[Connection]:
    """Every shortest path (up to ``limit``) between the nodes called ``a`` and ``b``, edges taken in either
    direction, each step with the facts behind it. An empty list when they are not connected.

    On the full export a path may run through any resource (a work, a performance, a company); on a projection
    (``collaboration``) it runs from person to person through shared works.
    """
    import networkx as nx

    source, target = find_node(graph, a), find_node(graph, b)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    try:
        paths = nx.all_shortest_paths(undirected, source, target)
        found = []
        for path in paths:
            found.append(path)
            if len(found) >= 10_000:
                break
    except nx.NetworkXNoPath:
        return []
    found.sort(key=lambda p: [str(graph.nodes[n].get("label", n)) for n in p])
    result = []
    for path in found[:limit]:
        labels = tuple(str(graph.nodes[n].get("label", n)) for n in path)
        steps = tuple(
            Step(u, v, labels[i], labels[i + 1], _facts(graph, u, v))
            for i, (u, v) in enumerate(itertools.pairwise(path))
        )
        result.append(Connection(tuple(path), labels, steps))
    return result


# ---- centrality and communities -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    """A node's centrality."""

    node: str
    label: str
    value: float
    degree: int


def centrality(graph: nx.Graph, measure: str = "degree", *, top: int = 10) -> list[Score]:
    """The ``top`` nodes by ``degree`` or ``betweenness`` centrality (NetworkX's normalised values), ties by label.

    Run it on a projection (``collaboration``, ``co-star``): on the full export, every inverse fact counts twice.
    """
    import networkx as nx

    if measure == "degree":
        values = nx.degree_centrality(graph)
    elif measure == "betweenness":
        values = nx.betweenness_centrality(graph)
    else:
        raise UsageError(f"unknown centrality measure {measure!r}: use degree or betweenness")
    scores = [
        Score(str(n), str(graph.nodes[n].get("label", n)), float(v), int(graph.degree(n))) for n, v in values.items()
    ]
    scores.sort(key=lambda s: (-s.value, s.label, s.node))
    return scores[:top]


def communities(graph: nx.Graph, *, seed: int = 42, weight: str = "weight") -> list[list[str]]:
    """Communities (Louvain, seeded so every run agrees), largest first; each a sorted list of node ids.

    Louvain never joins nodes of different connected components, so a group with no tie to the rest is a
    community of its own.
    """
    import networkx as nx

    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    found = nx.community.louvain_communities(undirected, weight=weight, seed=seed)

    def label(n: str) -> str:
        return str(graph.nodes[n].get("label", n))

    ordered = [sorted(c, key=label) for c in found]
    ordered.sort(key=lambda c: (-len(c), label(c[0]) if c else ""))
    return ordered


# ---- story order ------------------------------------------------------------------------------------------


def _story_dag(graph: nx.Graph) -> nx.DiGraph:
    from .projections import story_order as project_story

    if graph.graph.get("name") == "story-order":
        return graph
    return project_story(graph)


def story_order(graph: nx.Graph) -> list[str]:
    """The franchise's works in story order (a topological sort of the ``story-order`` projection; where the
    facts leave the order open, by first release date, then label).

    Raises :class:`~wickgraph.errors.StoryOrderCycleError` naming the cycle and its claims when the story-order
    facts contradict each other.
    """
    import networkx as nx

    dag = _story_dag(graph)
    try:
        return list(
            nx.lexicographical_topological_sort(
                dag, key=lambda n: (dag.nodes[n].get("released") or "9999", str(dag.nodes[n].get("label", n)))
            )
        )
    except nx.NetworkXUnfeasible:
        cycle = nx.find_cycle(dag)
        works = [u for u, _ in cycle]
        claims = sorted({c for u, v in cycle for c in dag.edges[u, v].get("claims", [])})
        steps = " → ".join(
            [str(dag.nodes[works[0]].get("label", works[0]))]
            + [f"{dag.nodes[v].get('label', v)} ({'; '.join(dag.edges[u, v].get('basis', []))})" for u, v in cycle]
        )
        raise StoryOrderCycleError(
            f"the story-order facts contain a cycle: {steps}. "
            f"Claims involved: {', '.join(claims) or 'none'}; "
            "correct or supersede one of them.",
            cycle=works,
            claims=claims,
        ) from None


@dataclass(frozen=True, slots=True)
class WorkOrder:
    """A work's place in both chronologies."""

    work: str
    label: str
    story_position: int
    released: str
    release_position: int | None


def chronology(graph: nx.Graph) -> list[WorkOrder]:
    """The franchise's works in story order, each with its first release date and its rank in release order."""
    from .projections import release_order

    order = story_order(graph)
    dag = _story_dag(graph)
    released = release_order(graph) if graph.graph.get("name") != "story-order" else None
    positions = {n: d["position"] for n, d in released.nodes(data=True)} if released is not None else {}
    if not positions:
        dated = sorted((dag.nodes[n].get("released") or "", n) for n in dag if dag.nodes[n].get("released"))
        positions = {n: i for i, (_, n) in enumerate(dated, start=1)}
    return [
        WorkOrder(
            work=n,
            label=str(dag.nodes[n].get("label", n)),
            story_position=i,
            released=str(dag.nodes[n].get("released", "")),
            release_position=positions.get(n),
        )
        for i, n in enumerate(order, start=1)
    ]
