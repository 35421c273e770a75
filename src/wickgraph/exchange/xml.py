"""GraphML and GEXF: NetworkX's writers and readers, with list values as JSON arrays in attributes named ``NAME[]``
and the graph's class and attributes in the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExportError
from .values import _CLASS_KEY, LIST_SUFFIX, _check_value, _class_name, _new_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


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
