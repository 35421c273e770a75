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

Names are imported on first use (a module ``__getattr__``), so ``import wickgraph`` and the command line start
fast: a query does not pay for the build, the checks or the entity cards.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - the same names, imported for type checkers and readers
    from .build.builder import BuildReport as BuildReport
    from .build.builder import build as build
    from .build.builder import check as check
    from .build.bulk import bulk_build as bulk_build
    from .citations import Citation as Citation
    from .citations import check_citations as check_citations
    from .entity import EntityCard as EntityCard
    from .entity import EntityMatch as EntityMatch
    from .entity import Fact as Fact
    from .errors import CitationError as CitationError
    from .errors import DataError as DataError
    from .errors import EntityNotFoundError as EntityNotFoundError
    from .errors import NamedQueryError as NamedQueryError
    from .errors import ParseError as ParseError
    from .errors import QueryError as QueryError
    from .errors import QueryFormError as QueryFormError
    from .errors import QuerySyntaxError as QuerySyntaxError
    from .errors import SourceTextError as SourceTextError
    from .errors import StoreError as StoreError
    from .errors import StoreNotFoundError as StoreNotFoundError
    from .errors import ValidationError as ValidationError
    from .errors import WickgraphError as WickgraphError
    from .generate import GenerateReport as GenerateReport
    from .generate import generate as generate
    from .graph import KnowledgeGraph as KnowledgeGraph
    from .graph import open_graph as open_graph
    from .queries import NamedQuery as NamedQuery
    from .queries import named_queries as named_queries
    from .results import GraphResult as GraphResult
    from .results import QueryResult as QueryResult
    from .results import SelectResult as SelectResult

_EXPORTS: dict[str, str] = {
    "BuildReport": ".build.builder",
    "Citation": ".citations",
    "CitationError": ".errors",
    "DataError": ".errors",
    "EntityCard": ".entity",
    "EntityMatch": ".entity",
    "EntityNotFoundError": ".errors",
    "Fact": ".entity",
    "GenerateReport": ".generate",
    "GraphResult": ".results",
    "KnowledgeGraph": ".graph",
    "NamedQuery": ".queries",
    "NamedQueryError": ".errors",
    "ParseError": ".errors",
    "QueryError": ".errors",
    "QueryFormError": ".errors",
    "QueryResult": ".results",
    "QuerySyntaxError": ".errors",
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
    "generate": ".generate",
    "named_queries": ".queries",
    "open_graph": ".graph",
}

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "Citation",
    "CitationError",
    "DataError",
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
    "QueryError",
    "QueryFormError",
    "QueryResult",
    "QuerySyntaxError",
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
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wickgraph' has no attribute {name!r}")
    found = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
