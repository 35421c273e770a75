"""``wickgraph serve``: a SPARQL 1.1 endpoint with a query page, safe to expose.

- :mod:`.app`: the WSGI application (routes, pages, the JSON API), over :mod:`.sparql` (the SPARQL protocol at
  ``/sparql``); :mod:`.responses`: answers, the status each error maps to, the ``Host`` guard; :mod:`.config`:
  :class:`ServerConfig`;
- :mod:`.protocol`: reading SPARQL protocol requests, content negotiation, writing results;
- :mod:`.guard`: the read-only default, SERVICE / LOAD refusal, and the size and time limits;
- :mod:`.engine`: the pool of ``oxigraph`` processes that run the queries and can be stopped;
- :mod:`.http`: waitress, with its connection limit, request and idle timeouts and event loop set for slow clients;
- ``page/``: the query page's HTML, CSS and JavaScript, served from here (no CDN).

>>> from wickgraph.server import Limits, Policy
>>> Limits().timeout, Policy().allow_updates
(10.0, False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .app import WickgraphApp as WickgraphApp
from .config import ServerConfig as ServerConfig
from .guard import Limits as Limits
from .guard import Policy as Policy
from .http import HttpSettings as HttpSettings

__all__ = ["HttpSettings", "Limits", "Policy", "ServerConfig", "WickgraphApp", "serve"]


def serve(
    config: ServerConfig,
    *,
    ready: Callable[[str], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> None:
    """Start the engines and serve HTTP on ``config.host:config.port`` until interrupted; then stop the engines.

    ``ready`` is called with the page's URL once the server listens (port 0 picks a free port); ``note`` with each
    line the operator should see: first which network protection the engines have (see ``/status``), then the
    open-files limit raised, or too low for the connection limit.
    """
    try:
        import waitress  # noqa: F401
    except ImportError:  # pragma: no cover - waitress comes with the [server] extra
        from ..errors import EngineError

        raise EngineError("`wickgraph serve` needs waitress: pip install 'wickgraph[server]'") from None
    from .engine import EnginePool
    from .http import make_http_server

    limits = config.limits
    pool = EnginePool(
        config.store,
        size=config.workers,
        timeout=limits.timeout,
        max_result_bytes=limits.max_result_bytes,
        writable=config.policy.allow_updates,
        # SERVICE and LOAD, when the operator allows them, need the engines to reach other hosts.
        isolate=not (config.policy.allow_service or config.policy.allow_load),
    )
    try:
        pool.start()
        if note is not None:
            protection = pool.protection
            note(f"engine network: {protection['engine_network']}: {protection['detail']}")
        app = WickgraphApp(config, pool)
        app.prepare_as_of()
        server = make_http_server(
            app,
            host=config.host,
            port=config.port,
            settings=replace(config.http, threads=max(config.http.threads, 4 * config.workers)),
            # Our own checks answer a long query string (414) or body (413) with a clearer message than
            # waitress's, so its caps sit a little above ours; they bound the memory a connection can hold.
            max_header_bytes=limits.max_request_bytes + 16384,
            max_body_bytes=2 * limits.max_request_bytes + 65536,
            report=note,
        )
        host = config.host if ":" not in config.host else f"[{config.host}]"
        if ready is not None:
            ready(f"http://{host}:{server.effective_port}/")
        server.run()
    finally:
        pool.close()
