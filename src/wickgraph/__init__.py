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

In Jupyter, ``%load_ext wickgraph`` adds the ``%%sparql`` cell magic (see :mod:`wickgraph.notebook`).
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

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
    EntityNotFoundError as EntityNotFoundError,
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
    PushError as PushError,
)
from .errors import (
    QueryError as QueryError,
)
from .errors import (
    QueryFormError as QueryFormError,
)
from .errors import (
    QuerySyntaxError as QuerySyntaxError,
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
    ValidationError as ValidationError,
)
from .errors import (
    WickgraphError as WickgraphError,
)
from .graph import KnowledgeGraph as KnowledgeGraph
from .graph import open_graph as open_graph
from .push import PushReport as PushReport
from .push import push as push
from .queries import NamedQuery as NamedQuery
from .queries import named_queries as named_queries
from .results import GraphResult as GraphResult
from .results import QueryResult as QueryResult
from .results import SelectResult as SelectResult
from .store.remote import Endpoint as Endpoint
from .store.remote import RemoteStore as RemoteStore

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
    "DataError",
    "Endpoint",
    "EndpointAuthError",
    "EndpointError",
    "EndpointQueryError",
    "EndpointResponseError",
    "EndpointUnreachableError",
    "EntityCard",
    "EntityMatch",
    "EntityNotFoundError",
    "Fact",
    "GraphResult",
    "KnowledgeGraph",
    "MissingExtraError",
    "NamedQuery",
    "NamedQueryError",
    "ParseError",
    "PushError",
    "PushReport",
    "QueryError",
    "QueryFormError",
    "QueryResult",
    "QuerySyntaxError",
    "RemoteStore",
    "SelectResult",
    "SourceTextError",
    "StoreError",
    "StoreNotFoundError",
    "ValidationError",
    "WickgraphError",
    "__version__",
    "build",
    "check",
    "check_citations",
    "load_ipython_extension",
    "named_queries",
    "open_graph",
    "push",
]
