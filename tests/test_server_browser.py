"""The query page in a real headless chromium, driven over the Chrome DevTools Protocol, with the network shut.

Every request the page makes passes through the DevTools `Fetch` domain: requests to the server on 127.0.0.1
go on, anything else is failed and recorded (and a dead proxy and a host resolver that resolves nothing are
there behind it). The test types a query into the editor, clicks Run, reads the result table, follows an
entity link to its card, and checks that nothing tried to leave 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from _server import ServerProcess, serving
from wickgraph.testing.chromium import Chromium

pytest.importorskip("websocket", reason="websocket-client is a development dependency")

QUERY = "SELECT ?actor ?character WHERE {\n  ?actor wg:plays ?character .\n}\nORDER BY ?actor ?character"


@pytest.fixture()
def server(built_store: Path) -> Iterator[ServerProcess]:
    yield from serving(built_store, "--workers", "2")


def test_type_a_query_run_it_and_read_the_table(server: ServerProcess, browser: Chromium) -> None:
    browser.open(server.url + "/")
    # The named queries arrive as examples.
    names = browser.wait_for(
        "(() => { const b = [...document.querySelectorAll('#query-list button')];"
        " return b.length ? b.map(x => x.dataset.name) : null; })()"
    )
    assert "who-plays" in names and "lead-of" in names
    # Type the query into the editor, as a person would, and press Run.
    browser.evaluate("wickEditor.setValue('')")
    browser.click("#query .cm-content")
    browser.type_text(QUERY)
    assert browser.evaluate("wickEditor.getValue()") == QUERY
    browser.click("#run")
    browser.wait_for("/rows? in/.test(document.getElementById('status').textContent)")
    table = browser.evaluate(
        "(() => ({ head: [...document.querySelectorAll('#results th')].map(th => th.textContent),"
        " rows: [...document.querySelectorAll('#results tbody tr')].map(tr => [...tr.cells].map(td => ({"
        "   label: (td.querySelector('a, .label-text') || td).textContent,"
        "   iri: td.querySelector('.iri') ? td.querySelector('.iri').textContent : null,"
        "   href: td.querySelector('a') ? td.querySelector('a').getAttribute('href') : null })))}))()"
    )
    assert table["head"] == ["actor", "character"]
    pairs = {(row[0]["label"], row[1]["label"]) for row in table["rows"]}
    assert ("Ana de Armas", "Eve Macarro") in pairs
    ana = next(row[0] for row in table["rows"] if row[0]["label"] == "Ana de Armas")
    assert ana["iri"] == "wgd:ana-de-armas"  # the label, with the IRI beside it
    assert ana["href"] == "/card?name=https%3A%2F%2Fw3id.org%2Fwickgraph%2Fid%2Fana-de-armas"
    # The entity link leads to its card.
    browser.open(server.url + ana["href"])
    heading = browser.wait_for("(document.querySelector('#card h2') || {}).textContent")
    assert heading == "Ana de Armas"
    assert browser.evaluate("document.body.textContent.includes('Eve Macarro')")
    # Everything the pages asked for came from the server; nothing tried to go elsewhere.
    assert any(url.endswith("/static/app.js") for url in browser.fetched)
    assert browser.blocked == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in browser.fetched)


def test_a_construct_query_shows_its_triples(server: ServerProcess, browser: Chromium) -> None:
    browser.open(server.url + "/")
    browser.wait_for("document.querySelectorAll('#query-list button').length")
    browser.evaluate(
        "wickEditor.setValue("
        + json.dumps("CONSTRUCT { wgd:ballerina wg:director ?d } WHERE { wgd:ballerina wg:director ?d }")
        + ")"
    )
    browser.click("#run")
    browser.wait_for("/triples in/.test(document.getElementById('status').textContent)")
    rows = browser.evaluate(
        "[...document.querySelectorAll('#results tbody tr')].map(tr => [...tr.cells].map(td =>"
        " (td.querySelector('a, .label-text') || td).textContent))"
    )
    assert browser.evaluate("[...document.querySelectorAll('#results th')].map(th => th.textContent)") == [
        "subject",
        "predicate",
        "object",
    ]
    assert [row[0] for row in rows] == ["Ballerina"] and rows[0][2] == "Len Wiseman"
    assert browser.blocked == []


def test_a_bad_query_shows_the_parsers_message(server: ServerProcess, browser: Chromium) -> None:
    browser.open(server.url + "/")
    browser.wait_for("document.querySelectorAll('#query-list button').length")
    browser.evaluate("wickEditor.setValue('SELECT ?x WHERE { ?x')")
    browser.click("#run")
    message = browser.wait_for(
        "!document.getElementById('error').hidden && document.getElementById('error').textContent"
    )
    assert "SPARQL syntax error" in message and "1:" in message
    assert browser.blocked == []


def test_the_browser_cannot_reach_other_hosts(browser: Chromium) -> None:
    """The blocking the other tests rely on: a request to another host is stopped and recorded."""
    result = browser.send("Page.navigate", url="http://example.org/")
    assert result.get("errorText")  # the navigation failed
    assert [urlsplit(url).hostname for url in browser.blocked] == ["example.org"]


def _frame_targets(browser: Chromium) -> list[tuple[str, str]]:
    """Frames running out of process (targets of their own): the URL each was sent to, and its location and title."""
    frames = []
    for session in browser.iframe_sessions():
        info = browser.send("Target.getTargetInfo", targetId=browser.targets[session]["targetId"])["targetInfo"]
        frames.append((info["url"], browser.evaluate("location.href + ' | ' + document.title", session=session)))
    return frames


def test_the_graph_view_shows_in_the_page_and_no_other_site_can_frame_the_server(
    server: ServerProcess, browser: Chromium
) -> None:
    construct = "CONSTRUCT { wgd:ballerina wg:director ?d } WHERE { wgd:ballerina wg:director ?d }"
    browser.open(server.url + "/")
    browser.wait_for("document.querySelectorAll('#query-list button').length")
    browser.evaluate("wickEditor.setValue(" + json.dumps(construct) + ")")
    browser.click("#run")
    browser.wait_for("/triples in/.test(document.getElementById('status').textContent)")
    deadline = time.monotonic() + 60  # generous: Chromium on a loaded machine
    while not any(shown.endswith("| wickgraph: CONSTRUCT result") for _, shown in _frame_targets(browser)):
        assert time.monotonic() < deadline, f"the graph view never showed: {_frame_targets(browser)}"
        time.sleep(0.2)
    # The query page frames the graph view (frame-ancestors 'self'), and the view shows.
    [(url, shown)] = _frame_targets(browser)
    assert url.startswith(server.url + "/viz?query=CONSTRUCT") and shown.startswith(url)

    # Another site (another origin: the same address, another port) frames the pages, the graph view, and
    # /status (JSON, which may be framed: the control that shows framing works at all).
    pages = ["/", "/card?name=Ballerina", f"/viz?query={quote(construct)}"]
    html = "".join(f'<iframe src="{server.url}{path}"></iframe>' for path in [*pages, "/status"]).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        browser.send("Page.navigate", url=f"http://127.0.0.1:{other.server_address[1]}/")
        deadline = time.monotonic() + 60  # generous: Chromium on a loaded machine
        while True:  # answer the browser's requests as they come, until all four frames have settled
            browser.iframe_sessions()  # a frame in a process of its own starts paused: let it run
            children = [c["frame"] for c in browser.send("Page.getFrameTree")["frameTree"].get("childFrames", [])]
            if (len(children) == 4 and all(f["url"] for f in children)) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        other.shutdown()
        other.server_close()
    framed = {child.get("unreachableUrl") or child["url"]: child["url"] for child in children}
    assert framed == {
        **{server.url + path: "chrome-error://chromewebdata/" for path in pages},  # refused by the browser
        server.url + "/status": server.url + "/status",
    }, children


def test_a_card_marks_each_facts_status_in_the_browser(server: ServerProcess, browser: Chromium) -> None:
    # Chapter 4: Sunday estimate superseded, the two budgets disputed; Chapter 2: the editors' "set after" inferred.
    browser.open(server.url + "/card?name=" + quote("John Wick: Chapter 4"))
    browser.wait_for("(document.querySelector('#card h2') || {}).textContent")
    lines = browser.evaluate("[...document.querySelectorAll('#card .prov')].map(d => d.textContent)")
    assert any("411mania" in line and line.endswith("[superseded]") for line in lines)
    assert sum(line.endswith("[disputed]") for line in lines) >= 2
    classes = browser.evaluate("[...document.querySelectorAll('#card li.disputed')].length")
    assert classes >= 2
    browser.open(server.url + "/card?name=" + quote("John Wick: Chapter 2"))
    browser.wait_for("(document.querySelector('#card h2') || {}).textContent === 'John Wick: Chapter 2'")
    assert browser.evaluate(
        "[...document.querySelectorAll('#card .prov')].some(d => d.textContent.endsWith('[inferred]'))"
    )
    assert browser.blocked == []
