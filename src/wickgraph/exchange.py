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

import csv
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExportError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["FORMATS", "format_from_path", "read_graph", "write_graph"]

FORMATS = ("graphml", "gexf", "json", "csv")
LIST_SUFFIX = "[]"
_CLASS_KEY = "wickgraph_class"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CLASSES = ("Graph", "DiGraph", "MultiGraph", "MultiDiGraph")
_RESERVED_NODE = {"Id", "Label"}
_RESERVED_EDGE = {"Source", "Target", "Key", "Type", "Label"}


def format_from_path(path: str | Path) -> str:
    """The format a path's extension names (``.graphml``, ``.gexf``, ``.json``, ``.csv`` or a directory)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix == "":
        return "csv"
    raise ExportError(f"cannot tell the format of {path} from its extension: use one of {', '.join(FORMATS)}")


def _class_name(graph: nx.Graph) -> str:
    return ("Multi" if graph.is_multigraph() else "") + ("DiGraph" if graph.is_directed() else "Graph")


def _new_graph(class_name: str) -> nx.Graph:
    import networkx as nx

    if class_name not in _CLASSES:
        raise ExportError(f"unknown graph class {class_name!r} in the file")
    graph: nx.Graph = getattr(nx, class_name)()
    return graph


def _check_value(where: str, name: str, value: Any, *, xml: bool) -> None:
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str | int | float | bool) or isinstance(item, list):
            raise ExportError(
                f"{where}: attribute {name!r} holds a {type(item).__name__}; files carry str, int, float, bool or lists of them"
            )
        if xml and isinstance(item, str) and _XML_BAD.search(item):
            raise ExportError(
                f"{where}: attribute {name!r} holds a control character XML cannot carry; write json or csv"
            )
    if xml and _XML_BAD.search(name):
        raise ExportError(f"{where}: attribute name {name!r} holds a control character XML cannot carry")


def _check_id(kind: str, value: Any, xml: bool) -> None:
    if not isinstance(value, str):
        raise ExportError(f"{kind} {value!r} is not a string: files keep only string ids and keys")
    if xml and kind == "edge key" and value == "":
        raise ExportError("an edge key is empty: GraphML and GEXF readers replace it by a number; write json or csv")
    if xml and _XML_BAD.search(value):
        raise ExportError(f"{kind} {value!r} holds a control character XML cannot carry; write json or csv")


def _encode_xml_attrs(attrs: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in attrs.items():
        _check_value(where, name, value, xml=True)
        if name.endswith(LIST_SUFFIX):
            raise ExportError(f"{where}: attribute names ending in {LIST_SUFFIX!r} are reserved for lists")
        if isinstance(value, list):
            out[name + LIST_SUFFIX] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def _decode_xml_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in attrs.items():
        if name.endswith(LIST_SUFFIX) and isinstance(value, str):
            out[name[: -len(LIST_SUFFIX)]] = json.loads(value)
        else:
            out[name] = value
    return out


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


def _xml_copy(graph: nx.Graph) -> nx.Graph:
    copy = _new_graph(_class_name(graph))
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **_encode_xml_attrs(data, f"node {node}"))
    if graph.is_multigraph():
        for u, v, key, data in graph.edges(keys=True, data=True):
            copy.add_edge(u, v, key=key, **_encode_xml_attrs(data, f"edge {u} -> {v} ({key})"))
    else:
        for u, v, data in graph.edges(data=True):
            copy.add_edge(u, v, **_encode_xml_attrs(data, f"edge {u} -> {v}"))
    return copy


def _write_xml(graph: nx.Graph, target: Path, fmt: str) -> Path:
    import networkx as nx

    copy = _xml_copy(graph)
    header = {"class": _class_name(graph), "graph": graph.graph}
    try:
        json.dumps(header)
    except TypeError as exc:
        raise ExportError(f"the graph's attributes cannot be written: {exc}") from None
    if fmt == "graphml":
        for name, value in graph.graph.items():
            _check_value("the graph", name, value, xml=True)
        copy.graph.update(_encode_xml_attrs(graph.graph, "the graph"))
        copy.graph[_CLASS_KEY] = _class_name(graph)
        nx.write_graphml(copy, target, encoding="utf-8")
        return target
    copy.graph["name"] = str(graph.graph.get("name", ""))
    # A GEXF node always has a label (the id when it has none): say which nodes had none. GEXF weights are
    # decimals: say when they were integers.
    header["unlabelled"] = [n for n, d in graph.nodes(data=True) if "label" not in d]
    weights = [d["weight"] for *_, d in graph.edges(data=True) if "weight" in d]
    header["int_weights"] = bool(weights) and all(type(w) is int for w in weights)
    for node, data in graph.nodes(data=True):
        for name in ("id", "pid", "start", "end", "viz"):
            if name in data:
                raise ExportError(
                    f"node {node} has an attribute called {name!r}, a name GEXF reserves; write graphml or json"
                )
    for *_, data in graph.edges(data=True):
        for name in ("id", "type", "start", "end", "viz"):
            if name in data:
                raise ExportError(f"an edge attribute is called {name!r}, a name GEXF reserves; write graphml or json")
        if "weight" in data and type(data["weight"]) not in (int, float):
            raise ExportError("GEXF edge weights are numbers; an edge has a weight that is not")
    nx.write_gexf(copy, target, encoding="utf-8")
    # GEXF keeps only a graph's name: the class and attributes go in the standard <meta><description>.
    import xml.etree.ElementTree as ET

    tree = ET.parse(target)
    root = tree.getroot()
    ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
    ET.register_namespace("", ns.strip("{}"))
    meta = root.find(f"{ns}meta")
    if meta is None:
        meta = ET.SubElement(root, f"{ns}meta")
    description = ET.SubElement(meta, f"{ns}description")
    description.text = "wickgraph:" + json.dumps(header, ensure_ascii=False)
    tree.write(target, encoding="utf-8", xml_declaration=True)
    return target


def _cell(value: Any) -> str:
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value if value != "" else '""'
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def _uncell(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _write_csv(graph: nx.Graph, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    node_names: list[str] = sorted({k for _, d in graph.nodes(data=True) for k in d} - {"label"})
    edge_names: list[str] = sorted({k for *_, d in graph.edges(data=True) for k in d} - {"label"})
    for name in node_names:
        if name in _RESERVED_NODE:
            raise ExportError(f"a node attribute is called {name!r}, a column name of the CSV format")
    for name in edge_names:
        if name in _RESERVED_EDGE:
            raise ExportError(f"an edge attribute is called {name!r}, a column name of the CSV format")
    nodes_path, edges_path, graph_path = target / "nodes.csv", target / "edges.csv", target / "graph.json"
    with nodes_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Id", "Label", *node_names])
        for node, data in graph.nodes(data=True):
            for name, value in data.items():
                _check_value(f"node {node}", name, value, xml=False)
            label = _cell(data["label"]) if "label" in data else ""
            writer.writerow([node, label, *(_cell(data[n]) if n in data else "" for n in node_names)])
    multi = graph.is_multigraph()
    kind = "Directed" if graph.is_directed() else "Undirected"
    with edges_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Source", "Target", *(["Key"] if multi else []), "Type", "Label", *edge_names])
        rows = graph.edges(keys=True, data=True) if multi else ((u, v, None, d) for u, v, d in graph.edges(data=True))
        for u, v, key, data in rows:
            for name, value in data.items():
                _check_value(f"edge {u} -> {v}", name, value, xml=False)
            label = _cell(data["label"]) if "label" in data else ""
            writer.writerow(
                [
                    u,
                    v,
                    *([key] if multi else []),
                    kind,
                    label,
                    *(_cell(data[n]) if n in data else "" for n in edge_names),
                ]
            )
    graph_path.write_text(
        json.dumps({"class": _class_name(graph), "graph": graph.graph}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    return [nodes_path, edges_path, graph_path]


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


def _rebuild(raw: nx.Graph, class_name: str, graph_attrs: dict[str, Any], key_of: Any) -> nx.Graph:
    graph = _new_graph(class_name)
    graph.graph.update(graph_attrs)
    for node, data in raw.nodes(data=True):
        graph.add_node(node, **_decode_xml_attrs(data))
    edges = (
        raw.edges(keys=True, data=True)
        if raw.is_multigraph()
        else ((u, v, None, d) for u, v, d in raw.edges(data=True))
    )
    for u, v, key, data in edges:
        attrs = _decode_xml_attrs(data)
        if graph.is_multigraph():
            graph.add_edge(u, v, key=key_of(key, attrs), **attrs)
        else:
            graph.add_edge(u, v, **attrs)
    return graph


def _read_xml(source: Path, fmt: str) -> nx.Graph:
    import networkx as nx

    if fmt == "graphml":
        raw = nx.read_graphml(source, edge_key_type=str, force_multigraph=True)
        attrs = dict(raw.graph)
        class_name = str(attrs.pop(_CLASS_KEY, "MultiDiGraph" if raw.is_directed() else "MultiGraph"))
        attrs.pop("node_default", None)
        attrs.pop("edge_default", None)
        return _rebuild(raw, class_name, _decode_xml_attrs(attrs), lambda key, _: key)
    import xml.etree.ElementTree as ET

    raw = nx.read_gexf(source)
    root = ET.parse(source).getroot()
    header: dict[str, Any] = {}
    key_attr: str | None = None
    keys_by_id: dict[str, str] = {}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "description" and (element.text or "").startswith("wickgraph:"):
            header = json.loads((element.text or "")[len("wickgraph:") :])
        elif tag == "attribute" and element.get("title") == "networkx_key":
            key_attr = element.get("id")
        elif tag == "edge" and key_attr is not None:
            for value in element.iter():
                if value.tag.endswith("attvalue") and value.get("for") == key_attr:
                    keys_by_id[str(element.get("id"))] = str(value.get("value"))
    class_name = str(header.get("class", _class_name(raw)))
    graph_attrs = dict(header.get("graph", {"name": raw.graph.get("name", "")}))
    for node in header.get("unlabelled", []):
        if node in raw:
            raw.nodes[node].pop("label", None)
    int_weights = bool(header.get("int_weights"))

    def key_of(key: Any, attrs: dict[str, Any]) -> Any:
        # NetworkX makes a file without parallel edges a simple graph: the key is then found by edge id.
        edge_id = attrs.pop("id", None)
        return key if raw.is_multigraph() else keys_by_id.get(str(edge_id), edge_id)

    graph = _rebuild(raw, class_name, graph_attrs, key_of)
    for *_, data in graph.edges(data=True):
        data.pop("id", None)
        if int_weights and isinstance(data.get("weight"), float):
            data["weight"] = int(data["weight"])
    return graph


def _read_csv(source: Path) -> nx.Graph:
    header = json.loads((source / "graph.json").read_text(encoding="utf-8"))
    graph = _new_graph(str(header["class"]))
    graph.graph.update(header.get("graph", {}))
    with (source / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        names = next(reader)
        for row in reader:
            attrs = {
                ("label" if n == "Label" else n): _uncell(c) for n, c in zip(names[1:], row[1:], strict=True) if c != ""
            }
            graph.add_node(row[0], **attrs)
    multi = graph.is_multigraph()
    with (source / "edges.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        names = next(reader)
        skip = {"Source", "Target", "Key", "Type"}
        for row in reader:
            cells = dict(zip(names, row, strict=True))
            attrs = {
                ("label" if n == "Label" else n): _uncell(c) for n, c in cells.items() if n not in skip and c != ""
            }
            if multi:
                graph.add_edge(cells["Source"], cells["Target"], key=cells["Key"], **attrs)
            else:
                graph.add_edge(cells["Source"], cells["Target"], **attrs)
    return graph
