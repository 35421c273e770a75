"""A local Virtuoso (``virtuoso-t``, Debian's ``virtuoso-opensource``) on 127.0.0.1: for tests and benchmarks.

Everything is its own: a ``virtuoso.ini`` written into a fresh directory (removed on exit) that holds the
database files, both ports (ISQL and HTTP) free ports on 127.0.0.1, and the ``dba`` password, changed from the
new database's ``dba`` through ``isql-vt`` as soon as it answers, so neither the Debian service nor its default
password matter::

    with VirtuosoServer() as server:                  # started, and answering queries
        wickgraph.push(server.endpoint(), "/tmp/wick")   # writes through /sparql-auth as dba (digest auth)
        kg = wickgraph.open_graph(endpoint=server.endpoint())

Reads go to ``/sparql`` (public, read-only); writes to ``/sparql-auth``, which asks for HTTP digest
authentication: a real user gives wickgraph a Virtuoso account with the ``SPARQL_UPDATE`` role (here ``dba``)
rather than granting updates to the anonymous ``SPARQL`` account of ``/sparql``.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Self

from ..errors import StoreError
from ..store.local import free_port
from ..store.remote import Endpoint, Union
from .local_server import LocalServer

__all__ = ["VirtuosoServer", "virtuoso_command"]


def virtuoso_command() -> str:
    """The path of ``virtuoso-t`` (Debian: ``apt-get install virtuoso-opensource``)."""
    found = shutil.which("virtuoso-t")
    if found is None:
        raise StoreError("the `virtuoso-t` command is not installed: apt-get install virtuoso-opensource")
    return found


_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = {seconds}
MaxQueryExecutionTime = {seconds}
"""


class VirtuosoServer(LocalServer):
    """``virtuoso-t +foreground`` on 127.0.0.1, started on enter (ready to answer) and stopped on exit.

    ``max_rows`` is Virtuoso's ``ResultSetMaxRows`` (the most rows it returns for one query; Debian ships
    10,000); ``password`` is the ``dba`` password (a random one by default).
    """

    probe_path = "/sparql"
    probe_timeout = 5.0
    probe_interval = 0.1
    stop_seconds = 30.0  # Virtuoso shuts down on SIGTERM (with a checkpoint)

    def __init__(
        self, *, max_rows: int = 10_000, password: str | None = None, query_seconds: int = 600, attempts: int = 3
    ) -> None:
        super().__init__(attempts=attempts)
        self.max_rows = max_rows
        self.password = password or secrets.token_urlsafe(12)
        self.query_seconds = query_seconds
        self.isql_port = 0

    def endpoint(self, *, union: Union | None = None, timeout: float = 60.0, auth: bool = True) -> Endpoint:
        """An :class:`Endpoint` for this server: queries to ``/sparql``, updates to ``/sparql-auth`` as ``dba``.

        ``union`` defaults to ``"client"``: Virtuoso's default graph is the union of all its graphs,
        its own system graphs included, so wickgraph names its graphs as the dataset.
        """
        chosen: Union = union or "client"
        return Endpoint(
            self.url + "/sparql",
            update=self.url + "/sparql-auth",
            user="dba" if auth else None,
            password=self.password if auth else None,
            timeout=timeout,
            union=chosen,
        )

    def start(self) -> Self:
        """Start the server on a fresh database and wait until it answers a query."""
        command = virtuoso_command()
        last = ""
        for _ in range(self._attempts):  # another process may take a free port before the server binds it
            self._tmp = tempfile.TemporaryDirectory(prefix="wickgraph-virtuoso-")
            self.location = Path(self._tmp.name)
            self.port, self.isql_port = free_port(), free_port()
            while self.isql_port == self.port:
                self.isql_port = free_port()
            ini = self.location / "virtuoso.ini"
            ini.write_text(
                _INI.format(
                    dir=self.location,
                    isql_port=self.isql_port,
                    http_port=self.port,
                    max_rows=self.max_rows,
                    seconds=self.query_seconds,
                )
            )
            self.process = subprocess.Popen(
                [command, "+foreground", "+configfile", str(ini)],
                cwd=self.location,
                stdin=subprocess.DEVNULL,
                stdout=self._new_log(),
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal goes to the tests, which stop the server
                preexec_fn=_die_with_parent,
            )
            last = self._wait_ready(120.0) or self._set_password()
            if not last:
                return self
            self.stop()
        raise StoreError(f"Virtuoso did not start: {last}")

    def _no_answer(self, seconds: float) -> str:
        said = self._said()
        return super()._no_answer(seconds) + (f" ({said})" if said else "")

    def _set_password(self) -> str:
        """Give ``dba`` this server's password (a new database has ``dba``/``dba``); '' when done."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            return "`isql-vt` (package virtuoso-opensource) is not installed"
        quoted = self.password.replace("'", "''")
        done = subprocess.run(
            [isql, f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec=USER_SET_PASSWORD('dba', '{quoted}');"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            return "isql-vt could not set the dba password: " + (done.stdout + done.stderr).strip().splitlines()[-1]
        return ""

    def _said(self) -> str:
        """The last line Virtuoso wrote to its log."""
        lines = [line for line in self._log_text().splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""


def _die_with_parent() -> None:
    """In the child, before ``virtuoso-t`` starts: on Linux, have the kernel stop it when the process that
    started it dies, even killed with SIGKILL (no server left behind by a killed test run)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
