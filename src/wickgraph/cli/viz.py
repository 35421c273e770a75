"""``wickgraph viz``: the interactive HTML view, one self-contained offline file."""

from __future__ import annotations

from pathlib import Path

import click

from . import GraphTarget, as_of_option, cli, graph_options
from ._graphs import output_file_option, projection_option, query_file_option


@cli.command()
@output_file_option(help="The HTML file to write.")
@click.option(
    "--focus", metavar="NAME", default=None, help="Draw the neighbourhood of this entity (label, alias or id)."
)
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="How many steps around --focus."
)
@query_file_option
@projection_option(help="Draw this projection of the graph.")
@click.option("--story-order", "story", is_flag=True, help="Draw the franchise's story order beside its release order.")
@click.option(
    "--aggregate", "aggregated", is_flag=True, help="Draw the graph by class: one node per class, edges counted."
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse to draw more nodes than this (default 1000: past it a picture is unreadable).",
)
@as_of_option
@graph_options
def viz(
    output: Path,
    focus: str | None,
    depth: int,
    query_file: Path | None,
    projection: str | None,
    story: bool,
    aggregated: bool,
    max_nodes: int | None,
    as_of: str | None,
    target: GraphTarget,
) -> None:
    """Write the graph as one self-contained HTML page that works offline.

    Nodes are labelled and coloured by class (legend); edges are directed and labelled, and hovering one
    shows every claim behind it (source, date, certainty, span). The page filters by class and by
    source, and finds a node by name. Past --max-nodes nodes it refuses and says how to focus.

    \b
    Examples:
      wickgraph viz -o wick.html
      wickgraph viz --focus "Ana de Armas" --depth 2 -o ana.html
      wickgraph viz --projection co-star -o costar.html
      wickgraph viz --story-order -o story.html
      wickgraph viz --as-of 2024-01-03 --focus Ballerina -o ballerina-2024.html
    """
    from ..errors import GraphTooLargeError
    from ..viz import MAX_NODES, view

    if story and (focus or query_file or projection or aggregated):
        raise click.UsageError(
            "--story-order draws the franchise's works: it takes no --focus, --query, --projection or --aggregate"
        )
    with target.open() as kg:
        try:
            shown = view(
                kg,
                focus=focus,
                depth=depth,
                query=query_file.read_text(encoding="utf-8") if query_file is not None else None,
                projection=projection,
                as_of=as_of,
                story=story,
                aggregated=aggregated,
                max_nodes=max_nodes or MAX_NODES,
            )
        except GraphTooLargeError as exc:  # the library names its parameters; here, the options
            raise click.ClickException(
                f"the graph has {exc.nodes} nodes, more than the {exc.limit} a readable view holds: draw a part of "
                "it (--focus NAME --depth 1, --projection NAME, --query FILE.rq), draw it by class (--aggregate), "
                "or raise --max-nodes"
            ) from None
    shown.save(output)
    click.echo(f"wrote {output}: {shown.nodes} nodes, {shown.edges} edges ({len(shown.html.encode()) / 2**20:.2f} MB)")
