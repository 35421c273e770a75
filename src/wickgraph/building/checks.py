"""The rules run as SPARQL on a store, and their problems worded: one engine for the provenance rules
(:mod:`.provenance`, both strategies) and the compiled SHACL shapes (:mod:`.shapes`, the fast strategy).

A :class:`Check` is one SELECT that returns only what breaks a rule: the focus ``?f`` and, when a value is at
fault, ``?v``. A shape's problem reads as the full build words pyshacl's results (``'label' (iri), property p:
message (found v)``); a provenance rule's message is a sentence with the query's variables filled in. With
``files_of`` (a named graph -> its data files) each problem ends with the files to fix, ``[in …]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions
from pyoxigraph import Store as OxStore

from ..errors import DataError
from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, compact, sparql_prologue
from ..terms import display

__all__ = ["DERIVED", "LIMIT", "Check", "Term", "run_checks"]

LIMIT = 20
"""At most this many problems are reported per rule (a broken input can break a rule a million times)."""
DERIVED = "(derived by the build rules)"
"""The files named for a problem no data file states."""

Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True, slots=True)
class Check:
    """One SPARQL query that returns the focus nodes (``?f``, and ``?v`` when a value is at fault) breaking a rule."""

    query: str
    message: str
    """A shape's message; for a provenance rule, a sentence with ``{var}`` for the query's variables."""
    path: str | None
    """The property the rule is about, or ``None`` for a rule about the entity as a whole."""
    label: str
    """Short name of the rule, for progress messages."""
    locate: str | None = None
    """A query (``{f}`` stands for the focus IRI) whose ``?g`` are the graphs whose files the problem names."""
    shape: bool = False
    """A SHACL constraint (worded as the full build words pyshacl's results), not a provenance rule."""
    each_graph: bool = False
    """Checked on each named graph by itself: the query also returns the graph, ``?g``."""
    graphs: tuple[str, ...] = ("g",)
    """A provenance rule's variables that hold the graphs whose files the problem names."""
    screen: str | None = None
    """A query that several checks share (one read of their target instead of one each): each of its rows, its
    terms joined by spaces, is the :attr:`screen_key` of a check that may fail. The others pass without running
    :attr:`query` (which, run only when it may fail, picks and words the problems as ever)."""
    screen_key: str = ""


def run_checks(
    store: OxStore,
    checks: Sequence[Check],
    *,
    progress: Callable[[str], None] = lambda message: None,
    files_of: Callable[[str], Iterable[str]] | None = None,
) -> list[str]:
    """Every problem the checks find on ``store``, one sentence each (at most :data:`LIMIT` per rule, each
    sentence once)."""
    problems: list[str] = []
    prologue = sparql_prologue()
    labels: dict[str, str] = {}

    def name(term: object) -> str:
        if isinstance(term, NamedNode):
            if term.value not in labels:
                rows = store.query(
                    f"SELECT ?l WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ <{term.value}> rdfs:label ?l }} }} LIMIT 1",
                    prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
                )
                assert isinstance(rows, QuerySolutions)
                found = [r[0].value for r in rows if r[0] is not None]
                labels[term.value] = f"'{found[0]}' ({compact(term.value)})" if found else compact(term.value)
            return labels[term.value]
        return display(term)  # type: ignore[arg-type]

    screened: dict[str, set[str]] = {}
    for check in checks:
        progress(f"checking {check.label}")
        if check.screen is not None:
            if check.screen not in screened:
                screened[check.screen] = _screen(store, prologue + check.screen, check.label)
            if check.screen_key not in screened[check.screen]:
                continue
        try:
            result = store.query(prologue + check.query)
        except SyntaxError as exc:  # pragma: no cover - a compiler bug
            raise DataError(f"internal: the check {check.label!r} does not parse: {exc}\n{check.query}") from None
        assert isinstance(result, QuerySolutions)
        variables = [v.value for v in result.variables]
        rows = list(result)
        for row in rows:
            if check.shape:
                text = _shape_problem(store, check, row, variables, name, files_of)
            else:
                text = _rule_problem(store, check, row, variables, files_of)
            if text not in problems:
                problems.append(text)
        if len(rows) == LIMIT:
            problems.append(f"… and possibly more breaking the rule {check.label!r} (only the first {LIMIT} shown)")
    return problems


def _screen(store: OxStore, query: str, label: str) -> set[str]:
    """The rows of a :attr:`Check.screen` query, each as its terms joined by spaces."""
    try:
        result = store.query(query)
    except SyntaxError as exc:  # pragma: no cover - a compiler bug
        raise DataError(f"internal: the screen of {label!r} does not parse: {exc}\n{query}") from None
    assert isinstance(result, QuerySolutions)
    return {" ".join(str(term) for term in row) for row in result}


def _rule_problem(
    store: OxStore,
    check: Check,
    row: object,
    variables: list[str],
    files_of: Callable[[str], Iterable[str]] | None,
) -> str:
    """A provenance rule's sentence: IRIs compacted, literals by their lexical form; then the files."""
    values = {v: row[v] for v in variables}  # type: ignore[index]
    shown = {v: "" if t is None else t.value if isinstance(t, Literal) else compact(t.value) for v, t in values.items()}
    text = check.message.format(**shown)
    if files_of is None:
        return text
    graphs = [values[v].value for v in check.graphs if isinstance(values.get(v), NamedNode)]
    focus = values.get("f")
    if check.locate is not None and isinstance(focus, NamedNode):
        found = store.query(sparql_prologue() + check.locate.replace("{f}", focus.value))
        assert isinstance(found, QuerySolutions)
        graphs += [r["g"].value for r in found if isinstance(r["g"], NamedNode)]
    files = sorted({f for g in graphs for f in files_of(g)})
    return text + f" [in {', '.join(files) or DERIVED}]"


def _shape_problem(
    store: OxStore,
    check: Check,
    row: object,
    variables: list[str],
    name: Callable[[object], str],
    files_of: Callable[[str], Iterable[str]] | None,
) -> str:
    """A shape's problem, in pyshacl's words as the full build gives them."""
    focus = row[0]  # type: ignore[index]
    where = compact(check.path) if check.path else "(the entity as a whole)"
    text = f"{name(focus)}, property {where}: {check.message}"
    value = row["v"] if "v" in variables else None  # type: ignore[index]
    if value is not None and value != focus:
        shown = str(value) if isinstance(value, Literal) else compact(value.value)
        text += f" (found {shown})" if check.path else f" ({shown})"
    graph = row["g"] if check.each_graph and "g" in variables else None  # type: ignore[index]
    if isinstance(graph, NamedNode):
        text += f" (in {compact(graph.value)})"
    if files_of is not None and isinstance(focus, (NamedNode, BlankNode)):
        named = _graphs_of(store, focus, check.path, value if value != focus else None, graph)
        files = sorted({f for g in named for f in files_of(g)})
        text += f" [in {', '.join(files)}]" if files else ""
    return text


def _graphs_of(store: OxStore, focus: Term, path: str | None, value: Term | None, graph: Term | None) -> list[str]:
    """The named graphs a problem is about: the one it was found in, those stating the value at fault, or (for a
    value that is missing) a few that describe the entity."""
    if isinstance(graph, NamedNode):
        return [graph.value]
    predicate = NamedNode(path) if path is not None and value is not None else None
    quads = store.quads_for_pattern(focus, predicate, value if predicate is not None else None)  # type: ignore[arg-type]
    found: list[str] = []
    for quad in quads:
        graph_name = quad.graph_name
        if isinstance(graph_name, NamedNode) and graph_name.value != ONTOLOGY_GRAPH and graph_name.value not in found:
            found.append(graph_name.value)
            if predicate is None and len(found) == 3:
                break
    return found
