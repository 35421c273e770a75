"""The HTTP layer of ``wickgraph serve``: waitress, sized and watched so that slow clients cannot starve it.

waitress reads and writes every socket in one event loop and hands complete requests to a thread pool, so an
idle or trickling socket costs a file descriptor and a few kilobytes, not a thread. Out of the box it still
fails under a crowd of slow clients: it stops accepting at 100 connections (``connection_limit``), and a socket
that sends a byte now and then is never dropped (its idle timer restarts with each byte). Here:

- the connection limit is :attr:`HttpSettings.max_connections` (2,048 by default), and the soft limit on open
  files is raised towards it (never past the hard limit; the connection limit is lowered to fit if need be);
- a request, head and body, must arrive whole within :attr:`HttpSettings.request_timeout` (30 s) from its
  first byte, however steadily it trickles; past that the client gets ``408`` and the connection is closed;
- a connection that carries no request is closed after :attr:`HttpSettings.idle_timeout` (60 s);
- a request line longer than the header cap is answered ``414 URI Too Long`` (waitress says 431), and the
  header cap sits just above ``--max-request-bytes`` so memory per connection stays bounded:
  at most ``max_connections`` x ``header cap`` bytes of unfinished request heads in all.

Every answer's head and body go out in one ``send`` (waitress sends each write at once: two system calls and
two packets per answer).

This module subclasses waitress's server, channel, task and parser (waitress 3.x).
"""

from __future__ import annotations

import contextlib
import resource
import select
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["HttpSettings", "make_http_server", "raise_open_files"]


@dataclass(frozen=True)
class HttpSettings:
    """How the HTTP layer treats connections."""

    max_connections: int = 2048
    """Connections held at once (idle, trickling or busy); more wait in the listen queue."""
    request_timeout: float = 30.0
    """Seconds a request (head and body) may take to arrive, from its first byte; then 408 and close."""
    idle_timeout: float = 60.0
    """Seconds a connection may stay open without a request; then it is closed."""
    threads: int = 16
    """Threads that run the application (each waits on an engine for most of a request)."""


def raise_open_files(wanted: int) -> tuple[int, int, int]:
    """Raise the soft limit on open files towards ``wanted``, never past the hard limit.

    Returns ``(before, after, hard)``; ``after`` may be below ``wanted`` when the hard limit is lower.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft >= target:
        return soft, soft, hard
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):  # pragma: no cover - some sandboxes refuse even this
        return soft, soft, hard
    return soft, target, hard


# File descriptors the server needs besides its client connections: the listening socket, the engines' pipes and
# sockets, the store's files, waitress's trigger, temporary files of request bodies.
RESERVED_FILES = 256


def make_http_server(
    app: Callable[..., Any],
    *,
    host: str,
    port: int,
    settings: HttpSettings,
    max_header_bytes: int,
    max_body_bytes: int,
    report: Callable[[str], None] | None = None,
) -> Any:
    """A waitress server (not yet running) for ``app`` on ``host:port``; call ``.run()`` to serve.

    ``report`` receives one line about the open-files limit when it had to be raised or limits the connections.
    """
    from waitress.adjustments import Adjustments
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
    from waitress.server import TcpWSGIServer
    from waitress.task import WSGITask
    from waitress.utilities import BadRequest, RequestHeaderFieldsTooLarge

    before, after, hard = raise_open_files(settings.max_connections + RESERVED_FILES)
    max_connections = settings.max_connections
    if after - RESERVED_FILES < max_connections:
        max_connections = max(16, after - RESERVED_FILES)
        if report is not None:
            report(f"open files limited to {after} (hard limit {hard}): holding at most {max_connections} connections")
    elif after != before and report is not None:
        report(f"open-files soft limit raised from {before} to {after} for {max_connections} connections")

    class UriTooLong(BadRequest):  # type: ignore[misc]
        code = 414
        reason = "URI Too Long"

    class RequestTimeout(BadRequest):  # type: ignore[misc]
        code = 408
        reason = "Request Timeout"

    class Parser(HTTPRequestParser):  # type: ignore[misc]
        error: Any
        body_rcv: Any
        line_ended = False

        def received(self, data: bytes) -> int:
            if not self.line_ended and self.body_rcv is None:
                self.line_ended = b"\n" in data
            consumed: int = super().received(data)
            if isinstance(self.error, RequestHeaderFieldsTooLarge) and not self.line_ended:
                self.error = UriTooLong(
                    f"the request line is longer than {max_header_bytes:,} bytes, the most this server reads; "
                    "send a long query with POST"
                )
            return consumed

    class Task(WSGITask):  # type: ignore[misc]
        """waitress's WSGI task, writing an answer's head and body together."""

        wrote_header: bool

        def write(self, data: bytes) -> None:
            """As waitress writes, but the head and a body that fits its ``Content-Length`` go out together, in
            one ``send`` (waitress sends each write at once: two system calls and two packets per answer)."""
            if data and self.complete and not self.wrote_header:
                head = self.build_response_header()
                self.wrote_header = True
                if (
                    self.has_body
                    and not self.chunked_response
                    and self.content_length is not None
                    and len(data) <= self.content_length - self.content_bytes_written
                ):
                    self.content_bytes_written += len(data)
                    self.channel.write_soon(head + data)
                    return
                self.channel.write_soon(head)
            super().write(data)

    class Channel(HTTPChannel):  # type: ignore[misc]
        parser_class = Parser
        task_class = Task
        request: Any
        requests: list[Any]
        request_started = 0.0

        def received(self, data: bytes) -> bool:
            if self.request is None and data:
                self.request_started = time.time()
            result: bool = super().received(data)
            return result

        def quiet(self) -> bool:
            """Nothing to do but wait for the client: readable, not writable, and only the client can change that
            (no request being served, nothing to send, not closing)."""
            return bool(
                self.connected
                and not self.requests
                and not self.total_outbufs_len
                and not self.will_close
                and not self.close_when_flushed
            )

        def expire_request(self) -> None:
            """Answer the unfinished request 408 and close the connection once the answer is written."""
            with self.requests_lock:
                request = self.request
                if request is None or request.completed or self.requests:
                    return
                if request.body_rcv is None:  # still in the head: give the error task a request line to answer
                    request.parse_header(b"GET / HTTP/1.0\r\n")
                request.error = RequestTimeout(
                    f"the request did not arrive within {settings.request_timeout:g} s of its first byte"
                )
                request.completed = True
                self.request = None
                self.requests.append(request)
                self.server.add_task(self)

    class Server(TcpWSGIServer):  # type: ignore[misc]
        channel_class = Channel
        recheck_all = True

        def run(self) -> None:
            if not hasattr(select, "epoll"):  # pragma: no cover - not Linux: waitress's own poll() loop
                super().run()
                return
            try:
                _epoll_loop(self, self._map, Channel, self.adj.asyncore_loop_timeout)
            except (SystemExit, KeyboardInterrupt):
                self.task_dispatcher.shutdown()

        def maintenance(self, now: float) -> None:
            self.recheck_all = True  # what follows may close or answer quiet connections
            super().maintenance(now)  # closes connections idle past channel_timeout
            cutoff = now - settings.request_timeout
            for channel in list(self.active_channels.values()):
                if (
                    channel.request is not None
                    and not channel.requests
                    and not channel.will_close
                    and channel.request_started < cutoff
                ):
                    channel.expire_request()

    adjustments = Adjustments(
        host=host,
        port=port,
        threads=settings.threads,
        ident="wickgraph",
        connection_limit=max_connections,
        channel_timeout=settings.idle_timeout,
        cleanup_interval=max(0.5, min(settings.request_timeout, settings.idle_timeout) / 4),
        max_request_header_size=max_header_bytes,
        max_request_body_size=max_body_bytes,
        asyncore_use_poll=True,
        backlog=1024,
    )
    return Server(app, adj=adjustments)


def _epoll_loop(server: Any, socket_map: dict[int, Any], channel_class: type[Any], timeout: float) -> None:
    """waitress's event loop, with epoll and a standing registration for quiet connections.

    waitress's own loop asks every connection what it waits for on every turn, and builds a new poll set from
    the answers: with 1,000 idle sockets that is about 2.8 ms of Python per turn, several turns per request.
    Here a connection that only waits for its client (:meth:`quiet`) stays registered for input and is not asked
    again until it has an event; the others are asked on every turn, as before. Every second, and after each
    maintenance pass, every connection is asked again.
    """
    from waitress.wasyncore import readwrite

    epoll = select.epoll()
    registered: dict[int, tuple[Any, int]] = {}
    quiet: set[int] = set()
    next_full_check = 0.0
    try:
        while socket_map:
            now = time.monotonic()
            if server.recheck_all or now >= next_full_check:
                server.recheck_all = False
                quiet.clear()
                next_full_check = now + 1.0
            for fd in registered.keys() - socket_map.keys():  # closed: the kernel dropped its registration
                del registered[fd]
                quiet.discard(fd)
            for fd in socket_map.keys() - quiet:
                obj = socket_map.get(fd)
                if obj is None:
                    continue
                flags = 0
                if obj.readable():
                    flags |= select.EPOLLIN | select.EPOLLPRI
                if obj.writable() and not obj.accepting:
                    flags |= select.EPOLLOUT
                old = registered.get(fd)
                if old is not None and old[0] is not obj:  # the number was reused by a new connection
                    with contextlib.suppress(OSError):
                        epoll.unregister(fd)
                    del registered[fd]
                    old = None
                if not flags:
                    if old is not None:
                        with contextlib.suppress(OSError):
                            epoll.unregister(fd)
                        del registered[fd]
                    continue
                if old is None or old[1] != flags:
                    try:
                        epoll.modify(fd, flags) if old is not None else epoll.register(fd, flags)
                    except FileNotFoundError:
                        epoll.register(fd, flags)
                    except FileExistsError:
                        epoll.modify(fd, flags)
                    registered[fd] = (obj, flags)
                if isinstance(obj, channel_class) and obj.quiet():
                    quiet.add(fd)
            try:
                events = epoll.poll(timeout)
            except InterruptedError:
                events = []
            for fd, flags in events:
                quiet.discard(fd)
                obj = socket_map.get(fd)
                if obj is not None:
                    readwrite(obj, flags)
    finally:
        epoll.close()
