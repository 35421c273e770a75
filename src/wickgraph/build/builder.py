"""The build: stage, derive, validate, check citations, then publish a new store generation atomically."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QuerySolutions
from pyoxigraph import Store as OxStore

from ..errors import CitationError, DataError, ValidationError
from ..locations import default_data_dir, default_ontology_dir, default_sources_dir, default_store_path
from ..store.embedded import publish_generation, writing_generation
from ..terms import value
from .drafts import refuse_drafts
from .parse import Staged, ontology_files, stage
from .rules import apply_rules
from .supersession import drop_status_graphs, snapshot_asserted, status_quads, supersession_problems, write_status
from .validate import validate

__all__ = ["BuildReport", "build", "check", "claim_triples", "dataset_counts", "refuse_empty", "write_reifiers"]


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
    """Built by the fast, streaming build (:func:`wickgraph.bulk_build`): SHACL compiled to SPARQL, no citations."""

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
        lines.append(f"  in {self.seconds:.2f} s")
        return "\n".join(lines)


def dataset_counts(store: OxStore) -> dict[str, int]:
    """Entities, sources and claims in a store."""
    from .parse import ox_select

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


def merge_into_default_graph(store: OxStore) -> None:
    """Write the RDF merge of all named graphs into the default graph.

    Queries without GRAPH see every fact exactly once, on this store and on any SPARQL server the graph is pushed
    to (no union-default-graph setting needed); the named graphs keep who said what.
    """
    from pyoxigraph import DefaultGraph, Quad

    default = DefaultGraph()
    store.extend([Quad(q.subject, q.predicate, q.object, default) for q in store.quads_for_pattern(None, None, None)])


def claim_triples(store: OxStore) -> Iterator[tuple[NamedNode, Quad]]:
    """Each quad of each claim graph, with its claim (the claim IRI names the graph): one index scan per claim,
    about twice as fast as the SPARQL join at a million quads."""
    from ..namespaces import sparql_prologue

    rows = store.query(sparql_prologue() + "SELECT DISTINCT ?c WHERE { GRAPH ?record { ?c a wg:Claim } }")
    assert isinstance(rows, QuerySolutions)
    for claim in [r["c"] for r in rows]:
        if isinstance(claim, NamedNode):
            for quad in store.quads_for_pattern(None, None, None, claim):
                yield claim, quad


def write_reifiers(store: OxStore) -> int:
    """Write into the default graph, for every triple of every claim graph, its RDF 1.2 reifier: the claim,
    ``claim rdf:reifies <<( s p o )>>`` (Turtle 1.2: ``<< s p o ~ claim >>``). With the claim records already in
    the default graph, a SPARQL 1.2 query finds a fact's provenance without naming a graph:
    ``SELECT ?src { << wgd:ballerina wg:director ?d >> wg:source ?src }``. Returns the number written.
    """
    from pyoxigraph import DefaultGraph, Triple

    from ..namespaces import RDF

    reifies, default = NamedNode(RDF + "reifies"), DefaultGraph()
    quads = [
        Quad(claim, reifies, Triple(q.subject, q.predicate, q.object), default) for claim, q in claim_triples(store)
    ]
    store.extend(quads)
    return len(quads)


def _prepare(
    ontology_dir: Path, data_dir: Path, sources_dir: Path | None, progress: Callable[[str], None]
) -> tuple[Staged, int, int]:
    progress(f"parsing {ontology_dir} and {data_dir}")
    staged = stage(ontology_dir, data_dir)
    refuse_drafts(staged.store, staged.files_of)
    drop_status_graphs(staged.store)
    asserted = snapshot_asserted(staged.store)
    progress("applying the build rules")
    derived = apply_rules(staged.store, ontology_dir)
    progress("validating (provenance and SHACL)")
    problems = validate(staged, ontology_dir) + supersession_problems(staged.store, staged.files_of)
    if problems:
        raise ValidationError(problems)
    progress("computing the status of every claim's triples (supersession per triple)")
    status, problems = status_quads(staged.store, asserted, ontology_dir, staged.files_of)
    if problems:
        raise ValidationError(problems)
    data_count = len(staged.files) - len(ontology_files(ontology_dir))
    refuse_empty(dataset_counts(staged.store), data_dir, data_count)
    progress("merging every graph into the default graph (the union view)")
    merge_into_default_graph(staged.store)
    write_status(staged.store, status)
    progress("adding the RDF 1.2 reifiers of the claims' triples to the default graph")
    write_reifiers(staged.store)
    checked = 0
    if sources_dir is not None:
        from ..citations import check_citations

        progress(f"checking citations against {sources_dir}")
        citations = check_citations(staged.store, sources_dir)
        bad = [p for c in citations for p in c.problems]
        if bad:
            raise CitationError(bad)
        checked = len(citations)
    return staged, derived, checked


def check(
    *,
    ontology_dir: Path | None = None,
    data_dir: Path | None = None,
    sources_dir: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildReport:
    """Everything a build does except writing: parse, derive, validate, check citations."""
    started = time.perf_counter()
    staged, derived, checked = _prepare(
        ontology_dir or default_ontology_dir(),
        data_dir or default_data_dir(),
        sources_dir if sources_dir is not None else default_sources_dir(),
        progress,
    )
    return _report(None, staged, derived, checked, started)


def build(
    store: str | os.PathLike[str] | None = None,
    *,
    ontology_dir: Path | None = None,
    data_dir: Path | None = None,
    sources_dir: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
    wait: bool = True,
) -> BuildReport:
    """Build the graph into a store directory, atomically.

    The new graph is written to a fresh generation directory and made current with one atomic rename only
    when everything succeeded; a failure (or a kill) at any point leaves the previous graph current.
    One build writes a store at a time: when another holds the store's build lock this one waits for it, or
    with ``wait=False`` raises :class:`~wickgraph.errors.StoreError` (see :mod:`wickgraph.store.embedded`).
    Raises :class:`~wickgraph.errors.ParseError`, :class:`~wickgraph.errors.ValidationError` or
    :class:`~wickgraph.errors.CitationError` for bad data, :class:`~wickgraph.errors.DataError` when the data
    hold no sources, entities or claims, :class:`~wickgraph.errors.StoreError` when the store cannot be written.
    """
    started = time.perf_counter()
    root = Path(store) if store is not None else default_store_path()
    staged, derived, checked = _prepare(
        ontology_dir or default_ontology_dir(),
        data_dir or default_data_dir(),
        sources_dir if sources_dir is not None else default_sources_dir(),
        progress,
    )
    with writing_generation(root, wait=wait, progress=progress) as generation:
        progress(f"writing {len(staged.store)} quads to {generation}")
        disk = OxStore(str(generation))
        disk.bulk_extend(staged.store)
        disk.flush()
        del disk
        pause_for_tests("publish", progress)
        progress("publishing (atomic switch of the current generation)")
        publish_generation(root, generation)
    return _report(str(root), staged, derived, checked, started)


def pause_for_tests(stage: str, progress: Callable[[str], None]) -> None:
    """Fault-injection seam for the crash and concurrency tests: with WICKGRAPH_BUILD_PAUSE=STAGE the build
    stops here for WICKGRAPH_BUILD_PAUSE_SECONDS (60), or until the file WICKGRAPH_BUILD_PAUSE_UNTIL exists."""
    if os.environ.get("WICKGRAPH_BUILD_PAUSE") != stage:
        return
    progress(f"paused before {stage} (WICKGRAPH_BUILD_PAUSE)")
    deadline = time.monotonic() + float(os.environ.get("WICKGRAPH_BUILD_PAUSE_SECONDS", "60"))
    until = os.environ.get("WICKGRAPH_BUILD_PAUSE_UNTIL")
    while time.monotonic() < deadline and not (until and Path(until).exists()):
        time.sleep(0.05)


def _report(store: str | None, staged: Staged, derived: int, checked: int, started: float) -> BuildReport:
    counts = dataset_counts(staged.store)
    return BuildReport(
        store=store,
        files=len(staged.files),
        quads=len(staged.store),
        derived=derived,
        graphs=sum(1 for _ in staged.store.named_graphs()),
        entities=counts["entities"],
        sources=counts["sources"],
        claims=counts["claims"],
        citations_checked=checked,
        seconds=time.perf_counter() - started,
    )
