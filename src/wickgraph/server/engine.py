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
named queries, entity cards and "as known on" views run under the same deadline as the SPARQL endpoint.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..errors import EngineError, QueryError, QueryTimeoutError, ResultTooLargeError, StoreError
from ..results import GraphResult, QueryResult, Row, SelectResult
from ..store.base import GraphView, syntax_error
from ..store.embedded import current_generation
from ..store.local import find_oxigraph, free_port
from ..terms import value

if TYPE_CHECKING:  # pragma: no cover
    from .netns import PrivateNetwork

__all__ = ["EnginePool", "EngineResponse", "EngineStore", "find_oxigraph"]

Params = Sequence[tuple[str, str]]

RESULTS_OR_TRIPLES = "application/sparql-results+json, application/n-triples;q=0.9"
"""The Accept header for the engine: SPARQL results JSON for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE."""


@dataclass(frozen=True, slots=True)
class EngineResponse:
    """What an engine process answered: HTTP status, content type and the whole body."""

    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _Watchdog:
    """One thread that calls a function when its deadline passes, unless cancelled first."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._pending: set[int] = set()
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="wickgraph-watchdog", daemon=True)
        self._thread.start()

    def schedule(self, seconds: float, action: Callable[[], None]) -> int:
        with self._cond:
            handle = next(self._counter)
            heapq.heappush(self._heap, (time.monotonic() + seconds, handle, action))
            self._pending.add(handle)
            self._cond.notify()
            return handle

    def cancel(self, handle: int) -> None:
        with self._cond:
            self._pending.discard(handle)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                while self._heap and self._heap[0][1] not in self._pending:
                    heapq.heappop(self._heap)  # cancelled
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, handle, action = self._heap[0]
                now = time.monotonic()
                if deadline > now:
                    self._cond.wait(deadline - now)
                    continue
                heapq.heappop(self._heap)
                self._pending.discard(handle)
            action()


class _EngineConnection(http.client.HTTPConnection):
    """An HTTP connection to an engine on 127.0.0.1, inside the engines' private network when there is one."""

    def __init__(self, port: int, network: PrivateNetwork | None, unix_path: str | None = None) -> None:
        super().__init__("127.0.0.1", port)
        self._unix_path = unix_path
        if network is not None:
            self._create_connection = lambda address, timeout, source=None: network.connect(address, timeout)

    def connect(self) -> None:
        if self._unix_path is None:
            super().connect()
        else:  # no TCP options on a Unix socket
            self.sock = _unix_connect(self._unix_path)


def _unix_connect(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except BaseException:
        sock.close()
        raise
    return sock


class _Engine:
    """One ``oxigraph`` server process on 127.0.0.1 (of the private network, when there is one)."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        port: int,
        generation: Path | None,
        network: PrivateNetwork | None,
        unix_path: str | None = None,
    ) -> None:
        self.process = process
        self.port = port
        self.generation = generation
        self.network = network
        self.unix_path = unix_path
        """The Unix socket of the engine's bridge (a non-root server's private network), else ``None``."""
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self.killed = False

    def connection(self, *, reuse: bool) -> http.client.HTTPConnection:
        if not reuse:
            return _EngineConnection(self.port, self.network, self.unix_path)
        if self._conn is None:
            self._conn = _EngineConnection(self.port, self.network, self.unix_path)
        return self._conn

    def drop_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def alive(self) -> bool:
        return not self.killed and self.process.poll() is None

    def kill(self) -> None:
        with self._lock:
            self.killed = True
            if self.process.poll() is None:
                self.process.kill()


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
        self._idle: queue.Queue[_Engine] = queue.Queue()
        self._shared: _Engine | None = None
        self._shared_ready = threading.Condition()
        self._engines: set[_Engine] = set()
        self._engines_lock = threading.Lock()
        self._spawn_requests: queue.Queue[int | None] = queue.Queue()
        self._spawn_errors: queue.Queue[BaseException] = queue.Queue()
        self._watchdog = _Watchdog()
        self._closed = False
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

    def close(self) -> None:
        """Stop every engine process and remove the working files."""
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
        from .netns import FALLBACK_LOSES

        if self.network is not None:
            return {
                "engine_network": "private",
                "isolated": True,
                "detail": "engines run in a network namespace with only their own loopback: they cannot reach "
                "other hosts or the host's 127.0.0.1, and only this server can reach them",
            }
        if self._bridged:
            return {
                "engine_network": "private",
                "isolated": True,
                "detail": "each engine runs in a user and network namespace of its own (unshare -rn) with only its "
                "own loopback, reached through a Unix socket in this server's private directory: engines cannot "
                "reach other hosts or the host's 127.0.0.1, and only this user's processes can reach them",
            }
        return {
            "engine_network": "host",
            "isolated": False,
            "detail": f"no private network ({self._isolation_refused}): {FALLBACK_LOSES}",
        }

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
                self._bridged = _user_namespaces_work()
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

    def _spawn(self) -> _Engine:
        last_error = ""
        for _attempt in range(3):
            port = free_port()
            if self.writable:
                assert self._working_copy is not None
                generation = None
                args = [self.executable, "serve", "--location", str(self._working_copy)]
            else:
                generation = current_generation(self.root)
                args = [self.executable, "serve-read-only", "--location", str(generation)]
            # --timeout-s bounds the engine's own HTTP calls (SERVICE, when allowed); it does not stop local
            # evaluation (see the module docstring), which is what the watchdog is for.
            unix_path: str | None = None
            if self._bridged:  # alone in its namespace: any port is free there
                port = 7878
                unix_path = str(self._workdir / f"engine-{next(self._bridge_count)}.sock")
            args += ["--bind", f"127.0.0.1:{port}", "--timeout-s", str(max(1, int(self.timeout + 0.999)))]
            if unix_path is not None:
                bridge = [sys.executable, "-m", "wickgraph.server.bridge", unix_path, str(port), "--"]
                args = ["unshare", "-rn", "--", *bridge, *args]
            launcher = shutil.which("setpriv")
            if launcher:
                args = [launcher, "--pdeathsig", "KILL", "--", *args]
            with open(self._log, "ab") as log:
                process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            if _wait_listening(process, port, seconds=15, unix_path=unix_path):
                return _Engine(process, port, generation, self.network, unix_path)
            process.kill()
            process.wait()
            last_error = self._log.read_text(errors="replace")[-500:]
        raise EngineError(f"an `oxigraph` engine would not start on {self.root}: {last_error.strip()}")

    def _replace(self, engine: _Engine) -> None:
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
        threading.Thread(target=_reap, args=(engine.process,), daemon=True).start()
        if not self._closed:
            self._spawn_requests.put(1)

    # ---- dispatch -------------------------------------------------------------------------------------------
    def _acquire(self, wait: float) -> _Engine:
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
            if engine.alive() and (engine.generation is None or engine.generation == _resolve(self.root)):
                return engine
            self._replace(engine)  # dead, or a build published a newer generation: start a fresh one

    def _release(self, engine: _Engine, *, healthy: bool) -> None:
        if not healthy or not engine.alive():
            self._replace(engine)
        elif not self.writable:
            self._idle.put(engine)

    def request(
        self, path: str, params: Params, *, accept: str = RESULTS_OR_TRIPLES, timeout: float | None = None
    ) -> EngineResponse:
        """POST a SPARQL protocol request (form-encoded ``params``) to ``/query`` or ``/update`` of an engine.

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
            body = urlencode(list(params)).encode("utf-8")
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
            return EngineResponse(response.status, response.getheader("Content-Type") or "", data)
        finally:
            self._watchdog.cancel(handle)
            if reuse and not healthy:
                engine.drop_connection()
            # An abandoned response (timeout, too large, error) leaves the engine working: replace it.
            self._release(engine, healthy=healthy or (self.writable and not fired.is_set() and engine.alive()))


def _resolve(root: Path) -> Path | None:
    try:
        return current_generation(root)
    except StoreError:
        return None


def _reap(process: subprocess.Popen[bytes]) -> None:
    process.wait()


def _wait_listening(
    process: subprocess.Popen[bytes], port: int, *, seconds: float, unix_path: str | None = None
) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if unix_path is not None:
                _unix_connect(unix_path).close()
                return True
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.005)
    return False


def _user_namespaces_work() -> bool:
    """Whether this user may run a process in user and network namespaces of its own (``unshare -rn``)."""
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


class EngineStore:
    """The library's :class:`~wickgraph.store.base.Store` over an :class:`EnginePool`.

    The store's default graph already holds every fact once (the build writes the merge of all named graphs
    there), so a query sees what it sees on the embedded store; a :class:`~wickgraph.store.base.GraphView`
    becomes the protocol's ``default-graph-uri`` and ``named-graph-uri`` parameters.
    """

    def __init__(self, pool: EnginePool) -> None:
        self.pool = pool
        self.location = str(pool.root)

    def query(self, sparql: str, view: GraphView | None = None) -> QueryResult:
        from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results

        params = dataset_params(sparql, view)
        response = self.pool.request("/query", params)
        if response.status == 400:
            raise syntax_error(response.text.strip(), sparql)
        if response.status != 200:
            raise QueryError(f"the query engine answered {response.status}: {response.text.strip()[:500]}")
        if response.content_type.startswith("application/n-triples"):
            return GraphResult(t.triple for t in parse(response.body, RdfFormat.N_TRIPLES))
        result = parse_query_results(response.body, QueryResultsFormat.JSON)
        if isinstance(result, QueryBoolean):
            return bool(result)
        assert isinstance(result, QuerySolutions)
        variables = [v.value for v in result.variables]
        rows: list[Row] = [{v: solution[v] for v in variables} for solution in result]
        return SelectResult(variables, rows)

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        assert isinstance(result, SelectResult)
        return sorted(value(row, "g") for row in result if row["g"] is not None)

    def close(self) -> None:
        """Nothing to release: the pool belongs to the server."""

    def __repr__(self) -> str:
        return f"<EngineStore {self.location}>"


def dataset_params(sparql: str, view: GraphView | None = None) -> list[tuple[str, str]]:
    """The engine parameters for ``sparql``: the query, and the view's graphs when there is a view.

    >>> dataset_params("ASK {}")
    [('query', 'ASK {}')]
    >>> dataset_params("ASK {}", GraphView(("http://e/g",)))
    [('query', 'ASK {}'), ('default-graph-uri', 'http://e/g'), ('named-graph-uri', 'http://e/g')]
    """
    params = [("query", sparql)]
    if view is not None:
        params += [("default-graph-uri", g) for g in view.graphs]
        params += [("named-graph-uri", g) for g in view.graphs]
    return params
