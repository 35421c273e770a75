"""The status of each claimed triple: current, superseded or disputed, as the build computed it.

The build (:mod:`wickgraph.building.supersession`) writes one record per superseded or disputed triple of a claim
into dated status graphs; this module reads them, for the whole graph or "as known on" a date (the view then
holds only the status graphs up to that date). Every face (entity cards, the NetworkX export and the HTML view,
the server's JSON, notebook frames) asks here, so they all say the same thing. Named queries test the same
records in SPARQL: a claim's triple is current unless ``?r wg:retiredClaim ?claim ; rdf:subject ?s ;
rdf:predicate ?p ; rdf:object ?o`` exists.

>>> combine(["superseded", "current"]), combine(["superseded", "disputed"]), combine([])
('current', 'disputed', 'current')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode

from .terms import Term, value

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["CURRENT", "DISPUTED", "SUPERSEDED", "ClaimStatuses", "TripleStatus", "claim_statuses", "combine"]

CURRENT, SUPERSEDED, DISPUTED = "current", "superseded", "disputed"
_RANK = {CURRENT: 0, DISPUTED: 1, SUPERSEDED: 2}
_BATCH = 200


@dataclass(frozen=True, slots=True)
class TripleStatus:
    """The status of one claim's triple, and the claims that make it so (the superseding claims, or the claims
    that give another value)."""

    status: str
    by: tuple[str, ...] = ()


_CURRENT = TripleStatus(CURRENT)

Key = tuple[str, Term, str, Term]
"""(claim IRI, subject, predicate IRI, object)."""


class ClaimStatuses:
    """The superseded and disputed triples of the claims in a view; every other claimed triple is current."""

    def __init__(self, found: dict[Key, TripleStatus]) -> None:
        self._found = found

    def of(self, claim: str, subject: Term, predicate: str, obj: Term) -> TripleStatus:
        """The status of the triple ``subject predicate obj`` as claim ``claim`` states it."""
        return self._found.get((claim, subject, predicate, obj), _CURRENT)

    def fact(self, claims: Iterable[str], subject: Term, predicate: str, obj: Term) -> str:
        """The status of a triple stated by several claims (see :func:`combine`)."""
        return combine(self.of(c, subject, predicate, obj).status for c in claims)

    def items(self) -> Iterable[tuple[Key, TripleStatus]]:
        """Every superseded or disputed claim triple."""
        return self._found.items()

    def __len__(self) -> int:
        return len(self._found)


def combine(statuses: Iterable[str]) -> str:
    """A triple's status over all the claims that state it: current when one claim holds it current, else
    disputed when one holds it disputed, else superseded (no claims: current, a registry fact)."""
    best = None
    for status in statuses:
        if best is None or _RANK[status] < _RANK[best]:
            best = status
    return best or CURRENT


def claim_statuses(
    kg: KnowledgeGraph, *, as_of: str | _dt.date | None = None, subjects: Iterable[str] | None = None
) -> ClaimStatuses:
    """The superseded and disputed claim triples of the graph, as known on ``as_of`` (default: all claims),
    optionally only those about the given subject IRIs. A triple retired by a visible claim is superseded; a
    triple given another value by a visible claim, neither superseding the other, is disputed until that other
    value is itself retired."""
    wanted = sorted(set(subjects)) if subjects is not None else None
    batches: list[str] = [""]
    if wanted is not None:
        batches = [
            "VALUES ?s { " + " ".join(str(NamedNode(s)) for s in wanted[i : i + _BATCH]) + " }"
            for i in range(0, len(wanted), _BATCH)
        ]
    found: dict[Key, TripleStatus] = {}
    by: dict[Key, set[str]] = {}
    for values in batches:
        rows = kg.select(
            f"""
            SELECT ?kind ?claim ?s ?p ?o ?by ?ended WHERE {{
              {values}
              {{ ?r wg:retiredClaim ?claim ; wg:retiredBy ?by ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                 BIND("{SUPERSEDED}" AS ?kind) }}
              UNION
              {{ ?r wg:disputedClaim ?claim ; wg:disputedBy ?by ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                 OPTIONAL {{ ?r wg:endedBy ?ended }}
                 BIND("{DISPUTED}" AS ?kind) }}
            }}""",
            as_of=as_of,
        )
        for row in rows.stream():
            if row["ended"] is not None:
                continue
            s, o = row["s"], row["o"]
            if s is None or o is None:
                continue
            key: Key = (value(row, "claim"), s, value(row, "p"), o)
            status, who = value(row, "kind"), value(row, "by")
            old = found.get(key)
            if old is not None and _RANK[old.status] > _RANK[status]:
                continue
            if old is None or old.status != status:
                by[key] = set()
            by[key].add(who)
            found[key] = TripleStatus(status, tuple(sorted(by[key])))
    return ClaimStatuses(found)
