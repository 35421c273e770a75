"""The draft: what ``wickgraph propose`` writes, and reads back for ``wickgraph review``.

A draft is a TriG file in the data directory. It holds the source record (in its final form), a *draft graph*
(``<https://w3id.org/wickgraph/draft/KEY>``, vocabulary ``wgp:``) that lists every sentence with its span, every
mention with what it links to, every candidate claim with its span, certainty, cue word and score, and the new
entities the candidates need; and one graph per candidate with the triples it would assert. The build refuses a
file that holds a draft graph (:func:`wickgraph.building.drafts.refuse_drafts`) until ``wickgraph review`` has
turned it into claims. The draft cites the text by offsets only: it copies none of its sentences.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..namespaces import WG
from .model import IRI, Candidate, Lit, Mention, NewEntity, Sentence, Triple
from .turtle import PREFIXES, SCHEMA, WGP, WGS, group, iri, lit, literal_of

__all__ = ["Draft", "SourceInfo", "draft_graph", "read_draft", "write_draft"]

DRAFT_BASE = "https://w3id.org/wickgraph/draft/"
CLAIM_BASE = "https://w3id.org/wickgraph/claim/"


def draft_graph(key: str) -> str:
    return DRAFT_BASE + key


@dataclass
class SourceInfo:
    """The source record: what the article is, when it was published and how we know, the text we hold."""

    key: str
    title: str
    publisher: str
    """IRI of the publisher (a ``wg:Company``)."""
    published: date
    date_basis: str
    tier: str
    local_file: str
    sha256: str
    url: str | None = None
    about: str | None = None

    def lines(self) -> list[str]:
        p = PREFIXES
        props = [
            "a wg:Source",
            f"schema:name {lit(self.title)}",
            f"schema:publisher {iri(self.publisher, p)}",
        ]
        if self.about:
            props.append(f"schema:about {iri(self.about, p)}")
        if self.url:
            props.append(f"schema:url <{self.url}>")
        props += [
            f'schema:datePublished "{self.published.isoformat()}"^^xsd:date',
            f"wg:dateBasis {lit(self.date_basis)}",
            f"wg:tier {lit(self.tier)}",
            f"wg:localFile {lit(self.local_file)}",
            f"wg:sha256 {lit(self.sha256)}",
        ]
        return [f"  wgs:{self.key} " + " ;\n      ".join(props) + " ."]


@dataclass
class Draft:
    """A draft as read back: the source, the text's sentences, mentions and candidates."""

    source: SourceInfo
    text_path: str
    extractor: str
    sentences: list[Sentence]
    mentions: list[Mention]
    candidates: dict[str, Candidate]
    """Candidate IRI -> candidate, in the order of the text."""
    new_entities: dict[str, NewEntity] = field(default_factory=dict)
    publisher_entity: NewEntity | None = None


def write_draft(path: Path, draft: Draft) -> None:
    """Write ``draft`` as TriG to ``path``."""
    key = draft.source.key
    dg = draft_graph(key)
    prefixes = dict(PREFIXES, p=CLAIM_BASE + key + "/", x=dg + "/")
    lines = [
        f"# DRAFT by `wickgraph propose` (extractor: {draft.extractor}) from {draft.source.local_file}: NOT REVIEWED.",
        f"# The build refuses this file until `wickgraph review {path.name}` has turned its candidates into claims.",
        "# Spans are Unicode character offsets (end exclusive) into the held text with the SHA-256 below; the draft",
        "# copies none of its sentences.",
    ]
    lines += [f"@prefix {k + ':':<7} <{v}> ." for k, v in prefixes.items()]
    lines += ["", f"wgs:{key} {{", *draft.source.lines(), "}", "", f"<{dg}> {{"]
    lines.append(f"  <{dg}> a wgp:Draft ; wgp:source wgs:{key} ;")
    lines.append(f"      wgp:textPath {lit(draft.text_path)} ; wgp:extractor {lit(draft.extractor)} .")
    if draft.publisher_entity:
        pe = draft.publisher_entity
        lines.append(f"  <{dg}> wgp:newPublisher {iri(pe.iri, prefixes)} .")
    proposals: dict[int, int] = {}
    for cand in draft.candidates.values():
        for s in draft.sentences:
            if s.start <= cand.start < s.end:
                proposals[s.index] = proposals.get(s.index, 0) + 1
    lines.append("")
    lines.append("  # Sentences (wgp:proposals: how many candidate claims rest on it; 0: nothing was understood).")
    for s in draft.sentences:
        lines.append(
            f"  x:s{s.index:03d} a wgp:Sentence ; wg:spanStart {s.start} ; wg:spanEnd {s.end} ; "
            f"wgp:proposals {proposals.get(s.index, 0)} ."
        )
    lines.append("")
    lines.append("  # Names found in the text and what they link to.")
    for i, m in enumerate(draft.mentions, 1):
        props = [
            "a wgp:Mention",
            f"wg:spanStart {m.start}",
            f"wg:spanEnd {m.end}",
            f"wgp:surface {lit(m.surface)}",
            f"wgp:match wgp:{m.match.capitalize()}",
            f"wgp:score {m.score}",
        ]
        if m.entity:
            props.append(f"wgp:entity {iri(m.entity, prefixes)}")
        if m.candidates:
            props.append("wgp:candidate " + ", ".join(iri(c, prefixes) for c in m.candidates))
        if m.proposed:
            props.append(f"wgp:proposedEntity {iri(m.proposed, prefixes)}")
        if m.type_guess:
            props.append(f"wgp:typeGuess wg:{m.type_guess}")
        if m.nested:
            props.append("wgp:nested true")
        if m.in_parentheses:
            props.append("wgp:inParentheses true")
        lines.append(f"  x:m{i:03d} " + " ; ".join(props[:4]) + " ;\n      " + " ; ".join(props[4:]) + " .")
    lines.append("")
    lines.append("  # Candidate claims: each a span, a certainty from the span's words, a score; triples in its graph.")
    for name, cand in draft.candidates.items():
        props = [
            "a wgp:Candidate",
            f"wgp:relation {lit(cand.relation)}",
            f"wg:certainty wg:{cand.certainty}",
            f"wg:spanStart {cand.start}",
            f"wg:spanEnd {cand.end}",
            f"wgp:score {cand.score}",
            f"wgp:why {lit(cand.why)}",
        ]
        if cand.cue:
            props.append(f"wgp:cue {lit(cand.cue)}")
        for ne in cand.new_entities:
            props.append(f"wgp:newEntity {iri(ne.iri, prefixes)}")
        for entity, alias in cand.aliases:
            props.append(f"wgp:alias [ wgp:entity {iri(entity, prefixes)} ; wgp:name {lit(alias)} ]")
        lines.append(
            f"  {iri(name, prefixes)} "
            + " ; ".join(props[:3])
            + " ;\n      "
            + " ; ".join(props[3:6])
            + " ;\n      "
            + " ;\n      ".join(props[6:])
            + " ."
        )
    entities = dict(draft.new_entities)
    if draft.publisher_entity:
        entities[draft.publisher_entity.iri] = draft.publisher_entity
    if entities:
        lines.append("")
        lines.append("  # Entities the registry lacks, proposed with a type guess (added to the registry if accepted).")
        for ne in entities.values():
            lines.append(
                f"  {iri(ne.iri, prefixes)} wgp:proposedType wg:{ne.type} ; wgp:proposedLabel {lit(ne.label)} ."
            )
    lines.append("}")
    for name, cand in draft.candidates.items():
        lines += ["", f"{iri(name, prefixes)} {{", *group(cand.triples, prefixes), "}"]
    # Written beside, then renamed: a killed run leaves no half draft.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_draft(path: Path) -> Draft:
    """Read a draft written by :func:`write_draft` (a :class:`~wickgraph.errors.DataError` if it is not one)."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    from ..building.parse import read_quads

    quads = read_quads(path)
    drafts = [q for q in quads if q.predicate.value == WGP_TYPE and q.object == NamedNode(WGP + "Draft")]
    if not drafts:
        raise DataError(f"{path}: not a draft of `wickgraph propose` (no wgp:Draft in it); nothing to review")
    dg = str(drafts[0].subject.value)  # type: ignore[union-attr]
    by_graph: dict[str, list[tuple[Any, str, Any]]] = {}
    for q in quads:
        g = q.graph_name.value if isinstance(q.graph_name, NamedNode) else ""
        by_graph.setdefault(g, []).append((q.subject, q.predicate.value, q.object))

    def props(graph: str) -> dict[str, dict[str, list[Any]]]:
        out: dict[str, dict[str, list[Any]]] = {}
        for s, p, o in by_graph.get(graph, []):
            key = s.value if isinstance(s, NamedNode) else f"_:{s.value}" if isinstance(s, BlankNode) else str(s)
            out.setdefault(key, {}).setdefault(p, []).append(o)
        return out

    def one(d: dict[str, list[Any]], p: str) -> str:
        v = d.get(p)
        return str(v[0].value) if v else ""

    dp = props(dg)
    head = dp[dg]
    source_iri = one(head, WGP + "source")
    key = source_iri[len(WGS) :]
    sp = props(source_iri)[source_iri]
    source = SourceInfo(
        key=key,
        title=one(sp, SCHEMA + "name"),
        publisher=one(sp, SCHEMA + "publisher"),
        published=date.fromisoformat(one(sp, SCHEMA + "datePublished")),
        date_basis=one(sp, WG + "dateBasis"),
        tier=one(sp, WG + "tier"),
        local_file=one(sp, WG + "localFile"),
        sha256=one(sp, WG + "sha256"),
        url=one(sp, SCHEMA + "url") or None,
        about=one(sp, SCHEMA + "about") or None,
    )
    sentences, mentions, raw_candidates = [], [], []
    new_entities: dict[str, NewEntity] = {}
    for subject, d in dp.items():
        kinds = {o.value for o in d.get(WGP_TYPE, []) if isinstance(o, NamedNode)}
        if WGP + "Sentence" in kinds:
            index = int(subject.rsplit("/s", 1)[-1])
            sentences.append(Sentence(index, int(one(d, WG + "spanStart")), int(one(d, WG + "spanEnd"))))
        elif WGP + "Mention" in kinds:
            m = Mention(
                int(one(d, WG + "spanStart")),
                int(one(d, WG + "spanEnd")),
                one(d, WGP + "surface"),
                one(d, WGP + "match").rsplit("#", 1)[-1].lower(),
                entity=one(d, WGP + "entity") or None,
                candidates=tuple(sorted(str(o.value) for o in d.get(WGP + "candidate", []))),
                score=float(one(d, WGP + "score") or 1.0),
                proposed=one(d, WGP + "proposedEntity") or None,
            )
            guess = one(d, WGP + "typeGuess")
            m.type_guess = guess.rsplit("#", 1)[-1] if guess else None
            mentions.append(m)
        elif WGP + "Candidate" in kinds:
            raw_candidates.append((subject, d))
        elif WGP + "proposedType" in d:
            new_entities[subject] = NewEntity(
                subject, one(d, WGP + "proposedType").rsplit("#", 1)[-1], one(d, WGP + "proposedLabel")
            )
    candidates: dict[str, Candidate] = {}
    for subject, d in sorted(raw_candidates, key=lambda sd: (int(one(sd[1], WG + "spanStart")), sd[0])):
        triples: list[Triple] = []
        for s, p, o in by_graph.get(subject, []):
            obj = (
                IRI(o.value)
                if isinstance(o, NamedNode)
                else literal_of(o.value, o.datatype.value)
                if isinstance(o, Literal)
                else Lit(str(o))
            )
            triples.append((IRI(s.value), IRI(p), obj))
        aliases = []
        for node in d.get(WGP + "alias", []):
            ad = dp.get(f"_:{node.value}", {})
            aliases.append((one(ad, WGP + "entity"), one(ad, WGP + "name")))
        candidates[subject] = Candidate(
            relation=one(d, WGP + "relation"),
            start=int(one(d, WG + "spanStart")),
            end=int(one(d, WG + "spanEnd")),
            triples=triples,
            score=float(one(d, WGP + "score")),
            certainty=one(d, WG + "certainty").rsplit("#", 1)[-1],
            cue=one(d, WGP + "cue") or None,
            new_entities=[
                new_entities[str(o.value)] for o in d.get(WGP + "newEntity", []) if str(o.value) in new_entities
            ],
            aliases=aliases,
            why=one(d, WGP + "why"),
        )
    publisher_iri = one(head, WGP + "newPublisher")
    publisher = new_entities.pop(publisher_iri, None) if publisher_iri else None
    return Draft(
        source=source,
        text_path=one(head, WGP + "textPath"),
        extractor=one(head, WGP + "extractor"),
        sentences=sorted(sentences, key=lambda s: s.index),
        mentions=sorted(mentions, key=lambda m: (m.start, -m.end)),
        candidates=candidates,
        new_entities=new_entities,
        publisher_entity=publisher,
    )


WGP_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
