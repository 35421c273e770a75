"""Checks on HTML a notebook shows: external references, and the page inside an ``<iframe srcdoc>``."""

from __future__ import annotations

import html
import re

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
