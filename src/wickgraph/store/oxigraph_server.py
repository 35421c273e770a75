"""A local ``oxigraph serve`` process on 127.0.0.1 and a free port: for tests, benchmarks and trying things out.

The ``oxigraph`` command comes from the PyPI package ``oxigraph`` (``pip install 'wickgraph[server]'``)::

    with OxigraphServer() as server:               # started, and answering queries
        wickgraph.push(server.endpoint(), "/tmp/wick")
        kg = wickgraph.open_graph(endpoint=server.endpoint())
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from ..errors import StoreError
from .remote import Endpoint, Union

__all__ = ["OxigraphServer", "free_port", "oxigraph_command"]


def oxigraph_command() -> str:
    """The path of the ``oxigraph`` command: beside this Python first (a venv), else on ``PATH``."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise StoreError("the `oxigraph` command is not installed: pip install 'wickgraph[server]' (or `oxigraph`)")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1, started on enter (ready to answer) and stopped on exit.

    ``location`` is the database directory (a fresh temporary one by default, removed on exit);
    ``union_default_graph`` starts the server with ``--union-default-graph``.
    """

    def __init__(
        self, location: str | os.PathLike[str] | None = None, *, union_default_graph: bool = False, attempts: int = 5
    ) -> None:
        self.union_default_graph = union_default_graph
        self._given = Path(location) if location is not None else None
        self._attempts = attempts
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.port = 0
        self.location: Path | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def endpoint(self, *, union: Union | None = None, graph_store: bool = False, timeout: float = 30.0) -> Endpoint:
        """An :class:`Endpoint` for this server."""
        chosen: Union = union or "server"
        return Endpoint(
            self.url + "/query",
            update=self.url + "/update",
            graph_store=self.url + "/store" if graph_store else None,
            timeout=timeout,
            union=chosen,
        )

    def start(self) -> OxigraphServer:
        """Start the server and wait until it answers a query."""
        if self._given is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="wickgraph-oxigraph-")
            self.location = Path(self._tmp.name)
        else:
            self.location = self._given
            self.location.mkdir(parents=True, exist_ok=True)
        command = oxigraph_command()
        last = ""
        for _ in range(self._attempts):  # another process may take the free port before the server binds it
            self.port = free_port()
            args = [command, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
            if self.union_default_graph:
                args.append("--union-default-graph")
            self._log = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the server runs, closed in _kill
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self._log)
            last = self._wait_ready()
            if not last:
                return self
        self.stop()
        raise StoreError(f"`oxigraph serve` did not start: {last}")

    def _wait_ready(self, seconds: float = 20.0) -> str:
        """Wait until the server answers; return why it did not ('' when it did)."""
        assert self.process is not None
        deadline = time.monotonic() + seconds
        probe = f"{self.url}/query?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = ""
                if self._log is not None:
                    self._log.seek(0)
                    err = self._log.read().decode("utf-8", "replace")
                return err.strip().splitlines()[0] if err.strip() else f"exit status {self.process.returncode}"
            try:
                request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    if b"boolean" in response.read():
                        return ""
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        self._kill()
        return f"no answer on port {self.port} within {seconds:g} s"

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        """Stop the server and remove its temporary database."""
        self._kill()
        self.process = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<OxigraphServer {self.url if self.port else '(stopped)'}>"
