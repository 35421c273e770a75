"""Embedded queries under a deadline: a worker process that runs them, and is killed when one runs too long.

pyoxigraph evaluates a query in Rust and offers no way to cancel it; a Python thread running it cannot be
stopped either. What does stop a query is ending the process that runs it. So an
:class:`~wickgraph.store.embedded.EmbeddedStore` opened with a ``timeout`` sends each query to a worker: a
Python process of its own (``python -m wickgraph.store.worker STORE``) that opens the same generation
read-only, answers one query at a time, and is killed when the deadline passes (or when the caller is
interrupted, e.g. by Ctrl-C). The next query starts a fresh worker.

The worker stays up between queries, so only the first query (and the first after a kill) pays for starting
it; the time limit counts from when the worker says it is ready, so a slow start (a loaded machine) is not taken
for a slow query. Its answer is read whole before it is handed back (an answer that is not complete by the deadline is no
answer), as pickled rows or triples: both ends are this same library.

Protocol: once it has opened the store the worker writes ``ready`` and a newline; then, one request at a time,
the parent writes one JSON line (``{"sparql": …, "graphs": [...] | null}``);
the worker answers with one JSON header line (``{"length": N}`` or ``{"error": …}``) and N bytes of pickle.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import selectors
import shutil
import subprocess
import sys
import time
from typing import IO, Any

from ..errors import QueryError, QuerySyntaxError, QueryTimeoutError, StoreError
from ..results import GraphResult, QueryResult, SelectResult
from .base import GraphView

__all__ = ["QueryWorker"]

START_LIMIT = 120
"""Seconds a worker may take to start and open the store (apart from the query's own time limit)."""


class QueryWorker:
    """A worker process for the store at ``root`` (started at the first query; see the module docstring)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        """How many worker processes were started (the first, and one after each kill)."""

    def _start(self) -> subprocess.Popen[bytes]:
        args = [sys.executable, "-m", "wickgraph.store.worker", self.root]
        launcher = shutil.which("setpriv")
        if launcher:  # the worker dies with the thread that started it, even when that process is killed
            args = [launcher, "--pdeathsig", "KILL", "--", *args]
        self.starts += 1
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdout is not None
        ready = False
        try:
            # The worker says "ready" once it has opened the store. Starting (Python, the imports, the store) is not
            # the query: on a loaded machine it can take longer than a short time limit, so it has a bound of its own.
            try:
                ready = _read(process.stdout, time.monotonic() + START_LIMIT, line=True) == b"ready\n"
            except TimeoutError:
                raise QueryError(f"the query worker for {self.root} did not start within {START_LIMIT} s") from None
            if not ready:
                raise QueryError(f"the query worker for {self.root} stopped unexpectedly")
        finally:
            if not ready:
                _kill(process)
        return process

    def query(self, sparql: str, view: GraphView | None, timeout: float) -> QueryResult:
        """Run ``sparql`` in the worker; :class:`QueryTimeoutError` when it takes longer than ``timeout`` (counted
        from when the worker is ready: starting one is not part of the query)."""
        if self._process is None or self._process.poll() is not None:
            self._process = self._start()
        deadline = time.monotonic() + timeout
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        request = {"sparql": sparql, "graphs": list(view.graphs) if view is not None else None}
        finished = False
        try:
            try:
                process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
                process.stdin.flush()
                header = json.loads(_read(process.stdout, deadline, line=True) or b"null")
                if header is None:
                    raise QueryError(f"the query worker for {self.root} stopped unexpectedly")
                payload = _read(process.stdout, deadline, size=int(header.get("length", 0)))
            except BrokenPipeError:
                raise QueryError(f"the query worker for {self.root} stopped unexpectedly") from None
            except TimeoutError:
                raise QueryTimeoutError(timeout, longer="give a longer --timeout (timeout=)") from None
            finished = True
        finally:
            if not finished:  # a timeout, an interrupt (Ctrl-C), a broken worker: end the query with its process
                self.close()
        if "error" in header:
            if header["error"] == "syntax":
                raise QuerySyntaxError(header["message"], query=sparql, line=header["line"], column=header["column"])
            raise QueryError(header["message"])
        kind, body = pickle.loads(payload)
        if kind == "ask":
            return bool(body)
        if kind == "graph":
            return GraphResult(body)
        variables, rows = body
        return SelectResult(variables, rows)

    def close(self) -> None:
        """Kill the worker (the next query starts a new one)."""
        process, self._process = self._process, None
        if process is not None:
            _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a worker, wait for it, and close our ends of its pipes."""
    with contextlib.suppress(OSError):
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _read(stream: IO[bytes], deadline: float, *, line: bool = False, size: int = 0) -> bytes:
    """One line, or ``size`` bytes, from the worker before ``deadline`` (else :class:`TimeoutError`)."""
    fd = stream.fileno()
    chunks: list[bytes] = []
    have = 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            if line and chunks and chunks[-1].endswith(b"\n"):
                return b"".join(chunks)
            if not line and have >= size:
                return b"".join(chunks)
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(min(left, 0.5)):
                if time.monotonic() >= deadline:
                    raise TimeoutError
                continue
            chunk = os.read(fd, 1 if line else min(size - have, 1 << 20))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            have += len(chunk)


def _serve(root: str) -> None:
    """The worker's loop: read a request, answer it, until stdin closes."""
    from .embedded import EmbeddedStore

    store = EmbeddedStore.open(root, allow_service=True)  # the parent has applied its policy already
    out = sys.stdout.buffer
    out.write(b"ready\n")  # the parent's time limit for a query starts now
    out.flush()
    for raw in sys.stdin.buffer:
        request = json.loads(raw)
        view = GraphView(tuple(request["graphs"])) if request["graphs"] is not None else None
        header: dict[str, Any]
        try:
            result = store.query(request["sparql"], view)
            if isinstance(result, bool):
                answer: tuple[str, Any] = ("ask", result)
            elif isinstance(result, GraphResult):
                answer = ("graph", list(result))
            else:
                answer = ("select", (result.variables, list(result)))
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            header = {"length": len(payload)}
        except QuerySyntaxError as exc:
            payload = b""
            header = {"error": "syntax", "message": exc.detail, "line": exc.line, "column": exc.column}
        except (QueryError, StoreError) as exc:
            payload = b""
            header = {"error": "query", "message": str(exc)}
        out.write(json.dumps(header).encode("utf-8") + b"\n" + payload)
        out.flush()


if __name__ == "__main__":  # pragma: no cover - run as a process by QueryWorker
    _serve(sys.argv[1])
