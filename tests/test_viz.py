"""The HTML view without a browser: one self-contained file, what it draws, escaping, limits, notebooks, CLI."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import wickgraph
from _franchise import STORY_ORDER
from _pages import hostile_graph
from wickgraph.cli import cli
from wickgraph.errors import GraphTooLargeError, UsageError, VizError
from wickgraph.viz import MAX_NODES, neighbourhood, notebook_html, render, render_html, view, write_html

HOSTILE = ["<script>window.__pwned = 1</script>", '<img src=x onerror="window.__pwned = 2">', "</script><b>bold</b>"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def page_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="wg-data">(.*?)</script>', page, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def full_page(exported: nx.MultiDiGraph) -> str:
    return render_html(exported)


def test_one_self_contained_file(full_page: str) -> None:
    tags = _tags(full_page)
    for tag, attrs in tags:
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            assert name not in attrs, (tag, attrs)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "wg-data"}, {}, {}]
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    # The policy allows exactly the two inline scripts of this page (by their hashes) and fetches nothing.
    inline = re.findall(r"<script>(.*?)</script>", full_page, re.S)
    assert len(inline) == 2
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"
        for code in inline
    )
    assert csp == (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    assert "cdn" not in full_page.lower().split("<script>", 1)[0]  # no CDN anywhere in the head
    assert "vis-network 9.1.2" in full_page and "bootstrap" not in full_page.lower()


def test_same_graph_same_page(exported: nx.MultiDiGraph, full_page: str) -> None:
    assert render_html(exported) == full_page


def test_what_the_full_view_draws(exported: nx.MultiDiGraph, full_page: str) -> None:
    data = page_data(full_page)
    performances = [n for n, d in exported.nodes(data=True) if d["kind"] == "wg:Performance"]
    assert len(data["nodes"]) == exported.number_of_nodes() - len(performances)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["wgd:ballerina"]["label"] == "Ballerina" and nodes["wgd:ballerina"]["kind"] == "wg:Film"
    assert nodes["wgd:ballerina"]["shape"] == "box" and nodes["wgd:keanu-reeves"]["shape"] == "dot"
    assert {item["kind"] for item in data["legend"]} == {n["kind"] for n in data["nodes"]}
    edges = data["edges"]
    pairs = {(e["from"], e["to"], e["label"].split(" (")[0]) for e in edges}
    # A performance reads at once: the fact sheet and the article, Ana de Armas leads Ballerina as Eve Macarro.
    plays = next(e for e in edges if e["from"] == "wgd:ana-de-armas" and e["to"] == "wgd:eve-macarro")
    assert plays["label"] == "plays (Ballerina, lead)" and "in Ballerina: lead" in plays["tip"]
    # Each fact once: "Ballerina —cast member→ Ana de Armas", not also "Ana de Armas —cast in→ Ballerina".
    assert ("wgd:ballerina", "wgd:ana-de-armas", "cast member") in pairs
    assert ("wgd:ana-de-armas", "wgd:ballerina", "cast in") not in pairs
    worked = [e for e in edges if {e["from"], e["to"]} == {"wgd:len-wiseman", "wgd:chad-stahelski"}]
    assert len(worked) == 1 and worked[0]["arrows"] == "" and worked[0]["label"] == "worked with"
    # Hover text of an edge holds its sources: the article and Wikipedia say Wiseman directed Ballerina.
    director = next(e for e in edges if e["from"] == "wgd:ballerina" and e["to"] == "wgd:len-wiseman")
    assert director["tip"][0] == "Ballerina —director→ Len Wiseman"
    assert any(
        line.startswith("Ballerina (2025 film) - Wikipedia (2026-11-24, stated; line ") for line in director["tip"]
    )
    assert director["sources"] == [
        "wgs:cinemark-2024",
        "wgs:gonetrending-2022",
        "wgs:thedigitalfix-2023",
        "wgs:wikipedia-ballerina-2025-film",
    ]
    # Parallel edges are kept, each on its own curve.
    by_pair: dict[frozenset[str], list[dict[str, Any]]] = {}
    for e in edges:
        by_pair.setdefault(frozenset((e["from"], e["to"])), []).append(e)
    parallel = [group for group in by_pair.values() if len(group) > 1]
    assert parallel
    for group in parallel:
        assert len({json.dumps(e["smooth"], sort_keys=True) + e["from"] for e in group}) == len(group)
    # Node hover: key facts, current first, superseded marked (Chapter 2's premiere date).
    chapter2 = nodes["wgd:john-wick-chapter-2"]["tip"]
    assert "release date: 2017-02-10" in chapter2 and "release date (superseded): 2017-01-30" in chapter2
    assert {s["id"] for s in data["sources"]} >= {"wgs:cinemark-2024", "wgs:wikipedia-ballerina-2025-film"}


def test_labels_and_tooltips_are_text(tmp_path: Path) -> None:
    graph = hostile_graph(HOSTILE[0], HOSTILE[1], HOSTILE[2], key="wg:workedWith", second_kind="<b>kind</b>")
    page = render_html(graph, title=HOSTILE[2])
    body = page.split('<script type="application/json"', 1)[0]
    data_block = page.split('id="wg-data">', 1)[1].split("</script>", 1)[0]
    for text in HOSTILE:
        assert text not in page.replace(html.escape(HOSTILE[2]), "")  # nowhere raw, but in the escaped <title>
    assert "<title>&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;</title>" in body
    assert "<" not in data_block and ">" not in data_block
    data = page_data(page)
    assert data["nodes"][0]["label"] == HOSTILE[0] and data["edges"][0]["label"] == HOSTILE[2]


def test_too_many_nodes_says_how_to_focus() -> None:
    graph = nx.path_graph(MAX_NODES + 1, create_using=nx.MultiDiGraph)
    nx.relabel_nodes(graph, {n: f"n{n}" for n in graph}, copy=False)
    for n in graph:
        graph.nodes[n].update(label=n, kind="wg:Person")
    with pytest.raises(GraphTooLargeError) as raised:
        render_html(graph)
    # The library names its parameters (the CLI words it with its options: test_cli_viz below).
    assert isinstance(raised.value, VizError) and (raised.value.nodes, raised.value.limit) == (1001, 1000)
    assert str(raised.value) == (
        "the graph has 1001 nodes, more than the 1000 a readable view holds: draw a part of it (focus=NAME with "
        "depth=1, projection=NAME, or query= a CONSTRUCT query), draw it by class (aggregated=True), or raise "
        "max_nodes="
    )
    assert "--" not in str(raised.value)
    assert render(graph, max_nodes=2000).nodes == MAX_NODES + 1
    by_class = render(graph, aggregated=True)
    assert by_class.nodes == 1 and page_data(by_class.html)["nodes"][0]["label"] == "person (1001)"


def test_notebook_iframe_srcdoc(exported: nx.MultiDiGraph, full_page: str) -> None:
    frame = notebook_html(exported, height=500)
    tags = _tags(frame)
    assert [t for t, _ in tags] == ["iframe"]
    attrs = tags[0][1]
    assert "src" not in attrs and attrs["sandbox"] == "allow-scripts"
    assert attrs["srcdoc"] == full_page  # the parser unescapes the attribute: the very page
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in frame and "height: 500px" in frame
    from wickgraph.viz import HtmlView

    assert HtmlView(full_page)._repr_html_() == notebook_html(full_page)


def test_neighbourhood(exported: nx.MultiDiGraph) -> None:
    part = neighbourhood(exported, "Len Wiseman", 1)
    assert {"wgd:len-wiseman", "wgd:chad-stahelski", "wgd:ballerina"} <= set(part)
    assert part.graph["focus"] == "wgd:len-wiseman" and part.graph["depth"] == 1
    assert set(neighbourhood(exported, "wiseman", 0)) == {"wgd:len-wiseman"}
    data = page_data(render_html(part))
    assert data["title"] == "wickgraph: around Len Wiseman (1 step)"
    assert [n["id"] for n in data["nodes"] if n.get("focus")] == ["wgd:len-wiseman"]


def test_story_view_puts_both_chronologies_side_by_side(exported: nx.MultiDiGraph) -> None:
    data = page_data(render_html(exported, story=True))
    assert data["physics"] is False
    top = sorted((n for n in data["nodes"] if n["id"].startswith("story:")), key=lambda n: n["x"])
    bottom = sorted((n for n in data["nodes"] if n["id"].startswith("release:")), key=lambda n: n["x"])
    assert [n["id"][6:] for n in top] == STORY_ORDER
    assert [n["id"][8:] for n in bottom][-2:] == ["wgd:the-continental", "wgd:ballerina"]
    assert bottom[0]["label"] == "1. John Wick (2014)\n2014-10-24"
    assert all(n["y"] < m["y"] for n in top for m in bottom)
    links = [e for e in data["edges"] if e.get("dashes")]
    assert len(links) == 6


def test_cli_viz(built_store: Path, full_page: str, tmp_path: Path) -> None:
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["viz", *args, "--store", str(built_store)])

    out = tmp_path / "ana.html"
    result = run("--focus", "Ana de Armas", "--depth", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert result.output.startswith(f"wrote {out}: {len(data['nodes'])} nodes, {len(data['edges'])} edges (")
    assert data["title"] == "wickgraph: around Ana de Armas (1 step)"
    assert run("--projection", "co-star", "-o", str(tmp_path / "c.html")).exit_code == 0
    story = run("--story-order", "-o", str(tmp_path / "s.html"))
    assert story.exit_code == 0 and "14 nodes" in story.output
    query = tmp_path / "q.rq"
    query.write_text("CONSTRUCT { ?a wg:plays ?c } WHERE { ?a wg:plays ?c }", encoding="utf-8")
    assert run("--query", str(query), "-o", str(tmp_path / "q.html")).exit_code == 0
    as_of = run("--as-of", "2024-01-03", "--focus", "Ballerina", "-o", str(tmp_path / "b.html"))
    assert as_of.exit_code == 0
    assert page_data((tmp_path / "b.html").read_text(encoding="utf-8"))["subtitle"].endswith("as known on 2024-01-03")
    too_many = run("--max-nodes", "10", "-o", str(tmp_path / "x.html"))
    # The CLI words the library's GraphTooLargeError with its own options (docs/html-view.md shows this line).
    assert too_many.exit_code == 1
    assert too_many.output == (
        f"Error: the graph has {len(page_data(full_page)['nodes'])} nodes, more than the 10 a readable view holds: "
        "draw a part of it (--focus NAME --depth 1, --projection NAME, --query FILE.rq), draw it by class "
        "(--aggregate), or raise --max-nodes\n"
    )
    assert not (tmp_path / "x.html").exists()
    mixed = run("--story-order", "--focus", "Ballerina", "-o", str(tmp_path / "y.html"))
    assert mixed.exit_code == 2 and "--story-order draws the franchise's works" in mixed.output


def test_write_html_reports_what_it_drew(exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    written = write_html(neighbourhood(exported, "Len Wiseman"), tmp_path / "w.html")
    assert written.html == (tmp_path / "w.html").read_text(encoding="utf-8")
    assert written.nodes == len(page_data(written.html)["nodes"]) and written.edges == len(
        page_data(written.html)["edges"]
    )


def test_the_command_writes_what_the_library_view_draws(
    kg: wickgraph.KnowledgeGraph, built_store: Path, tmp_path: Path
) -> None:
    shown = view(kg, focus="Ana de Armas", depth=1)
    assert shown.nodes == len(page_data(shown.html)["nodes"]) and shown.edges == len(page_data(shown.html)["edges"])
    out = tmp_path / "ana.html"
    result = CliRunner().invoke(cli, ["viz", "--focus", "Ana de Armas", "-o", str(out), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == shown.html
    assert result.output.startswith(f"wrote {out}: {shown.nodes} nodes, {shown.edges} edges (")
    # The chronologies are of the whole graph: the library refuses what they cannot honour, in its own words.
    with pytest.raises(UsageError, match=r"^story draws the franchise's works: it takes no focus"):
        view(kg, story=True, focus="Ballerina")
    with pytest.raises(VizError, match=r"^cannot write "):
        shown.save(tmp_path / "no-such-dir" / "x.html")


def test_tooltips_hold_no_internal_fields_and_the_aggregate_legend_counts(exported: nx.MultiDiGraph) -> None:
    from wickgraph.viz.model import build_model
    from wickgraph.viz.overviews import aggregate

    model = build_model(exported)
    assert any(n["id"] == "wgd:len-wiseman" for n in model.nodes)
    assert exported.nodes["wgd:len-wiseman"].get("wg:nameKey")  # the export has the index ...
    for node in model.nodes:
        assert not any(line.startswith("name key") for line in node["tip"]), node["tip"]  # ... the tooltip not
    by_class = aggregate(exported)
    kinds: dict[str, int] = {}
    for _, data in exported.nodes(data=True):
        kinds[str(data.get("kind") or "")] = kinds.get(str(data.get("kind") or ""), 0) + 1
    assert {item["kind"]: item["count"] for item in by_class.legend} == kinds
    assert sum(item["count"] for item in by_class.legend) == exported.number_of_nodes()
    assert [item["count"] for item in by_class.legend] == sorted(
        (item["count"] for item in by_class.legend), reverse=True
    )
