"""Writing query results for people and programs: aligned table, CSV, TSV, SPARQL results JSON, RDF.

Every format streams: rows and triples are written as they are read, so memory stays flat however many
there are. The table aligns its columns to the first :data:`TABLE_WIDTH_ROWS` rows; a wider value later on is
written whole, past its column (any value over 60 characters is cut with "…", as before).
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from typing import IO

from pyoxigraph import BlankNode, Literal, Triple

from .errors import UsageError
from .namespaces import XSD
from .results import GraphResult, QueryResult, Row, SelectResult
from .sparql_json import term_json
from .terminal import safe_text
from .terms import Term, display

__all__ = ["FORMATS", "TABLE_WIDTH_ROWS", "write_result"]

FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld", "rdfxml")
TABLE_WIDTH_ROWS = 1000
"""How many rows the table reads before it fixes its column widths."""


def write_result(result: QueryResult, out: IO[str], fmt: str) -> None:
    """Write a query result in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if isinstance(result, bool):
        if fmt == "json":
            out.write(json.dumps({"head": {}, "boolean": result}) + "\n")
        else:
            out.write(("true" if result else "false") + "\n")
    elif isinstance(result, GraphResult):
        rdf = {"table": "turtle", "csv": "turtle", "tsv": "turtle", "json": "jsonld"}.get(fmt, fmt)
        result.write(out, {"ntriples": "nt"}.get(rdf, rdf))
    else:
        {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}.get(fmt, _table)(result, out)


def _rows(result: SelectResult) -> Iterator[Row]:
    return result.stream() if result._rows is None else iter(result.rows)


def _table(result: SelectResult, out: IO[str]) -> None:
    rows = _rows(result)

    def row_cells(row: Row) -> list[str]:
        # A table is for people at a terminal: a value's control characters are shown as escapes, not obeyed.
        return [safe_text(display(row.get(v)).replace("\n", " "), one_line=True) for v in result.variables]

    head = [row_cells(row) for row in itertools.islice(rows, TABLE_WIDTH_ROWS)]
    widths = [max([len(v), *(len(r[i]) for r in head)]) for i, v in enumerate(result.variables)]
    widths = [min(w, 60) for w in widths]

    def fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    def line(cells: list[str]) -> str:
        # A later value wider than its column (at most 60 characters) is written whole, past the column.
        return (
            "  ".join(fit(c, max(w, min(len(c), 60))).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
            + "\n"
        )

    out.write("  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    count = 0
    for cells in head:
        out.write(line(cells))
        count += 1
    for row in rows:
        out.write(line(row_cells(row)))
        count += 1
    out.write(f"({count} row{'s' if count != 1 else ''})\n")


def _csv(result: SelectResult, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in _rows(result):
        writer.writerow(["" if row.get(v) is None else _csv_value(row.get(v)) for v in result.variables])


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return str(term) if isinstance(term, Triple) else term.value


def _tsv(result: SelectResult, out: IO[str]) -> None:
    out.write("\t".join("?" + v for v in result.variables) + "\n")
    for row in _rows(result):
        out.write("\t".join(_tsv_value(row.get(v)) for v in result.variables) + "\n")


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype.value in (
        XSD + "integer",
        XSD + "decimal",
        XSD + "double",
        XSD + "boolean",
    ):
        return term.value
    return str(term)


def _json(result: SelectResult, out: IO[str]) -> None:
    out.write('{"head": {"vars": ' + json.dumps(list(result.variables)) + '},\n "results": {"bindings": [')
    first = True
    for row in _rows(result):
        binding = {v: term_json(t) for v, t in row.items() if t is not None}
        out.write(("\n  " if first else ",\n  ") + json.dumps(binding, ensure_ascii=False))
        first = False
    out.write("\n]}}\n")
