"""Write a NetworkX graph to files other tools read (GraphML, GEXF, node-link JSON, CSV), and read them back.

The files are written by NetworkX's own writers (GraphML, GEXF, JSON), so NetworkX's readers, Gephi and
Cytoscape read them; :func:`read_graph` reads them back to a graph equal to the one written (class, nodes,
edges with their keys, every attribute). What each format cannot say natively:

- **GraphML, GEXF**: no list values. A list attribute is written as a JSON array in a string attribute whose
  name ends in ``[]`` (``types[]``, ``claims[]``); :func:`read_graph` decodes it. The graph's class and its
  attributes travel in a graph attribute (GraphML) or in the file's ``<meta><description>`` (GEXF); multigraph
  edge keys in GraphML edge ids and GEXF's ``networkx_key`` attribute.
- **CSV**: a directory with ``nodes.csv`` (``Id``, ``Label``, attributes), ``edges.csv`` (``Source``,
  ``Target``, ``Key`` for multigraphs, ``Type``, ``Label``, attributes), as Gephi's spreadsheet import expects,
  and ``graph.json`` (class and graph attributes). A cell holds text as is, and JSON for anything else (numbers,
  booleans, lists), and for text that would read as JSON (``"2019"``, ``"true"``); an empty cell is a missing
  attribute.
- **JSON**: NetworkX's node-link format, everything native.

The formats live in :mod:`.xml` (GraphML, GEXF) and :mod:`.tables` (CSV); the checks every format makes in
:mod:`.values`.

Node ids and edge keys must be strings; values are ``str``, ``int``, ``float``, ``bool`` or lists of them. XML
formats cannot carry control characters (U+0000-U+001F but tab, newline, return): such a value is an
:class:`~wickgraph.errors.ExportError` for GraphML and GEXF (use JSON or CSV).

>>> import networkx as nx, tempfile, pathlib
>>> g = nx.MultiDiGraph(name="demo")
>>> g.add_node("wgd:a", label="A", types=["wg:Person"])
>>> g.add_edge("wgd:a", "wgd:a", key="wg:workedWith", label="worked with", claims=["wgc:s/1"])
'wg:workedWith'
>>> with tempfile.TemporaryDirectory() as tmp:
...     for fmt in FORMATS:
...         path = pathlib.Path(tmp) / f"g.{fmt}"
...         _ = write_graph(g, path, fmt)
...         assert nx.utils.graphs_equal(read_graph(path, fmt), g) and read_graph(path, fmt).graph == g.graph
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExportError
from .tables import _read_csv, _write_csv
from .values import _check_id, _check_value
from .xml import _read_xml, _write_xml

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["FORMATS", "format_from_path", "read_graph", "write_graph"]

FORMATS = ("graphml", "gexf", "json", "csv")


def format_from_path(path: str | Path) -> str:
    """The format a path's extension names (``.graphml``, ``.gexf``, ``.json``, ``.csv`` or a directory)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix == "":
        return "csv"
    raise ExportError(f"cannot tell the format of {path} from its extension: use one of {', '.join(FORMATS)}")


def write_graph(graph: nx.Graph, path: str | Path, format: str | None = None) -> list[Path]:
    """Write ``graph`` to ``path`` in ``format`` (default: from the extension); the files written.

    For ``csv``, ``path`` is a directory (created) that receives ``nodes.csv``, ``edges.csv`` and ``graph.json``.
    """
    fmt = format or format_from_path(path)
    target = Path(path)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    xml = fmt in ("graphml", "gexf")
    for node in graph.nodes:
        _check_id("node id", node, xml)
    if graph.is_multigraph():
        for _, _, key in graph.edges(keys=True):
            _check_id("edge key", key, xml)
    try:
        if fmt == "json":
            return [_write_json(graph, target)]
        if fmt == "csv":
            return _write_csv(graph, target)
        return [_write_xml(graph, target, fmt)]
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _write_json(graph: nx.Graph, target: Path) -> Path:
    import networkx as nx

    for node, data in graph.nodes(data=True):
        for name, value in data.items():
            _check_value(f"node {node}", name, value, xml=False)
    data = nx.node_link_data(graph, edges="edges")
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def read_graph(path: str | Path, format: str | None = None) -> nx.Graph:
    """Read a file written by :func:`write_graph` back into the graph that was written.

    Files from other tools read too (lists stay strings unless their attribute name ends in ``[]``).
    """
    fmt = format or format_from_path(path)
    source = Path(path)
    if not source.exists():
        raise ExportError(f"no such file or directory: {source}")
    try:
        if fmt == "json":
            return _read_json(source)
        if fmt == "csv":
            return _read_csv(source)
        if fmt in ("graphml", "gexf"):
            return _read_xml(source, fmt)
    except (ValueError, KeyError, SyntaxError) as exc:
        raise ExportError(f"{source} is not a readable {fmt} graph: {exc}") from exc
    raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def _read_json(source: Path) -> nx.Graph:
    import networkx as nx

    data = json.loads(source.read_text(encoding="utf-8"))
    graph: nx.Graph = nx.node_link_graph(data, edges="edges")
    return graph
