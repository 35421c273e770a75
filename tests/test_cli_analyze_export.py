"""`wickgraph analyze` and `wickgraph export`: real output from the real graph, one-line errors."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from wickgraph.cli import cli
from wickgraph.exchange import read_graph
from wickgraph.projections import project


@pytest.fixture()
def run(built_store: Path):  # type: ignore[no-untyped-def]
    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, [*args, "--store", str(built_store)])

    return invoke


def test_analyze_path(run) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", "path", "Len Wiseman", "Chad Stahelski")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1 shortest connection of 1 hop:"
    assert "1. Len Wiseman —worked with→ Chad Stahelski" in lines
    assert any(
        line.strip().startswith(
            "Ballerina: Here's What We Know About the John Wick Spin-Off (2024-01-03, stated; chars "
        )
        for line in lines
    )
    projected = run("analyze", "path", "Len Wiseman", "Chad Stahelski", "--projection", "collaboration")
    assert "1. Len Wiseman —Ballerina— Chad Stahelski" in projected.output.splitlines()
    none = run("analyze", "path", "Mel Gibson", "Ana de Armas", "--projection", "co-star")
    assert (
        none.exit_code == 0 and none.output == "no connection between 'Mel Gibson' and 'Ana de Armas' in this graph\n"
    )


def test_analyze_errors_are_one_line(run) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", "path", "John Wick", "Keanu Reeves")
    assert result.exit_code == 1
    assert result.output.startswith("Error: 'John Wick' matches 3 nodes: John Wick (2014) (wgd:john-wick);")
    assert len(result.output.splitlines()) == 1
    bad_date = run("analyze", "story-order", "--as-of", "yesterday")
    assert bad_date.exit_code == 1 and bad_date.output.startswith("Error: not a date: 'yesterday'")


def test_analyze_centrality_and_communities(run) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", "centrality", "--measure", "degree", "--top", "5")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "degree centrality in the collaboration projection (48 nodes):"
    assert len(lines) == 6 and any("Keanu Reeves" in line for line in lines[1:])
    communities = run("analyze", "communities")
    assert any(
        line.endswith(
            "(8) Albert Hughes, Charlotte Brändström, Colin Woodell, Greg Coolidge, Ken Kristensen, Kirk Ward, Mel Gibson, Shawn Simmons"
        )
        for line in communities.output.splitlines()
    )


def test_analyze_story_order(run) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", "story-order")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[1:]]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r[-1] for r in rows] == ["5", "1", "2", "3", "6", "4"]
    assert result.output.splitlines()[5].split()[1] == "Ballerina"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_export_formats_read_back(run, exported: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / (f"wick.{fmt}" if fmt != "csv" else "wick-csv")
    result = run("export", "-o", str(target), *(["--format", "csv"] if fmt == "csv" else []))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"wrote the graph ({exported.number_of_nodes()} nodes, {exported.number_of_edges()} edges) as {fmt}: "
    )
    back = read_graph(target, fmt)
    assert nx.utils.graphs_equal(back, exported)


def test_export_projection_and_query(run, exported: nx.MultiDiGraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("export", "--projection", "co-star", "-o", str(tmp_path / "costar.gexf"))
    assert result.exit_code == 0, result.output
    assert nx.utils.graphs_equal(read_graph(tmp_path / "costar.gexf"), project(exported, "co-star"))
    query = tmp_path / "plays.rq"
    query.write_text("CONSTRUCT { ?a wg:plays ?c } WHERE { ?a wg:plays ?c }", encoding="utf-8")
    result = run("export", "--query", str(query), "-o", str(tmp_path / "plays.json"))
    assert result.exit_code == 0, result.output
    plays = read_graph(tmp_path / "plays.json")
    assert {k for *_, k in plays.edges(keys=True)} == {"wg:plays"}
    assert plays.edges["wgd:ana-de-armas", "wgd:eve-macarro", "wg:plays"]["claims"]
    bad = run("export", "-o", str(tmp_path / "x.txt"))
    assert bad.exit_code == 1 and bad.output.startswith("Error: cannot tell the format of ")


def test_commands_read_a_sparql_server_too(run, oxigraph_plain, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`--endpoint URL` instead of `--store`: the same answers from a real `oxigraph serve`."""
    remote = CliRunner()
    url = oxigraph_plain.endpoint().query

    def via_server(*args: str):  # type: ignore[no-untyped-def]
        return remote.invoke(cli, [*args, "--endpoint", url, "--timeout", "600"], env={"WICKGRAPH_STORE": ""})

    for args in (("analyze", "story-order"), ("analyze", "path", "Len Wiseman", "Chad Stahelski")):
        local, served = run(*args), via_server(*args)
        assert served.exit_code == 0, served.output
        assert served.output == local.output
    result = via_server("viz", "--focus", "Len Wiseman", "-o", str(tmp_path / "w.html"))
    assert result.exit_code == 0, result.output
    assert (
        run("viz", "--focus", "Len Wiseman", "-o", str(tmp_path / "l.html")).output.split(": ", 1)[1]
        == result.output.split(": ", 1)[1]
    )
    assert (tmp_path / "w.html").read_text(encoding="utf-8") == (tmp_path / "l.html").read_text(encoding="utf-8")
