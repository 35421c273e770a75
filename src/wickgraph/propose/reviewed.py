"""The data file of a reviewed draft: the accepted claims, the no-fact spans and the new registry entries, in
the style of the hand-made source files (the review loop that decides on each candidate is
:mod:`wickgraph.propose.review`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import DataError
from ..namespaces import WG, WGD
from .draft import CLAIM_BASE, Draft
from .model import IRI, Candidate, NewEntity, Triple
from .registry import Registry
from .turtle import PREFIXES, group, iri, lit

__all__ = ["Decision", "render_reviewed"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Decision:
    candidate: Candidate
    action: str
    """``accept``, ``reject`` or ``nofact``."""
    reason: str = "WriterAside"
    note: str | None = None
    edited: bool = False


def render_reviewed(draft: Draft, decisions: list[Decision], registry: Registry, today: date) -> str:
    """The data file for a reviewed draft, in the style of the hand-made source files."""
    src = draft.source
    key = src.key
    letter = key[0] if key[0].isalpha() and key[0] != "n" else "k"
    prefixes = {k: PREFIXES[k] for k in ("wg", "wgd", "wgs")}
    prefixes[letter] = f"{CLAIM_BASE}{key}/"
    prefixes["n"] = f"https://w3id.org/wickgraph/nofact/{key}/"
    prefixes.update({k: PREFIXES[k] for k in ("schema", "xsd")})
    accepted = [d for d in decisions if d.action == "accept"]
    nofact = sorted({(d.candidate.start, d.candidate.end, d.reason) for d in decisions if d.action == "nofact"})
    rejected = sum(1 for d in decisions if d.action == "reject")
    entities = _entities(draft, accepted, registry)
    if entities:
        prefixes.update({k: PREFIXES[k] for k in ("wgg", "rdfs", "skos")})
    lines = [
        f"# Claims of {lit(src.title)}, published {src.published.isoformat()}. Drafted by `wickgraph propose`"
        f" (extractor: {draft.extractor}) and",
        f"# reviewed with `wickgraph review` on {today.isoformat()}: {len(accepted)} claims accepted, {rejected} "
        f"candidates rejected, {len(nofact)} sentences marked",
        "# as stating no fact. We do not keep the article's text: each claim points at a character span"
        " (wg:spanStart /",
        f"# wg:spanEnd, Unicode characters from 0) of the held copy whose SHA-256 is given below ({src.local_file}).",
        *[f"@prefix {k + ':':<7} <{v}> ." for k, v in prefixes.items()],
        "",
        f"wgs:{key} {{",
        *src.lines(),
        "",
    ]
    ordered = sorted(accepted, key=lambda d: (d.candidate.start, d.candidate.end))
    names = {id(d): f"{letter}:{letter}{i:02d}" for i, d in enumerate(ordered, 1)}
    for d in ordered:
        c = d.candidate
        props = [f"wg:certainty wg:{c.certainty}", f"wg:spanStart {c.start}", f"wg:spanEnd {c.end}"]
        if d.note:
            props.append(f"wg:certaintyNote {lit(d.note)}")
        lines.append(f"  {names[id(d)]} a wg:Claim ; " + " ; ".join(props) + " .")
    if nofact:
        lines += ["", f"  # Sentences that state no fact (see `wickgraph coverage {key}`)."]
        for i, (start, end, reason) in enumerate(nofact, 1):
            lines.append(
                f"  n:{i:02d} a wg:NoFactSpan ; wg:noFactReason wg:{reason} ; wg:spanStart {start} ; wg:spanEnd {end} ."
            )
    lines.append("}")
    for d in ordered:
        lines += ["", f"{names[id(d)]} {{", *group(d.candidate.triples, prefixes), "}"]
    if entities:
        lines += [
            "",
            "# Entities this source introduces, and names it uses for known ones: added to the registry.",
            "wgg:entities {",
        ]
        for subject, props in entities.items():
            lines.append(f"  {iri(subject, prefixes)} " + " ; ".join(props) + " .")
        lines.append("}")
    return "\n".join(lines) + "\n"


def _entities(draft: Draft, accepted: list[Decision], registry: Registry) -> dict[str, list[str]]:
    """New registry entries (type and label) and new aliases, for the entities the accepted claims use."""
    out: dict[str, list[str]] = {}
    proposed: dict[str, NewEntity] = dict(draft.new_entities)
    if draft.publisher_entity:
        proposed[draft.publisher_entity.iri] = draft.publisher_entity
        out[draft.publisher_entity.iri] = [
            f"a wg:{draft.publisher_entity.type}",
            f"rdfs:label {lit(draft.publisher_entity.label)}",
        ]
    for d in accepted:
        for ne in d.candidate.new_entities:
            proposed.setdefault(ne.iri, ne)
        for s, _, o in d.candidate.triples:
            for t in (s, o):
                if not isinstance(t, IRI) or not t.value.startswith(WGD) or t.value in registry.entities:
                    continue
                if t.value in out:
                    continue
                found = proposed.get(t.value)
                if found is not None:
                    out[t.value] = [f"a wg:{found.type}", f"rdfs:label {lit(found.label)}"]
                elif not _is_node_in_claim(t.value, d.candidate.triples):
                    raise DataError(
                        f"review: claim at {d.candidate.start}-{d.candidate.end} uses <{t.value}>, which is neither in "
                        "the registry nor proposed by the draft"
                    )
        for entity, alias in d.candidate.aliases:
            names = registry.entities[entity].names if entity in registry.entities else ()
            if alias not in names:
                out.setdefault(entity, []).append(f"skos:altLabel {lit(alias)}")
    return out


def _is_node_in_claim(value: str, triples: list[Triple]) -> bool:
    """A qualified node typed in the claim itself (a wg:Performance): it needs no registry entry."""
    return any(s.value == value and p.value == _RDF_TYPE and o == IRI(WG + "Performance") for s, p, o in triples)
