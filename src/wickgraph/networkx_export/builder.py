"""The export's builder: accumulates nodes, attributes and edges (with their claims' provenance) from quads, then
fills a :class:`networkx.MultiDiGraph` directly."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Triple

from ..namespaces import compact
from ..status import CURRENT, SUPERSEDED, ClaimStatuses, combine
from ..terms import to_python
from .vocabulary import (
    WG_PREFIX,
    ClaimInfo,
    Scalar,
    Vocabulary,
    local_name,
    node_id,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["FACTS", "ONTOLOGY", "REGISTRY", "SOURCE", "SUPERSEDED_SUFFIX", "Builder"]


REGISTRY = "registry"
ONTOLOGY = "ontology"
SOURCE = "source"
FACTS = "facts"


class Builder:
    """Accumulates nodes and edges from triples, then makes the MultiDiGraph."""

    def __init__(self, vocab: Vocabulary, claims: dict[str, ClaimInfo], *, ontology: bool, aliases: bool) -> None:
        self.vocab = vocab
        self.claims = claims
        self.ontology = ontology
        self.aliases = aliases
        self.ids: dict[Any, str] = {}
        self.preds: dict[Any, str] = {}
        self.iris: dict[str, str] = {}
        self.attrs: dict[str, dict[str, list[Scalar]]] = {}
        self.types: dict[str, set[str]] = {}
        self.registry_labels: dict[str, str] = {}
        self.other_labels: dict[str, set[str]] = {}
        # (subject, object, predicate) -> one claim id, a list of claim ids, or None (no provenance).
        self.edges: dict[tuple[str, str, str], Any] = {}
        # (subject, predicate, value type, value) -> the claims stating a literal (or _ALWAYS: the registry).
        self.literal_claims: dict[tuple[str, str, type, Scalar], Any] = {}
        self.vocab_terms = vocab.terms if not ontology else set()
        self.as_of = ""
        self.statuses: ClaimStatuses | None = None
        # Per edge key / literal key: claim IRI -> status, for the triples that are not current in some claim.
        self.edge_status: dict[tuple[str, str, str], dict[str, str]] = {}
        self.literal_status: dict[tuple[str, str, type, Scalar], dict[str, str]] = {}

    def node(self, term: Any) -> str:
        sid = self.ids.get(term)
        if sid is None:
            sid = node_id(term)
            self.ids[term] = sid
            self.iris[sid] = term.value if isinstance(term, NamedNode) else "_:" + term.value
        return sid

    def add_all(self, quads: Iterable[tuple[Any, Any, Any, str | None, str]]) -> None:
        """Add ``(subject, predicate, object, claim-or-None, graph kind)`` tuples; the hot loop of the export."""
        ids, preds, attrs, types, edges = self.ids, self.preds, self.attrs, self.types, self.edges
        literal_claims = self.literal_claims
        node = self.node
        vocab_terms, ontology = self.vocab_terms, self.ontology
        for s, p, o, claim, kind in quads:
            sid = ids.get(s)
            if sid is None:
                if isinstance(s, Triple):
                    continue
                sid = node(s)
            pid = preds.get(p)
            if pid is None:
                pid = preds[p] = node_id(p)
            if type(o) is Literal:
                if pid == "rdfs:label":
                    if kind == REGISTRY:
                        self.registry_labels.setdefault(sid, o.value)
                    else:
                        self.other_labels.setdefault(sid, set()).add(o.value)
                    continue
                values = attrs.setdefault(sid, {}).setdefault(pid, [])
                v: Scalar = to_python(o, scalar=True)
                if v not in values:
                    values.append(v)
                _hold(literal_claims, (sid, pid, type(v), v), claim)
                continue
            if isinstance(o, Triple):
                continue
            if pid == "rdf:type":
                tid = ids.get(o) or node(o)
                types.setdefault(sid, set()).add(tid)
                if not ontology:
                    continue
                oid = tid
            elif type(o) is NamedNode and o.value in vocab_terms:
                oid = ids.get(o) or node(o)
                values = attrs.setdefault(sid, {}).setdefault(pid, [])
                if oid not in values:
                    values.append(oid)
                _hold(literal_claims, (sid, pid, str, oid), claim)
                continue
            else:
                found = ids.get(o)
                oid = found if found is not None else node(o)
            key = (sid, oid, pid)
            held = edges.get(key, _MISSING)
            if held is _MISSING:
                edges[key] = claim
            elif claim is not None and held != claim:
                if held is None:
                    edges[key] = claim
                elif type(held) is list:
                    if claim not in held:
                        held.append(claim)
                else:
                    edges[key] = [held, claim]

    def graph(self, **graph_attrs: Any) -> nx.MultiDiGraph:
        import networkx as nx

        vocab = self.vocab
        if not self.aliases:
            self._drop_aliases()
        self._index_statuses()
        nodes = set(self.iris)
        if not self.ontology:
            # Class IRIs met only as rdf:type objects and vocabulary terms are not nodes then.
            nodes &= self._used()
        stable = _stable_blank_ids(nodes, self.attrs, self.types, self.edges)
        graph = nx.MultiDiGraph(**graph_attrs)
        node_table, succ, pred = _tables(graph)
        super_classes = vocab.super_classes
        typings: dict[frozenset[str], tuple[list[str], str]] = {}
        no_types: frozenset[str] = frozenset()
        registry_labels, other_labels, term_labels, iris = (
            self.registry_labels,
            self.other_labels,
            vocab.labels,
            self.iris,
        )
        literal_attrs = self.attrs
        for nid in sorted(nodes, key=lambda n: stable.get(n, n)) if stable else sorted(nodes):
            type_set = frozenset(self.types.get(nid, no_types))
            typing = typings.get(type_set)
            if typing is None:
                ordered = sorted(type_set)
                typing = typings[type_set] = (ordered, _kind(ordered, super_classes))
            key = stable.get(nid, nid)
            label = registry_labels.get(nid)
            if label is None:
                others = other_labels.get(nid)
                label = (
                    min(others) if others else term_labels.get(nid) or (local_name(iris[nid]) if key == nid else key)
                )
            attrs: dict[str, Any] = {
                "label": label,
                "iri": iris[nid] if key == nid else key,
                "types": typing[0],
                "kind": typing[1],
            }
            for name, values in sorted(literal_attrs.get(nid, {}).items()):  # one order whatever the quads' order
                if self.literal_status:
                    old = [v for v in values if self._literal_superseded(nid, name, v)]
                    if old:
                        values = [v for v in values if v not in old]
                        attrs[name + SUPERSEDED_SUFFIX] = sorted(old, key=_sort_key)
                        if not values:
                            continue
                if len(values) > 1:
                    values.sort(key=_sort_key)
                attrs[name] = values
            node_table[key] = attrs
            succ[key] = {}
            pred[key] = {}
        shared: dict[Any, dict[str, list[str]]] = {}
        labels = {pid: vocab.labels.get(pid) or local_name(pid) for pid in {k[2] for k in self.edges}}
        empty = self._provenance(())
        edge_status = self.edge_status
        # Edges in one order whatever order the quads came in (each server streams them in its own).
        for (sid, oid, pid), held in sorted(self.edges.items(), key=_edge_key):
            if held is None:
                prov = empty
            else:
                marked = edge_status.get((sid, oid, pid))
                if marked:  # a triple some claim no longer holds current: its own lists
                    prov = self._provenance((held,) if type(held) is not list else tuple(held), marked)
                else:
                    hkey = held if type(held) is not list else tuple(held)
                    cached = shared.get(hkey)
                    if cached is None:
                        cached = shared[hkey] = self._provenance((held,) if type(held) is not list else tuple(held))
                    prov = cached
            if stable:
                sid, oid = stable.get(sid, sid), stable.get(oid, oid)
            keys = succ[sid].get(oid)
            if keys is None:
                keys = succ[sid][oid] = pred[oid][sid] = {}
            keys[pid] = {"label": labels[pid], **prov}
        return graph

    def _used(self) -> set[str]:
        used = set(self.attrs) | set(self.types) | set(self.registry_labels) | set(self.other_labels)
        for sid, oid, _ in self.edges:
            used.add(sid)
            used.add(oid)
        return used

    def _provenance(self, claim_ids: tuple[str, ...], marked: dict[str, str] | None = None) -> dict[str, Any]:
        marked = marked or {}
        if not claim_ids:
            return {
                "claims": [],
                "sources": [],
                "source_titles": [],
                "dates": [],
                "certainties": [],
                "spans": [],
                "statuses": [],
                "current": [],
                "status": CURRENT,
            }
        if len(claim_ids) == 1:  # most edges: one claim, no sorting
            c = claim_ids[0]
            i = self.claims.get(c) or ClaimInfo(compact(c, bare=True), "", "", "", "", "")
            status = marked.get(c, CURRENT)
            return {
                "claims": [i.claim],
                "sources": [i.source],
                "source_titles": [i.source_title],
                "dates": [i.date],
                "certainties": [i.certainty],
                "spans": [i.span],
                "statuses": [status],
                "current": [status != SUPERSEDED],
                "status": status,
            }
        rows = sorted(
            ((self.claims.get(c) or ClaimInfo(compact(c, bare=True), "", "", "", "", ""), c) for c in claim_ids),
            key=lambda row: (row[0].date, row[0].claim),
        )
        return {
            "claims": [i.claim for i, _ in rows],
            "sources": [i.source for i, _ in rows],
            "source_titles": [i.source_title for i, _ in rows],
            "dates": [i.date for i, _ in rows],
            "certainties": [i.certainty for i, _ in rows],
            "spans": [i.span for i, _ in rows],
            "statuses": [marked.get(c, CURRENT) for _, c in rows],
            "current": [marked.get(c, CURRENT) != SUPERSEDED for _, c in rows],
            "status": combine(marked.get(c, CURRENT) for _, c in rows),
        }

    def _index_statuses(self) -> None:
        """File the build's per-triple statuses (superseded, disputed) under the export's edge and literal keys."""
        if self.statuses is None:
            return
        ids, preds = self.ids, self.preds
        for (claim, s, p, o), status in self.statuses.items():
            sid = ids.get(s)
            pid = preds.get(NamedNode(p))
            if sid is None or pid is None:
                continue
            if isinstance(o, Literal):
                v: Scalar = to_python(o, scalar=True)
                self.literal_status.setdefault((sid, pid, type(v), v), {})[claim] = status.status
            elif isinstance(o, NamedNode) and o.value in self.vocab_terms:  # a vocabulary term is an attribute
                self.literal_status.setdefault((sid, pid, str, node_id(o)), {})[claim] = status.status
            else:
                oid = ids.get(o)
                if oid is not None:
                    self.edge_status.setdefault((sid, oid, pid), {})[claim] = status.status

    def _literal_superseded(self, nid: str, name: str, value: Scalar) -> bool:
        marked = self.literal_status.get((nid, name, type(value), value))
        held = self.literal_claims.get((nid, name, type(value), value))
        if not marked or held is None or held is _ALWAYS:
            return False
        claims = held if type(held) is list else [held]
        return all(marked.get(c) == SUPERSEDED for c in claims)

    def _drop_aliases(self) -> None:
        alias_of = self.vocab.alias_of
        if not alias_of:
            return
        edges = self.edges
        for key in [k for k in edges if k[2] in alias_of]:
            if any((key[0], key[1], sub) in edges for sub in alias_of[key[2]]):
                del edges[key]
        for node_attrs in self.attrs.values():
            for alias in [k for k in node_attrs if k in alias_of]:
                if alias_of[alias] & node_attrs.keys():
                    del node_attrs[alias]


_MISSING = object()
_ALWAYS = object()
SUPERSEDED_SUFFIX = " (superseded)"


def _hold(table: dict[Any, Any], key: Any, claim: str | None) -> None:
    """Note that ``claim`` states the attribute value ``key`` (``None``: the registry, which always holds it):
    one claim id, then a list of them."""
    held = table.get(key)
    if claim is None or held is _ALWAYS:
        table[key] = _ALWAYS
    elif held is None:
        table[key] = claim
    elif type(held) is list:
        held.append(claim)
    else:
        table[key] = [held, claim]


def _edge_key(item: tuple[tuple[str, str, str], Any]) -> tuple[str, str, str]:
    return item[0]


def _tables(graph: nx.MultiDiGraph) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The node, successor and predecessor tables of an empty MultiDiGraph, to fill directly.

    ``add_edges_from`` costs about 20 µs per edge (views, checks); writing NetworkX's documented
    dict-of-dict-of-dict-of-dict structure directly costs a fraction of that. The graph must use plain dicts.
    """
    if graph.number_of_nodes() or any(
        f is not dict
        for f in (graph.node_dict_factory, graph.adjlist_outer_dict_factory, graph.adjlist_inner_dict_factory)
    ):
        raise TypeError("direct filling needs an empty graph with plain dict tables")
    return graph._node, graph._succ, graph._pred


def _sort_key(v: Scalar) -> tuple[str, Any]:
    return (type(v).__name__, v)


def _kind(types: list[str], super_classes: dict[str, set[str]]) -> str:
    own = [t for t in types if t.startswith(WG_PREFIX)]
    if not own:
        return types[0] if types else ""
    supers = set().union(*(super_classes.get(t, set()) for t in own))
    specific = [t for t in own if t not in supers]
    return (specific or own)[0]


def _stable_blank_ids(
    nodes: set[str],
    attrs: dict[str, dict[str, list[Scalar]]],
    types: dict[str, set[str]],
    edges: dict[tuple[str, str, str], Any],
) -> dict[str, str]:
    """Stable ids for blank nodes: a hash of what surrounds them (3 rounds of Weisfeiler-Lehman refinement)."""
    blanks = sorted(n for n in nodes if n.startswith("_:"))
    if not blanks:
        return {}
    blank_set = set(blanks)
    out: dict[str, list[tuple[str, str]]] = {b: [] for b in blanks}
    inc: dict[str, list[tuple[str, str]]] = {b: [] for b in blanks}
    for sid, oid, pid in edges:
        if sid in blank_set:
            out[sid].append((pid, oid))
        if oid in blank_set:
            inc[oid].append((pid, sid))
    base = {
        b: repr(
            (sorted(types.get(b, ())), sorted((k, repr(sorted(v, key=_sort_key))) for k, v in attrs.get(b, {}).items()))
        )
        for b in blanks
    }
    current = {b: hashlib.sha1(base[b].encode()).hexdigest() for b in blanks}
    for _ in range(3):

        def name(n: str, now: dict[str, str] = current) -> str:
            return now[n] if n in blank_set else n

        current = {
            b: hashlib.sha1(
                (
                    base[b]
                    + repr(sorted((p, name(o)) for p, o in out[b]))
                    + repr(sorted((p, name(s)) for p, s in inc[b]))
                ).encode()
            ).hexdigest()
            for b in blanks
        }
    stable: dict[str, str] = {}
    taken: dict[str, int] = {}
    for b in sorted(blanks, key=lambda b: current[b]):
        short = "_:b" + current[b][:12]
        count = taken.get(short, 0) + 1
        taken[short] = count
        stable[b] = short if count == 1 else f"{short}-{count}"
    return stable
