"""The query engine behind the server: a pool of ``oxigraph`` server processes that can be stopped.

Why processes: pyoxigraph has no per-query timeout, and a Python thread running a query cannot be stopped. The
``oxigraph`` server has ``--timeout-s``, but measured on 0.5.13 it does not stop a runaway query: a
``COUNT(*)`` over a four-way cross product kept a core busy for ten minutes with ``--timeout-s 3``, long after
its client had gone, and a streaming ``SELECT`` ran on for as long as anyone read it. What does stop a query is
ending the process that runs it. So the pool runs each query in an ``oxigraph serve-read-only`` process on the
store's current generation (read-only, so several processes share it safely while a build writes a new one),
gives each process one query at a time, and kills the process when the query's deadline passes (a watchdog
thread), then starts a fresh one (about 60 ms). A slow query holds one process; the others keep serving.

With updates allowed, the pool runs one read-write ``oxigraph serve`` on a private working copy of the current
generation instead (a RocksDB store has one writer): the built store is never changed, updates live as long as
the server does, and a runaway query there restarts the one process (requests in flight on it fail with 503).

Where the OS allows it, the engines run where no route out exists: with ``CAP_SYS_ADMIN`` (root) in one private
network namespace with only a loopback interface (:mod:`wickgraph.server.netns`); as an unprivileged user each in
user and network namespaces of its own (``unshare -rn``) behind a Unix-socket bridge (:mod:`wickgraph.server.bridge`).
Either way they cannot reach any other host or anything on the machine's 127.0.0.1, and no other user's process
can reach them. :attr:`EnginePool.protection` says which holds.

:class:`EngineStore` puts the pool behind the library's :class:`~wickgraph.store.base.Store` interface, so
named queries, entity cards and "as known on" views run under the same deadline as the SPARQL endpoint. An
engine's command line and start are in :mod:`.engine_launch`, one engine process in :mod:`.engine_process`, and
the generation read on every request in :mod:`.generation`; this module holds the pool and its dispatch.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..errors import EngineError, QueryTimeoutError, ResultTooLargeError
from ..store.embedded import current_generation
from ..store.local import find_oxigraph
from .engine_launch import launch, protection
from .engine_process import Engine, reap, user_namespaces_work
from .engine_store import EngineStore, dataset_params
from .generation import generation_now
from .watchdog import Watchdog

if TYPE_CHECKING:  # pragma: no cover
    from .netns import PrivateNetwork

__all__ = ["EnginePool", "EngineResponse", "EngineStore", "dataset_params", "find_oxigraph", "generation_now"]

Params = Sequence[tuple[str, str]]

RESULTS_OR_TRIPLES = "application/sparql-results+json, application/n-triples;q=0.9"
"""The Accept header for the engine: SPARQL results JSON for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE."""


@dataclass(frozen=True, slots=True)
class EngineResponse:
    """What an engine process answered: HTTP status, content type and the whole body."""

    status: int
    content_type: str
    body: bytes
    generation: Path | None = None
    """The generation the engine that answered serves (``None`` for a working copy that takes updates)."""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class EnginePool:
    """``size`` engine processes over the store at ``root``, each running one query at a time under a deadline.

    ``writable=True`` runs a single read-write engine on a private working copy instead (see the module docs).
    ``isolate=True`` (the default) runs the engines in a private network where the OS allows it; ``False``
    runs them on the host's loopback (the server does so when SERVICE or LOAD is allowed: they need the network).
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        size: int = 4,
        timeout: float = 10.0,
        max_result_bytes: int = 64 * 1024 * 1024,
        writable: bool = False,
        executable: str | None = None,
        isolate: bool = True,
    ) -> None:
        self.root = Path(root)
        current_generation(self.root)  # fail now, with a clear message, if nothing is built there
        self.size = 1 if writable else max(1, size)
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.writable = writable
        self.executable = executable or find_oxigraph()
        self._workdir = Path(tempfile.mkdtemp(prefix="wickgraph-serve-"))
        self._log = self._workdir / "engines.log"
        self._working_copy: Path | None = None
        self._idle: queue.Queue[Engine] = queue.Queue()
        self._shared: Engine | None = None
        self._shared_ready = threading.Condition()
        self._engines: set[Engine] = set()
        self._engines_lock = threading.Lock()
        self._spawn_requests: queue.Queue[int | None] = queue.Queue()
        self._spawn_errors: queue.Queue[BaseException] = queue.Queue()
        self._watchdog = Watchdog()
        self._closed = False
        self._at_close: list[Callable[[], None]] = []
        self.isolate = isolate
        self.network: PrivateNetwork | None = None
        """The engines' private network, or ``None`` when they run on the host's loopback."""
        self._isolation_refused = (
            "not asked for; the server does not ask when SERVICE or LOAD is allowed, as they need the network"
            if not isolate
            else ""
        )
        self._bridged = False
        """Engines in namespaces of their own behind Unix-socket bridges (:mod:`.bridge`; a non-root server)."""
        self._bridge_count = itertools.count()
        self.restarts = 0
        """How many engine processes were replaced (after a timeout, an abandoned result, a crash, a new build)."""
        # Every engine is started by this one long-lived thread: with `setpriv --pdeathsig`, an engine dies with
        # the thread that started it, so engines cannot outlive a server that is killed.
        self._spawner = threading.Thread(target=self._spawn_loop, name="wickgraph-engine-spawner", daemon=True)

    # ---- life cycle ---------------------------------------------------------------------------------------
    def start(self) -> EnginePool:
        """Start the engine processes and wait until they answer."""
        if self.writable:
            self._working_copy = self._workdir / "store"
            shutil.copytree(current_generation(self.root), self._working_copy)
        self._spawner.start()
        for _ in range(self.size):
            self._spawn_requests.put(1)
        deadline = time.monotonic() + 30
        while True:
            with self._engines_lock:
                ready = len(self._engines)
            if ready >= self.size:
                return self
            try:
                raise self._spawn_errors.get(timeout=0.05)
            except queue.Empty:
                pass
            if time.monotonic() > deadline:
                raise EngineError(f"the query engines did not start within 30 s (log: {self._log})")

    @property
    def workdir(self) -> Path:
        """The pool's private working directory (0700, removed by :meth:`close`)."""
        return self._workdir

    def at_close(self, action: Callable[[], None]) -> None:
        """Run ``action`` first when the pool closes (the as-of copies' engines close with it)."""
        self._at_close.append(action)

    def close(self) -> None:
        """Stop every engine process and remove the working files."""
        for action in self._at_close:
            action()
        self._closed = True
        self._spawn_requests.put(None)
        self._watchdog.close()
        if self._spawner.is_alive():  # let an engine that is starting right now be stopped and reaped too
            self._spawner.join(timeout=20)
        with self._engines_lock:
            engines = list(self._engines)
            self._engines.clear()
        for engine in engines:
            engine.kill()
            engine.drop_connection()
        for engine in engines:
            with contextlib.suppress(subprocess.TimeoutExpired):
                engine.process.wait(timeout=5)
        if self.network is not None:
            self.network.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> EnginePool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def protection(self) -> dict[str, str | bool]:
        """Which network protection holds for the engines (for ``/status`` and the start-up line)."""
        return protection(namespace=self.network is not None, bridged=self._bridged, refused=self._isolation_refused)

    def pids(self) -> list[int]:
        """Process ids of the running engines (for tests and the load script)."""
        with self._engines_lock:
            return sorted(e.process.pid for e in self._engines if e.alive())

    # ---- spawning -------------------------------------------------------------------------------------------
    def _spawn_loop(self) -> None:
        if self.isolate:
            from .netns import PrivateNetwork

            try:
                self.network = PrivateNetwork.create()  # this thread, and every engine it starts, move into it
            except OSError as exc:
                self._isolation_refused = f"the OS refused a network namespace: {exc.strerror or exc}"
                self._bridged = user_namespaces_work()
        while True:
            request = self._spawn_requests.get()
            if request is None or self._closed:
                return
            try:
                engine = self._spawn()
            except BaseException as exc:  # reported to start(), or retried for a replacement
                self._spawn_errors.put(exc)
                if not self._closed and self._engines:
                    time.sleep(0.5)
                    self._spawn_requests.put(1)
                continue
            if self._closed:  # closed while this one was starting
                engine.kill()
                engine.process.wait()
                return
            with self._engines_lock:
                self._engines.add(engine)
            if self.writable:
                with self._shared_ready:
                    self._shared = engine
                    self._shared_ready.notify_all()
            else:
                self._idle.put(engine)

    def _spawn(self) -> Engine:
        if self.writable:
            assert self._working_copy is not None
            location, generation = self._working_copy, None
        else:
            location = generation = current_generation(self.root)
        return launch(
            self.executable,
            location,
            generation=generation,
            timeout=self.timeout,
            log=self._log,
            network=self.network,
            socket_path=self._next_socket if self._bridged else None,
            store=self.root,
        )

    def _next_socket(self) -> str:
        """A fresh Unix socket path in the pool's private directory, for a bridged engine."""
        return str(self._workdir / f"engine-{next(self._bridge_count)}.sock")

    def _replace(self, engine: Engine) -> None:
        engine.kill()
        engine.drop_connection()
        with self._engines_lock:
            if engine not in self._engines:
                return
            self._engines.discard(engine)
        if self.writable:
            with self._shared_ready:
                if self._shared is engine:
                    self._shared = None
        with self._engines_lock:
            self.restarts += 1
        threading.Thread(target=reap, args=(engine.process,), daemon=True).start()
        if not self._closed:
            self._spawn_requests.put(1)

    # ---- dispatch -------------------------------------------------------------------------------------------
    def _acquire(self, wait: float) -> Engine:
        if self._closed:
            raise EngineError("the query engine is shut down")
        if self.writable:
            with self._shared_ready:
                if self._shared is None:
                    self._shared_ready.wait_for(lambda: self._shared is not None, timeout=wait)
                if self._shared is None:
                    raise EngineError(f"the query engine did not come back within {wait:g} s; try again")
                return self._shared
        deadline = time.monotonic() + wait
        while True:
            try:
                engine = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise EngineError(
                    f"all {self.size} query engines stayed busy for {wait:g} s; try again in a moment"
                ) from None
            if engine.alive() and (engine.generation is None or engine.generation == generation_now(self.root)):
                return engine
            self._replace(engine)  # dead, or a build published a newer generation: start a fresh one

    def _release(self, engine: Engine, *, healthy: bool) -> None:
        if not healthy or not engine.alive():
            self._replace(engine)
        elif not self.writable:
            self._idle.put(engine)

    def request(
        self, path: str, params: Params | bytes, *, accept: str = RESULTS_OR_TRIPLES, timeout: float | None = None
    ) -> EngineResponse:
        """POST a SPARQL protocol request (form-encoded ``params``, or a body already form-encoded) to ``/query``
        or ``/update`` of an engine.

        Raises :class:`QueryTimeoutError` when the deadline passes (the engine is killed and replaced),
        :class:`ResultTooLargeError` past ``max_result_bytes``, :class:`EngineError` when no engine is free in
        time or an engine fails.
        """
        seconds = self.timeout if timeout is None else timeout
        engine = self._acquire(wait=seconds)
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            engine.kill()

        handle = self._watchdog.schedule(seconds, stop)
        healthy = False
        reuse = not self.writable
        try:
            conn = engine.connection(reuse=reuse)
            body = params if isinstance(params, bytes) else urlencode(list(params)).encode("utf-8")
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
            try:
                try:
                    conn.request("POST", path, body, headers)
                    response = conn.getresponse()
                except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                    # A kept-alive connection the engine has closed meanwhile: once more on a new one.
                    if not reuse or fired.is_set() or not engine.alive():
                        raise
                    engine.drop_connection()
                    conn = engine.connection(reuse=True)
                    conn.request("POST", path, body, headers)
                    response = conn.getresponse()
                data = response.read(self.max_result_bytes + 1)
            except (OSError, http.client.HTTPException) as exc:
                if fired.is_set():
                    raise QueryTimeoutError(seconds) from None
                if engine.killed:
                    raise EngineError(
                        "the query engine was restarted (another query on it ran past the time limit); try again"
                    ) from None
                raise EngineError(f"the query engine failed: {exc!r}") from None
            finally:
                if not reuse:
                    conn.close()
            if fired.is_set():
                raise QueryTimeoutError(seconds)
            if len(data) > self.max_result_bytes:
                raise ResultTooLargeError(
                    f"the result is larger than {self.max_result_bytes:,} bytes, the most this server returns; "
                    "add LIMIT or narrow the query"
                )
            healthy = True
            return EngineResponse(response.status, response.getheader("Content-Type") or "", data, engine.generation)
        finally:
            self._watchdog.cancel(handle)
            if reuse and not healthy:
                engine.drop_connection()
            # An abandoned response (timeout, too large, error) leaves the engine working: replace it.
            self._release(engine, healthy=healthy or (self.writable and not fired.is_set() and engine.alive()))
