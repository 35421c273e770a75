"""Named projections of the exported graph: the smaller graphs analyses run on.

Each projection is a function of the full :class:`networkx.MultiDiGraph` that :func:`wickgraph.to_networkx`
returns, registered by name with what its nodes and edges mean (``wickgraph export --projection NAME``,
``wickgraph viz --projection NAME``, ``wickgraph analyze ... --projection NAME``):

``collaboration``
    people connected through shared works (``nx.Graph``).
``co-star``
    actors connected through works they are both cast in (``nx.Graph``).
``person-work``
    the bipartite graph of people and the works they are credited on (``nx.Graph``).
``story-order``
    the franchise's works in in-universe order, a DAG (``nx.DiGraph``).
``release-order``
    the franchise's works in release order, a chain (``nx.DiGraph``).

Which facts count as a credit on a work: cast (``wg:castMember``/``wg:castIn``), director, uncredited
co-director, screenwriter, producer, executive producer, showrunner, developer, a person who oversaw additional
filming (``wg:oversaw``), and a writer of a draft of the work's script (``wg:wroteScript`` + ``wg:scriptOf``).
Every projection uses the facts that still hold: an edge all of whose claims are superseded is left out, and so
are literal values only superseded claims state (the exporter files them under ``... (superseded)``).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("wgd:f", label="F", kind="wg:Film"); g.add_node("wgd:a", label="A", kind="wg:Person")
>>> g.add_node("wgd:b", label="B", kind="wg:Person")
>>> g.add_edge("wgd:f", "wgd:a", key="wg:castMember"); g.add_edge("wgd:f", "wgd:b", key="wg:director")
'wg:castMember'
'wg:director'
>>> c = project(g, "collaboration")
>>> c.edges["wgd:a", "wgd:b"]["weight"], c.edges["wgd:a", "wgd:b"]["works"]
(1, ['wgd:f'])
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, Any

from .errors import ProjectionError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .graph import KnowledgeGraph

__all__ = [
    "PROJECTIONS",
    "Projection",
    "credits",
    "get_projection",
    "is_current",
    "project",
    "release_dates",
    "works_of_franchise",
]

PERSON = "wg:Person"
WORK_KINDS = {"wg:Film", "wg:TVSeries", "wg:Work"}

# Predicate -> role, for a credit stated from the work to the person ...
_WORK_TO_PERSON = {
    "wg:castMember": "cast",
    "wg:director": "director",
    "wg:uncreditedDirector": "uncredited co-director",
    "wg:screenwriter": "writer",
    "wg:producer": "producer",
    "wg:executiveProducer": "executive producer",
    "wg:showrunner": "showrunner",
    "wg:developer": "developer",
}
# ... and from the person to the work.
_PERSON_TO_WORK = {
    "wg:castIn": "cast",
    "wg:directed": "director",
    "wg:wrote": "writer",
    "wg:produced": "producer",
    "wg:oversaw": "additional filming",
}


@dataclass(frozen=True, slots=True)
class Projection:
    """A named projection: its function and what its nodes and edges mean."""

    name: str
    title: str
    nodes: str
    edges: str
    function: Callable[[nx.MultiDiGraph], nx.Graph]

    def __call__(self, graph: nx.MultiDiGraph) -> nx.Graph:
        return self.function(graph)

    def describe(self) -> str:
        """Name, title, and the meaning of nodes and edges, on four lines."""
        return f"{self.name}: {self.title}\n  nodes: {self.nodes}\n  edges: {self.edges}"


def is_current(data: dict[str, Any]) -> bool:
    """Whether an edge still holds: it has no claims (a registry fact) or one of them is not superseded."""
    current = data.get("current")
    return not current or any(current)


def _is_work(graph: nx.MultiDiGraph, node: str) -> bool:
    data = graph.nodes[node]
    return data.get("kind") in WORK_KINDS or bool(WORK_KINDS & set(data.get("types", ())))


def _is_person(graph: nx.MultiDiGraph, node: str) -> bool:
    data = graph.nodes[node]
    return data.get("kind") == PERSON or PERSON in data.get("types", ())


def credits(graph: nx.MultiDiGraph, *, roles: set[str] | None = None) -> dict[tuple[str, str], set[str]]:
    """``(person, work) -> roles`` for every credit the graph states (see the module documentation).

    ``roles`` keeps only those roles (``{"cast"}`` for the co-star network).
    """
    found: dict[tuple[str, str], set[str]] = {}

    def add(person: str, work: str, role: str) -> None:
        if (roles is None or role in roles) and _is_person(graph, person) and _is_work(graph, work):
            found.setdefault((person, work), set()).add(role)

    for u, v, key, data in graph.edges(keys=True, data=True):
        if not is_current(data):
            continue
        if key in _WORK_TO_PERSON:
            add(v, u, _WORK_TO_PERSON[key])
        elif key in _PERSON_TO_WORK:
            add(u, v, _PERSON_TO_WORK[key])
        elif key == "wg:wroteScript" and (roles is None or "script" in roles):
            for _, work, k2, d2 in graph.out_edges(v, keys=True, data=True):
                if k2 == "wg:scriptOf" and is_current(d2):
                    add(u, work, "script")
            for work, _, k2, d2 in graph.in_edges(v, keys=True, data=True):
                if k2 == "wg:script" and is_current(d2):
                    add(u, work, "script")
    return found


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def _copy_node(target: nx.Graph, graph: nx.MultiDiGraph, node: str, **extra: Any) -> None:
    data = graph.nodes[node]
    target.add_node(node, label=data.get("label", node), kind=data.get("kind", ""), iri=data.get("iri", node), **extra)


def _shared_works(graph: nx.MultiDiGraph, roles: set[str] | None, name: str) -> nx.Graph:
    import networkx as nx

    by_work: dict[str, set[str]] = {}
    for person, work in credits(graph, roles=roles):
        by_work.setdefault(work, set()).add(person)
    result = nx.Graph(name=name)
    pairs: dict[tuple[str, str], list[str]] = {}
    for work in sorted(by_work):
        people = sorted(by_work[work])
        for person in people:
            if person not in result:
                _copy_node(result, graph, person)
        for a, b in combinations(people, 2):
            pairs.setdefault((a, b), []).append(work)
    for (a, b), works in sorted(pairs.items()):
        result.add_edge(
            a,
            b,
            weight=len(works),
            works=works,
            work_labels=[_label(graph, w) for w in works],
            label=", ".join(_label(graph, w) for w in works),
        )
    return result


def collaboration(graph: nx.MultiDiGraph) -> nx.Graph:
    """People connected through the works they share, in any credited role."""
    return _shared_works(graph, None, "collaboration")


def co_star(graph: nx.MultiDiGraph) -> nx.Graph:
    """Actors connected through the works they are both cast in."""
    return _shared_works(graph, {"cast"}, "co-star")


def person_work(graph: nx.MultiDiGraph) -> nx.Graph:
    """The bipartite graph of people (``bipartite=0``) and works (``bipartite=1``)."""
    import networkx as nx

    result = nx.Graph(name="person-work")
    for (person, work), roles in sorted(credits(graph).items()):
        if person not in result:
            _copy_node(result, graph, person, bipartite=0)
        if work not in result:
            _copy_node(result, graph, work, bipartite=1)
        ordered = sorted(roles)
        result.add_edge(person, work, roles=ordered, label=", ".join(ordered))
    return result


def works_of_franchise(graph: nx.MultiDiGraph) -> list[str]:
    """The works that are part of a franchise (``wg:partOf``, ``wg:hasPart``, ``wg:prequelOf``), sorted."""
    works: set[str] = set()
    for u, v, key, data in graph.edges(keys=True, data=True):
        if not is_current(data):
            continue
        if key in ("wg:partOf", "wg:prequelOf") and graph.nodes[v].get("kind") == "wg:Franchise":
            works.add(u)
        elif key == "wg:hasPart" and graph.nodes[u].get("kind") == "wg:Franchise":
            works.add(v)
    return sorted(w for w in works if _is_work(graph, w))


def release_dates(graph: nx.MultiDiGraph, work: str) -> list[str]:
    """Every date a work was first shown, as the sources give it now: its current ``wg:releaseDate`` values,
    else the dates of its release events that were not postponed (a premiere counts). ISO strings, sorted."""
    dates = {str(d) for d in graph.nodes[work].get("wg:releaseDate", [])}
    if not dates:
        for event in _release_events(graph, work):
            data = graph.nodes[event]
            if "wg:Postponed" in data.get("wg:releaseStatus", []):
                continue
            dates.update(str(d) for d in data.get("wg:date", []))
    return sorted(dates)


def _release_events(graph: nx.MultiDiGraph, work: str) -> Iterator[str]:
    seen = set()
    for _, event, key, data in graph.out_edges(work, keys=True, data=True):
        if key == "wg:release" and event not in seen and is_current(data):
            seen.add(event)
            yield event
    for event, _, key, data in graph.in_edges(work, keys=True, data=True):
        if key == "wg:releaseOf" and event not in seen and is_current(data):
            seen.add(event)
            yield event


def story_order(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The franchise's works in in-universe order: an edge ``A -> B`` says A's story comes before B's.

    Edges come from the facts, each with its ``basis`` and ``claims``:

    - ``wg:setAfter`` / ``wg:setBefore`` (and so ``wg:setBetween``) between two works;
    - ``wg:prequelOf`` a franchise: the prequel comes before the franchise's earliest works (those no story
      fact puts after another work).

    Only stated facts order works: release dates and chapter numbers do not (the editors' inferred claims
    that Chapter 2 follows John Wick's story, and so on, are facts like any other, with certainty "inferred").

    Nodes carry ``label``, ``kind`` and ``released`` (the first release date, ``""`` when unknown).
    """
    import networkx as nx

    result = nx.DiGraph(name="story-order")
    works = works_of_franchise(graph)
    work_set = set(works)
    for work in works:
        dates = release_dates(graph, work)
        _copy_node(result, graph, work, released=dates[0] if dates else "")

    def link(earlier: str, later: str, basis: str, claims: list[str]) -> None:
        if earlier == later:
            return
        if result.has_edge(earlier, later):
            data = result.edges[earlier, later]
            if basis not in data["basis"]:
                data["basis"].append(basis)
            data["claims"].extend(c for c in claims if c not in data["claims"])
            data["claims"].sort()
        else:
            result.add_edge(earlier, later, label="set before", basis=[basis], claims=sorted(claims))

    for u, v, key, data in graph.edges(keys=True, data=True):
        if u in work_set and v in work_set and is_current(data):
            if key == "wg:setAfter":
                link(v, u, "set after", data.get("claims", []))
            elif key == "wg:setBefore":
                link(u, v, "set before", data.get("claims", []))
    prequels = [
        (u, data)
        for u, v, key, data in graph.edges(keys=True, data=True)
        if key == "wg:prequelOf" and u in work_set and graph.nodes[v].get("kind") == "wg:Franchise" and is_current(data)
    ]
    prequel_set = {u for u, _ in prequels}
    roots = [w for w in works if w not in prequel_set and result.in_degree(w) == 0]
    for prequel, data in prequels:
        for root in roots:
            link(prequel, root, "prequel", data.get("claims", []))
    return result


def release_order(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The franchise's works in order of first release: a chain ``A -> B`` where B was released next after A.

    Nodes carry ``label``, ``kind``, ``released`` (first release date) and ``position`` (1, 2, …); works with no
    known date are left out. Edges carry the two dates.
    """
    import networkx as nx

    result = nx.DiGraph(name="release-order")
    dated = []
    for work in works_of_franchise(graph):
        dates = release_dates(graph, work)
        if dates:
            dated.append((dates[0], _label(graph, work), work))
    dated.sort()
    for position, (date, _, work) in enumerate(dated, start=1):
        _copy_node(result, graph, work, released=date, position=position)
    for (d1, _, w1), (d2, _, w2) in pairwise(dated):
        result.add_edge(w1, w2, label="released before", dates=[d1, d2])
    return result


PROJECTIONS: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection(
            "collaboration",
            "people connected through shared works",
            "people credited on at least one work (cast, director, writer, producer, …)",
            "two people credited on the same works; weight = number of shared works, works = their ids",
            collaboration,
        ),
        Projection(
            "co-star",
            "the co-star network",
            "people cast in at least one work",
            "two people cast in the same works; weight = number of shared works, works = their ids",
            co_star,
        ),
        Projection(
            "person-work",
            "people and the works they are credited on (bipartite)",
            "people (bipartite=0) and works (bipartite=1)",
            "a person credited on a work; roles = the credits (cast, director, writer, …)",
            person_work,
        ),
        Projection(
            "story-order",
            "the franchise's works in story (in-universe) order, a DAG",
            "the works of the franchise, with their first release date",
            "A -> B: A's story comes before B's; basis and claims say which facts say so",
            story_order,
        ),
        Projection(
            "release-order",
            "the franchise's works in release order, a chain",
            "the works of the franchise with a known release date; position = rank by first release",
            "A -> B: B was the next work released after A; dates = both first release dates",
            release_order,
        ),
    )
}


def get_projection(name: str) -> Projection:
    """The projection called ``name``; :class:`~wickgraph.errors.ProjectionError` lists the known ones."""
    try:
        return PROJECTIONS[name]
    except KeyError:
        raise ProjectionError(f"no projection {name!r}: choose one of {', '.join(PROJECTIONS)}") from None


def project(source: nx.MultiDiGraph | KnowledgeGraph, name: str, *, as_of: str | _dt.date | None = None) -> nx.Graph:
    """The projection ``name`` of an exported graph, or of a knowledge graph (exported first, ``as_of`` a date)."""
    projection = get_projection(name)
    from .graph import KnowledgeGraph

    if isinstance(source, KnowledgeGraph):
        from .analysis import analysis_graph

        return analysis_graph(source, projection=name, as_of=as_of)
    if as_of is not None:
        raise UsageError("as_of needs a KnowledgeGraph; an exported graph is already as of its export date")
    result = projection(source)
    result.graph.setdefault("as_of", source.graph.get("as_of", ""))
    return result
