"""The ``wickgraph`` command: a thin face over the library.

The group and the shared options live here; each topic's commands live in a module of their own
(``graph``: build, validate, verify-sources, query, queries, show, search), imported at the bottom.

Each command parses its options, calls the public API, and prints. Every :class:`~wickgraph.errors.WickgraphError`
becomes a one-line ``Error: …`` and exit status 1; no traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import WickgraphError

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WickgraphError as exc:
            raise click.ClickException(str(exc)) from None


def store_option(func: F) -> F:
    """``--store PATH``: the store directory (default: $WICKGRAPH_STORE or ~/.local/share/wickgraph/store)."""
    return click.option(
        "--store",
        "store",
        type=click.Path(path_type=Path),
        default=None,
        envvar="WICKGRAPH_STORE",
        help="Store directory. Default: $WICKGRAPH_STORE, else ~/.local/share/wickgraph/store.",
    )(func)


def as_of_option(func: F) -> F:
    """``--as-of YYYY-MM-DD``: answer from the claims published by that date."""
    return click.option(
        "--as-of",
        "as_of",
        metavar="YYYY-MM-DD",
        default=None,
        help="Answer as known on this date (claims published by then).",
    )(func)


def sources_option(func: F) -> F:
    """``--sources DIR``: the held source texts (for the citation check)."""
    return click.option(
        "--sources",
        "sources_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        envvar="WICKGRAPH_SOURCES",
        help="Held source texts, for the citation check. Default: $WICKGRAPH_SOURCES, else ../shared/sources.",
    )(func)


def data_options(func: F) -> F:
    """``--data``, ``--ontology``, ``--sources``: where the inputs are."""
    func = sources_option(func)
    func = click.option(
        "--ontology",
        "ontology_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Ontology directory. Default: the project's ontology/.",
    )(func)
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Data directory. Default: the project's data/.",
    )(func)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wickgraph")
def cli() -> None:
    """wickgraph: a source-grounded knowledge graph of the John Wick universe.

    \b
    Start with:
      wickgraph build                 build the graph into the embedded store
      wickgraph queries               list the named questions
      wickgraph query lead-of         ask one
      wickgraph show "Ana de Armas"   every fact about an entity, with sources
    """


def main() -> None:
    """Entry point of the ``wickgraph`` command."""
    cli(prog_name="wickgraph")


# Command modules register themselves on `cli` when imported.
from . import analyze as _analyze  # noqa: E402,F401
from . import export as _export  # noqa: E402,F401
from . import graph as _graph  # noqa: E402,F401
from . import viz as _viz  # noqa: E402,F401
