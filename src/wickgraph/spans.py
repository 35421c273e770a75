"""Coverage: which sentences of a held text the graph rests on, which state no fact, and which are gaps.

A held text is cut into units: sentences (by pySBD, a rule-based sentence segmenter, see :func:`segment`), or
lines for a text whose claims cite lines (the fact sheet). Each unit is

- *covered* when a claim's span overlaps it (the claims are listed);
- *marked* when a ``wg:NoFactSpan`` of the source's graph covers it whole: the editors read it and found no
  fact in it, for the reason its ``wg:noFactReason`` gives (page furniture, a heading, a signpost, ...);
- a *gap* otherwise: text nothing in the graph accounts for.

The percentage is (covered + marked) / units.

>>> segment("Ballerina opens on June 6, 2025. It stars Ana de Armas.\\n\\nWho Made Ballerina?\\n")
[(0, 32), (33, 55), (57, 76)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .citations import _select, held_texts
from .errors import CitationError, SourceTextError
from .namespaces import CLAIM, WG
from .terms import value

__all__ = ["REASONS", "Coverage", "Unit", "segment", "short_claim", "source_coverage"]

REASONS = {
    "PageFurniture": "page furniture",
    "SourceDetails": "the source's own details",
    "Heading": "heading",
    "Signpost": "signpost",
    "WriterAside": "writer's aside",
    "AboutTheSources": "about the article's sources",
}
"""The reasons a span states no fact (``wg:NoFactReason``, see the ontology), by local name, with their labels."""


def segment(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as character spans ``(start, end)``, without surrounding whitespace.

    pySBD (English rules, no cleaning, so the offsets are the text's own) finds the boundaries; a line break
    with an empty line after it (the end of a paragraph or heading) ends a sentence too.
    """
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    spans: list[tuple[int, int]] = []
    for piece in segmenter.segment(text):
        start, end = piece.start, piece.end
        # pySBD keeps a paragraph break inside a sentence when no full stop ends the line (a heading, a byline).
        for part_start, part_end in _split_paragraphs(text, start, end):
            while part_start < part_end and text[part_start].isspace():
                part_start += 1
            while part_end > part_start and text[part_end - 1].isspace():
                part_end -= 1
            if part_start < part_end:
                spans.append((part_start, part_end))
    return spans


def _split_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, cursor = [], start
    while True:
        cut = text.find("\n\n", cursor, end)
        if cut < 0:
            parts.append((cursor, end))
            return parts
        parts.append((cursor, cut))
        cursor = cut + 2


@dataclass
class Unit:
    """One sentence (or line) of a held text and what rests on it."""

    start: int
    end: int
    text: str
    line: int | None = None
    claims: list[str] = field(default_factory=list)
    no_fact: str | None = None
    """The reason (label) a no-fact mark gives for this unit, when it is marked."""
    note: str | None = None

    @property
    def status(self) -> str:
        """``covered``, ``no fact`` or ``gap``."""
        return "covered" if self.claims else "no fact" if self.no_fact else "gap"


@dataclass
class Coverage:
    """The coverage of one held text: its units in order, and the counts."""

    source: str
    title: str
    held_file: str
    unit_name: str
    units: list[Unit]

    @property
    def covered(self) -> int:
        return sum(1 for u in self.units if u.status == "covered")

    @property
    def marked(self) -> int:
        return sum(1 for u in self.units if u.status == "no fact")

    @property
    def gaps(self) -> list[Unit]:
        return [u for u in self.units if u.status == "gap"]

    @property
    def percent(self) -> float:
        """Covered or marked units, in per cent of all units (100.0 for a text without units)."""
        return 100.0 * (self.covered + self.marked) / len(self.units) if self.units else 100.0


def source_coverage(store: Any, sources_dir: Path, source: str) -> Coverage:
    """The coverage of the held text of ``source``: its IRI, its short name (``cinemark-2024``), its file name
    or its title (case-insensitive).

    ``store`` is a :class:`pyoxigraph.Store` or a wickgraph :class:`~wickgraph.store.Store`. Raises
    :class:`~wickgraph.errors.SourceTextError` when no held text matches, or the text is missing or differs, and
    :class:`~wickgraph.errors.CitationError` when a no-fact span lies outside the text.
    """
    texts = held_texts(store, sources_dir)
    rows = _select(
        store,
        "SELECT ?s ?file ?title WHERE { GRAPH ?s { ?s wg:localFile ?file . OPTIONAL { ?s schema:name ?title } } }",
    )
    wanted = source.strip().casefold()
    match = None
    for row in rows:
        iri, file, title = value(row, "s"), value(row, "file"), row["title"]
        names = {iri.casefold(), iri.rsplit("/", 1)[-1].casefold(), str(file).casefold()}
        if title is not None:
            names.add(title.value.casefold())
        if wanted in names:
            match = (iri, str(file), title.value if title is not None else str(file))
    if match is None:
        held = ", ".join(sorted(value(r, "s").rsplit("/", 1)[-1] for r in rows))
        raise SourceTextError(f"no held source text is called {source!r}; the held texts are: {held}")
    iri, file, title = match
    text = texts[iri]
    spans = _select(
        store,
        f"""SELECT ?claim ?start ?end ?line WHERE {{
              GRAPH ?g {{ ?claim a wg:Claim ; wg:spanIn <{iri}> .
                         OPTIONAL {{ ?claim wg:spanStart ?start ; wg:spanEnd ?end }}
                         OPTIONAL {{ ?claim wg:spanLine ?line }} }} }}""",
    )
    by_line = any(row["line"] is not None for row in spans)
    if by_line:
        units, offset = [], 0
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            if line.strip():
                units.append(Unit(offset, offset + len(line.rstrip()), line.strip(), line=number))
            offset += len(line)
    else:
        units = [Unit(start, end, " ".join(text[start:end].split())) for start, end in segment(text)]
    for row in spans:
        claim = value(row, "claim")
        for unit in units:
            if row["line"] is not None:
                hit = unit.line == int(row["line"].value)
            else:
                hit = int(row["start"].value) < unit.end and unit.start < int(row["end"].value)
            if hit and claim not in unit.claims:
                unit.claims.append(claim)
    for row in _select(
        store,
        f"""SELECT ?mark ?start ?end ?why ?note WHERE {{
              GRAPH <{iri}> {{ ?mark a wg:NoFactSpan ; wg:spanStart ?start ; wg:spanEnd ?end ;
                                     wg:noFactReason ?why .
                              OPTIONAL {{ ?mark wg:note ?note }} }} }}""",
    ):
        start, end = int(row["start"].value), int(row["end"].value)
        if not 0 <= start < end <= len(text):
            raise CitationError(
                [f"{row['mark'].value}: no-fact span {start}-{end} is outside {file} ({len(text)} characters)"]
            )
        why = row["why"].value
        reason = REASONS.get(why[len(WG) :], why) if why.startswith(WG) else why
        for unit in units:
            if start <= unit.start and unit.end <= end:
                unit.no_fact = reason
                unit.note = row["note"].value if row["note"] is not None else None
    for unit in units:
        unit.claims = sorted(unit.claims, key=short_claim)
    return Coverage(iri, title, file, "lines" if by_line else "sentences", units)


def short_claim(claim: str) -> str:
    """A claim IRI without the common prefix: ``cinemark-2024/a01``."""
    return claim[len(CLAIM) :] if claim.startswith(CLAIM) else claim
