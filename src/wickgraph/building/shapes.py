"""The SHACL shapes compiled to SPARQL: the fast build's shape checks, run on the store by :mod:`.checks`.

pyshacl needs the whole dataset as an rdflib graph in memory (about 1.3 KB per triple): fine for the real
data, out of reach at millions of triples. The fast build instead compiles each constraint of
``ontology/shapes.ttl`` into one SPARQL query that returns only the focus nodes that break it, and runs it on the
on-disk store. The queries read the default graph, which holds the merge of all graphs (as pyshacl reads their
union; the build rules have materialised the super-classes, so ``?x a wg:Work`` finds every film), and report each
violation in the same words as the full build.

Supported: ``sh:targetClass`` and ``sh:targetSubjectsOf``; property shapes with a single-IRI ``sh:path`` and
``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:pattern``, ``sh:minInclusive``,
``sh:minExclusive``, ``sh:maxInclusive``, ``sh:maxExclusive``, ``sh:lessThan``, ``sh:lessThanOrEquals``,
``sh:disjoint``, ``sh:hasValue``; node-level ``sh:or``, ``sh:xone`` and ``sh:and`` over property shapes with
``sh:minCount 1`` or ``sh:hasValue``. Anything else raises :class:`~wickgraph.errors.DataError` when the shapes
are compiled, so a new kind of constraint cannot be skipped silently.

``sh:datatype`` checks the lexical form too, as pyshacl does: ``"12x"^^xsd:integer`` and ``"abc"^^xsd:date`` are
not integers and dates. The value is cast to its datatype from its string (``xsd:integer(STR(?v))``), which fails
for an ill-typed form; a datatype without such a cast (:data:`LEXICAL_CHECKS`) is refused at compile time.

A node shape marked ``wgsh:eachGraph true`` is checked on each named graph by itself (``GRAPH ?g { … }``), not
on the default graph's union, and its problems name the graph: the functional properties allow one value per
claim, while two claims may disagree.

>>> checks = compile_shapes(default_ontology_dir() / "shapes.ttl")
>>> len(checks) > 40, all("LIMIT" in c.query for c in checks)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from ..errors import DataError
from ..locations import default_ontology_dir  # noqa: F401  (the doctest's)
from ..namespaces import RDF, XSD, compact
from .checks import LIMIT as _LIMIT
from .checks import Check, Term

__all__ = ["EACH_GRAPH", "LEXICAL_CHECKS", "compile_shapes", "lexical_condition"]

SH = "http://www.w3.org/ns/shacl#"
EACH_GRAPH = "https://w3id.org/wickgraph/shapes#eachGraph"
"""A node shape with ``wgsh:eachGraph true`` is checked on each named graph by itself, not on the union."""
LEXICAL_CHECKS = frozenset(
    XSD + name for name in ("string", "integer", "decimal", "double", "float", "boolean", "date", "dateTime", "gYear")
)
"""Datatypes whose lexical form ``sh:datatype`` checks (SPARQL casts them from a string; ``xsd:string`` needs none)."""
_PROPERTY_KEYS = {
    SH + k
    for k in [
        "path",
        "minCount",
        "maxCount",
        "datatype",
        "class",
        "in",
        "hasValue",
        "pattern",
        "flags",
        "minInclusive",
        "minExclusive",
        "maxInclusive",
        "maxExclusive",
        "lessThan",
        "lessThanOrEquals",
        "disjoint",
        "message",
        "name",
        "description",
    ]
}
_NODE_KEYS = {
    SH + k
    for k in ["targetClass", "targetSubjectsOf", "property", "or", "xone", "and", "message", "name", "description"]
} | {RDF + "type", EACH_GRAPH}


class _Shapes:
    def __init__(self, path: Path) -> None:
        self.triples: dict[Term, dict[str, list[Term]]] = {}
        try:
            quads = list(parse(path=str(path), format=RdfFormat.TURTLE))
        except (SyntaxError, OSError) as exc:
            raise DataError(f"{path}: cannot read the shapes: {exc}") from None
        for q in quads:
            assert not isinstance(q.subject, (Literal,))
            self.triples.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)

    def values(self, node: Term, predicate: str) -> list[Term]:
        return self.triples.get(node, {}).get(SH + predicate, [])

    def one(self, node: Term, predicate: str) -> Term | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head: Term) -> list[Term]:
        out = []
        while isinstance(head, BlankNode):
            first = self.triples[head].get(RDF + "first", [])
            out += first
            head = self.triples[head].get(RDF + "rest", [NamedNode(RDF + "nil")])[0]
        return out

    def node_shapes(self) -> Iterator[Term]:
        for subject, props in self.triples.items():
            if NamedNode(SH + "NodeShape") in props.get(RDF + "type", []):
                yield subject


def _sparql(term: Term) -> str:
    return str(term)


@dataclass(frozen=True, slots=True)
class _Target:
    """The focus nodes of a node shape: instances of classes, subjects of properties; in one graph or the union."""

    classes: tuple[Term, ...]
    subjects_of: tuple[Term, ...]
    each_graph: bool

    def focus(self) -> str:
        """SPARQL that binds ``?f`` to each focus node (once per way it is a target)."""
        parts = []
        if len(self.classes) == 1:
            parts.append(f"{{ ?f a {_sparql(self.classes[0])} . }}")
        elif self.classes:
            parts.append("{ VALUES ?target { " + " ".join(_sparql(t) for t in self.classes) + " } ?f a ?target . }")
        parts += [f"{{ ?f {_sparql(p)} [] . }}" for p in self.subjects_of]
        return parts[0][2:-2] if len(parts) == 1 else " UNION ".join(parts)

    def implied_by(self, path: NamedNode) -> bool:
        """A value of ``path`` makes its subject a focus node: no need to match the target as well."""
        return not self.classes and self.subjects_of == (path,)

    def scoped(self, body: str) -> str:
        return f"GRAPH ?g {{ {body} }}" if self.each_graph else body

    @property
    def head(self) -> str:
        return "?f ?g" if self.each_graph else "?f"


def _select(body: str, *, value: bool, target: _Target | None = None) -> str:
    head = "SELECT DISTINCT " + (target.head if target else "?f") + (" ?v" if value else "")
    return f"{head} WHERE {{ {target.scoped(body) if target else body} }} LIMIT {_LIMIT}"


def lexical_condition(datatype: Term, where: str) -> str:
    """A SPARQL condition true when ``?v``'s lexical form is not valid for ``datatype``."""
    if datatype.value not in LEXICAL_CHECKS:
        raise DataError(
            f"the fast build cannot check the lexical form of sh:datatype {compact(datatype.value)} ({where})"
        )
    if datatype.value == XSD + "string":
        return "false"
    return f"!COALESCE(isLiteral({_sparql(datatype)}(STR(?v))), false)"


def _property_checks(shapes: _Shapes, shape: Term, target: _Target, where: str) -> list[Check]:
    unknown = set(shapes.triples.get(shape, {})) - _PROPERTY_KEYS
    if unknown:
        raise DataError(f"the fast build cannot check {', '.join(sorted(compact(u) for u in unknown))} ({where})")
    path = shapes.one(shape, "path")
    if not isinstance(path, NamedNode):
        raise DataError(f"the fast build checks only single-property paths, not {path} ({where})")
    p = _sparql(path)
    message_term = shapes.one(shape, "message")
    message = message_term.value if message_term is not None else f"breaks the shape {where}"
    focus = target.focus()
    checks: list[Check] = []

    def add(query: str, label: str) -> None:
        checks.append(
            Check(
                query, message, path.value, f"{compact(path.value)} {label}", shape=True, each_graph=target.each_graph
            )
        )

    def select(body: str, *, value: bool) -> str:
        return _select(body, value=value, target=target)

    def counted(body: str, having: str) -> str:
        return (
            f"SELECT {target.head} WHERE {{ {target.scoped(body)} }} GROUP BY {target.head} "
            f"HAVING ({having}) LIMIT {_LIMIT}"
        )

    implied = target.implied_by(path)
    for term in shapes.values(shape, "minCount"):
        n = int(term.value)
        if n == 1:
            add(select(f"{focus} FILTER NOT EXISTS {{ ?f {p} ?any }}", value=False), "minCount")
            checks[-1] = replace(checks[-1], screen_key=p)
        elif n > 1:
            add(counted(f"{focus} OPTIONAL {{ ?f {p} ?x }}", f"COUNT(DISTINCT ?x) < {n}"), "minCount")
    for term in shapes.values(shape, "maxCount"):
        body = f"?f {p} ?x" if implied else f"{focus} ?f {p} ?x"
        add(counted(body, f"COUNT(DISTINCT ?x) > {int(term.value)}"), "maxCount")
    for term in shapes.values(shape, "hasValue"):
        add(select(f"{focus} FILTER NOT EXISTS {{ ?f {p} {_sparql(term)} }}", value=False), "hasValue")
    values = f"?f {p} ?v ." if implied else f"{focus} ?f {p} ?v ."
    for term in shapes.values(shape, "datatype"):
        bad = f"!isLiteral(?v) || DATATYPE(?v) != {_sparql(term)} || {lexical_condition(term, where)}"
        add(select(f"{values} FILTER({bad})", value=True), "datatype")
    for term in shapes.values(shape, "class"):
        add(select(f"{values} FILTER NOT EXISTS {{ ?v a {_sparql(term)} }}", value=True), "class")
        checks[-1] = replace(checks[-1], screen_key=f"{p} {_sparql(term)}")
    for term in shapes.values(shape, "in"):
        allowed = " || ".join(f"sameTerm(?v, {_sparql(t)})" for t in shapes.items(term))
        add(select(f"{values} FILTER(!({allowed}))", value=True), "in")
    for term in shapes.values(shape, "pattern"):
        flags = shapes.one(shape, "flags")
        extra = f", {_sparql(flags)}" if flags is not None else ""
        add(select(f"{values} FILTER(isBlank(?v) || !REGEX(STR(?v), {_sparql(term)}{extra}))", value=True), "pattern")
    for key, op in (("minInclusive", ">="), ("minExclusive", ">"), ("maxInclusive", "<="), ("maxExclusive", "<")):
        for term in shapes.values(shape, key):
            add(select(f"{values} FILTER(!COALESCE(?v {op} {_sparql(term)}, false))", value=True), key)
    for key, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
        for term in shapes.values(shape, key):
            add(
                select(f"{values} ?f {_sparql(term)} ?w . FILTER(!COALESCE(?v {op} ?w, false))", value=True),
                key,
            )
    for term in shapes.values(shape, "disjoint"):
        add(select(f"{values} ?f {_sparql(term)} ?v .", value=True), "disjoint")
    return checks


def _screened(checks: list[Check], target: _Target) -> list[Check]:
    """``checks`` with one :attr:`~wickgraph.building.checks.Check.screen` query for the ``sh:class`` checks of
    ``target`` (the property shapes of one node shape) and one for its ``sh:minCount 1`` checks: each reads the
    target once, with every property in ``VALUES``, and returns the keys of the checks that may fail (measured
    about three times faster than one query each, for the classes, on a generated universe)."""
    classes = [c for c in checks if c.screen_key and c.label.endswith(" class")]
    required = [c for c in checks if c.screen_key and c.label.endswith(" minCount")]
    screens: dict[int, str] = {}
    if classes:
        pairs = " ".join(f"({c.screen_key})" for c in classes)
        body = f"{target.focus()} VALUES (?p ?k) {{ {pairs} }} ?f ?p ?v . FILTER NOT EXISTS {{ ?v a ?k }}"
        query = f"SELECT DISTINCT ?p ?k WHERE {{ {target.scoped(body)} }}"
        screens.update((id(c), query) for c in classes)
    if required:
        paths = " ".join(c.screen_key for c in required)
        body = f"{target.focus()} VALUES ?p {{ {paths} }} FILTER NOT EXISTS {{ ?f ?p ?any }}"
        query = f"SELECT DISTINCT ?p WHERE {{ {target.scoped(body)} }}"
        screens.update((id(c), query) for c in required)
    return [replace(c, screen=screens[id(c)]) if id(c) in screens else c for c in checks]


def _exists(shapes: _Shapes, member: Term, where: str) -> str:
    """A boolean SPARQL expression for a member of sh:or / sh:xone / sh:and."""
    inner_and = shapes.one(member, "and")
    if inner_and is not None:
        return "(" + " && ".join(_exists(shapes, m, where) for m in shapes.items(inner_and)) + ")"
    props = shapes.triples.get(member, {})
    path = shapes.one(member, "path")
    counts = [c.value for c in shapes.values(member, "minCount")]
    value = shapes.one(member, "hasValue")
    if isinstance(path, NamedNode) and set(props) == {SH + "path", SH + "minCount"} and counts == ["1"]:
        return f"EXISTS {{ ?f {_sparql(path)} ?any }}"
    if isinstance(path, NamedNode) and set(props) == {SH + "path", SH + "hasValue"} and value is not None:
        return f"EXISTS {{ ?f {_sparql(path)} {_sparql(value)} }}"
    raise DataError(
        "the fast build checks sh:or / sh:xone / sh:and only over `sh:path P ; sh:minCount 1` and "
        f"`sh:path P ; sh:hasValue V` ({where})"
    )


def compile_shapes(path: Path) -> list[Check]:
    """The checks of a SHACL shapes file (see the module docstring for what is supported)."""
    shapes = _Shapes(path)
    checks: list[Check] = []
    for shape in sorted(shapes.node_shapes(), key=str):
        where = f"shape {shape.value.rsplit('#', 1)[-1] if isinstance(shape, NamedNode) else shape}"
        unknown = set(shapes.triples.get(shape, {})) - _NODE_KEYS
        if unknown:
            raise DataError(f"the fast build cannot check {', '.join(sorted(compact(u) for u in unknown))} ({where})")
        each_graph = [t.value for t in shapes.triples.get(shape, {}).get(EACH_GRAPH, [])]
        if each_graph not in ([], ["true"]):
            raise DataError(f"wgsh:eachGraph is true or absent, not {', '.join(each_graph)} ({where})")
        target = _Target(
            tuple(shapes.values(shape, "targetClass")),
            tuple(shapes.values(shape, "targetSubjectsOf")),
            bool(each_graph),
        )
        if not target.classes and not target.subjects_of:
            continue
        properties: list[Check] = []
        for prop in shapes.values(shape, "property"):
            properties += _property_checks(shapes, prop, target, where)
        checks += _screened(properties, target)
        message_term = shapes.one(shape, "message")
        message = message_term.value if message_term is not None else f"breaks {where}"
        for key in ("or", "xone", "and"):
            for head in shapes.values(shape, key):
                members = [_exists(shapes, m, where) for m in shapes.items(head)]
                if key == "or":
                    condition = " || ".join(members)
                elif key == "and":
                    condition = " && ".join(members)
                else:
                    condition = " + ".join(f"IF({m}, 1, 0)" for m in members) + " = 1"
                checks.append(
                    Check(
                        _select(f"{target.focus()} FILTER(!({condition}))", value=False, target=target),
                        message,
                        None,
                        f"{where} sh:{key}",
                        shape=True,
                        each_graph=target.each_graph,
                    )
                )
    return checks
