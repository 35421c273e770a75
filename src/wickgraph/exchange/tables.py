"""CSV as Gephi's spreadsheet import reads it: ``nodes.csv``, ``edges.csv`` and ``graph.json`` in a directory; a cell
holds text as is and JSON for anything else."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExportError
from .values import _check_value, _class_name, _new_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

_RESERVED_NODE = {"Id", "Label"}
_RESERVED_EDGE = {"Source", "Target", "Key", "Type", "Label"}


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
