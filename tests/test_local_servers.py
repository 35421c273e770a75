"""The local server processes (oxigraph, and the shared lifecycle in wickgraph.store.local): one oxigraph finder,
one free-port finder, a failed start that says why and leaves nothing behind, a killed server that still stops."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from wickgraph.errors import StoreError
from wickgraph.server import engine
from wickgraph.store import local
from wickgraph.testing import oxigraph_server
from wickgraph.testing.oxigraph_server import OxigraphServer


def test_one_oxigraph_finder_and_one_free_port() -> None:
    assert engine.find_oxigraph is local.find_oxigraph
    assert oxigraph_server.oxigraph_command is local.find_oxigraph
    assert oxigraph_server.free_port is local.free_port
    assert os.access(local.find_oxigraph(), os.X_OK)


def test_free_port_can_be_bound_on_loopback() -> None:
    port = local.free_port()
    assert 0 < port < 65536
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))  # would raise if something held it


def test_second_server_on_a_locked_database_fails_with_its_reason(tmp_path: Path) -> None:
    with OxigraphServer(tmp_path / "db") as first:
        second = OxigraphServer(tmp_path / "db", attempts=1)
        with pytest.raises(StoreError, match=r"^`oxigraph serve` did not start: ") as caught:
            second.start()
        assert "\n" not in str(caught.value)
        assert str(caught.value) != "`oxigraph serve` did not start: "
        assert second.process is None and second._log is None
        assert repr(first).startswith("<OxigraphServer http://127.0.0.1:")
        assert first.process is not None and first.process.poll() is None  # the first one is untouched


def test_killed_server_still_stops_and_removes_its_database() -> None:
    server = OxigraphServer().start()
    assert server.process is not None and server.location is not None
    location = server.location
    assert location.is_dir()
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    server.stop()
    assert server.process is None and server._log is None
    assert not location.exists()
    server.stop()  # a second stop is harmless
