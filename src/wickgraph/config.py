"""Which graph to use: a store directory or a SPARQL server, from arguments, the environment or the config file.

:func:`resolve_target` is the one rule every face follows (the ``wickgraph`` command, the ``%%sparql`` magic and
:func:`wickgraph.open_graph` called without arguments). The most explicit setting wins:

1. the arguments (``store=`` or ``endpoint=``; a command's ``--store`` or ``--endpoint``);
2. the environment: ``WICKGRAPH_STORE`` or ``WICKGRAPH_ENDPOINT``;
3. the config file's ``[endpoint]`` table;
4. the default store (:func:`wickgraph.locations.default_store_path`).

A store and an endpoint given at the same level (both arguments, or both variables) is a
:class:`~wickgraph.errors.ConflictingTargetsError`. The endpoint's other settings (update and graph-store URLs,
credentials, timeout, union mode) come from the arguments, then ``WICKGRAPH_UPDATE_ENDPOINT``,
``WICKGRAPH_GRAPH_STORE_ENDPOINT``, ``WICKGRAPH_USER``, ``WICKGRAPH_PASSWORD``, ``WICKGRAPH_TOKEN``,
``WICKGRAPH_TIMEOUT``, ``WICKGRAPH_UNION``, then the config file.

The config file is used when no endpoint is given as an argument or in the environment.

The file is TOML at ``$WICKGRAPH_CONFIG``, else ``$XDG_CONFIG_HOME/wickgraph/config.toml``, else
``~/.config/wickgraph/config.toml``. Only its ``[endpoint]`` table is read::

    [endpoint]
    query = "http://localhost:7878/query"      # required in the table
    update = "http://localhost:7878/update"    # default: derived from query (see Endpoint)
    graph_store = "http://localhost:7878/store"
    user = "wick"                              # HTTP basic ...
    password = "..."
    token = "..."                              # ... or a bearer token
    timeout = 30                               # seconds
    union = "server"                           # or "client", "none"

The file's user, password and token are only sent to the file's own query URL.

>>> resolve_endpoint(query="http://127.0.0.1:7878/query", config={}).update_url
'http://127.0.0.1:7878/update'
>>> resolve_endpoint(config={}) is None
True
>>> resolve_target("/tmp/wick", timeout=5)
Target(store=PosixPath('/tmp/wick'), endpoint=None, origin='argument', timeout=5.0)
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from .errors import ConflictingTargetsError, UsageError, WickgraphError

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph
    from .store.remote import Endpoint

__all__ = [
    "EndpointSettings",
    "Target",
    "config_path",
    "endpoint_config",
    "resolve_endpoint",
    "resolve_server",
    "resolve_target",
]

Origin = Literal["argument", "environment", "config", "default"]

_KEYS = {"query", "update", "graph_store", "user", "password", "token", "timeout", "union"}


def config_path() -> Path:
    """Where the config file is looked for."""
    if os.environ.get("WICKGRAPH_CONFIG"):
        return Path(os.environ["WICKGRAPH_CONFIG"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "wickgraph" / "config.toml"


def endpoint_config(path: Path | None = None) -> dict[str, Any]:
    """The ``[endpoint]`` table of the config file (empty when there is no file or no table)."""
    path = path or config_path()
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WickgraphError(f"{path}: cannot read the config file: {exc}") from None
    table = data.get("endpoint", {})
    if not isinstance(table, dict):
        raise WickgraphError(f"{path}: [endpoint] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise WickgraphError(f"{path}: unknown key {unknown[0]!r} in [endpoint]; known: {', '.join(sorted(_KEYS))}")
    if table and not isinstance(table.get("query"), str):
        raise WickgraphError(f'{path}: [endpoint] needs query = "URL" (the SPARQL query URL)')
    return dict(table)


def resolve_endpoint(
    *,
    query: str | None = None,
    update: str | None = None,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float | None = None,
    union: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> Endpoint | None:
    """The endpoint from explicit settings (command line or environment) over the config file's.

    ``None`` when no query URL is given anywhere. ``config`` is the ``[endpoint]`` table (read from the
    config file when not given).
    """
    table = dict(endpoint_config() if config is None else config)
    if query is not None and table.get("query") != query:
        table = {}  # the file describes another server: none of its settings apply
    settings: dict[str, Any] = {k: v for k, v in table.items() if v is not None}
    explicit = {
        "query": query,
        "update": update,
        "graph_store": graph_store,
        "user": user,
        "password": password,
        "token": token,
        "timeout": timeout,
        "union": union,
    }
    settings.update({k: v for k, v in explicit.items() if v is not None})
    if "query" not in settings:
        return None
    if "timeout" in settings:
        settings["timeout"] = float(settings["timeout"])
    from .store.remote import Endpoint

    return Endpoint(**settings)


# The endpoint's settings other than its query URL, and the environment variable of each.
_SETTING_VARIABLES = {
    "update": "WICKGRAPH_UPDATE_ENDPOINT",
    "graph_store": "WICKGRAPH_GRAPH_STORE_ENDPOINT",
    "user": "WICKGRAPH_USER",
    "password": "WICKGRAPH_PASSWORD",
    "token": "WICKGRAPH_TOKEN",
    "timeout": "WICKGRAPH_TIMEOUT",
    "union": "WICKGRAPH_UNION",
}


def _variable(name: str) -> str | None:
    return os.environ.get(name) or None


def _settings(explicit: Mapping[str, Any]) -> dict[str, Any]:
    """The endpoint settings: each argument, else its environment variable (a timeout read as seconds)."""
    settings: dict[str, Any] = {key: explicit.get(key) for key in _SETTING_VARIABLES}
    for key, name in _SETTING_VARIABLES.items():
        text = _variable(name) if settings[key] is None else None
        if text is not None and key == "timeout":
            try:
                settings[key] = float(text)
            except ValueError:
                raise UsageError(f"{name} is {text!r}: give a number of seconds") from None
        elif text is not None:
            settings[key] = text
    timeout = settings["timeout"]
    if timeout is not None:
        try:
            seconds = float(timeout)
        except (TypeError, ValueError):
            seconds = math.nan
        if not seconds > 0:
            raise UsageError(f"timeout must be a positive number of seconds, not {timeout!r}")
        settings["timeout"] = seconds
    return settings


@dataclass(frozen=True, slots=True)
class Target:
    """Which graph to open: an embedded store directory or a SPARQL server, and which setting chose it.

    ``timeout`` is the per-query limit on the embedded store (an endpoint carries its own).
    """

    store: Path | None
    endpoint: Endpoint | None
    origin: Origin
    timeout: float | None = None

    def open(self, *, allow_service: bool = False) -> KnowledgeGraph:
        """The :class:`~wickgraph.KnowledgeGraph` over this store or server."""
        from .graph import open_graph

        if self.endpoint is not None:
            return open_graph(endpoint=self.endpoint)
        return open_graph(self.store, allow_service=allow_service, timeout=self.timeout)


class EndpointSettings(TypedDict, total=False):
    """An endpoint's settings other than its query URL (each one ``None`` when not given)."""

    update: str | None
    graph_store: str | None
    user: str | None
    password: str | None
    token: str | None
    timeout: float | None
    union: str | None


def resolve_server(
    endpoint: str | Endpoint | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    **given: Unpack[EndpointSettings],
) -> tuple[Endpoint | None, Origin | None]:
    """The SPARQL server the arguments, else ``WICKGRAPH_ENDPOINT``, else the config file name, and which of
    them named it; ``(None, None)`` when none does. The other settings follow the rule of :func:`resolve_target`."""
    if endpoint is not None and not isinstance(endpoint, str):
        return endpoint, "argument"
    settings = _settings(given)
    origin: Origin = "argument"
    if endpoint is None:
        endpoint, origin = _variable("WICKGRAPH_ENDPOINT"), "environment"
    if endpoint is None:
        origin = "config"
    found = resolve_endpoint(query=endpoint, config=config, **settings)
    return (found, origin) if found is not None else (None, None)


def resolve_target(
    store: str | os.PathLike[str] | None = None,
    endpoint: str | Endpoint | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    **given: Unpack[EndpointSettings],
) -> Target:
    """The graph to use: ``store`` or ``endpoint``, else ``WICKGRAPH_STORE`` or ``WICKGRAPH_ENDPOINT``, else the
    config file's endpoint, else the default store (see the module docstring for the whole rule).

    The keywords are the endpoint's other settings (:class:`EndpointSettings`: ``update``, ``graph_store``,
    ``user``, ``password``, ``token``, ``timeout``, ``union``); ``timeout`` also limits each query on an
    embedded store. ``config`` is the config file's ``[endpoint]`` table (read from the file when not given).
    Raises :class:`~wickgraph.errors.ConflictingTargetsError` when a store and an endpoint are given at the same
    level, :class:`~wickgraph.errors.UsageError` for a timeout that is not a positive number.
    """
    if store is not None and endpoint is not None:
        raise ConflictingTargetsError("store and endpoint are both given: use one", where="argument")
    limit = _settings({"timeout": given.get("timeout")})["timeout"]
    if store is not None:
        return Target(Path(store), None, "argument", limit)
    if endpoint is None:
        env_store, env_endpoint = _variable("WICKGRAPH_STORE"), _variable("WICKGRAPH_ENDPOINT")
        if env_store is not None and env_endpoint is not None:
            raise ConflictingTargetsError(
                "WICKGRAPH_STORE and WICKGRAPH_ENDPOINT are both set: use one", where="environment"
            )
        if env_store is not None:
            return Target(Path(env_store), None, "environment", limit)
    server, origin = resolve_server(endpoint, config=config, **given)
    if server is not None and origin is not None:
        return Target(None, server, origin)
    from .locations import default_store_path

    return Target(default_store_path(), None, "default", limit)
