"""What a SPARQL server answered, made into wickgraph's results or errors: the one place that reads answers.

An answer is parsed by its media type (:func:`parse_answer`; SPARQL JSON results term by term through
:mod:`wickgraph.sparql_json`, so every server's terms come out as the embedded store's); an answer a server cut at
its row cap (``X-SPARQL-MaxRows``) is refused (:func:`check_cap`); an HTTP error or a failed connection becomes
the :class:`~wickgraph.errors.EndpointError` that says what happened (:func:`http_error`,
:func:`transport_error`). The remote store and the server's query engine both read their answers here.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Triple, parse, parse_query_results

from ..errors import (
    EndpointAuthError,
    EndpointError,
    EndpointQueryError,
    EndpointResponseError,
    EndpointRowCapError,
    EndpointUnreachableError,
)
from ..results import GraphResult, QueryResult, Row, SelectResult
from ..sparql_json import normal_term, read_json_results

if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

__all__ = ["check_cap", "expect_headers", "http_error", "parse_answer", "transport_error", "wrapped_body"]

_LINE_ONLY = re.compile(r",\s*line\s+(\d+):\s*", re.I)
_POSITION = re.compile(r"(?:\bat\s+(?:line\s+)?|\bline\s+)(\d+)(?::|,\s*column\s+|,\s*col\s+)(\d+)", re.I)


def expect_headers(count: int) -> None:
    """Let Python's HTTP client read an answer with up to ``count`` headers (it refuses more than 100 by
    default). The limit guards against a server that sends headers without end; it is only ever raised, to a
    bound wickgraph sets from the dataset it sends, never removed."""
    import http.client

    limit = getattr(http.client, "_MAXHEADERS", 100)
    if isinstance(limit, int) and count > limit:
        http.client._MAXHEADERS = count  # type: ignore[attr-defined]


_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.I)


def check_cap(
    url: str, sparql: str, result: QueryResult, headers: Message[str, str], *, cut_ok: bool = False
) -> int | None:
    """Refuse an answer the server cut at its row cap: Virtuoso returns at most ``ResultSetMaxRows`` rows and
    says so in an ``X-SPARQL-MaxRows`` header when the answer reaches that many. Returns the cap it says."""
    said = (headers.get("X-SPARQL-MaxRows") or "").strip()
    if not said.isdigit() or isinstance(result, bool):
        return None
    cap = int(said)
    size = len(result)
    if size < cap:
        return cap
    # The query's own top-level LIMIT (after its last closing brace) may explain an answer of that size.
    tail = sparql[sparql.rfind("}") + 1 :]
    limit = _LIMIT.search(tail)
    if limit is not None and int(limit.group(1)) <= cap:
        return cap
    if cut_ok:
        return cap
    what = "rows" if isinstance(result, SelectResult) else "triples"
    raise EndpointRowCapError(
        url,
        size,
        f"the server cut the answer at {size} {what}, its row cap (X-SPARQL-MaxRows: {cap}; Virtuoso: "
        "ResultSetMaxRows in virtuoso.ini), and did not send the rest: raise the cap on the server, or page "
        "the query (ORDER BY with LIMIT and OFFSET)",
    )


def parse_answer(
    url: str, body: bytes, content_type: str, *, graph: bool = False, canonical: bool = True
) -> QueryResult:
    """Parse an answer by its media type; ``graph`` settles the ambiguous ones (``application/xml``,
    ``application/json``, ``text/plain``) for a CONSTRUCT or DESCRIBE query. ``canonical`` makes numeric and
    boolean literals take the embedded store's lexical form (any server's answer); ``False`` reads terms as
    they come (Oxigraph's own, which have it already)."""
    normal = normal_term if canonical else _same
    media = content_type.split(";")[0].strip().lower()
    results_format = QueryResultsFormat.from_media_type(media) if media else None
    rdf_format = RdfFormat.from_media_type(media) if media else None
    if graph and rdf_format is not None:
        results_format = None
    elif results_format is not None:
        rdf_format = None
    if results_format is None and rdf_format is None:
        what = "an HTML page" if media in ("text/html", "application/xhtml+xml") or _looks_html(body) else None
        shown = what or (f"{media} content" if media else "content without a Content-Type")
        raise EndpointResponseError(
            url, f"answered with {shown}, not SPARQL results (is this the query URL of a SPARQL endpoint?)"
        )
    try:
        if results_format == QueryResultsFormat.JSON and canonical:
            return read_json_results(body)
        if results_format is not None:
            parsed = parse_query_results(body, results_format)
            if isinstance(parsed, QueryBoolean):
                return bool(parsed)
            assert isinstance(parsed, QuerySolutions)
            variables = [v.value for v in parsed.variables]
            rows: list[Row] = [{v: normal(solution[v]) for v in variables} for solution in parsed]
            return SelectResult(variables, rows)
        assert rdf_format is not None
        if not canonical:
            return GraphResult(q.triple for q in parse(body, rdf_format))
        return GraphResult(Triple(q.subject, q.predicate, normal_term(q.object)) for q in parse(body, rdf_format))
    except (SyntaxError, ValueError, TypeError, KeyError, AttributeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EndpointResponseError(url, f"answered {media} that does not parse as SPARQL results: {first}") from None


def _same(term: Any) -> Any:
    return term


def wrapped_body(exc: Exception) -> bytes:
    """The response body a SPARQLWrapper error quotes (``... Response:\\n b'...'``), or nothing."""
    import ast

    _, found, quoted = str(exc).partition("\n\nResponse:\n")
    if not found:
        return b""
    try:
        body = ast.literal_eval(quoted)
    except (ValueError, SyntaxError):
        return quoted.encode()
    return body if isinstance(body, bytes) else str(body).encode()


def _looks_html(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _one_line(body: bytes, content_type: str | None, limit: int = 240) -> str:
    text = body.decode("utf-8", "replace")
    if (content_type or "").startswith("text/html") or _looks_html(body):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        text = re.sub(r"<[^>]+>", " ", title.group(1) if title else text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def http_error(url: str, status: int, reason: str, body: bytes, headers: Message[str, str] | None) -> EndpointError:
    detail = _one_line(body, headers.get("Content-Type") if headers is not None else None)
    said = f"HTTP {status} {reason}".strip()
    if status == 429:
        retry = headers.get("Retry-After") if headers is not None else None
        after = f"; retry after {retry} s" if retry and retry.isdigit() else ""
        return EndpointResponseError(url, f"the server is limiting this client's requests ({said}){after}")
    if status in (401, 403):
        return EndpointAuthError(
            url, f"the server refused the credentials ({said}); check --user/--password or --token"
        )
    if status == 400:
        detail = detail.split(" SPARQL query:", 1)[0]  # Virtuoso quotes the whole query after its message
        match = _POSITION.search(detail)
        line: int | None = int(match.group(1)) if match else None
        column: int | None = int(match.group(2)) if match else None
        message = re.sub(r"\s+:", ":", _POSITION.sub("", detail, count=1)).strip(" :") if match else detail
        if match is None and (only_line := _LINE_ONLY.search(detail)) is not None:
            line = int(only_line.group(1))  # Virtuoso: "SPARQL compiler, line 17: syntax error at ..."
            message = _LINE_ONLY.sub(": ", detail, count=1)
        message = re.sub(r"^(?:syntax\s+)?error:\s*", "", message, flags=re.I)
        return EndpointQueryError(url, message or said, line=line, column=column)
    if status == 404:
        return EndpointResponseError(url, f"{said}: no SPARQL endpoint at this URL")
    return EndpointResponseError(url, f"{said}" + (f": {detail}" if detail else ""))


def transport_error(url: str, exc: Exception, timeout: float) -> EndpointError:
    import http.client
    import socket
    import urllib.error

    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointUnreachableError(url, f"no answer within {math.ceil(timeout)} s (the timeout)")
    if isinstance(reason, ConnectionRefusedError):
        return EndpointUnreachableError(url, "connection refused: is the server running, and on that port?")
    if isinstance(reason, socket.gaierror):
        return EndpointUnreachableError(url, f"unknown host ({reason.strerror or reason})")
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        name = type(reason).__name__
        return EndpointResponseError(url, f"the server broke off or did not speak HTTP ({name}: {reason})".strip())
    if isinstance(reason, OSError):
        return EndpointUnreachableError(url, f"cannot connect: {reason.strerror or reason}")
    return EndpointError(url, f"{type(reason).__name__}: {reason}")
