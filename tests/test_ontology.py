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


SH = "http://www.w3.org/ns/shacl#"
RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
EACH_GRAPH = "https://w3id.org/wickgraph/shapes#eachGraph"


def _of_type(kind: str) -> dict[str, str]:
    """The ontology's properties of an OWL type, each with its rdfs:range."""
    return {
        term: next(iter(facts.get(RDFS_RANGE, {""})))
        for term, facts in _ontology().items()
        if OWL + kind in facts.get(RDF_TYPE, set())
    }


def _property_shapes() -> list[dict[str, str]]:
    """Each property shape of shapes.ttl as {key: value}, with the node shape's targets and marks folded in."""
    triples: dict[object, dict[str, list[object]]] = {}
    for t in parse(path=str(default_ontology_dir() / "shapes.ttl"), format=RdfFormat.TURTLE):
        triples.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    found = []
    for facts in triples.values():
        for prop in facts.get(SH + "property", []):
            shape = {key: str(getattr(values[0], "value", values[0])) for key, values in triples[prop].items()}
            for key in (SH + "targetClass", SH + "targetSubjectsOf", EACH_GRAPH):
                if key in facts:
                    shape[key] = " ".join(str(getattr(v, "value", v)) for v in facts[key])
            found.append(shape)
    return found


def test_every_datatype_property_has_its_datatype_checked_wherever_it_is_used() -> None:
    datatype_properties = _of_type("DatatypeProperty")
    assert len(datatype_properties) > 40 and all(datatype_properties.values())  # each has a range
    shapes = _property_shapes()
    missing = [
        prop
        for prop, datatype in sorted(datatype_properties.items())
        if not any(
            s.get(SH + "path") == prop
            and s.get(SH + "datatype") == datatype
            and s.get(SH + "targetSubjectsOf") == prop  # every subject that uses it, whatever its class
            and EACH_GRAPH not in s
            for s in shapes
        )
    ]
    assert not missing, f"datatype properties whose range no shape checks: {missing}"


def test_every_functional_property_has_at_most_one_value_per_claim() -> None:
    functional = _of_type("FunctionalProperty")
    assert WG + "birthDate" in functional and WG + "actor" in functional
    shapes = _property_shapes()
    missing = [
        prop
        for prop in sorted(functional)
        if not any(
            s.get(SH + "path") == prop
            and s.get(SH + "maxCount") == "1"
            # checked on each claim graph, or on the union (stricter: no disagreement allowed at all)
            and ((s.get(EACH_GRAPH) == "true" and s.get(SH + "targetSubjectsOf") == prop) or SH + "targetClass" in s)
            for s in shapes
        )
    ]
    assert not missing, f"functional properties without a max-count shape: {missing}"


def test_the_fast_build_compiles_every_datatype_and_functional_check() -> None:
    from wickgraph.building.shapes import compile_shapes

    checks = compile_shapes(default_ontology_dir() / "shapes.ttl")
    datatype = {c.path for c in checks if c.label.endswith(" datatype")}
    max_count = {c.path for c in checks if c.label.endswith(" maxCount")}
    assert set(_of_type("DatatypeProperty")) <= datatype
    assert set(_of_type("FunctionalProperty")) <= max_count
    assert any(c.each_graph and c.path == WG + "birthDate" and "GRAPH ?g" in c.query for c in checks)
