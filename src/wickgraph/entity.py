"""Entities: the entity card (every fact about an entity, with its provenance). Finding an entity by name is
:mod:`wickgraph.entity_search`; its names are re-exported here.

A card lists every claim about the entity in both directions. Facts are grouped by property; where sources
give different values for one property the card shows them side by side and marks which are current (not
superseded by a later claim, or disputed: see :mod:`wickgraph.status`). Facts of qualified nodes the entity takes part in (a performance, a draft, a
release) are shown under that node.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from .entity_search import EntityMatch, nearest_names, not_found, resolve, search
from .namespaces import WG, compact
from .status import CURRENT, SUPERSEDED, claim_statuses, combine
from .terminal import safe_text
from .terms import Term, display, value

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["EntityCard", "EntityMatch", "Fact", "entity_card", "nearest_names", "not_found", "resolve", "search"]

_QUALIFIED = {WG + "Performance", WG + "Draft", WG + "ReleaseEvent", WG + "Collaboration"}


@dataclass(frozen=True, slots=True)
class Fact:
    """One claimed triple about an entity, with its provenance."""

    subject: str
    """The subject's display label."""
    property: str
    property_label: str
    value: Term
    value_label: str
    claim: str
    source: str
    source_title: str
    date: str
    certainty: str
    current: bool
    span: str
    """Where in the held text: ``chars 1189-1244 of FILE`` or ``line 27 of FILE`` (an inferred claim: ``inferred
    from`` its premises)."""
    status: str = "current"
    """``current``, ``superseded`` (a later claim retired this triple) or ``disputed`` (another claim gives another
    value of this single-valued property, neither superseding the other): see :mod:`wickgraph.status`."""
    status_by: tuple[str, ...] = ()
    """The claims that supersede or dispute it."""
    inferred: bool = False
    """The claim is the editors' inference (``wg:Inferred``), not a source's statement."""
    subject_iri: str = ""
    """The subject's IRI."""


@dataclass
class EntityCard:
    """Everything the graph says about one entity."""

    iri: str
    label: str
    types: list[str]
    aliases: list[str]
    facts: list[Fact]
    incoming: list[Fact]
    qualified: dict[str, list[Fact]] = field(default_factory=dict)
    """Label of a qualified node (performance, draft, release) -> its facts."""
    as_of: str | None = None
    functional: frozenset[str] = frozenset()
    """Properties with one true value (owl:FunctionalProperty): several values there are a disagreement."""

    def by_property(self) -> dict[str, list[Fact]]:
        """Outgoing facts grouped by property label."""
        groups: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            groups[fact.property_label].append(fact)
        return dict(groups)

    def conflicts(self) -> dict[str, list[Fact]]:
        """Single-valued properties for which the sources give more than one value."""
        return {
            p: fs
            for p, fs in self.by_property().items()
            if fs[0].property in self.functional and len({f.value_label for f in fs}) > 1
        }

    def render(self) -> str:
        """The card as text, for a terminal."""
        lines = [f"{self.label}  ({compact(self.iri)})", f"  type: {', '.join(self.types)}"]
        if self.aliases:
            lines.append(f"  also called: {', '.join(self.aliases)}")
        if self.as_of:
            lines.append(f"  as known on {self.as_of}")
        conflicts = self.conflicts()

        def block(title: str, facts: list[Fact], text: Callable[[Fact], str], indent: str = "  ") -> None:
            lines.append(f"{indent}{title}")
            grouped: dict[str, list[Fact]] = defaultdict(list)
            for fact in facts:
                grouped[text(fact)].append(fact)
            for shown, claims in grouped.items():
                status = combine(f.status for f in claims)
                lines.append(f"{indent}  {shown}{'' if status == CURRENT else f'  [{status}]'}")
                for f in claims:
                    mark = "" if f.status == CURRENT else f" [{f.status} by {', '.join(map(_claim_name, f.status_by))}]"
                    mark += " [inferred]" if f.inferred else ""
                    lines.append(f"{indent}      {f.source_title}, {f.date}, {f.certainty}; {f.span}{mark}")

        for prop, facts in self.by_property().items():
            flag = "  ≠ sources disagree (current one unmarked, others marked)" if prop in conflicts else ""
            block(f"{prop}:{flag}", facts, lambda f: f.value_label)
        if self.incoming:
            block("pointed at by:", self.incoming, lambda f: f"{f.subject} —{f.property_label}→")
        for node, facts in self.qualified.items():
            block(f"{node}:", facts, lambda f: f"{f.property_label}: {f.value_label}")
        # Every line is data (labels, spans, titles): control characters are shown, not obeyed (see terminal.py).
        return "\n".join(safe_text(line, one_line=True) for line in lines)

    def __str__(self) -> str:
        return self.render()

    def _repr_html_(self) -> str:
        from .display.html import entity_card_html

        return entity_card_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's text form: the card as :meth:`render` writes it."""
        printer.text(self.render())


def _facts(
    kg: KnowledgeGraph, pattern: str, as_of: str | _dt.date | None, labels: dict[str, str] | None = None
) -> list[Fact]:
    rows = kg.select(
        f"""
        SELECT ?s ?p ?o ?claim ?source ?title ?date ?certainty ?start ?end ?line ?held ?latest ?exact WHERE {{
          GRAPH ?claim {{ {pattern} }}
          FILTER(STRSTARTS(STR(?p), STR(wg:)))
          GRAPH ?source {{ ?claim wg:claimDate ?date ; wg:certainty ?certaintyTerm .
                          ?source schema:name ?title .
                          OPTIONAL {{ ?claim wg:spanStart ?start ; wg:spanEnd ?end }}
                          OPTIONAL {{ ?claim wg:spanLine ?line }} }}
          ?certaintyTerm rdfs:label ?certainty .
          OPTIONAL {{ GRAPH ?source {{ ?claim wg:spanIn ?heldSource }} ?heldSource wg:localFile ?held }}
          OPTIONAL {{ GRAPH ?source {{ ?source wg:notAfter ?latest }} }}
          OPTIONAL {{ GRAPH ?source {{ ?source schema:datePublished ?exact }} }}
        }} ORDER BY ?p ?date ?claim ?s ?o ?source""",
        as_of=as_of,
    )
    labels = labels if labels is not None else _labels(kg)
    facts = []
    rows_list = list(rows.stream())
    statuses = claim_statuses(
        kg, as_of=as_of, subjects={value(r, "s") for r in rows_list if isinstance(r["s"], NamedNode)}
    )
    premises: dict[str, list[str]] = defaultdict(list)
    for row in kg.select(
        "SELECT ?claim ?premise WHERE { GRAPH ?record { ?claim wg:derivedFrom ?premise } } ORDER BY ?claim ?premise",
        as_of=as_of,
    ):
        premises[value(row, "claim")].append(value(row, "premise"))
    for r in rows_list:
        held = value(r, "held") if r["held"] is not None else "the fact sheet"
        if r["start"] is not None:
            span = f"chars {value(r, 'start')}-{value(r, 'end')} of {held}"
        elif r["line"] is not None:
            span = f"line {value(r, 'line')} of {held}"
        elif value(r, "claim") in premises:
            span = "inferred from " + ", ".join(_claim_name(c) for c in premises[value(r, "claim")])
        else:
            span = "no span"
        p = value(r, "p")
        status = statuses.of(value(r, "claim"), _bound(r["s"]), p, _bound(r["o"]))
        facts.append(
            Fact(
                subject=display(r["s"], labels),
                property=p,
                property_label=labels.get(p, compact(p)),
                value=_bound(r["o"]),
                value_label=display(r["o"], labels),
                claim=value(r, "claim"),
                source=value(r, "source"),
                source_title=value(r, "title"),
                date=_shown_date(value(r, "date"), r["latest"], r["exact"]),
                certainty=value(r, "certainty"),
                current=status.status != SUPERSEDED,
                span=span,
                status=status.status,
                status_by=status.by,
                inferred=value(r, "claim") in premises,
                subject_iri=value(r, "s"),
            )
        )
    return facts


def _shown_date(date: str, latest: Term | None, exact: Term | None) -> str:
    """A claim's date as a card shows it: an undated source's claim (dated by the upper bound of its source's
    date window) reads ``date unknown, at the latest 2026-11-24``."""
    if exact is None and latest is not None and getattr(latest, "value", None) == date:
        return f"date unknown, at the latest {date}"
    return date


def _claim_name(iri: str) -> str:
    """A claim IRI without the common prefix: ``cinemark-2024/a01``."""
    from .namespaces import CLAIM

    return iri[len(CLAIM) :] if iri.startswith(CLAIM) else compact(iri)


def _bound(term: Term | None) -> Term:
    if term is None:
        raise ValueError("unbound value in a fact row")
    return term


def _labels(kg: KnowledgeGraph) -> dict[str, str]:
    rows = kg.select("SELECT ?s ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } FILTER(?g IN (wgg:entities, wgg:ontology)) }")
    return {value(r, "s"): value(r, "l") for r in rows}


def entity_card(kg: KnowledgeGraph, name: str, *, as_of: str | _dt.date | None = None) -> EntityCard:
    """Build the card of the entity ``name`` (label, alias, ``wgd:`` name or IRI)."""
    iri = resolve(kg, name)
    info = kg.select(f"""
        SELECT ?label ?type ?alias WHERE {{
          GRAPH wgg:entities {{ <{iri}> rdfs:label ?label . OPTIONAL {{ <{iri}> a ?type }} OPTIONAL {{ <{iri}> skos:altLabel ?alias }} }}
        }}""")
    if not len(info):
        raise not_found(kg, compact(iri)[4:] if compact(iri).startswith("wgd:") else compact(iri))
    label = value(info[0], "label")
    types = sorted({compact(value(r, "type")) for r in info if r["type"] is not None})
    aliases = sorted({value(r, "alias") for r in info if r["alias"] is not None})
    inverse = {
        value(r, "p")
        for r in kg.select(
            "SELECT ?p WHERE { GRAPH wgg:ontology { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } UNION { ?p a owl:SymmetricProperty } } }"
        )
    }
    labels = _labels(kg)  # read once for the whole card
    outgoing = _facts(kg, f"<{iri}> ?p ?o . BIND(<{iri}> AS ?s)", as_of, labels)
    incoming = [
        f for f in _facts(kg, f"?s ?p <{iri}> . BIND(<{iri}> AS ?o)", as_of, labels) if f.property not in inverse
    ]
    qualified: dict[str, list[Fact]] = {}
    nodes = kg.select(
        f"""
        SELECT DISTINCT ?node WHERE {{ ?node ?p <{iri}> ; a ?t . FILTER(?t IN ({", ".join(f"<{t}>" for t in sorted(_QUALIFIED))})) }}
        ORDER BY ?node""",
        as_of=as_of,
    )
    node_iris = [value(row, "node") for row in nodes]
    by_node: dict[str, list[Fact]] = defaultdict(list)
    for start in range(0, len(node_iris), 200):  # the facts of all the qualified nodes, in a few queries
        batch = " ".join(f"<{n}>" for n in node_iris[start : start + 200])
        for f in _facts(kg, f"VALUES ?s {{ {batch} }} ?s ?p ?o .", as_of, labels):
            if not isinstance(f.value, NamedNode) or f.value.value != iri:
                by_node[f.subject_iri].append(f)
    for node in node_iris:
        facts = by_node.get(node)
        if facts:
            qualified[facts[0].subject] = facts
    incoming = [f for f in incoming if f.subject not in qualified]
    functional = frozenset(
        value(r, "p")
        for r in kg.select(
            "SELECT ?p WHERE { GRAPH wgg:ontology { { ?p a owl:FunctionalProperty } UNION { ?p a wg:SingleValuedProperty } } }"
        )
    )
    return EntityCard(
        iri=iri,
        label=label,
        types=types,
        aliases=aliases,
        facts=outgoing,
        incoming=incoming,
        qualified=qualified,
        as_of=str(as_of) if as_of else None,
        functional=functional,
    )
