"""``wickgraph analyze``: paths with their facts, centrality, communities and story order, via NetworkX."""

from __future__ import annotations

import click

from . import GraphTarget, as_of_option, cli, graph_options
from ._graphs import projection_option
from ._terminal import echo_fitted, output_width, wide_option


@cli.group()
def analyze() -> None:
    """Graph analytics on the NetworkX export: paths, centrality, communities, story order.

    \b
    Examples:
      wickgraph analyze path "Len Wiseman" "Chad Stahelski"
      wickgraph analyze centrality --measure betweenness --top 5
      wickgraph analyze communities
      wickgraph analyze story-order
    """


@analyze.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Show at most this many paths."
)
@projection_option(help="Search this projection (e.g. collaboration) instead of the whole graph.")
@as_of_option
@graph_options
@wide_option
def path(
    a: str,
    b: str,
    limit: int,
    projection: str | None,
    as_of: str | None,
    target: GraphTarget,
    wide: bool,
) -> None:
    """The shortest connections between two entities (by label or alias), with the facts along each edge.

    Edges count in either direction. Each fact is listed with every claim behind it: source, date,
    certainty and where in the source text it rests.

    \b
    Examples:
      wickgraph analyze path "Len Wiseman" "Chad Stahelski"
      wickgraph analyze path "Ana de Armas" "Laurence Fishburne" --projection co-star
    """
    from ..analysis import analysis_graph, shortest_paths

    with target.open() as kg:
        graph = analysis_graph(kg, as_of=as_of, projection=projection)
    found = shortest_paths(graph, a, b, limit=limit)
    width = output_width(wide)
    if not found:
        echo_fitted(f"no connection between {a!r} and {b!r} in this graph", width)
        return
    hops = found[0].hops
    click.echo(
        f"{len(found)} shortest connection{'s' if len(found) != 1 else ''} of {hops} hop{'s' if hops != 1 else ''}:"
    )
    for number, connection in enumerate(found, start=1):
        echo_fitted(f"\n{number}. {connection}", width)
        for step in connection.steps:
            for fact in step.facts:
                echo_fitted(f"   {fact}", width)
                lines = fact.provenance()
                if not lines and graph.is_multigraph():
                    lines = ["(no claim: a registry fact)"]
                for line in lines:
                    echo_fitted(f"       {line}", width)


@analyze.command()
@click.option(
    "--measure",
    type=click.Choice(["degree", "betweenness", "both"]),
    default="both",
    show_default=True,
    help="Which centrality.",
)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many to list.")
@projection_option(default="collaboration", help="The projection to rank nodes in.")
@as_of_option
@graph_options
@wide_option
def centrality(
    measure: str,
    top: int,
    projection: str,
    as_of: str | None,
    target: GraphTarget,
    wide: bool,
) -> None:
    """The most central nodes of a projection (default: people connected through shared works).

    \b
    Examples:
      wickgraph analyze centrality
      wickgraph analyze centrality --measure betweenness --projection co-star --top 5
    """
    from ..analysis import analysis_graph
    from ..analysis import centrality as rank

    with target.open() as kg:
        graph = analysis_graph(kg, as_of=as_of, projection=projection)
    measures = ["degree", "betweenness"] if measure == "both" else [measure]
    for name in measures:
        click.echo(f"{name} centrality in the {projection} projection ({graph.number_of_nodes()} nodes):")
        for i, score in enumerate(rank(graph, name, top=top), start=1):
            label = score.label if wide or len(score.label) <= 32 else score.label[:31] + "…"
            click.echo(f"{i:3}. {label:32} {score.value:.3f}   ({score.degree} neighbours)")
        if name != measures[-1]:
            click.echo("")


@analyze.command()
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the Louvain method.")
@projection_option(default="collaboration", help="The projection to find communities in.")
@as_of_option
@graph_options
@wide_option
def communities(
    seed: int,
    projection: str,
    as_of: str | None,
    target: GraphTarget,
    wide: bool,
) -> None:
    """Communities of a projection (Louvain, weighted by shared works, seeded), largest first.

    \b
    Example:
      wickgraph analyze communities --projection co-star
    """
    from ..analysis import analysis_graph
    from ..analysis import communities as find

    with target.open() as kg:
        graph = analysis_graph(kg, as_of=as_of, projection=projection)
    width = output_width(wide)
    for i, members in enumerate(find(graph, seed=seed), start=1):
        names = ", ".join(str(graph.nodes[n].get("label", n)) for n in members)
        echo_fitted(f"{i:3}. ({len(members)}) {names}", width)


@analyze.command("story-order")
@as_of_option
@graph_options
@wide_option
def story_order(
    as_of: str | None,
    target: GraphTarget,
    wide: bool,
) -> None:
    """The franchise's works in story order, with release order beside it.

    Story order is a topological sort of the story-order facts (set after / set before, prequel); a
    cycle in those facts is an error that names the claims involved.

    \b
    Examples:
      wickgraph analyze story-order
      wickgraph analyze story-order --as-of 2024-01-03
    """
    from ..analysis import analysis_graph, chronology

    with target.open() as kg:
        graph = analysis_graph(kg, as_of=as_of)
    rows = chronology(graph)
    fitted = output_width(wide)
    width = max((len(r.label) for r in rows), default=4)
    if fitted is not None:  # the work's column gives way: the others are short and fixed
        width = max(min(width, fitted - 28), 4)
    click.echo(f"{'story':>5}  {'work':{width}}  {'released':10}  {'release':>7}")
    for row in rows:
        rank = str(row.release_position) if row.release_position is not None else "-"
        label = row.label if len(row.label) <= width else row.label[: width - 1] + "…"
        click.echo(f"{row.story_position:>5}  {label:{width}}  {row.released or '?':10}  {rank:>7}")
