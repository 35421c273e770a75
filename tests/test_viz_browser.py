"""The HTML view in a real browser: Debian's chromium, headless, with every network path closed.

Screenshots go to test-artifacts/ (viz-full.png, viz-focus.png, viz-story.png). Without chromium these tests
skip, saying so; `.ci/run` installs it and sets WICKGRAPH_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from _pages import headless, hostile_graph
from wickgraph.testing.chromium import Chromium
from wickgraph.viz import neighbourhood, notebook_html, write_html

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
STABLE = "window.wickgraph && window.wickgraph.stable === true"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    """One headless chromium for the module, reaching no host: the pages are files (overrides conftest's)."""
    yield from headless()


def _load(browser: Chromium, path: Path) -> dict[str, Any]:
    browser.open(path)
    browser.wait_for(STABLE, timeout=120)
    drawn: dict[str, Any] = browser.evaluate(
        "JSON.parse(JSON.stringify({counts: window.wickgraph.counts, drawn: window.wickgraph.drawn()}))"
    )
    return drawn


def _offline(browser: Chromium, path: Path) -> None:
    assert browser.console_errors() == []
    assert browser.requests() == [path.resolve().as_uri()]  # the page itself, nothing else


def _point(browser: Chromium, expression: str) -> tuple[float, float]:
    """Page coordinates of a canvas point computed in the page."""
    x, y = browser.evaluate(
        "(function(){ var net = window.wickgraph.network; var p = (" + expression + ");"
        " var d = net.canvasToDOM(p); var box = document.getElementById('wg-graph').getBoundingClientRect();"
        " return [box.left + d.x, box.top + d.y]; })()"
    )
    return float(x), float(y)


def _hover(browser: Chromium, x: float, y: float) -> str:
    browser.move_mouse(x - 8, y - 8)
    browser.move_mouse(x, y)
    browser.wait_for("!document.getElementById('wg-tooltip').hidden", timeout=10)
    text: str = browser.evaluate("document.getElementById('wg-tooltip').textContent")
    browser.move_mouse(1, 1)
    return text


def test_full_graph_offline(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "full.html"
    written = write_html(exported, path)
    state = _load(browser, path)
    _offline(browser, path)
    assert state["counts"] == {"nodes": written.nodes, "edges": written.edges}
    assert state["drawn"] == state["counts"]  # everything in the page's data is drawn
    # Physics settled and stopped.
    assert browser.evaluate("window.wickgraph.network.physics.options.enabled") is False
    before = browser.evaluate("JSON.stringify(window.wickgraph.network.getPositions(['wgd:ballerina']))")
    browser.wait_for("new Promise(function(r){ setTimeout(function(){ r(true); }, 500); })")
    assert browser.evaluate("JSON.stringify(window.wickgraph.network.getPositions(['wgd:ballerina']))") == before
    browser.screenshot(ARTIFACTS / "viz-full.png")


def test_layout_is_the_same_from_run_to_run(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    part = neighbourhood(exported, "Ballerina", 1)
    positions = []
    for run in range(2):
        path = tmp_path / f"run{run}.html"
        write_html(part, path)
        _load(browser, path)
        positions.append(browser.evaluate("JSON.stringify(window.wickgraph.network.getPositions())"))
    assert positions[0] == positions[1]


def test_focus_view_hover_shows_the_source(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "focus.html"
    write_html(neighbourhood(exported, "Len Wiseman", 1), path)
    state = _load(browser, path)
    _offline(browser, path)
    assert state["drawn"] == state["counts"]
    # The edge Len Wiseman —worked with— Chad Stahelski: the article (Cinemark, 2024-01-03) says so.
    edge = "window.wickgraph.data.edges.filter(function(e){ return e.label === 'worked with'; })[0]"
    x, y = _point(
        browser,
        f"(function(){{ var e = {edge}; var p = net.getPositions([e.from, e.to]);"
        " return {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2}; })()",
    )
    text = _hover(browser, x, y)
    assert "Chad Stahelski —worked with— Len Wiseman" in text
    assert "Ballerina: Here's What We Know About the John Wick Spin-Off (2024-01-03, stated; chars 4342-4462" in text
    # A node's hover: its class, id and key facts.
    x, y = _point(browser, "net.getPositions(['wgd:ballerina'])['wgd:ballerina']")
    text = _hover(browser, x, y)
    assert text.startswith("Ballerinafilm · wgd:ballerina") and "release date: 2025-06-06" in text
    browser.move_mouse(x, y)
    browser.wait_for("!document.getElementById('wg-tooltip').hidden", timeout=10)
    browser.screenshot(ARTIFACTS / "viz-focus.png")


def test_filters_and_search(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "ballerina.html"
    part = neighbourhood(exported, "Ballerina", 1)
    write_html(part, path)
    state = _load(browser, path)
    data = browser.evaluate("window.wickgraph.data")
    people = sum(1 for n in data["nodes"] if n["kind"] == "wg:Person")
    browser.evaluate("window.wickgraph.hideKind('wg:Person', true)")
    assert browser.evaluate("window.wickgraph.drawn().nodes") == state["counts"]["nodes"] - people
    assert browser.evaluate("document.querySelector('input[data-kind=\"wg:Person\"]') !== null")
    browser.evaluate("window.wickgraph.hideKind('wg:Person', false)")
    # Only what the 2024 article says: its edges, and the nodes they join.
    browser.evaluate("window.wickgraph.filterSources(['wgs:cinemark-2024'])")
    article = [e for e in data["edges"] if "wgs:cinemark-2024" in e["sources"]]
    ends = {e["from"] for e in article} | {e["to"] for e in article}
    assert browser.evaluate("window.wickgraph.drawn()") == {"nodes": len(ends), "edges": len(article)}
    browser.evaluate("window.wickgraph.filterSources(null)")
    assert browser.evaluate("window.wickgraph.drawn()") == state["counts"]
    # The search box finds a node by part of its label, selects it and centres on it.
    assert browser.evaluate("window.wickgraph.search('keanu')") == "wgd:keanu-reeves"
    assert browser.evaluate("window.wickgraph.network.getSelectedNodes()") == ["wgd:keanu-reeves"]
    assert browser.evaluate("window.wickgraph.search('Nobody Atall')") is None
    assert (
        browser.evaluate("document.getElementById('wg-search-message').textContent")
        == "No node matches \u201cNobody Atall\u201d."
    )
    assert browser.console_errors() == []


def test_hostile_labels_execute_nothing(browser: Chromium, tmp_path: Path) -> None:
    hostile = ["<script>window.__pwned = 1</script>", '<img src=x onerror="window.__pwned = 2">']
    graph = hostile_graph(hostile[0], hostile[1], hostile[1], key="wg:castIn", second_kind="wg:Film")
    path = tmp_path / "hostile.html"
    write_html(graph, path, title=hostile[1])
    _load(browser, path)
    x, y = _point(browser, "net.getPositions(['wgd:x'])['wgd:x']")
    text = _hover(browser, x, y)
    assert text.startswith(hostile[0]) and hostile[1] in text  # shown as text
    browser.evaluate("window.wickgraph.search('script')")
    assert browser.evaluate("document.getElementById('wg-details').textContent").startswith(hostile[0])
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert (
        browser.evaluate(
            "document.querySelectorAll('img, #wg-panel script, #wg-tooltip *:not(div):not(ul):not(li)').length"
        )
        == 0
    )
    assert browser.evaluate("document.title") == hostile[1]
    assert browser.evaluate(
        "Array.from(document.querySelectorAll('#wg-legend .wg-name, #wg-sources .wg-name')).map(function(e){return e.textContent;})"
    ) == [
        "film",
        "person",
        hostile[0],
    ]
    assert browser.requests() == [path.resolve().as_uri()]  # the would-be image was never fetched


def test_story_view(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    written = write_html(exported, path, story=True)
    state = _load(browser, path)
    _offline(browser, path)
    assert state["drawn"] == {"nodes": written.nodes, "edges": written.edges}
    xs = browser.evaluate(
        "(function(){ var p = window.wickgraph.network.getPositions(); return ['wgd:the-continental', 'wgd:john-wick', 'wgd:ballerina', 'wgd:john-wick-chapter-4']"
        ".map(function(w){ return p['story:' + w].x; }); })()"
    )
    assert xs == sorted(xs)
    browser.screenshot(ARTIFACTS / "viz-story.png")


def test_notebook_iframe_renders(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    host = tmp_path / "notebook.html"
    host.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>notebook</title></head><body>"
        + notebook_html(neighbourhood(exported, "Len Wiseman"), height=500)
        + "</body></html>",
        encoding="utf-8",
    )
    browser.open(host)
    browser.wait_for("document.querySelector('iframe') !== null")
    # A sandboxed iframe (scripts allowed, nothing else) runs in a process of its own: a session of its own.
    (frame,) = browser.iframe_sessions()
    browser.wait_for(STABLE, timeout=120, session=frame)
    assert browser.evaluate("document.referrer === '' && window.origin", session=frame) == "null"  # opaque origin
    counts = browser.evaluate("JSON.stringify([window.wickgraph.counts, window.wickgraph.drawn()])", session=frame)
    first, second = __import__("json").loads(counts)
    assert first == second and first["nodes"] >= 3
    assert browser.console_errors() == []
    assert browser.requests() == [host.resolve().as_uri()]


# What a reader sees at the default fit, measured on the canvas: every text the view draws is recorded with its
# on-screen font size and box (fillText wrapped for one synchronous redraw).
_DRAWN_TEXT = """(function(){
  var rec = [], proto = CanvasRenderingContext2D.prototype, orig = proto.fillText, dpr = window.devicePixelRatio || 1;
  proto.fillText = function (t, x, y) {
    var m = this.getTransform(), px = parseFloat(/([\\d.]+)px/.exec(this.font)[1]), w = this.measureText(t).width;
    var sx = m.a / dpr, X = (m.a * x + m.e) / dpr, Y = (m.d * y + m.f) / dpr, W = w * sx;
    var left = this.textAlign === "center" ? X - W / 2 : this.textAlign === "right" || this.textAlign === "end" ? X - W : X;
    rec.push({ t: String(t), px: px * sx, l: left, r: left + W, top: Y - px * sx / 2, bottom: Y + px * sx / 2 });
    return orig.apply(this, arguments);
  };
  try { window.wickgraph.network.redraw(); } finally { proto.fillText = orig; }
  return JSON.parse(JSON.stringify(rec));
})()"""


def _drawn_text(browser: Chromium) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The node labels and the edge labels drawn on the canvas, each with its on-screen size and box."""
    texts: list[dict[str, Any]] = browser.evaluate(_DRAWN_TEXT)
    data = browser.evaluate("window.wickgraph.data")
    node_labels = {line for n in data["nodes"] for line in str(n["label"]).split("\n")}
    edge_labels = {e["label"] for e in data["edges"]} - node_labels
    return [t for t in texts if t["t"] in node_labels], [t for t in texts if t["t"] in edge_labels]


def _overlapping(boxes: list[dict[str, Any]]) -> int:
    return sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["l"] < b["r"] and b["l"] < a["r"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    )


def test_whole_graph_labels_are_legible(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Before: every label drawn at ~4.7 px at the default fit (117 nodes fitted at scale 0.36)."""
    path = tmp_path / "full.html"
    write_html(exported, path)
    _load(browser, path)
    nodes, _ = _drawn_text(browser)
    assert len(nodes) >= 40  # the hubs and whatever else has room ...
    assert min(t["px"] for t in nodes) >= 11.5  # ... at a legible size on screen
    assert _overlapping(nodes) <= 2  # thinned so that labels do not sit on each other (measured: 0)
    films = browser.evaluate(
        "window.wickgraph.data.nodes.filter(function(n){ return n.kind === 'wg:Film'; }).map(function(n){ return n.label; })"
    )
    labelled_films = set(films) & {t["t"] for t in nodes}
    assert len(labelled_films) >= 0.8 * len(films)  # the films come first (measured: 9 of 10)
    # A label left out is still one hover away: the tooltip names the node.
    labelled = browser.evaluate("Object.keys(window.wickgraph.labelled.nodes)")
    hidden = [n for n in browser.evaluate("window.wickgraph.data.nodes") if n["id"] not in labelled]
    assert hidden and all(n["tip"][0] == n["label"] for n in hidden)
    browser.screenshot(ARTIFACTS / "viz-full-legible.png")


def test_focus_view_edge_labels_do_not_pile_up(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Before: 89 edge labels drawn around Ballerina, 27 pairs of them overlapping."""
    path = tmp_path / "ballerina.html"
    write_html(neighbourhood(exported, "Ballerina", 1), path)
    state = _load(browser, path)
    assert state["drawn"] == state["counts"]
    nodes, edge_texts = _drawn_text(browser)
    # How many edge labels have room depends on the final zoom, which moves a little from run to run (27-37 here
    # on a quiet machine, 19 once under load): the guarantee is that many are shown and none overlaps another.
    assert len(edge_texts) >= 10 and _overlapping(edge_texts) == 0
    assert _overlapping(nodes + edge_texts) <= 3  # measured: 0
    assert min(t["px"] for t in nodes + edge_texts) >= 10
    # Hovering an edge whose label was left out shows the label and the tooltip; leaving it hides the label.
    # The unlabelled edge farthest from every node and every other edge's middle, so that the pointer finds it.
    chosen = browser.evaluate(
        "(function(){ var w = window.wickgraph, net = w.network, l = w.labelled.edges, pos = net.getPositions();"
        " var mids = w.data.edges.map(function(e){ return [e.id, net.body.edges[e.id].edgeType.getPoint(0.5)]; });"
        " var best = null, far = -1;"
        " mids.forEach(function(m){ if (m[0] in l) return; var d = 1e9;"
        "  Object.keys(pos).forEach(function(n){ var b = net.getBoundingBox(n);"
        "   var dx = Math.max(b.left - m[1].x, 0, m[1].x - b.right), dy = Math.max(b.top - m[1].y, 0, m[1].y - b.bottom);"
        "   d = Math.min(d, Math.hypot(dx, dy)); });"
        "  mids.forEach(function(o){ if (o[0] !== m[0]) d = Math.min(d, Math.hypot(o[1].x - m[1].x, o[1].y - m[1].y)); });"
        "  if (d > far) { far = d; best = m[0]; } });"
        " return best; })()"
    )
    assert chosen is not None
    edge = f"window.wickgraph.data.edges.filter(function(e){{ return e.id === {chosen!r}; }})[0]"
    x, y = _point(browser, f"(function(){{ var e = {edge}; return net.body.edges[e.id].edgeType.getPoint(0.5); }})()")
    browser.move_mouse(x - 8, y - 8)
    browser.move_mouse(x, y)
    browser.wait_for("!document.getElementById('wg-tooltip').hidden", timeout=10)
    assert browser.evaluate("document.getElementById('wg-tooltip').textContent").startswith(
        browser.evaluate(f"{edge}.tip[0]")
    )
    hovered = browser.evaluate(f"window.wickgraph.network.body.edges[{chosen!r}].options.label")
    assert hovered == browser.evaluate(f"{edge}.label")
    browser.screenshot(ARTIFACTS / "viz-focus-ballerina.png")
    corner = browser.evaluate(
        "(function(){ var b = document.getElementById('wg-graph').getBoundingClientRect(); return [b.left + 4, b.top + 4]; })()"
    )
    browser.move_mouse(float(corner[0]), float(corner[1]))
    browser.wait_for("document.getElementById('wg-tooltip').hidden", timeout=10)
    assert browser.evaluate(f"window.wickgraph.network.body.edges[{chosen!r}].options.label").strip() == ""


def test_story_view_boxes_keep_a_margin(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Before: the last box of story order touched the right edge of the drawing area."""
    path = tmp_path / "story.html"
    write_html(exported, path, story=True)
    _load(browser, path)
    for width, height in ((1280, 800), (900, 600)):
        browser.send(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
        )
        # The network follows its container's new size on its own, a moment later; then fit as the button does.
        browser.wait_for(
            "(function(){ var c = window.wickgraph.network.canvas.frame.canvas;"
            f" return window.innerWidth === {width} && Math.abs(c.clientWidth -"
            " document.getElementById('wg-graph').clientWidth) < 1; })()",
            timeout=10,
        )
        browser.evaluate("window.wickgraph.fit()")
        margin = browser.evaluate(
            "(function(){ var net = window.wickgraph.network, box = document.getElementById('wg-graph').getBoundingClientRect(), m = 1e9;"
            " net.body.nodeIndices.forEach(function(id){ var bb = net.getBoundingBox(id);"
            " var a = net.canvasToDOM({x: bb.left, y: bb.top}), b = net.canvasToDOM({x: bb.right, y: bb.bottom});"
            " m = Math.min(m, a.x, a.y, box.width - b.x, box.height - b.y); }); return m; })()"
        )
        assert margin >= 12, (width, margin)
    browser.send("Emulation.clearDeviceMetricsOverride")


def test_tooltip_shows_no_internal_field(browser: Chromium, exported: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "focus.html"
    write_html(neighbourhood(exported, "Len Wiseman", 1), path)
    _load(browser, path)
    x, y = _point(browser, "net.getPositions(['wgd:len-wiseman'])['wgd:len-wiseman']")
    text = _hover(browser, x, y)
    assert text.startswith("Len Wiseman") and "also called: Wiseman" in text
    assert "name key" not in text and "len wiseman" not in text  # the lower-case lookup key is not shown
