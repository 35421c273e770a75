"""The full strategy's validation of a staged dataset: the provenance rules, then the SHACL shapes with pyshacl.

Each problem is one sentence a person can act on: the entity by its label, the property, what is wrong, and
the file it came from.

pyshacl runs twice: once with the shapes of the union over one rdflib copy of every data graph, and once with the
``wgsh:eachGraph`` shapes over a copy of all the graphs in which each graph's subjects are stand-ins of their own
(:func:`_one_run_predicates` says when that is exactly one run per graph, else it is done graph by graph). Both
copies are made for the run, so pyshacl checks them in place; its advanced mode is on only for shapes that need
it (:func:`uses_advanced_features`). docs/scale.md ("The full build") has the figures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode
from pyoxigraph import Store as OxStore

from ..namespaces import ONTOLOGY_GRAPH, compact
from ..terms import Term, to_rdflib, value
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


_SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ABOUT = {_SH + k for k in ("message", "severity", "name", "description", "order", "group")}
"""Keys that word or arrange a shape's results and decide nothing."""
_ONE_RUN_NODE_KEYS = _ABOUT | {_SH + "targetSubjectsOf", _SH + "property", _RDF + "type", EACH_GRAPH}
_ONE_RUN_PROPERTY_KEYS = _ABOUT | {
    _SH + k
    for k in (
        "path",
        "minCount",
        "maxCount",
        "datatype",
        "nodeKind",
        "in",
        "hasValue",
        "minInclusive",
        "minExclusive",
        "maxInclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
    )
}
"""What a property shape may say for the each-graph shapes to run once over all the graphs (:func:`_one_run_predicates`):
constraints on the values of one property of the focus node, each value judged by itself or counted."""
_ADVANCED_KEYS = {_SH + k for k in ("target", "rule", "expression")}
_ADVANCED_TYPES = {
    _SH + k
    for k in (
        "Target",
        "TargetType",
        "SPARQLTarget",
        "SPARQLTargetType",
        "JSTarget",
        "JSTargetType",
        "SHACLFunction",
        "SPARQLFunction",
        "JSFunction",
        "TripleRule",
        "SPARQLRule",
        "JSRule",
    )
}
"""The SHACL Advanced Features (custom targets, rules, node expressions, functions): pyshacl reads them in its
``advanced`` mode only, which costs about a tenth more on shapes without them."""
_EACH_FOCUS = "urn:wickgraph:each-graph:"
"""Prefix of the stand-in for a subject of one graph, in the one run of the each-graph shapes."""


def uses_advanced_features(shapes: rdflib.Graph) -> bool:
    """Whether the shapes use a SHACL Advanced Feature (:data:`_ADVANCED_KEYS`, :data:`_ADVANCED_TYPES`, or a
    subclass of ``sh:Target``): pyshacl then runs in its ``advanced`` mode, else in the core one, which reads
    every other shape the same."""
    return any(str(key) in _ADVANCED_KEYS or str(found) in _ADVANCED_TYPES for _, key, found in shapes)


def _one_run_predicates(each: rdflib.Graph) -> frozenset[str] | None:
    """The properties the each-graph shapes read, when one pyshacl run over all the graphs gives exactly the results
    of one run per graph; else ``None``.

    One run suffices when every each-graph shape targets the subjects of properties (``sh:targetSubjectsOf``),
    constrains nothing of the focus node itself, and has only property shapes whose path is one property and whose
    constraints (:data:`_ONE_RUN_PROPERTY_KEYS`) judge the focus node's values of that property, each by itself or
    by their count. Then a focus node's results depend on its triples of the target and path properties in its
    graph and on nothing else. The one run reads a copy of those triples of every graph, with each subject of
    each graph replaced by a stand-in of its own (``urn:wickgraph:each-graph:N``; objects unchanged): a stand-in
    is a focus node exactly when its subject is one in its graph, with the same values, so the run reports what
    the runs per graph report, each result under its stand-in, which :func:`shacl_problems` maps back to the
    subject and the graph. Anything else (a class target, ``sh:class``, ``sh:node``, a path of more than one
    step...) is checked graph by graph."""
    import rdflib

    sh = rdflib.Namespace(_SH)
    predicates: set[str] = set()
    for node in set(each.subjects(rdflib.URIRef(EACH_GRAPH), None)):
        for key, found in each.predicate_objects(node):
            if str(key) not in _ONE_RUN_NODE_KEYS or (key == rdflib.RDF.type and found != sh.NodeShape):
                return None
            if key == sh.targetSubjectsOf:
                predicates.add(str(found))
        for shape in each.objects(node, sh.property):
            if any(str(key) not in _ONE_RUN_PROPERTY_KEYS for key in each.predicates(shape)):
                return None
            paths = list(each.objects(shape, sh.path))
            if len(paths) != 1 or not isinstance(paths[0], rdflib.URIRef):
                return None
            predicates.add(str(paths[0]))
    return frozenset(predicates)


class _Converter:
    """pyoxigraph terms to rdflib terms, each distinct term converted once (a build repeats most terms many
    times: the same subjects, properties, classes and values in many graphs)."""

    def __init__(self) -> None:
        self.done: dict[Term, rdflib.term.Node] = {}

    def __call__(self, term: Term) -> rdflib.term.Node:
        node = self.done.get(term)
        if node is None:
            node = self.done[term] = to_rdflib(term)
        return node


def shacl_problems(staged: Staged, shapes_path: Path, labels: dict[str, str]) -> list[str]:
    """Run pyshacl over the union of the data graphs (not the ontology graph), and the ``wgsh:eachGraph`` shapes
    over each named graph by itself: in one run over all the graphs (:func:`_one_run_predicates`) when that is
    provably the same, else one run per graph that holds a focus node."""
    import warnings

    import rdflib

    with quiet_rdflib():
        shapes = rdflib.Graph().parse(str(shapes_path), format="turtle")
        union_shapes, each_shapes = _split_shapes(shapes)
        one_run = _one_run_predicates(each_shapes) if len(each_shapes) else frozenset()
        data = rdflib.Graph()
        graphs: dict[str, rdflib.Graph] = {}
        each = rdflib.Graph()
        stand_ins: dict[tuple[str, rdflib.term.Node], rdflib.URIRef] = {}
        convert = _Converter()
        # Graph.add checks its terms are rdflib's and calls its store's add: these are, so the store is called
        # directly (half the time of filling the copy).
        add_data, add_each = data.store.add, each.store.add
        with warnings.catch_warnings():
            # rdflib reads "yes"^^xsd:boolean as false with a warning; as an error it is ill-typed, as it should be
            warnings.filterwarnings("error", message="Parsing weird boolean", category=UserWarning)
            for quad in staged.store:
                if not isinstance(quad.graph_name, NamedNode) or quad.graph_name.value == ONTOLOGY_GRAPH:
                    continue
                triple = (convert(quad.subject), convert(quad.predicate), convert(quad.object))
                add_data(triple, data, quoted=False)
                if one_run is None:
                    graphs.setdefault(quad.graph_name.value, rdflib.Graph()).add(triple)
                elif quad.predicate.value in one_run:
                    key = (quad.graph_name.value, triple[0])
                    stand_in = stand_ins.get(key)
                    if stand_in is None:
                        stand_in = stand_ins[key] = rdflib.URIRef(f"{_EACH_FOCUS}{len(stand_ins)}")
                    add_each((stand_in, triple[1], triple[2]), each, quoted=False)
        problems = _pyshacl(staged, data, union_shapes, labels) + _lexical_problems(staged, shapes, labels)
        if one_run:
            subjects: dict[rdflib.term.Node, tuple[str, rdflib.term.Node]] = {v: k for k, v in stand_ins.items()}
            problems += _pyshacl(staged, each, each_shapes, labels, subjects.__getitem__)
        elif one_run is None:
            # A graph can break an each-graph shape only if it holds one of its focus nodes: when every such shape
            # targets the subjects of properties, the graphs without those properties are skipped (most of them).
            sh = rdflib.Namespace(_SH)
            by_subjects = set(each_shapes.objects(None, sh.targetSubjectsOf))
            other_targets = any(
                each_shapes.triples((None, target, None))
                for target in (sh.targetClass, sh.targetNode, sh.targetObjectsOf, sh.target)
            )
            for graph, triples in sorted(graphs.items()):
                if other_targets or any(triples.triples((None, p, None)) for p in by_subjects):
                    problems += _pyshacl(staged, triples, each_shapes, labels, functools.partial(_in_graph, graph))
    return sorted(set(problems))


def _in_graph(graph: str, focus: rdflib.term.Node) -> tuple[str, rdflib.term.Node]:
    return graph, focus


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
    staged: Staged,
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    labels: dict[str, str],
    where: Callable[[rdflib.term.Node], tuple[str, rdflib.term.Node]] | None = None,
) -> list[str]:
    """pyshacl's results as problems. ``where`` (the each-graph shapes' runs) gives the graph a result's focus
    node is in, and the focus node itself when the run read a stand-in for it (:func:`_one_run_predicates`);
    ``data`` is the caller's throwaway copy, so pyshacl checks it in place instead of copying it first; its
    ``advanced`` mode is on when the shapes need it (:func:`uses_advanced_features`)."""
    import rdflib
    from pyshacl import validate as shacl_validate

    advanced = uses_advanced_features(shapes)
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=advanced, inplace=True)
    if conforms:
        return []
    sh = rdflib.Namespace(_SH)
    problems: list[str] = []
    assert isinstance(report, rdflib.Graph)
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        value = report.value(result, sh.value)
        message = report.value(result, sh.resultMessage)
        graph = None
        if where is not None and focus is not None:
            graph, focus = where(focus)
        focus_iri = str(focus)
        where_in = compact(str(path)) if isinstance(path, rdflib.URIRef) else "(the entity as a whole)"
        text = f"{_name(focus_iri, labels)}, property {where_in}: {message}"
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
