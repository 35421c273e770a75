"""The public surface: the names the package promises, written out here (not read from the package), each one
resolving to the object of the module it comes from; the version in one place; the CLI starts without heavy
imports."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import wickgraph

REPO = Path(__file__).resolve().parent.parent
API_DOC = REPO / "docs" / "python-api.md"

# Every public name of `wickgraph` and the module that defines it. A name added to or taken from the package
# must be added or taken here too, on purpose.
PUBLIC = {
    "BuildReport": "wickgraph.building.report",
    "Citation": "wickgraph.citations",
    "CitationError": "wickgraph.errors",
    "Connection": "wickgraph.analysis",
    "Coverage": "wickgraph.spans",
    "DataError": "wickgraph.errors",
    "EdgeFact": "wickgraph.analysis",
    "Endpoint": "wickgraph.store.remote",
    "EndpointAuthError": "wickgraph.errors",
    "EndpointError": "wickgraph.errors",
    "EndpointQueryError": "wickgraph.errors",
    "EndpointResponseError": "wickgraph.errors",
    "EndpointRowCapError": "wickgraph.errors",
    "EndpointUnreachableError": "wickgraph.errors",
    "EngineError": "wickgraph.errors",
    "EntityCard": "wickgraph.entity",
    "EntityMatch": "wickgraph.entity",
    "EntityNotFoundError": "wickgraph.errors",
    "ExportError": "wickgraph.errors",
    "Fact": "wickgraph.entity",
    "GenerateReport": "wickgraph.synthetic",
    "GraphResult": "wickgraph.results",
    "HtmlView": "wickgraph.viz",
    "KnowledgeGraph": "wickgraph.graph",
    "MissingExtraError": "wickgraph.errors",
    "NamedQuery": "wickgraph.queries",
    "NamedQueryError": "wickgraph.errors",
    "ParseError": "wickgraph.errors",
    "Projection": "wickgraph.projections",
    "ProjectionError": "wickgraph.errors",
    "PushError": "wickgraph.errors",
    "PushReport": "wickgraph.publish",
    "QueryError": "wickgraph.errors",
    "QueryFormError": "wickgraph.errors",
    "QueryRefusedError": "wickgraph.errors",
    "QueryResult": "wickgraph.results",
    "QuerySyntaxError": "wickgraph.errors",
    "QueryTimeoutError": "wickgraph.errors",
    "RemoteStore": "wickgraph.store.remote",
    "ResultConsumedError": "wickgraph.errors",
    "ResultTooLargeError": "wickgraph.errors",
    "Score": "wickgraph.analysis",
    "SelectResult": "wickgraph.results",
    "SourceTextError": "wickgraph.errors",
    "Step": "wickgraph.analysis",
    "StoreError": "wickgraph.errors",
    "StoreNotFoundError": "wickgraph.errors",
    "StoryOrderCycleError": "wickgraph.errors",
    "UnknownVariableError": "wickgraph.errors",
    "UsageError": "wickgraph.errors",
    "ValidationError": "wickgraph.errors",
    "VizError": "wickgraph.errors",
    "WickgraphError": "wickgraph.errors",
    "WorkOrder": "wickgraph.analysis",
    "build": "wickgraph.building.builder",
    "bulk_build": "wickgraph.building.builder",
    "centrality": "wickgraph.analysis",
    "check": "wickgraph.building.builder",
    "check_citations": "wickgraph.citations",
    "chronology": "wickgraph.analysis",
    "claim_statuses": "wickgraph.status",
    "communities": "wickgraph.analysis",
    "construct_to_networkx": "wickgraph.networkx_export",
    "generate": "wickgraph.synthetic",
    "load_ipython_extension": "wickgraph.notebook.magic",
    "named_queries": "wickgraph.queries",
    "neighbourhood": "wickgraph.viz",
    "notebook_html": "wickgraph.viz",
    "open_graph": "wickgraph.graph",
    "project": "wickgraph.projections",
    "push": "wickgraph.publish",
    "read_graph": "wickgraph.exchange",
    "render_html": "wickgraph.viz",
    "result_to_networkx": "wickgraph.networkx_export",
    "shortest_paths": "wickgraph.analysis",
    "source_coverage": "wickgraph.spans",
    "story_order": "wickgraph.analysis",
    "to_networkx": "wickgraph.networkx_export",
    "write_graph": "wickgraph.exchange",
    "write_html": "wickgraph.viz",
}


def test_all_lists_exactly_the_promised_names_sorted() -> None:
    assert wickgraph.__all__ == sorted([*PUBLIC, "__version__"])


def test_every_name_is_the_object_of_its_module() -> None:
    for name, module in PUBLIC.items():
        assert getattr(wickgraph, name) is getattr(importlib.import_module(module), name), name


def test_dir_lists_the_public_names_and_an_unknown_name_is_an_attribute_error() -> None:
    assert set(PUBLIC) <= set(dir(wickgraph))
    assert not {n for n in dir(wickgraph) if not n.startswith("_")} - set(PUBLIC)
    with pytest.raises(AttributeError, match="module 'wickgraph' has no attribute 'no_such_name'"):
        wickgraph.no_such_name  # noqa: B018


def test_every_entry_of_the_facade_table_imports_and_the_table_is_all() -> None:
    table = wickgraph._EXPORTS
    assert sorted([*table, "__version__"]) == wickgraph.__all__
    for name, module in table.items():
        assert hasattr(importlib.import_module(module, "wickgraph"), name), f"{module} has no {name}"


def _type_checking_imports(tree: ast.Module) -> dict[str, str]:
    """The ``from .module import name as name`` lines under the facade's ``if TYPE_CHECKING:``, as a table."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for line in node.body:
                assert isinstance(line, ast.ImportFrom), ast.unparse(line)
                for alias in line.names:
                    assert alias.asname == alias.name, ast.unparse(line)
                    found[alias.name] = "." * line.level + (line.module or "")
    return found


def test_the_facade_types_each_table_entry_from_its_module() -> None:
    # Type checkers do not run __getattr__: a name in the table but not in the TYPE_CHECKING imports would be
    # typed Any, and one imported from another module there would be typed as something it is not.
    facade = REPO / "src" / "wickgraph" / "__init__.py"
    assert _type_checking_imports(ast.parse(facade.read_text(encoding="utf-8"))) == wickgraph._EXPORTS


def test_a_name_is_imported_on_first_use_and_then_held_by_the_package() -> None:
    code = (
        "import sys, wickgraph; before = 'wickgraph.entity' in sys.modules; card = wickgraph.EntityCard; "
        "print(before, 'wickgraph.entity' in sys.modules, vars(wickgraph).get('EntityCard') is card)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True"]


def test_a_star_import_gives_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from wickgraph import *", namespace)
    assert set(namespace) - {"__builtins__"} == {*PUBLIC, "__version__"}


def test_the_version_is_the_one_in_pyproject_and_lives_in_one_module() -> None:
    from wickgraph import _version

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert wickgraph.__version__ == _version.__version__ == declared
    # Nothing inside the package reads the version from the package facade (an import cycle with the facade).
    facade = re.compile(r"^\s*from (\.+|wickgraph) import __version__", re.M)
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "src" / "wickgraph").rglob("*.py")
        if facade.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.skipif(not API_DOC.is_file(), reason="docs/python-api.md is not written yet (the docs helper adds it)")
def test_every_public_name_is_documented_in_the_api_page() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    missing = [name for name in PUBLIC if not re.search(rf"\b{re.escape(name)}\b", text)]
    assert missing == []


def test_cli_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, wickgraph.cli as c; c.cli(['--help'], standalone_mode=False); "
        "print('LOADED=' + ','.join(m for m in ('rdflib', 'pyshacl', 'networkx', 'pyvis', 'SPARQLWrapper', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED="
