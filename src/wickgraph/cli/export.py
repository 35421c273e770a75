"""``wickgraph export``: the graph, a CONSTRUCT result or a projection, as GraphML, GEXF, JSON or CSV."""

from __future__ import annotations

from pathlib import Path

import click

from . import GraphTarget, as_of_option, cli, graph_options
from ._graphs import projection_option, query_file_option


@cli.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (a directory for csv: nodes.csv, edges.csv, graph.json).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json", "csv"]),
    default=None,
    help="File format. Default: from the output's extension (a path without one is a csv directory).",
)
@projection_option(help="Export this projection instead of the whole graph.")
@query_file_option
@click.option("--include-ontology", is_flag=True, help="Add the ontology's classes, properties and axioms.")
@click.option("--aliases", is_flag=True, help="Keep the schema.org / Wikidata copies of wg: triples.")
@as_of_option
@graph_options
def export(
    output: Path,
    fmt: str | None,
    projection: str | None,
    query_file: Path | None,
    include_ontology: bool,
    aliases: bool,
    as_of: str | None,
    target: GraphTarget,
) -> None:
    """Export the graph to NetworkX and write it for Gephi, Cytoscape and other tools.

    Nodes are resources with their label, types and literal facts; edges are triples keyed by predicate,
    with the source, date and certainty of every claim. Lists (types, sources …) are JSON arrays in
    attributes named NAME[] in GraphML and GEXF. `wickgraph.read_graph` reads any of these files back.

    \b
    Examples:
      wickgraph export -o wick.graphml
      wickgraph export --projection co-star -o costar.gexf
      wickgraph export --format csv -o wick-csv/ --as-of 2024-01-03
      wickgraph export --query cast.rq -o cast.json
    """
    from ..analysis import analysis_graph
    from ..exchange import format_from_path, write_graph

    if query_file is not None and include_ontology:
        raise click.UsageError("--include-ontology goes with the whole graph, not with --query")
    chosen = fmt or format_from_path(output)
    with target.open() as kg:
        graph = analysis_graph(
            kg,
            query=query_file.read_text(encoding="utf-8") if query_file is not None else None,
            as_of=as_of,
            projection=projection,
            include_ontology=include_ontology,
            aliases=aliases,
        )
    written = write_graph(graph, output, chosen)
    what = f"projection {projection}" if projection else ("CONSTRUCT result" if query_file else "graph")
    click.echo(
        f"wrote the {what} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges) as {chosen}: "
        + ", ".join(str(p) for p in written)
    )
