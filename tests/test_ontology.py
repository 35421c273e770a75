"""The vocabulary is closed and documented: every wg: term the project uses is defined, labelled and typed."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from wickgraph.locations import default_data_dir, default_ontology_dir
from wickgraph.namespaces import WG

REPO = Path(__file__).resolve().parent.parent
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"


@cache
def _ontology() -> dict[str, dict[str, set[str]]]:
    terms: dict[str, dict[str, set[str]]] = {}
    for t in parse(path=str(default_ontology_dir() / "wickgraph.ttl"), format=RdfFormat.TURTLE):
        if isinstance(t.subject, NamedNode) and t.subject.value.startswith(WG):
            terms.setdefault(t.subject.value, {}).setdefault(t.predicate.value, set()).add(
                getattr(t.object, "value", "")
            )
    return terms


def _used_terms() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    files = [
        *default_data_dir().rglob("*.trig"),
        *(default_ontology_dir() / "rules").glob("*.ru"),
        default_ontology_dir() / "shapes.ttl",
        *(REPO / "src" / "wickgraph").rglob("*.rq"),
        *(REPO / "src" / "wickgraph").rglob("*.py"),
    ]
    for path in files:
        for local in re.findall(r"(?<![\w#/])wg:([A-Za-z][\w]*)", path.read_text(encoding="utf-8")):
            used.setdefault(WG + local, set()).add(path.name)
        for local in re.findall(r'WG \+ "([A-Za-z]\w*)"', path.read_text(encoding="utf-8")):
            used.setdefault(WG + local, set()).add(path.name)
    return used


def test_every_used_term_is_defined() -> None:
    defined = _ontology()
    undefined = {term: sorted(files) for term, files in _used_terms().items() if term not in defined}
    assert undefined == {}


@pytest.mark.parametrize("term", sorted(_ontology()))
def test_every_term_is_labelled_and_typed(term: str) -> None:
    info = _ontology()[term]
    assert info.get(RDFS_LABEL), f"{term} has no rdfs:label"
    assert info.get(RDF_TYPE), f"{term} has no rdf:type"
    if OWL + "ObjectProperty" in info[RDF_TYPE] or OWL + "DatatypeProperty" in info[RDF_TYPE]:
        has_domain = info.get("http://www.w3.org/2000/01/rdf-schema#domain")
        has_range = info.get("http://www.w3.org/2000/01/rdf-schema#range")
        assert has_domain or has_range, f"{term} has neither domain nor range"
