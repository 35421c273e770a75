"""The SPARQL 1.1 Protocol, as far as the server speaks it: reading a request, choosing a format, writing a result.

- A query comes as ``GET ?query=``, as a form-encoded ``POST`` (``query=``), or as a ``POST`` whose body is the
  query (``application/sparql-query``); an update as a form-encoded ``POST`` (``update=``) or a body of type
  ``application/sparql-update``. ``default-graph-uri`` / ``named-graph-uri`` (``using-graph-uri`` /
  ``using-named-graph-uri`` for updates) name the dataset.
- Content negotiation (the ``Accept`` header, or a ``format=`` parameter): SPARQL results JSON, XML, CSV or
  TSV for SELECT and ASK; Turtle, N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE.
- Every refusal is a :class:`ProtocolError` with its HTTP status and a message that says what to change.

>>> negotiate("text/csv, application/sparql-results+json;q=0.5", "results").key
'csv'
>>> negotiate("*/*", "graph").media_type
'text/turtle'
>>> negotiate("image/png", "results")
Traceback (most recent call last):
...
wickgraph.errors.ProtocolError: 406: cannot answer a SELECT or ASK query in image/png; ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal
from urllib.parse import parse_qsl

from ..errors import ProtocolError

__all__ = [
    "FORMATS",
    "Format",
    "ProtocolError",
    "SparqlRequest",
    "negotiate",
    "parse_request",
    "render_result",
    "shift_positions",
]

Kind = Literal["results", "graph"]


@dataclass(frozen=True, slots=True)
class Format:
    """A result format: its short name, media type, the kind of result it carries, and other media types for it."""

    key: str
    media_type: str
    kind: Kind
    aliases: tuple[str, ...] = ()


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "results", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results"),
    Format("tsv", "text/tab-separated-values", "results"),
    Format("turtle", "text/turtle", "graph", ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3")),
    Format("ntriples", "application/n-triples", "graph", ("text/plain",)),
    Format("rdfxml", "application/rdf+xml", "graph", ("application/xml", "text/xml")),
    Format("jsonld", "application/ld+json", "graph", ("application/json",)),
)
"""In order of preference within each kind (the first is the default)."""

_BY_KEY = {f.key: f for f in FORMATS}
_OVERRIDES: dict[tuple[str, str], str] = {
    **{("results", name): f.key for f in FORMATS if f.kind == "results" for name in (f.key, f.media_type)},
    **{("graph", f.media_type): f.key for f in FORMATS if f.kind == "graph"},
    **{("graph", name): "turtle" for name in ("turtle", "ttl", "n3")},
    **{("graph", name): "ntriples" for name in ("ntriples", "nt", "n-triples")},
    **{("graph", name): "rdfxml" for name in ("rdfxml", "rdf+xml", "xml", "rdf")},
    **{("graph", name): "jsonld" for name in ("jsonld", "json-ld", "json")},
}
_KIND_NAMES = {"results": "a SELECT or ASK query", "graph": "a CONSTRUCT or DESCRIBE query"}


def _accept_entries(accept: str) -> list[tuple[float, int, int, str]]:
    entries = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, val = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(val)
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        entries.append((q, specificity, index, media))
    return entries


def _matches(pattern: str, media: str) -> bool:
    if pattern == "*/*":
        return True
    if pattern.endswith("/*"):
        return media.startswith(pattern[:-1])
    return pattern == media


def negotiate(accept: str | None, kind: Kind, override: str | None = None) -> Format:
    """The format to answer in: ``override`` (a ``format=`` name or media type) wins, else the ``Accept`` header.

    Raises :class:`ProtocolError` 406 when nothing acceptable can carry this kind of result.
    """
    candidates = [f for f in FORMATS if f.kind == kind]
    if override:
        # A format= (or output=) parameter, as SPARQLWrapper and browsers' download links send it; a value that
        # names no format of this kind is ignored, and the Accept header decides.
        wanted = _OVERRIDES.get((kind, override.strip().lower()))
        if wanted is not None:
            return _BY_KEY[wanted]
    if not accept or not accept.strip():
        return candidates[0]
    entries = _accept_entries(accept)
    # Highest q first; among equals, the most specific media range, then the client's order.
    for q, _spec, _index, pattern in sorted(entries, key=lambda e: (-e[0], -e[1], e[2])):
        if q <= 0:
            break
        for f in candidates:
            if any(_matches(pattern, m) for m in (f.media_type, *f.aliases)):
                # A media type the client explicitly refused (q=0) is not chosen through a wildcard.
                refused = {e[3] for e in entries if e[0] <= 0}
                if f.media_type not in refused:
                    return f
    offered = ", ".join(f.media_type for f in candidates)
    raise ProtocolError(
        406, f"cannot answer {_KIND_NAMES[kind]} in {accept}; this endpoint offers: {offered}", {"Vary": "Accept"}
    )


@dataclass
class SparqlRequest:
    """A SPARQL protocol request, read and checked."""

    operation: Literal["query", "update"]
    text: str
    default_graphs: list[str] = field(default_factory=list)
    """``default-graph-uri`` (query) or ``using-graph-uri`` (update)."""
    named_graphs: list[str] = field(default_factory=list)
    """``named-graph-uri`` (query) or ``using-named-graph-uri`` (update)."""
    format: str | None = None
    """A ``format=`` parameter, overriding the Accept header."""
    as_of: str | None = None
    """A wickgraph ``as-of=YYYY-MM-DD`` parameter: see only the claims published by that date."""


_MEDIA = re.compile(r"^\s*([^;\s]+)\s*(.*)$")


def _media_type(value: str) -> tuple[str, dict[str, str]]:
    match = _MEDIA.match(value or "")
    if not match:
        return "", {}
    params = {}
    for part in match.group(2).split(";"):
        name, _, val = part.partition("=")
        if name.strip():
            params[name.strip().lower()] = val.strip().strip('"').lower()
    return match.group(1).lower(), params


def _form(data: str, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(data, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(400, f"the {where} is not valid UTF-8 form data: {exc}") from None


def read_body(environ: Mapping[str, Any], max_bytes: int) -> bytes:
    """The request body, refusing one larger than ``max_bytes`` with 413."""
    length_text = environ.get("CONTENT_LENGTH") or ""
    stream: IO[bytes] = environ["wsgi.input"]
    if length_text.strip():
        try:
            length = int(length_text)
        except ValueError:
            raise ProtocolError(400, f"bad Content-Length {length_text!r}") from None
        if length > max_bytes:
            raise ProtocolError(
                413, f"the request body has {length:,} bytes; this server accepts at most {max_bytes:,}"
            )
        return stream.read(length) if length else b""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ProtocolError(413, f"the request body is larger than {max_bytes:,} bytes, the most this server accepts")
    return data


def parse_request(environ: Mapping[str, Any], *, max_bytes: int) -> SparqlRequest | None:
    """Read a SPARQL protocol request from a WSGI environ; ``None`` for a plain GET (no query: describe the service).

    Raises :class:`ProtocolError` for what the protocol does not allow: 405 (method), 415 (body type or
    charset), 413/414 (size), 400 (missing, repeated or conflicting parameters, bad encoding).
    """
    method = environ.get("REQUEST_METHOD", "GET").upper()
    query_string = environ.get("QUERY_STRING", "")
    if len(query_string) > max_bytes:
        raise ProtocolError(
            414, f"the URL's query string has {len(query_string):,} bytes; at most {max_bytes:,} (POST a long query)"
        )
    url_params = _form(query_string, "URL query string")
    if method == "GET":
        params = url_params
        names = {name for name, _ in params}
        if "update" in names:
            raise ProtocolError(400, "an update must be sent with POST, not GET", {"Allow": "POST"})
        if "query" not in names:
            return None
        return _build("query", params, None)
    if method != "POST":
        raise ProtocolError(405, f"{method} is not a SPARQL protocol method; use GET or POST", {"Allow": "GET, POST"})
    media, media_params = _media_type(environ.get("CONTENT_TYPE", ""))
    body = read_body(environ, max_bytes)
    if media == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the form body is not UTF-8") from None
        params = url_params + _form(text, "form body")
        names = {name for name, _ in params}
        if "query" in names and "update" in names:
            raise ProtocolError(400, "a request carries either query= or update=, not both")
        if "query" in names:
            return _build("query", params, None)
        if "update" in names:
            return _build("update", params, None)
        raise ProtocolError(400, "the form has neither query= nor update=")
    if media in ("application/sparql-query", "application/sparql-update"):
        charset = media_params.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"the body must be UTF-8 (charset={charset} given)")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the body is not valid UTF-8") from None
        operation: Literal["query", "update"] = "query" if media == "application/sparql-query" else "update"
        if any(name in ("query", "update") for name, _ in url_params):
            raise ProtocolError(400, f"a {media} body carries the {operation}; do not also give query= or update=")
        return _build(operation, url_params, text)
    shown = f"Content-Type {media!r}" if media else "no Content-Type"
    raise ProtocolError(
        415,
        f"a POST with {shown}: send application/x-www-form-urlencoded (query= or update=), "
        "application/sparql-query or application/sparql-update",
    )


def _build(operation: Literal["query", "update"], params: list[tuple[str, str]], body: str | None) -> SparqlRequest:
    values: dict[str, list[str]] = {}
    for name, val in params:
        values.setdefault(name, []).append(val)
    if body is None:
        texts = values.get(operation, [])
        if len(texts) != 1:
            raise ProtocolError(400, f"give exactly one {operation}= parameter ({len(texts)} given)")
        body = texts[0]
    if not body.strip():
        raise ProtocolError(400, f"the {operation} is empty")
    if operation == "query":
        default, named = values.get("default-graph-uri", []), values.get("named-graph-uri", [])
        for wrong in ("using-graph-uri", "using-named-graph-uri"):
            if wrong in values:
                raise ProtocolError(
                    400, f"{wrong} goes with an update; a query takes default-graph-uri / named-graph-uri"
                )
    else:
        default, named = values.get("using-graph-uri", []), values.get("using-named-graph-uri", [])
        for wrong in ("default-graph-uri", "named-graph-uri"):
            if wrong in values:
                raise ProtocolError(
                    400, f"{wrong} goes with a query; an update takes using-graph-uri / using-named-graph-uri"
                )
    formats = values.get("format") or values.get("output") or [""]
    as_of = values.get("as-of") or values.get("as_of") or [""]
    return SparqlRequest(operation, body, default, named, formats[-1] or None, as_of[-1] or None)


_POSITION = re.compile(r"\b(at |line )(\d+):(\d+)")


def shift_positions(message: str, lines: int) -> str:
    """Shift ``at LINE:COLUMN`` positions in an engine message up by ``lines`` (the prologue the server added).

    >>> shift_positions("error at 17:5: expected ...", 15)
    'error at 2:5: expected ...'
    """
    return _POSITION.sub(lambda m: f"{m.group(1)}{max(1, int(m.group(2)) - lines)}:{m.group(3)}", message)


def format_by_key(key: str) -> Format:
    """The :class:`Format` with short name ``key``."""
    return _BY_KEY[key]


def render_result(
    content_type: str, body: bytes, *, accept: str | None, override: str | None, max_rows: int
) -> tuple[Format, bytes]:
    """Turn the engine's answer (SPARQL results JSON, or N-Triples) into the negotiated format.

    The rows (or triples) are counted first: past ``max_rows`` the answer is refused with
    :class:`~wickgraph.errors.ResultTooLargeError` rather than cut short without a word.
    """
    from pyoxigraph import QueryBoolean, QueryResultsFormat, RdfFormat, parse, parse_query_results, serialize

    from ..errors import ResultTooLargeError
    from ..namespaces import PREFIXES

    if content_type.startswith("application/n-triples"):
        fmt = negotiate(accept, "graph", override)
        triples = [quad.triple for quad in parse(body, RdfFormat.N_TRIPLES)]
        if len(triples) > max_rows:
            raise ResultTooLargeError(
                f"the result has {len(triples):,} triples; this server returns at most {max_rows:,} "
                "(add LIMIT or narrow the query)"
            )
        if fmt.key == "ntriples":
            return fmt, body
        rdf_format = {"turtle": RdfFormat.TURTLE, "rdfxml": RdfFormat.RDF_XML, "jsonld": RdfFormat.JSON_LD}[fmt.key]
        data = serialize(triples, format=rdf_format, prefixes=PREFIXES if fmt.key == "turtle" else None)
        return fmt, data or b""
    fmt = negotiate(accept, "results", override)
    results_format = {
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
    }[fmt.key]
    parsed = parse_query_results(body, QueryResultsFormat.JSON)
    if not isinstance(parsed, QueryBoolean):
        for rows, _ in enumerate(parsed, 1):
            if rows > max_rows:
                raise ResultTooLargeError(
                    f"the result has more than {max_rows:,} rows, the most this server returns "
                    "(add LIMIT or narrow the query)"
                )
        if fmt.key == "json":
            return fmt, body
        parsed = parse_query_results(body, QueryResultsFormat.JSON)
    return fmt, parsed.serialize(format=results_format) or b""
