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
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode, Triple

from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, STATUS_GRAPH
from ..results import GraphResult
from ..status import CURRENT, claim_statuses
from ..terms import value
from .builder import FACTS, ONTOLOGY, REGISTRY, SOURCE, SUPERSEDED_SUFFIX, Builder
from .vocabulary import (
    RDF_TYPE,
    ClaimInfo,
    Vocabulary,
    node_id,
    read_claims,
    source_graphs,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..graph import KnowledgeGraph

__all__ = [
    "SUPERSEDED_SUFFIX",
    "ClaimInfo",
    "Vocabulary",
    "construct_to_networkx",
    "node_id",
    "provenance_text",
    "result_to_networkx",
    "to_networkx",
]


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
    vocab = Vocabulary.load(kg)
    source_list = source_graphs(kg, as_of)
    sources = set(source_list)
    claims = read_claims(kg, vocab, source_list)
    builder = Builder(vocab, claims, ontology=include_ontology, aliases=aliases)
    builder.as_of = _day(as_of)
    builder.statuses = claim_statuses(kg, as_of=as_of)
    kinds: dict[str, tuple[str | None, str]] = {}

    def classify(graph: str) -> tuple[str | None, str]:
        got = kinds.get(graph)
        if got is None:
            if graph == ENTITIES_GRAPH:
                got = (None, REGISTRY)
            elif graph == ONTOLOGY_GRAPH:
                got = (None, ONTOLOGY)
            elif graph in sources or graph.startswith(STATUS_GRAPH):
                got = (None, SOURCE)
            else:
                got = (graph or None, FACTS)
            kinds[graph] = got
        return got

    def wanted(kind: str) -> bool:
        return kind != SOURCE and (kind != ONTOLOGY or include_ontology)

    store = kg.store
    graphs = list(kg.view_as_of(as_of).graphs) if as_of is not None else store.named_graphs()

    def rows() -> Iterator[tuple[Any, Any, Any, str | None, str]]:
        for s, p, o, graph in store.quads([g for g in graphs if wanted(classify(g)[1])]):
            claim, kind = classify(graph)
            yield s, p, o, claim, kind

    builder.add_all(rows())
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
        claims = read_claims(kg, vocab, source_graphs(kg, as_of))
    builder = Builder(vocab, claims, ontology=False, aliases=aliases)
    builder.as_of = _day(as_of)
    provenance = _provenance_of(kg, triples, as_of, vocab) if kg is not None else {}
    rows: list[tuple[Any, Any, Any, str | None, str]] = []
    for t in triples:
        held = provenance.get((t.subject, t.predicate, t.object))
        if held:
            rows.extend((t.subject, t.predicate, t.object, c, FACTS) for c in held)
        else:
            rows.append((t.subject, t.predicate, t.object, None, FACTS))
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
    from ..graph import parse_date

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


def _enrich(kg: KnowledgeGraph, builder: Builder, as_of: str | _dt.date | None) -> None:
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
