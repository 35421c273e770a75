"""JSON forms of library objects for the HTTP API: entity cards, each fact's value a term as in SPARQL results
JSON (:func:`wickgraph.sparql_json.term_json`)."""

from __future__ import annotations

from typing import Any

from ..entity import EntityCard, Fact
from ..sparql_json import term_json

__all__ = ["card_json", "fact_json"]


def fact_json(fact: Fact) -> dict[str, Any]:
    """One fact of a card, with its provenance."""
    return {
        "subject": fact.subject,
        "property": fact.property,
        "property_label": fact.property_label,
        "value": term_json(fact.value),
        "value_label": fact.value_label,
        "claim": fact.claim,
        "source": fact.source,
        "source_title": fact.source_title,
        "date": fact.date,
        "certainty": fact.certainty,
        "current": fact.current,
        "status": fact.status,
        "status_by": list(fact.status_by),
        "inferred": fact.inferred,
        "span": fact.span,
    }


def card_json(card: EntityCard) -> dict[str, Any]:
    """An entity card: identity, facts (outgoing, incoming, on qualified nodes) and the properties in conflict."""
    return {
        "iri": card.iri,
        "label": card.label,
        "types": card.types,
        "aliases": card.aliases,
        "as_of": card.as_of,
        "facts": [fact_json(f) for f in card.facts],
        "incoming": [fact_json(f) for f in card.incoming],
        "qualified": {node: [fact_json(f) for f in facts] for node, facts in card.qualified.items()},
        "conflicts": sorted(card.conflicts()),
    }
