"""Growing the graph from articles: ``propose`` drafts cited claims from a new text, ``review`` makes them data.

``propose`` cuts a held text into sentences (pySBD, :func:`wickgraph.spans.segment`), finds the registry's names in
it (labels and aliases, exact, then fuzzy with RapidFuzz; names the registry lacks become proposed entities with a
type guess), runs an extractor (:class:`~wickgraph.propose.model.Extractor`; the rule-based one by default) and
writes a draft (:mod:`wickgraph.propose.draft`) that the build refuses until it is reviewed. ``review`` asks a
person about each candidate, one at a time, and writes the accepted claims in the style of the hand-made files.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import DataError, UsageError
from .certainty import certainty_of
from .draft import CLAIM_BASE, Draft, SourceInfo, read_draft, sha256_of, write_draft
from .model import Candidate, Context, Extractor, Mention, NewEntity, Sentence
from .registry import Registry, find_mentions, load_registry, slug
from .review import ReviewResult, review

__all__ = [
    "Candidate",
    "Context",
    "Extractor",
    "Mention",
    "ProposeResult",
    "ReviewResult",
    "Sentence",
    "load_extractor",
    "propose",
    "propose_text",
    "read_draft",
    "review",
]


@dataclass(frozen=True, slots=True)
class ProposeResult:
    """What ``propose`` wrote."""

    path: Path
    draft: Draft

    def summary(self) -> str:
        d = self.draft
        unknown = sum(1 for m in d.mentions if m.match == "unknown")
        ambiguous = sum(1 for m in d.mentions if m.match == "ambiguous")
        fuzzy = sum(1 for m in d.mentions if m.match == "fuzzy")
        covered = {s.index for s in d.sentences for c in d.candidates.values() if s.start <= c.start < s.end}
        by_relation = Counter(c.relation for c in d.candidates.values())
        relations = ", ".join(f"{r} {n}" for r, n in sorted(by_relation.items())) or "none"
        return "\n".join(
            [
                f"Wrote draft {self.path} (source wgs:{d.source.key}): NOT REVIEWED, the build refuses it until "
                f"`wickgraph review {self.path}`",
                f"  {len(d.sentences)} sentences, {len(d.sentences) - len(covered)} with no proposed claim",
                f"  {len(d.mentions)} mentions: {fuzzy} fuzzy, {ambiguous} ambiguous, {unknown} unknown names",
                f"  {len(d.candidates)} candidate claims: {relations}",
            ]
        )


def load_extractor(spec: str | None) -> Extractor:
    """The extractor named ``module:attr`` (a class is instantiated without arguments); the rules by default."""
    if not spec:
        from .rules import RuleExtractor

        return RuleExtractor()
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise UsageError(f"--extractor {spec!r}: expected MODULE:ATTRIBUTE (e.g. mypackage.extract:MyExtractor)")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"--extractor {spec!r}: cannot import {module_name}: {exc}") from None
    obj = getattr(module, attr, None)
    if obj is None:
        raise UsageError(f"--extractor {spec!r}: {module_name} has no attribute {attr!r}")
    extractor = obj() if isinstance(obj, type) else obj
    if not isinstance(extractor, Extractor):
        raise UsageError(f"--extractor {spec!r}: not an extractor (needs a `name` and an `extract` method)")
    return extractor


def propose_text(
    text: str, registry: Registry, *, about: str | None = None, extractor: Extractor | None = None
) -> tuple[list[Sentence], list[Mention], list[Candidate], str | None]:
    """The sentences, mentions and candidate claims of ``text`` (nothing written), and the work it is about."""
    from ..spans import segment

    sentences = [Sentence(i, s, e) for i, (s, e) in enumerate(segment(text), 1)]
    mentions = find_mentions(text, sentences, registry)
    if about is None:
        about = _main_work(mentions, registry)
    extractor = extractor or load_extractor(None)
    candidates = extractor.extract(text, sentences, mentions, Context(registry, about))
    for cand in candidates:
        if not (0 <= cand.start < cand.end <= len(text)):
            raise DataError(f"extractor {extractor.name!r}: candidate span {cand.start}-{cand.end} is outside the text")
        if cand.certainty is None:
            cand.certainty, cand.cue = certainty_of(text[cand.start : cand.end])
    candidates.sort(key=lambda c: (c.start, c.relation))
    return sentences, mentions, candidates, about


def _main_work(mentions: list[Mention], registry: Registry) -> str | None:
    """The film the text names most (exact or fuzzy mentions of a film or series)."""
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.nested:
            continue
        for iri in m.options():
            # An ambiguous name counts for the film whose own label it is ("Ballerina", not the character).
            if registry.type_of(iri) in ("Film", "TVSeries") and (
                m.entity or registry.label(iri).casefold() == m.surface.casefold()
            ):
                counts[iri] += 1
    return counts.most_common(1)[0][0] if counts else None


def propose(
    text_file: Path,
    *,
    title: str,
    publisher: str,
    published: date,
    url: str | None = None,
    out: Path | None = None,
    force: bool = False,
    key: str | None = None,
    tier: str = "N",
    date_basis: str | None = None,
    about: str | None = None,
    extractor: str | Extractor | None = None,
    data_dir: Path | None = None,
) -> ProposeResult:
    """Draft the claims of a held text into ``out`` (default ``DATA/<key>.trig``); see the module docstring."""
    from ..locations import default_data_dir

    data_dir = data_dir or default_data_dir()
    if not text_file.is_file():
        raise UsageError(f"{text_file}: no such file")
    raw = text_file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{text_file}: not UTF-8 text (byte {exc.start}): {exc.reason}") from None
    registry = load_registry(data_dir)
    key = key or f"{re.sub(r'[^a-z0-9]', '', publisher.lower()) or 'source'}-{published.year}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
        raise UsageError(f"--key {key!r}: use lower-case letters, digits and hyphens")
    out = out or data_dir / f"{key}.trig"
    if out.exists() and not force:
        raise UsageError(f"{out} exists; pass --force to replace it, or -o another file")
    about_iri = None
    if about:
        found = [i for i in registry.find_by_label(about) if registry.type_of(i) in ("Film", "TVSeries")]
        if not found:
            raise UsageError(f"--about {about!r}: no film or series of that name in the registry")
        about_iri = found[0]
    chosen = extractor if not isinstance(extractor, (str, type(None))) else load_extractor(extractor)
    sentences, mentions, candidates, about_iri = propose_text(text, registry, about=about_iri, extractor=chosen)
    publisher_iri, publisher_entity = _publisher(publisher, registry)
    source = SourceInfo(
        key=key,
        title=title,
        publisher=publisher_iri,
        published=published,
        date_basis=date_basis or "publication date as given to `wickgraph propose --published`",
        tier=tier,
        local_file=text_file.name,
        sha256=sha256_of(text_file),
        url=url,
        about=about_iri,
    )
    new_entities: dict[str, NewEntity] = {}
    for cand in candidates:
        for ne in cand.new_entities:
            new_entities.setdefault(ne.iri, ne)
    draft = Draft(
        source=source,
        text_path=str(text_file.resolve()),
        extractor=getattr(chosen, "name", type(chosen).__name__),
        sentences=sentences,
        mentions=mentions,
        candidates={f"{CLAIM_BASE}{key}/p{i:02d}": c for i, c in enumerate(candidates, 1)},
        new_entities=new_entities,
        publisher_entity=publisher_entity,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_draft(out, draft)
    return ProposeResult(out, draft)


def _publisher(name: str, registry: Registry) -> tuple[str, NewEntity | None]:
    companies = [i for i in registry.find_by_label(name) if registry.type_of(i) == "Company"]
    if companies:
        return companies[0], None
    from ..namespaces import WGD

    iri = WGD + slug(name)
    return iri, NewEntity(iri, "Company", name)
