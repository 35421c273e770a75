"""Finding an entity by name: search by label or alias, the one entity a name means (:func:`resolve`), and the
nearest names when none has it (:func:`not_found`). The cards built from what is found are in
:mod:`wickgraph.entity`, which re-exports these names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import EntityNotFoundError
from .namespaces import WGD, compact
from .terms import value

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["EntityMatch", "nearest_names", "not_found", "resolve", "search"]


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """An entity found by name."""

    iri: str
    label: str
    type: str
    matched: str
    """The label or alias that matched."""


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


def _local_name(kg: KnowledgeGraph, name: str, entity_class: str | None) -> str | None:
    """The registry entity whose IRI ends in ``name`` (``john-wick`` for ``wgd:john-wick``), if there is one
    (of ``entity_class``, when given)."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._~-]*", name):
        return None
    iri = WGD + name
    typed = f"; a {entity_class}" if entity_class is not None else ""
    if kg.ask(f"ASK {{ GRAPH wgg:entities {{ <{iri}> rdfs:label ?label {typed} }} }}"):
        return iri
    return None


def nearest_names(names: list[tuple[str, str]], name: str, *, limit: int = 5) -> list[str]:
    """The names nearest to ``name``, nearest first, from ``names`` (pairs of what to show and what to match:
    ``("John Wick (2014)", "the original")`` for an alias): those that contain it or that it contains, then
    those that differ from it in a few letters (:mod:`difflib`).

    >>> nearest_names([("John Wick", "John Wick"), ("Ballerina", "Ballerina"), ("Winston", "Winston")], "jon wick")
    ['John Wick']
    """
    import difflib

    wanted = name.casefold().replace("-", " ").strip()
    if not wanted:
        return []
    keys: dict[str, list[str]] = defaultdict(list)
    for show, key in names:
        keys[key.casefold().replace("-", " ")].append(show)
    found: list[str] = []
    for key in difflib.get_close_matches(wanted, list(keys), n=limit * 2, cutoff=0.6):
        found.extend(keys[key])
    if len(wanted) >= 3:
        for key in sorted(keys, key=lambda k: (abs(len(k) - len(wanted)), k)):
            if wanted in key or (len(key) >= 4 and key in wanted):
                found.extend(keys[key])
    return list(dict.fromkeys(found))[:limit]


def not_found(kg: KnowledgeGraph, name: str, *, entity_class: str | None = None) -> EntityNotFoundError:
    """The error for a name no entity has, with the nearest names of the registry as a hint."""
    typed = f"; a {entity_class}" if entity_class is not None else ""
    rows = kg.select(f"""
        SELECT ?e ?label ?name WHERE {{
          GRAPH wgg:entities {{ ?e rdfs:label ?label {typed} . {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }} }}
        }}""")
    names = []
    for row in rows:
        names.append((value(row, "label"), value(row, "name")))
        if value(row, "e").startswith(WGD):
            names.append((value(row, "label"), value(row, "e")[len(WGD) :]))
    kind = f" ({entity_class})" if entity_class else ""
    nearest = nearest_names(names, name)
    hint = f"; nearest names: {', '.join(nearest)}" if nearest else ""
    word = (name.split() or [name])[0]
    return EntityNotFoundError(
        f"no entity is called {name!r}{kind}{hint} (try `wickgraph search {word}`)",
        [(n, n) for n in nearest],
    )


def resolve(kg: KnowledgeGraph, name: str, *, entity_class: str | None = None) -> str:
    """The IRI of the entity called ``name``: an exact label or alias (case-insensitive) wins, then the local
    name of an IRI (``john-wick``), else a unique partial match; ``entity_class`` (e.g. ``"wg:Work"``) narrows
    the candidates. Raises :class:`~wickgraph.errors.EntityNotFoundError` listing the candidates when the name
    is ambiguous, or the nearest names when there is none."""
    if name.startswith(("http://", "https://")):
        return name
    if name.startswith("wgd:"):
        return WGD + name[4:]
    found = _exact(kg, name, entity_class) or _local_name(kg, name, entity_class)
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
        raise not_found(kg, name, entity_class=entity_class)
    listing = "; ".join(f"{m.label} ({m.type})" for m in chosen[:15])
    raise EntityNotFoundError(
        f"{name!r} matches {len(chosen)} entities: {listing}. Give one of these names.",
        [(m.iri, m.label) for m in chosen],
    )
