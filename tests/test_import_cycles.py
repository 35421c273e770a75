"""No import cycles in the package: the static graph of module-level imports of ``src/wickgraph`` has no cycle.

The graph is read with :mod:`ast`, not by importing: an edge ``a -> b`` is an import statement of module ``a``
that runs when ``a`` is imported (at module level, or in a module-level ``if``/``try``), other than under
``if TYPE_CHECKING:``. Imports inside functions are lazy by design and are not edges. ``from pkg import name``
is an edge to ``pkg.name`` when that is a module, else to ``pkg`` itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "wickgraph"


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = ["wickgraph", *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level(body: list[ast.stmt], lazy: bool = False) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported; with ``lazy``, also those inside functions
    and classes (still not those under ``if TYPE_CHECKING:``)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level(node.body, lazy)
            yield from _module_level(node.orelse, lazy)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(block, lazy)
        elif lazy and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.With):
            yield from _module_level(node.body, lazy)


def imports_of(name: str, path: Path, modules: dict[str, Path], lazy: bool = False) -> set[str]:
    """The modules of the package that ``name`` imports when it is imported (with ``lazy``: at any time)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _module_level(ast.parse(path.read_text(encoding="utf-8")).body, lazy):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            origin = ".".join([*base, *([node.module] if node.module else [])])
        else:
            origin = node.module or ""
        if origin not in modules:
            continue
        for alias in node.names:
            submodule = f"{origin}.{alias.name}"
            found.add(submodule if submodule in modules else origin)
    found.discard(name)
    return found


def import_graph(root: Path = PACKAGE, lazy: bool = False) -> dict[str, set[str]]:
    """Each module of the package and the modules it imports at module level (with ``lazy``: anywhere)."""
    modules = module_names(root)
    return {name: imports_of(name, path, modules, lazy) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a list of modules, the first repeated at the end) per strongly connected component that has
    one: a cycle through the component's first module; sorted, so a failure reads the same on every run."""
    import networkx as nx

    digraph = nx.DiGraph([(a, b) for a, targets in graph.items() for b in targets])
    found = []
    for component in nx.strongly_connected_components(digraph):
        if len(component) > 1:
            start = min(component)
            inner = digraph.subgraph(component)
            back = min(p for p in inner.predecessors(start))
            found.append([*nx.shortest_path(inner, start, back), start])
    return sorted(found)


def test_the_finder_sees_a_cycle_it_is_shown(tmp_path: Path) -> None:
    # The check itself, on a small package made to have a cycle: a -> b -> c -> a (one import of each kind),
    # and imports that are not edges (inside a function, under TYPE_CHECKING).
    package = tmp_path / "wickgraph"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from . import a\n")
    (package / "a.py").write_text("from .sub import b\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text("import wickgraph.c\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nfrom .a import something\n"
        "if TYPE_CHECKING:\n    from . import d\n"
        "def f():\n    from . import d\n"
    )
    (package / "d.py").write_text("from . import c\n")
    graph = import_graph(package)
    assert graph["wickgraph.c"] == {"wickgraph.a"}
    assert import_graph(package, lazy=True)["wickgraph.c"] == {"wickgraph.a", "wickgraph.d"}
    assert cycles(graph) == [["wickgraph.a", "wickgraph.sub.b", "wickgraph.c", "wickgraph.a"]]


def test_the_graph_holds_the_imports_a_module_makes() -> None:
    graph = import_graph()
    assert "wickgraph.errors" in graph["wickgraph.graph"]
    assert "wickgraph._version" in graph["wickgraph.cli"]
    # The CLI finds its commands through its command table, not by importing its submodules.
    assert not {m for m in graph["wickgraph.cli"] if m.startswith("wickgraph.cli.")}


def test_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_nothing_inside_the_package_imports_the_package_facade() -> None:
    # Even lazily: the facade is for users; the version lives in wickgraph._version.
    graph = import_graph(lazy=True)
    assert sorted(name for name, targets in graph.items() if "wickgraph" in targets and name != "wickgraph") == []


def test_results_do_not_import_the_notebook_layer() -> None:
    # Not even lazily: the notebook layer builds on results, not the other way round.
    graph = import_graph(lazy=True)
    assert sorted(m for m in graph["wickgraph.results"] if m.startswith("wickgraph.notebook")) == []
