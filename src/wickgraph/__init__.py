"""wickgraph: a source-grounded knowledge graph of the John Wick film universe.

The public API::

    import wickgraph
    report = wickgraph.build("/tmp/wick")              # parse, validate, load (atomic)
    kg = wickgraph.open_graph("/tmp/wick")
    kg.select("SELECT ?who WHERE { ?who wg:plays wgd:eve-macarro }")   # SELECT -> SelectResult
    kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }")       # ASK -> bool
    kg.construct("CONSTRUCT WHERE { wgd:ballerina ?p ?o }")            # CONSTRUCT -> GraphResult
    kg.run("who-plays", character="Rooney")                           # a named query
    kg.entity("Ana de Armas")                                         # an entity card
    wickgraph.claim_statuses(kg, as_of="2024-01-03")                  # superseded / disputed claim triples
    wickgraph.push("http://localhost:7878/query", "/tmp/wick")       # into a SPARQL server
    kg = wickgraph.open_graph(endpoint="http://localhost:7878/query") # and query it there
    kg.run("lead-of").to_dataframe()                                  # a pandas DataFrame, with labels
    g = wickgraph.to_networkx(kg)                                     # NetworkX MultiDiGraph, with provenance
    wickgraph.project(g, "co-star")                                   # a named projection
    wickgraph.shortest_paths(g, "Len Wiseman", "Chad Stahelski")      # paths with the facts along them
    wickgraph.write_graph(g, "wick.graphml")                          # GraphML, GEXF, JSON, CSV
    wickgraph.write_html(wickgraph.neighbourhood(g, "Ballerina"), "b.html")   # the offline HTML view

In Jupyter, ``%load_ext wickgraph`` adds the ``%%sparql`` cell magic (see :mod:`wickgraph.notebook`).

Names are imported on first use (a module ``__getattr__``), so ``import wickgraph`` and the command line start
fast: a query does not pay for the build, the checks or the entity cards.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from . import _version

# The public names: each one and the module it comes from, written out once here; each is imported on first use
# (``__getattr__`` below). The ``TYPE_CHECKING`` imports after it name the same objects for type checkers (which
# do not run ``__getattr__``); tests/test_public_api.py checks that the two lists and ``__all__`` agree, and that
# every entry imports. No public name is also the name of a submodule (tests/test_lazy_imports.py checks it), so
# no import can replace one.
_EXPORTS: dict[str, str] = {
    "Connection": ".analysis",
    "EdgeFact": ".analysis",
    "Score": ".analysis",
    "Step": ".analysis",
    "WorkOrder": ".analysis",
    "centrality": ".analysis",
    "chronology": ".analysis",
    "communities": ".analysis",
    "shortest_paths": ".analysis",
    "story_order": ".analysis",
    "build": ".building.builder",
    "bulk_build": ".building.builder",
    "check": ".building.builder",
    "BuildReport": ".building.report",
    "Citation": ".citations",
    "check_citations": ".citations",
    "EntityCard": ".entity",
    "EntityMatch": ".entity",
    "Fact": ".entity",
    "CitationError": ".errors",
    "DataError": ".errors",
    "EndpointAuthError": ".errors",
    "EndpointError": ".errors",
    "EndpointQueryError": ".errors",
    "EndpointResponseError": ".errors",
    "EndpointRowCapError": ".errors",
    "EndpointUnreachableError": ".errors",
    "EngineError": ".errors",
    "EntityNotFoundError": ".errors",
    "ExportError": ".errors",
    "MissingExtraError": ".errors",
    "NamedQueryError": ".errors",
    "ParseError": ".errors",
    "ProjectionError": ".errors",
    "PushError": ".errors",
    "QueryError": ".errors",
    "QueryFormError": ".errors",
    "QueryRefusedError": ".errors",
    "QuerySyntaxError": ".errors",
    "QueryTimeoutError": ".errors",
    "ResultConsumedError": ".errors",
    "ResultTooLargeError": ".errors",
    "SourceTextError": ".errors",
    "StoreError": ".errors",
    "StoreNotFoundError": ".errors",
    "StoryOrderCycleError": ".errors",
    "UnknownVariableError": ".errors",
    "UsageError": ".errors",
    "ValidationError": ".errors",
    "VizError": ".errors",
    "WickgraphError": ".errors",
    "read_graph": ".exchange",
    "write_graph": ".exchange",
    "KnowledgeGraph": ".graph",
    "open_graph": ".graph",
    "construct_to_networkx": ".networkx_export",
    "result_to_networkx": ".networkx_export",
    "to_networkx": ".networkx_export",
    "load_ipython_extension": ".notebook.magic",
    "Projection": ".projections",
    "project": ".projections",
    "PushReport": ".publish",
    "push": ".publish",
    "NamedQuery": ".queries",
    "named_queries": ".queries",
    "GraphResult": ".results",
    "QueryResult": ".results",
    "SelectResult": ".results",
    "Coverage": ".spans",
    "source_coverage": ".spans",
    "claim_statuses": ".status",
    "Endpoint": ".store.remote",
    "RemoteStore": ".store.remote",
    "GenerateReport": ".synthetic",
    "generate": ".synthetic",
    "HtmlView": ".viz",
    "neighbourhood": ".viz",
    "notebook_html": ".viz",
    "render_html": ".viz",
    "write_html": ".viz",
}

if _typing.TYPE_CHECKING:  # pragma: no cover - imported on first use
    from .analysis import Connection as Connection
    from .analysis import EdgeFact as EdgeFact
    from .analysis import Score as Score
    from .analysis import Step as Step
    from .analysis import WorkOrder as WorkOrder
    from .analysis import centrality as centrality
    from .analysis import chronology as chronology
    from .analysis import communities as communities
    from .analysis import shortest_paths as shortest_paths
    from .analysis import story_order as story_order
    from .building.builder import build as build
    from .building.builder import bulk_build as bulk_build
    from .building.builder import check as check
    from .building.report import BuildReport as BuildReport
    from .citations import Citation as Citation
    from .citations import check_citations as check_citations
    from .entity import EntityCard as EntityCard
    from .entity import EntityMatch as EntityMatch
    from .entity import Fact as Fact
    from .errors import CitationError as CitationError
    from .errors import DataError as DataError
    from .errors import EndpointAuthError as EndpointAuthError
    from .errors import EndpointError as EndpointError
    from .errors import EndpointQueryError as EndpointQueryError
    from .errors import EndpointResponseError as EndpointResponseError
    from .errors import EndpointRowCapError as EndpointRowCapError
    from .errors import EndpointUnreachableError as EndpointUnreachableError
    from .errors import EngineError as EngineError
    from .errors import EntityNotFoundError as EntityNotFoundError
    from .errors import ExportError as ExportError
    from .errors import MissingExtraError as MissingExtraError
    from .errors import NamedQueryError as NamedQueryError
    from .errors import ParseError as ParseError
    from .errors import ProjectionError as ProjectionError
    from .errors import PushError as PushError
    from .errors import QueryError as QueryError
    from .errors import QueryFormError as QueryFormError
    from .errors import QueryRefusedError as QueryRefusedError
    from .errors import QuerySyntaxError as QuerySyntaxError
    from .errors import QueryTimeoutError as QueryTimeoutError
    from .errors import ResultConsumedError as ResultConsumedError
    from .errors import ResultTooLargeError as ResultTooLargeError
    from .errors import SourceTextError as SourceTextError
    from .errors import StoreError as StoreError
    from .errors import StoreNotFoundError as StoreNotFoundError
    from .errors import StoryOrderCycleError as StoryOrderCycleError
    from .errors import UnknownVariableError as UnknownVariableError
    from .errors import UsageError as UsageError
    from .errors import ValidationError as ValidationError
    from .errors import VizError as VizError
    from .errors import WickgraphError as WickgraphError
    from .exchange import read_graph as read_graph
    from .exchange import write_graph as write_graph
    from .graph import KnowledgeGraph as KnowledgeGraph
    from .graph import open_graph as open_graph
    from .networkx_export import construct_to_networkx as construct_to_networkx
    from .networkx_export import result_to_networkx as result_to_networkx
    from .networkx_export import to_networkx as to_networkx
    from .notebook.magic import load_ipython_extension as load_ipython_extension
    from .projections import Projection as Projection
    from .projections import project as project
    from .publish import PushReport as PushReport
    from .publish import push as push
    from .queries import NamedQuery as NamedQuery
    from .queries import named_queries as named_queries
    from .results import GraphResult as GraphResult
    from .results import QueryResult as QueryResult
    from .results import SelectResult as SelectResult
    from .spans import Coverage as Coverage
    from .spans import source_coverage as source_coverage
    from .status import claim_statuses as claim_statuses
    from .store.remote import Endpoint as Endpoint
    from .store.remote import RemoteStore as RemoteStore
    from .synthetic import GenerateReport as GenerateReport
    from .synthetic import generate as generate
    from .viz import HtmlView as HtmlView
    from .viz import neighbourhood as neighbourhood
    from .viz import notebook_html as notebook_html
    from .viz import render_html as render_html
    from .viz import write_html as write_html

__version__ = _version.__version__


def __getattr__(name: str) -> _typing.Any:
    # ``__all__`` is served here, not assigned: a type checker reads a computed ``__all__`` as naming nothing, and
    # ``from wickgraph import *`` would lose its types.
    if name == "__all__":
        return sorted([*_EXPORTS, "__version__"])
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wickgraph' has no attribute {name!r}")
    found = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(set(_EXPORTS) | {n for n in globals() if n.startswith("__")})
