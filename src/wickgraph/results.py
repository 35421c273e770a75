"""Query results: one type per query form.

- :class:`SelectResult` for SELECT: named variables and rows, each row a mapping of variable name to a term
  or ``None`` (an OPTIONAL variable left unbound).
- ``bool`` for ASK.
- :class:`GraphResult` for CONSTRUCT and DESCRIBE: RDF triples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, cast

from pyoxigraph import Triple

from .errors import ResultConsumedError, UnknownVariableError, UsageError
from .terms import Term, to_python

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import rdflib

    from .graph import KnowledgeGraph

__all__ = ["GraphResult", "QueryResult", "Row", "SelectResult"]

Row = Mapping[str, Term | None]
"""One SELECT solution: variable name to term, ``None`` where unbound."""


class SelectResult:
    """The rows of a SELECT query.

    Rows are read lazily: :meth:`stream` walks them once without keeping them (constant memory), while
    :attr:`rows`, ``len()``, indexing and iteration read them all into a list on first use.

    >>> result = SelectResult(["x"], iter([{"x": None}]))
    >>> result.variables, len(result), result[0]["x"] is None
    (('x',), 1, True)
    """

    def __init__(self, variables: Iterable[str], rows: Iterable[Row]) -> None:
        self.variables: tuple[str, ...] = tuple(variables)
        self._source: Iterator[Row] | None = iter(rows)
        self._rows: list[Row] | None = None
        self.graph: KnowledgeGraph | None = None
        """The graph that answered (set by :class:`~wickgraph.KnowledgeGraph`): where labels are looked up."""

    def stream(self) -> Iterator[Row]:
        """Yield the rows once, without keeping them; fails if they were already read."""
        if self._source is None:
            if self._rows is not None:
                yield from self._rows
                return
            raise ResultConsumedError("the rows of this result were already streamed")
        source, self._source = self._source, None
        yield from source

    @property
    def rows(self) -> list[Row]:
        """All rows, read on first use."""
        if self._rows is None:
            self._rows = list(self.stream())
        return self._rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> Row:
        return self.rows[index]

    def column(self, variable: str) -> list[Term | None]:
        """Every row's value of one variable."""
        if variable not in self.variables:
            raise UnknownVariableError(f"no variable ?{variable} in this result (it has {', '.join(self.variables)})")
        return [row.get(variable) for row in self.rows]

    def to_python(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (see :func:`wickgraph.terms.to_python`)."""
        return [{v: to_python(row.get(v)) for v in self.variables} for row in self.rows]

    def to_dataframe(
        self, labels: bool | Mapping[str, str] | KnowledgeGraph = True, *, compact: bool = False
    ) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, typed, with a ``?xLabel`` column beside each IRI column ``?x``.

        See :func:`wickgraph.notebook.to_dataframe` (needs the ``notebooks`` extra: pandas).
        """
        from .display.frames import frame

        rows = self.rows
        columns = {v: [row.get(v) for row in rows] for v in self.variables}
        return frame(self.variables, columns, self.graph, labels, compact=compact)

    def __repr__(self) -> str:
        count = f"{len(self._rows)} rows" if self._rows is not None else "unread"
        return f"<SelectResult ?{' ?'.join(self.variables)} ({count})>"

    def _repr_html_(self) -> str:
        from .display.html import select_html

        return select_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's text form: an aligned table of the first rows."""
        import io

        from .display.html import MAX_ROWS
        from .output import write_result

        out = io.StringIO()
        write_result(SelectResult(self.variables, self.rows[:MAX_ROWS]), out, "table")
        text = out.getvalue().rstrip("\n")
        if len(self.rows) > MAX_ROWS:
            text += f"\n(first {MAX_ROWS} of {len(self.rows)} rows)"
        printer.text(text)


_RDF_FORMATS = ("turtle", "ttl", "nt", "ntriples", "rdfxml", "xml", "jsonld")


class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query.

    Like :class:`SelectResult`, triples are read lazily: :meth:`stream` and :meth:`write` walk them once without
    keeping them (constant memory), while :attr:`triples`, ``len()`` and iteration read them all on first use.

    >>> from pyoxigraph import NamedNode, Literal
    >>> g = GraphResult([Triple(NamedNode("http://e/a"), NamedNode("http://e/p"), Literal("x"))])
    >>> len(g), g.serialize("nt")
    (1, '<http://e/a> <http://e/p> "x" .\\n')
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._source: Iterator[Triple] | None = iter(triples)
        self._triples: list[Triple] | None = None
        self.graph: KnowledgeGraph | None = None
        """The graph that answered (set by :class:`~wickgraph.KnowledgeGraph`): where labels are looked up."""

    @property
    def triples(self) -> list[Triple]:
        """All triples, each once, read on first use."""
        if self._triples is None:
            self._triples = list(dict.fromkeys(self.stream()))
        return self._triples

    def stream(self) -> Iterator[Triple]:
        """Yield the triples once, without keeping them; fails if they were already streamed.

        A streamed CONSTRUCT answer (:mod:`wickgraph.store.construct`) may yield a triple more than once.
        """
        if self._source is None:
            if self._triples is not None:
                yield from self._triples
                return
            raise ResultConsumedError("the triples of this result were already streamed")
        source, self._source = self._source, None
        yield from source

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def serialize(self, format: str = "turtle") -> str:
        """Serialise as ``turtle`` (with the project's prefixes), ``nt``, ``rdfxml`` or ``jsonld``."""
        import io

        out = io.StringIO()
        self.write(out, format)
        return out.getvalue()

    def write(self, out: IO[str], format: str = "turtle") -> None:
        """Write the triples to a text stream as they are read (see :meth:`serialize` for the formats)."""
        from pyoxigraph import RdfFormat, serialize

        from .namespaces import PREFIXES

        formats = {
            "turtle": RdfFormat.TURTLE,
            "ttl": RdfFormat.TURTLE,
            "nt": RdfFormat.N_TRIPLES,
            "ntriples": RdfFormat.N_TRIPLES,
            "rdfxml": RdfFormat.RDF_XML,
            "xml": RdfFormat.RDF_XML,
            "jsonld": RdfFormat.JSON_LD,
        }
        try:
            rdf_format = formats[format]
        except KeyError:
            raise UsageError(f"unknown RDF format {format!r}: use one of {', '.join(_RDF_FORMATS)}") from None
        prefixes = PREFIXES if rdf_format == RdfFormat.TURTLE else None
        triples = self.stream() if self._triples is None else iter(self._triples)
        try:
            serialize(triples, cast(IO[bytes], _TextSink(out)), rdf_format, prefixes=prefixes)
        except OSError as exc:
            if "RDF 1.2" not in str(exc):
                raise
            from .errors import ExportError

            raise ExportError(
                f"the result holds RDF 1.2 triple terms (the build's reifiers, rdf:reifies), which {format} cannot "
                "carry: choose turtle or ntriples, or leave rdf:reifies out of the query"
            ) from None

    def to_rdflib(self) -> rdflib.Graph:
        """An rdflib Graph of the same triples."""
        import rdflib

        from .terms import to_rdflib

        graph = rdflib.Graph()
        for t in self.triples:
            if isinstance(t.object, Triple):
                from .errors import ExportError

                raise ExportError(
                    "the result holds RDF 1.2 triple terms (the build's reifiers, rdf:reifies), which rdflib cannot "
                    "hold: leave rdf:reifies out of the query"
                )
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph

    def to_dataframe(
        self, labels: bool | Mapping[str, str] | KnowledgeGraph = True, *, compact: bool = False
    ) -> pandas.DataFrame:
        """The triples as a pandas DataFrame (``subject``, ``predicate``, ``object``, with label columns).

        See :func:`wickgraph.notebook.to_dataframe` (needs the ``notebooks`` extra: pandas).
        """
        from .display.frames import frame

        triples = self.triples
        columns: dict[str, list[Term | None]] = {
            "subject": [t.subject for t in triples],
            "predicate": [t.predicate for t in triples],
            "object": [t.object for t in triples],
        }
        return frame(("subject", "predicate", "object"), columns, self.graph, labels, compact=compact)

    def __repr__(self) -> str:
        return f"<GraphResult {len(self.triples)} triples>"

    def _repr_html_(self) -> str:
        from .display.html import graph_result_html

        return graph_result_html(self)


class _TextSink:
    """A binary sink for pyoxigraph's serializer that writes UTF-8 text to a text stream."""

    def __init__(self, out: IO[str]) -> None:
        import codecs

        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self._out.write(self._decoder.decode(data))
        return len(data)

    def flush(self) -> None:
        self._out.write(self._decoder.decode(b"", final=True))
        self._out.flush()


QueryResult = SelectResult | bool | GraphResult
"""What a query of unknown form returns: SELECT rows, ASK boolean or CONSTRUCT/DESCRIBE triples."""
