"""A local ``oxigraph serve`` process on 127.0.0.1 and a free port: for tests, benchmarks and trying things out.

The ``oxigraph`` command comes from the PyPI package ``oxigraph`` (``pip install 'wickgraph[server]'``)::

    with OxigraphServer() as server:               # started, and answering queries
        wickgraph.push(server.endpoint(), "/tmp/wick")
        kg = wickgraph.open_graph(endpoint=server.endpoint())
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Self

from ..errors import StoreError
from ..store.local import find_oxigraph, free_port
from ..store.remote import Endpoint, Union
from .local_server import LocalServer

__all__ = ["OxigraphServer", "free_port", "oxigraph_command"]

oxigraph_command = find_oxigraph
"""The path of the ``oxigraph`` command (the same function as :func:`wickgraph.store.local.find_oxigraph`)."""


class OxigraphServer(LocalServer):
    """``oxigraph serve`` on 127.0.0.1, started on enter (ready to answer) and stopped on exit.

    ``location`` is the database directory (a fresh temporary one by default, removed on exit);
    ``union_default_graph`` starts the server with ``--union-default-graph``.
    """

    def __init__(
        self, location: str | os.PathLike[str] | None = None, *, union_default_graph: bool = False, attempts: int = 5
    ) -> None:
        super().__init__(attempts=attempts)
        self.union_default_graph = union_default_graph
        self._given = Path(location) if location is not None else None

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

    def start(self) -> Self:
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
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self._new_log())
            last = self._wait_ready(20.0)
            if not last:
                return self
        self.stop()
        raise StoreError(f"`oxigraph serve` did not start: {last}")

    def _no_answer(self, seconds: float) -> str:
        self._kill()
        return super()._no_answer(seconds)
