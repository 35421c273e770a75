"""The optional config file: which SPARQL server to use when no ``--endpoint`` is given.

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

Settings are taken in this order: command line, environment (``WICKGRAPH_ENDPOINT`` …), config file. The
file's user, password and token are only sent to the file's own query URL.

>>> resolve_endpoint(query="http://127.0.0.1:7878/query", config={}).update_url
'http://127.0.0.1:7878/update'
>>> resolve_endpoint(config={}) is None
True
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import WickgraphError
from .store.remote import Endpoint

__all__ = ["config_path", "endpoint_config", "resolve_endpoint"]

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
    return Endpoint(**settings)
