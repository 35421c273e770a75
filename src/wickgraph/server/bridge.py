"""An engine in a network namespace of its own, for a server that is not root: reached through a Unix socket.

An unprivileged user may create a user namespace and, inside it, a network namespace (``unshare -rn``), but a
multithreaded server cannot enter one to make sockets there (:mod:`wickgraph.server.netns` does that as root).
So each engine gets a small bridge process::

    unshare -rn -- python -m wickgraph.server.bridge SOCKET PORT -- oxigraph serve … --bind 127.0.0.1:PORT

The bridge runs inside the new namespaces: it brings the loopback up, starts the engine (which dies with it),
waits until the engine listens on ``127.0.0.1:PORT`` of that namespace, then listens on the Unix socket
``SOCKET`` (a path in the server's private 0700 directory: path-based Unix sockets are reached from any network
namespace, and no other user can open that directory) and copies each connection to the engine's port and back.
The engine can reach nothing outside its namespace; only processes of the server's user that can open the
directory can reach the engine.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time

__all__ = ["main"]

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while True:
            data = source.recv(1 << 16)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def _serve_connection(client: socket.socket, port: int) -> None:
    try:
        engine = socket.create_connection(("127.0.0.1", port))
        engine.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # else Nagle holds a request's second write
    except OSError:
        client.close()
        return
    back = threading.Thread(target=_pump, args=(engine, client), daemon=True)
    back.start()
    _pump(client, engine)
    back.join()
    client.close()
    engine.close()


def main(argv: list[str]) -> int:
    """``SOCKET PORT -- COMMAND…`` (see the module docstring)."""
    path, port, command = argv[0], int(argv[1]), argv[3:]
    _die_with_parent()
    from .netns import _loopback_up

    _loopback_up()
    engine = subprocess.Popen(command, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 15
    while True:
        if engine.poll() is not None:
            return 1
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                engine.kill()
                return 1
            time.sleep(0.005)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    os.rename(path + ".tmp", path)  # the path appears only once the engine answers
    listener.listen(64)
    threading.Thread(target=lambda: (engine.wait(), os._exit(1)), daemon=True).start()
    while True:
        client, _ = listener.accept()
        threading.Thread(target=_serve_connection, args=(client, port), daemon=True).start()


if __name__ == "__main__":  # pragma: no cover - run as a process by the engine pool
    sys.exit(main(sys.argv[1:]))
