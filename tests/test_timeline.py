"""The timeline view: every dated release event of a film on the axis, in date order, with its sources; hostile
labels escaped; nothing loaded from anywhere; the same view in the server (framed by the query page) and in a
headless chromium with the network shut, where the sources show on hover. Screenshot: test-artifacts/page-timeline.png.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import wickgraph
from _server import ServerProcess, serving
from wickgraph.graph import KnowledgeGraph
from wickgraph.terms import value
from wickgraph.testing.chromium import Chromium
from wickgraph.viz import HtmlView, timeline_html
from wickgraph.viz.timeline import Mark, Source, render_timeline, timeline_data

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DATED = """SELECT DISTINCT ?date WHERE {
  ?event wg:releaseOf wgd:ballerina . GRAPH ?claim { ?event wg:date ?date } } ORDER BY ?date"""


@pytest.fixture(scope="module")
def kg(built_store: Path) -> KnowledgeGraph:
    return wickgraph.open_graph(built_store)


def _dated(kg: KnowledgeGraph) -> list[str]:
    return [value(row, "date") for row in kg.select(DATED)]


def test_every_dated_release_of_ballerina_is_a_mark_in_date_order(kg: KnowledgeGraph) -> None:
    marks, story = timeline_data(kg, film="Ballerina")
    dated = _dated(kg)
    assert len(dated) >= 3  # the planned 2024 date, the premiere, the theatrical release
    assert sorted({m.date.isoformat() for m in marks if m.date}) == dated
    starts = [m.start for m in marks if m.start]
    assert starts == sorted(starts)
    assert all(m.work == "Ballerina" and m.sources for m in marks)
    # The theatrical release: planned by two sources before it happened, released per a third.
    release = next(m for m in marks if m.date == dt.date(2025, 6, 6))
    assert release.status == "released" and len(release.sources) >= 3
    # Story order: every work of the franchise, positions 1..n.
    assert [w.position for w in story] == list(range(1, len(story) + 1))
    assert "Ballerina" in {w.label for w in story}


def test_the_view_is_offline_and_escapes_what_it_shows(kg: KnowledgeGraph) -> None:
    view = timeline_html(kg, film="Ballerina")
    assert isinstance(view, HtmlView)
    page = view.html
    assert "<script" not in page and not re.search(r"""(src|href)\s*=""", page)  # nothing to load
    assert "<iframe srcdoc=" in view._repr_html_()
    hostile = "<img src=x onerror=alert(1)>"
    mark = Mark(
        hostile,
        "wgd:x",
        hostile,
        "",
        "released",
        dt.date(2025, 1, 1),
        None,
        None,
        "",
        [Source(hostile, "2025-01-02", "stated", True)],
    )
    page = render_timeline([mark], [], title=hostile)
    assert (
        hostile not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") == 5
    )  # title, heading, label, tip, source


def test_an_unknown_film_says_what_and_gives_candidates(kg: KnowledgeGraph) -> None:
    with pytest.raises(wickgraph.errors.EntityNotFoundError) as raised:
        timeline_html(kg, film="No Such Film At All")
    assert "No Such Film At All" in str(raised.value)


def test_as_of_a_date_only_what_was_known_then_is_drawn(kg: KnowledgeGraph) -> None:
    before, _ = timeline_data(kg, film="Ballerina", as_of="2024-01-03")
    after, _ = timeline_data(kg, film="Ballerina")
    assert {m.iri for m in before} < {m.iri for m in after}
    assert all(s.claim_date <= "2024-01-03" for m in before for s in m.sources)


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    yield from serving(built_store, "--workers", "2")


def test_the_timeline_draws_ballerinas_releases_in_order_with_sources_on_hover(
    server: ServerProcess, browser: Chromium, kg: KnowledgeGraph
) -> None:
    browser.open(server.url + "/timeline?film=Ballerina")
    marks = browser.wait_for(
        "(() => { const m = [...document.querySelectorAll('.mark')]; return m.length ? m.map(x => "
        "({ date: x.dataset.date, x: x.getBoundingClientRect().left })) : null; })()"
    )
    dated = _dated(kg)
    assert set(dated) <= {m["date"] for m in marks}
    xs = [m["x"] for m in marks]
    assert [m["date"] for m in marks] == sorted(m["date"] for m in marks) and xs == sorted(xs)
    assert len(set(xs)) == len(xs)  # no two marks drawn at one place
    # Nothing shows the sources until the pointer is over a mark; then its sources show.
    tip = "document.querySelector('.mark[data-date=\"2025-06-06\"] .tip')"
    assert browser.evaluate(f"getComputedStyle({tip}).display") == "none"
    x, y = browser.evaluate(
        "(() => { const r = document.querySelector('.mark[data-date=\"2025-06-06\"] .dot').getBoundingClientRect();"
        " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    browser.move_mouse(x, y)
    assert browser.wait_for(f"getComputedStyle({tip}).display === 'block'")
    text = browser.evaluate(f"{tip}.textContent")
    assert "Wikipedia" in text and "released" in text and "planned" in text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "page-timeline.png")
    assert browser.blocked == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in browser.fetched)


def test_the_query_page_shows_the_timeline_of_the_named_querys_film(server: ServerProcess, browser: Chromium) -> None:
    browser.open(server.url + "/?named=release-history&film=Ballerina")
    browser.wait_for("/rows? in/.test(document.getElementById('status').textContent)")
    browser.click("#tab-timeline")
    src = browser.wait_for("document.getElementById('timeline-view').getAttribute('src')")
    assert src == "/timeline?film=Ballerina"
    assert browser.evaluate("document.getElementById('result-table').hidden")
    assert browser.blocked == []
