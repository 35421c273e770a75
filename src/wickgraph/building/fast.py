"""The fast strategy: for millions of triples. Streams the data into the store, derives and checks on disk.

The full strategy (:mod:`.full`) stages everything in memory, validates with pyshacl on an rdflib copy and
checks every citation: exact, and fine for thousands of triples, but it needs memory in proportion to the
data (pyshacl alone about 1.3 KB per triple). This one does the same work with memory that does not grow
with the input, inside the generation directory the build lifecycle (:mod:`.generation`) gives it:

1. every data file is read by pyoxigraph's bulk loader straight into the new store generation on disk (Rust
   reads the file; no Python object per triple), with a progress bar on a terminal (:mod:`.loading`);
2. the build rules (``ontology/rules/*.ru``) run as streamed SELECT queries whose results are bulk-loaded back
   (:mod:`.derive`), or, for the per-quad ones when every data file is regular N-Quads, as one pass over the
   text of the input and of what the rules before derived (:mod:`.onepass`): the same quads SPARQL Update
   would add;
3. the merge of all graphs is written into the default graph, as the full strategy does (and, once the checks
   have passed, the claims' RDF 1.2 reifiers, written as text in the registry's pass when the input is regular
   N-Quads): :mod:`.union`;
4. the provenance rules (:mod:`.provenance`, the same as the full strategy's; the registry's two decided from
   the same text when they pass) and the SHACL shapes compiled to SPARQL (:mod:`.shapes`; the class and
   required-property checks of a node shape screened by one query each) run on the store.

It does not check citations against held texts (``wickgraph verify-sources`` does).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import DefaultGraph, NamedNode, Triple, parse
from pyoxigraph import Store as OxStore

from ..errors import ValidationError
from ..namespaces import ONTOLOGY_GRAPH, STATUS_GRAPH
from .drafts import refuse_drafts
from .loading import load_file
from .parse import FORMATS, display_path, ontology_files
from .report import dataset_counts, refuse_empty

if TYPE_CHECKING:
    from .onepass import Source

__all__ = ["Filled", "fill_fast"]


@dataclass(frozen=True, slots=True)
class Filled:
    """What the fast strategy wrote into its generation."""

    quads: int
    derived: int
    graphs: int
    counts: dict[str, int]
    asserted: dict[str, set[Triple]] = field(default_factory=dict)
    """The triples each claim in a supersession states (the input of the status; the incremental build keeps it)."""


class _GraphFiles:
    """Which data files hold a named graph (and which put triples in the default graph): found when a problem
    first asks (the files are read once more, on the way to a failed build only), so a build that passes pays
    nothing."""

    def __init__(self, files: list[Path]) -> None:
        self._files = files
        self._graphs: dict[str, set[str]] | None = None
        self._default: set[str] = set()

    def _read(self) -> dict[str, set[str]]:
        if self._graphs is None:
            self._graphs = {}
            for path in self._files:
                shown = display_path(path)
                for quad in parse(path=str(path), format=FORMATS[path.suffix]):
                    if isinstance(quad.graph_name, NamedNode):
                        self._graphs.setdefault(quad.graph_name.value, set()).add(shown)
                    elif isinstance(quad.graph_name, DefaultGraph):
                        self._default.add(shown)
        return self._graphs

    def __call__(self, graph: str) -> set[str]:
        return self._read().get(graph, set())

    def default_graph_files(self) -> set[str]:
        self._read()
        return self._default


def _text_inputs(files: list[Path]) -> list[Source] | None:
    """The data files as the text of what the store holds (for the rules run as one pass, :mod:`.onepass`), when
    every one is N-Quads (each with the blank node scope it was loaded with); ``None`` otherwise."""
    from pyoxigraph import RdfFormat

    from .onepass import Source

    if any(FORMATS.get(path.suffix) != RdfFormat.N_QUADS for path in files):
        return None
    return [Source(path, scope=f"f{number}") for number, path in enumerate(files)]


def fill_fast(
    generation: Path,
    *,
    workdir: Path,
    ontology: Path,
    data: Path,
    files: list[Path],
    rules: bool,
    progress: Callable[[str], None],
    progress_bar: bool,
) -> Filled:
    """Load, derive and check the data in the store at ``generation`` (see the module docstring); work files go
    to ``workdir``. Raises :class:`~wickgraph.errors.ParseError`, :class:`~wickgraph.errors.ValidationError`
    or :class:`~wickgraph.errors.DataError` for bad data."""
    from .checks import run_checks
    from .derive import derive
    from .onepass import graph_text, text_pass
    from .provenance import claim_files, outside_named_graphs, provenance_checks
    from .supersession import drop_status_graphs, snapshot_asserted, status_quads, write_status
    from .union import merge_from_inputs, merge_into_default_graph, write_reifiers

    disk = OxStore(str(generation))
    for path in ontology_files(ontology):
        load_file(disk, path, False, to_graph=ONTOLOGY_GRAPH)
    for number, path in enumerate(files):
        progress(f"loading {path}")
        load_file(disk, path, progress_bar, scope=f"f{number}")
    files_of = _GraphFiles(files)
    refuse_drafts(disk, files_of)
    if disk.query("ASK { ?s ?p ?o }"):
        raise ValidationError(outside_named_graphs(files_of.default_graph_files()))
    if rules:  # status graphs in the input (a dump) are computed anew below; without the rules they are kept
        drop_status_graphs(disk)
    asserted = snapshot_asserted(disk)
    before = len(disk)
    derived = 0
    text = _text_inputs(files)
    status_graphs = f"<{STATUS_GRAPH}".encode() if rules else None
    with tempfile.TemporaryDirectory(prefix="wickgraph-reifiers-", dir=workdir) as later:
        reifier_text: Path | None = None
        with tempfile.TemporaryDirectory(prefix="wickgraph-derived-", dir=workdir) as tmp:
            derived_triples = Path(tmp) / "derived.nt" if rules else None
            sources: list[Source] = [] if rules or text is None else list(text)
            regular: set[Path] = set()
            if derived_triples is not None:
                progress("applying the build rules (streamed)")
                with derived_triples.open("w", encoding="utf-8", buffering=1 << 20) as triples:
                    derive(
                        disk,
                        ontology,
                        workdir=workdir,
                        progress=progress,
                        triples=triples,
                        inputs=text,
                        skip_graph=status_graphs,
                        keep=(Path(tmp), sources, regular),
                    )
                derived = len(disk) - before
            checks = provenance_checks()
            if sources:
                progress("checking the registry from the text (one pass)")
                sources.append(graph_text(disk, ONTOLOGY_GRAPH, Path(tmp) / "ontology.tsv"))
                reifier_text = Path(later) / "reifiers.nt"
                with reifier_text.open("wb", buffering=1 << 20) as sink:
                    passing, whole = text_pass(disk, sources, status_graphs, regular, reifiers=sink)
                reifier_text = reifier_text if whole else None
                checks = [check for check in checks if check.label not in passing]
            progress("checking the provenance rules (SPARQL)")
            problems = run_checks(disk, checks, files_of=files_of, progress=progress)
            progress("merging every graph into the default graph (the union view)")
            if not merge_from_inputs(disk, files, derived_triples, workdir=workdir, drop_status=rules):
                merge_into_default_graph(disk, workdir)
        problems += shape_and_supersession_problems(disk, ontology, files_of, progress)
        if problems:
            raise ValidationError(problems)
        if rules:
            progress("computing the status of every claim's triples (supersession per triple)")
            status, problems = status_quads(disk, asserted, ontology, functools.partial(claim_files, disk, files_of))
            if problems:
                raise ValidationError(problems)
            write_status(disk, status)
        progress("adding the RDF 1.2 reifiers of the claims' triples to the default graph")
        write_reifiers(disk, workdir, text=reifier_text)
    counts = dataset_counts(disk)
    refuse_empty(counts, data, len(files))
    filled = Filled(len(disk), derived, sum(1 for _ in disk.named_graphs()), counts, asserted)
    disk.flush()
    del disk
    return filled


def shape_and_supersession_problems(
    disk: OxStore, ontology: Path, files_of: Callable[[str], Iterable[str]], progress: Callable[[str], None]
) -> list[str]:
    """The checks every fast build ends with, full or incremental: the SHACL shapes compiled to SPARQL, then the
    supersession links; each problem worded with the files of the graphs at fault."""
    from .checks import run_checks
    from .provenance import claim_files, supersession_problems
    from .shapes import compile_shapes

    progress("checking the shapes (SPARQL)")
    problems = run_checks(disk, compile_shapes(ontology / "shapes.ttl"), files_of=files_of, progress=progress)
    return problems + supersession_problems(disk, functools.partial(claim_files, disk, files_of))
