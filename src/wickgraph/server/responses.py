"""The answers the server gives: a finished response, JSON and text bodies, the status an error maps to, and the
``Host`` guard against DNS rebinding."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from ..errors import (
    EngineError,
    EntityNotFoundError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    WickgraphError,
)
from .graphview import GraphViewUnavailableError
from .guard import UpdateTokenError
from .protocol import ProtocolError

if TYPE_CHECKING:  # pragma: no cover
    from .config import ServerConfig

# Names that cannot be rebound to this machine by someone else's DNS (an IP literal names no DNS record).
_LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
_REASONS = {
    200: "OK",
    204: "No Content",
    300: "Multiple Choices",
    303: "See Other",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    408: "Request Timeout",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    421: "Misdirected Request",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class _Response(Exception):
    """A finished response, raised to leave a handler early."""

    def __init__(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


def _json(status: int, value: Any, headers: Mapping[str, str] | None = None) -> _Response:
    body = json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    return _Response(status, body, "application/json; charset=utf-8", headers)


def _text(status: int, message: str, headers: Mapping[str, str] | None = None) -> _Response:
    return _Response(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)


def error_response(exc: Exception, as_json: bool) -> _Response:
    """The answer to an exception a handler raised: the status that fits, and what went wrong (JSON or text)."""
    status, headers, extra = 500, {}, {}
    message = str(exc)
    if isinstance(exc, ProtocolError):
        status, headers, message = exc.status, exc.headers, exc.message
    elif isinstance(exc, UpdateTokenError):
        status, headers = 401, {"WWW-Authenticate": 'Bearer realm="wickgraph"'}
    elif isinstance(exc, QueryRefusedError):
        status = 403
    elif isinstance(exc, QuerySyntaxError):
        status = 400
    elif isinstance(exc, QueryTimeoutError):
        status = 503
    elif isinstance(exc, ResultTooLargeError):
        status = 422
    elif isinstance(exc, EngineError):
        status, headers = 503, {"Retry-After": "1"}
    elif isinstance(exc, GraphViewUnavailableError):
        status = 501
    elif isinstance(exc, EntityNotFoundError):
        status = 300 if exc.candidates else 404
        extra = {"candidates": [{"iri": iri, "label": label} for iri, label in exc.candidates]}
    elif isinstance(exc, WickgraphError):  # NamedQueryError, a bad date, …
        status = 400
    else:
        traceback.print_exc(file=sys.stderr)
        message = f"internal error: {type(exc).__name__}: {exc}"
    if as_json:
        return _json(status, {"error": message, "status": status, **extra}, headers)
    return _text(status, message, headers)


def refused_host(environ: Mapping[str, Any], config: ServerConfig) -> str | None:
    """Why this request's ``Host`` is refused, or ``None``. A page on a domain its owner has pointed at
    127.0.0.1 (DNS rebinding) sends that domain as its Host, and gets 421 rather than the graph. The port plays
    no part (a rebinding page uses the real one; a forwarded port shows another), nor does a missing Host
    (HTTP/1.0 clients; browsers always send one)."""
    host = str(environ.get("HTTP_HOST") or "").strip().lower()
    if not host or "*" in config.allowed_hosts:
        return None
    name = _host_name(host)
    allowed = {h.strip().lower() for h in config.allowed_hosts}
    if name in _LOCAL_NAMES or name in allowed or name == config.host.lower() or _is_ip_literal(name):
        return None
    from ..terminal import safe_text

    shown = safe_text(name.encode("ascii", "backslashreplace").decode("ascii")[:200], one_line=True)
    return (
        f"this server does not answer to the host name {shown!r} (a guard against DNS rebinding); "
        f"if that name is yours, start the server with --allowed-host {shown}"
    )


def _host_name(host: str) -> str:
    """The name in a Host header: ``example.org:8080`` → ``example.org``, ``[::1]:7878`` → ``[::1]``."""
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.split(":", 1)[0] if host.count(":") == 1 else host


def _is_ip_literal(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    return True


def _only(environ: Mapping[str, Any], *methods: str) -> None:
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    if method not in methods:
        allowed = ", ".join(methods)
        raise _json(405, {"error": f"{method} is not allowed here; use {allowed}"}, {"Allow": allowed})


def _params(environ: Mapping[str, Any]) -> dict[str, str]:
    try:
        pairs = parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise _json(400, {"error": f"the URL's query string is not valid UTF-8: {exc}"}) from None
    return dict(pairs)
