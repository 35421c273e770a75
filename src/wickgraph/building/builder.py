"""The build: one entry point, two strategies, one store-generation lifecycle.

:func:`build` reads the ontology and the data, derives, checks, and publishes a new store generation
atomically (:mod:`.generation`). How it does the work is its strategy, chosen by ``mode``:

- ``"full"`` (:mod:`.full`): staged in memory, SHACL by pyshacl, every citation checked against the held
  texts; exact, memory in proportion to the data;
- ``"fast"`` (:mod:`.fast`): streamed into the store on disk, the shapes compiled to SPARQL, no citation
  check; memory that does not grow with the data;
- ``"auto"`` (the default): the fast strategy when the data files exceed :data:`FAST_BUILD_THRESHOLD`
  (32 MB) in all, else the full one.

Both run the same provenance rules (:mod:`.provenance`) and the same supersession checks, word every problem
the same, and leave the previous graph current when they fail or are killed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pyoxigraph import Store as OxStore

from ..errors import ParseError, StoreNotFoundError, UsageError
from ..locations import default_data_dir, default_ontology_dir, default_sources_dir, default_store_path
from .generation import publish_new_generation
from .parse import data_files, ontology_files
from .report import BuildReport, dataset_counts

if TYPE_CHECKING:  # pragma: no cover
    from .fast import Filled

__all__ = ["FAST_BUILD_THRESHOLD", "BuildMode", "build", "bulk_build", "check", "choose_mode", "input_size"]

BuildMode = Literal["auto", "full", "fast"]

FAST_BUILD_THRESHOLD = 32 * 1024 * 1024
"""Input size (bytes) above which ``mode="auto"`` picks the fast strategy."""


def input_size(data_dir: Path | None = None) -> int:
    """Total size in bytes of the data files a build would read."""
    return sum(p.stat().st_size for p in data_files(data_dir or default_data_dir()))


def choose_mode(
    mode: BuildMode = "auto", data_dir: Path | None = None, *, rules: bool = True
) -> Literal["full", "fast"]:
    """The strategy a build with ``mode`` uses: ``"auto"`` is ``"fast"`` when the data files under ``data_dir``
    exceed :data:`FAST_BUILD_THRESHOLD` bytes, else ``"full"``. Skipping the rules (``rules=False``, for
    input that already holds their output) is the fast strategy's alone: :class:`~wickgraph.errors.UsageError`
    when the choice is the full one."""
    if mode not in ("auto", "full", "fast"):
        raise UsageError(f"unknown build mode {mode!r}: use 'auto', 'full' or 'fast'")
    big = mode == "auto" and input_size(data_dir) > FAST_BUILD_THRESHOLD
    chosen: Literal["full", "fast"] = "fast" if big else "full" if mode == "auto" else mode
    if not rules and chosen != "fast":
        raise UsageError("skipping the build rules (rules=False) needs the fast build (mode='fast')")
    return chosen


def build(
    store: str | os.PathLike[str] | None = None,
    *,
    mode: BuildMode = "auto",
    ontology_dir: Path | None = None,
    data_dir: Path | None = None,
    sources_dir: Path | None = None,
    citations: bool = True,
    rules: bool = True,
    progress: Callable[[str], None] = lambda message: None,
    progress_bar: bool = False,
    wait: bool = True,
    full_rebuild: bool = False,
    as_of_copies: bool | None = None,
) -> BuildReport:
    """Build the graph into a store directory, atomically.

    ``mode`` chooses the strategy (:func:`choose_mode`: ``"auto"``, ``"full"`` or ``"fast"``; see the module
    docstring). The new graph is written to a fresh generation directory and made current with one atomic
    rename only when everything succeeded; a failure (or a kill) at any point leaves the previous graph current.
    One build writes a store at a time: when another holds the store's build lock this one waits for it, or
    with ``wait=False`` raises :class:`~wickgraph.errors.StoreError` (see :mod:`wickgraph.store.embedded`).
    ``sources_dir`` (the full strategy's) holds the texts the citations are checked against (default:
    :func:`~wickgraph.locations.default_sources_dir`, when there are any); ``citations=False`` skips that check;
    ``rules=False``
    (the fast strategy's) skips the build rules for input that already holds their output (a dump of a built
    store), keeping its status graphs; ``progress_bar=True`` draws the fast strategy's progress bar on stderr
    when it is a terminal.
    The fast strategy is incremental when it can be (:mod:`.incremental`): when only some data files changed
    since the current generation was built (and the ontology, shapes and rules did not), only their graphs
    are loaded, derived and merged again into a copy of it, and every check runs on the result; else (or with
    ``full_rebuild=True``) it builds everything, and the report says why (``full_rebuild_reason``).
    ``as_of_copies=True`` writes the server's as-of copies of the new graph before it is published
    (:func:`wickgraph.server.snapshots.write_for_build`), so that the first server after the build answers
    as-of from them; by default the full strategy does (seconds on the real graph) and the fast one does not
    (minutes at scale: the server then makes them in the background when it starts). When they cannot be
    written the build still succeeds, and the server makes them.
    Raises :class:`~wickgraph.errors.ParseError`, :class:`~wickgraph.errors.ValidationError` or
    :class:`~wickgraph.errors.CitationError` for bad data, :class:`~wickgraph.errors.DataError` when the data
    hold no sources, entities or claims, :class:`~wickgraph.errors.StoreError` when the store cannot be written.
    """
    started = time.perf_counter()
    root = Path(store) if store is not None else default_store_path()
    ontology = ontology_dir or default_ontology_dir()
    data = data_dir or default_data_dir()
    chosen = choose_mode(mode, data, rules=rules)
    if mode == "auto" and chosen == "fast":
        progress(f"{input_size(data) / 2**20:,.0f} MB of data: using the fast build")
    copies = chosen == "full" if as_of_copies is None else as_of_copies
    if chosen == "full":
        from .full import prepare, write_prepared

        prepared = prepare(ontology, data, _sources(sources_dir, citations), progress)
        publish_new_generation(
            root,
            lambda generation: write_prepared(prepared, generation, progress),
            wait=wait,
            progress=progress,
            as_of_copies=copies,
        )
        staged = prepared.staged
        return _report(str(root), staged.store, len(staged.files), prepared.derived, prepared.checked, started)
    for directory, what in ((ontology, "ontology"), (data, "data")):
        if not directory.is_dir():
            raise ParseError(f"{what} directory not found", path=str(directory))
    files = data_files(data)
    filled, reason = publish_new_generation(
        root,
        lambda generation: _fill_fast(
            generation,
            root=root,
            ontology=ontology,
            data=data,
            files=files,
            rules=rules,
            full_rebuild=full_rebuild,
            progress=progress,
            progress_bar=progress_bar,
        ),
        wait=wait,
        progress=progress,
        as_of_copies=copies,
        compact=_built_in_full,
    )
    return BuildReport(
        store=str(root),
        files=len(ontology_files(ontology)) + len(files),
        quads=filled.quads,
        derived=filled.derived,
        graphs=filled.graphs,
        entities=filled.counts["entities"],
        sources=filled.counts["sources"],
        claims=filled.counts["claims"],
        citations_checked=0,
        seconds=time.perf_counter() - started,
        fast=True,
        incremental=reason == "",
        full_rebuild_reason=reason or None,
    )


def _built_in_full(done: tuple[Filled, str | None]) -> bool:
    """Whether :func:`_fill_fast` built everything (its store is then compacted before the publish), not
    incrementally: an incremental change adds a few small files that RocksDB keeps in bounds itself, and a full
    compaction would cost seconds at 1M (docs/scale.md, "Named queries at a million triples")."""
    return done[1] != ""


def _fill_fast(
    generation: Path,
    *,
    root: Path,
    ontology: Path,
    data: Path,
    files: list[Path],
    rules: bool,
    full_rebuild: bool,
    progress: Callable[[str], None],
    progress_bar: bool,
) -> tuple[Filled, str | None]:
    """Fill ``generation`` incrementally when it can be, else in full (with a manifest for the next build, when
    the rules ran). Returns what was written and ``""`` (incremental), why it was built in full, or ``None``
    (a first build: nothing to build on)."""
    from ..store.embedded import current_generation
    from .fast import fill_fast
    from .manifest import scan_file, write_manifest

    reason: str | None = None
    try:
        current: Path | None = current_generation(root)
    except StoreNotFoundError:
        current = None
    if current is not None:
        reason = "--full-rebuild" if full_rebuild else None if rules else "the build rules are skipped (--no-rules)"
        if reason is None:
            from .incremental import fill_incremental, plan

            planned = plan(current, ontology, data, files)
            reason = planned.reason
            if reason is None:
                done = fill_incremental(
                    generation,
                    current=current,
                    workdir=root,
                    ontology=ontology,
                    data=data,
                    files=files,
                    planned=planned,
                    progress=progress,
                )
                if not isinstance(done, str):
                    write_manifest(generation, ontology, done[1], done[0].asserted, (done[0].quads, done[0].graphs))
                    return done[0], ""
                reason = done
        progress(f"full rebuild: {reason}")
    filled = fill_fast(
        generation,
        workdir=root,
        ontology=ontology,
        data=data,
        files=files,
        rules=rules,
        progress=progress,
        progress_bar=progress_bar,
    )
    if rules:
        progress("writing the manifest (each file's SHA-256 and graphs, for the next, incremental build)")
        write_manifest(
            generation,
            ontology,
            [scan_file(path, data) for path in files],
            filled.asserted,
            (filled.quads, filled.graphs),
        )
    return filled, reason


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
    """:func:`build` with ``mode="fast"``: the streaming strategy, for millions of triples."""
    return build(
        store,
        mode="fast",
        ontology_dir=ontology_dir,
        data_dir=data_dir,
        rules=rules,
        progress=progress,
        progress_bar=progress_bar,
        wait=wait,
    )


def check(
    *,
    ontology_dir: Path | None = None,
    data_dir: Path | None = None,
    sources_dir: Path | None = None,
    citations: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildReport:
    """Everything a full build does except writing: parse, derive, validate, check citations (unless
    ``citations=False``)."""
    from .full import prepare

    started = time.perf_counter()
    prepared = prepare(
        ontology_dir or default_ontology_dir(),
        data_dir or default_data_dir(),
        _sources(sources_dir, citations),
        progress,
    )
    return _report(None, prepared.staged.store, len(prepared.staged.files), prepared.derived, prepared.checked, started)


def _sources(sources_dir: Path | None, citations: bool) -> Path | None:
    """Where to check the citations: nowhere when ``citations`` is off."""
    if not citations:
        return None
    return sources_dir if sources_dir is not None else default_sources_dir()


def _report(store: str | None, graph: OxStore, files: int, derived: int, checked: int, started: float) -> BuildReport:
    counts = dataset_counts(graph)
    return BuildReport(
        store=store,
        files=files,
        quads=len(graph),
        derived=derived,
        graphs=sum(1 for _ in graph.named_graphs()),
        entities=counts["entities"],
        sources=counts["sources"],
        claims=counts["claims"],
        citations_checked=checked,
        seconds=time.perf_counter() - started,
    )
