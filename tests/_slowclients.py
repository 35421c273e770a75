"""A crowd of slow HTTP clients for the server tests and the benchmark: idle sockets and trickling requests.

One thread drives every socket through a selector, so a thousand of them cost the test process one thread.
Half the sockets connect and send nothing (idle keep-alive clients, or a port scan that stays); the other half
send a request head one byte every ``interval`` seconds and never finish it (the "slowloris" pattern). A socket
the server closes is counted and opened again at once, as an attacker would.
"""

from __future__ import annotations

import contextlib
import os
import resource
import selectors
import socket
import threading
import time
from pathlib import Path

TRICKLE = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100_000


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files towards ``wanted`` (at most the hard limit); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def open_sockets(pid: int) -> int:
    """How many sockets process ``pid`` holds open (from /proc)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


class SlowCrowd(threading.Thread):
    """``count`` slow sockets against ``host:port`` until :meth:`stop`; half idle, half trickling."""

    def __init__(self, host: str, port: int, count: int, *, interval: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.address = (host, port)
        self.count = count
        self.interval = interval
        self.closed_by_server = 0
        """Sockets the server closed (each was opened again)."""
        self.refused = 0
        """Connections that failed to open."""
        self.connected = 0
        """Sockets whose connect() has completed, right now."""
        self._halt = threading.Event()
        self._selector = selectors.DefaultSelector()
        self._sent: dict[socket.socket, int] = {}
        self._up: set[socket.socket] = set()

    def _open(self, trickle: bool) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            sock.connect_ex(self.address)
        except OSError:
            self.refused += 1
            sock.close()
            return
        self._sent[sock] = 0 if trickle else -1
        self._selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, trickle)

    def _drop(self, sock: socket.socket, trickle: bool) -> None:
        self._selector.unregister(sock)
        self._sent.pop(sock, None)
        self._up.discard(sock)
        sock.close()
        if not self._halt.is_set():
            self._open(trickle)

    def run(self) -> None:
        for i in range(self.count):
            self._open(trickle=i % 2 == 1)
        next_byte = time.monotonic() + self.interval
        while not self._halt.is_set():
            for key, events in self._selector.select(timeout=0.2):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                trickle: bool = key.data
                if events & selectors.EVENT_WRITE:  # connected (or failed): from now on, only watch for a close
                    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        self.refused += 1
                        self._drop(sock, trickle)
                        continue
                    self._up.add(sock)
                    self._selector.modify(sock, selectors.EVENT_READ, trickle)
                if events & selectors.EVENT_READ:
                    try:
                        data = sock.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:  # closed by the server (an answer such as 408 is read and dropped first)
                        self.closed_by_server += 1
                        self._drop(sock, trickle)
            self.connected = len(self._up)
            if time.monotonic() >= next_byte:
                next_byte = time.monotonic() + self.interval
                for sock in list(self._up):
                    sent = self._sent.get(sock, -1)
                    if sent >= 0:
                        with contextlib.suppress(OSError):
                            self._sent[sock] = sent + sock.send(TRICKLE[sent : sent + 1])
        for key in list(self._selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        self._selector.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)
