"""The full strategy's validation of a staged dataset: the provenance rules, then the SHACL shapes with pyshacl.

Each problem is one sentence a person can act on: the entity by its label, the property, what is wrong, and
the file it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode
from pyoxigraph import Store as OxStore

from ..namespaces import ONTOLOGY_GRAPH, compact
from ..terms import to_rdflib, value
from .parse import Staged, ox_select
from .shapes import EACH_GRAPH

if TYPE_CHECKING:
    import rdflib

__all__ = ["labels_of", "quiet_rdflib", "shacl_problems", "validate"]


def labels_of(store: OxStore) -> dict[str, str]:
    """IRI -> rdfs:label, from the entity registry graph."""
    rows = ox_select(store, "SELECT ?s ?label WHERE { GRAPH wgg:entities { ?s rdfs:label ?label } }")
    return {value(row, "s"): value(row, "label") for row in rows}


def _name(iri: str, labels: dict[str, str]) -> str:
    label = labels.get(iri)
    return f"'{label}' ({compact(iri)})" if label else compact(iri)


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib and pyshacl say nothing on stderr while this runs.

    rdflib logs a warning with a traceback (``logging``, logger ``rdflib.term``) for every ill-typed literal it
    converts, and may emit :mod:`warnings`; the build reports those literals itself, one line each, through the
    shapes' ``sh:datatype`` (which pyshacl checks on the literal's lexical form).
    """
    import logging
    import warnings

    import pyshacl  # noqa: F401  (their loggers exist once imported)
    import rdflib  # noqa: F401

    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in ("rdflib", "pyshacl")]
    loggers = [logging.getLogger(name) for name in {"rdflib", "pyshacl", *names}]
    before = [logger.disabled for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.disabled = True
        try:
            yield
        finally:
            for logger, was in zip(loggers, before, strict=True):
                logger.disabled = was


def _split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, rdflib.Graph]:
    """The shapes checked on the union, and those marked ``wgsh:eachGraph true`` (with their property shapes)."""
    import rdflib

    each = rdflib.Graph()
    marked = list(shapes.subjects(rdflib.URIRef(EACH_GRAPH), rdflib.Literal(True)))
    todo: list[rdflib.term.Node] = list(marked)
    while todo:
        node = todo.pop()
        for triple in shapes.triples((node, None, None)):
            each.add(triple)
            if isinstance(triple[2], rdflib.BNode):
                todo.append(triple[2])
    union = rdflib.Graph()
    for triple in shapes:
        if triple not in each:
            union.add(triple)
    return union, each


def shacl_problems(staged: Staged, shapes_path: Path, labels: dict[str, str]) -> list[str]:
    """Run pyshacl over the union of the data graphs (not the ontology graph), and the ``wgsh:eachGraph`` shapes
    over each named graph by itself."""
    import warnings

    import rdflib

    with quiet_rdflib():
        shapes = rdflib.Graph().parse(str(shapes_path), format="turtle")
        union_shapes, each_shapes = _split_shapes(shapes)
        data = rdflib.Graph()
        graphs: dict[str, rdflib.Graph] = {}
        with warnings.catch_warnings():
            # rdflib reads "yes"^^xsd:boolean as false with a warning; as an error it is ill-typed, as it should be
            warnings.filterwarnings("error", message="Parsing weird boolean", category=UserWarning)
            for quad in staged.store:
                if not isinstance(quad.graph_name, NamedNode) or quad.graph_name.value == ONTOLOGY_GRAPH:
                    continue
                triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
                data.add(triple)
                graphs.setdefault(quad.graph_name.value, rdflib.Graph()).add(triple)
        problems = _pyshacl(staged, data, union_shapes, labels, None) + _lexical_problems(staged, shapes, labels)
        # A graph can break an each-graph shape only if it holds one of its focus nodes: when every such shape
        # targets the subjects of properties, the graphs without those properties are skipped (most of them).
        sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        by_subjects = set(each_shapes.objects(None, sh.targetSubjectsOf))
        other_targets = any(
            each_shapes.triples((None, target, None))
            for target in (sh.targetClass, sh.targetNode, sh.targetObjectsOf, sh.target)
        )
        for graph, triples in sorted(graphs.items()) if len(each_shapes) else []:
            if other_targets or any(triples.triples((None, p, None)) for p in by_subjects):
                problems += _pyshacl(staged, triples, each_shapes, labels, graph)
    return sorted(set(problems))


def _lexical_problems(staged: Staged, shapes: rdflib.Graph, labels: dict[str, str]) -> list[str]:
    """Ill-typed values rdflib lets through (``"1e3"^^xsd:decimal``, ``"64"^^xsd:gYear``, ``" 12"^^xsd:integer``),
    found by the same test as the fast build's (the value cast to its datatype from its string), and worded as
    pyshacl's results are: for the ``sh:datatype`` shapes that target the subjects of their own path."""
    import rdflib

    from .shapes import lexical_condition

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    problems: list[str] = []
    for node, path in shapes.subject_objects(sh.targetSubjectsOf):
        for shape in shapes.objects(node, sh.property):
            datatype, message = shapes.value(shape, sh.datatype), shapes.value(shape, sh.message)
            if shapes.value(shape, sh.path) != path or not isinstance(datatype, rdflib.URIRef):
                continue
            bad = lexical_condition(NamedNode(str(datatype)), str(node))
            query = (
                f"SELECT DISTINCT ?f ?v WHERE {{ GRAPH ?g {{ ?f <{path}> ?v }} "
                f"FILTER(isLiteral(?v) && DATATYPE(?v) = <{datatype}> && {bad}) }}"
            )
            for row in ox_select(staged.store, query):
                focus, found = row["f"], row["v"]
                assert focus is not None and found is not None
                files = _files_stating(staged, to_rdflib(focus), rdflib.URIRef(str(path)), to_rdflib(found))
                problems.append(
                    f"{_name(focus.value, labels)}, property {compact(str(path))}: {message} "
                    f"(found {to_rdflib(found).n3()}) [in {files or staged.files_of(focus.value)}]"
                )
    return problems


def _pyshacl(
    staged: Staged, data: rdflib.Graph, shapes: rdflib.Graph, labels: dict[str, str], graph: str | None
) -> list[str]:
    import rdflib
    from pyshacl import validate as shacl_validate

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
        if graph is not None:
            text += f" (in {compact(graph)})"
            files = staged.files_of(graph)
        elif focus is not None and value is not None and isinstance(path, rdflib.URIRef) and value != focus:
            files = _files_stating(staged, focus, path, value) or staged.files_of(focus_iri)
        else:
            files = staged.files_of(focus_iri)
        problems.append(text + f" [in {files}]")
    return problems


def _files_stating(staged: Staged, subject: rdflib.term.Node, path: rdflib.URIRef, value: rdflib.term.Node) -> str:
    """The files of the graphs that state the triple (empty when only derived)."""
    from ..terms import from_rdflib

    try:
        s, p, o = from_rdflib(subject), from_rdflib(path), from_rdflib(value)
    except (TypeError, ValueError):
        return ""
    graphs = {
        q.graph_name.value
        for q in staged.store.quads_for_pattern(s, p, o)  # type: ignore[arg-type]
        if isinstance(q.graph_name, NamedNode) and q.graph_name.value in staged.origins
    }
    return ", ".join(sorted({f for g in graphs for f in staged.origins[g]}))


def validate(staged: Staged, ontology_dir: Path) -> list[str]:
    """All problems of a staged dataset whose rules have run: provenance first (the rules both strategies
    share, :mod:`.provenance`), then SHACL with pyshacl."""
    from .checks import run_checks
    from .provenance import outside_named_graphs, provenance_checks

    problems = outside_named_graphs(staged.default_graph_files)
    problems += run_checks(staged.store, provenance_checks(), files_of=staged.graph_files)
    return problems + shacl_problems(staged, ontology_dir / "shapes.ttl", labels_of(staged.store))
