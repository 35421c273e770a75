"""The IRIs wickgraph uses: one explicit prefix map, and the namespaces as string constants.

The prefix map is the only place prefixes are defined; queries, output and the CLI all take it from here.

>>> WG + "plays"
'https://w3id.org/wickgraph/ontology#plays'
>>> compact("https://w3id.org/wickgraph/id/ana-de-armas")
'wgd:ana-de-armas'
"""

from __future__ import annotations

import re

__all__ = [
    "CLAIM",
    "ENTITIES_GRAPH",
    "GRAPH",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SOURCE",
    "STATUS_GRAPH",
    "WG",
    "WGD",
    "XSD",
    "compact",
    "sparql_prologue",
]

BASE = "https://w3id.org/wickgraph/"
WG = BASE + "ontology#"
WGD = BASE + "id/"
SOURCE = BASE + "source/"
CLAIM = BASE + "claim/"
GRAPH = BASE + "graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"

ENTITIES_GRAPH = GRAPH + "entities"
ONTOLOGY_GRAPH = GRAPH + "ontology"
STATUS_GRAPH = GRAPH + "status/"
"""Status graphs (supersession per triple, written by the build) are named ``STATUS_GRAPH + YYYY-MM-DD``."""

PREFIXES: dict[str, str] = {
    "wg": WG,
    "wgd": WGD,
    "wgs": SOURCE,
    "wgc": CLAIM,
    "wgg": GRAPH,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}

_PREFIX_OF = {namespace: prefix + ":" for prefix, namespace in PREFIXES.items()}
"""Namespace -> ``prefix:`` (every namespace ends in ``/`` or ``#``, so an IRI's namespace is found by one cut)."""
_LOCAL = re.compile(r"[\w.-]+")


def compact(iri: str, *, bare: bool = False) -> str:
    """``prefix:local`` for an IRI in a known namespace, else ``<iri>``. With ``bare=True`` (the node ids of
    :mod:`wickgraph.networkx_export`): a claim is ``wgc:SOURCE/ID`` and an IRI in no known namespace stays bare.

    >>> compact("https://example.org/x"), compact("https://example.org/x", bare=True)
    ('<https://example.org/x>', 'https://example.org/x')
    >>> compact(CLAIM + "cinemark-2024/a15", bare=True)
    'wgc:cinemark-2024/a15'
    """
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _PREFIX_OF.get(iri[:cut])
    local = iri[cut:]
    if prefix is not None and local and not local.endswith(".") and _LOCAL.fullmatch(local):
        return prefix + local
    if not bare:
        return f"<{iri}>"
    if iri.startswith(CLAIM) and len(iri) > len(CLAIM):
        return "wgc:" + iri[len(CLAIM) :]
    return iri


def sparql_prologue() -> str:
    """The PREFIX declarations of :data:`PREFIXES`, one per line."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
