"""Options shared by the commands that turn the knowledge graph into a NetworkX graph (export, viz, analyze; the
graph itself comes from :func:`wickgraph.analysis.analysis_graph`) and by those that write one file (viz,
generate)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

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


def output_file_option(help: str, required: bool = True) -> Callable[[F], F]:
    """``-o/--output FILE``: the one file a command writes (required unless told otherwise; then None)."""
    return click.option(
        "-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), required=required, help=help
    )


def query_file_option(func: F) -> F:
    """``--query FILE.rq``: a CONSTRUCT query whose result is the graph."""
    return click.option(
        "--query",
        "query_file",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        default=None,
        help="Use the result of this CONSTRUCT query (a .rq file) instead of the whole graph.",
    )(func)
