"""As-of views served from a copy: the graphs visible on a date, written once into a small store of their own and
answered by an engine of their own, under the same deadline, limits and network isolation as the others.

Why: an as-of view is a list of graphs (about a hundred on the real graph). Given to the engine as the dataset's
default graph (``default-graph-uri`` once per graph), a query takes seconds: measured with pyoxigraph alone,
``lead-of`` 9.7 s with the 98 graphs of 2024-01-03 as the default graph, against 7 ms on the whole store. The
library answers as-of from an in-memory copy of the view's graphs for that reason
(:meth:`wickgraph.store.embedded.EmbeddedStore._snapshot`); the server does the same on disk, so that the copy is
served by an ``oxigraph`` process that the watchdog can stop: the copy's named graphs are the view's graphs, and
its default graph their merge, which is what the dataset parameters ask for.

Copies are made ahead (:meth:`Snapshots.prepare`, run at start in the background for the dates where what is
known changes: :meth:`wickgraph.server.sparql.SparqlEndpoint.prepare_as_of`), so that the first request of a date
only starts an engine on a copy already made. They are kept in the store (``STORE/as-of/GENERATION/DIGEST``), so
every server of the store, and the next one started, finds them made; a generation's copies go when the generation
has gone. A copy is written in the server's own directory and renamed into the store whole, so the store never
shows a copy half-written. Where the store cannot be written (or is on another file system), or holds
:data:`COPIES` copies of the generation already, copies stay in the server's private directory.
At most :data:`COPIES` copies are kept per server and :data:`PREPARED_QUADS` quads written ahead per generation;
the last :data:`KEEP` copies asked have an engine running, one of them the latest view's (:meth:`Snapshots.pin`).
A view larger than :data:`MAX_QUADS` is not copied (the engine answers it with the dataset parameters, as before).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..store.base import GraphView
from ..store.embedded import CURRENT, GENERATIONS
from .engine import EnginePool, generation_now

if TYPE_CHECKING:
    from pyoxigraph import Store

__all__ = ["COPIES", "KEEP", "MAX_QUADS", "PREPARED_QUADS", "Snapshots", "write_for_build"]

KEEP = 4
"""Copies with an engine running at once; the least recently used one's engine is stopped first."""
COPIES = 64
"""Copies kept on disk at once (the least recently used goes first, and its engine with it)."""
MAX_QUADS = 2_000_000
"""A view with more quads than this (counted twice: its graphs and their merge) is not copied."""
PREPARED_QUADS = 4_000_000
"""Quads (counted as :data:`MAX_QUADS` counts them) that :meth:`Snapshots.prepare` writes ahead per generation."""

COPY_BATCH = 200_000
"""Quads written into a copy at a time."""
COMPACT_EVERY = 16
"""A build's chain of copies (:func:`_write_chain`) is compacted before every this many copies and before its last
(the latest date's view, which the server keeps an engine on): each copy adds files to each index, which a query
must look into (a scan at 10k was 1.3-1.5x slower on the latest copy uncompacted, as fast compacted)."""
STALE_SECONDS = 3600
"""A ``.tmp-*`` directory in the store's copies older than this was left by a killed server (of an earlier
version, which wrote its copies there): it is removed."""
SHARED = "as-of"
"""The directory in the store where copies are kept for every server of it, one directory per generation."""

Key = tuple[Path, GraphView]


def _digest(view: GraphView) -> str:
    return hashlib.sha256("\n".join(view.graphs).encode("utf-8")).hexdigest()[:32]


class Snapshots:
    """Copies of as-of views for the read-only ``pool``, each served by an :class:`EnginePool` of one engine."""

    def __init__(self, pool: EnginePool) -> None:
        self.pool = pool
        self._copies: OrderedDict[Key, tuple[Path, int, bool]] = OrderedDict()
        """Copies on disk: their root, the quads written, and whether it is shared (kept for other servers)."""
        self._pools: OrderedDict[Key, EnginePool] = OrderedDict()
        self._too_large: set[Key] = set()
        self._prepared: dict[Path, int] = {}
        """Quads written ahead, per generation."""
        self._lock = threading.Lock()
        self._making: dict[Key, threading.Event] = {}
        """Copies being written now, and the event their writer sets when done."""
        self._pinned: Key | None = None
        """The copy whose engine is kept running (:meth:`pin`)."""
        self._count = 0
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def copies(self) -> int:
        """Copies on disk now."""
        with self._lock:
            return len(self._copies)

    def _key(self, view: GraphView) -> Key | None:
        """``view`` in the generation served now, or ``None`` when no copy is made for it: a writable pool (its
        data change under a copy), a closed server, or no generation published yet."""
        if self.pool.writable or self._closed:
            return None
        generation = generation_now(self.pool.root)
        return None if generation is None else (generation, view)

    def prepare(self, view: GraphView) -> bool:
        """Write the copy of ``view`` now, without starting its engine (the first request of the view then only
        starts one). ``False`` when it was not written: too large, past :data:`PREPARED_QUADS` for this
        generation, a writable pool, or closed."""
        key = self._key(view)
        if key is None:
            return False
        generation = key[0]
        with self._lock:
            if key in self._copies:
                return True
            if self._prepared.get(generation, 0) >= PREPARED_QUADS:
                return False
        written = self._ensure_copy(key)
        if written is None:
            return False
        with self._lock:
            self._prepared = {generation: self._prepared.get(generation, 0) + written}
        return True

    def pool_for(self, view: GraphView) -> EnginePool | None:
        """The engines that answer ``view`` from a copy, or ``None`` (a writable pool, a view too large)."""
        key = self._key(view)
        if key is None:
            return None
        while True:
            with self._lock:
                found = self._pools.get(key)
                if found is not None:
                    self._pools.move_to_end(key)
                    self._copies.move_to_end(key)
                    return found
                if key in self._copies:
                    return self._start_locked(key)
            if self._ensure_copy(key) is None:
                return None

    def _start_locked(self, key: Key) -> EnginePool:
        """Start the engine of the copy for ``key`` (the lock held)."""
        root = self._copies[key][0]
        self._copies.move_to_end(key)
        snapshot = EnginePool(
            root,
            size=1,
            timeout=self.pool.timeout,
            max_result_bytes=self.pool.max_result_bytes,
            executable=self.pool.executable,
            isolate=self.pool.isolate,
        ).start()
        self._pools[key] = snapshot
        while len(self._pools) > KEEP:
            # The pinned copy stays, while its generation is the one served.
            old_key = next(k for k in self._pools if k != self._pinned or k[0] != key[0])
            self._pools.pop(old_key).close()
        return snapshot

    def pin(self, view: GraphView, *, start: bool = True) -> EnginePool | None:
        """Keep the engine of ``view``'s copy running once started (now, unless ``start=False``): the other copies
        take turns in the rest of the :data:`KEEP` engines (the server pins the latest view, which today's date
        and every later one see)."""
        generation = generation_now(self.pool.root)
        if generation is None:
            return None
        with self._lock:
            self._pinned = (generation, view)
        return self.pool_for(view) if start else None

    def _ensure_copy(self, key: Key) -> int | None:
        """Find or write the copy for ``key``: the quads this call wrote (0 when the copy was there, made by
        another request or an earlier server), or ``None`` when there is none (too large, closed). The copy is
        written outside the lock, so requests for other views are not held up; a second request for the same
        view waits for the first's copy."""
        generation, view = key
        while True:
            with self._lock:
                if key in self._copies:
                    return 0
                if key in self._too_large or self._closed:
                    return None
                making = self._making.get(key)
                if making is None:
                    for old in [k for k in self._copies if k[0] != generation and k not in self._pools]:
                        self._drop(old)  # an older generation's copies without an engine: no longer asked
                    shared = self._shared_dir(generation)
                    final = shared / _digest(view) if shared is not None else None
                    if final is not None and (final / CURRENT).is_symlink():
                        if _quads(final) > MAX_QUADS:
                            self._too_large_now(key)
                            return None
                        self._keep(key, final, 0, shared=True)
                        return 0
                    self._count += 1
                    # Written in the server's own directory, then renamed into the store whole: the store only
                    # ever shows finished copies (a copy of the store taken meanwhile sees one or none).
                    root = self.pool.workdir / f"as-of-{self._count}"
                    making = self._making[key] = threading.Event()
                    break
            making.wait()
        written: int | None = None
        outcome = "failed"
        shared_copy = False
        try:
            written = _copy(generation, view, root)
            if written is None:
                outcome = "too large"
            else:
                if final is not None:
                    if final.exists() and not (final / CURRENT).is_symlink():
                        _remove(final)  # not a copy this code made whole: replaced
                    try:
                        os.rename(root, final)  # whole, or not at all; another server may have been first
                        root, shared_copy = final, True
                    except OSError:  # another server's copy is there, or the store is on another file system
                        if (final / CURRENT).is_symlink():
                            _remove(root)
                            root, shared_copy = final, True
                outcome = "made"
        finally:
            with self._lock:
                del self._making[key]
                if outcome == "too large":
                    self._too_large_now(key)
                elif outcome == "made" and not (self._closed and not shared_copy):
                    self._keep(key, root, written or 0, shared=shared_copy)
                elif not shared_copy:
                    _remove(root)  # a partial copy, or a private one made as the server closed
            making.set()
        return written

    def _too_large_now(self, key: Key) -> None:
        if len(self._too_large) >= 64:  # bounded, as the copies are
            self._too_large.clear()
        self._too_large.add(key)

    def _keep(self, key: Key, root: Path, written: int, *, shared: bool) -> None:
        self._copies[key] = (root, written, shared)
        while len(self._copies) > COPIES:
            self._drop(next(iter(self._copies)))

    def _drop(self, key: Key) -> None:
        root, _, shared = self._copies.pop(key)
        running = self._pools.pop(key, None)
        if running is not None:
            running.close()
        if not shared:
            _remove(root)

    def _shared_dir(self, generation: Path) -> Path | None:
        """Where the copies of ``generation``'s views are kept for every server of the store
        (``STORE/as-of/GENERATION``), pruned of the generations gone; ``None`` when it cannot be written, or holds
        :data:`COPIES` already (the copies are then private to this server)."""
        base = self.pool.root / SHARED
        here = base / generation.name
        try:
            if not here.is_dir():
                here.mkdir(parents=True, exist_ok=True)
                for other in base.iterdir():
                    if other.name != generation.name and not (self.pool.root / GENERATIONS / other.name).exists():
                        _remove(other)
            if not os.access(here, os.W_OK):
                return None
            stale = time.time() - STALE_SECONDS
            kept = 0
            for entry in list(here.iterdir()):  # a copy being written by a server that was killed meanwhile
                if entry.name.startswith(".tmp-") and entry.stat().st_mtime < stale:
                    _remove(entry)
                else:
                    kept += 1
            if kept >= COPIES:
                return None
        except OSError:
            return None
        return here

    def close(self) -> None:
        """Stop every copy's engine and remove the copies."""
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            roots = [root for root, _, shared in self._copies.values() if not shared]
            self._pools.clear()
            self._copies.clear()
        for snapshot in pools:
            snapshot.close()
        for root in roots:
            _remove(root)


QUADS_FILE = "quads"
"""A file in each copy's directory: the quads it was written with (a later server checks them against the cap)."""


def _quads(root: Path) -> int:
    try:
        return int((root / QUADS_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return MAX_QUADS + 1  # not known: not trusted to be within the cap


def _remove(root: Path) -> None:
    import shutil

    shutil.rmtree(root, ignore_errors=True)


def _copy(generation: Path, view: GraphView, root: Path, source: Store | None = None) -> int | None:
    """Write the view's graphs and their merge into a new store at ``root`` (a generation and its ``current``
    link, as a build leaves it); the quads written, or ``None`` when the view holds more than :data:`MAX_QUADS`.
    ``source``: ``generation`` opened already (else it is opened here)."""
    import shutil

    from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

    from ..store.embedded import new_generation_dir, publish_generation

    if source is None:
        source = Store.read_only(str(generation))
    target_dir = new_generation_dir(root)
    target = Store(str(target_dir))
    default = DefaultGraph()
    written = 0
    batch: list[Quad] = []
    for graph in view.graphs:
        quads = list(source.quads_for_pattern(None, None, None, NamedNode(graph)))
        written += 2 * len(quads)
        if written > MAX_QUADS:
            del target
            shutil.rmtree(root, ignore_errors=True)
            return None
        batch += quads
        batch += [Quad(q.subject, q.predicate, q.object, default) for q in quads]
        if len(batch) >= COPY_BATCH:
            target.bulk_extend(batch)
            batch = []
    if batch:
        # Written as sorted files, without the write-ahead log a transaction would leave (6 MB for 12k quads).
        target.bulk_extend(batch)
    target.flush()
    del target
    (root / QUADS_FILE).write_text(str(written), encoding="ascii")
    publish_generation(root, target_dir)
    return written


def write_for_build(root: Path, generation: Path, *, pause: Callable[[], None] = lambda: None) -> int:
    """Write the as-of copies of ``generation`` (built, not yet published) where every server of the store at
    ``root`` looks for them (``STORE/as-of/GENERATION/DIGEST``), for the same dates as
    :meth:`wickgraph.server.sparql.SparqlEndpoint.prepare_as_of` and within the same caps, so that the first
    server after the build finds them made. Each copy is written in a ``.tmp-*`` directory beside its place and
    renamed into it whole (``pause()`` is called between the two, for the tests); a copy already there is kept.
    Returns the copies in place. The copies of generations no longer in the store are removed. A build calls it before it
    publishes: killed meanwhile, the generation is never published, and no half copy is ever in a copy's place.

    The copies are the same as :func:`_copy` writes, made faster (:func:`_write_chain`): the views are chosen
    first (latest first, within the caps, from each graph's quads counted once), then written smallest first
    into one store, each copy a checkpoint of it (hard links) once its view's graphs are in.
    """
    import tempfile

    from pyoxigraph import Store

    from ..graph import KnowledgeGraph
    from ..namespaces import sparql_prologue
    from ..results import SelectResult
    from ..store.embedded import EmbeddedStore
    from ..terms import value
    from .sparql import CHANGE_POINTS, as_of_days

    here = root / SHARED / generation.name
    here.mkdir(parents=True, exist_ok=True)
    for other in here.parent.iterdir():  # the copies of generations gone (a killed build's, an old one's)
        if other.name != generation.name and not (root / GENERATIONS / other.name).exists():
            _remove(other)
    store = EmbeddedStore(Store.read_only(str(generation)), str(generation), read_only=True)
    made = 0
    try:
        result = store.query(sparql_prologue() + CHANGE_POINTS)
        assert isinstance(result, SelectResult)
        marks = sorted({value(row, "d") for row in result if row["d"] is not None})
        sizes = _graph_sizes(store.ox)
        kg = KnowledgeGraph(store)
        done: set[GraphView] = set()
        plan: list[tuple[GraphView, Path, int]] = []
        prepared = 0
        for day in as_of_days(marks):
            if prepared >= PREPARED_QUADS:
                break
            view = kg.view_as_of(day)
            if view in done:
                continue
            done.add(view)
            final = here / _digest(view)
            if (final / CURRENT).is_symlink():
                made += 1
                continue
            written = 2 * sum(sizes.get(graph, 0) for graph in view.graphs)
            if written > MAX_QUADS:  # too large: the server answers it with the dataset parameters
                break
            plan.append((view, final, written))
            prepared += written
        if plan:
            work = Path(tempfile.mkdtemp(prefix=".tmp-build-", dir=here))
            try:
                made += _write_chain(store.ox, plan[::-1], work, pause)
            finally:
                _remove(work)
    finally:
        store.close()
    return made


def _graph_sizes(source: Store) -> dict[str, int]:
    """The quads of each named graph of ``source`` (one pass over the store), as :func:`_copy` counts them."""
    from pyoxigraph import Literal, NamedNode, QuerySolutions

    rows = source.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, QuerySolutions)
    sizes: dict[str, int] = {}
    for row in rows:
        graph, count = row["g"], row["n"]
        if isinstance(graph, NamedNode) and isinstance(count, Literal):
            sizes[graph.value] = int(count.value)
    return sizes


def _write_chain(
    source: Store, plan: Sequence[tuple[GraphView, Path, int]], work: Path, pause: Callable[[], None]
) -> int:
    """Write the copy of each view of ``plan`` (its view, its place, its quads as :func:`_copy` counts them) into
    its place, in the order given; the copies made. Each copy holds what :func:`_copy` writes (the view's graphs,
    and their merge in the default graph), made another way: one store (``work/chain-N``) holds the graphs of the
    view before, gains the graphs this view adds (each graph read once for every copy), and the copy is a
    checkpoint of it (``Store.backup``: hard links to its files, which RocksDB never changes). The views of one
    generation's dates, smallest first, each hold the graphs of the one before (a later date sees every graph an
    earlier one does); a view that does not (nothing removes a graph or a merged triple from the chain) starts a
    new chain, empty. The chain is compacted every :data:`COMPACT_EVERY` copies and before the last. A copy is
    made in ``work`` and renamed into its place whole (``pause()`` between the two)."""
    from pyoxigraph import DefaultGraph, NamedNode, Quad
    from pyoxigraph import Store as OxStore

    from ..store.embedded import new_generation_dir, publish_generation

    default = DefaultGraph()
    chain: OxStore | None = None
    held: set[str] = set()
    chains = made = 0
    for at, (view, final, written) in enumerate(plan):
        if chain is None or not held.issubset(view.graphs):
            if chain is not None:
                del chain  # closed before its files go
                _remove(work / f"chain-{chains}")
            chains += 1
            chain, held = OxStore(str(work / f"chain-{chains}")), set()
        batch: list[Quad] = []
        for graph in view.graphs:
            if graph in held:
                continue
            quads = list(source.quads_for_pattern(None, None, None, NamedNode(graph)))
            batch += quads
            batch += [Quad(q.subject, q.predicate, q.object, default) for q in quads]
            if len(batch) >= COPY_BATCH:
                chain.bulk_extend(batch)  # sorted files, as _copy writes them: no write-ahead log
                batch = []
        if batch:
            chain.bulk_extend(batch)
        held.update(view.graphs)
        if at == len(plan) - 1 or (at + 1) % COMPACT_EVERY == 0:
            chain.optimize()  # one sorted run per index again (the copies before keep their own files)
        copy = work / f"copy-{made}"
        target = new_generation_dir(copy)
        target.rmdir()  # the checkpoint makes it
        chain.backup(str(target))
        (copy / QUADS_FILE).write_text(str(written), encoding="ascii")
        publish_generation(copy, target)
        pause()
        if final.exists():
            _remove(final)  # not a copy made whole (no current link): replaced
        os.rename(copy, final)
        made += 1
    del chain
    return made
