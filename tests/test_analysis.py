"""Paths with their facts, centrality, communities and story order, against answers from the sources."""

from __future__ import annotations

import networkx as nx
import pytest

from _franchise import STORY_ORDER
from wickgraph.analysis import centrality, chronology, communities, find_node, shortest_paths, story_order
from wickgraph.errors import EntityNotFoundError, StoryOrderCycleError
from wickgraph.projections import project


def test_wiseman_and_stahelski_connection(exported: nx.MultiDiGraph) -> None:
    # The article: Stahelski had been stunt coordinator on some of Wiseman's films: a direct tie, stated.
    (path,) = shortest_paths(exported, "Len Wiseman", "Chad Stahelski")
    assert path.hops == 1 and path.nodes == ("wgd:len-wiseman", "wgd:chad-stahelski")
    (fact,) = path.steps[0].facts
    assert fact.predicate == "wg:workedWith" and fact.sources == ("wgs:cinemark-2024",)
    assert fact.certainties == ("stated",) and fact.dates == ("2024-01-03",)
    assert str(path) == "Len Wiseman —worked with→ Chad Stahelski"
    assert fact.provenance()[0].startswith(
        "Ballerina: Here's What We Know About the John Wick Spin-Off (2024-01-03, stated; chars "
    )


def test_connection_through_a_shared_work(exported: nx.MultiDiGraph) -> None:
    (path,) = shortest_paths(project(exported, "collaboration"), "wiseman", "stahelski")
    assert str(path) == "Len Wiseman —Ballerina— Chad Stahelski"
    # On the full graph, with the direct tie left out, the path runs through Ballerina with both credits.
    without_tie = exported.copy()
    without_tie.remove_edges_from(
        [
            ("wgd:len-wiseman", "wgd:chad-stahelski", "wg:workedWith"),
            ("wgd:chad-stahelski", "wgd:len-wiseman", "wg:workedWith"),
        ]
    )
    paths = shortest_paths(without_tie, "Len Wiseman", "Chad Stahelski", limit=50)
    assert all(p.hops == 2 for p in paths)
    via = {p.nodes[1] for p in paths}
    assert "wgd:ballerina" in via
    through = next(p for p in paths if p.nodes[1] == "wgd:ballerina")
    first = {f.predicate for f in through.steps[0].facts}
    second = {f.predicate for f in through.steps[1].facts}
    assert first & {"wg:directed", "wg:director"} and second & {"wg:producer", "wg:produced", "wg:oversaw"}
    # A fact stated both ways by the same claims (directed / director) is given once.
    claims = [f.claims for f in through.steps[0].facts]
    assert len(claims) == len(set(claims))


def test_unconnected_and_unknown(exported: nx.MultiDiGraph) -> None:
    # Nobody credited on The Continental is credited on another work in the sources.
    assert shortest_paths(project(exported, "collaboration"), "Mel Gibson", "Keanu Reeves") == []
    with pytest.raises(EntityNotFoundError, match="'John Wick' matches 3 nodes: John Wick \\(2014\\)"):
        find_node(exported, "John Wick")
    with pytest.raises(EntityNotFoundError, match="no node is called 'Nobody Atall'"):
        find_node(exported, "Nobody Atall")
    assert find_node(exported, "Rooney") == "wgd:eve-macarro"


def test_keanu_reeves_among_the_most_central(exported: nx.MultiDiGraph) -> None:
    # The sources credit Reeves on John Wick, Parabellum, Chapter 4 (cast and executive producer) and Ballerina
    # (cameo), besides Knock Knock: few people share work with more of the franchise's people.
    graph = project(exported, "collaboration")
    for measure in ("degree", "betweenness"):
        top = [s.label for s in centrality(graph, measure, top=5)]
        assert "Keanu Reeves" in top, (measure, top)
    scores = centrality(graph, "degree", top=len(graph))
    assert [s.value for s in scores] == sorted((s.value for s in scores), reverse=True)
    assert scores[0].degree == max(d for _, d in graph.degree)
    with pytest.raises(ValueError, match="unknown centrality measure 'pagerank'"):
        centrality(graph, "pagerank")


def test_the_continental_is_its_own_community(exported: nx.MultiDiGraph) -> None:
    # Wikipedia: developed by Coolidge, Ward and Simmons; written with Kristensen; directed by Hughes and
    # Brändström; starring Gibson and Woodell. None of them is credited on the films.
    groups = [set(c) for c in communities(project(exported, "collaboration"))]
    continental = {
        "wgd:greg-coolidge",
        "wgd:kirk-ward",
        "wgd:shawn-simmons",
        "wgd:ken-kristensen",
        "wgd:albert-hughes",
        "wgd:charlotte-brandstrom",
        "wgd:mel-gibson",
        "wgd:colin-woodell",
    }
    assert continental in groups
    assert sum(len(g) for g in groups) == project(exported, "collaboration").number_of_nodes()
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)


def test_story_order_of_the_six_works(exported: nx.MultiDiGraph) -> None:
    # The Continental is a prequel; Ballerina sits between Parabellum and Chapter 4.
    assert story_order(exported) == STORY_ORDER
    rows = chronology(exported)
    assert [(r.story_position, r.release_position) for r in rows] == [(1, 5), (2, 1), (3, 2), (4, 3), (5, 6), (6, 4)]


def test_a_cycle_in_story_order_is_an_error_naming_its_claims(exported: nx.MultiDiGraph) -> None:
    broken = exported.copy()
    broken.add_edge(
        "wgd:john-wick", "wgd:john-wick-chapter-4", key="wg:setAfter", label="set after", claims=["wgc:test/1"]
    )
    with pytest.raises(StoryOrderCycleError) as caught:
        story_order(broken)
    message = str(caught.value)
    assert message.startswith("the story-order facts contain a cycle: ")
    assert "wgc:test/1" in message and "wgc:test/1" in caught.value.claims
    assert "John Wick: Chapter 4" in message and set(caught.value.cycle) <= set(story_order(exported))
