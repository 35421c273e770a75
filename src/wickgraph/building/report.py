"""What a build did (:class:`BuildReport`), and the counts both strategies take from the graph they wrote."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store as OxStore

from ..errors import DataError
from ..terms import value
from .parse import ox_select

__all__ = ["BuildReport", "dataset_counts", "refuse_empty"]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build (or a check) did."""

    store: str | None
    """The store directory written, or ``None`` for a check that writes nothing."""
    files: int
    quads: int
    derived: int
    """Quads added by the rules."""
    graphs: int
    entities: int
    sources: int
    claims: int
    citations_checked: int
    """Claims whose span was checked against a held text (0 when no texts were found)."""
    seconds: float
    fast: bool = False
    """Built by the fast, streaming build (``mode="fast"``): SHACL compiled to SPARQL, no citations."""
    incremental: bool = False
    """Made from the current generation, only the changed files' graphs built again (:mod:`.incremental`)."""
    full_rebuild_reason: str | None = None
    """Why a fast build over an earlier one was not incremental (``None`` when it was, or for a first build)."""

    def summary(self) -> str:
        """A few lines for a person."""
        where = f"into {self.store}" if self.store else "(nothing written)"
        lines = [
            f"Loaded {self.quads} triples ({self.derived} derived by rules) from {self.files} files {where}",
            f"  {self.entities} entities, {self.sources} sources, {self.claims} claims, {self.graphs} named graphs",
        ]
        if self.citations_checked:
            lines.append(f"  {self.citations_checked} citations checked against the held source texts")
        elif self.fast:
            lines.append(
                "  fast build: shapes checked as SPARQL; citations not checked (run `wickgraph verify-sources`)"
            )
        else:
            lines.append("  citations not checked: no source texts found (pass --sources DIR)")
        if self.incremental:
            lines.append("  incremental: only the changed files' graphs built again; every check run on the result")
        elif self.full_rebuild_reason:
            lines.append(f"  full rebuild: {self.full_rebuild_reason}")
        lines.append(f"  in {self.seconds:.2f} s")
        return "\n".join(lines)


def dataset_counts(store: OxStore) -> dict[str, int]:
    """Entities, sources and claims in a store."""
    row = ox_select(
        store,
        """
        SELECT (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?s) AS ?sources) (COUNT(DISTINCT ?c) AS ?claims) WHERE {
          { GRAPH wgg:entities { ?e rdfs:label ?l } } UNION { GRAPH ?s { ?s a wg:Source } } UNION { GRAPH ?g { ?c a wg:Claim } }
        }""",
    )[0]
    return {k: int(value(row, k)) for k in ("entities", "sources", "claims")}


def refuse_empty(counts: dict[str, int], data_dir: Path, files: int) -> None:
    """Raise :class:`DataError` when the data hold no sources, no entities or no claims: publishing that would
    replace the graph with next to nothing (a wrong ``--data``, an empty checkout)."""
    missing = [kind for kind in ("sources", "entities", "claims") if not counts[kind]]
    if missing:
        what = "no " + (f"{', no '.join(missing[:-1])} and no {missing[-1]}" if len(missing) > 1 else missing[0])
        raise DataError(
            f"{data_dir}: {what} in the {files} data file{'s' if files != 1 else ''} "
            "found there; refusing to build a graph without them (the store is unchanged). Is --data right?"
        )
