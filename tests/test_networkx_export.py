"""The NetworkX export: nodes are resources, literals are attributes, one edge per triple with its provenance.

Expected values come from the sources: the founding article (Cinemark, 2024-01-03) and the fact sheet.
"""

from __future__ import annotations

import networkx as nx
import pytest

import wickgraph
from wickgraph.networkx_export import construct_to_networkx, result_to_networkx, to_networkx


@pytest.fixture()
def graph(exported: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return exported


def test_nodes_are_resources_and_literals_are_attributes(graph: nx.MultiDiGraph) -> None:
    assert all(d["iri"].startswith(("https://", "http://", "_:")) for _, d in graph.nodes(data=True))
    # The 2014 film is titled "John Wick" and the character is called John Wick: two nodes, never merged
    # through a shared literal.
    film, character = graph.nodes["wgd:john-wick"], graph.nodes["wgd:john-wick-character"]
    assert "John Wick" in film["wg:title"]
    assert "John Wick" in character["skos:altLabel"]
    assert film["kind"] == "wg:Film" and character["kind"] == "wg:Character"
    assert "John Wick" not in graph
    # The fact sheet: Ballerina runs 125 minutes (an integer attribute), released 2025-06-06 (an ISO date).
    ballerina = graph.nodes["wgd:ballerina"]
    assert ballerina["label"] == "Ballerina"
    assert ballerina["wg:runtimeMinutes"] == [125]
    assert "2025-06-06" in ballerina["wg:releaseDate"]
    assert {"wg:Film", "wg:Work", "schema:Movie"} <= set(ballerina["types"])


def test_one_edge_per_triple(graph: nx.MultiDiGraph, kg: wickgraph.KnowledgeGraph) -> None:
    # Counted independently: distinct wg: triples between resources in claim graphs and the registry,
    # leaving out rdf:type, ontology terms as objects (wg:LeadRole …), the ontology, source and status graphs.
    rows = kg.select("""
        SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER(!isLiteral(?o) && ?p != rdf:type && STRSTARTS(STR(?p), STR(wg:)) && ?g != wgg:ontology)
          FILTER(!STRSTARTS(STR(?g), "https://w3id.org/wickgraph/graph/status/"))
          FILTER NOT EXISTS { GRAPH ?g { ?g a wg:Source } }
          FILTER NOT EXISTS { GRAPH wgg:ontology { ?o ?x ?y } }
        } }""")
    assert graph.number_of_edges() == int(rows[0]["n"].value)  # type: ignore[union-attr]
    keys = {k for *_, k in graph.edges(keys=True)}
    assert all(k.startswith("wg:") for k in keys)


def test_edge_carries_every_claim_of_its_triple(graph: nx.MultiDiGraph, kg: wickgraph.KnowledgeGraph) -> None:
    # "Directed by Len Wiseman": the article and Ballerina's Wikipedia page both say so.
    edge = graph.edges["wgd:ballerina", "wgd:len-wiseman", "wg:director"]
    holders = {
        r["g"].value  # type: ignore[union-attr]
        for r in kg.select("SELECT ?g WHERE { GRAPH ?g { wgd:ballerina wg:director wgd:len-wiseman } }")
    }
    assert {c.replace("wgc:", "https://w3id.org/wickgraph/claim/") for c in edge["claims"]} == holders
    assert "wgs:cinemark-2024" in edge["sources"]
    assert edge["label"] == "director"
    n = len(edge["claims"])
    assert n >= 2 and all(len(edge[k]) == n for k in ("sources", "source_titles", "dates", "certainties", "spans"))
    i = edge["sources"].index("wgs:cinemark-2024")
    assert edge["dates"][i] == "2024-01-03" and edge["certainties"][i] == "stated"
    assert edge["spans"][i].startswith("chars ") and edge["dates"] == sorted(edge["dates"])
    # The article: Stahelski was stunt coordinator on some of Wiseman's films.
    assert "wgs:cinemark-2024" in graph.edges["wgd:len-wiseman", "wgd:chad-stahelski", "wg:workedWith"]["sources"]


def test_ontology_terms_and_aliases_left_out_unless_asked(graph: nx.MultiDiGraph, built_store) -> None:  # type: ignore[no-untyped-def]
    # Ana de Armas leads Ballerina: the credit type is an attribute, not an edge to wg:LeadRole.
    assert graph.nodes["wgd:perf-ballerina-ana-de-armas"]["wg:creditType"] == ["wg:LeadRole"]
    assert "wg:Film" not in graph and "wg:LeadRole" not in graph
    assert not graph.has_edge("wgd:ballerina", "wgd:ana-de-armas", "wdt:P161")
    with wickgraph.open_graph(built_store) as kg:
        full = to_networkx(kg, include_ontology=True)
        aliased = to_networkx(kg, aliases=True)
    assert full.has_edge("wg:Film", "wg:Work", "rdfs:subClassOf")
    assert full.has_edge("wgd:ballerina", "wg:Film", "rdf:type")
    assert full.has_edge("wgd:perf-ballerina-ana-de-armas", "wg:LeadRole", "wg:creditType")
    assert full.nodes["wg:Film"]["label"] == "film"
    assert aliased.has_edge("wgd:ballerina", "wgd:ana-de-armas", "wdt:P161")
    assert aliased.has_edge("wgd:ballerina", "wgd:ana-de-armas", "schema:actor")
    assert aliased.number_of_edges() > graph.number_of_edges()


def test_as_of_sees_only_what_was_published(built_store) -> None:  # type: ignore[no-untyped-def]
    with wickgraph.open_graph(built_store) as kg:
        then = to_networkx(kg, as_of="2024-01-03")
    assert then.graph["as_of"] == "2024-01-03"
    assert max(d for *_, data in then.edges(data=True) for d in data["dates"]) <= "2024-01-03"
    # The article of 2024-01-03 calls the lead character Rooney; "Eve Macarro" came later.
    assert then.nodes["wgd:eve-macarro"]["wg:name"] == ["Rooney"]


def test_export_is_stable_and_blank_nodes_get_stable_ids(built_store) -> None:  # type: ignore[no-untyped-def]
    with wickgraph.open_graph(built_store) as kg:
        first, second = to_networkx(kg, include_ontology=True), to_networkx(kg, include_ontology=True)
        blanks = [n for n in first if n.startswith("_:")]
        assert blanks  # the ontology's owl:oneOf lists
        assert nx.utils.graphs_equal(first, second) and list(first) == list(second)
        # A CONSTRUCT that mints blank nodes makes fresh ones each run; their ids in the graph do not change.
        query = "CONSTRUCT { [] wg:actor ?a ; wg:character ?c } WHERE { ?a wg:plays ?c }"
        one, two = construct_to_networkx(kg, query), construct_to_networkx(kg, query)
    assert sorted(one) == sorted(two) and any(n.startswith("_:b") for n in one)
    assert nx.utils.graphs_equal(one, two)


def test_construct_result_with_labels_and_provenance(kg: wickgraph.KnowledgeGraph) -> None:
    g = construct_to_networkx(kg, "CONSTRUCT { ?a wg:plays ?c } WHERE { ?a wg:plays ?c }")
    assert {k for *_, k in g.edges(keys=True)} == {"wg:plays"}
    # The fact sheet: Norman Reedus plays Daniel Pine (Cine y Más press kit).
    edge = g.edges["wgd:norman-reedus", "wgd:daniel-pine", "wg:plays"]
    assert edge["claims"] and edge["label"] == "plays"
    assert g.nodes["wgd:daniel-pine"]["label"] == "Daniel Pine" and g.nodes["wgd:daniel-pine"]["kind"] == "wg:Character"
    bare = result_to_networkx(kg.construct("CONSTRUCT { ?a wg:plays ?c } WHERE { ?a wg:plays ?c }"))
    assert bare.number_of_edges() == g.number_of_edges()
    assert bare.edges["wgd:norman-reedus", "wgd:daniel-pine", "wg:plays"]["claims"] == []


@pytest.mark.parametrize("as_of", [None, "2024-01-03"])
@pytest.mark.parametrize("server", ["oxigraph_plain", "oxigraph_union"])
def test_a_remote_sparql_server_gives_the_same_graph(
    kg: wickgraph.KnowledgeGraph, request: pytest.FixtureRequest, server: str, as_of: str | None
) -> None:
    """Through a real `oxigraph serve` (SPARQL only, no quads API), the export is the same graph."""
    endpoint = request.getfixturevalue(server).endpoint(timeout=600)
    with wickgraph.open_graph(endpoint=endpoint) as remote:
        generic = to_networkx(remote, as_of=as_of)
        plays = construct_to_networkx(remote, "CONSTRUCT { ?a wg:plays ?c } WHERE { ?a wg:plays ?c }", as_of=as_of)
    direct = to_networkx(kg, as_of=as_of)
    direct.graph.pop("store")
    generic.graph.pop("store")
    assert nx.utils.graphs_equal(direct, generic)
    local = construct_to_networkx(kg, "CONSTRUCT { ?a wg:plays ?c } WHERE { ?a wg:plays ?c }", as_of=as_of)
    plays.graph.pop("store")
    local.graph.pop("store")
    assert nx.utils.graphs_equal(local, plays)


def test_directly_filled_graph_is_a_proper_networkx_graph(graph: nx.MultiDiGraph) -> None:
    rebuilt = nx.MultiDiGraph(**graph.graph)
    rebuilt.add_nodes_from(graph.nodes(data=True))
    rebuilt.add_edges_from(graph.edges(keys=True, data=True))
    assert nx.utils.graphs_equal(rebuilt, graph)
    for u, v, k in graph.edges(keys=True):
        assert graph.pred[v][u][k] is graph.succ[u][v][k]
    assert graph.in_degree("wgd:ballerina") == rebuilt.in_degree("wgd:ballerina")


def test_superseded_claims_are_marked(graph: nx.MultiDiGraph) -> None:
    # The article (2024) called the lead character Rooney; later sources name her Eve Macarro, superseding it.
    eve = graph.nodes["wgd:eve-macarro"]
    assert eve["wg:name"] == ["Eve Macarro"] and eve["wg:name (superseded)"] == ["Rooney"]
    # Ballerina's theatrical release: the article's claim (a06) had it planned; the fact sheet's (f:07) has it
    # released and supersedes a06's status, only that: the release itself and its channel stay current.
    release = graph.nodes["wgd:ballerina-release-2025"]
    assert release["wg:releaseStatus"] == ["wg:Released"]
    assert release["wg:releaseStatus (superseded)"] == ["wg:Planned"]
    assert "exclusively in movie theatres" in release["wg:channel"]
    edge = graph.edges["wgd:ballerina", "wgd:ballerina-release-2025", "wg:release"]
    flags = dict(zip(edge["claims"], edge["statuses"], strict=True))
    assert flags["wgc:cinemark-2024/a06"] == "current" and edge["status"] == "current"
    assert all(len(d["current"]) == len(d["claims"]) for *_, d in graph.edges(data=True))
