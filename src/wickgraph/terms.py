"""RDF terms as wickgraph hands them out (pyoxigraph's immutable term types), and conversions.

pyoxigraph terms are the one term model of the library: SELECT rows hold them, CONSTRUCT results are
pyoxigraph triples. Helpers here turn them into plain Python values, display strings, or rdflib terms.

>>> from pyoxigraph import Literal, NamedNode
>>> to_python(Literal("2025-06-06", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")))
datetime.date(2025, 6, 6)
>>> display(NamedNode("https://w3id.org/wickgraph/id/ballerina"))
'wgd:ballerina'
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .namespaces import XSD, compact

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = ["Term", "display", "from_rdflib", "optional_value", "to_python", "to_rdflib", "value"]

Term = NamedNode | BlankNode | Literal | Triple
"""Any RDF term a query can return."""

INTEGER_TYPES = frozenset(
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
"""The XSD datatypes whose values are whole numbers."""


def to_python(term: Term | None, *, scalar: bool = False) -> Any:
    """Plain Python value of a term: ``str`` for IRIs, ``int``/``Decimal``/``float``/``bool``/``date`` or
    ``str`` for literals, ``None`` for an unbound variable. ``scalar=True`` gives only ``str``, ``int``, ``float``
    and ``bool`` (what a NetworkX or JSON attribute holds): decimals as ``float``, dates as their ISO text.

    >>> to_python(Literal("1.5", datatype=NamedNode(XSD + "decimal"))), to_python(Literal("1.5", datatype=NamedNode(XSD + "decimal")), scalar=True)
    (Decimal('1.5'), 1.5)
    """
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Triple):
        return (to_python(term.subject), to_python(term.predicate), to_python(term.object))
    datatype = term.datatype.value
    value = term.value
    try:
        if datatype in INTEGER_TYPES:
            return int(value)
        if datatype == _DECIMAL:
            return float(value) if scalar else Decimal(value)
        if datatype in _FLOATS:
            return float(value)
        if datatype == _BOOLEAN:
            return value in ("true", "1")
        if datatype == _DATE and not scalar:
            return _dt.date.fromisoformat(value)
    except ValueError:
        return value
    return value


_DECIMAL = XSD + "decimal"
_FLOATS = frozenset((XSD + "double", XSD + "float"))
_BOOLEAN = XSD + "boolean"
_DATE = XSD + "date"


def display(term: Term | None, labels: dict[str, str] | None = None) -> str:
    """A short human form: the label when known, else a compact IRI; a literal's lexical value."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        if labels and term.value in labels:
            return labels[term.value]
        return compact(term.value)
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Triple):
        return f"<< {display(term.subject)} {display(term.predicate)} {display(term.object)} >>"
    return term.value


def to_rdflib(term: Term) -> rdflib.term.Node:
    """The rdflib form of a pyoxigraph term (rdflib is imported on first use)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return RLiteral(term.value, lang=term.language)
        if term.datatype.value == XSD + "string":
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"rdflib has no form for {term!r}")


def from_rdflib(node: rdflib.term.Node) -> Term:
    """The pyoxigraph form of an rdflib term."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if isinstance(node, URIRef):
        return NamedNode(str(node))
    if isinstance(node, BNode):
        return BlankNode(str(node))
    if isinstance(node, RLiteral):
        if node.language:
            return Literal(str(node), language=node.language)
        if node.datatype is not None:
            return Literal(str(node), datatype=NamedNode(str(node.datatype)))
        return Literal(str(node))
    raise TypeError(f"no pyoxigraph form for {node!r}")


class _Solution(Protocol):
    def __getitem__(self, key: str, /) -> Any: ...


def value(row: _Solution, variable: str) -> str:
    """The lexical value (IRI string or literal text) of a bound variable of a result row."""
    term = row[variable]
    if term is None:
        raise KeyError(f"?{variable} is unbound in this row")
    return str(term.value)


def optional_value(row: _Solution, variable: str) -> str | None:
    """Like :func:`value`, but ``None`` for an unbound variable."""
    term = row[variable]
    return None if term is None else str(term.value)
