"""What ``wickgraph serve`` can set: one :class:`ServerConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .guard import Limits, Policy
from .http import HttpSettings

__all__ = ["ServerConfig"]


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``wickgraph serve`` can set."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    workers: int = 4
    """Engine processes: how many queries run at once (read-only mode)."""
    limits: Limits = field(default_factory=Limits)
    policy: Policy = field(default_factory=Policy)
    cors: bool = False
    """Let pages from other origins (a hosted YASGUI, say) call the endpoint and the JSON API."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names (``example.org``, or ``*`` for any) the server answers to besides its own address, ``localhost``
    and IP literals; any other ``Host`` header gets 421 (a guard against DNS rebinding)."""
    http: HttpSettings = field(default_factory=HttpSettings)
    """Connections: how many, and how long a request may take to arrive (see :mod:`wickgraph.server.http`)."""
