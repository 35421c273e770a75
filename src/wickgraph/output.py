"""Writing query results for people and programs: aligned table, plain TSV, CSV, SPARQL TSV and JSON, RDF.

Every format streams: rows and triples are written as they are read, so memory stays flat however many
there are. The table aligns its columns to the first :data:`TABLE_WIDTH_ROWS` rows; a wider value later on is
cut to its column (written whole past it, up to 60 characters, when there is no width to fit). Given a ``width`` (a terminal's ``COLUMNS``), the table fits it: the widest columns give
way first and a cut value ends with "…"; without one (``--wide``, or no terminal), a value is cut at 60
characters only.

The table is for reading, so rows that say the same thing on the word of several sources are grouped: a
result with provenance columns (:data:`PROVENANCE`: the source, the claim, its date, certainty, status) has
one line per value (its other columns), and under it one line per source (``↳`` and the provenance columns,
cut to the width). Every other format keeps every row as the query gave it.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .errors import UsageError
from .namespaces import CLAIM, XSD
from .results import GraphResult, QueryResult, Row, SelectResult
from .sparql_json import term_json
from .terminal import safe_text
from .terms import Term, display

__all__ = ["FORMATS", "PROVENANCE", "TABLE_WIDTH_ROWS", "fit_widths", "shown", "write_result"]

FORMATS = ("table", "tsv", "sparql-tsv", "csv", "json", "turtle", "ntriples", "jsonld", "rdfxml")
TABLE_WIDTH_ROWS = 1000
"""How many rows the table reads before it fixes its column widths (and groups rows)."""
MAX_CELL = 60
"""The widest a column gets in a table, with or without a width to fit."""
PROVENANCE = frozenset(
    {
        "claim",
        "source",
        "sourceTitle",
        "claimDate",
        "certainty",
        "current",
        "status",
        "spanIn",
        "spanStart",
        "spanEnd",
        "spanLine",
        "attributedTo",
    }
)
"""Columns that say who said a value, not what: rows alike but for these are one value in a table."""
_GAP = "  "
_SOURCE_INDENT = "    ↳ "


def write_result(result: QueryResult, out: IO[str], fmt: str, *, width: int | None = None) -> None:
    """Write a query result in ``fmt`` (one of :data:`FORMATS`); a table fits ``width`` characters if given."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if isinstance(result, bool):
        if fmt == "json":
            out.write(json.dumps({"head": {}, "boolean": result}) + "\n")
        else:
            out.write(("true" if result else "false") + "\n")
    elif isinstance(result, GraphResult):
        rdf = {"table": "turtle", "csv": "turtle", "tsv": "turtle", "sparql-tsv": "turtle", "json": "jsonld"}
        chosen = rdf.get(fmt, fmt)
        result.write(out, {"ntriples": "nt"}.get(chosen, chosen))
    elif fmt == "table":
        _table(result, out, width)
    else:
        {"tsv": _tsv, "sparql-tsv": _sparql_tsv, "csv": _csv, "json": _json}[fmt](result, out)


def _rows(result: SelectResult) -> Iterator[Row]:
    return result.stream() if result._rows is None else iter(result.rows)


def shown(term: Term | None) -> str:
    """A value as the table and plain TSV show it: a literal's text, an IRI compacted (a claim as
    ``wgc:SOURCE/ID``), nothing for an unbound variable."""
    if isinstance(term, NamedNode) and term.value.startswith(CLAIM) and len(term.value) > len(CLAIM):
        return "wgc:" + term.value[len(CLAIM) :]
    return display(term)


def fit_widths(natural: Sequence[int], width: int | None, *, gap: int = len(_GAP)) -> list[int]:
    """Column widths: ``natural`` capped at :data:`MAX_CELL` and, given ``width``, narrowed until a line
    (columns and the ``gap`` between them) fits in it, the widest columns giving way first.

    >>> fit_widths([10, 50, 30], 60)
    [10, 23, 23]
    >>> fit_widths([10, 50, 30], None)
    [10, 50, 30]
    """
    widths = [min(w, MAX_CELL) for w in natural]
    if width is None or not widths:
        return widths
    room = max(width - gap * (len(widths) - 1), len(widths))
    if sum(widths) <= room:
        return widths
    # The largest cap such that every column at min(natural, cap) fits; what is left goes to the widest.
    cap = 1
    for candidate in range(max(widths), 0, -1):
        if sum(min(w, candidate) for w in widths) <= room:
            cap = candidate
            break
    fitted = [min(w, cap) for w in widths]
    spare = room - sum(fitted)
    for i in sorted(range(len(widths)), key=lambda i: -widths[i]):
        if spare <= 0:
            break
        if widths[i] > fitted[i]:
            fitted[i] += 1
            spare -= 1
    return fitted


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _cut_left(text: str, width: int) -> str:
    """``text`` cut at its start: a claim's name ends in what tells it from its neighbours."""
    return text if len(text) <= width else "…" + text[len(text) - max(width - 1, 0) :]


def _table(result: SelectResult, out: IO[str], width: int | None) -> None:
    rows = _rows(result)
    variables = list(result.variables)
    values = [i for i, v in enumerate(variables) if v not in PROVENANCE]
    provenance = [i for i, v in enumerate(variables) if v in PROVENANCE]
    grouped = bool(values and provenance)  # else every column is a value: one line per row
    columns = values if grouped else list(range(len(variables)))

    def row_cells(row: Row) -> list[str]:
        # A table is for people at a terminal: a value's control characters are shown as escapes, not obeyed.
        return [safe_text(shown(row.get(v)).replace("\n", " "), one_line=True) for v in variables]

    head = [row_cells(row) for row in itertools.islice(rows, TABLE_WIDTH_ROWS)]
    widths = fit_widths([max([len(variables[i]), *(len(r[i]) for r in head)]) for i in columns], width)

    def line(cells: list[str]) -> str:
        picked = [cells[i] for i in columns]
        if width is None:  # no width to fit: a later, wider value is written whole past its column (to 60)
            fitted = [_cut(c, max(w, min(len(c), MAX_CELL))).ljust(w) for c, w in zip(picked, widths, strict=True)]
        else:
            fitted = [_cut(c, w).ljust(w) for c, w in zip(picked, widths, strict=True)]
        return _GAP.join(fitted).rstrip() + "\n"

    def source_line(cells: list[str]) -> str:
        picked = [cells[i] or "-" for i in provenance]
        if width is not None:  # the widest cells give way first, as the columns do
            room = width - len(_SOURCE_INDENT)
            fitted = fit_widths([len(c) for c in picked], room, gap=3)
            picked = [
                _cut_left(c, w) if variables[i] == "claim" else _cut(c, w)
                for c, w, i in zip(picked, fitted, provenance, strict=True)
            ]
        return _SOURCE_INDENT + " · ".join(picked) + "\n"

    out.write(line(variables))
    if grouped:
        out.write(source_line(variables))
    out.write(_GAP.join("-" * w for w in widths) + "\n")
    count = groups = 0
    last: tuple[str, ...] | None = None

    def write(group: list[list[str]]) -> None:
        nonlocal count, groups, last
        key = tuple(group[0][i] for i in values)
        if not grouped or key != last:
            out.write(line(group[0]))
            groups += 1
        last = key
        if grouped:
            for cells in group:
                out.write(source_line(cells))
        count += len(group)

    if grouped:  # rows alike but for their sources, wherever they are in the first rows: one value
        by_value: dict[tuple[str, ...], list[list[str]]] = {}
        for cells in head:
            by_value.setdefault(tuple(cells[i] for i in values), []).append(cells)
        for group in by_value.values():
            write(group)
    else:
        for cells in head:
            write([cells])
    for row in rows:  # past the first rows: a row joins the value just written when it is the same
        write([row_cells(row)])
    summary = f", {groups} values with their sources" if groups != 1 else ", 1 value with its sources"
    summary = summary if grouped else ""
    out.write(f"({count} row{'s' if count != 1 else ''}{summary})\n")


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


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv(result: SelectResult, out: IO[str]) -> None:
    """Plain TSV, for ``cut``, ``sort`` and spreadsheets: bare names in the header, a value as the table
    shows it (a literal's text, an IRI compacted); a tab, newline or backslash in a value as ``\\t``, ``\\n``,
    ``\\\\``, so that one row is one line of as many fields as the header."""
    out.write("\t".join(result.variables) + "\n")
    for row in _rows(result):
        out.write("\t".join(shown(row.get(v)).translate(_TSV_ESCAPES) for v in result.variables) + "\n")


def _sparql_tsv(result: SelectResult, out: IO[str]) -> None:
    """SPARQL 1.1 Query Results TSV: ``?name`` headers, terms in Turtle syntax."""
    out.write("\t".join("?" + v for v in result.variables) + "\n")
    for row in _rows(result):
        out.write("\t".join(_sparql_tsv_value(row.get(v)) for v in result.variables) + "\n")


def _sparql_tsv_value(term: Term | None) -> str:
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
