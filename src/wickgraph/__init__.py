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

Names are imported on first use (a module ``__getattr__``), so ``import wickgraph`` and the command line start
fast: a query does not pay for the build, the checks or the entity cards.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

# `build` and `push` are also the names of a subpackage and a module, and importing a submodule the first time
# sets the package's attribute of that name to the module: these names are bound now, so that no later import
# can replace them (tests/test_public_api.py checks that no other public name is also a module's name).
from .build.builder import BuildReport as BuildReport
from .build.builder import build as build
from .build.builder import check as check
from .push import push as push

if _typing.TYPE_CHECKING:  # pragma: no cover - the same names, imported for type checkers and readers
    from .build.bulk import bulk_build as bulk_build
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
    from .errors import EndpointUnreachableError as EndpointUnreachableError
    from .errors import EngineError as EngineError
    from .errors import EntityNotFoundError as EntityNotFoundError
    from .errors import NamedQueryError as NamedQueryError
    from .errors import ParseError as ParseError
    from .errors import PushError as PushError
    from .errors import QueryError as QueryError
    from .errors import QueryFormError as QueryFormError
    from .errors import QueryRefusedError as QueryRefusedError
    from .errors import QuerySyntaxError as QuerySyntaxError
    from .errors import QueryTimeoutError as QueryTimeoutError
    from .errors import ResultTooLargeError as ResultTooLargeError
    from .errors import SourceTextError as SourceTextError
    from .errors import StoreError as StoreError
    from .errors import StoreNotFoundError as StoreNotFoundError
    from .errors import ValidationError as ValidationError
    from .errors import WickgraphError as WickgraphError
    from .graph import KnowledgeGraph as KnowledgeGraph
    from .graph import open_graph as open_graph
    from .push import PushReport as PushReport
    from .queries import NamedQuery as NamedQuery
    from .queries import named_queries as named_queries
    from .results import GraphResult as GraphResult
    from .results import QueryResult as QueryResult
    from .results import SelectResult as SelectResult
    from .store.remote import Endpoint as Endpoint
    from .store.remote import RemoteStore as RemoteStore
    from .synthetic import GenerateReport as GenerateReport
    from .synthetic import generate as generate

_EXPORTS: dict[str, str] = {
    "BuildReport": ".build.builder",
    "Citation": ".citations",
    "CitationError": ".errors",
    "DataError": ".errors",
    "Endpoint": ".store.remote",
    "EndpointAuthError": ".errors",
    "EndpointError": ".errors",
    "EndpointQueryError": ".errors",
    "EndpointResponseError": ".errors",
    "EndpointUnreachableError": ".errors",
    "EngineError": ".errors",
    "EntityCard": ".entity",
    "EntityMatch": ".entity",
    "EntityNotFoundError": ".errors",
    "Fact": ".entity",
    "GenerateReport": ".synthetic",
    "GraphResult": ".results",
    "KnowledgeGraph": ".graph",
    "NamedQuery": ".queries",
    "NamedQueryError": ".errors",
    "ParseError": ".errors",
    "PushError": ".errors",
    "PushReport": ".push",
    "QueryError": ".errors",
    "QueryFormError": ".errors",
    "QueryRefusedError": ".errors",
    "QueryResult": ".results",
    "QuerySyntaxError": ".errors",
    "QueryTimeoutError": ".errors",
    "RemoteStore": ".store.remote",
    "ResultTooLargeError": ".errors",
    "SelectResult": ".results",
    "SourceTextError": ".errors",
    "StoreError": ".errors",
    "StoreNotFoundError": ".errors",
    "ValidationError": ".errors",
    "WickgraphError": ".errors",
    "build": ".build.builder",
    "bulk_build": ".build.bulk",
    "check": ".build.builder",
    "check_citations": ".citations",
    "generate": ".synthetic",
    "named_queries": ".queries",
    "open_graph": ".graph",
    "push": ".push",
}

__version__ = "0.1.0"

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
    "EngineError",
    "EntityCard",
    "EntityMatch",
    "EntityNotFoundError",
    "Fact",
    "GenerateReport",
    "GraphResult",
    "KnowledgeGraph",
    "NamedQuery",
    "NamedQueryError",
    "ParseError",
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
    "SelectResult",
    "SourceTextError",
    "StoreError",
    "StoreNotFoundError",
    "ValidationError",
    "WickgraphError",
    "__version__",
    "build",
    "bulk_build",
    "check",
    "check_citations",
    "generate",
    "named_queries",
    "open_graph",
    "push",
]


def __getattr__(name: str) -> _typing.Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wickgraph' has no attribute {name!r}")
    found = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(set(__all__) | {n for n in globals() if n.startswith("__")})
