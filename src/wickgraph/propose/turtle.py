"""Writing terms and triples in the style of the hand-made data files (prefixed names, grouped subjects)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..namespaces import WG, WGD
from .model import IRI, Lit, Term, Triple

__all__ = ["PREFIXES", "SCHEMA", "XSD", "group", "lit", "term"]

XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "http://schema.org/"
WGS = "https://w3id.org/wickgraph/source/"
WGP = "https://w3id.org/wickgraph/propose#"
PREFIXES = {
    "wg": WG,
    "wgd": WGD,
    "wgs": WGS,
    "wgg": "https://w3id.org/wickgraph/graph/",
    "wgp": WGP,
    "schema": SCHEMA,
    "xsd": XSD,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def lit(text: str) -> str:
    """A Turtle string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def iri(value: str, prefixes: dict[str, str]) -> str:
    """A prefixed name when one fits (longest namespace first), else ``<…>``."""
    for prefix, ns in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns) :]):
            return f"{prefix}:{value[len(ns) :]}"
    return f"<{value}>"


def term(value: Term, prefixes: dict[str, str]) -> str:
    if isinstance(value, IRI):
        return iri(value.value, prefixes)
    if value.datatype == XSD + "boolean" and value.value in ("true", "false"):
        return value.value
    if value.datatype == XSD + "integer" and re.fullmatch(r"-?\d+", value.value):
        return value.value
    if value.datatype and value.datatype != XSD + "string":
        return f"{lit(value.value)}^^{iri(value.datatype, prefixes)}"
    return lit(value.value)


def group(triples: Iterable[Triple], prefixes: dict[str, str], indent: str = "  ") -> list[str]:
    """Triples as Turtle statements, one per subject, ``a`` first, then properties in the order they came."""
    by_subject: dict[IRI, dict[IRI, list[Term]]] = {}
    for s, p, o in triples:
        values = by_subject.setdefault(s, {}).setdefault(p, [])
        if o not in values:
            values.append(o)
    lines = []
    for subject, props in by_subject.items():
        ordered = sorted(props.items(), key=lambda kv: kv[0].value != _RDF_TYPE)
        parts = []
        for p, objects in ordered:
            verb = "a" if p.value == _RDF_TYPE else iri(p.value, prefixes)
            parts.append(f"{verb} " + ", ".join(term(o, prefixes) for o in objects))
        lines.append(f"{indent}{iri(subject.value, prefixes)} " + f" ;\n{indent}    ".join(parts) + " .")
    return lines


def literal_of(value: str, datatype: str | None) -> Lit:
    return Lit(value, None if datatype in (None, XSD + "string") else datatype)
