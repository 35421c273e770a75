"""Starting one engine of the pool (:mod:`wickgraph.server.engine`): its ``oxigraph`` command line (read-only on
a generation, or read-write on the pool's working copy), the wrappers that keep it in (``unshare -rn`` behind a
Unix-socket bridge) and tie it to the server (``setpriv --pdeathsig``), its start with retries; and what the
pool's network protection is, in words."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EngineError
from ..store.local import free_port
from .engine_process import Engine, wait_listening

if TYPE_CHECKING:  # pragma: no cover
    from .netns import PrivateNetwork

__all__ = ["launch", "protection"]

BRIDGED_PORT = 7878
"""The port of an engine alone in a network namespace of its own (any port is free there)."""


def launch(
    executable: str,
    location: Path,
    *,
    generation: Path | None,
    timeout: float,
    log: Path,
    network: PrivateNetwork | None,
    socket_path: Callable[[], str] | None,
    store: Path,
) -> Engine:
    """Start an engine on ``location`` and wait until it listens (three tries). ``generation`` is the
    generation it serves read-only, ``None`` for a read-write engine on a working copy; ``socket_path`` names a
    fresh Unix socket when the engine runs behind a bridge; ``store`` is named in the error."""
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        mode = "serve" if generation is None else "serve-read-only"
        args = [executable, mode, "--location", str(location)]
        # --timeout-s bounds the engine's own HTTP calls (SERVICE, when allowed); it does not stop local
        # evaluation (see wickgraph.server.engine), which is what the watchdog is for.
        unix_path: str | None = None
        if socket_path is not None:
            port = BRIDGED_PORT
            unix_path = socket_path()
        args += ["--bind", f"127.0.0.1:{port}", "--timeout-s", str(max(1, int(timeout + 0.999)))]
        if unix_path is not None:
            bridge = [sys.executable, "-m", "wickgraph.server.bridge", unix_path, str(port), "--"]
            args = ["unshare", "-rn", "--", *bridge, *args]
        launcher = shutil.which("setpriv")
        if launcher:
            args = [launcher, "--pdeathsig", "KILL", "--", *args]
        with open(log, "ab") as out:
            process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        if wait_listening(process, port, seconds=15, unix_path=unix_path):
            return Engine(process, port, generation, network, unix_path)
        process.kill()
        process.wait()
        last_error = log.read_text(errors="replace")[-500:]
    raise EngineError(f"an `oxigraph` engine would not start on {store}: {last_error.strip()}")


def protection(*, namespace: bool, bridged: bool, refused: str) -> dict[str, str | bool]:
    """Which network protection holds for the engines: in the pool's private network namespace, each in
    namespaces of its own behind a bridge, or neither (``refused`` says why)."""
    from .netns import FALLBACK_LOSES

    if namespace:
        return {
            "engine_network": "private",
            "isolated": True,
            "detail": "engines run in a network namespace with only their own loopback: they cannot reach "
            "other hosts or the host's 127.0.0.1, and only this server can reach them",
        }
    if bridged:
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
        "detail": f"no private network ({refused}): {FALLBACK_LOSES}",
    }
