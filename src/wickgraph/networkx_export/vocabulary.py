"""What the export reads from the store besides the triples: the ontology's vocabulary (labels, inverse and
super-properties, class hierarchy) and the provenance of every claim; and the ids of nodes."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode

from ..namespaces import ONTOLOGY_GRAPH, RDF, RDFS, WG, compact
from ..terms import value

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph

__all__ = [
    "ClaimInfo",
    "Scalar",
    "Vocabulary",
    "graph_quads",
    "local_name",
    "node_id",
    "read_claims",
    "source_graphs",
]

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
WG_PREFIX = "wg:"

Scalar = str | int | float | bool


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
    return compact(term.value, bare=True)


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            tail = iri.rstrip(sep).rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


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
            if prop.startswith(WG_PREFIX):
                for sup in supers:
                    if not sup.startswith(WG_PREFIX):
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

    from ..graph import KnowledgeGraph
    from ..locations import default_ontology_dir
    from ..store.embedded import EmbeddedStore

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


def source_graphs(kg: KnowledgeGraph, as_of: str | _dt.date | None) -> list[str]:
    rows = kg.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a wg:Source } }", as_of=as_of)
    return sorted(value(r, "g") for r in rows)


def graph_quads(kg: KnowledgeGraph, graphs: Iterable[str]) -> Iterator[tuple[Any, Any, Any, str]]:
    """``(subject, predicate, object, graph IRI)`` of the named graphs (:meth:`~wickgraph.store.base.Store.quads`:
    straight from pyoxigraph on the embedded store, SPARQL elsewhere)."""
    return kg.store.quads(list(graphs))


def read_claims(kg: KnowledgeGraph, vocab: Vocabulary, sources: list[str]) -> dict[str, ClaimInfo]:
    """The claim records of the source graphs (read as quads: a SPARQL join with six OPTIONALs costs seconds
    per hundred thousand claims)."""
    titles: dict[str, str] = {}
    records: dict[tuple[str, str], dict[str, Any]] = {}
    claim_class = NamedNode(WG + "Claim")
    name = "http://schema.org/name"
    for s, p, o, graph in graph_quads(kg, sources):
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
        source = compact(graph, bare=True)
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
            claim=compact(claim, bare=True),
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
