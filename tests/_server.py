"""Helpers for the server tests: run `wickgraph serve` as a real process, talk to it over raw HTTP."""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack
from urllib.parse import urlencode, urlsplit

import pyoxigraph

from wickgraph.store.embedded import new_generation_dir, publish_generation


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class ServerProcess:
    """`wickgraph serve` on 127.0.0.1 and a free port, stopped (with its engines) on exit."""

    def __init__(self, store: Path, *args: str, env: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.args = args
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self.stderr: list[str] = []

    def __enter__(self) -> ServerProcess:
        cmd = [sys.executable, "-m", "wickgraph", "serve", "--store", str(self.store), "--port", "0", *self.args]
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env, stdin=subprocess.DEVNULL
        )
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "Listening on http://127.0.0.1:PORT/"
        if not line.startswith("Listening on "):
            self.process.kill()
            self.process.wait()
            self.process.stdout.close()
            raise RuntimeError(f"the server did not start: {line!r} {''.join(self.stderr)}")
        self.url = line.split()[-1].rstrip("/")
        return self

    def _drain_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        engines = self.engine_pids()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        for pid in engines:  # the engines go with the server
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and _state(pid) not in ("Z", "X") and time.monotonic() < deadline:
                time.sleep(0.05)

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def engine_pids(self) -> list[int]:
        """Process ids of the server's child processes (its `oxigraph` engines)."""
        assert self.process is not None
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
        return sorted(set(pids))

    def request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> Reply:
        """One raw HTTP request (a new connection each time); the options as :func:`raw_request`'s."""
        return raw_request(self.url, method, path, **options)


def serving(store: Path, *args: str, env: Mapping[str, str] | None = None) -> Iterator[ServerProcess]:
    """A ``ServerProcess`` for a fixture to ``yield from``: started with ``args`` (and ``env``), stopped after."""
    with ServerProcess(store, *args, env=env) as process:
        yield process


class RequestOptions(TypedDict, total=False):
    params: Mapping[str, str] | list[tuple[str, str]] | None
    body: bytes | str | None
    headers: Mapping[str, str] | None
    timeout: float


def raw_request(
    base: str,
    method: str,
    path: str,
    *,
    params: Mapping[str, str] | list[tuple[str, str]] | None = None,
    body: bytes | str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> Reply:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        target = path + ("?" + urlencode(params) if params else "")
        data = body.encode("utf-8") if isinstance(body, str) else body
        # The server may answer before it has read the whole body (a 413 for a body over the limit) and close; its
        # answer is still there to read. When it is not, getresponse() below fails the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.request(method, target, data, dict(headers or {}))
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def running(pid: int) -> bool:
    """The process exists and is not a zombie."""
    return _state(pid) not in ("Z", "X")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "X"


def make_store(root: Path, graphs: Mapping[str, Path]) -> Path:
    """A store directory (generation + `current`) holding each N-Triples file in its named graph."""
    generation = new_generation_dir(root)
    store = pyoxigraph.Store(str(generation))
    for name, path in graphs.items():
        store.load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(name))
    store.flush()
    del store
    publish_generation(root, generation)
    return root
