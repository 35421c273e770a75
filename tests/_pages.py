"""Checks on HTML pages: external references, the page inside an ``<iframe srcdoc>``; and the browser tests' guard
(chromium present, or the test skips or fails)."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import networkx as nx

    from wickgraph.testing.chromium import Chromium

# An external reference: a script, stylesheet, image or import fetched from http(s) or a protocol-relative URL.
_EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""",
    re.I,
)


def external_references(page: str) -> list[str]:
    return _EXTERNAL.findall(page)


def srcdoc(frame: str) -> str:
    """The page inside an ``<iframe srcdoc="…">``, unescaped."""
    found = re.fullmatch(r'<iframe srcdoc="([^"]*)"[^>]*></iframe>', frame)
    assert found is not None, frame[:200]
    return html.unescape(found.group(1))


def require_chromium() -> None:
    """Skip the test without chromium; fail instead when the run requires a browser (``WICKGRAPH_REQUIRE_BROWSER``,
    or ``CI``)."""
    from wickgraph.testing.chromium import find_chromium

    if find_chromium() is None:
        message = "chromium is not installed (apt-get install chromium; .ci/run installs it)"
        if os.environ.get("WICKGRAPH_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message + "; this run requires it")
        pytest.skip(message)


def headless(**options: Any) -> Iterator[Chromium]:
    """A headless chromium for a fixture to ``yield from`` (after ``require_chromium``), closed when it is done;
    ``options`` go to ``Chromium`` (``allow_hosts``, ``width``, ``height``)."""
    from wickgraph.testing.chromium import Chromium

    require_chromium()
    with Chromium(**options) as chromium:
        yield chromium


def hostile_graph(first: str, second: str, edge_label: str, *, key: str, second_kind: str) -> nx.MultiDiGraph:
    """Two nodes and an edge whose every shown text is hostile: node ``wgd:x`` labelled ``first`` (with a remark
    ``second``), node ``wgd:y`` labelled ``second`` of kind ``second_kind``, and an edge ``key`` labelled
    ``edge_label`` whose one claim's source is titled ``first``."""
    import networkx as nx

    graph = nx.MultiDiGraph(name="hostile")
    graph.add_node("wgd:x", label=first, kind="wg:Person", **{"wg:remark": [second]})
    graph.add_node("wgd:y", label=second, kind=second_kind)
    graph.add_edge(
        "wgd:x",
        "wgd:y",
        key=key,
        label=edge_label,
        claims=["wgc:s/1"],
        sources=["wgs:s"],
        source_titles=[first],
        dates=["2024-01-03"],
        certainties=["stated"],
        spans=[""],
        current=[True],
    )
    return graph
