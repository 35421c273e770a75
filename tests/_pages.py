"""Checks on HTML pages: external references, the page inside an ``<iframe srcdoc>``; and the browser tests' guard
(chromium present, or the test skips or fails)."""

from __future__ import annotations

import html
import os
import re

import pytest

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
