"""A private network for the query engines: a Linux network namespace whose only interface is loopback.

A process in it cannot open a connection to any other host, nor to anything listening on the machine's own
127.0.0.1: its ``127.0.0.1`` is a loopback of its own, with nothing but the engines on it. That holds whatever
query the engine is given, so it is a second layer under the guard's SERVICE / LOAD refusal
(:mod:`wickgraph.server.guard`): a query that fools the guard still cannot make the engine call out.

How the server reaches the engines without a route between the namespaces: one thread moves itself into a new
namespace (``unshare(CLONE_NEWNET)`` affects the calling thread only), brings its loopback up, and starts every
engine from there, so the engines inherit the namespace. A socket belongs to the namespace it was created in,
so the server makes the sockets it talks to the engines through inside that namespace (:meth:`make_socket`: a
thread that has entered it with ``setns`` keeps a few ready) and uses them from any thread. Nothing is bridged or
copied: a request costs what it cost on the host's loopback.

The same makes the read-write engine of ``--allow-updates`` private: its port exists only inside the namespace,
and entering another process's network namespace takes ``CAP_SYS_ADMIN`` (root), so no other local user's
process can send it an update without the server's token.

Creating a network namespace needs ``CAP_SYS_ADMIN`` too. Where the OS refuses (an unprivileged user, a
container without the capability, not Linux), :meth:`PrivateNetwork.create` raises :class:`OSError` and the
pool runs its engines on the host's loopback as before (see :data:`FALLBACK_LOSES`).
"""

from __future__ import annotations

import ctypes
import functools
import os
import queue
import socket
import struct
import sys
import threading

__all__ = ["FALLBACK_LOSES", "PrivateNetwork"]

CLONE_NEWNET = 0x40000000
_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1
_OWN = "/proc/thread-self/ns/net"

FALLBACK_LOSES = (
    "the engines can reach the network, so only the SERVICE/LOAD guard stops a query from calling out, and any "
    "local process can connect to the engines' ports on 127.0.0.1 (with --allow-updates: send updates without "
    "the token)"
)
"""What the operator loses when the engines cannot be given a private network."""


@functools.cache
def _libc() -> ctypes.CDLL:
    if not sys.platform.startswith("linux"):
        raise OSError("network namespaces exist on Linux only")
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _setns(fd: int) -> None:
    _check(_libc().setns(fd, CLONE_NEWNET), "setns")


def _loopback_up() -> None:
    import fcntl

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | _IFF_UP))


class PrivateNetwork:
    """A network namespace with only its own loopback; see the module docstring."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._stock: queue.Queue[socket.socket | BaseException] = queue.Queue(maxsize=8)
        self._stocker: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def create(cls) -> PrivateNetwork:
        """Move the *calling thread* into a new network namespace with its loopback up, and return it.

        Processes the thread starts from then on live in that namespace. Raises :class:`OSError` where the OS
        does not allow it (the thread then stays where it was).
        """
        libc = _libc()
        own = os.open(_OWN, os.O_RDONLY | os.O_CLOEXEC)
        try:
            _check(libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")
            try:
                _loopback_up()
                return cls(os.open(_OWN, os.O_RDONLY | os.O_CLOEXEC))
            except BaseException:
                _setns(own)
                raise
        finally:
            os.close(own)

    def make_socket(self) -> socket.socket:
        """A new TCP socket that lives in this namespace (usable from any thread).

        Sockets come from a small stock that one thread, living in the namespace, keeps filled: entering the
        namespace for each socket (``setns`` there and back) cost about 2 ms a connection on a loaded machine.
        """
        with self._lock:
            if self._stocker is None:
                self._stocker = threading.Thread(target=self._stock_sockets, name="wickgraph-netns", daemon=True)
                self._stocker.start()
        while True:
            try:
                sock = self._stock.get(timeout=5)
            except queue.Empty:
                raise OSError("the engines' private network gives no sockets (is the server shutting down?)") from None
            if isinstance(sock, BaseException):
                raise OSError(f"cannot make a socket in the engines' private network: {sock}")
            return sock

    def _stock_sockets(self) -> None:
        try:
            _setns(self._fd)  # this thread only: it lives in the namespace from now on
        except OSError as exc:
            self._stock.put(exc)
            return
        while not self._closed:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            while not self._closed:
                try:
                    self._stock.put(sock, timeout=0.5)
                    break
                except queue.Full:
                    continue
            else:
                sock.close()

    def connect(self, address: tuple[str, int], timeout: object = None) -> socket.socket:
        """A connection to ``address`` inside this namespace (like :func:`socket.create_connection`)."""
        sock = self.make_socket()
        try:
            if timeout is None or isinstance(timeout, (int, float)):
                sock.settimeout(timeout)
            sock.connect(address)
        except BaseException:
            sock.close()
            raise
        return sock

    def close(self) -> None:
        """Let the namespace go (the kernel removes it when its last process and socket are gone)."""
        self._closed = True
        if self._stocker is not None:
            self._stocker.join(timeout=5)
        while True:
            try:
                left = self._stock.get_nowait()
            except queue.Empty:
                break
            if isinstance(left, socket.socket):
                left.close()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
