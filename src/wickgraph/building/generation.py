"""The store generation a build writes: one lifecycle, whichever strategy fills it.

:func:`publish_new_generation` takes the store's build lock (waiting for another build, or failing with
``wait=False``), removes what killed builds left, gives the strategy a fresh generation directory to fill,
compacts it (:func:`compact_generation`), and makes it current with one atomic rename only when the strategy
returned; when it raises (or the process is killed, compaction included) the generation is removed (or left for
the next build to remove) and the previous graph stays current. The primitives are those of
:mod:`wickgraph.store.embedded`; this module is the only caller.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pyoxigraph import Store as OxStore

from ..store.embedded import publish_generation, writing_generation

__all__ = ["compact_generation", "pause_for_tests", "publish_new_generation"]

_T = TypeVar("_T")


def publish_new_generation(
    root: Path,
    fill: Callable[[Path], _T],
    *,
    wait: bool,
    progress: Callable[[str], None],
    as_of_copies: bool = True,
    compact: Callable[[_T], bool] = lambda result: True,
) -> _T:
    """Fill a fresh generation of the store at ``root`` with ``fill(directory)`` and publish it atomically;
    return what ``fill`` returned. Raises :class:`~wickgraph.errors.StoreError` when the store cannot be
    written or (``wait=False``) another build holds it; whatever ``fill`` raises leaves the previous graph.
    With ``as_of_copies`` the server's as-of copies of the new generation are written before it is published
    (:func:`_write_as_of_copies`). The generation is compacted (:func:`compact_generation`) before the copies
    and the publish when ``compact(result)`` says so (always, unless the strategy decides otherwise)."""
    with writing_generation(root, wait=wait, progress=progress) as generation:
        result = fill(generation)
        if compact(result):
            compact_generation(generation, progress)
        if as_of_copies:
            _write_as_of_copies(root, generation, progress)
        pause_for_tests("publish", progress)
        progress("publishing (atomic switch of the current generation)")
        publish_generation(root, generation)
    return result


def compact_generation(generation: Path, progress: Callable[[str], None]) -> None:
    """Compact the RocksDB store of a filled generation (``Store.optimize``), before it is published.

    A build writes its store in many pieces (the bulk loader's files for each chunk of input, each rule's derived
    quads, the union, the reifiers), and RocksDB leaves them as written: many overlapping files per index, each of
    which a query's index seek must look into. One full compaction rewrites each index as one sorted run, so a
    seek reads one file: the named queries take half to a third of the CPU afterwards (docs/scale.md, "Named
    queries at a million triples"). It runs on the unpublished generation, so a build killed during it leaves
    the previous graph current, as a kill at any other point does."""
    started = time.perf_counter()
    progress("compacting the store (one sorted run per index, for faster queries)")
    disk = OxStore(str(generation))
    try:
        pause_for_tests("compact", progress)
        disk.optimize()
        disk.flush()
    finally:
        del disk
    progress(f"compacted in {time.perf_counter() - started:.1f} s")


def _write_as_of_copies(root: Path, generation: Path, progress: Callable[[str], None]) -> None:
    """Write the as-of copies the server would make at start (:func:`wickgraph.server.snapshots.write_for_build`),
    so that the first server of the generation finds them. They are an optimisation, not part of the graph: when
    they cannot be written the build goes on and publishes, and the server makes them as it did before."""
    from ..server.snapshots import write_for_build

    started = time.perf_counter()
    try:
        made = write_for_build(root, generation, pause=lambda: pause_for_tests("as-of-copy", progress))
    except Exception as exc:
        progress(f"as-of copies not written (the server makes them when it starts): {exc}")
        return
    progress(f"as-of copies: {made} written in {time.perf_counter() - started:.1f} s")


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
