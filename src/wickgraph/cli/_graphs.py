"""Options shared by the commands that turn the knowledge graph into a NetworkX graph (export, viz, analyze)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..graph import KnowledgeGraph

F = TypeVar("F", bound=Callable[..., Any])

PROJECTION_NAMES = ("collaboration", "co-star", "person-work", "story-order", "release-order")


def projection_option(default: str | None = None, help: str = "Use this projection of the graph.") -> Callable[[F], F]:
    """``--projection NAME``: one of the named projections (see :mod:`wickgraph.projections`)."""

    def decorate(func: F) -> F:
        return click.option(
            "--projection",
            "projection",
            type=click.Choice(PROJECTION_NAMES),
            default=default,
            show_default=default is not None,
            help=help,
        )(func)

    return decorate


def query_file_option(func: F) -> F:
    """``--query FILE.rq``: a CONSTRUCT query whose result is the graph."""
    return click.option(
        "--query",
        "query_file",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        default=None,
        help="Use the result of this CONSTRUCT query (a .rq file) instead of the whole graph.",
    )(func)


def load_graph(
    kg: KnowledgeGraph,
    *,
    as_of: str | None = None,
    query_file: Path | None = None,
    projection: str | None = None,
    include_ontology: bool = False,
    aliases: bool = False,
) -> nx.Graph:
    """The whole graph or a CONSTRUCT result, as known on ``as_of``, then its projection when one is named."""
    from ..networkx_export import construct_to_networkx, to_networkx
    from ..projections import project

    if query_file is not None:
        if include_ontology:
            raise click.UsageError("--include-ontology goes with the whole graph, not with --query")
        graph = construct_to_networkx(kg, query_file.read_text(encoding="utf-8"), as_of=as_of, aliases=aliases)
    else:
        graph = to_networkx(kg, include_ontology=include_ontology, aliases=aliases, as_of=as_of)
    return project(graph, projection) if projection else graph
