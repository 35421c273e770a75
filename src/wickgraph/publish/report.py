"""What a push wrote (:class:`PushReport`), and the error that says how far a failed push got."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import EndpointError, PushError

__all__ = ["PushReport", "failed"]


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push wrote."""

    endpoint: str
    """The URL written to (update or graph-store URL)."""
    method: str
    graphs: int
    triples: int
    batches: int
    dropped: tuple[str, ...]
    """wickgraph graphs that were on the server but not in the build, dropped (``replace=True``)."""
    seconds: float
    default_graph: int | None = None
    """Triples written into the server's default graph (the merge of the graphs), ``None`` when not written."""
    default_graph_is_union: bool | None = None
    """Whether, after the push, the server's default graph holds exactly the merge of wickgraph's graphs (what
    queries without ``--union client`` need)."""
    default_graph_seen: int | None = None
    """Distinct triples the server's default graph holds after the push."""
    merged: int | None = None
    """Distinct triples in the merge of the pushed graphs."""
    server_union: bool = False
    """The server makes its default graph from its named graphs by itself, so push did not write it."""
    merge_graph: str | None = None
    """The graph push wrote the merge into, on a server whose own default graph also holds other graphs."""

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else float("inf")

    def summary(self) -> str:
        """A few lines for a person."""
        lines = [
            f"Pushed {self.triples} triples in {self.graphs} named graphs to {self.endpoint}",
            f"  {self.batches} batches by {self.method}, {self.seconds:.2f} s, {self.triples_per_second:,.0f} triples/s",
        ]
        if self.dropped:
            lines.append(f"  dropped {len(self.dropped)} wickgraph graphs that are not in the build")
        if self.merge_graph is not None:
            lines.append(
                f"  default graph: the server's own union of all its graphs; the merge of wickgraph's graphs "
                f"({self.default_graph} triples) written to <{self.merge_graph}>, which --union client uses"
            )
        elif self.default_graph is not None:
            lines.append(f"  default graph: the merge of the graphs, {self.default_graph} triples")
        elif self.server_union:
            lines.append("  default graph: made by the server from its graphs (not written)")
        if self.default_graph_is_union is False:
            if self.default_graph_seen and self.merged and self.default_graph_seen > self.merged:
                lines.append(
                    f"  note: the server's default graph holds {self.default_graph_seen} triples, not the "
                    f"{self.merged} of wickgraph's graphs (it holds other graphs too, such as the server's own): "
                    "query with --union client, which names wickgraph's graphs in every query"
                )
            else:
                from ..store.remote import NOT_UNION

                lines.append(f"  note: {NOT_UNION}")
        return "\n".join(lines)


def failed(
    url: str,
    exc: EndpointError,
    done: int,
    planned: int,
    graphs_written: int,
    triples_written: int,
    graphs_total: int,
    triples_total: int,
    replace: bool,
    default_graph: bool,
) -> PushError:
    if done == 0:
        state = "nothing was written: wickgraph's graphs on the server are as they were before the push"
    else:
        state = (
            f"batches 1-{done} were written ({graphs_written} of {graphs_total} graphs, {triples_written} of "
            f"{triples_total} triples): those graphs are as of the last complete batch, all others as they were "
            "before the push"
        )
    if replace:
        state += "; no graph was dropped"
    if default_graph:
        state += "; the default graph is as it was"
    return PushError(
        url,
        f"push failed in batch {done + 1} of {planned} ({exc.what}); {state}",
        graphs_written=graphs_written,
        triples_written=triples_written,
    )
