"""The SPARQL 1.1 Query Results JSON format, both ways: a term as a JSON binding (what ``wickgraph query
--format json`` and the HTTP API write) and a server's JSON answer as wickgraph's results (what the remote store
reads). Terms read are made alike whatever the server: any blank-node label (Virtuoso's ``nodeID://b10092``)
becomes one N-Triples takes, literals of the numeric and boolean types take the embedded store's canonical form.

>>> from pyoxigraph import Literal, NamedNode
>>> term_json(NamedNode("https://w3id.org/wickgraph/id/ballerina"))
{'type': 'uri', 'value': 'https://w3id.org/wickgraph/id/ballerina'}
>>> term_json(Literal("Rooney"))
{'type': 'literal', 'value': 'Rooney'}
>>> read_json_results(b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal",'
...     b' "value": "1.50", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]}}')[0]["n"].value
'1.5'
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple
from pyoxigraph import Store as OxStore

from .namespaces import XSD
from .results import QueryResult, Row, SelectResult
from .terms import Term

__all__ = ["normal_literal", "normal_term", "read_json_results", "term_json"]

XSD_STRING = XSD + "string"
_CANONICAL = {XSD + name: name for name in ("boolean", "integer", "decimal", "double", "float")}


# ---- writing ---------------------------------------------------------------------------------------------
def term_json(term: Term) -> dict[str, str]:
    """A term as a binding of the SPARQL 1.1 results JSON format."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


# ---- reading ---------------------------------------------------------------------------------------------
def read_json_results(body: bytes) -> QueryResult:
    """A JSON answer (SELECT or ASK) as wickgraph's result, read term by term; :class:`ValueError` (or a
    ``KeyError`` / ``TypeError`` of a malformed document) when it is not SPARQL results JSON."""
    import json

    data = json.loads(body)
    if not isinstance(data, dict) or "head" not in data:
        raise ValueError("no 'head' member")
    if "boolean" in data:
        answer = data["boolean"]
        if not isinstance(answer, bool):
            raise ValueError(f"'boolean' is {answer!r}")
        return answer
    variables = [str(v) for v in data["head"].get("vars", [])]
    labels: dict[str, BlankNode] = {}
    rows: list[Row] = [
        {v: _read_term(binding[v], labels) if v in binding else None for v in variables}
        for binding in data["results"]["bindings"]
    ]
    return SelectResult(variables, rows)


def _read_term(term: dict[str, Any], labels: dict[str, BlankNode]) -> Term:
    kind = term["type"]
    if kind == "uri":
        return NamedNode(term["value"])
    if kind == "bnode":
        label = str(term["value"])
        if label not in labels:
            labels[label] = _blank(label)
        return labels[label]
    if kind in ("literal", "typed-literal"):
        language = term.get("xml:lang")
        if language:
            return Literal(term["value"], language=language)
        datatype = term.get("datatype")
        if datatype and datatype != XSD_STRING:
            return normal_literal(str(term["value"]), datatype)
        return Literal(term["value"])
    if kind == "triple":
        inner = term["value"]
        subject, predicate, obj = (_read_term(inner[k], labels) for k in ("subject", "predicate", "object"))
        return Triple(subject, predicate, obj)  # type: ignore[arg-type]
    raise ValueError(f"unknown term type {kind!r}")


_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _blank(label: str) -> BlankNode:
    """A blank node for a server's label: the label itself when it is one N-Triples takes, else one made from it
    (Virtuoso's ``nodeID://b10092`` becomes ``nodeID_b10092``; labels only name a node within one answer)."""
    if _BLANK_LABEL.fullmatch(label) and not label.endswith("."):
        return BlankNode(label)
    return BlankNode(re.sub(r"[^A-Za-z0-9_]+", "_", label).strip("_") or "b")


def normal_term(term: Any) -> Any:
    """A term as the embedded store gives it: literals of the numeric and boolean types in canonical form."""
    if isinstance(term, Literal) and term.datatype.value in _CANONICAL:
        return normal_literal(term.value, term.datatype.value)
    return term


def normal_literal(lexical: str, datatype: str) -> Literal:
    """A typed literal with the lexical form the embedded store would give it: ``"1"^^xsd:boolean`` (Virtuoso)
    is ``"true"``, ``"1.50"^^xsd:decimal`` is ``"1.5"``, ``"1.0"^^xsd:double`` is ``"1"`` (Oxigraph's forms)."""
    if datatype in _CANONICAL:
        return _canonical(lexical, datatype)
    return Literal(lexical, datatype=NamedNode(datatype))


@functools.lru_cache(maxsize=4096)
def _canonical(lexical: str, datatype: str) -> Literal:
    literal = Literal(lexical, datatype=NamedNode(datatype))
    solutions = _caster().query(
        f"SELECT (<{XSD}{_CANONICAL[datatype]}>(?v) AS ?c) WHERE {{ VALUES ?v {{ {literal} }} }}"
    )
    assert isinstance(solutions, QuerySolutions)
    found = next(iter(solutions))["c"]
    return found if isinstance(found, Literal) else literal  # a form that does not parse stays as it was


@functools.cache
def _caster() -> OxStore:
    """An empty in-memory store: its casts give Oxigraph's canonical lexical forms."""
    return OxStore()
