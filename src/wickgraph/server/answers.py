"""Answers kept per generation: a published generation never changes, so the same query asked the same way gets the
same bytes until a build publishes the next one.

What makes two requests the same (:class:`AnswerKey`): the generation the answer came from, the query text with
its prologue (which holds the ``BASE`` of the host name the client used), the ``Accept`` header and ``format=``,
the protocol's dataset (``default-graph-uri``, ``named-graph-uri``) and the as-of view. The policy, the guard and
content negotiation still apply to every request before the cache is asked (for a ``GET``, their verdict on the
same query string, ``Accept`` and host name may be reused: it depends on nothing else), so a refused or
unacceptable request is refused as before, whatever was answered to someone else.

What is never kept: an error, a timed-out or too-large answer (they raise before an answer exists), an answer of a
pool that takes updates, of a query that uses ``SERVICE`` (its answer lives elsewhere) or a function whose value
changes between calls (``NOW``, ``RAND``, ``UUID``, ``STRUUID``, ``BNODE``), and an answer the engine gave from a
generation other than the one the key names (a build published in between).

Bounded in bytes: every entry counts its body, its key's texts and a fixed overhead; an answer larger than
:attr:`AnswerCache.max_entry_bytes` is not kept; past :attr:`AnswerCache.max_bytes` the least recently used
entries go first; entries of an older generation are dropped as soon as an answer of a newer one is kept.

>>> cache = AnswerCache(max_bytes=8000)
>>> key = AnswerKey(None, "SELECT * {}", "", None, None, ((), ()), None)
>>> cache.put(key, "application/sparql-results+json", b"{}")
True
>>> cache.get(key)
('application/sparql-results+json', b'{}')
>>> cache.put(AnswerKey(None, "SELECT ?big {}", "", None, None, ((), ()), None), "text/csv", b"x" * 2000)
False
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..store.base import GraphView

__all__ = ["ENTRY_OVERHEAD", "UNSTABLE", "AnswerCache", "AnswerKey"]

UNSTABLE = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE", "SERVICE"})
"""Keywords whose presence makes an answer one that may differ at the next call: such answers are not kept."""
ENTRY_OVERHEAD = 512
"""Bytes counted per entry besides its body and key texts (the tuple, the dict slot, the bytes object)."""


@dataclass(frozen=True, slots=True)
class AnswerKey:
    """What an answer depends on (see the module docs)."""

    generation: Path | None
    text: str
    prologue: str
    accept: str | None
    format: str | None
    graphs: tuple[tuple[str, ...], tuple[str, ...]]
    """``default-graph-uri`` and ``named-graph-uri``, in the order given."""
    view: GraphView | None
    """The as-of view, when there is one."""

    def size(self) -> int:
        """Bytes this key holds (its texts), as counted against the cache's bound."""
        view = sum(len(g) for g in self.view.graphs) if self.view is not None else 0
        graphs = sum(len(g) for part in self.graphs for g in part)
        return len(self.text) + len(self.prologue) + len(self.accept or "") + len(self.format or "") + graphs + view


class AnswerCache:
    """A thread-safe LRU of answers, bounded in bytes (see the module docs). ``max_bytes=0`` keeps nothing."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024, max_entry_bytes: int | None = None) -> None:
        self.max_bytes = max(0, max_bytes)
        self.max_entry_bytes = self.max_bytes // 8 if max_entry_bytes is None else max_entry_bytes
        """The largest entry kept (body, key and overhead): by default an eighth of the whole."""
        self._entries: OrderedDict[AnswerKey, tuple[str, bytes, int]] = OrderedDict()
        self._generation: Path | None = None
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.quick_hits = 0

    @property
    def held_bytes(self) -> int:
        """Bytes held now, as counted against :attr:`max_bytes`."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: AnswerKey, *, count_miss: bool = True, quick: bool = False) -> tuple[str, bytes] | None:
        """The content type and body kept for ``key``, or ``None`` (counted as a miss unless ``count_miss`` is
        false: a look that the ordinary way repeats when it finds nothing). A hit of a ``quick`` look (the
        server's checks' verdict kept with the key) is counted in :attr:`quick_hits` too."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += count_miss
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            self.quick_hits += quick
            return found[0], found[1]

    def put(self, key: AnswerKey, content_type: str, body: bytes) -> bool:
        """Keep an answer; ``False`` when it is too large to keep (or the cache keeps nothing)."""
        size = len(body) + len(content_type) + key.size() + ENTRY_OVERHEAD
        if size > self.max_entry_bytes or size > self.max_bytes:
            return False
        with self._lock:
            if key.generation != self._generation:  # a new generation: what was kept for the old one goes
                self._entries.clear()
                self._bytes = 0
                self._generation = key.generation
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._entries[key] = (content_type, body, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, _, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
            return True

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def stats(self) -> dict[str, int]:
        """Entries, bytes, the bound, hits, misses and quick hits (for ``/status``)."""
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self._bytes,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "quick_hits": self.quick_hits,
            }
