"""Commands for SPARQL servers: push."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ..errors import WickgraphError
from . import cli, endpoint_options, store_option

if TYPE_CHECKING:  # pragma: no cover
    from ..publish import PushMethod
    from ..store.remote import Endpoint


@cli.command()
@store_option
@endpoint_options
@click.option(
    "--replace", is_flag=True, help="Afterwards hold exactly the built graphs: drop wickgraph's other graphs."
)
@click.option(
    "--default-graph/--no-default-graph",
    default=True,
    show_default=True,
    help="Write the merge of the graphs into the server's default graph, as the build does (replacing what it "
    "held); a server whose default graph is its own union of its graphs is left alone (Virtuoso: the merge goes "
    "into a graph of its own, for --union client). --no-default-graph writes no merge.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=20_000,
    show_default=True,
    metavar="TRIPLES",
    help="Triples per SPARQL Update request (whole graphs).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "update", "graph-store"]),
    default="auto",
    show_default=True,
    help="SPARQL Update, or Graph Store Protocol PUT per graph (auto: PUT when --graph-store-endpoint is given).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def push(
    store: Path | None,
    endpoint: Endpoint | None,
    replace: bool,
    default_graph: bool,
    batch_size: int,
    method: str,
    quiet: bool,
) -> None:
    """Load the built graph (ontology, registry, every source and claim graph) into a SPARQL server.

    Each named graph replaces the server's graph of the same name, so pushing twice gives the same graph;
    then the server's default graph becomes the merge of the graphs, as in the built store. A push that fails
    part-way says how far it got; the graphs it had not reached are as they were.

    \b
    Examples:
      wickgraph push --endpoint http://localhost:7878/query
      wickgraph push --endpoint http://localhost:3030/wick/query --user admin --replace
      wickgraph push --endpoint http://localhost:7878/query --graph-store-endpoint http://localhost:7878/store
    """
    from ..publish import push as run_push

    if endpoint is None:
        raise WickgraphError("push needs a server: pass --endpoint URL (or set WICKGRAPH_ENDPOINT)")
    with click.progressbar(length=1, label="pushing", file=sys.stderr, show_pos=True, hidden=quiet) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        report = run_push(
            endpoint,
            store,
            replace=replace,
            default_graph=default_graph,
            batch_size=batch_size,
            method=cast("PushMethod", method),
            progress=progress,
        )
    click.echo(report.summary())
