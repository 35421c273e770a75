"""The embedded default backend: a pyoxigraph store on disk, needing no server.

A store directory holds generations and a ``current`` symlink::

    STORE/
      current -> generations/20261124T050102-1234     the graph every reader opens
      generations/20261124T050102-1234/               a complete pyoxigraph (RocksDB) store

A build writes a new generation and then swaps ``current`` with one atomic rename, so a build that fails or
is killed leaves the previous graph as it was. Readers open the current generation read-only, so any number
of them can run beside a build.

One build at a time: a build holds an exclusive lock (``flock``) on ``STORE/.build.lock`` from before it
creates its generation until it has published it (:func:`writing_generation`). A second build waits for it, or
with ``wait=False`` fails at once naming the build that holds the lock; the kernel drops the lock when its
holder dies, even by SIGKILL. Only the holder of the lock creates or deletes generations, so publishing never
removes a generation another build is writing, and what a killed build left (its generation, the fast build's
``wickgraph-derive-*``, ``wickgraph-derived-*`` and ``wickgraph-merge-*`` work directories) is removed by the next build that holds the lock.
"""

from __future__ import annotations

import os
import shutil
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples
from pyoxigraph import Store as OxStore

from ..errors import QueryError, QueryRefusedError, StoreError, StoreNotFoundError
from ..results import GraphResult, QueryResult, Row, SelectResult
from .base import GraphView, Store, syntax_error
from .base import Quad as Quad4
from .construct import streamed_construct

if TYPE_CHECKING:  # pragma: no cover
    from .worker import QueryWorker

__all__ = [
    "EmbeddedStore",
    "as_store",
    "build_lock",
    "current_generation",
    "new_generation_dir",
    "publish_generation",
    "remove_leftovers",
    "writing_generation",
]

CURRENT = "current"
GENERATIONS = "generations"
LOCK = ".build.lock"
WORK_DIR_PREFIXES = ("wickgraph-derive-", "wickgraph-derived-", "wickgraph-merge-")
"""Work directories the fast build makes in the store directory (removed when it ends, left by a kill)."""


def current_generation(root: str | os.PathLike[str]) -> Path:
    """The directory of the store's current generation; :class:`StoreNotFoundError` when there is none."""
    link = Path(root) / CURRENT
    if not link.is_symlink() or not link.resolve().is_dir():
        raise StoreNotFoundError(str(root))
    return link.resolve()


def new_generation_dir(root: str | os.PathLike[str]) -> Path:
    """A fresh, empty generation directory under ``root`` (created)."""
    generations = Path(root) / GENERATIONS
    generations.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path = generations / name
    path.mkdir()
    return path


@contextmanager
def build_lock(
    root: str | os.PathLike[str], *, wait: bool = True, progress: Callable[[str], None] = lambda message: None
) -> Iterator[None]:
    """Hold the store's build lock (``STORE/.build.lock``, created with the directory when missing).

    When another build holds it: wait for it (saying so through ``progress``), or with ``wait=False`` raise
    :class:`StoreError` naming that build. The lock file stays (removing it would let two builds lock two
    different files); what it holds is only the pid and start time of the current holder, for messages.
    """
    import fcntl

    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the store at {root}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "a build"
            if not wait:
                raise StoreError(
                    f"another build is writing the store at {root} ({holder}); "
                    "wait for it to finish, or run this build with --wait"
                ) from None
            progress(f"waiting for another build of {root} to finish ({holder})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.pwrite(fd, f"build pid {os.getpid()}, started {started}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(root: str | os.PathLike[str]) -> list[str]:
    """Remove what killed builds left in ``root``: generations other than the current one, the fast build's
    work directories and half-made ``current`` links. Call it only while holding :func:`build_lock`.
    Returns the names removed."""
    root = Path(root)
    link = root / CURRENT
    current = link.resolve().name if link.is_symlink() else None
    removed: list[str] = []
    generations = root / GENERATIONS
    if generations.is_dir():
        for other in sorted(generations.iterdir()):
            if other.name != current:
                _remove(other)
                removed.append(f"{GENERATIONS}/{other.name}")
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(WORK_DIR_PREFIXES) or entry.name.startswith(f".{CURRENT}."):
            _remove(entry)
            removed.append(entry.name)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def writing_generation(
    root: str | os.PathLike[str], *, wait: bool = True, progress: Callable[[str], None] = lambda message: None
) -> Iterator[Path]:
    """The lifecycle every build shares: take the build lock, remove what killed builds left, and give a fresh
    generation directory to write. The caller publishes it (:func:`publish_generation`) inside the block; when
    the block raises, the generation is removed and the previous graph stays current. An :class:`OSError` of
    the block becomes a :class:`StoreError`.
    """
    root = Path(root)
    with build_lock(root, wait=wait, progress=progress):
        removed = remove_leftovers(root)
        if removed:
            progress(f"removed what an earlier, interrupted build left: {', '.join(removed)}")
        try:
            generation = new_generation_dir(root)
        except OSError as exc:
            raise StoreError(f"cannot create the store at {root}: {exc.strerror or exc}") from exc
        try:
            yield generation
        except BaseException as exc:
            # Drop what the failed writer still holds through the traceback (an open store writes its files
            # when it is freed, which would bring the directory back), then remove its generation.
            traceback.clear_frames(exc.__traceback__)
            shutil.rmtree(generation, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StoreError(f"cannot write the store at {root}: {exc}") from exc
            raise


def publish_generation(root: str | os.PathLike[str], generation: Path) -> None:
    """Make ``generation`` current with an atomic rename, then delete the other generations (only the holder
    of :func:`build_lock` may call it: no other build is writing one)."""
    root = Path(root)
    tmp_link = root / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    os.symlink(Path(GENERATIONS) / generation.name, tmp_link)
    os.replace(tmp_link, root / CURRENT)
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    for other in (root / GENERATIONS).iterdir():
        if other.name != generation.name:
            shutil.rmtree(other, ignore_errors=True)


class EmbeddedStore:
    """A pyoxigraph store, on disk (read-only, from a built store directory) or in memory. Its default graph
    holds the merge of all named graphs (written by the build), so a query without GRAPH sees each fact once;
    GRAPH patterns reach the claim and source graphs.

    >>> store = EmbeddedStore.in_memory()
    >>> store.query("ASK { }")
    True
    """

    def __init__(
        self,
        ox_store: OxStore,
        location: str,
        *,
        read_only: bool = False,
        allow_service: bool = False,
        timeout: float | None = None,
    ) -> None:
        self._store: OxStore | None = ox_store
        self.location = location
        self.read_only = read_only
        """True for a built generation opened read-only: its answers never change while it is open."""
        self.allow_service = allow_service
        """Whether a query may use SERVICE (which makes the engine fetch from other hosts); refused by default."""
        self.timeout = timeout
        """Seconds a query may run (in a worker process that is killed at the limit); ``None``: no limit."""
        self._snapshots: dict[GraphView, OxStore] = {}
        self._worker: QueryWorker | None = None

    @classmethod
    def open(
        cls, root: str | os.PathLike[str], *, allow_service: bool = False, timeout: float | None = None
    ) -> EmbeddedStore:
        """Open the current generation of a built store directory, read-only.

        ``allow_service=True`` lets queries use SERVICE (refused by default, with :class:`QueryRefusedError`).
        ``timeout`` (seconds) runs each query in a worker process that is killed when the query runs longer
        (:mod:`wickgraph.store.worker`; :class:`QueryTimeoutError`); without it queries run in this process.
        """
        if timeout is not None and not timeout > 0:
            raise StoreError(f"the timeout must be a positive number of seconds, not {timeout}")
        generation = current_generation(root)
        try:
            return cls(
                OxStore.read_only(str(generation)),
                str(root),
                read_only=True,
                allow_service=allow_service,
                timeout=timeout,
            )
        except OSError as exc:
            raise StoreError(f"cannot open the store at {root}: {exc}") from exc

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """An empty in-memory store (for tests and staging)."""
        return cls(OxStore(), ":memory:")

    @property
    def ox(self) -> OxStore:
        """The underlying :class:`pyoxigraph.Store` (:class:`StoreError` once the store is closed)."""
        if self._store is None:
            raise StoreError(f"the store at {self.location} is closed")
        return self._store

    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        ox = self.ox
        if not self.allow_service:
            refuse_service(sparql)
        if self.timeout is not None and self.read_only:
            if self._worker is None:
                from .worker import QueryWorker

                self._worker = QueryWorker(self.location)
            return self._worker.query(sparql, view, self.timeout)
        target = ox if view is None else self._snapshot(view)
        streamed = streamed_construct(sparql)
        if streamed is not None:
            try:
                solutions = target.query(streamed.select)
            except (SyntaxError, OSError):
                pass  # the CONSTRUCT itself says what is wrong, below
            else:
                assert isinstance(solutions, QuerySolutions)
                return GraphResult(_failing_cleanly(streamed.triples(solutions), self.location))
        try:
            result = target.query(sparql)
        except SyntaxError as exc:
            raise syntax_error(str(exc), sparql) from None
        except OSError as exc:
            detail = " ".join(str(exc).split())
            raise QueryError(f"the store at {self.location} could not answer: {detail[:300]}") from None
        if isinstance(result, QueryBoolean):
            return bool(result)
        if isinstance(result, QueryTriples):
            return GraphResult(_failing_cleanly(result, self.location))
        assert isinstance(result, QuerySolutions)
        variables = [v.value for v in result.variables]
        return SelectResult(variables, _failing_cleanly(_rows(result, variables), self.location))

    def _snapshot(self, view: GraphView) -> OxStore:
        """An in-memory copy of the view's graphs (kept for the last few views).

        pyoxigraph can restrict a query's dataset to a list of graphs, but evaluates each pattern once per listed
        graph: with hundreds of claim graphs that is orders of magnitude slower than copying the few thousand
        quads they hold and querying the copy.
        """
        if view not in self._snapshots:
            copy = OxStore()
            default = DefaultGraph()
            for graph in view.graphs:
                quads = list(self.ox.quads_for_pattern(None, None, None, NamedNode(graph)))
                copy.extend(quads)
                copy.extend([Quad(q.subject, q.predicate, q.object, default) for q in quads])
            if len(self._snapshots) >= 4:
                self._snapshots.pop(next(iter(self._snapshots)))
            self._snapshots[view] = copy
        return self._snapshots[view]

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, NamedNode))

    def quads(self, graphs: Sequence[str] | None = None) -> Iterator[Quad4]:
        """The quads of the named graphs, read straight from pyoxigraph (no SPARQL on the way)."""
        ox = self.ox
        for graph in self.named_graphs() if graphs is None else graphs:
            for q in ox.quads_for_pattern(None, None, None, NamedNode(graph)):
                yield q.subject, q.predicate, q.object, graph

    def __len__(self) -> int:
        return len(self.ox)

    def close(self) -> None:
        """Release the store; closing it again does nothing, and a query after it raises :class:`StoreError`."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        self._snapshots.clear()
        self._store = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<EmbeddedStore {self.location}>"


def as_store(store: Store | OxStore) -> Store:
    """A wickgraph store for ``store``: itself, or a :class:`pyoxigraph.Store` (a build's staging store) read as an
    embedded one."""
    return EmbeddedStore(store, ":staged:") if isinstance(store, OxStore) else store


def refuse_service(sparql: str) -> None:
    """Raise :class:`QueryRefusedError` when ``sparql`` uses SERVICE (read by :mod:`wickgraph.sparql_lexer`)."""
    from ..sparql_lexer import keywords

    if "SERVICE" in keywords(sparql):
        raise QueryRefusedError(
            "this query uses SERVICE, which makes the embedded engine send requests to other hosts; it is refused "
            "unless allowed (wickgraph query --allow-service, or open_graph(..., allow_service=True))"
        )


_T = TypeVar("_T")


def _failing_cleanly(items: Iterator[_T] | Iterable[_T], location: str) -> Iterator[_T]:
    """``items``, with an error raised while reading them (a failed SERVICE call, a broken store) made a
    :class:`QueryError` of one line."""
    failure = None
    try:
        yield from items
    except OSError as exc:
        failure = " ".join(str(exc).split())
    if failure is not None:
        # Raised out here, with the results let go first: a traceback that kept them would have pyoxigraph's
        # result objects (which must be dropped on the thread that made them) freed by whichever thread runs
        # the garbage collector next.
        del items
        raise QueryError(f"the store at {location} could not answer: {failure[:300]}")


def _rows(solutions: QuerySolutions, variables: list[str]) -> Iterator[Row]:
    for solution in solutions:
        yield {v: solution[v] for v in variables}
