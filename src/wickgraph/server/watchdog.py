"""One thread that runs an action when its deadline passes, unless cancelled first: it stops the query engines'
runaway queries (:mod:`wickgraph.server.engine`)."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable

__all__ = ["Watchdog"]


class Watchdog:
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
        deadline = time.monotonic() + seconds
        with self._cond:
            handle = next(self._counter)
            # The thread sleeps until the earliest deadline: it needs waking only when this one comes sooner.
            # Most requests share one timeout, so their deadlines come later than the earliest, and scheduling
            # one costs no thread switch (measured: the wake-up per request was 40% of the server's Python time).
            earlier = not self._heap or deadline < self._heap[0][0]
            heapq.heappush(self._heap, (deadline, handle, action))
            self._pending.add(handle)
            if earlier:
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
