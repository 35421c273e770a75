"""As-of views served from a copy: the graphs visible on a date, written once into a small store of their own and
answered by an engine of their own, under the same deadline, limits and network isolation as the others.

Why: an as-of view is a list of graphs (about a hundred on the real graph). Given to the engine as the dataset's
default graph (``default-graph-uri`` once per graph), a query takes seconds: measured with pyoxigraph alone,
``lead-of`` 9.7 s with the 98 graphs of 2024-01-03 as the default graph, against 7 ms on the whole store. The
library answers as-of from an in-memory copy of the view's graphs for that reason
(:meth:`wickgraph.store.embedded.EmbeddedStore._snapshot`); the server does the same on disk, so that the copy is
served by an ``oxigraph`` process that the watchdog can stop: the copy's named graphs are the view's graphs, and
its default graph their merge, which is what the dataset parameters ask for.

Copies are kept per generation and view (the last :data:`KEEP`), and a view larger than :data:`MAX_QUADS` is not
copied (the engine answers it with the dataset parameters, as before).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from ..store.base import GraphView
from .engine import EnginePool, generation_now

__all__ = ["KEEP", "MAX_QUADS", "Snapshots"]

KEEP = 4
"""Copies kept at once (each with one engine process); the least recently used is closed first."""
MAX_QUADS = 2_000_000
"""A view with more quads than this (counted twice: its graphs and their merge) is not copied."""


class Snapshots:
    """Copies of as-of views for the read-only ``pool``, each served by an :class:`EnginePool` of one engine."""

    def __init__(self, pool: EnginePool) -> None:
        self.pool = pool
        self._pools: OrderedDict[tuple[Path, GraphView], EnginePool] = OrderedDict()
        self._too_large: set[tuple[Path, GraphView]] = set()
        self._lock = threading.Lock()
        self._count = 0
        self._closed = False

    def pool_for(self, view: GraphView) -> EnginePool | None:
        """The engines that answer ``view`` from a copy, or ``None`` (a writable pool, a view too large)."""
        if self.pool.writable or self._closed:
            return None
        generation = generation_now(self.pool.root)
        if generation is None:
            return None
        key = (generation, view)
        with self._lock:  # one copy at a time; a second request for the same view waits for the first's copy
            found = self._pools.get(key)
            if found is not None:
                self._pools.move_to_end(key)
                return found
            if key in self._too_large:
                return None
            self._count += 1
            root = self.pool.workdir / f"as-of-{self._count}"
            if not _copy(generation, view, root):
                if len(self._too_large) >= 64:  # bounded, as the copies are
                    self._too_large.clear()
                self._too_large.add(key)
                return None
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
                _, old = self._pools.popitem(last=False)
                _close(old)
            return snapshot

    def close(self) -> None:
        """Stop every copy's engine and remove the copies."""
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            self._pools.clear()
        for snapshot in pools:
            _close(snapshot)


def _close(snapshot: EnginePool) -> None:
    import shutil

    snapshot.close()
    shutil.rmtree(snapshot.root, ignore_errors=True)


def _copy(generation: Path, view: GraphView, root: Path) -> bool:
    """Write the view's graphs and their merge into a new store at ``root`` (a generation and its ``current``
    link, as a build leaves it); ``False`` when the view holds more than :data:`MAX_QUADS` quads."""
    import shutil

    from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

    from ..store.embedded import new_generation_dir, publish_generation

    source = Store.read_only(str(generation))
    target_dir = new_generation_dir(root)
    target = Store(str(target_dir))
    default = DefaultGraph()
    written = 0
    for graph in view.graphs:
        quads = list(source.quads_for_pattern(None, None, None, NamedNode(graph)))
        written += 2 * len(quads)
        if written > MAX_QUADS:
            del target
            shutil.rmtree(root, ignore_errors=True)
            return False
        target.extend(quads)
        target.extend([Quad(q.subject, q.predicate, q.object, default) for q in quads])
    target.flush()
    del target
    publish_generation(root, target_dir)
    return True
