"""Server processes on this machine's 127.0.0.1: the one place that finds the ``oxigraph`` command and picks a
free port, for the query engine of ``wickgraph serve`` (:mod:`wickgraph.server.engine`) and the test servers
(:mod:`wickgraph.testing`).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import sysconfig
from pathlib import Path

from ..errors import EngineError

__all__ = ["find_oxigraph", "free_port"]


def find_oxigraph() -> str:
    """The ``oxigraph`` executable: beside the running Python (a virtualenv's bin), else on ``PATH``."""
    candidates = [Path(sysconfig.get_path("scripts")) / "oxigraph", Path(sys.executable).parent / "oxigraph"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise EngineError(
        "the `oxigraph` server is not installed; install it with: pip install 'wickgraph[server]' "
        "(the PyPI package `oxigraph`)"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
