"""The IRIs wickgraph uses: one explicit prefix map, and the namespaces as string constants.

The prefix map is the only place prefixes are defined; queries, output and the CLI all take it from here.

>>> WG + "plays"
'https://w3id.org/wickgraph/ontology#plays'
>>> compact("https://w3id.org/wickgraph/id/ana-de-armas")
'wgd:ana-de-armas'
"""

from __future__ import annotations

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

# Longest namespace first, so wgc: wins over a shorter prefix of it.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in a known namespace, else ``<iri>``."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def sparql_prologue() -> str:
    """The PREFIX declarations of :data:`PREFIXES`, one per line."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
