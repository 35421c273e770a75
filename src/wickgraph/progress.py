"""A progress bar for long loads: bytes read, triples loaded and triples per second, on a terminal.

:class:`ProgressReader` wraps a binary file and counts what the reader (pyoxigraph's bulk loader, reading in
Rust) has consumed; for line-based formats (N-Triples, N-Quads) every line is one triple, so the count is
exact. :class:`ProgressBar` draws on ``stderr`` at most a few times a second, and only when it is a terminal.

>>> import io
>>> reader = ProgressReader(io.BytesIO(b"<a> <b> <c> .\\n" * 3), lambda r: None)
>>> len(reader.read()), reader.lines
(42, 3)
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from typing import IO

__all__ = ["ProgressBar", "ProgressReader"]


class ProgressReader(io.RawIOBase):
    """A read-only binary stream over ``raw`` that counts bytes and lines and reports now and then."""

    def __init__(self, raw: IO[bytes], on_progress: Callable[[ProgressReader], None], *, every: float = 0.2) -> None:
        super().__init__()
        self._raw = raw
        self._on_progress = on_progress
        self._every = every
        self._next = time.monotonic() + every
        self.bytes = 0
        self.lines = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.bytes += n
        self.lines += data.count(b"\n")
        now = time.monotonic()
        if now >= self._next:
            self._next = now + self._every
            self._on_progress(self)
        return n


def _si(n: float) -> str:
    for unit in ("", "k", "M", "G"):
        if abs(n) < 1000:
            return f"{n:.0f}{unit}" if unit == "" else f"{n:.1f}{unit}"
        n /= 1000
    return f"{n:.1f}T"


class ProgressBar:
    """``[#######.......]  45%  450.1k triples  210.3k triples/s  ETA 3 s`` on stderr, redrawn in place."""

    def __init__(self, total_bytes: int, label: str, *, stream: IO[str] | None = None, enabled: bool | None = None):
        self.total = max(total_bytes, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.drawn = False

    def update(self, done_bytes: int, triples: int | None) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        fraction = min(done_bytes / self.total, 1.0)
        width = 24
        filled = int(fraction * width)
        bar = "#" * filled + "." * (width - filled)
        rate = f"{_si(triples / elapsed)} triples/s" if triples is not None else f"{_si(done_bytes / elapsed)}B/s"
        count = f"{_si(triples)} triples  " if triples is not None else ""
        eta = (elapsed / fraction - elapsed) if fraction > 0 else 0.0
        line = f"{self.label} [{bar}] {fraction:4.0%}  {count}{rate}  ETA {eta:.0f} s"
        self.stream.write("\r" + line.ljust(78))
        self.stream.flush()
        self.drawn = True

    def finish(self, done_bytes: int, triples: int | None) -> None:
        if not self.enabled:
            return
        self.update(done_bytes, triples)
        self.stream.write("\n")
        self.stream.flush()
