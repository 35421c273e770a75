"""The ``wickgraph`` command: a thin face over the library.

The group and the shared options live here; each topic's commands live in a module of their own, listed in
:data:`COMMANDS` and imported only when one of its commands runs or ``--help`` lists them.

Each command parses its options, calls the public API, and prints. Every :class:`~wickgraph.errors.WickgraphError`
becomes a one-line ``Error: …`` and exit status 1; no traceback.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .._version import __version__
from ..config import Target as GraphTarget
from ..errors import ConflictingTargetsError, WickgraphError

__all__ = [
    "COMMANDS",
    "GraphTarget",
    "as_of_option",
    "cli",
    "data_options",
    "endpoint_options",
    "graph_options",
    "main",
    "sources_option",
    "store_option",
]

F = TypeVar("F", bound=Callable[..., Any])

COMMANDS: dict[str, str] = {
    "analyze": "analyze",
    "build": "graph",
    "coverage": "graph",
    "export": "export",
    "generate": "generate",
    "propose": "propose",
    "push": "remote",
    "queries": "query",
    "query": "query",
    "review": "propose",
    "search": "query",
    "serve": "serve",
    "show": "query",
    "validate": "graph",
    "verify-sources": "graph",
    "viz": "viz",
}
"""Each command of ``wickgraph`` and the module (in this package) that defines it; the module is imported when
the command runs or ``--help`` lists it, and registers its commands on :data:`cli` as it is imported."""


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"{__name__}.{module}")
        return super().get_command(ctx, cmd_name)

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
# The library's names of the endpoint settings (wickgraph.config.resolve_target).
_SETTING_NAMES = {
    "update_url": "update",
    "graph_store_url": "graph_store",
    "user": "user",
    "password": "password",
    "token": "token",
    "timeout": "timeout",
    "union": "union",
}


def _typed(ctx: click.Context, name: str, value: Any) -> Any:
    """The value when it was typed on the command line; the library reads the environment itself (click reads
    it too, only to check it and to show the variables in ``--help``)."""
    return value if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE else None


def _settings(ctx: click.Context, values: dict[str, Any]) -> dict[str, Any]:
    return {setting: _typed(ctx, name, values[name]) for name, setting in _SETTING_NAMES.items()}


def endpoint_options(func: F) -> F:
    """``--endpoint URL`` and its companions (update and graph-store URLs, credentials, timeout, union mode).

    Each also reads an environment variable (``WICKGRAPH_ENDPOINT`` …), then the config file
    (:func:`wickgraph.config.resolve_server`). The command receives ``endpoint``: an
    :class:`~wickgraph.store.remote.Endpoint`, or ``None`` when no URL is given anywhere.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..config import resolve_server

        ctx = click.get_current_context()
        values = {name: kwargs.pop(name) for name in _ENDPOINT_PARAMS}
        url = _typed(ctx, "endpoint_url", values["endpoint_url"])
        endpoint, _ = resolve_server(url, **_settings(ctx, values))
        return func(*args, endpoint=endpoint, **kwargs)

    return _add_endpoint_options(wrapper)  # type: ignore[return-value]


def _add_endpoint_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for flag, name, envvar, extra in reversed(_ENDPOINT_OPTIONS):
        func = click.option(flag, name, envvar=envvar, default=None, show_envvar=True, **extra)(func)
    return func


def graph_options(func: F) -> F:
    """``--store`` and the endpoint options; the command receives ``target``, a :class:`wickgraph.config.Target`.

    The graph comes from the most explicit setting (:func:`wickgraph.config.resolve_target`): the command line,
    then the environment (``WICKGRAPH_STORE`` or ``WICKGRAPH_ENDPOINT``), then the config file, then the default
    store. A store and an endpoint given at the same level is an error.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..config import resolve_target

        ctx = click.get_current_context()
        store = _typed(ctx, "store", kwargs.pop("store"))
        values = {name: kwargs.pop(name) for name in _ENDPOINT_PARAMS}
        url = _typed(ctx, "endpoint_url", values["endpoint_url"])
        try:
            target = resolve_target(store, url, **_settings(ctx, values))
        except ConflictingTargetsError as exc:
            if exc.where == "argument":
                raise click.UsageError("--store and --endpoint are both given on the command line: use one") from None
            raise click.UsageError(str(exc)) from None
        return func(*args, target=target, **kwargs)

    return store_option(_add_endpoint_options(wrapper))  # type: ignore[return-value]


def dir_option(flag: str, dest: str, help: str, **extra: Any) -> Callable[[F], F]:
    """An optional directory option (``--data DIR`` and the like): a path that need not exist yet, else None."""
    return click.option(flag, dest, type=click.Path(path_type=Path, file_okay=False), default=None, help=help, **extra)


def sources_option(func: F) -> F:
    """``--sources DIR``: the held source texts (for the citation check)."""
    return dir_option(
        "--sources",
        "sources_dir",
        envvar="WICKGRAPH_SOURCES",
        help="Held source texts, for the citation check. Default: $WICKGRAPH_SOURCES, else ../shared/sources.",
    )(func)


def data_options(func: F) -> F:
    """``--data``, ``--ontology``, ``--sources``: where the inputs are."""
    func = sources_option(func)
    func = dir_option("--ontology", "ontology_dir", help="Ontology directory. Default: the project's ontology/.")(func)
    return dir_option("--data", "data_dir", help="Data directory. Default: the project's data/.")(func)


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
