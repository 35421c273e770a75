"""The query page's editor and its shareable state, in a real headless chromium with the network shut.

A query is typed with completions picked from the editor's list (an entity by its label, a property by its
prefixed name), run with Ctrl+Enter, and its URL opened again to show the same table; a named query opens as a
form with one field per parameter; the "copy as curl" and "copy as Python" texts are run for real against the
test server and must answer what the page shows. Screenshots go to test-artifacts/ (page-query.png,
page-card.png).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from _server import ServerProcess, serving
from wickgraph.testing.chromium import Chromium

pytest.importorskip("websocket", reason="websocket-client is a development dependency")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TABLE = (
    "(() => [...document.querySelectorAll('#results tbody tr')].map(tr => [...tr.cells].map(td =>"
    " (td.querySelector('a, .label-text') || td).firstChild ? (td.querySelector('a, .label-text') || td)"
    ".firstChild.textContent : '')))()"
)


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    yield from serving(built_store, "--workers", "2")


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.status, answer.headers.get("Content-Type", ""), answer.read()


def _ready(browser: Chromium, url: str) -> None:
    browser.open(url)
    browser.wait_for("window.wickEditor && document.querySelectorAll('#query-list button').length > 0")


def _pick(browser: Chromium, typed: str, option: str) -> None:
    """Type ``typed`` at the end of the editor, wait for ``option`` in the completion list and click it."""
    browser.evaluate(
        "(() => { const v = wickEditor.view; v.focus(); v.dispatch({ selection: { anchor: v.state.doc.length } }); })()"
    )
    browser.type_text(typed)
    found = browser.wait_for(
        "(() => [...document.querySelectorAll('.cm-tooltip-autocomplete li')]"
        f".findIndex(li => li.querySelector('.cm-completionLabel').textContent === {json.dumps(option)}) + 1)()"
    )
    browser.click(f".cm-tooltip-autocomplete li:nth-child({found})")


def _ctrl_enter(browser: Chromium) -> None:
    for kind in ("keyDown", "keyUp"):
        browser.send(
            "Input.dispatchKeyEvent",
            type=kind,
            key="Enter",
            code="Enter",
            windowsVirtualKeyCode=13,
            nativeVirtualKeyCode=13,
            modifiers=2,  # Ctrl
        )


def _rows(browser: Chromium, status: str = "/rows? in/") -> list[list[str]]:
    browser.wait_for(f"{status}.test(document.getElementById('status').textContent)")
    rows: list[list[str]] = browser.evaluate(TABLE)
    return rows


def test_the_server_serves_an_icon_and_the_terms_the_editor_completes(server: ServerProcess) -> None:
    status, kind, body = _get(server.url + "/favicon.ico")
    assert status == 200 and kind == "image/svg+xml" and body.startswith(b"<svg")
    status, kind, body = _get(server.url + "/terms")
    terms: list[dict[str, str]] = json.loads(body)
    labels = {t["label"]: t for t in terms}
    assert labels["wg:"]["type"] == "namespace" and labels["wgd:"]["detail"] == "https://w3id.org/wickgraph/id/"
    assert labels["wg:Film"]["type"] == "class"
    assert labels["wg:director"]["type"] == "property"
    assert labels["wgd:ballerina"]["type"] == "entity"
    assert labels["Ballerina"]["apply"] == "wgd:ballerina"  # the label completes to the name a query writes
    assert len(labels) == len(terms)  # each offered once


def test_the_page_keeps_a_strict_policy_and_loads_only_its_own_files(server: ServerProcess) -> None:
    with urllib.request.urlopen(server.url + "/", timeout=60) as answer:
        policy = answer.headers["Content-Security-Policy"]
        page = answer.read().decode()
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert "/static/vendor/editor.js" in page
    status, kind, body = _get(server.url + "/static/vendor/editor.js")
    assert status == 200 and kind.startswith("text/javascript") and b"WickEditor" in body
    assert b"eval(" not in body and b"new Function" not in body
    # No other vendored file can be read through /static/ (the licences are in the package, not served).
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(server.url + "/static/vendor/../app.py")
    assert refused.value.code == 404
    refused.value.close()


def test_type_with_completions_run_with_ctrl_enter_and_share_the_url(server: ServerProcess, browser: Chromium) -> None:
    _ready(browser, server.url + "/")
    browser.wait_for("document.querySelectorAll('.cm-content').length")
    browser.evaluate("wickEditor.setValue('SELECT ?d WHERE { ')")
    _pick(browser, "Balleri", "Ballerina")  # an entity by its label
    _pick(browser, " wg:direc", "wg:director")  # a property by its prefixed name
    browser.type_text(" ?d }")
    assert browser.evaluate("wickEditor.getValue()") == "SELECT ?d WHERE { wgd:ballerina wg:director ?d }"
    _ctrl_enter(browser)
    rows = _rows(browser)
    assert rows == [["Len Wiseman"]]
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "page-query.png")
    shared = browser.evaluate("location.href")
    assert urlsplit(shared).query.startswith("query=")
    # The query went into this browser's history.
    assert "wgd:ballerina wg:director" in browser.evaluate("JSON.parse(localStorage.getItem('wickgraph.history'))[0]")
    # The shared link, in a fresh page, shows the same query and the same answer.
    browser.open(server.url + "/card?name=Ballerina")  # elsewhere first, then the link
    _ready(browser, shared)
    assert browser.evaluate("wickEditor.getValue()") == "SELECT ?d WHERE { wgd:ballerina wg:director ?d }"
    assert _rows(browser) == rows
    assert browser.blocked == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in browser.fetched)


def _run_copied(browser: Chromium, button: str) -> str:
    browser.evaluate("document.getElementById('copied').value = ''")
    browser.click(button)
    text: str = browser.wait_for("document.getElementById('copied').value")
    return text


def _values(result: dict[str, Any]) -> list[list[str]]:
    head = result["head"]["vars"]
    return [[row[v]["value"] for v in head if v in row] for row in result["results"]["bindings"]]


def test_a_named_query_opens_as_a_form_and_its_copies_run(server: ServerProcess, browser: Chromium) -> None:
    _ready(browser, server.url + "/?named=director&film=" + quote("John Wick: Chapter 2"))
    fields = browser.evaluate("[...document.querySelectorAll('#named-fields input')].map(i => [i.name, i.value])")
    assert fields == [["film", "John Wick: Chapter 2"]]  # a field, not an IRI pasted into the text
    assert browser.evaluate("document.getElementById('editor-box').hidden")
    rows = _rows(browser)
    assert [row[0] for row in rows] == ["Chad Stahelski"], rows
    # Change the field: the URL follows, and Run answers for the new value.
    browser.evaluate(
        "(() => { const i = document.querySelector('#param-film'); i.value = 'Ballerina';"
        " i.dispatchEvent(new Event('input')); document.getElementById('status').textContent = ''; })()"
    )
    assert "film=Ballerina" in browser.evaluate("location.search")
    browser.click("#run")
    rows = _rows(browser)
    assert [row[0] for row in rows] == ["Len Wiseman"], rows
    curl = _run_copied(browser, "#copy-curl")
    assert curl.startswith("curl ") and "/queries/director" in curl
    answer = subprocess.run(["sh", "-c", curl], capture_output=True, text=True, timeout=60, check=True)
    assert [row[0] for row in _values(json.loads(answer.stdout))] == ["Len Wiseman"]
    python = _run_copied(browser, "#copy-python")
    printed = subprocess.run([sys.executable, "-c", python], capture_output=True, text=True, timeout=60, check=True)
    assert "'directorLabel': 'Len Wiseman'" in printed.stdout, printed.stdout
    assert "Chad Stahelski" not in printed.stdout and "wickgraph.open_graph(endpoint=" in python
    assert browser.blocked == []


def test_copies_of_a_free_query_survive_quotes_and_run(server: ServerProcess, browser: Chromium) -> None:
    pytest.importorskip("SPARQLWrapper")
    query = 'SELECT ?l WHERE {\n  wgd:ballerina rdfs:label ?l\n  FILTER(?l != "it\'s \\"quoted\\"")\n}'
    _ready(browser, server.url + "/?query=" + quote(query) + "&as-of=2024-01-01")
    assert browser.evaluate("wickEditor.getValue()") == query
    assert _rows(browser) == [["Ballerina"]]
    curl = _run_copied(browser, "#copy-curl")
    assert "as-of=2024-01-01" in curl
    answer = subprocess.run(["sh", "-c", curl], capture_output=True, text=True, timeout=60, check=True)
    assert _values(json.loads(answer.stdout)) == [["Ballerina"]]
    python = _run_copied(browser, "#copy-python")
    assert "SPARQLWrapper" in python
    printed = subprocess.run([sys.executable, "-c", python], capture_output=True, text=True, timeout=60, check=True)
    assert "'value': 'Ballerina'" in printed.stdout
    assert browser.blocked == []


def test_dates_do_not_wrap_in_the_table(server: ServerProcess, browser: Chromium) -> None:
    query = "SELECT ?film ?date WHERE { ?film schema:datePublished ?date } ORDER BY ?date"
    _ready(browser, server.url + "/?query=" + quote(query))
    rows = _rows(browser)
    assert rows and all(len(row) == 2 for row in rows)
    styles = browser.evaluate(
        "[...document.querySelectorAll('#results tbody td.typed')].map(td => getComputedStyle(td).whiteSpace)"
    )
    assert styles and set(styles) == {"nowrap"}


def test_the_card_lists_each_value_once_with_its_sources_under_it(server: ServerProcess, browser: Chromium) -> None:
    browser.open(server.url + "/card?name=" + quote("Ana de Armas"))
    browser.wait_for("(document.querySelector('#card h2') || {}).textContent")
    groups = browser.evaluate(
        "[...document.querySelectorAll('#card ul.values')].map(ul => [...ul.children].map(li =>"
        " [li.firstChild.textContent, li.querySelectorAll('ul.sources > li').length]))"
    )
    assert groups
    for group in groups:
        values = [value for value, _ in group]
        assert len(values) == len(set(values)), group  # one bullet per value
        assert all(count >= 1 for _, count in group)
    assert any(count >= 2 for group in groups for _, count in group)  # several sources under one value
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "page-card.png")
    assert browser.blocked == []


def test_a_numeric_column_draws_as_bars(server: ServerProcess, browser: Chromium) -> None:
    query = (
        "SELECT ?film (COUNT(DISTINCT ?perf) AS ?performances) WHERE { ?perf wg:work ?film } "
        "GROUP BY ?film ORDER BY DESC(?performances) ?film"
    )
    _ready(browser, server.url + "/?query=" + quote(query))
    rows = _rows(browser)
    assert not browser.evaluate("document.getElementById('tab-chart').hidden")
    browser.click("#tab-chart")
    bars = browser.evaluate(
        "[...document.querySelectorAll('#chart-view .bar-row')].map(r => [r.querySelector('.bar-label').textContent,"
        " Number(r.querySelector('.bar-value').textContent), r.querySelector('.bar').getBoundingClientRect().width])"
    )
    assert [label for label, _, _ in bars] == [row[0] for row in rows]  # labels, not IRIs
    assert [n for _, n, _ in bars] == [int(row[1]) for row in rows]
    widths = [w for _, _, w in bars]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0  # longest for the largest
    # A table with no numeric column offers no chart.
    browser.evaluate("wickEditor.setValue('SELECT ?l WHERE { wgd:ballerina rdfs:label ?l }')")
    browser.evaluate("document.getElementById('status').textContent = ''")
    browser.click("#run")
    _rows(browser)
    assert browser.evaluate("document.getElementById('tab-chart').hidden")


def test_a_hostile_link_is_shown_as_text_not_run(server: ServerProcess, browser: Chromium) -> None:
    markup = "<img src=/pwned onerror=\"document.title='ran'\">"
    query = f'SELECT ?x WHERE {{ ?x rdfs:label "{markup}" }}'
    _ready(browser, server.url + "/?query=" + quote(query) + "&as-of=" + quote("<b>2024</b>"))
    assert browser.evaluate("wickEditor.getValue()") == query
    browser.wait_for("document.getElementById('status').textContent !== 'running…'")
    browser.drain(0.5)
    assert browser.evaluate("document.title") == "wickgraph: ask the graph"
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert not any(url.endswith("/pwned") for url in browser.fetched)
    # A named query that does not exist, and a parameter full of markup: said, not run.
    _ready(browser, server.url + "/?named=" + quote("<i>nope</i>"))
    message = browser.wait_for(
        "!document.getElementById('error').hidden && document.getElementById('error').textContent"
    )
    assert "<i>nope</i>" in message and browser.evaluate("document.querySelectorAll('#error i').length") == 0
    _ready(browser, server.url + "/?named=director&film=" + quote(markup))
    assert browser.evaluate("document.querySelector('#param-film').value") == markup
    browser.wait_for("document.getElementById('status').textContent !== 'running…'")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.blocked == []
