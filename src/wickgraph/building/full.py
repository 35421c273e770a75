"""The full strategy: the whole dataset staged in memory, the rules run as SPARQL Update, SHACL checked by
pyshacl (:mod:`.validate`: the union's shapes in one run, the each-graph shapes in one more), every citation
checked against the held texts (:mod:`wickgraph.citations`: each held file read and split into lines once); exact,
with memory in proportion to the data. Its time is mostly pyshacl's run over the union (docs/scale.md, "The full
build")."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store as OxStore

from ..errors import CitationError, ValidationError
from .drafts import refuse_drafts
from .parse import Staged, ontology_files, stage
from .provenance import claim_files, supersession_problems
from .report import dataset_counts, refuse_empty
from .rules import apply_rules
from .supersession import drop_status_graphs, snapshot_asserted, status_quads, write_status
from .union import merge_into_default_graph, write_reifiers
from .validate import validate

__all__ = ["Prepared", "prepare", "write_prepared"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A staged, checked graph ready to be written."""

    staged: Staged
    derived: int
    """Quads the rules added."""
    checked: int
    """Citations checked against the held texts."""


def prepare(ontology_dir: Path, data_dir: Path, sources_dir: Path | None, progress: Callable[[str], None]) -> Prepared:
    """Parse, derive, validate, compute the claims' status, write the default graph, check the citations:
    everything but writing the store (a :class:`~wickgraph.errors.WickgraphError` for bad data)."""
    progress(f"parsing {ontology_dir} and {data_dir}")
    staged = stage(ontology_dir, data_dir)
    refuse_drafts(staged.store, staged.files_of)
    drop_status_graphs(staged.store)
    asserted = snapshot_asserted(staged.store)
    progress("applying the build rules")
    derived = apply_rules(staged.store, ontology_dir)
    progress("validating (provenance and SHACL)")
    files_of_claim = functools.partial(claim_files, staged.store, staged.graph_files)
    problems = validate(staged, ontology_dir) + supersession_problems(staged.store, files_of_claim)
    if problems:
        raise ValidationError(problems)
    progress("computing the status of every claim's triples (supersession per triple)")
    status, problems = status_quads(staged.store, asserted, ontology_dir, files_of_claim)
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
    return Prepared(staged, derived, checked)


def write_prepared(prepared: Prepared, generation: Path, progress: Callable[[str], None]) -> None:
    """Write a prepared graph into a fresh generation directory."""
    progress(f"writing {len(prepared.staged.store)} quads to {generation}")
    disk = OxStore(str(generation))
    disk.bulk_extend(prepared.staged.store)
    disk.flush()
    del disk
