"""Files for other tools: written by NetworkX's writers, read back to the same graph (property tests)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wickgraph
from wickgraph.errors import ExportError
from wickgraph.exchange import FORMATS, format_from_path, read_graph, write_graph
from wickgraph.projections import PROJECTIONS, project

# Text XML can carry: no control characters but tab and newline (a carriage return is a line end to XML).
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\ufffe\uffff"),
    max_size=12,
).filter(lambda s: not any(ord(c) < 32 and c not in "\t\n" for c in s))
SCALARS = {
    "label": TEXT,
    "kind": TEXT,
    "weight": st.integers(-(2**40), 2**40),
    "score": st.floats(allow_nan=False, allow_infinity=False, width=64),
    "flag": st.booleans(),
    "types": st.lists(TEXT, max_size=4),
    "wg:runtimeMinutes": st.lists(st.integers(0, 10_000), max_size=3),
    "mixed": st.lists(
        st.one_of(TEXT, st.integers(-100, 100), st.booleans(), st.floats(allow_nan=False, allow_infinity=False)),
        max_size=3,
    ),
}


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    cls = draw(st.sampled_from([nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph]))
    graph = cls(name=draw(TEXT), as_of=draw(TEXT))
    nodes = draw(st.lists(TEXT, max_size=8, unique=True))
    for node in nodes:
        names = draw(st.lists(st.sampled_from(sorted(SCALARS)), unique=True, max_size=4))
        graph.add_node(node, **{n: draw(SCALARS[n]) for n in names})
    if nodes:
        for _ in range(draw(st.integers(0, 12))):
            u, v = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            names = draw(st.lists(st.sampled_from(sorted(SCALARS)), unique=True, max_size=4))
            attrs = {n: draw(SCALARS[n]) for n in names}
            if graph.is_multigraph():
                graph.add_edge(u, v, key=draw(TEXT.filter(bool)), **attrs)
            else:
                graph.add_edge(u, v, **attrs)
    return graph


def _same(a: nx.Graph, b: nx.Graph) -> bool:
    return type(a) is type(b) and nx.utils.graphs_equal(a, b) and a.graph == b.graph


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs())
def test_round_trip_of_any_graph(tmp_path: Path, fmt: str, graph: nx.Graph) -> None:
    path = tmp_path / f"g.{fmt}"
    write_graph(graph, path, fmt)
    back = read_graph(path, fmt)
    assert _same(back, graph), (graph.nodes(data=True), back.nodes(data=True))


def _raw(path: Path, fmt: str) -> nx.Graph | None:
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    return None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["full", *PROJECTIONS])
def test_real_graph_and_projections_round_trip(exported: nx.MultiDiGraph, tmp_path: Path, fmt: str, name: str) -> None:
    graph = exported if name == "full" else project(exported, name)
    path = tmp_path / f"{name}.{fmt}"
    written = write_graph(graph, path, fmt)
    assert all(p.stat().st_size > 0 for p in written)
    back = read_graph(path, fmt)
    assert _same(back, graph)
    # NetworkX's own readers (no wickgraph involved) see the same nodes, edges and scalar attributes.
    raw = _raw(path, fmt)
    if raw is not None:
        assert (raw.number_of_nodes(), raw.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
        for node, data in graph.nodes(data=True):
            assert raw.nodes[node]["label"] == data["label"]
            if "types" in data and fmt != "json":
                assert json.loads(raw.nodes[node]["types[]"]) == data["types"]


def test_gephi_style_csv(exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_graph(exported, tmp_path / "out", "csv")
    nodes = (tmp_path / "out" / "nodes.csv").read_text(encoding="utf-8").splitlines()
    edges = (tmp_path / "out" / "edges.csv").read_text(encoding="utf-8").splitlines()
    assert nodes[0].startswith("Id,Label,") and edges[0].startswith("Source,Target,Key,Type,Label,")
    assert any(line.startswith("wgd:ballerina,Ballerina,") for line in nodes)
    assert len(nodes) == exported.number_of_nodes() + 1
    assert sum(1 for _ in __import__("csv").reader(edges)) == exported.number_of_edges() + 1


def test_as_of_and_construct_exports_round_trip(kg: wickgraph.KnowledgeGraph, tmp_path: Path) -> None:
    from wickgraph.networkx_export import construct_to_networkx, to_networkx

    for i, graph in enumerate(
        [
            to_networkx(kg, as_of="2024-01-03", include_ontology=True),
            construct_to_networkx(kg, "CONSTRUCT { [] wg:actor ?a } WHERE { ?a wg:plays ?c }"),
        ]
    ):
        for fmt in FORMATS:
            path = tmp_path / f"{i}.{fmt}"
            write_graph(graph, path, fmt)
            assert _same(read_graph(path, fmt), graph)


def test_what_files_cannot_carry(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", note="bell\x07")
    with pytest.raises(ExportError, match="node a: attribute 'note' holds a control character XML cannot carry"):
        write_graph(graph, tmp_path / "g.graphml")
    write_graph(graph, tmp_path / "g.json")  # JSON can
    assert read_graph(tmp_path / "g.json").nodes["a"]["note"] == "bell\x07"
    with pytest.raises(ExportError, match="node id 1 is not a string"):
        write_graph(nx.Graph([(1, 2)]), tmp_path / "n.gexf")
    odd = nx.Graph()
    odd.add_node("a", value={"x": 1})
    with pytest.raises(ExportError, match="attribute 'value' holds a dict"):
        write_graph(odd, tmp_path / "d.json")
    with pytest.raises(ExportError, match=r"cannot tell the format of g\.txt"):
        format_from_path("g.txt")
    with pytest.raises(ExportError, match="no such file or directory"):
        read_graph(tmp_path / "missing.graphml")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ExportError, match="is not a readable json graph"):
        read_graph(tmp_path / "bad.json")
