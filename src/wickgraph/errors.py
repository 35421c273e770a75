"""The one exception tree of wickgraph.

Every error the library raises on purpose is a :class:`WickgraphError`; the CLI prints its message on one line
and exits with status 1, never with a traceback. Where a built-in exception type fits, the class subclasses it
too, so ``except SyntaxError`` keeps working::

    WickgraphError
    ├── DataError                 bad input data
    │   ├── ParseError            a data or ontology file does not parse (file, line, column)
    │   ├── ValidationError       SHACL or provenance violations (entity, property, what, file)
    │   └── CitationError         a claim's span does not say what the claim says
    ├── SourceTextError           a held source text is missing or is not the text the data cites
    ├── StoreError                the store cannot be opened, built or written
    │   ├── StoreNotFoundError    no graph has been built at that path
    │   ├── EngineError           the query engine (an ``oxigraph`` server process) failed or is busy
    │   └── EndpointError         a SPARQL server cannot be used (names the endpoint and what happened)
    │       ├── EndpointUnreachableError   nothing answers: refused, unknown host, timed out
    │       ├── EndpointAuthError          the server refuses the credentials (HTTP 401 / 403)
    │       ├── EndpointResponseError      the answer is not SPARQL results (an HTML page, an error page)
    │       ├── EndpointQueryError         the server rejects the query (also a QueryError)
    │       ├── EndpointRowCapError        the server cut the answer at its row cap (also a ResultTooLargeError)
    │       └── PushError                  a push stopped part-way (says what was written)
    ├── QueryError                a query cannot run
    │   ├── QuerySyntaxError      SPARQL syntax error (line, column, and the query line)
    │   ├── QueryFormError        e.g. ask() given a SELECT query
    │   ├── QueryRefusedError     refused by policy: an update on a read-only server, SERVICE, LOAD
    │   │   └── UpdateTokenError  an update without the server's update token, or with a wrong one
    │   ├── QueryTimeoutError     ran past its time limit and was stopped
    │   └── ResultTooLargeError   more rows (or bytes) than the server returns
    ├── NamedQueryError           unknown named query, or a missing / unknown parameter
    │   └── MissingParameterError a named query's parameter without a value (names the query and the parameter)
    ├── EntityNotFoundError       no entity matches a name (or several do: the message lists them)
    ├── MissingExtraError         an optional package is not installed (the message names the extra)
    ├── ProjectionError           unknown projection name (the message lists the known ones)
    ├── StoryOrderCycleError      the story-order facts contain a cycle (the message names it and its claims)
    ├── ExportError               a graph cannot be written in the chosen format, or a file cannot be read back
    ├── VizError                  the view cannot be drawn as asked
    │   └── GraphTooLargeError    more nodes than a readable view holds (``nodes``, ``limit``; says how to focus)
    ├── ChromiumError             chromium (the browser that checks and screenshots the views) cannot start or be driven
    ├── ProtocolError             the SPARQL server will not answer a request as sent (an HTTP status and why)
    ├── GraphViewUnavailableError the server's graph view is not part of this build
    ├── NotebookError             a notebook cell raised an error while the notebook ran
    ├── UsageError                an argument a function cannot use: an unknown format, a batch size below 1 (a ValueError)
    │   └── ConflictingTargetsError   a store and an endpoint given at the same level (arguments, environment)
    ├── UnknownVariableError      a result has no variable of that name (a KeyError)
    └── ResultConsumedError       a streamed result's rows or triples read a second time (a RuntimeError)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

__all__ = [
    "ChromiumError",
    "CitationError",
    "ConflictingTargetsError",
    "DataError",
    "EndpointAuthError",
    "EndpointError",
    "EndpointQueryError",
    "EndpointResponseError",
    "EndpointRowCapError",
    "EndpointUnreachableError",
    "EngineError",
    "EntityNotFoundError",
    "ExportError",
    "GraphTooLargeError",
    "GraphViewUnavailableError",
    "MissingExtraError",
    "MissingParameterError",
    "NamedQueryError",
    "NotebookError",
    "ParseError",
    "ProjectionError",
    "ProtocolError",
    "PushError",
    "QueryError",
    "QueryFormError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ResultConsumedError",
    "ResultTooLargeError",
    "SourceTextError",
    "StoreError",
    "StoreNotFoundError",
    "StoryOrderCycleError",
    "UnknownVariableError",
    "UpdateTokenError",
    "UsageError",
    "ValidationError",
    "VizError",
    "WickgraphError",
]


class WickgraphError(Exception):
    """Base of every error wickgraph raises on purpose."""


class DataError(WickgraphError):
    """The ontology or data files are not acceptable."""


class ParseError(DataError, SyntaxError):
    """A data or ontology file does not parse."""

    def __init__(self, message: str, *, path: str, line: int | None = None, column: int | None = None) -> None:
        where = path if line is None else f"{path}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.column = column


class ValidationError(DataError):
    """The data break the shapes or the provenance rules; ``problems`` lists each one in words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = f"{len(problems)} validation problem{'s' if len(problems) != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in problems))


class CitationError(DataError):
    """A claim's span is missing from the source text or does not support the claim."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} citation problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


class SourceTextError(WickgraphError):
    """A held source text is missing, or its SHA-256 is not the one the data cites."""


class StoreError(WickgraphError):
    """The store cannot be opened, built or written."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """No graph has been built at the given path."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no wickgraph store at {path}: build it first with `wickgraph build --store {path}`")
        self.path = path


class EngineError(StoreError):
    """The query engine behind the server (an ``oxigraph`` server process) failed, could not start, or is busy."""


class QueryError(WickgraphError):
    """A query cannot run."""


class EndpointError(StoreError):
    """A SPARQL server cannot be used; the message is one line that names the endpoint and what happened."""

    def __init__(self, endpoint: str, what: str) -> None:
        super().__init__(f"{endpoint}: {what}")
        self.endpoint = endpoint
        self.what = what


class EndpointUnreachableError(EndpointError, ConnectionError):
    """Nothing answers at the endpoint: connection refused, unknown host, or no answer within the timeout."""


class EndpointAuthError(EndpointError, PermissionError):
    """The server refuses the request's credentials (HTTP 401 or 403)."""


class EndpointResponseError(EndpointError):
    """The server answered, but not with SPARQL results: an HTML page, an error status, another format."""


class EndpointQueryError(EndpointError, QueryError):
    """The server rejected the query (HTTP 400); ``line`` and ``column`` are set when the server said where."""

    def __init__(self, endpoint: str, detail: str, *, line: int | None = None, column: int | None = None) -> None:
        self.detail = detail
        self.line = line
        self.column = column
        where = f" at line {line}" if line is not None else ""
        where += f", column {column}" if line is not None and column is not None else ""
        super().__init__(endpoint, f"the server rejected the query{where}: {detail}")

    def shifted(self, lines: int) -> EndpointQueryError:
        """The same error with its line number moved up by ``lines`` (prefix lines added before sending)."""
        if self.line is None or self.line <= lines:
            return self
        return EndpointQueryError(self.endpoint, self.detail, line=self.line - lines, column=self.column)


class PushError(EndpointError):
    """A push stopped part-way; the message says how far it got and in which state it left the server."""

    def __init__(self, endpoint: str, what: str, *, graphs_written: int, triples_written: int) -> None:
        super().__init__(endpoint, what)
        self.graphs_written = graphs_written
        self.triples_written = triples_written


class QuerySyntaxError(QueryError, SyntaxError):
    """A SPARQL query does not parse; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, *, query: str, line: int | None = None, column: int | None = None) -> None:
        self.detail = message
        """The parser's own message, without the position and the query line."""
        self.query = query
        self.line = line
        self.column = column
        text = (
            f"SPARQL syntax error at line {line}, column {column}: {message}"
            if line
            else f"SPARQL syntax error: {message}"
        )
        if line is not None and column is not None:
            lines = query.splitlines()
            if 0 < line <= len(lines):
                text += f"\n  {lines[line - 1]}\n  {' ' * (column - 1)}^"
        super().__init__(text)


class QueryFormError(QueryError, TypeError):
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) is not the one the method expects."""


class QueryRefusedError(QueryError, PermissionError):
    """The server refuses the request by policy (an update on a read-only server, SERVICE, LOAD)."""


class UpdateTokenError(QueryRefusedError):
    """An update came without the server's update token, or with a wrong one."""


class QueryTimeoutError(QueryError, TimeoutError):
    """The query ran past its time limit and was stopped."""

    def __init__(self, seconds: float, *, longer: str = "ask the server's operator for a longer --timeout") -> None:
        super().__init__(
            f"the query ran past the time limit of {seconds:g} s and was stopped; "
            f"narrow it (add LIMIT, more specific patterns) or {longer}"
        )
        self.seconds = seconds


class ResultTooLargeError(QueryError):
    """The result has more rows (or bytes) than the server is configured to return."""


class EndpointRowCapError(EndpointError, ResultTooLargeError):
    """The server returned only its row cap's worth of rows (Virtuoso's ``ResultSetMaxRows``) of a larger answer."""

    def __init__(self, endpoint: str, rows: int, what: str) -> None:
        super().__init__(endpoint, what)
        self.rows = rows


class NamedQueryError(WickgraphError, KeyError):
    """An unknown named query, or a missing or unknown parameter."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingParameterError(NamedQueryError):
    """A named query's parameter has no value and no default; ``query``, ``parameter`` and ``description`` say
    which (a face words its own option from them, e.g. ``--param NAME=...``)."""

    def __init__(self, query: str, parameter: str, description: str) -> None:
        super().__init__(f"query {query!r} needs the parameter {parameter} ({description})")
        self.query = query
        self.parameter = parameter
        self.description = description


class EntityNotFoundError(WickgraphError, LookupError):
    """No entity matches the name, or several do and the caller must choose."""

    def __init__(self, message: str, candidates: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class MissingExtraError(WickgraphError, ImportError):
    """An optional package is not installed; the message names the extra that brings it
    (``pip install 'wickgraph[notebooks]'``)."""


class ProjectionError(WickgraphError, KeyError):
    """An unknown projection name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class StoryOrderCycleError(WickgraphError):
    """The story-order facts (set before / set after / prequel / chapter numbers) contain a cycle.

    ``cycle`` lists the works around the cycle (node ids), ``claims`` the claims behind its edges.
    """

    def __init__(self, message: str, *, cycle: list[str], claims: list[str]) -> None:
        super().__init__(message)
        self.cycle = cycle
        self.claims = claims


class ExportError(WickgraphError):
    """A graph cannot be written in the chosen format (a value the format cannot carry), or read back."""


class VizError(WickgraphError):
    """The HTML view cannot be drawn as asked, e.g. more nodes than a readable picture holds."""


class GraphTooLargeError(VizError):
    """The graph has more nodes than a readable view holds: ``nodes`` of them, past the ``limit``.

    The message names the parameters of :func:`wickgraph.viz.view` that draw less; a face words it with its own
    options (the CLI: ``--focus``, ``--max-nodes``).

    >>> error = GraphTooLargeError(1450, 1000)
    >>> error.nodes, error.limit, str(error).split(":")[0]
    (1450, 1000, 'the graph has 1450 nodes, more than the 1000 a readable view holds')
    """

    def __init__(self, nodes: int, limit: int) -> None:
        super().__init__(nodes, limit)
        self.nodes = nodes
        self.limit = limit

    def __str__(self) -> str:
        return (
            f"the graph has {self.nodes} nodes, more than the {self.limit} a readable view holds: draw a part of it "
            "(focus=NAME with depth=1, projection=NAME, or query= a CONSTRUCT query), draw it by class "
            "(aggregated=True), or raise max_nodes="
        )


class ChromiumError(WickgraphError):
    """Chromium could not be started or driven."""


class ProtocolError(WickgraphError):
    """A request the server will not answer as sent: an HTTP status, a message, and extra headers."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


class GraphViewUnavailableError(WickgraphError):
    """The ``wickgraph viz`` renderer is not part of this build."""


class NotebookError(WickgraphError):
    """A notebook cell raised an error while the notebook ran."""


class UsageError(WickgraphError, ValueError):
    """A function was given an argument it cannot use: an unknown format or measure, a batch size below 1, an
    option that needs another; the message says which values it takes."""


class ConflictingTargetsError(UsageError):
    """A store and an endpoint are both given at the same level of :func:`wickgraph.config.resolve_target`;
    ``where`` says which: ``"argument"`` or ``"environment"`` (a face words its own flags from it)."""

    def __init__(self, message: str, *, where: str) -> None:
        super().__init__(message)
        self.where = where


class UnknownVariableError(WickgraphError, KeyError):
    """A query result has no variable of that name; the message lists the ones it has."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ResultConsumedError(WickgraphError, RuntimeError):
    """A streamed result's rows (or triples) were asked for again after they had been read once."""
