"""The lifecycle every local test server shares (:class:`~wickgraph.testing.oxigraph_server.OxigraphServer`,
:class:`~wickgraph.testing.virtuoso_server.VirtuosoServer`): a log file the process writes to, a readiness probe
(an ``ASK {}`` that must answer ``boolean``), terminate then kill on stop, a temporary directory removed on stop,
and the ``with`` statement.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Self

__all__ = ["LocalServer"]


class LocalServer:
    """The lifecycle of one SPARQL server process on 127.0.0.1; a subclass says how to start it (:meth:`start`).

    A subclass sets :attr:`probe_path` (where ``ASK {}`` is sent to see that the server answers), and may change
    how long a probe waits, how often it is sent, and how long a stopping server is given before it is killed.
    """

    probe_path = "/query"
    """The query path that :meth:`_wait_ready` sends ``?query=ASK{}`` to."""
    probe_timeout = 2.0
    """Seconds one readiness probe waits for its answer."""
    probe_interval = 0.05
    """Seconds between readiness probes."""
    stop_seconds = 10.0
    """Seconds a terminated server has to exit before it is killed."""

    def __init__(self, *, attempts: int) -> None:
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

    def start(self) -> Self:
        """Start the server and wait until it answers a query."""
        raise NotImplementedError

    def _new_log(self) -> IO[bytes]:
        """A fresh file for the process's output, open as long as the server runs (closed by :meth:`_kill`)."""
        if self._log is not None:
            self._log.close()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the server runs, closed in _kill
        return self._log

    def _log_text(self) -> str:
        """What the process has written to its log so far ('' without a log)."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def _said(self) -> str:
        """The line of the log that says why the server stopped ('' when there is none)."""
        text = self._log_text().strip()
        return text.splitlines()[0] if text else ""

    def _no_answer(self, seconds: float) -> str:
        """Why the server did not start when it did not answer within ``seconds``."""
        return f"no answer on port {self.port} within {seconds:g} s"

    def _wait_ready(self, seconds: float) -> str:
        """Wait until the server answers; return why it did not ('' when it did)."""
        assert self.process is not None
        deadline = time.monotonic() + seconds
        probe = f"{self.url}{self.probe_path}?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return self._said() or f"exit status {self.process.returncode}"
            try:
                request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=self.probe_timeout) as response:
                    if b"boolean" in response.read():
                        return ""
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(self.probe_interval)
        return self._no_answer(seconds)

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_seconds)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        """Stop the server and remove its temporary directory."""
        self._kill()
        self.process = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url if self.port else '(stopped)'}>"
