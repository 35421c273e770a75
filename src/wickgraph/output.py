"""Writing query results for people and programs: aligned table, CSV, TSV, SPARQL results JSON, RDF.

Writers stream: SELECT rows are written as they are read (the table reads them all first, to align).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .namespaces import XSD
from .results import GraphResult, QueryResult, Row, SelectResult
from .terms import Term, display

__all__ = ["FORMATS", "write_result"]

FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld", "rdfxml")


def write_result(result: QueryResult, out: IO[str], fmt: str) -> None:
    """Write a query result in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if isinstance(result, bool):
        if fmt == "json":
            out.write(json.dumps({"head": {}, "boolean": result}) + "\n")
        else:
            out.write(("true" if result else "false") + "\n")
    elif isinstance(result, GraphResult):
        rdf = {"table": "turtle", "csv": "turtle", "tsv": "turtle", "json": "jsonld"}.get(fmt, fmt)
        out.write(result.serialize({"ntriples": "nt"}.get(rdf, rdf)))
    else:
        {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}.get(fmt, _table)(result, out)


def _rows(result: SelectResult) -> Iterator[Row]:
    return result.stream() if result._rows is None else iter(result.rows)


def _table(result: SelectResult, out: IO[str]) -> None:
    rows = [[display(row.get(v)) for v in result.variables] for row in _rows(result)]
    widths = [max([len(v), *(len(r[i]) for r in rows)]) for i, v in enumerate(result.variables)]
    widths = [min(w, 60) for w in widths]

    def fit(text: str, width: int) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    out.write("  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write("  ".join(fit(c, w).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


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


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        value: dict[str, str] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": str(term)}


def _json(result: SelectResult, out: IO[str]) -> None:
    out.write('{"head": {"vars": ' + json.dumps(list(result.variables)) + '},\n "results": {"bindings": [')
    first = True
    for row in _rows(result):
        binding = {v: _json_term(t) for v, t in row.items() if t is not None}
        out.write(("\n  " if first else ",\n  ") + json.dumps(binding, ensure_ascii=False))
        first = False
    out.write("\n]}}\n")
