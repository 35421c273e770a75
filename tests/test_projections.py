"""Named projections, checked against what the sources say."""

from __future__ import annotations

import networkx as nx
import pytest

import wickgraph
from _franchise import STORY_ORDER
from wickgraph.errors import ProjectionError
from wickgraph.projections import PROJECTIONS, credits, get_projection, project, release_dates

FRANCHISE = set(STORY_ORDER)


def test_every_projection_is_documented() -> None:
    assert set(PROJECTIONS) == {"collaboration", "co-star", "person-work", "story-order", "release-order"}
    for projection in PROJECTIONS.values():
        assert projection.title and projection.nodes and projection.edges
        assert projection.describe().startswith(projection.name + ": ")


def test_unknown_projection_lists_the_known_ones(exported: nx.MultiDiGraph) -> None:
    with pytest.raises(ProjectionError, match="no projection 'costars': choose one of collaboration, co-star"):
        project(exported, "costars")
    assert get_projection("co-star").name == "co-star"


def test_collaboration_wiseman_and_stahelski_share_ballerina(exported: nx.MultiDiGraph) -> None:
    # Wikipedia: Ballerina is directed by Len Wiseman; its producers include Chad Stahelski. Nothing else
    # credits both of them on one work.
    graph = project(exported, "collaboration")
    edge = graph.edges["wgd:len-wiseman", "wgd:chad-stahelski"]
    assert edge["weight"] == 1 and edge["works"] == ["wgd:ballerina"] and edge["work_labels"] == ["Ballerina"]
    assert all(d["kind"] == "wg:Person" for _, d in graph.nodes(data=True))
    assert all(d["weight"] == len(d["works"]) for *_, d in graph.edges(data=True))


def test_co_star_network(exported: nx.MultiDiGraph) -> None:
    graph = project(exported, "co-star")
    # The fact sheet: Ana de Armas and Keanu Reeves are both in Ballerina's cast.
    assert "wgd:ballerina" in graph.edges["wgd:ana-de-armas", "wgd:keanu-reeves"]["works"]
    # Len Wiseman directed Ballerina but is in no cast: not a co-star.
    assert "wgd:len-wiseman" not in graph
    # UPI: Lance Reddick was in all four John Wick films; the fact sheet adds Ballerina.
    reddick = {w for _, _, d in graph.edges("wgd:lance-reddick", data=True) for w in d["works"]}
    assert {
        "wgd:john-wick",
        "wgd:john-wick-chapter-2",
        "wgd:parabellum",
        "wgd:john-wick-chapter-4",
        "wgd:ballerina",
    } <= reddick


def test_person_work_is_bipartite_with_roles(exported: nx.MultiDiGraph) -> None:
    graph = project(exported, "person-work")
    assert nx.is_bipartite(graph)
    assert {d["bipartite"] for _, d in graph.nodes(data=True)} == {0, 1}
    # Wikipedia: John Wick is directed by Chad Stahelski; Ballerina is produced by him.
    assert "director" in graph.edges["wgd:chad-stahelski", "wgd:john-wick"]["roles"]
    assert "producer" in graph.edges["wgd:chad-stahelski", "wgd:ballerina"]["roles"]
    # The article: Emerald Fennell rewrote Ballerina's script.
    assert "script" in graph.edges["wgd:emerald-fennell", "wgd:ballerina"]["roles"]
    assert credits(exported, roles={"cast"})[("wgd:ana-de-armas", "wgd:ballerina")] == {"cast"}


def test_story_order_dag(exported: nx.MultiDiGraph) -> None:
    dag = project(exported, "story-order")
    assert set(dag) == FRANCHISE and nx.is_directed_acyclic_graph(dag)
    # The article and Wikipedia: Ballerina is set between Parabellum and Chapter 4.
    assert "wgc:cinemark-2024/a15" in dag.edges["wgd:parabellum", "wgd:ballerina"]["claims"]
    assert "wgc:cinemark-2024/a15" in dag.edges["wgd:ballerina", "wgd:john-wick-chapter-4"]["claims"]
    # Wikipedia: The Continental is a prequel: it comes before the first film.
    assert nx.has_path(dag, "wgd:the-continental", "wgd:john-wick")
    assert all(d["claims"] for *_, d in dag.edges(data=True))


def test_release_order_chain(exported: nx.MultiDiGraph) -> None:
    chain = project(exported, "release-order")
    order = list(nx.topological_sort(chain))
    # Fact sheet dates: 2014-10-24, 2017-02-10 (Chapter 2's US release; the infobox's 2017-01-30 is its
    # premiere, a superseded claim), 2019-05-17, 2023-03-24, 2023-09-22 (The Continental's premiere), 2025-06-06.
    assert order == [
        "wgd:john-wick",
        "wgd:john-wick-chapter-2",
        "wgd:parabellum",
        "wgd:john-wick-chapter-4",
        "wgd:the-continental",
        "wgd:ballerina",
    ]
    assert [chain.nodes[n]["position"] for n in order] == [1, 2, 3, 4, 5, 6]
    assert chain.nodes["wgd:the-continental"]["released"] == "2023-09-22"
    assert release_dates(exported, "wgd:john-wick-chapter-2") == ["2017-02-10"]
    assert exported.nodes["wgd:john-wick-chapter-2"]["wg:releaseDate (superseded)"] == ["2017-01-30"]
    assert all(chain.out_degree(n) <= 1 and chain.in_degree(n) <= 1 for n in chain)


def test_project_from_a_knowledge_graph_as_of(kg: wickgraph.KnowledgeGraph) -> None:
    then = project(kg, "story-order", as_of="2024-01-03")
    assert then.graph["as_of"] == "2024-01-03"
    # On 2024-01-03 only the article's claims about Ballerina's place were published.
    assert then.edges["wgd:parabellum", "wgd:ballerina"]["claims"] == ["wgc:cinemark-2024/a15"]
