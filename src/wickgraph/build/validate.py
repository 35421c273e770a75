"""Validation of a staged dataset: SHACL shapes, then the provenance rules of ``data/README.md``.

Each problem is one sentence a person can act on: the entity by its label, the property, what is wrong, and
the file it came from.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode
from pyoxigraph import Store as OxStore

from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, WGD, compact
from ..terms import value
from .parse import Staged, ox_select

__all__ = ["labels_of", "provenance_problems", "shacl_problems", "validate"]


def labels_of(store: OxStore) -> dict[str, str]:
    """IRI -> rdfs:label, from the entity registry graph."""
    rows = ox_select(store, "SELECT ?s ?label WHERE { GRAPH wgg:entities { ?s rdfs:label ?label } }")
    return {value(row, "s"): value(row, "label") for row in rows}


def _name(iri: str, labels: dict[str, str]) -> str:
    label = labels.get(iri)
    return f"'{label}' ({compact(iri)})" if label else compact(iri)


def shacl_problems(staged: Staged, shapes_path: Path, labels: dict[str, str]) -> list[str]:
    """Run pyshacl over the union of the data graphs (not the ontology graph)."""
    import rdflib
    from pyshacl import validate as shacl_validate

    from ..terms import to_rdflib

    data = rdflib.Graph()
    for quad in staged.store:
        if isinstance(quad.graph_name, NamedNode) and quad.graph_name.value == ONTOLOGY_GRAPH:
            continue
        data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    shapes = rdflib.Graph().parse(str(shapes_path), format="turtle")
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    problems: list[str] = []
    assert isinstance(report, rdflib.Graph)
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        value = report.value(result, sh.value)
        message = report.value(result, sh.resultMessage)
        focus_iri = str(focus)
        where = compact(str(path)) if isinstance(path, rdflib.URIRef) else "(the entity as a whole)"
        text = f"{_name(focus_iri, labels)}, property {where}: {message}"
        if value is not None and value != focus:
            text += f" (found {value.n3() if isinstance(value, rdflib.Literal) else compact(str(value))})"
        problems.append(text + f" [in {staged.files_of(focus_iri)}]")
    return sorted(set(problems))


def provenance_problems(staged: Staged, labels: dict[str, str]) -> list[str]:
    """Every graph is the registry, a source graph or a claim graph; records and claim graphs pair up; every
    entity is registered; a superseding claim is not older than what it supersedes."""
    store = staged.store
    problems = [
        f"{path}: triples outside any named graph; put them in the source's graph or a claim graph"
        for path in sorted(staged.default_graph_files)
    ]
    sources = {value(r, "g") for r in ox_select(store, "SELECT ?g WHERE { GRAPH ?g { ?g a wg:Source } }")}
    records: dict[str, str] = {}
    for row in ox_select(store, "SELECT ?c ?g WHERE { GRAPH ?g { ?c a wg:Claim } }"):
        claim, graph = value(row, "c"), value(row, "g")
        if graph not in sources:
            problems.append(
                f"claim record {compact(claim)} is in graph {compact(graph)}, which is not a source graph "
                f"(a graph that describes itself as a wg:Source) [in {staged.files_of(claim)}]"
            )
        if claim in records and records[claim] != graph:
            problems.append(
                f"claim {compact(claim)} has records in two source graphs, {compact(records[claim])} "
                f"and {compact(graph)} [in {staged.files_of(claim)}]"
            )
        records[claim] = graph
    graphs = {g.value for g in store.named_graphs() if isinstance(g, NamedNode)}
    for graph in sorted(graphs - sources - set(records) - {ENTITIES_GRAPH, ONTOLOGY_GRAPH}):
        problems.append(
            f"graph {compact(graph)} has no claim record (add `{compact(graph)} a wg:Claim` with its "
            f"certainty and span to the source's graph) [in {staged.files_of(graph)}]"
        )
    for claim in sorted(set(records) - graphs):
        problems.append(f"claim {compact(claim)} has a record but no graph of triples [in {staged.files_of(claim)}]")
    registered = set(labels)
    performances = {
        value(r, "p") for r in ox_select(store, "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a wg:Performance } }")
    }
    used = ox_select(
        store,
        f"""
        SELECT DISTINCT ?e ?g WHERE {{
          GRAPH ?g {{ {{ ?e ?p ?o }} UNION {{ ?s ?p ?e }} }}
          FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{WGD}"))
          FILTER(?g != wgg:entities)
        }}""",
    )
    missing: dict[str, set[str]] = {}
    for row in used:
        entity = value(row, "e")
        if entity not in registered and entity not in performances:
            missing.setdefault(entity, set()).add(value(row, "g"))
    for entity, in_graphs in sorted(missing.items()):
        files = ", ".join(sorted({staged.files_of(g) for g in in_graphs}))
        problems.append(
            f"{compact(entity)} is used but not in the entity registry (add its type and rdfs:label "
            f"to data/entities.trig) [in {files}]"
        )
    for row in ox_select(
        store,
        """
        SELECT ?new ?old ?newDate ?oldDate WHERE {
          GRAPH ?s { ?new wg:supersedes ?old ; wg:claimDate ?newDate }
          GRAPH ?t { ?old wg:claimDate ?oldDate }
          FILTER(?newDate < ?oldDate)
        }""",
    ):
        problems.append(
            f"claim {compact(value(row, 'new'))} ({value(row, 'newDate')}) supersedes the later claim "
            f"{compact(value(row, 'old'))} ({value(row, 'oldDate')}) [in {staged.files_of(value(row, 'new'))}]"
        )
    for row in ox_select(
        store,
        """
        SELECT ?new ?old WHERE { GRAPH ?s { ?new wg:supersedes ?old } FILTER NOT EXISTS { GRAPH ?t { ?old a wg:Claim } } }""",
    ):
        problems.append(
            f"claim {compact(value(row, 'new'))} supersedes {compact(value(row, 'old'))}, which is not a claim "
            f"[in {staged.files_of(value(row, 'new'))}]"
        )
    return problems


def validate(staged: Staged, ontology_dir: Path) -> list[str]:
    """All problems of a staged dataset whose rules have run: provenance first, then SHACL."""
    labels = labels_of(staged.store)
    return provenance_problems(staged, labels) + shacl_problems(staged, ontology_dir / "shapes.ttl", labels)
