"""Commands that read the graph: query (named or SPARQL), queries, show (an entity's card), search."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import MissingParameterError, WickgraphError
from . import GraphTarget, as_of_option, cli, graph_options
from ._terminal import echo_fitted, output_width, wide_option


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[key.strip()] = value
    return params


@cli.command()
@click.argument("query", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.File("r"), help="Read the SPARQL query from a file ('-' for stdin)."
)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A named query's parameter (repeatable)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "tsv", "sparql-tsv", "csv", "json", "turtle", "ntriples", "jsonld", "rdfxml"]),
    default=None,
    help="Output format. Default: table on a terminal, plain TSV otherwise (Turtle for CONSTRUCT). tsv is "
    "plain (bare names and values, as the table shows them); sparql-tsv is SPARQL results TSV.",
)
@wide_option
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let the query use SERVICE (the embedded engine then sends requests to other hosts). Default: refused.",
)
@as_of_option
@graph_options
def query(
    query: str | None,
    query_file: Any,
    params: tuple[str, ...],
    fmt: str | None,
    allow_service: bool,
    as_of: str | None,
    target: GraphTarget,
    wide: bool,
) -> None:
    """Run a named query (by name, with --param) or SPARQL from the argument, a file or stdin.

    The project prefixes (wg:, wgd:, schema:, wdt:, rdfs: …) need no PREFIX lines.

    \b
    Examples:
      wickgraph query who-plays --param character=Rooney
      wickgraph query release-history --as-of 2024-01-03
      wickgraph query 'SELECT ?p WHERE { ?p wg:plays wgd:eve-macarro }' --format csv
      echo 'ASK { wgd:ballerina wg:director wgd:len-wiseman }' | wickgraph query
      wickgraph query lead-of --endpoint http://localhost:7878/query

    On the embedded store, --timeout stops a query that runs longer, and Ctrl-C stops a running query at
    once (exit status 130). A table fits the terminal's width (COLUMNS) and groups rows that differ only in
    their sources; --wide prints it whole.
    """
    from ..output import write_result
    from ..queries import named_queries

    width = output_width(wide)

    named = named_queries()
    if query_file is not None:
        text = query_file.read()
    elif query is not None and query in named:
        parsed = _parse_params(params)

        def run_named() -> None:
            with target.open(allow_service=allow_service) as kg:
                try:
                    result = kg.run(query, as_of=as_of, **parsed)
                except MissingParameterError as exc:  # the library names the parameter; here it is an option
                    raise WickgraphError(
                        f"query {exc.query!r} needs --param {exc.parameter}=... ({exc.description})"
                    ) from None
                write_result(result, sys.stdout, fmt or ("table" if sys.stdout.isatty() else "tsv"), width=width)

        _interruptible(run_named)
        return
    elif query is not None:
        text = query
    elif not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        raise click.UsageError("give a named query, a SPARQL query, --file FILE, or a query on stdin")
    if params:
        raise click.UsageError("--param goes with a named query (see `wickgraph queries`)")
    if query is not None and query not in named and query.replace("-", "").isalnum():
        raise WickgraphError(f"no named query {query!r}; the named queries are: {', '.join(named)}")

    def run() -> None:
        with target.open(allow_service=allow_service) as kg:
            result = kg.query(text, as_of=as_of)
            chosen = fmt or ("table" if sys.stdout.isatty() else "tsv")
            write_result(result, sys.stdout, chosen, width=width)

    _interruptible(run)


def _interruptible(work: Callable[[], None]) -> None:
    """Run ``work`` (a query and its output) in a thread, so that Ctrl-C ends the command at once.

    pyoxigraph evaluates a query without returning to Python, so a Ctrl-C would wait for the query to end. The
    main thread only waits here, and a Ctrl-C ends the process: the query with it (a worker process of
    ``--timeout`` has a parent-death signal), with one line on stderr and exit status 130, as shells expect.
    """
    import os
    import threading

    failure: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the main thread, which reports it as usual
            # Without its traceback and chain: they hold pyoxigraph objects that must be dropped in this thread.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            failure.append(exc)

    thread = threading.Thread(target=target, name="wickgraph-query", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        os.write(2, b"Interrupted: the query was stopped.\n")
        os._exit(130)
    if failure:
        raise failure[0]


@cli.command("queries")
@click.option("-v", "--verbose", is_flag=True, help="Show parameters and an example for each.")
def list_queries(verbose: bool) -> None:
    """List the named queries and the question each answers.

    \b
    Example:
      wickgraph queries -v
    """
    from ..queries import named_queries

    for q in named_queries().values():
        click.echo(f"{q.name:22} {q.title}")
        if verbose:
            click.echo(f"{'':22} answers {q.question}")
            for p in q.parameters:
                default = f' (default "{p.default}")' if p.default is not None else " (required)"
                click.echo(f"{'':22} --param {p.name}=…  {p.description}{default}")
            if q.example:
                click.echo(f"{'':22} e.g. {q.example}")


@cli.command()
@click.argument("name")
@as_of_option
@graph_options
@wide_option
def show(name: str, as_of: str | None, target: GraphTarget, wide: bool) -> None:
    """Show an entity's card: its type and every fact about it, with source, date and certainty.

    NAME is a label or alias, case-insensitive, or the entity's local name (john-wick); a name that fits
    several entities lists them. Long lines are wrapped to the terminal's width (COLUMNS) unless --wide.

    \b
    Examples:
      wickgraph show "Eve Macarro"
      wickgraph show Ballerina --as-of 2024-01-03
    """
    with target.open() as kg:
        echo_fitted(kg.entity(name, as_of=as_of).render(), output_width(wide))


@cli.command()
@click.argument("text")
@graph_options
@wide_option
def search(text: str, target: GraphTarget, wide: bool) -> None:
    """Find entities whose label or alias contains TEXT.

    \b
    Example:
      wickgraph search wick
    """
    from ..terminal import safe_text

    with target.open() as kg:
        matches = kg.search(text, limit=100)
    if not matches:
        raise WickgraphError(f"no entity's name contains {text!r}")
    labels = [safe_text(m.label, one_line=True) for m in matches]
    width = max(len(label) for label in labels)
    fitted = output_width(wide)
    for m, label in zip(matches, labels, strict=True):
        via = f"  (as {safe_text(m.matched, one_line=True)!r})" if m.matched != m.label else ""
        echo_fitted(f"{label:{width}}  {m.type:22}{via}".rstrip(), fitted)
