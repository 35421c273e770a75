"""``wickgraph serve``: the SPARQL endpoint and query page."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from . import cli, store_option

F = TypeVar("F", bound=Callable[..., Any])


def _limit(flag: str, default: float, kind: click.ParamType[Any], help: str) -> Callable[[F], F]:
    """A number option with its default shown (a limit, a timeout, a count)."""
    return click.option(flag, default=default, show_default=True, type=kind, help=help)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=int, help="Port to listen on (0: any free port).")
@store_option
@_limit(
    "--timeout",
    10.0,
    click.FloatRange(min=0.1),
    "Seconds a query may run; then the engine process running it is killed.",
)
@_limit("--max-rows", 10_000, click.IntRange(min=1), "Most rows (or triples) returned.")
@_limit("--max-request-bytes", 256 * 1024, click.IntRange(min=1024), "Largest request body or URL query string.")
@_limit("--workers", 4, click.IntRange(min=1, max=64), "Engine processes: queries that run at the same time.")
@click.option(
    "--allow-updates",
    is_flag=True,
    help="Accept SPARQL updates (with the token) into a private working copy; the built store is never changed.",
)
@click.option(
    "--update-token",
    envvar="WICKGRAPH_UPDATE_TOKEN",
    default=None,
    metavar="TOKEN",
    help="The token updates must carry as 'Authorization: Bearer TOKEN'. Default: $WICKGRAPH_UPDATE_TOKEN.",
)
@click.option("--cors", is_flag=True, help="Allow pages from other origins (e.g. a hosted YASGUI) to query.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (federated queries reach other hosts).")
@click.option("--allow-load", is_flag=True, help="Allow LOAD in updates (fetches documents from other hosts).")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name clients may use besides localhost and IP addresses ('*': any); repeatable. "
    "Other Host headers get 421 (a guard against DNS rebinding).",
)
@_limit("--max-connections", 2048, click.IntRange(min=16), "Connections held at once (idle, slow or busy).")
@_limit(
    "--request-timeout",
    30.0,
    click.FloatRange(min=0.5),
    "Seconds a request may take to arrive (head and body, however slowly it trickles); then 408.",
)
@_limit(
    "--idle-timeout",
    60.0,
    click.FloatRange(min=0.5),
    "Seconds a connection may stay open with no request; then it is closed.",
)
def serve(
    host: str,
    port: int,
    store: Path | None,
    timeout: float,
    max_rows: int,
    max_request_bytes: int,
    workers: int,
    allow_updates: bool,
    update_token: str | None,
    cors: bool,
    allow_service: bool,
    allow_load: bool,
    allowed_hosts: tuple[str, ...],
    max_connections: int,
    request_timeout: float,
    idle_timeout: float,
) -> None:
    """Serve the graph over HTTP: a SPARQL 1.1 endpoint at /sparql and a query page at /.

    Read-only unless --allow-updates is given with a token. SERVICE and LOAD are refused unless allowed, so the
    server cannot be made to reach other hosts. Each query runs in an `oxigraph` engine process that is killed
    when the query passes --timeout.

    \b
    Examples:
      wickgraph serve                              # http://127.0.0.1:7878/
      curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/sparql' --data-urlencode \\
           'query=SELECT ?who WHERE { ?who wg:plays wgd:eve-macarro }'
      WICKGRAPH_UPDATE_TOKEN=s3cret wickgraph serve --allow-updates
    """
    from ..errors import WickgraphError
    from ..locations import default_store_path
    from ..server import HttpSettings, Limits, Policy, ServerConfig
    from ..server import serve as run_server

    if allow_updates and not update_token:
        raise click.UsageError("--allow-updates needs a token: --update-token TOKEN or $WICKGRAPH_UPDATE_TOKEN")
    if allow_load and not allow_updates:
        raise click.UsageError("--allow-load only matters with --allow-updates (LOAD is an update)")
    config = ServerConfig(
        store=store if store is not None else default_store_path(),
        host=host,
        port=port,
        workers=workers,
        cors=cors,
        allowed_hosts=allowed_hosts,
        http=HttpSettings(max_connections=max_connections, request_timeout=request_timeout, idle_timeout=idle_timeout),
        limits=Limits(timeout=timeout, max_rows=max_rows, max_request_bytes=max_request_bytes),
        policy=Policy(
            allow_updates=allow_updates,
            update_token=update_token,
            allow_service=allow_service,
            allow_load=allow_load,
        ),
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    notes: list[str] = []  # said after the banner

    def ready(url: str) -> None:
        mode = "read-write (working copy)" if allow_updates else "read-only"
        click.echo(f"wickgraph serving {config.store} ({mode}, {workers} engines, timeout {timeout:g} s)", err=True)
        click.echo(f"  query page: {url}", err=True)
        click.echo(f"  SPARQL endpoint: {url}sparql", err=True)
        for line in notes:  # the engines' network protection first, unindented: operators grep for it
            click.echo(line if line.startswith("engine network: ") else f"  {line}", err=True)
        click.echo(f"Listening on {url}", err=False)

    try:
        run_server(config, ready=ready, note=notes.append)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    except WickgraphError:
        raise
    except OSError as exc:
        raise WickgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
