"""pyvis interop: ``wickgraph.viz.to_pyvis`` gives a pyvis Network that a pyvis user restyles and saves, and the
saved file draws in a real browser (Debian's chromium, headless) with no network and no script but its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from _pages import headless
from wickgraph.errors import VizError
from wickgraph.testing.chromium import Chromium
from wickgraph.viz import neighbourhood, to_pyvis, write_html

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HOSTILE = '</script><script>document.title="owned"</script><img src=x onerror="document.title=1">'


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    """One headless chromium for the module, reaching no host: the pages are files (overrides conftest's)."""
    yield from headless()


def test_the_network_holds_what_our_view_draws(exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    part = neighbourhood(exported, "Ballerina", 1)
    net = to_pyvis(part, title="Ballerina")
    ours = write_html(part, tmp_path / "ours.html")
    # The same nodes and edges as wickgraph's own view of the same graph (performances folded, inverses once).
    assert (len(net.nodes), len(net.edges)) == (ours.nodes, ours.edges)
    by_id = {n["id"]: n for n in net.nodes}
    assert by_id["wgd:ballerina"]["label"] == "Ballerina"
    # Hovering an edge names its source: Len Wiseman directs Ballerina, as the founding article says.
    (directs,) = [e for e in net.edges if e["from"] == "wgd:ballerina" and e["to"] == "wgd:len-wiseman"]
    assert "of wgs:cinemark-2024)" in directs["title"] and "Wikipedia" in directs["title"]


def test_a_restyled_network_saves_an_offline_page_that_draws(
    browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path
) -> None:
    net = to_pyvis(neighbourhood(exported, "Ballerina", 1), title="Ballerina")
    # What a pyvis user does: add a node, restyle, change the physics, save.
    net.add_node("note", label=HOSTILE, title=HOSTILE, color="#ff0000", shape="star")
    net.add_edge("note", "wgd:ballerina", title=HOSTILE)
    net.barnes_hut(gravity=-3000)
    path = tmp_path / "ballerina.html"
    net.write_html(str(path))
    page = path.read_text(encoding="utf-8")
    assert re.findall(r'\b(?:src|href)\s*=\s*"[^"]*"', page.split('id="wg-pyvis-data"')[0]) == []
    assert "<script>document.title" not in page and "cdn" not in page.lower()
    assert not (tmp_path / "lib").exists() and not Path("lib").exists()  # pyvis's write_html would copy lib/
    browser.open(path)
    browser.wait_for("window.wickgraph && window.wickgraph.stable === true", timeout=120)
    counts = browser.evaluate("JSON.parse(JSON.stringify({c: window.wickgraph.counts, d: window.wickgraph.drawn()}))")
    assert counts["c"] == counts["d"] == {"nodes": len(net.nodes), "edges": len(net.edges)}
    assert browser.evaluate("document.title") == "Ballerina"  # the hostile label ran nothing
    assert browser.evaluate("window.wickgraph.network.body.data.nodes.get('note').label") == HOSTILE
    assert browser.console_errors() == []
    assert browser.requests() == [path.resolve().as_uri()]  # the page itself, nothing else
    browser.screenshot(ARTIFACTS / "pyvis-ballerina.png")


def test_too_big_a_graph_is_refused_with_advice(exported: nx.MultiDiGraph) -> None:
    with pytest.raises(VizError, match=r"focus=NAME with depth=1"):
        to_pyvis(exported, max_nodes=10)
