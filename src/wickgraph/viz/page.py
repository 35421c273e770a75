"""The one self-contained HTML page: data, vis-network (pyvis's bundled copy), our script and styles, all inline.

No ``src`` or ``href`` points anywhere; a Content-Security-Policy forbids every fetch and allows only the
page's own two scripts (by their SHA-256), so even text that slipped past escaping could not run. The graph's
data travel as JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from importlib import resources
from typing import Any

from ..errors import VizError
from .model import Model

__all__ = ["VIS_NETWORK_VERSION", "page", "vis_network_js"]

VIS_NETWORK_VERSION = "9.1.2"


@functools.cache
def vis_network_js() -> str:
    """vis-network's minified JavaScript, as pyvis ships it (``pyvis/lib/vis-9.1.2/vis-network.min.js``)."""
    try:
        text = (resources.files("pyvis") / "lib" / f"vis-{VIS_NETWORK_VERSION}" / "vis-network.min.js").read_text(
            encoding="utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - pyvis is a dependency
        raise VizError(
            f"pyvis's copy of vis-network {VIS_NETWORK_VERSION} is missing: reinstall pyvis ({exc})"
        ) from exc
    _check_inline(text, "vis-network.min.js")
    return text


@functools.cache
def _asset(name: str) -> str:
    text = (resources.files("wickgraph.viz") / "assets" / name).read_text(encoding="utf-8")
    _check_inline(text, name)
    return text


def _check_inline(text: str, name: str) -> None:
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered or "</style" in lowered:
        raise VizError(f"{name} cannot be inlined: it holds a sequence that would end its element early")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _csp(*scripts: str) -> str:
    """The Content-Security-Policy of an offline page: these inline scripts (by hash) and nothing fetched."""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(_sha256(script) for script in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _json_for_script(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
"""
"""The start of every offline page wickgraph writes: the document, its charset, viewport and CSP (a format
string with ``{csp}``); ``pyvis_network`` uses it too."""

_TEMPLATE = (
    _HEAD
    + """<meta name="generator" content="wickgraph {version}, vis-network {vis_version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<div id="wg-panel">
<h1 id="wg-title"></h1>
<p id="wg-subtitle"></p>
<ul id="wg-notes"></ul>
<input id="wg-search" type="search" list="wg-labels" placeholder="Find a node (Enter)" aria-label="Find a node" autocomplete="off">
<datalist id="wg-labels"></datalist>
<p id="wg-search-message" role="status"></p>
<button id="wg-fit" type="button">Fit to screen</button>
<p id="wg-shown"></p>
<h2>Classes</h2>
<div id="wg-legend"></div>
<section><h2>Sources</h2><div id="wg-sources"></div></section>
<h2>Selected</h2>
<div id="wg-details">Click a node or an edge; hover for its facts and sources.</div>
</div>
<div id="wg-graph"></div>
<div id="wg-tooltip" role="tooltip" hidden></div>
<script type="application/json" id="wg-data">{data}</script>
<script>{vis}</script>
<script>{script}</script>
</body>
</html>
"""
)


def page(model: Model) -> str:
    """The HTML page of a view model."""
    return _TEMPLATE.format(
        **_scripted("view.js", model.title),
        css=_asset("view.css"),
        data=_json_for_script(model.as_json()),
    )


def _scripted(script: str, title: str) -> dict[str, str]:
    """What every offline page fills the same way: vis-network and the page's own ``script`` (an asset) inline,
    the Content-Security-Policy that lets exactly those two run, the versions, and the ``title`` (escaped)."""
    from .._version import __version__

    vis = vis_network_js()
    own = _asset(script)
    return {
        "csp": html.escape(_csp(vis, own), quote=True),
        "version": html.escape(__version__),
        "vis_version": VIS_NETWORK_VERSION,
        "title": html.escape(title),
        "vis": vis,
        "script": own,
    }
