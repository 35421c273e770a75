"""One ``oxigraph`` server process of the query engine pool (:mod:`wickgraph.server.engine`): how to reach it
(TCP on 127.0.0.1, in a private network or behind a Unix-socket bridge), wait for it, stop it and reap it."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .netns import PrivateNetwork

__all__ = ["Engine", "reap", "user_namespaces_work", "wait_listening"]


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


class Engine:
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


def reap(process: subprocess.Popen[bytes]) -> None:
    process.wait()


def wait_listening(
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


def user_namespaces_work() -> bool:
    """Whether this user may run a process in user and network namespaces of its own (``unshare -rn``)."""
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
