"""The knowledge graph (or a CONSTRUCT result) as a :class:`networkx.MultiDiGraph`, right by construction.

What the graph holds
--------------------
- **Nodes** are resources (IRIs and blank nodes), keyed by a stable id: the compact IRI (``wgd:ballerina``) for
  IRIs in a known namespace, the full IRI otherwise, and ``_:`` plus a hash of a blank node's surroundings for a
  blank node (the same data gives the same id in every run). Node attributes:

  ``label`` (str)
      the registry's ``rdfs:label``; else any ``rdfs:label``; else the IRI's last segment.
  ``iri`` (str)
      the full IRI (``_:…`` for a blank node).
  ``types`` (list of str)
      every ``rdf:type``, compact (``wg:Film``, ``wg:Work``, ``schema:Movie`` …).
  ``kind`` (str)
      the most specific ``wg:`` type (``wg:Film``), for colouring and filtering; ``""`` when untyped.
  one attribute per literal property, keyed by the compact predicate (``wg:releaseDate``, ``skos:altLabel``)
      a **list** of values, since sources may disagree: ``int`` for integers, ``float`` for decimals and
      doubles, ``bool`` for booleans, ``str`` (the lexical form) for the rest, dates included (ISO dates sort
      as strings). Values every claim of which has that triple superseded go under ``PREDICATE (superseded)``
      (supersession is per triple, :mod:`wickgraph.status`): Chapter 2's ``wg:releaseDate`` is
      ``["2017-02-10"]`` and its ``wg:releaseDate (superseded)`` is ``["2017-01-30"]``.

  **Literals are never nodes**: a film titled "John Wick" and the character John Wick stay two nodes, each with
  its own ``label``. Objects that are terms of the ontology (``wg:LeadRole``, ``wg:DayPrecision``, ``wg:Planned``)
  are attributes too (``wg:creditType: ["wg:LeadRole"]``), unless the ontology is exported as well.

- **Edges**: one per triple ``(s, p, o)`` whose object is a resource, from ``s`` to ``o``, keyed by the compact
  predicate. A triple stated by several claims is **one** edge whose provenance lists have one entry per claim,
  ordered by claim date (the lists of one set of claims are shared between its edges: treat them as read-only):

  ``label`` (str)
      the predicate's ``rdfs:label`` (``plays``, ``set after``).
  ``claims``, ``sources``, ``source_titles``, ``dates``, ``certainties``, ``spans``, ``statuses`` (lists of str), ``current`` (list of bool)
      per claim: its id (``wgc:cinemark-2024/a15``), its source (``wgs:cinemark-2024``) and title, the date the
      source said it, how sure it was (``stated``, ``reported``, ``expected / speculated``, ``inferred by the
      editors``), where in the held text it rests (``chars 2229-2328 of wgs:cinemark-2024``), the status of this
      triple in that claim (``current``, ``superseded`` or ``disputed``, computed by the build: see
      :mod:`wickgraph.status`) and whether it is not superseded. Empty for registry triples.
  ``status`` (str)
      the triple's status over its claims: ``current`` when one claim holds it current, else ``disputed`` when
      one holds it disputed, else ``superseded`` (``current`` for registry triples).

- Left out unless asked for: the ontology (``include_ontology=True`` adds its classes and properties as nodes,
  its axioms as edges, and ``rdf:type`` edges from every resource to its classes), and the schema.org / Wikidata
  copies the build materialises for every ``wg:`` triple (``aliases=True``: ``schema:actor``, ``wdt:P161`` …).
  Source descriptions and claim records are not nodes: they are the edges' provenance.

>>> import networkx as nx
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> wg = "https://w3id.org/wickgraph/ontology#"
>>> film, character = NamedNode("https://w3id.org/wickgraph/id/john-wick"), NamedNode("https://w3id.org/wickgraph/id/john-wick-character")
>>> triples = [Triple(film, NamedNode(wg + "title"), Literal("John Wick")),
...            Triple(character, NamedNode(wg + "name"), Literal("John Wick")),
...            Triple(character, NamedNode(wg + "appearsIn"), film)]
>>> g = result_to_networkx(GraphResult(triples))
>>> sorted(g.nodes), g.nodes["wgd:john-wick"]["wg:title"]
(['wgd:john-wick', 'wgd:john-wick-character'], ['John Wick'])
>>> list(g.edges(keys=True))
[('wgd:john-wick-character', 'wgd:john-wick', 'wg:appearsIn')]
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .namespaces import CLAIM, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, RDF, RDFS, STATUS_GRAPH, WG, XSD
from .results import GraphResult
from .status import CURRENT, SUPERSEDED, ClaimStatuses, claim_statuses, combine
from .terms import INTEGER_TYPES, value

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .graph import KnowledgeGraph

__all__ = [
    "SUPERSEDED_SUFFIX",
    "ClaimInfo",
    "Vocabulary",
    "compact_id",
    "construct_to_networkx",
    "literal_value",
    "node_id",
    "provenance_text",
    "result_to_networkx",
    "to_networkx",
]

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
_WG_PREFIX = "wg:"
_INTEGERS = INTEGER_TYPES
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}
_BOOLEAN = XSD + "boolean"

Scalar = str | int | float | bool


def literal_value(literal: Literal) -> Scalar:
    """The attribute value of a literal: ``int``, ``float``, ``bool``, else its lexical form.

    >>> literal_value(Literal("131", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    131
    >>> literal_value(Literal("2025-06-06", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    '2025-06-06'
    """
    datatype = literal.datatype.value
    text = literal.value
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype in _FLOATS:
            return float(text)
        if datatype == _BOOLEAN:
            return text in ("true", "1")
    except ValueError:
        return text
    return text


def node_id(term: NamedNode | BlankNode) -> str:
    """The node key of a resource: its compact IRI in a known namespace (``wgc:SOURCE/ID`` for a claim), else
    the full IRI; ``_:id`` for a blank node (the exporter replaces a blank node's parser-given id by a stable one).

    >>> node_id(NamedNode("https://w3id.org/wickgraph/id/ballerina"))
    'wgd:ballerina'
    >>> node_id(NamedNode("https://w3id.org/wickgraph/claim/cinemark-2024/a15"))
    'wgc:cinemark-2024/a15'
    >>> node_id(NamedNode("https://example.org/films#John_Wick"))
    'https://example.org/films#John_Wick'
    """
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return compact_id(term.value)


def compact_id(iri: str) -> str:
    """The compact form of an IRI as :func:`node_id` makes it (fast: one dictionary look-up)."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _PREFIX_OF.get(iri[:cut])
    local = iri[cut:]
    if prefix is not None and local and not local.endswith(".") and _LOCAL.fullmatch(local):
        return prefix + local
    if iri.startswith(CLAIM) and len(iri) > len(CLAIM):
        return "wgc:" + iri[len(CLAIM) :]
    return iri


_PREFIX_OF = {namespace: prefix + ":" for prefix, namespace in PREFIXES.items()}
_LOCAL = re.compile(r"[\w.-]+")  # \w: what str.isalnum() accepts, and "_" (as namespaces.compact)


def _local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            tail = iri.rstrip(sep).rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


# ---- what the exporter needs to know about the store -----------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    """The provenance of one claim, as edges carry it."""

    claim: str
    source: str
    source_title: str
    date: str
    certainty: str
    span: str
    supersedes: tuple[str, ...] = ()
    """Full IRIs of the claims this one replaces."""


@dataclass(slots=True)
class Vocabulary:
    """What the ontology says that the export uses: labels, inverse and super-properties, class hierarchy."""

    labels: dict[str, str] = field(default_factory=dict)
    """Compact term id -> rdfs:label."""
    inverse: dict[str, str] = field(default_factory=dict)
    """Compact property id -> its owl:inverseOf (both directions; a symmetric property maps to itself)."""
    super_properties: dict[str, set[str]] = field(default_factory=dict)
    """Compact property id -> every super-property (transitive)."""
    super_classes: dict[str, set[str]] = field(default_factory=dict)
    """Compact class id -> every super-class (transitive)."""
    terms: set[str] = field(default_factory=set)
    """Full IRIs of everything the ontology describes (classes, properties, individuals such as wg:LeadRole)."""
    primary: set[str] = field(default_factory=set)
    """Compact ids of the properties an ``owl:inverseOf`` axiom is stated on (``wg:plays``, not ``wg:playedBy``)."""

    @property
    def alias_of(self) -> dict[str, set[str]]:
        """Non-``wg:`` super-property -> the ``wg:`` properties it is materialised from."""
        aliases: dict[str, set[str]] = {}
        for prop, supers in self.super_properties.items():
            if prop.startswith(_WG_PREFIX):
                for sup in supers:
                    if not sup.startswith(_WG_PREFIX):
                        aliases.setdefault(sup, set()).add(prop)
        return aliases

    @classmethod
    def bundled(cls) -> Vocabulary:
        """The vocabulary of the project's own ontology files (no store needed), read once."""
        return _bundled_vocabulary()

    @classmethod
    def load(cls, kg: KnowledgeGraph) -> Vocabulary:
        """Read the ontology graph of ``kg``."""
        vocab = cls()
        direct_props: dict[str, set[str]] = {}
        direct_classes: dict[str, set[str]] = {}
        rows = kg.select("SELECT ?s ?p ?o WHERE { GRAPH wgg:ontology { ?s ?p ?o } }")
        for row in rows.stream():
            s, p, o = row["s"], row["p"], row["o"]
            if not isinstance(s, NamedNode) or not isinstance(p, NamedNode):
                continue
            vocab.terms.add(s.value)
            sid = node_id(s)
            pv = p.value
            if pv == RDFS_LABEL and isinstance(o, Literal):
                vocab.labels.setdefault(sid, o.value)
            elif not isinstance(o, NamedNode):
                continue
            elif pv == "http://www.w3.org/2002/07/owl#inverseOf":
                vocab.inverse[sid] = node_id(o)
                vocab.inverse[node_id(o)] = sid
                vocab.primary.add(sid)
            elif pv == RDF_TYPE and o.value == "http://www.w3.org/2002/07/owl#SymmetricProperty":
                vocab.inverse[sid] = sid
            elif pv == RDFS + "subPropertyOf":
                direct_props.setdefault(sid, set()).add(node_id(o))
            elif pv == RDFS + "subClassOf":
                direct_classes.setdefault(sid, set()).add(node_id(o))
        vocab.super_properties = _closure(direct_props)
        vocab.super_classes = _closure(direct_classes)
        return vocab


@functools.cache
def _bundled_vocabulary() -> Vocabulary:
    from pyoxigraph import Quad, RdfFormat, parse
    from pyoxigraph import Store as OxStore

    from .graph import KnowledgeGraph
    from .locations import default_ontology_dir
    from .store.embedded import EmbeddedStore

    store = OxStore()
    graph = NamedNode(ONTOLOGY_GRAPH)
    for path in sorted(default_ontology_dir().glob("*.ttl")):
        store.extend(
            Quad(t.subject, t.predicate, t.object, graph) for t in parse(path=str(path), format=RdfFormat.TURTLE)
        )
    return Vocabulary.load(KnowledgeGraph(EmbeddedStore(store, "bundled ontology")))


def _closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    closed: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            item = todo.pop()
            if item not in seen:
                seen.add(item)
                todo.extend(direct.get(item, ()))
        seen.discard(start)
        closed[start] = seen
    return closed


_SUPERSEDES = WG + "supersedes"
_CLAIM_FIELDS = {
    WG + "claimDate": "date",
    WG + "certainty": "certainty",
    WG + "spanStart": "start",
    WG + "spanEnd": "end",
    WG + "spanLine": "line",
    WG + "spanIn": "held",
}


def _source_graphs(kg: KnowledgeGraph, as_of: str | _dt.date | None) -> list[str]:
    rows = kg.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a wg:Source } }", as_of=as_of)
    return sorted(value(r, "g") for r in rows)


def _graph_quads(kg: KnowledgeGraph, graphs: Iterable[str]) -> Iterator[tuple[Any, Any, Any, str]]:
    """``(subject, predicate, object, graph IRI)`` of the named graphs: straight from pyoxigraph when the store
    is embedded (no SPARQL on the way), else one SELECT."""
    from .store.embedded import EmbeddedStore

    graphs = list(graphs)
    if isinstance(kg.store, EmbeddedStore):
        ox = kg.store.ox
        for graph in graphs:
            for q in ox.quads_for_pattern(None, None, None, NamedNode(graph)):
                yield q.subject, q.predicate, q.object, graph
        return
    for chunk in _chunks(graphs, 200):
        values = " ".join(f"<{g}>" for g in chunk)
        rows = kg.select(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        for row in rows.stream():
            yield row["s"], row["p"], row["o"], value(row, "g")


def _claims(kg: KnowledgeGraph, vocab: Vocabulary, sources: list[str]) -> dict[str, ClaimInfo]:
    """The claim records of the source graphs (read as quads: a SPARQL join with six OPTIONALs costs seconds
    per hundred thousand claims)."""
    titles: dict[str, str] = {}
    records: dict[tuple[str, str], dict[str, Any]] = {}
    claim_class = NamedNode(WG + "Claim")
    name = "http://schema.org/name"
    for s, p, o, graph in _graph_quads(kg, sources):
        if not isinstance(s, NamedNode):
            continue
        pv = p.value
        if pv == name and s.value == graph and isinstance(o, Literal):
            titles[graph] = o.value
            continue
        field_name = _CLAIM_FIELDS.get(pv)
        if field_name is not None:
            records.setdefault((s.value, graph), {})[field_name] = o
        elif pv == _SUPERSEDES and isinstance(o, NamedNode):
            records.setdefault((s.value, graph), {}).setdefault("supersedes", []).append(o.value)
        elif pv == RDF_TYPE and o == claim_class:
            records.setdefault((s.value, graph), {})["is_claim"] = True
    claims: dict[str, ClaimInfo] = {}
    for (claim, graph), record in records.items():
        if not record.get("is_claim"):
            continue
        source = compact_id(graph)
        held = record.get("held")
        where = node_id(held) if isinstance(held, NamedNode) else source
        if "start" in record and "end" in record:
            span = f"chars {record['start'].value}-{record['end'].value} of {where}"
        elif "line" in record:
            span = f"line {record['line'].value} of {where}"
        else:
            span = ""
        certainty = record.get("certainty")
        date = record.get("date")
        claims[claim] = ClaimInfo(
            claim=compact_id(claim),
            source=source,
            source_title=titles.get(graph, ""),
            date=date.value if isinstance(date, Literal) else "",
            certainty=vocab.labels.get(node_id(certainty), node_id(certainty))
            if isinstance(certainty, NamedNode)
            else "",
            span=span,
            supersedes=tuple(sorted(record.get("supersedes", ()))),
        )
    return claims


# ---- the builder ----------------------------------------------------------------------------------------

_REGISTRY = "registry"
_ONTOLOGY = "ontology"
_SOURCE = "source"
_FACTS = "facts"


class _Builder:
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
                    if kind == _REGISTRY:
                        self.registry_labels.setdefault(sid, o.value)
                    else:
                        self.other_labels.setdefault(sid, set()).add(o.value)
                    continue
                values = attrs.setdefault(sid, {}).setdefault(pid, [])
                v = literal_value(o)
                if v not in values:
                    values.append(v)
                lkey = (sid, pid, type(v), v)
                held = literal_claims.get(lkey)
                if claim is None or held is _ALWAYS:
                    literal_claims[lkey] = _ALWAYS
                elif held is None:
                    literal_claims[lkey] = claim
                elif type(held) is list:
                    held.append(claim)
                else:
                    literal_claims[lkey] = [held, claim]
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
                lkey = (sid, pid, str, oid)
                held = literal_claims.get(lkey)
                if claim is None or held is _ALWAYS:
                    literal_claims[lkey] = _ALWAYS
                elif held is None:
                    literal_claims[lkey] = claim
                elif type(held) is list:
                    held.append(claim)
                else:
                    literal_claims[lkey] = [held, claim]
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
                    min(others) if others else term_labels.get(nid) or (_local_name(iris[nid]) if key == nid else key)
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
        labels = {pid: vocab.labels.get(pid) or _local_name(pid) for pid in {k[2] for k in self.edges}}
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
            i = self.claims.get(c) or ClaimInfo(compact_id(c), "", "", "", "", "")
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
            ((self.claims.get(c) or ClaimInfo(compact_id(c), "", "", "", "", ""), c) for c in claim_ids),
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
                v = literal_value(o)
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
    own = [t for t in types if t.startswith(_WG_PREFIX)]
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


# ---- public entry points --------------------------------------------------------------------------------


def to_networkx(
    kg: KnowledgeGraph,
    *,
    include_ontology: bool = False,
    aliases: bool = False,
    as_of: str | _dt.date | None = None,
) -> nx.MultiDiGraph:
    """The whole knowledge graph as a :class:`networkx.MultiDiGraph` (see the module documentation).

    ``as_of`` exports the graph as known on that date (only the claims published by then);
    ``include_ontology`` adds the ontology; ``aliases`` keeps the schema.org / Wikidata copies of ``wg:`` triples.
    The graph attributes say what it is: ``name``, ``as_of`` (``""`` for now) and ``store``.

    Example (on the real graph)::

        g = wickgraph.to_networkx(kg)
        g.nodes["wgd:ballerina"]["label"], g.nodes["wgd:ballerina"]["kind"]    # ('Ballerina', 'wg:Film')
    """
    from .store.embedded import EmbeddedStore

    vocab = Vocabulary.load(kg)
    source_list = _source_graphs(kg, as_of)
    sources = set(source_list)
    claims = _claims(kg, vocab, source_list)
    builder = _Builder(vocab, claims, ontology=include_ontology, aliases=aliases)
    builder.as_of = _day(as_of)
    builder.statuses = claim_statuses(kg, as_of=as_of)
    kinds: dict[str, tuple[str | None, str]] = {}

    def classify(graph: str) -> tuple[str | None, str]:
        got = kinds.get(graph)
        if got is None:
            if graph == ENTITIES_GRAPH:
                got = (None, _REGISTRY)
            elif graph == ONTOLOGY_GRAPH:
                got = (None, _ONTOLOGY)
            elif graph in sources or graph.startswith(STATUS_GRAPH):
                got = (None, _SOURCE)
            else:
                got = (graph or None, _FACTS)
            kinds[graph] = got
        return got

    def wanted(kind: str) -> bool:
        return kind != _SOURCE and (kind != _ONTOLOGY or include_ontology)

    store = kg.store
    if isinstance(store, EmbeddedStore):
        ox = store.ox
        if as_of is not None:
            graphs: list[Any] = [NamedNode(g) for g in kg.view_as_of(as_of).graphs]
        else:
            graphs = list(ox.named_graphs())
        for graph in graphs:
            claim, kind = classify(graph.value)
            if wanted(kind):
                builder.add_all(
                    (q.subject, q.predicate, q.object, claim, kind)
                    for q in ox.quads_for_pattern(None, None, None, graph)
                )
    else:
        rows = kg.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", as_of=as_of)

        def generic() -> Iterator[tuple[Any, Any, Any, str | None, str]]:
            for row in rows.stream():
                claim, kind = classify(value(row, "g"))
                if wanted(kind):
                    yield row["s"], row["p"], row["o"], claim, kind

        builder.add_all(generic())
    return builder.graph(
        name="wickgraph",
        as_of=_day(as_of),
        store=str(store.location),
    )


def result_to_networkx(
    result: GraphResult | Iterable[Triple],
    kg: KnowledgeGraph | None = None,
    *,
    aliases: bool = True,
    as_of: str | _dt.date | None = None,
) -> nx.MultiDiGraph:
    """The triples of a CONSTRUCT (or DESCRIBE) result as a :class:`networkx.MultiDiGraph`, shaped like
    :func:`to_networkx`'s.

    With ``kg``, nodes get their registry labels and types, vocabulary terms become attributes, and each edge the
    provenance of the claims that state its triple (``as_of``: those published by that date). Without it, labels
    come from the result's own ``rdfs:label`` triples and edges carry no provenance. ``aliases=False`` drops the
    schema.org / Wikidata copies (needs ``kg``).
    """
    triples = list(result)
    if kg is None:
        vocab, claims = Vocabulary(), {}
    else:
        vocab = Vocabulary.load(kg)
        claims = _claims(kg, vocab, _source_graphs(kg, as_of))
    builder = _Builder(vocab, claims, ontology=False, aliases=aliases)
    builder.as_of = _day(as_of)
    provenance = _provenance_of(kg, triples, as_of, vocab) if kg is not None else {}
    rows: list[tuple[Any, Any, Any, str | None, str]] = []
    for t in triples:
        held = provenance.get((t.subject, t.predicate, t.object))
        if held:
            rows.extend((t.subject, t.predicate, t.object, c, _FACTS) for c in held)
        else:
            rows.append((t.subject, t.predicate, t.object, None, _FACTS))
    builder.add_all(rows)
    if kg is not None:
        _enrich(kg, builder, as_of)
        builder.statuses = claim_statuses(
            kg, as_of=as_of, subjects={t.subject.value for t in triples if isinstance(t.subject, NamedNode)}
        )
    return builder.graph(
        name="wickgraph CONSTRUCT result", as_of=_day(as_of), store=str(kg.store.location) if kg else ""
    )


def construct_to_networkx(
    kg: KnowledgeGraph, sparql: str, *, as_of: str | _dt.date | None = None, aliases: bool = False
) -> nx.MultiDiGraph:
    """Run a CONSTRUCT query on ``kg`` and return its result as a graph, with provenance (see
    :func:`result_to_networkx`)."""
    return result_to_networkx(kg.construct(sparql, as_of=as_of), kg, as_of=as_of, aliases=aliases)


def _day(as_of: str | _dt.date | None) -> str:
    if as_of is None:
        return ""
    from .graph import parse_date

    return parse_date(as_of).isoformat()


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _provenance_of(
    kg: KnowledgeGraph, triples: list[Triple], as_of: str | _dt.date | None, vocab: Vocabulary
) -> dict[tuple[Any, Any, Any], list[str]]:
    """Claim graphs holding each resource-to-resource triple (blank nodes cannot be looked up)."""
    wanted = sorted(
        {
            (t.subject, t.predicate, t.object)
            for t in triples
            if isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode) and t.predicate.value != RDF_TYPE
        },
        key=str,
    )
    found: dict[tuple[Any, Any, Any], list[str]] = {}
    for chunk in _chunks(wanted, 400):
        values = " ".join(f"({s} {p} {o})" for s, p, o in chunk)
        rows = kg.select(
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER(?g != wgg:entities && ?g != wgg:ontology) }}",
            as_of=as_of,
        )
        for row in rows.stream():
            found.setdefault((row["s"], row["p"], row["o"]), []).append(value(row, "g"))
    return found


def _enrich(kg: KnowledgeGraph, builder: _Builder, as_of: str | _dt.date | None) -> None:
    """Registry labels and types of the nodes of a CONSTRUCT result."""
    named = sorted((iri for nid, iri in builder.iris.items() if not nid.startswith("_:")))
    for chunk in _chunks(named, 400):
        values = " ".join(f"<{iri}>" for iri in chunk)
        rows = kg.select(
            f"SELECT ?e ?label ?type WHERE {{ VALUES ?e {{ {values} }} "
            f"{{ GRAPH wgg:entities {{ ?e rdfs:label ?label }} }} UNION {{ ?e a ?type }} }}",
            as_of=as_of,
        )
        for row in rows.stream():
            nid = builder.node(row["e"])
            if row["label"] is not None:
                builder.registry_labels.setdefault(nid, value(row, "label"))
            if isinstance(row["type"], NamedNode):
                builder.types.setdefault(nid, set()).add(node_id(row["type"]))


def provenance_text(attrs: dict[str, Any]) -> list[str]:
    """One line per claim of an edge: ``title (date, certainty; span)``, for tooltips and reports."""
    lines = []
    current = attrs.get("current") or []
    statuses = attrs.get("statuses") or []
    for i, claim in enumerate(attrs.get("claims", [])):
        title = attrs["source_titles"][i] or attrs["sources"][i] or claim
        if i < len(statuses):
            mark = statuses[i] if statuses[i] != CURRENT else ""
        else:
            mark = "superseded" if i < len(current) and not current[i] else ""
        flags = (attrs["dates"][i], attrs["certainties"][i], mark)
        extra = ", ".join(x for x in flags if x)
        span = attrs["spans"][i]
        lines.append(f"{title} ({extra}{'; ' + span if span else ''})" if extra or span else title)
    return lines
