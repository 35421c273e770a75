"""Where a SPARQL server is and how to talk to it (:class:`Endpoint`), checked when it is made.

>>> Endpoint("http://127.0.0.1:7878/query").update_url
'http://127.0.0.1:7878/update'
>>> Endpoint("https://query.wikidata.org/sparql").update_url
'https://query.wikidata.org/sparql'
"""

from __future__ import annotations

import base64
import urllib.parse
from dataclasses import dataclass, field
from typing import Literal

from ..errors import EndpointError

__all__ = ["Endpoint", "Union"]

Union = Literal["server", "client", "none"]
"""How the default graph becomes the union of wickgraph's graphs (see :mod:`wickgraph.store.remote`)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a SPARQL server is and how to talk to it.

    ``query`` is the SPARQL query URL. ``update`` defaults to the query URL with a final ``/query`` made
    ``/update`` (Oxigraph, Fuseki) and to the query URL itself otherwise (Neptune, Wikidata's read-only
    ``/sparql``; for Virtuoso with a user, :attr:`RemoteStore.update_url` makes it ``/sparql-auth``);
    ``graph_store`` (Graph Store Protocol URL) is only used by a push when given. Authentication is HTTP basic
    (``user`` and ``password``, or digest when the server asks for it) or a bearer ``token``; ``timeout`` is in
    seconds (queries round it up to whole seconds).
    """

    query: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    union: Union = "server"

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.graph_store):
            if url is not None:
                _check_url(url)
        if self.union not in ("server", "client", "none"):
            raise EndpointError(self.query, f"union must be 'server', 'client' or 'none', not {self.union!r}")
        if self.timeout <= 0:
            raise EndpointError(self.query, f"the timeout must be a positive number of seconds, not {self.timeout}")
        if self.token and (self.user or self.password):
            raise EndpointError(self.query, "give a bearer token or a user and password, not both")

    @property
    def update_url(self) -> str:
        """The SPARQL Update URL (see the class docstring for the default)."""
        if self.update:
            return self.update
        parts = urllib.parse.urlsplit(self.query)
        if parts.path.endswith("/query"):
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "update"))
        return self.query

    def headers(self) -> dict[str, str]:
        """The authentication header, if any."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(url, "not an http:// or https:// URL of a SPARQL endpoint")
