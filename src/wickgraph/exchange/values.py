"""What the files carry, checked before anything is written: string ids and keys, values of the simple types (and
lists of them), nothing XML cannot hold in GraphML and GEXF; and the graph's class, which every format records."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import ExportError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

LIST_SUFFIX = "[]"
_CLASS_KEY = "wickgraph_class"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CLASSES = ("Graph", "DiGraph", "MultiGraph", "MultiDiGraph")


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
