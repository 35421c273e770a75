"""The full build's SHACL check (pyshacl): the each-graph shapes in one run over all the graphs report exactly what
one run per graph reports, and the one run is refused for shapes whose results could cross graphs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib

import wickgraph
from wickgraph.building import validate as validation
from wickgraph.building.parse import Staged, ox_select, stage
from wickgraph.building.rules import apply_rules
from wickgraph.building.supersession import drop_status_graphs
from wickgraph.namespaces import compact

# One claim may not give two values of a functional property; two claims may. Blank-node subjects, a subject in
# three graphs, a value that is the subject itself, IRIs as values, the same number as two terms (5 and 5.0), and
# ill-typed values among the doubles.
EACH = """@prefix wg: <https://w3id.org/wickgraph/ontology#> .
@prefix wgd: <https://w3id.org/wickgraph/id/> .
@prefix wgs: <https://w3id.org/wickgraph/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ec: <https://w3id.org/wickgraph/claim/each/> .
wgs:cinemark-2024 {
  ec:1 a wg:Claim ; wg:certainty wg:Stated ; wg:spanStart 0 ; wg:spanEnd 10 .
  ec:2 a wg:Claim ; wg:certainty wg:Stated ; wg:spanStart 0 ; wg:spanEnd 10 .
  ec:3 a wg:Claim ; wg:certainty wg:Stated ; wg:spanStart 0 ; wg:spanEnd 10 .
}
ec:1 { wgd:keanu-reeves wg:birthDate "1964-09-02"^^xsd:date, "1964-09-03"^^xsd:date ; wg:name "A", "B", "C" .
       _:x wg:runtimeMinutes 100, 101 . wgd:ballerina wg:releaseStatus wgd:ballerina, wgd:john-wick .
       wgd:john-wick wg:grossUSD 5 . }
ec:2 { wgd:keanu-reeves wg:birthDate "1964-09-02"^^xsd:date . wgd:john-wick wg:grossUSD 6 .
       wgd:ballerina wg:budgetUSD "1e3"^^xsd:decimal, "12"^^xsd:decimal . _:x wg:runtimeMinutes 100 . }
ec:3 { wgd:keanu-reeves wg:birthDate "1964-09-04"^^xsd:date, "12x"^^xsd:date . wgd:john-wick wg:grossUSD 5, 5.0 .
       wgd:ballerina wg:hasTrailer "yes"^^xsd:boolean, false . }
"""

ONE_PER_CLAIM = "one claim gives one"


def _staged(ontology: Path, data: Path) -> Staged:
    staged = stage(ontology, data)
    drop_status_graphs(staged.store)
    apply_rules(staged.store, ontology)
    return staged


def _problems(staged: Staged, shapes: Path, *, one_run: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], int]:
    """The SHACL problems, with the each-graph shapes in one run or (``one_run=False``) one run per graph; and
    how many times pyshacl ran."""
    runs: list[int] = []
    real = validation._pyshacl

    def counted(*args: object, **kwargs: object) -> list[str]:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(validation, "_pyshacl", counted)
        if not one_run:
            patch.setattr(validation, "_one_run_predicates", lambda each: None)
        problems = validation.shacl_problems(staged, shapes, validation.labels_of(staged.store))
    return problems, len(runs)


def test_each_graph_shapes_in_one_run_report_what_one_run_per_graph_reports(
    data_copy: Path, ontology_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "each.trig").write_text(EACH, encoding="utf-8")
    staged = _staged(ontology_dir, data_copy)
    shapes = ontology_dir / "shapes.ttl"
    together, runs = _problems(staged, shapes, one_run=True, monkeypatch=monkeypatch)
    apart, runs_apart = _problems(staged, shapes, one_run=False, monkeypatch=monkeypatch)
    assert runs == 2 and runs_apart > 100  # the union and all the graphs at once; the union and each graph
    assert together == apart
    doubles = sorted(p.split(" [in ")[0] for p in together if ONE_PER_CLAIM in p)

    def double(entity: str, prop: str, what: str, claim: int) -> str:
        return (
            f"{entity}, property wg:{prop}: one claim gives one {what} (wg:{prop} is functional; a source that "
            f"disagrees has a claim of its own) (in <https://w3id.org/wickgraph/claim/each/{claim}>)"
        )

    ballerina, wick, keanu = (
        "'Ballerina' (wgd:ballerina)",
        "'John Wick (2014)' (wgd:john-wick)",
        "'Keanu Reeves' (wgd:keanu-reeves)",
    )
    assert doubles == sorted(
        [
            double(ballerina, "budgetUSD", "budget (USD)", 2),
            double(ballerina, "hasTrailer", "has a trailer", 3),
            double(ballerina, "releaseStatus", "release status", 1),
            double(wick, "grossUSD", "box office gross (USD)", 3),
            double(keanu, "birthDate", "date of birth", 1),
            double(keanu, "birthDate", "date of birth", 3),
            double(keanu, "name", "name", 1),
            double("<x>", "runtimeMinutes", "runtime (minutes)", 1),
        ]
    ), "\n".join(together)
    assert not any(validation._EACH_FOCUS in p for p in together)  # every stand-in mapped back
    assert all(p.endswith("each.trig]") for p in together if ONE_PER_CLAIM in p)
    # The ill-typed values among them are reported once each, by the union's shapes, as before.
    assert sum('(found "12x"^^' in p for p in together) == 1


def test_the_real_shapes_run_in_one_pass_and_others_are_refused() -> None:
    sh = "http://www.w3.org/ns/shacl#"
    prefixes = f"@prefix sh: <{sh}> . @prefix wgsh: <https://w3id.org/wickgraph/shapes#> . @prefix ex: <urn:ex:> .\n"

    def each_shapes(text: str) -> rdflib.Graph:
        graph = rdflib.Graph().parse(data=prefixes + text, format="turtle")
        return validation._split_shapes(graph)[1]

    maximum = (
        "wgsh:S a sh:NodeShape ; wgsh:eachGraph true ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:q ; {} ] ."
    )
    assert validation._one_run_predicates(each_shapes(maximum.format("sh:maxCount 1"))) == frozenset(
        {"urn:ex:p", "urn:ex:q"}
    )
    refused = [
        maximum.format("sh:class ex:C"),  # the value's types: triples of the value, not of the focus node
        maximum.format("sh:node ex:T"),
        maximum.format("sh:equals ex:r"),
        maximum.format("sh:qualifiedValueShape [ sh:datatype ex:d ] ; sh:qualifiedMaxCount 1"),
        maximum.replace("sh:path ex:q", "sh:path ( ex:q ex:r )").format("sh:maxCount 1"),  # two steps
        maximum.replace("sh:path ex:q", "sh:path [ sh:inversePath ex:q ]").format("sh:maxCount 1"),
        maximum.replace("sh:targetSubjectsOf ex:p", "sh:targetClass ex:C").format("sh:maxCount 1"),
        maximum.replace("sh:targetSubjectsOf ex:p", "sh:targetObjectsOf ex:p").format("sh:maxCount 1"),
        maximum.replace("sh:targetSubjectsOf ex:p", "sh:targetSubjectsOf ex:p ; sh:nodeKind sh:IRI").format(
            "sh:maxCount 1"
        ),
        maximum.replace("a sh:NodeShape", "a sh:NodeShape, <http://www.w3.org/2000/01/rdf-schema#Class>").format(
            "sh:maxCount 1"
        ),
    ]
    for text in refused:
        assert validation._one_run_predicates(each_shapes(text)) is None, text
    real = rdflib.Graph().parse(str(wickgraph.locations.default_ontology_dir() / "shapes.ttl"))
    found = validation._one_run_predicates(validation._split_shapes(real)[1])
    assert found is not None and "https://w3id.org/wickgraph/ontology#birthDate" in found


def _with_shape(tmp_path: Path, ontology_dir: Path, turtle: str) -> Path:
    """A copy of the ontology directory whose shapes end with ``turtle`` (prefixes of shapes.ttl in scope)."""
    ontology = tmp_path / "ontology"
    shutil.copytree(ontology_dir, ontology)
    with (ontology / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write(turtle)
    return ontology


def test_an_each_graph_shape_the_one_run_cannot_take_is_checked_graph_by_graph(
    tmp_path: Path, data_copy: Path, ontology_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sh:class on an each-graph shape: the director must be typed wg:Person in the claim's own graph. The union
    # types every director (the registry does), so only a run per graph finds the claims that do not.
    ontology = _with_shape(
        tmp_path,
        ontology_dir,
        "wgsh:TypedHere a sh:NodeShape ; wgsh:eachGraph true ; sh:targetSubjectsOf wg:director ;\n"
        '    sh:property [ sh:path wg:director ; sh:class wg:Person ; sh:message "typed in the claim" ] .\n',
    )
    staged = _staged(ontology, data_copy)
    problems, runs = _problems(staged, ontology / "shapes.ttl", one_run=True, monkeypatch=monkeypatch)
    typed = [p for p in problems if "typed in the claim" in p]
    assert runs > 2 and typed
    # One line for each director a claim names without typing it wg:Person itself.
    untyped = ox_select(
        staged.store,
        "SELECT ?g ?d WHERE { GRAPH ?g { ?f wg:director ?d FILTER NOT EXISTS { ?d a wg:Person } } }",
    )
    assert len(untyped) == len(typed) > 1
    for row in untyped:
        graph, director = str(row["g"].value), compact(str(row["d"].value))
        assert any(f"(found {director}) (in <{graph}>)" in p for p in typed), (graph, director, typed)


def test_a_shape_with_an_advanced_feature_is_still_checked(
    tmp_path: Path, data_copy: Path, ontology_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pyshacl reads a SPARQL target (SHACL Advanced Features) only in its advanced mode, which the build turns on
    # when the shapes use one: this shape must find the real data's directors, not pass for lack of a target.
    ontology = _with_shape(
        tmp_path,
        ontology_dir,
        "wgsh:NoDirectors a sh:NodeShape ;\n"
        '    sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this <'
        + "https://w3id.org/wickgraph/ontology#director"
        + '> ?d }" ] ;\n'
        '    sh:property [ sh:path wg:director ; sh:maxCount 0 ; sh:message "no directors today" ] .\n',
    )
    staged = _staged(ontology, data_copy)
    assert validation.uses_advanced_features(rdflib.Graph().parse(str(ontology / "shapes.ttl")))
    assert not validation.uses_advanced_features(rdflib.Graph().parse(str(ontology_dir / "shapes.ttl")))
    problems, _ = _problems(staged, ontology / "shapes.ttl", one_run=True, monkeypatch=monkeypatch)
    assert any("'John Wick (2014)' (wgd:john-wick), property wg:director: no directors today" in p for p in problems)
