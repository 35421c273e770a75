"""Supersession per triple, computed once at build time (both builds), read by every face.

A claim that ``wg:supersedes`` an earlier one retires exactly the triples of the earlier claim it contradicts:

- a triple ``s p o`` whose property is single-valued (``owl:FunctionalProperty`` or
  ``wg:SingleValuedProperty``) when the superseding claim gives ``s p o2`` with another value;
- a triple the superseding claim names with ``wg:retracts [ rdf:subject s ; rdf:predicate p ; rdf:object o ]``
  (without ``rdf:object``: every value of ``s p``);
- a triple the build rules derived (inverse, super-property, direct triple of a qualified node) only from
  retired triples of the same claim.

Supersession is transitive: a correction of a correction retires what the older one contradicts too. Everything
else the earlier claim says stays current. Two claims that give different values of a single-valued property
of the same subject, neither superseding the other, *dispute* each other's triple.

The result is written as records (``wg:Retirement``, ``wg:Dispute``) into **status graphs**, one per date
(``wgg:status/YYYY-MM-DD``, ``wg:visibleFrom`` that date): a record sits in the graph of the first day all the
claims it depends on were visible (a claim is visible from its ``wg:claimDate`` and its source's
``wg:knownSince``, whichever is later). A view "as known on D" includes the status graphs up to D, so the same
records give the status as of any date. A dispute ends (``wg:endedBy``, in the graph of its date) when the
other claim's triple is itself retired. :mod:`wickgraph.status` reads them.

A supersession cycle, or a claim that supersedes itself, is a build error naming the claims and their files
(:func:`wickgraph.building.provenance.supersession_problems`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Triple
from pyoxigraph import Store as OxStore

from ..namespaces import BASE, ENTITIES_GRAPH, ONTOLOGY_GRAPH, RDF, STATUS_GRAPH, WG, XSD, compact
from .parse import ox_select
from .provenance import supersession_links

__all__ = [
    "Asserted",
    "Key",
    "StatusScope",
    "drop_status_graphs",
    "merge_status",
    "scoped_status_quads",
    "snapshot_asserted",
    "status_quads",
    "write_status",
]

_RECORD = BASE + "status/"
_OWL_FUNCTIONAL = "http://www.w3.org/2002/07/owl#FunctionalProperty"

Key = tuple[NamedNode | BlankNode | Triple, NamedNode]
"""A subject and a single-valued property: what a dispute is about."""

Asserted = dict[str, set[Triple]]
"""The triples each claim asserts in the data, before the build rules add what follows from them."""


def drop_status_graphs(store: OxStore) -> int:
    """Remove status graphs the input already holds (a dump of a built store): the build computes them anew from
    the claims. Returns how many were removed."""
    found = [g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(STATUS_GRAPH)]
    for g in found:
        store.remove_graph(g)
    return len(found)


def snapshot_asserted(store: OxStore) -> Asserted:
    """The triples of every claim that takes part in a supersession, as the data state them (call it before the
    build rules run: retiring a triple retires what the rules derive from it alone)."""
    claims = {c for link in supersession_links(store) for c in link}
    return {
        claim: {
            Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, NamedNode(claim))
        }
        for claim in sorted(claims)
    }


@dataclass(frozen=True, slots=True)
class _Retired:
    claim: str
    triple: Triple
    by: str
    basis: str


def _single_valued(store: OxStore) -> set[str]:
    onto = NamedNode(ONTOLOGY_GRAPH)
    types = (NamedNode(_OWL_FUNCTIONAL), NamedNode(WG + "SingleValuedProperty"))
    return {
        q.subject.value
        for t in types
        for q in store.quads_for_pattern(None, NamedNode(RDF + "type"), t, onto)
        if isinstance(q.subject, NamedNode)
    }


class _VisibleFrom:
    """Each claim's first visible day: the later of its claim date and its source's known-since date (looked up
    when first asked, for the few claims a status record rests on; ``None`` for what is not a claim)."""

    def __init__(self, store: OxStore) -> None:
        self._store = store
        self._days: dict[str, str | None] = {}
        self._claim_date = NamedNode(WG + "claimDate")
        self._known_since = NamedNode(WG + "knownSince")

    def __call__(self, claim: str) -> str | None:
        if claim not in self._days:
            day = None
            for q in self._store.quads_for_pattern(NamedNode(claim), self._claim_date, None, None):
                if not isinstance(q.graph_name, NamedNode) or not isinstance(q.object, Literal):
                    continue
                known = [
                    k.object.value
                    for k in self._store.quads_for_pattern(q.graph_name, self._known_since, None, q.graph_name)
                    if isinstance(k.object, Literal)
                ]
                day = max([q.object.value, *known])
            self._days[claim] = day
        return self._days[claim]


def _retractions(store: OxStore) -> dict[str, list[tuple[object, object, object | None]]]:
    rows = ox_select(
        store,
        """SELECT ?c ?s ?p ?o WHERE { GRAPH ?src { ?c wg:retracts ?r . ?r rdf:subject ?s ; rdf:predicate ?p .
             OPTIONAL { ?r rdf:object ?o } } }""",
    )
    found: dict[str, list[tuple[object, object, object | None]]] = defaultdict(list)
    for r in rows:
        found[r["c"].value].append((r["s"], r["p"], r["o"]))
    return found


def _closure(links: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Every claim each claim supersedes, directly or through other claims (the links have no cycle)."""
    direct: dict[str, set[str]] = defaultdict(set)
    for new, old in links:
        direct[new].add(old)
    closed: dict[str, set[str]] = {}

    def reach(claim: str) -> set[str]:
        if claim not in closed:
            closed[claim] = set()
            out: set[str] = set()
            for old in direct.get(claim, ()):
                out.add(old)
                out |= reach(old)
            closed[claim] = out
        return closed[claim]

    for claim in list(direct):
        reach(claim)
    return closed


def _retirements(
    store: OxStore,
    links: list[tuple[str, str]],
    asserted: Asserted,
    ontology_dir: Path,
    single: set[str],
    files_of: Callable[[str], str],
) -> tuple[list[_Retired], list[str]]:
    """What each superseding claim of ``links`` retires, and the problems (a retraction that names nothing, a
    supersession that retires nothing)."""
    from .rules import apply_rules

    retracts = _retractions(store)
    problems: list[str] = []
    retired: list[_Retired] = []
    per_pair: dict[tuple[str, str], set[Triple]] = {}
    closure = _closure(links)
    direct = set(links)
    for new in sorted(closure):
        mine = asserted.get(new, set())
        values: dict[tuple[object, str], set[object]] = defaultdict(set)
        for t in mine:
            if t.predicate.value in single:
                values[(t.subject, t.predicate.value)].add(t.object)
        used = [False] * len(retracts.get(new, []))
        for old in sorted(closure[new]):
            hit: set[Triple] = set()
            for t in asserted.get(old, set()):
                other = values.get((t.subject, t.predicate.value))
                if other and t.object not in other:
                    retired.append(_Retired(old, t, new, "single-valued"))
                    hit.add(t)
                    continue
                for i, (s, p, o) in enumerate(retracts.get(new, [])):
                    if t.subject == s and t.predicate == p and (o is None or t.object == o):
                        used[i] = True
                        retired.append(_Retired(old, t, new, "retracted"))
                        hit.add(t)
                        break
            per_pair[(new, old)] = hit
            if not hit and (new, old) in direct:
                problems.append(
                    f"claim {compact(new)} supersedes {compact(old)} but contradicts none of its triples: give "
                    "the changed value of a single-valued property, or name the retired triples with wg:retracts "
                    f"[in {files_of(new)}]"
                )
        for i, (s, p, o) in enumerate(retracts.get(new, [])):
            if not used[i]:
                what = " ".join(compact(x.value) if isinstance(x, NamedNode) else str(x) for x in (s, p) if x)
                problems.append(
                    f"claim {compact(new)} retracts {what}{'' if o is None else ' ' + str(o)}, which no claim it "
                    f"supersedes asserts [in {files_of(new)}]"
                )
    # What the rules derived from retired triples alone is retired with them: derive again, per pair, from
    # what the older claim keeps, in a scratch store, and retire what is no longer derived.
    pairs = [(new, old, hit) for (new, old), hit in sorted(per_pair.items(), key=lambda x: x[0]) if hit]
    if pairs:
        scratch = OxStore()
        onto = NamedNode(ONTOLOGY_GRAPH)
        scratch.extend(store.quads_for_pattern(None, None, None, onto))
        names = {}
        for n, (new, old, hit) in enumerate(pairs):
            name = NamedNode(f"{_RECORD}scratch/{n}")
            names[(new, old)] = name
            scratch.extend(Quad(t.subject, t.predicate, t.object, name) for t in asserted[old] - hit)
        apply_rules(scratch, ontology_dir)
        for new, old, hit in pairs:
            kept = {
                Triple(q.subject, q.predicate, q.object)
                for q in scratch.quads_for_pattern(None, None, None, names[(new, old)])
            }
            for q in store.quads_for_pattern(None, None, None, NamedNode(old)):
                t = Triple(q.subject, q.predicate, q.object)
                if t not in kept and t not in hit:
                    retired.append(_Retired(old, t, new, "derived"))
    return retired, problems


def _record(*parts: object) -> NamedNode:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]
    return NamedNode(_RECORD + digest)


def status_quads(
    store: OxStore,
    asserted: Asserted,
    ontology_dir: Path,
    files_of: Callable[[str], str] = lambda iri: "(unknown file)",
) -> tuple[list[Quad], list[str]]:
    """The status records of every claim's triples (retirements, disputes and their ends), in their status
    graphs, and the problems found: a supersession that retires nothing, a retraction that names nothing (each
    with its files, ``files_of(iri)``). Call it after the rules and the checks."""
    single = _single_valued(store)
    links = supersession_links(store)
    keys: list[Key] = []
    # Disputes: different values of a single-valued property of one subject, in claims not linked by
    # supersession. The subjects with more than one value are found by the store (an aggregate per property, in
    # Rust), and only their triples are read.
    for p in sorted(single):
        rows = store.query(
            f"""SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{p}> ?o }} FILTER(?g != <{ENTITIES_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>) }}
                GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > 1)"""
        )
        assert isinstance(rows, QuerySolutions)
        keys += [(row["s"], NamedNode(p)) for row in rows]
    quads, problems = _status_of(store, links, keys, asserted, ontology_dir, single, files_of)
    return quads + _headers({q.graph_name for q in quads}), problems


@dataclass(frozen=True, slots=True)
class StatusScope:
    """The part of the status an incremental build computes again (:func:`scoped_status_quads`); the rest of the
    previous generation's records is kept (:func:`merge_status`). Why that is enough:
    :func:`wickgraph.building.scoping.status_scope`."""

    claims: frozenset[str]
    """Superseding claims whose retirements are computed again: whole components of the supersession links."""
    keys: frozenset[Key]
    """``(subject, property)`` pairs whose disputes are computed again (those of other properties are ignored)."""


def scoped_status_quads(
    store: OxStore,
    asserted: Asserted,
    ontology_dir: Path,
    scope: StatusScope,
    files_of: Callable[[str], str] = lambda iri: "(unknown file)",
    links: list[tuple[str, str]] | None = None,
) -> tuple[list[Quad], list[str], StatusScope]:
    """:func:`status_quads` for ``scope`` only (no status graph headers): the retirements by the claims of
    ``scope`` and the disputes of its keys. A dispute reads the retirements of every claim that states one of
    its values, so the claims of those disputes, with their components, join the scope returned (the records
    :func:`merge_status` replaces); their records come out as before. ``asserted`` needs the triples of the
    claims of that scope. ``links``: the store's supersession links, when read already."""
    single = _single_valued(store)
    links = supersession_links(store) if links is None else links
    keys = sorted((k for k in scope.keys if k[1].value in single), key=str)
    stating: set[str] = set()
    for subject, prop in keys:
        stating |= {
            q.graph_name.value
            for q in store.quads_for_pattern(subject, prop, None, None)
            if isinstance(q.graph_name, NamedNode)
        }
    claims = component_of(links, set(scope.claims) | stating)
    mine = [(new, old) for new, old in links if new in claims]
    quads, problems = _status_of(store, mine, keys, asserted, ontology_dir, single, files_of)
    return quads, problems, StatusScope(frozenset(claims), frozenset(keys))


def component_of(links: list[tuple[str, str]], claims: set[str]) -> set[str]:
    """``claims`` with every claim linked to one of them by supersession links, either way, through any number of
    links (their weakly connected components).

    >>> sorted(component_of([("b", "a"), ("c", "b"), ("y", "x")], {"a"}))
    ['a', 'b', 'c']
    """
    near: dict[str, set[str]] = defaultdict(set)
    for new, old in links:
        near[new].add(old)
        near[old].add(new)
    found = set(claims)
    todo = list(claims)
    while todo:
        for other in near.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def _status_of(
    store: OxStore,
    links: list[tuple[str, str]],
    keys: list[Key],
    asserted: Asserted,
    ontology_dir: Path,
    single: set[str],
    files_of: Callable[[str], str],
) -> tuple[list[Quad], list[str]]:
    """The retirement records of ``links``' superseding claims and the dispute records of ``keys`` (a subject and
    a single-valued property), without the status graphs' headers; and the problems."""
    retired, problems = _retirements(store, links, asserted, ontology_dir, single, files_of)
    visible = _VisibleFrom(store)

    def seen(*claims: str) -> str:
        return max(visible(c) or "" for c in claims)

    quads: list[Quad] = []
    rdf_s, rdf_p, rdf_o = NamedNode(RDF + "subject"), NamedNode(RDF + "predicate"), NamedNode(RDF + "object")
    a = NamedNode(RDF + "type")

    def graph(day: str) -> NamedNode:
        return NamedNode(STATUS_GRAPH + day)

    def describe(node: NamedNode, claim: str, t: Triple, g: NamedNode) -> None:
        quads.extend(
            [
                Quad(node, rdf_s, t.subject, g),
                Quad(node, rdf_p, t.predicate, g),
                Quad(node, rdf_o, t.object, g),
            ]
        )

    retired_by: dict[tuple[str, Triple], list[str]] = defaultdict(list)
    for r in retired:
        if r.by in retired_by[(r.claim, r.triple)]:
            continue
        retired_by[(r.claim, r.triple)].append(r.by)
        g = graph(seen(r.by, r.claim))
        node = _record("retired", r.claim, r.triple, r.by)
        quads.extend(
            [
                Quad(node, a, NamedNode(WG + "Retirement"), g),
                Quad(node, NamedNode(WG + "retiredClaim"), NamedNode(r.claim), g),
                Quad(node, NamedNode(WG + "retiredBy"), NamedNode(r.by), g),
                Quad(node, NamedNode(WG + "retirementBasis"), Literal(r.basis), g),
            ]
        )
        describe(node, r.claim, r.triple, g)
    for subject, prop in keys:
        by_claim: dict[str, set[Triple]] = defaultdict(set)
        for q in store.quads_for_pattern(subject, prop, None, None):
            if isinstance(q.graph_name, NamedNode) and visible(q.graph_name.value) is not None:
                by_claim[q.graph_name.value].add(Triple(q.subject, q.predicate, q.object))
        _disputes(by_claim, retired_by, seen, graph, describe, quads)
    return quads, problems


def _headers(graphs: Iterable[object]) -> list[Quad]:
    """Each status graph's own description: its type and the day it is visible from."""
    a = NamedNode(RDF + "type")
    quads: list[Quad] = []
    for g in sorted({g for g in graphs if isinstance(g, NamedNode)}, key=lambda g: g.value):
        day = g.value[len(STATUS_GRAPH) :]
        quads.append(Quad(g, a, NamedNode(WG + "StatusGraph"), g))
        quads.append(Quad(g, NamedNode(WG + "visibleFrom"), Literal(day, datatype=NamedNode(XSD + "date")), g))
    return quads


def merge_status(old: Iterable[Quad], new: list[Quad], scope: StatusScope) -> list[Quad]:
    """The status of an incremental build: the previous generation's records (``old``, with their status graphs'
    headers) but the retirements by a claim of ``scope`` and the disputes of its keys, with the ``new`` ones
    (:func:`scoped_status_quads`), and the headers of the status graphs that then hold a record."""
    a = NamedNode(RDF + "type")
    retirement, dispute = NamedNode(WG + "Retirement"), NamedNode(WG + "Dispute")
    retired_by, rdf_s, rdf_p = NamedNode(WG + "retiredBy"), NamedNode(RDF + "subject"), NamedNode(RDF + "predicate")
    nodes: dict[object, list[Quad]] = defaultdict(list)
    for q in old:
        if q.subject != q.graph_name:  # a header's subject is its graph
            nodes[q.subject].append(q)
    records: list[Quad] = []
    for quads in nodes.values():
        kinds = {q.object for q in quads if q.predicate == a}
        by = {q.object.value for q in quads if q.predicate == retired_by and isinstance(q.object, NamedNode)}
        about = {(q.object, p.object) for q in quads if q.predicate == rdf_s for p in quads if p.predicate == rdf_p}
        if retirement in kinds and by & scope.claims:
            continue
        if dispute in kinds and about & scope.keys:
            continue
        records += quads
    records += [q for q in new if q.subject != q.graph_name]
    return records + _headers({q.graph_name for q in records})


def _disputes(
    by_claim: dict[str, set[Triple]],
    retired_by: dict[tuple[str, Triple], list[str]],
    seen: Callable[..., str],
    graph: Callable[[str], NamedNode],
    describe: Callable[[NamedNode, str, Triple, NamedNode], None],
    quads: list[Quad],
) -> None:
    """The dispute records of one subject and single-valued property, given its triples claim by claim."""
    a = NamedNode(RDF + "type")
    for claim_a, triples_a in sorted(by_claim.items()):
        for claim_b, triples_b in sorted(by_claim.items()):
            if claim_a == claim_b:
                continue
            for ta in triples_a:
                for tb in triples_b:
                    if ta.object == tb.object:
                        continue
                    if claim_b in retired_by.get((claim_a, ta), ()) or claim_a in retired_by.get((claim_b, tb), ()):
                        continue
                    day = seen(claim_a, claim_b)
                    g = graph(day)
                    node = _record("dispute", claim_a, ta, claim_b, tb)
                    quads.extend(
                        [
                            Quad(node, a, NamedNode(WG + "Dispute"), g),
                            Quad(node, NamedNode(WG + "disputedClaim"), NamedNode(claim_a), g),
                            Quad(node, NamedNode(WG + "disputedBy"), NamedNode(claim_b), g),
                            Quad(node, NamedNode(WG + "otherValue"), tb.object, g),
                        ]
                    )
                    describe(node, claim_a, ta, g)
                    for ender in retired_by.get((claim_b, tb), ()):
                        quads.append(
                            Quad(
                                node, NamedNode(WG + "endedBy"), NamedNode(ender), graph(seen(claim_a, claim_b, ender))
                            )
                        )


def write_status(store: OxStore, quads: list[Quad]) -> int:
    """Add the status records to their graphs and to the default graph (every record is visible in the whole
    graph; a view "as of" a date sees the status graphs up to it). Returns the number of records' quads."""
    default = DefaultGraph()
    store.extend(quads)
    store.extend([Quad(q.subject, q.predicate, q.object, default) for q in quads])
    return len(quads)
