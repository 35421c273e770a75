"""Entities: search by name, and the entity card (every fact about an entity, with its provenance).

A card lists every claim about the entity in both directions. Facts are grouped by property; where sources
give different values for one property the card shows them side by side and marks which are current (not
superseded by a later claim). Facts of qualified nodes the entity takes part in (a performance, a draft, a
release) are shown under that node.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from .errors import EntityNotFoundError
from .namespaces import WG, WGD, compact
from .terminal import safe_text
from .terms import Term, display, value

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["EntityCard", "EntityMatch", "Fact", "entity_card", "resolve", "search"]

_QUALIFIED = {WG + "Performance", WG + "Draft", WG + "ReleaseEvent", WG + "Collaboration"}


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """An entity found by name."""

    iri: str
    label: str
    type: str
    matched: str
    """The label or alias that matched."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One claimed triple about an entity, with its provenance."""

    subject: str
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
    """Where in the held text: ``chars 1189-1244 of FILE`` or ``line 27 of FILE``."""


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
                current = any(f.current for f in claims)
                lines.append(f"{indent}  {shown}{'' if current else '  [superseded]'}")
                for f in claims:
                    mark = "" if f.current else " [superseded]"
                    lines.append(f"{indent}      {f.source_title}, {f.date}, {f.certainty}; {f.span}{mark}")

        for prop, facts in self.by_property().items():
            flag = "  ≠ sources disagree (current one unmarked, superseded marked)" if prop in conflicts else ""
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
        from .notebook.html import entity_card_html

        return entity_card_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's text form: the card as :meth:`render` writes it."""
        printer.text(self.render())


def search(kg: KnowledgeGraph, text: str, *, limit: int = 20) -> list[EntityMatch]:
    """Entities whose label or alias contains ``text``, exact matches first, then by label."""
    from pyoxigraph import Literal

    needle = str(Literal(text.casefold()))
    rows = kg.select(f"""
        SELECT ?e ?label ?type ?name WHERE {{
          GRAPH wgg:entities {{ ?e rdfs:label ?label ; a ?type . {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }} }}
          FILTER(CONTAINS(LCASE(STR(?name)), {needle}))
          FILTER(STRSTARTS(STR(?type), STR(wg:)))
        }}""")
    best: dict[str, EntityMatch] = {}
    for row in rows:
        iri, label, name = value(row, "e"), value(row, "label"), value(row, "name")
        match = EntityMatch(iri, label, compact(value(row, "type")), name)
        exact = name.casefold() == text.casefold()
        if iri not in best or (exact and best[iri].matched.casefold() != text.casefold()):
            best[iri] = match
    ranked = sorted(best.values(), key=lambda m: (m.matched.casefold() != text.casefold(), m.label.casefold()))
    return ranked[:limit]


def _exact(kg: KnowledgeGraph, name: str, entity_class: str | None) -> str | None:
    """The one entity whose label (else alias) is ``name``, found through the ``wg:nameKey`` index (one lookup,
    where :func:`search` reads every label); ``None`` when there is not exactly one, and :func:`resolve` then
    does the full search (same answer, and the same message listing the candidates)."""
    from pyoxigraph import Literal

    key = name.lower()
    if key != name.casefold():  # the index holds LCASE(); casefold() differs (ß, ...): use the full search
        return None
    rows = kg.select(f"""
        SELECT DISTINCT ?e ?label ?type WHERE {{
          GRAPH wgg:entities {{ ?e wg:nameKey {Literal(key)} ; rdfs:label ?label ; a ?type }}
          FILTER(STRSTARTS(STR(?type), STR(wg:)))
        }}""")
    candidates: dict[str, bool] = {}
    for row in rows:
        if entity_class is None or compact(value(row, "type")) == entity_class:
            iri = value(row, "e")
            candidates[iri] = candidates.get(iri, False) or value(row, "label").casefold() == key
    by_label = [iri for iri, is_label in candidates.items() if is_label]
    chosen = by_label or list(candidates)
    return chosen[0] if len(chosen) == 1 else None


def resolve(kg: KnowledgeGraph, name: str, *, entity_class: str | None = None) -> str:
    """The IRI of the entity called ``name``: an exact label or alias (case-insensitive) wins, else a unique
    partial match; ``entity_class`` (e.g. ``"wg:Work"``) narrows the candidates. Raises
    :class:`~wickgraph.errors.EntityNotFoundError` listing the candidates when the name is ambiguous."""
    if name.startswith(("http://", "https://")):
        return name
    if name.startswith("wgd:"):
        return WGD + name[4:]
    found = _exact(kg, name, entity_class)
    if found is not None:
        return found
    matches = search(kg, name, limit=50)
    if entity_class is not None:
        matches = [m for m in matches if m.type == entity_class]
    wanted = name.casefold()
    by_label = [m for m in matches if m.label.casefold() == wanted]
    exact = [m for m in matches if m.matched.casefold() == wanted]
    chosen = by_label or exact or matches  # a label beats an alias, an exact name beats a partial one
    if len({m.iri for m in chosen}) == 1:
        return chosen[0].iri
    if not chosen:
        raise EntityNotFoundError(f"no entity is called {name!r} (try `wickgraph search {name.split()[0]}`)")
    listing = "; ".join(f"{m.label} ({m.type})" for m in chosen[:15])
    raise EntityNotFoundError(
        f"{name!r} matches {len(chosen)} entities: {listing}. Give one of these names.",
        [(m.iri, m.label) for m in chosen],
    )


def _facts(kg: KnowledgeGraph, pattern: str, as_of: str | _dt.date | None) -> list[Fact]:
    rows = kg.select(
        f"""
        SELECT ?s ?p ?o ?claim ?source ?title ?date ?certainty ?start ?end ?line ?held ?superseded WHERE {{
          GRAPH ?claim {{ {pattern} }}
          FILTER(STRSTARTS(STR(?p), STR(wg:)))
          GRAPH ?source {{ ?claim wg:claimDate ?date ; wg:certainty ?certaintyTerm ; wg:spanIn ?heldSource .
                          ?source schema:name ?title .
                          OPTIONAL {{ ?claim wg:spanStart ?start ; wg:spanEnd ?end }}
                          OPTIONAL {{ ?claim wg:spanLine ?line }} }}
          ?certaintyTerm rdfs:label ?certainty .
          OPTIONAL {{ ?heldSource wg:localFile ?held }}
          BIND(xsd:boolean(EXISTS {{ GRAPH ?any {{ ?later wg:supersedes ?claim }} }}) AS ?superseded)
        }} ORDER BY ?p ?date ?claim ?s ?o ?source""",
        as_of=as_of,
    )
    labels = _labels(kg)
    facts = []
    for r in rows:
        held = value(r, "held") if r["held"] is not None else "the fact sheet"
        if r["start"] is not None:
            span = f"chars {value(r, 'start')}-{value(r, 'end')} of {held}"
        else:
            span = f"line {value(r, 'line')} of {held}" if r["line"] is not None else "no span"
        p = value(r, "p")
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
                date=value(r, "date"),
                certainty=value(r, "certainty"),
                current=value(r, "superseded") != "true",
                span=span,
            )
        )
    return facts


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
        raise EntityNotFoundError(f"no entity {compact(iri)} in the registry")
    label = value(info[0], "label")
    types = sorted({compact(value(r, "type")) for r in info if r["type"] is not None})
    aliases = sorted({value(r, "alias") for r in info if r["alias"] is not None})
    inverse = {
        value(r, "p")
        for r in kg.select(
            "SELECT ?p WHERE { GRAPH wgg:ontology { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } UNION { ?p a owl:SymmetricProperty } } }"
        )
    }
    outgoing = _facts(kg, f"<{iri}> ?p ?o . BIND(<{iri}> AS ?s)", as_of)
    incoming = [f for f in _facts(kg, f"?s ?p <{iri}> . BIND(<{iri}> AS ?o)", as_of) if f.property not in inverse]
    qualified: dict[str, list[Fact]] = {}
    nodes = kg.select(
        f"""
        SELECT DISTINCT ?node WHERE {{ ?node ?p <{iri}> ; a ?t . FILTER(?t IN ({", ".join(f"<{t}>" for t in sorted(_QUALIFIED))})) }}
        ORDER BY ?node""",
        as_of=as_of,
    )
    for row in nodes:
        node = value(row, "node")
        facts = [
            f
            for f in _facts(kg, f"<{node}> ?p ?o . BIND(<{node}> AS ?s)", as_of)
            if not isinstance(f.value, NamedNode) or f.value.value != iri
        ]
        if facts:
            qualified[facts[0].subject] = facts
    incoming = [f for f in incoming if f.subject not in qualified]
    functional = frozenset(
        value(r, "p") for r in kg.select("SELECT ?p WHERE { GRAPH wgg:ontology { ?p a owl:FunctionalProperty } }")
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
