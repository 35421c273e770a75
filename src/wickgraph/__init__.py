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
    wickgraph.push("http://localhost:7878/query", "/tmp/wick")       # into a SPARQL server
    kg = wickgraph.open_graph(endpoint="http://localhost:7878/query") # and query it there
    kg.run("lead-of").to_dataframe()                                  # a pandas DataFrame, with labels
    g = wickgraph.to_networkx(kg)                                     # NetworkX MultiDiGraph, with provenance
    wickgraph.project(g, "co-star")                                   # a named projection
    wickgraph.shortest_paths(g, "Len Wiseman", "Chad Stahelski")      # paths with the facts along them
    wickgraph.write_graph(g, "wick.graphml")                          # GraphML, GEXF, JSON, CSV
    wickgraph.write_html(wickgraph.neighbourhood(g, "Ballerina"), "b.html")   # the offline HTML view

In Jupyter, ``%load_ext wickgraph`` adds the ``%%sparql`` cell magic (see :mod:`wickgraph.notebook`).
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

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
from .build.builder import BuildReport as BuildReport
from .build.builder import build as build
from .build.builder import check as check
from .citations import Citation as Citation
from .citations import check_citations as check_citations
from .entity import EntityCard as EntityCard
from .entity import EntityMatch as EntityMatch
from .entity import Fact as Fact
from .errors import (
    CitationError as CitationError,
)
from .errors import (
    DataError as DataError,
)
from .errors import (
    EndpointAuthError as EndpointAuthError,
)
from .errors import (
    EndpointError as EndpointError,
)
from .errors import (
    EndpointQueryError as EndpointQueryError,
)
from .errors import (
    EndpointResponseError as EndpointResponseError,
)
from .errors import (
    EndpointUnreachableError as EndpointUnreachableError,
)
from .errors import (
    EngineError as EngineError,
)
from .errors import (
    EntityNotFoundError as EntityNotFoundError,
)
from .errors import (
    ExportError as ExportError,
)
from .errors import (
    MissingExtraError as MissingExtraError,
)
from .errors import (
    NamedQueryError as NamedQueryError,
)
from .errors import (
    ParseError as ParseError,
)
from .errors import (
    ProjectionError as ProjectionError,
)
from .errors import (
    PushError as PushError,
)
from .errors import (
    QueryError as QueryError,
)
from .errors import (
    QueryFormError as QueryFormError,
)
from .errors import (
    QueryRefusedError as QueryRefusedError,
)
from .errors import (
    QuerySyntaxError as QuerySyntaxError,
)
from .errors import (
    QueryTimeoutError as QueryTimeoutError,
)
from .errors import (
    ResultTooLargeError as ResultTooLargeError,
)
from .errors import (
    SourceTextError as SourceTextError,
)
from .errors import (
    StoreError as StoreError,
)
from .errors import (
    StoreNotFoundError as StoreNotFoundError,
)
from .errors import (
    StoryOrderCycleError as StoryOrderCycleError,
)
from .errors import (
    ValidationError as ValidationError,
)
from .errors import (
    VizError as VizError,
)
from .errors import (
    WickgraphError as WickgraphError,
)
from .exchange import read_graph as read_graph
from .exchange import write_graph as write_graph
from .graph import KnowledgeGraph as KnowledgeGraph
from .graph import open_graph as open_graph
from .networkx_export import construct_to_networkx as construct_to_networkx
from .networkx_export import result_to_networkx as result_to_networkx
from .networkx_export import to_networkx as to_networkx
from .projections import Projection as Projection
from .projections import project as project
from .push import PushReport as PushReport
from .push import push as push
from .queries import NamedQuery as NamedQuery
from .queries import named_queries as named_queries
from .results import GraphResult as GraphResult
from .results import QueryResult as QueryResult
from .results import SelectResult as SelectResult
from .store.remote import Endpoint as Endpoint
from .store.remote import RemoteStore as RemoteStore
from .viz import HtmlView as HtmlView
from .viz import neighbourhood as neighbourhood
from .viz import notebook_html as notebook_html
from .viz import render_html as render_html
from .viz import write_html as write_html

if _TYPE_CHECKING:  # pragma: no cover
    from IPython.core.interactiveshell import InteractiveShell

__version__ = "0.1.0"


def load_ipython_extension(ipython: "InteractiveShell") -> None:
    """``%load_ext wickgraph``: register the ``%%sparql`` cell magic (:mod:`wickgraph.notebook.magic`)."""
    from .notebook.magic import load_ipython_extension as load

    load(ipython)


__all__ = [
    "BuildReport",
    "Citation",
    "CitationError",
    "Connection",
    "DataError",
    "EdgeFact",
    "Endpoint",
    "EndpointAuthError",
    "EndpointError",
    "EndpointQueryError",
    "EndpointResponseError",
    "EndpointUnreachableError",
    "EngineError",
    "EntityCard",
    "EntityMatch",
    "EntityNotFoundError",
    "ExportError",
    "Fact",
    "GraphResult",
    "HtmlView",
    "KnowledgeGraph",
    "MissingExtraError",
    "NamedQuery",
    "NamedQueryError",
    "ParseError",
    "Projection",
    "ProjectionError",
    "PushError",
    "PushReport",
    "QueryError",
    "QueryFormError",
    "QueryRefusedError",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "RemoteStore",
    "ResultTooLargeError",
    "Score",
    "SelectResult",
    "SourceTextError",
    "Step",
    "StoreError",
    "StoreNotFoundError",
    "StoryOrderCycleError",
    "ValidationError",
    "VizError",
    "WickgraphError",
    "WorkOrder",
    "__version__",
    "build",
    "centrality",
    "check",
    "check_citations",
    "chronology",
    "communities",
    "construct_to_networkx",
    "load_ipython_extension",
    "named_queries",
    "neighbourhood",
    "notebook_html",
    "open_graph",
    "project",
    "push",
    "read_graph",
    "render_html",
    "result_to_networkx",
    "shortest_paths",
    "story_order",
    "to_networkx",
    "write_graph",
    "write_html",
]
