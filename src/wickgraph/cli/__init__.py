"""The ``wickgraph`` command: a thin face over the library.

The group and the shared options live here; each topic's commands live in a module of their own
(``graph``: build, validate, verify-sources, query, queries, show, search; ``serve``: the HTTP server),
imported at the bottom.

Each command parses its options, calls the public API, and prints. Every :class:`~wickgraph.errors.WickgraphError`
becomes a one-line ``Error: …`` and exit status 1; no traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..errors import WickgraphError

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..store.remote import Endpoint

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WickgraphError as exc:
            from ..terminal import safe_text

            # Messages echo user data (a name, a query, a label): its control characters are shown, not obeyed.
            raise click.ClickException(safe_text(str(exc))) from None


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


_ENDPOINT_OPTIONS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "--endpoint",
        "endpoint_url",
        "WICKGRAPH_ENDPOINT",
        {"metavar": "URL", "help": "A SPARQL server's query URL (reading commands use it instead of a store)."},
    ),
    (
        "--update-endpoint",
        "update_url",
        "WICKGRAPH_UPDATE_ENDPOINT",
        {"metavar": "URL", "help": "Its SPARQL Update URL. Default: the query URL, with /query made /update."},
    ),
    (
        "--graph-store-endpoint",
        "graph_store_url",
        "WICKGRAPH_GRAPH_STORE_ENDPOINT",
        {"metavar": "URL", "help": "Its Graph Store Protocol URL (push then writes with PUT per graph)."},
    ),
    ("--user", "user", "WICKGRAPH_USER", {"help": "HTTP basic authentication user."}),
    (
        "--password",
        "password",
        "WICKGRAPH_PASSWORD",
        {"help": "HTTP basic authentication password (better: $WICKGRAPH_PASSWORD)."},
    ),
    ("--token", "token", "WICKGRAPH_TOKEN", {"help": "Bearer token (better: $WICKGRAPH_TOKEN)."}),
    (
        "--timeout",
        "timeout",
        "WICKGRAPH_TIMEOUT",
        {
            "type": click.FloatRange(min=0, min_open=True),
            "metavar": "SECONDS",
            "help": "Per query. Default: 60 with an endpoint; no limit on the embedded store.",
        },
    ),
    (
        "--union",
        "union",
        "WICKGRAPH_UNION",
        {
            "type": click.Choice(["server", "client", "none"]),
            "help": "server (default): the server's default graph holds the union of the graphs (push writes it, "
            "or the server makes it); client: each query names wickgraph's graphs (any server; can be slow); "
            "none: use the server's default graph as it is (e.g. Wikidata).",
        },
    ),
]
_ENDPOINT_PARAMS = [name for _, name, _, _ in _ENDPOINT_OPTIONS]
_LEVELS = {
    click.core.ParameterSource.COMMANDLINE: 3,
    click.core.ParameterSource.ENVIRONMENT: 2,
}


def _endpoint(ctx: click.Context, values: dict[str, Any]) -> tuple[Endpoint | None, int]:
    """The endpoint the options, environment and config file describe, and where its URL came from."""
    from ..config import resolve_endpoint

    endpoint = resolve_endpoint(
        query=values["endpoint_url"],
        update=values["update_url"],
        graph_store=values["graph_store_url"],
        user=values["user"],
        password=values["password"],
        token=values["token"],
        timeout=values["timeout"],
        union=values["union"],
    )
    if endpoint is None:
        return None, 0
    source = ctx.get_parameter_source("endpoint_url")
    return endpoint, _LEVELS.get(source, 1) if source is not None and values["endpoint_url"] else 1


def endpoint_options(func: F) -> F:
    """``--endpoint URL`` and its companions (update and graph-store URLs, credentials, timeout, union mode).

    Each also reads an environment variable (``WICKGRAPH_ENDPOINT`` …), then the config file
    (:mod:`wickgraph.config`). The command receives ``endpoint``: an :class:`~wickgraph.store.remote.Endpoint`,
    or ``None`` when no URL is given anywhere.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _ENDPOINT_PARAMS}
        endpoint, _ = _endpoint(click.get_current_context(), values)
        return func(*args, endpoint=endpoint, **kwargs)

    return _add_endpoint_options(wrapper)  # type: ignore[return-value]


def _add_endpoint_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for flag, name, envvar, extra in reversed(_ENDPOINT_OPTIONS):
        func = click.option(flag, name, envvar=envvar, default=None, show_envvar=True, **extra)(func)
    return func


@dataclass(frozen=True, slots=True)
class GraphTarget:
    """Which graph a reading command opens: an embedded store directory, or a SPARQL server."""

    store: Path | None
    endpoint: Endpoint | None
    timeout: float | None = None
    """``--timeout`` for the embedded store (an endpoint carries its own)."""

    def open(self, *, allow_service: bool = False) -> KnowledgeGraph:
        from ..graph import open_graph

        if self.endpoint is not None:
            return open_graph(endpoint=self.endpoint)
        return open_graph(self.store, allow_service=allow_service, timeout=self.timeout)


def graph_options(func: F) -> F:
    """``--store`` and the endpoint options; the command receives ``target``, a :class:`GraphTarget`.

    The graph comes from the most explicit setting: the command line, then the environment
    (``WICKGRAPH_STORE`` or ``WICKGRAPH_ENDPOINT``), then the config file, then the default store. A store and
    an endpoint given at the same level is an error.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        store = kwargs.pop("store")
        values = {name: kwargs.pop(name) for name in _ENDPOINT_PARAMS}
        endpoint, endpoint_level = _endpoint(ctx, values)
        source = ctx.get_parameter_source("store")
        store_level = _LEVELS.get(source, 0) if source is not None and store is not None else 0
        if endpoint is not None and endpoint_level == store_level:
            where = "on the command line" if store_level == 3 else "in the environment"
            raise click.UsageError(f"--store and --endpoint are both given {where}: use one")
        if endpoint is not None and endpoint_level > store_level:
            target = GraphTarget(None, endpoint)
        else:
            target = GraphTarget(store, None, values["timeout"])
        return func(*args, target=target, **kwargs)

    return store_option(_add_endpoint_options(wrapper))  # type: ignore[return-value]


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
    """Entry point of the ``wickgraph`` command.

    On a terminal, standard output goes through :class:`~wickgraph.terminal.TerminalWriter`: whatever a command
    prints there (CSV, Turtle, a path's facts), control characters in the data are shown as escapes. Written to a
    file or a pipe, the output is exact.
    """
    import sys

    if sys.stdout is not None and sys.stdout.isatty():
        from ..terminal import TerminalWriter

        sys.stdout = TerminalWriter(sys.stdout)
    cli(prog_name="wickgraph")


# Command modules register themselves on `cli` when imported.
from . import analyze as _analyze  # noqa: E402,F401
from . import export as _export  # noqa: E402,F401
from . import generate as _generate  # noqa: E402,F401
from . import graph as _graph  # noqa: E402,F401
from . import propose as _propose  # noqa: E402,F401
from . import remote as _remote  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import viz as _viz  # noqa: E402,F401
