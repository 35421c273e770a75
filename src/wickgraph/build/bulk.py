"""The fast build: for millions of triples. Streams the data into the store, derives and checks on disk.

The full build (:func:`wickgraph.build`) stages everything in memory, validates with pyshacl on an rdflib copy
and checks every citation: exact, and fine for thousands of triples, but it needs memory in proportion to the
data (pyshacl alone about 1.3 KB per triple). This build does the same work with memory that does not grow
with the input:

1. every data file is read by pyoxigraph's bulk loader straight into a new store generation on disk (Rust
   reads the file; no Python object per triple), with a progress bar on a terminal;
2. the build rules (``ontology/rules/*.ru``) run as streamed SELECT queries whose results are bulk-loaded back
   (:mod:`wickgraph.build.derive`): the same quads SPARQL Update would add;
3. the merge of all graphs is written into the default graph, as the full build does (and, once the checks
   have passed, the claims' RDF 1.2 reifiers: :func:`write_reifiers`);
4. the SHACL shapes, compiled to SPARQL, and the provenance rules run on the store
   (:mod:`wickgraph.build.checks`);
5. the generation is published with the same atomic swap as the full build.

It does not check citations against held texts (``wickgraph verify-sources`` does), and it names the entity
but not the file in its messages.
"""

from __future__ import annotations

import functools
import io
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse
from pyoxigraph import Store as OxStore

from ..errors import ParseError, ValidationError
from ..locations import default_data_dir, default_ontology_dir, default_store_path
from ..namespaces import ONTOLOGY_GRAPH
from ..progress import ProgressBar, ProgressReader
from ..store.embedded import publish_generation, writing_generation
from .builder import BuildReport, dataset_counts, pause_for_tests, refuse_empty
from .drafts import refuse_drafts
from .parse import data_files, ontology_files

__all__ = ["FAST_BUILD_THRESHOLD", "bulk_build", "input_size", "load_lines"]

FAST_BUILD_THRESHOLD = 32 * 1024 * 1024
"""Input size (bytes) above which ``wickgraph build`` picks the fast build unless told otherwise."""

_FORMATS = {".ttl": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG, ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS}
_LINE_BASED = {RdfFormat.N_TRIPLES, RdfFormat.N_QUADS}


def input_size(data_dir: Path | None = None) -> int:
    """Total size in bytes of the data files a build would read."""
    return sum(p.stat().st_size for p in data_files(data_dir or default_data_dir()))


_CHUNK_BYTES = 32 * 1024 * 1024
"""How much line-based input one call of pyoxigraph's bulk loader is given: its memory grows with its input
(about 1 GB for a 1M-quad file), so line-based files are loaded in pieces of this size."""


def load_lines(store: OxStore, source: IO[bytes], fmt: RdfFormat, *, scope: str = "", first_line: int = 1) -> int:
    """Load N-Quads or N-Triples from ``source`` in pieces of about 32 MB (memory that does not grow with the
    file); return the number of lines read.

    pyoxigraph's bulk loader gives the blank nodes of each call new names, so the lines that mention a blank
    node are parsed and added with their labels kept instead, prefixed with ``scope`` (blank node labels belong
    to their file: give each file its own scope; ``""`` keeps a dump's labels, the store's own). A syntax error
    is raised with its line in the whole file.
    """
    reader = source if isinstance(source, io.BufferedIOBase) else io.BufferedReader(cast(io.RawIOBase, source))
    line = first_line
    while True:
        lines = reader.readlines(_CHUNK_BYTES)
        if not lines:
            return line - first_line
        plain = [text for text in lines if b"_:" not in text]
        try:
            if plain:
                store.bulk_load(io.BytesIO(b"".join(plain)), fmt)
            if len(plain) < len(lines):
                blank = parse(b"".join(text for text in lines if b"_:" in text), fmt)
                store.extend(_scoped(blank, scope) if scope else blank)
        except SyntaxError:
            # Where in the file: the piece parsed again in its own order.
            try:
                for _ in parse(b"".join(lines), fmt):
                    pass
            except SyntaxError as exc:
                where = (exc.lineno or 1) + line - 1
                message = re.sub(r"\bline \d+", f"line {where}", exc.msg, count=1)
                raise SyntaxError(message, (exc.filename, where, exc.offset, "")) from None
            raise
        line += len(lines)


def _scoped(quads: Iterable[Quad], scope: str) -> Iterator[Quad]:
    def term(t: Any) -> Any:
        return BlankNode(scope + t.value) if isinstance(t, BlankNode) else t

    for q in quads:
        yield Quad(term(q.subject), q.predicate, term(q.object), q.graph_name)


def _load(store: OxStore, path: Path, bar: bool, to_graph: str | None = None, *, scope: str = "") -> int | None:
    """Load one file; return its number of triples when the format is line-based."""
    fmt = _FORMATS[path.suffix]
    progress = ProgressBar(path.stat().st_size, f"loading {path.name}", enabled=None if bar else False)
    counted = fmt in _LINE_BASED
    try:
        with path.open("rb") as raw:
            reader = ProgressReader(raw, lambda r: progress.update(r.bytes, r.lines if counted else None))
            if counted and to_graph is None:
                load_lines(store, cast(IO[bytes], reader), fmt, scope=scope)
            else:
                graph = NamedNode(to_graph) if to_graph else None
                store.bulk_load(cast(IO[bytes], reader), fmt, to_graph=graph)
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise ParseError(message, path=str(path), line=exc.lineno, column=exc.offset) from None
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text: {exc.reason}", path=str(path)) from None
    progress.finish(reader.bytes, reader.lines if counted else None)
    return reader.lines if counted else None


def merge_into_default_graph(store: OxStore, workdir: Path) -> None:
    """Write the merge of all named graphs into the default graph, as the full build does, without a Python
    object per quad: pyoxigraph dumps the quads, each line loses its graph name, the result is loaded back in
    pieces (a triple stated in several graphs is stored once)."""
    with tempfile.TemporaryDirectory(prefix="wickgraph-merge-", dir=workdir) as tmp:
        quads, triples = Path(tmp) / "all.nq", Path(tmp) / "merge.nt"
        store.dump(output=str(quads), format=RdfFormat.N_QUADS)
        with quads.open("rb") as source, triples.open("wb", buffering=1 << 20) as sink:
            for line in source:
                # "<s> <p> <o> <g> .": the graph name is the last term (an IRI or blank node, no spaces).
                body = line.rstrip()[:-2].rstrip()
                sink.write(body[: body.rindex(b" ")] + b" .\n")
        quads.unlink()
        with triples.open("rb") as merged:
            load_lines(store, merged, RdfFormat.N_TRIPLES)


class _GraphFiles:
    """Which data files hold a named graph: found when a problem first asks (the files are read once more, on
    the way to a failed build only), so a build that passes pays nothing."""

    def __init__(self, files: list[Path]) -> None:
        self._files = files
        self._graphs: dict[str, set[str]] | None = None

    def __call__(self, graph: str) -> set[str]:
        if self._graphs is None:
            from .parse import _display

            self._graphs = {}
            for path in self._files:
                shown = _display(path)
                for quad in parse(path=str(path), format=_FORMATS[path.suffix]):
                    if isinstance(quad.graph_name, NamedNode):
                        self._graphs.setdefault(quad.graph_name.value, set()).add(shown)
        return self._graphs.get(graph, set())


def _claim_files(store: OxStore, files_of: _GraphFiles, claim: str) -> str:
    """The data files of a claim: those of its own graph and of the source graph that holds its record."""
    found = set(files_of(claim))
    for quad in store.quads_for_pattern(NamedNode(claim), None, None, None):
        if isinstance(quad.graph_name, NamedNode):
            found |= files_of(quad.graph_name.value)
    return ", ".join(sorted(found)) or "(derived by the build rules)"


def write_reifiers(store: OxStore, workdir: Path) -> None:
    """Write the claims' RDF 1.2 reifiers into the default graph, as the full build does
    (:func:`wickgraph.build.builder.write_reifiers`), streamed: the SELECT's rows become N-Triples lines in a
    file that is loaded back in pieces."""
    from ..namespaces import RDF
    from .builder import claim_triples

    reifies = f"<{RDF}reifies>"
    with tempfile.TemporaryDirectory(prefix="wickgraph-merge-", dir=workdir) as tmp:
        path = Path(tmp) / "reifiers.nt"
        with path.open("w", encoding="utf-8", buffering=1 << 20) as sink:
            for claim, q in claim_triples(store):
                sink.write(f"{claim} {reifies} <<( {q.subject} {q.predicate} {q.object} )>> .\n")
        with path.open("rb") as lines:
            load_lines(store, lines, RdfFormat.N_TRIPLES)


def bulk_build(
    store: str | os.PathLike[str] | None = None,
    *,
    ontology_dir: Path | None = None,
    data_dir: Path | None = None,
    rules: bool = True,
    progress: Callable[[str], None] = lambda message: None,
    progress_bar: bool = False,
    wait: bool = True,
) -> BuildReport:
    """Build the graph into a store directory with the fast, streaming build (see the module docstring).

    ``rules=False`` skips the build rules, for input that already holds their output (a dump of a built
    store); the status graphs of such input (supersession per triple) are kept as they are, since they too are
    computed from the claims as the data state them, before the rules. ``progress_bar=True`` draws a progress bar on stderr when it is a terminal. It holds the store's
    build lock from start to end, as :func:`wickgraph.build` does (``wait=False``: fail when another build holds
    it). Raises :class:`~wickgraph.errors.ParseError` or :class:`~wickgraph.errors.ValidationError` for bad
    data, :class:`~wickgraph.errors.DataError` when the data hold no sources, entities or claims, and
    :class:`~wickgraph.errors.StoreError` when the store cannot be written; the previous graph stays current.
    """
    from .checks import run_checks
    from .derive import derive
    from .supersession import drop_status_graphs, snapshot_asserted, status_quads, supersession_problems, write_status

    started = time.perf_counter()
    ontology = ontology_dir or default_ontology_dir()
    data = data_dir or default_data_dir()
    if not ontology.is_dir():
        raise ParseError("ontology directory not found", path=str(ontology))
    if not data.is_dir():
        raise ParseError("data directory not found", path=str(data))
    files = data_files(data)
    root = Path(store) if store is not None else default_store_path()
    with writing_generation(root, wait=wait, progress=progress) as generation:
        disk = OxStore(str(generation))
        for path in ontology_files(ontology):
            _load(disk, path, False, to_graph=ONTOLOGY_GRAPH)
        for number, path in enumerate(files):
            progress(f"loading {path}")
            _load(disk, path, progress_bar, scope=f"f{number}")
        refuse_drafts(disk, _GraphFiles(files))
        if disk.query("ASK { ?s ?p ?o }"):
            raise ValidationError(["triples outside any named graph; put them in the source's graph or a claim graph"])
        if rules:  # status graphs in the input (a dump) are computed anew below; without the rules they are kept
            drop_status_graphs(disk)
        asserted = snapshot_asserted(disk)
        before = len(disk)
        derived = 0
        if rules:
            progress("applying the build rules (streamed)")
            derive(disk, ontology, workdir=root, progress=progress)
            derived = len(disk) - before
        progress("merging every graph into the default graph (the union view)")
        merge_into_default_graph(disk, root)
        progress("checking the shapes and the provenance rules (SPARQL)")
        files_of = _GraphFiles(files)
        problems = run_checks(disk, ontology / "shapes.ttl", files_of=files_of)
        problems += supersession_problems(disk, functools.partial(_claim_files, disk, files_of))
        if problems:
            raise ValidationError(problems)
        if rules:
            progress("computing the status of every claim's triples (supersession per triple)")
            status, problems = status_quads(disk, asserted, ontology, functools.partial(_claim_files, disk, files_of))
            if problems:
                raise ValidationError(problems)
            write_status(disk, status)
        progress("adding the RDF 1.2 reifiers of the claims' triples to the default graph")
        write_reifiers(disk, root)
        counts = dataset_counts(disk)
        refuse_empty(counts, data, len(files))
        quads = len(disk)
        graphs = sum(1 for _ in disk.named_graphs())
        disk.flush()
        del disk
        pause_for_tests("publish", progress)
        publish_generation(root, generation)
    return BuildReport(
        store=str(root),
        files=len(ontology_files(ontology)) + len(files),
        quads=quads,
        derived=derived,
        graphs=graphs,
        entities=counts["entities"],
        sources=counts["sources"],
        claims=counts["claims"],
        citations_checked=0,
        seconds=time.perf_counter() - started,
        fast=True,
    )
