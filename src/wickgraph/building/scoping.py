"""Where the incremental build (:mod:`.incremental`) may work on what changed only, and why that is enough: the
locality proofs, each next to the scoped form it justifies.

- the build rules: :func:`local_operation` (a rule that stays inside one graph, run on the scratch store) and
  :func:`cross_graph_rules` (the others, each with the variable it is scoped by), run again for what changed by
  :func:`derive_scoped`; :func:`registry_derived` finds what they wrote into the registry graph before;
- the checks: :class:`Changed` (what changed, and why a new problem must touch it), :data:`PROVENANCE_SCOPE`
  (the provenance rules' scoping variables), :func:`shape_scope` (the compiled shapes' focus nodes),
  :func:`neighbourhood` (the small store a scoped check reads), run by :func:`checks_on`;
- the claims' status: :func:`status_scope` (the superseding claims and the disputed values to compute again);
- :func:`scoped_query`: a query with a ``VALUES`` list first in its innermost ``WHERE`` group;
- :data:`compare_scopes`: the switch that runs every check both scoped and on the whole store, and fails when
  they differ (the test of the proofs).
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, Triple
from pyoxigraph import Store as OxStore

from ..errors import DataError
from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, RDF, WG, WGD
from ..sparql_templates import VAR
from .checks import Check
from .derive import Operation

if TYPE_CHECKING:
    from .supersession import Key, StatusScope

__all__ = [
    "GRAPH_NEIGHBOURHOOD",
    "PROVENANCE_BY_PREDICATE",
    "PROVENANCE_PREFIX",
    "PROVENANCE_SCOPE",
    "Changed",
    "checks_on",
    "compare_scopes",
    "cross_graph_rules",
    "derive_scoped",
    "local_operation",
    "neighbourhood",
    "registry_derived",
    "scoped_query",
    "shape_scope",
    "status_scope",
]


_GRAPH_CLAUSE = re.compile(r"\bGRAPH\s+(\S+)", re.IGNORECASE)


def local_operation(op: Operation) -> bool:
    """Whether a rule operation stays inside one graph: it writes into one graph variable and its pattern reads
    only that graph and the ontology graph. Such a rule gives the same quads on any store that holds the graph
    and the ontology; the others (the registry's performance labels and name keys, an inferred claim's date)
    run on the whole store."""
    written = {q.graph_name for q in op.template}
    if len(written) != 1:
        return False
    graph = next(iter(written))
    if not isinstance(graph, NamedNode) or not graph.value.startswith(VAR):
        return False
    variable = "?" + graph.value[len(VAR) :]
    ontology = {f"<{ONTOLOGY_GRAPH}>", "wgg:ontology", variable}
    read = _GRAPH_CLAUSE.findall(op.where)
    return bool(read) and all(term in ontology for term in read) and "SELECT" not in op.where.upper()


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def scoped_query(query: str, variable: str, iris: Iterable[str]) -> str:
    """``query`` with ``VALUES ?variable { <iri> … }`` first in its last ``WHERE`` group: a subquery's when it
    has one (the innermost, where the engine binds it before grouping), else the query's own.

    >>> scoped_query("SELECT ?f WHERE { ?f ?p ?o }", "f", ["http://e/a"])
    'SELECT ?f WHERE { VALUES ?f { <http://e/a> } ?f ?p ?o }'
    """
    found = list(_WHERE.finditer(query))
    if not found:
        raise DataError(f"internal: no WHERE group to scope: {query[:80]}")
    at = found[-1].end()
    listed = " ".join(f"<{iri}>" for iri in sorted(iris))
    return f"{query[:at]} VALUES ?{variable} {{ {listed} }}{query[at:]}"


def registry_derived(disk: OxStore, scratch: OxStore, subjects: set[NamedNode] | None) -> list[Quad]:
    """The quads of the registry graph in ``disk`` that the rules reading across graphs derived (a performance's
    label, the name keys), of ``subjects`` (``None``: of every subject). The registry file is unchanged (else the
    build is a full one), and the scratch store holds it with what the rules that stay in one graph derive from
    it: what ``disk`` holds beyond that, the cross-graph rules wrote, and they run again for these subjects."""
    entities = NamedNode(ENTITIES_GRAPH)
    if subjects is None:
        base = set(scratch.quads_for_pattern(None, None, None, entities))
        return [q for q in disk.quads_for_pattern(None, None, None, entities) if q not in base]
    found: list[Quad] = []
    for subject in subjects:
        base = set(scratch.quads_for_pattern(subject, None, None, entities))
        found += [q for q in disk.quads_for_pattern(subject, None, None, entities) if q not in base]
    return found


def cross_graph_rules(ontology: Path) -> list[tuple[Operation, str, bool]] | None:
    """The rules that read across graphs (those :func:`local_operation` refuses), in their order, each with the
    variable :func:`derive_scoped` binds and whether it is the graph written (else the subject written); or
    ``None`` when one has neither form (a template with more than one graph or subject, or constants there):
    a new kind of rule needs its own proof first, and the build is a full one till then."""
    from .derive import operations
    from .rules import rule_files

    found: list[tuple[Operation, str, bool]] = []
    for path in rule_files(ontology):
        for op in operations(path.read_text(encoding="utf-8"), path.name):
            if local_operation(op):
                continue
            written = {q.graph_name for q in op.template}
            subjects = {q.subject for q in op.template}
            graph = next(iter(written)) if len(written) == 1 else None
            subject = next(iter(subjects)) if len(subjects) == 1 else None
            if not isinstance(graph, NamedNode):
                return None
            if graph.value.startswith(VAR):
                found.append((op, graph.value[len(VAR) :], True))
            elif isinstance(subject, NamedNode) and subject.value.startswith(VAR):
                found.append((op, subject.value[len(VAR) :], False))
            else:
                return None
    return found


def derive_scoped(
    store: OxStore,
    rules: list[tuple[Operation, str, bool]],
    graphs: set[str],
    subjects: set[str],
    add: Callable[[list[Quad]], object] | None = None,
) -> list[Quad]:
    """The quads the rules that read across graphs (:func:`cross_graph_rules`) derive for what changed, each
    rule scoped with ``VALUES``, in their order (each sees what the ones before wrote):

    - a rule that writes into the graph it reads (``GRAPH ?src``: an inferred claim's date) runs for the rebuilt
      ``graphs`` only. Its quads for another graph are in the copy already and still right: a claim whose
      premise sits in a rebuilt graph has its own graph rebuilt too (:func:`fill_incremental` adds it);
    - a rule that writes a fixed graph (the registry: a performance's label, the name keys) runs for the
      ``subjects`` of the rebuilt graphs' triples, before and after (whose derived registry quads were removed).
      Its quads for another subject are still right: a performance's label reads only the performance's own
      ``wg:actor`` and ``wg:work`` triples (in graphs not rebuilt, so unchanged) and the registry's labels (the
      registry file is unchanged); a name key reads only its subject's labels in the registry.

    Each rule's quads are written with ``add`` (``store.extend`` when not given)."""
    from ..store.construct import fill_template

    found: list[Quad] = []
    for op, variable, by_graph in rules:
        values = graphs if by_graph else subjects
        if not values:
            continue
        result = store.query(scoped_query(op.select, variable, values))
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        quads = [Quad(s, p, o, g) for s, p, o, g in fill_template(op.template, names, result)]
        (add or store.extend)(quads)
        found += quads
    return found


PROVENANCE_SCOPE: dict[str, tuple[str, ...]] = {
    "graphs have a role": ("f",),
    "records in source graphs": ("f", "g"),
    "one record per claim": ("f",),
    "records have graphs": ("f",),
    "subjects registered": ("f",),
    "objects registered": ("f",),
    "supersedes earlier claims": ("f", "v", "t"),
    "date windows": ("f",),
    "supersedes claims": ("f", "v"),
}
"""For each provenance rule (:func:`~.provenance.provenance_checks`, by label), variables that meet every
quad pattern of its query, and the graph of every pattern that asks ``GRAPH ?x {}`` (a graph that exists) or
``NOT EXISTS { GRAPH ?x { ?s ?p ?o } }`` (an empty one): each pattern holds one of them as its subject, object
or graph. A quad that differs binds that variable to one of its IRIs, which :class:`Changed` lists. Rule by
rule (``GRAPH ?g { s p o }`` read as the quad pattern ``s p o ?g``):

- graphs have a role: ``?f`` is the graph (it exists) and the subject of the ``wg:Source`` and ``wg:Claim``
  patterns;
- records in source graphs: ``?f`` is the subject of the record, ``?g`` of the ``?g a wg:Source`` pattern
  (the record's own graph);
- one record per claim, records have graphs: ``?f`` is the subject of the records and the graph that must not
  be empty;
- subjects registered, objects registered: ``?f`` is the subject (the object) of the use, the subject of the
  registry's label and of ``wg:Performance``;
- supersedes earlier claims: ``?f`` is the subject of the link and of its date, ``?v`` of the older claim's
  date, ``?t`` of the ``wg:notBefore`` of the graph that holds that date;
- date windows: every pattern has ``?f`` for subject;
- supersedes claims: ``?f`` is the subject of the link, ``?v`` of ``?v a wg:Claim``.

A rule not listed runs on the whole store."""

PROVENANCE_BY_PREDICATE: dict[tuple[str, str], str] = {("supersedes earlier claims", "t"): WG + "notBefore"}
"""Scoping variables of :data:`PROVENANCE_SCOPE` that meet only one pattern the rule's other variables do not,
``?x <p> …`` with ``?x`` for subject: their ``VALUES`` list holds only the subjects of the quads that differ
with that predicate (:attr:`Changed.subjects_of`), most often none (the rule then runs for the others only).
``?t`` of "supersedes earlier claims" meets ``?t wg:notBefore ?oldNotBefore`` and ``?v wg:claimDate …`` in
``GRAPH ?t``, which ``?v`` meets; bound to every changed IRI it made the engine read every supersession link
(a pass over them for each build, whatever the list)."""

PROVENANCE_PREFIX: dict[str, str] = {"subjects registered": WGD, "objects registered": WGD}
"""Provenance rules whose query keeps only IRIs with this prefix for ``?f`` (``STRSTARTS(STR(?f), …)``: only the
universe's own IRIs must be registered): their ``VALUES`` list holds only the changed terms with it. The
others (classes, properties, claims, sources) would each be looked up in every quad that uses them as an
object, a hundred thousand for ``wg:Claim`` at 1M, to be dropped by that filter."""

_PATTERN_SUBJECT = re.compile(r"[{.]\s*(\?\w+)\s+(\S+)")


def shape_scope(query: str) -> frozenset[str] | None:
    """Whether a compiled shape query (:mod:`.shapes`) can be scoped to focus nodes: every triple pattern in it
    has the focus ``?f`` for subject, but ``?v a C`` (``sh:class``), where ``?v`` is a value of ``?f`` by a
    property ``<p>``. Returns those properties (their values' types are read), or ``None`` when it cannot be.

    >>> sorted(shape_scope("SELECT ?f WHERE { ?f <http://e/p> ?v . FILTER NOT EXISTS { ?v a <http://e/C> } }"))
    ['http://e/p']
    >>> shape_scope("SELECT ?f WHERE { ?f <http://e/p> ?x . ?x <http://e/q> ?v }") is None
    True
    """
    if "?f" not in query:
        return None
    paths: set[str] = set()
    for variable, predicate in _PATTERN_SUBJECT.findall(query):
        if variable == "?f":
            continue
        reached = re.findall(r"\?f\s+<([^>]*)>\s+\?v\b", query)
        if variable == "?v" and predicate == "a" and reached:
            paths |= set(reached)
            continue
        return None
    return frozenset(paths)


@dataclass(frozen=True, slots=True)
class Changed:
    """What an incremental build changed, as the scoped checks need it (:func:`checks_on`).

    ``terms``: the IRIs of the quads that differ (``diff``: a rebuilt graph's quads that were not there before or
    are gone, the registry quads derived differently; most of a rebuilt graph comes out as it was): subjects,
    predicates, objects and graph names. Why that is enough for a provenance rule. The previous generation
    passed every rule (it was published by a build that ran them, with the same ontology and rules), so a
    violation the new store has is new: its solution did not exist before, or a ``NOT EXISTS`` that blocked it
    then no longer does. Either way some quad pattern of the query, with that solution's bindings, matches a
    quad now that it did not match before, or no longer matches one it matched: that quad is a quad that
    differs (the named graphs the rules read changed in nothing else; the default graph and the reifiers are not
    read by them, ``GRAPH`` reads named graphs only). Where the pattern is ``GRAPH ?x {}`` or an empty-graph
    ``NOT EXISTS``, the graph ``?x`` gained its first quad or lost its last, a quad that differs with ``?x`` for
    graph name. :data:`PROVENANCE_SCOPE` lists for each rule variables that sit in every such pattern, as
    subject, object or graph; the quad binds that variable to one of its IRIs, so a ``VALUES`` list of ``terms``
    on that variable keeps the solution. (Before, ``terms`` held every IRI of every quad of a rebuilt graph,
    tens of thousands at 1M for a one-file edit; the quads that differ name a few.)

    ``focus``: the subjects of the quads that differ and the graphs they sit in (the claims whose reifiers are
    written again), and every subject with a value whose types changed. A compiled shape's rows for a focus
    node read only the quads with it for subject (in the default graph, or per graph) and its values' types
    (:func:`shape_scope`): they change only when one of those quads does, so a violation is new only for these
    nodes. Both rest on the previous generation having passed every check."""

    terms: frozenset[str]
    focus: frozenset[str]
    subjects_of: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    """For each predicate, the IRI subjects of the quads that differ with it (:data:`PROVENANCE_BY_PREDICATE`)."""

    @staticmethod
    def of(store: OxStore, diff: set[Quad]) -> Changed:
        terms: set[str] = set()
        subjects_of: dict[str, set[str]] = {}
        for q in diff:
            for term in (q.subject, q.predicate, q.object, q.graph_name):
                if isinstance(term, NamedNode):
                    terms.add(term.value)
            if isinstance(q.subject, NamedNode):
                subjects_of.setdefault(q.predicate.value, set()).add(q.subject.value)
        focus: set[str] = set()
        a = NamedNode(RDF + "type")
        for q in diff:
            for node in (q.subject, q.graph_name):
                if isinstance(node, NamedNode):
                    focus.add(node.value)
            if q.predicate == a and isinstance(q.subject, NamedNode):
                for r in store.quads_for_pattern(None, None, q.subject, DefaultGraph()):
                    if isinstance(r.subject, NamedNode):
                        focus.add(r.subject.value)
        return Changed(frozenset(terms), frozenset(focus), {p: frozenset(v) for p, v in subjects_of.items()})


compare_scopes = os.environ.get("WICKGRAPH_COMPARE_SCOPES") == "1"
"""Run every check both scoped and on the whole store, and fail (``DataError``) when they find different
problems: the test of the scopes (set by the tests, or by the environment variable ``WICKGRAPH_COMPARE_SCOPES=1``)."""


def checks_on(
    store: OxStore,
    changed: Changed | None,
    checks: list[Check],
    files_of: Callable[[str], Iterable[str]],
    progress: Callable[[str], None],
    what: str,
) -> list[str]:
    """The problems ``checks`` find on ``store``: each scoped to what ``changed`` when it can be (see
    :class:`Changed`), else on the whole store (every check with ``changed=None``)."""
    from .checks import run_checks

    progress(f"checking {what} (SPARQL{', on what changed' if changed is not None else ''})")
    problems: list[str] = []
    around: dict[str, OxStore] = {}
    scopes = [shape_scope(check.query) if check.shape else None for check in checks]
    class_paths: frozenset[str] | None = None
    if all(scope is not None for scope, check in zip(scopes, checks, strict=True) if check.shape):
        class_paths = frozenset().union(*(scope for scope in scopes if scope is not None))
    for check in checks:
        progress(f"checking {check.label}")
        scope: tuple[tuple[str, frozenset[str]], ...] | None = None
        on = store
        if changed is not None and check.shape and class_paths is not None:
            scope = (("f", changed.focus),)
            if "focus" not in around:
                around["focus"] = neighbourhood(store, changed.focus, class_paths)
            on = around["focus"]
        elif changed is not None and check.label in PROVENANCE_SCOPE:
            prefix = PROVENANCE_PREFIX.get(check.label, "")
            terms = frozenset(t for t in changed.terms if t.startswith(prefix))
            scope = tuple((n, _narrowed(changed, check.label, n, terms)) for n in PROVENANCE_SCOPE[check.label])
            if check.label in GRAPH_NEIGHBOURHOOD:
                if "graphs" not in around:
                    around["graphs"] = neighbourhood(store, changed.terms, frozenset(), graphs=True)
                on = around["graphs"]
        whole = run_checks(store, [check], files_of=files_of) if scope is None or compare_scopes else []
        found = whole
        if scope is not None:
            found = []
            for variable, values in scope:
                if values:
                    narrowed = dataclasses.replace(check, query=scoped_query(check.query, variable, values))
                    found += [p for p in run_checks(on, [narrowed], files_of=files_of) if p not in found]
            if compare_scopes and not _same_problems(check.label, whole, found):
                raise DataError(
                    f"internal: the check {check.label!r} scoped to what changed found {found}, on the whole "
                    f"store {whole}"
                )
        problems += [p for p in found if p not in problems]
    return problems


def _narrowed(changed: Changed, label: str, variable: str, terms: frozenset[str]) -> frozenset[str]:
    """The ``VALUES`` list of a provenance rule's scoping variable (:data:`PROVENANCE_BY_PREDICATE`)."""
    predicate = PROVENANCE_BY_PREDICATE.get((label, variable))
    return terms if predicate is None else changed.subjects_of.get(predicate, frozenset())


GRAPH_NEIGHBOURHOOD = frozenset(
    {"graphs have a role", "records in source graphs", "one record per claim", "records have graphs"}
)
"""The provenance rules whose scoped query runs on :func:`neighbourhood` with ``graphs=True`` (on the whole
store the engine joins a long ``VALUES`` list with every claim, one by one): their patterns read only the
``rdf:type`` quads of the focus, those of the graphs they sit in, whether the graph the focus names is empty,
and (``?g`` of "records in source graphs") the claim records in the graph the focus names."""


def neighbourhood(
    store: OxStore, nodes: Iterable[str], class_paths: frozenset[str], *, graphs: bool = False
) -> OxStore:
    """A store in memory with what a check scoped to ``nodes`` reads of ``store``. For the shapes: every quad
    with one of them for subject (in every graph) and the ``rdf:type`` quads of their values by the
    ``class_paths`` (``sh:class``); a compiled shape's patterns read only these (:func:`shape_scope`). With
    ``graphs``, for :data:`GRAPH_NEIGHBOURHOOD`: their ``rdf:type`` quads, those of the graphs these sit in, one
    quad of each graph one of them names (whether it is empty) and the ``wg:Claim`` records in it. A check gives
    the same rows for these focus nodes here as on ``store``, and the same words (a problem's labels and files
    are looked up from the focus's quads)."""
    a, claim = NamedNode(RDF + "type"), NamedNode(WG + "Claim")
    found: list[Quad] = []
    for iri in nodes:
        node = NamedNode(iri)
        if graphs:
            found += store.quads_for_pattern(node, a, None, None)
            found += itertools.islice(store.quads_for_pattern(None, None, None, node), 1)
            found += store.quads_for_pattern(None, a, claim, node)
        else:
            found += store.quads_for_pattern(node, None, None, None)
    if graphs:
        named = {q.graph_name.value for q in found if isinstance(q.graph_name, NamedNode)} - set(nodes)
        found += [q for g in named for q in store.quads_for_pattern(NamedNode(g), a, None, None)]
    values = {q.object for q in found if isinstance(q.object, NamedNode) and q.predicate.value in class_paths}
    found += [q for value in values for q in store.quads_for_pattern(value, a, None, None)]
    small = OxStore()
    small.extend(found)
    return small


def _same_problems(label: str, whole: list[str], scoped: list[str]) -> bool:
    """Whether a check found the same problems on the whole store and scoped: the same ones, or (when either
    stopped at :data:`~.checks.LIMIT`) both stopped."""
    from .checks import LIMIT

    more = f"… and possibly more breaking the rule {label!r} (only the first {LIMIT} shown)"
    if more in whole or more in scoped:
        return more in whole and more in scoped
    return set(whole) == set(scoped)


def status_scope(
    store: OxStore, links: list[tuple[str, str]], touched: set[str], removed: set[Triple], added: set[Triple]
) -> StatusScope:
    """What of the claims' status (:mod:`.supersession`) an incremental build computes again; the previous
    generation's other records stay (:func:`~.supersession.merge_status`). ``store`` is the new generation,
    ``links`` its supersession links, ``touched`` the claims of the rebuilt graphs and those recorded there,
    ``removed`` and ``added`` the rebuilt graphs' triples before and after.

    Why that is enough. The previous records were computed by :func:`~.supersession.status_quads` from the
    previous store (with the same ontology and rules). Of what they read, only the rebuilt graphs changed (the
    registry graph's derived quads are not read: a claim is a graph with a ``wg:claimDate``):

    - the retirements by a claim ``n`` read ``n``'s asserted triples and ``wg:retracts``, the claims ``n``
      supersedes through the links (their asserted triples and the quads of their graphs), and the first visible
      day of each (its ``wg:claimDate``, and the ``wg:knownSince`` of the graph that holds that date). A claim whose
      graph was rebuilt is ``touched``; a ``wg:claimDate``, ``wg:retracts`` or ``wg:supersedes`` triple that
      changed sits in a rebuilt graph, whose triples are all in ``removed`` and ``added`` (a ``wg:knownSince``
      that changed rebuilt its graph, whose dates are then among them too): so the seeds are ``touched`` and the
      subjects (and superseded objects) of those triples. A link that changed has its ends among the seeds, so
      whatever ``n`` reaches through the links, before or after, is in ``n``'s component now when it reaches a
      seed (the first changed link on a path is reached through unchanged ones). The retirements of every claim
      in the seeds' components (weakly connected, :func:`~.supersession.component_of`) are computed again; a
      component without a seed reads nothing that changed.
    - a dispute of a subject ``s`` and a single-valued property ``p`` reads the ``s p ?o`` triples of every claim
      graph, the first visible days of those claims, and what they retire (the components above). It changes
      only when an ``s p ?o`` triple changed (a key of ``removed`` or ``added``) or one of those claims is in a
      recomputed component (a key of a triple of its graph, read here for the claims not ``touched``);
      :func:`~.supersession.scoped_status_quads` adds the claims of these keys and their components, whose
      retirements the disputes read (they come out as before).

    A problem the status finds (a supersession that retires nothing, a retraction that names nothing) belongs to
    a superseding claim's component, so one outside the scope was there before, and that build failed.
    ``WICKGRAPH_COMPARE_SCOPES=1`` (:data:`compare_scopes`) computes the status of the whole store too and fails
    when the two differ."""
    from .supersession import StatusScope, component_of

    moved = {NamedNode(WG + "claimDate"), NamedNode(WG + "retracts"), NamedNode(WG + "supersedes")}
    supersedes = NamedNode(WG + "supersedes")
    seeds = set(touched)
    keys: set[Key] = set()
    for t in removed | added:
        keys.add((t.subject, t.predicate))
        if t.predicate in moved and isinstance(t.subject, NamedNode):
            seeds.add(t.subject.value)
        if t.predicate == supersedes and isinstance(t.object, NamedNode):
            seeds.add(t.object.value)
    claims = component_of(links, seeds)
    for claim in sorted(claims - touched):
        keys |= {(q.subject, q.predicate) for q in store.quads_for_pattern(None, None, None, NamedNode(claim))}
    return StatusScope(frozenset(claims), frozenset(keys))
