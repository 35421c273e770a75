"""Citations: every claim's span, checked against the source text we hold.

A claim rests on a span of a held text: character offsets (``wg:spanStart``/``wg:spanEnd``) or a line
(``wg:spanLine``). The text is identified by its SHA-256, so the offsets mean exactly one thing. A span
*supports* its claim when it:

- names every person, company and in-universe organisation the claim asserts (by label or alias);
- contains every name, credited name and date-as-written the claim asserts (``wg:name``, ``wg:creditedAs``,
  ``wg:dateText``), and every date in one of its usual spellings;
- carries a hedge word when the claim is ``wg:Reported`` or ``wg:Expected``;
- for a claim relayed by another text (the fact sheet), cites the page in its line: by address, or by a short
  name ("Wikipedia (W)", "same (W)", "UPI (N) above") of a page whose address appears earlier in the text.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import SourceTextError
from .namespaces import WG, WGD, sparql_prologue
from .terms import value

__all__ = ["Citation", "check_citations", "date_spellings", "held_texts"]

_MENTIONED_TYPES = {WG + "Person", WG + "Company", WG + "FictionalOrganisation"}
_VERBATIM = {WG + "name", WG + "creditedAs", WG + "dateText"}
_DATED = {WG + "releaseDate", WG + "date", WG + "birthDate", WG + "deathDate"}
_HEDGES = {
    WG + "Reported": ("report", "estimate", "according to", "said to", "rumo"),
    WG + "Expected": ("expect", "likely", "might", "may ", "will ", "could", "probably", "planned", "set to", "would"),
}
_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
}


@dataclass
class Citation:
    """One claim, the span it rests on, and what is wrong with it (nothing, when ``problems`` is empty)."""

    claim: str
    source: str
    source_title: str
    certainty: str
    held_file: str | None
    start: int | None = None
    end: int | None = None
    line: int | None = None
    quote: str | None = None
    facts: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def date_spellings(day: date) -> list[str]:
    """The ways a date is commonly written (English, Spanish, Italian, ISO).

    >>> date_spellings(date(2025, 6, 6))[:3]
    ['2025-06-06', 'June 6, 2025', '6 June 2025']
    """
    en = _MONTHS["en"][day.month - 1]
    spellings = [
        day.isoformat(),
        f"{en} {day.day}, {day.year}",
        f"{day.day} {en} {day.year}",
        f"{day.day} {en[:3]} {day.year}",
        f"{en} {day.day}",
        f"{day.day} {en}",
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.month}/{day.day}/{day.year}",
    ]
    for lang in ("es", "it"):
        month = _MONTHS[lang][day.month - 1]
        spellings += [f"{day.day} de {month} de {day.year}", f"{day.day} {month} {day.year}", f"{day.day} de {month}"]
    return spellings


_NOT_A_NAME = {"www", "com", "org", "net", "en", "es", "it", "co", "cdn", "prod", "html"}


def _cites(line: str, before: str, url: str) -> bool:
    """Does a fact-sheet line cite ``url``: in full, cut short with an ellipsis, or by the site's name or a
    short name ("Wikipedia (W)", "UPI (N) above", "CNA (N)", "same (W)") of a page whose address appears above?"""
    from urllib.parse import urlsplit

    if url in line:
        return True
    if any(url.startswith(cut[:-1]) for cut in re.findall(r"https?://\S*…", line)):
        return True
    if url not in before:
        return False
    labels = [label for label in (urlsplit(url).hostname or "").lower().split(".") if label not in _NOT_A_NAME]
    if any(re.search(rf"\b{re.escape(label)}\b", line.lower()) for label in labels if len(label) >= 4):
        return True
    for ref in re.findall(r"([\w.-]+) \((?:W|N)\b", line):
        ref = ref.lower()
        if ref == "same" or any(label.startswith(ref) or ref in label for label in labels if len(ref) >= 3):
            return True
    return False


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text).casefold()


def held_texts(store: Any, sources_dir: Path) -> dict[str, str]:
    """Source IRI -> its text, for every source we hold a text of; checks each text's SHA-256."""
    if not sources_dir.is_dir():
        raise SourceTextError(f"source texts directory not found: {sources_dir}")
    texts: dict[str, str] = {}
    for row in _select(store, "SELECT ?s ?file ?sha WHERE { GRAPH ?s { ?s wg:localFile ?file ; wg:sha256 ?sha } }"):
        path = sources_dir / value(row, "file")
        if not path.is_file():
            raise SourceTextError(
                f"{value(row, 'file')}: not in {sources_dir}; the data cite it (source <{value(row, 's')}>)"
            )
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != value(row, "sha"):
            raise SourceTextError(
                f"{path}: SHA-256 is {digest}, but the data cite the text with SHA-256 {value(row, 'sha')}; "
                "the spans would point at the wrong characters (use the exact text the data were made from)"
            )
        texts[value(row, "s")] = raw.decode("utf-8")
    return texts


def _select(store: Any, query: str) -> list[Any]:
    from pyoxigraph import Store as OxStore

    result = store.query(sparql_prologue() + query)
    return list(result) if isinstance(store, OxStore) else list(result.rows)


def check_citations(store: Any, sources_dir: Path) -> list[Citation]:
    """Check every claim's span against the held texts in ``sources_dir``.

    ``store`` is a :class:`pyoxigraph.Store` or a wickgraph :class:`~wickgraph.store.Store`. Raises
    :class:`~wickgraph.errors.SourceTextError` when a cited text is missing or differs from the one cited.
    """
    texts = held_texts(store, sources_dir)
    names: dict[str, list[str]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in _select(
        store,
        "SELECT ?e ?t ?l WHERE { GRAPH wgg:entities { ?e a ?t . { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l } } }"
        " ORDER BY ?e ?t ?l",
    ):
        entity = value(row, "e")
        types[entity].add(value(row, "t"))
        names[entity].append(value(row, "l"))
    for row in _select(store, "SELECT ?e ?l WHERE { GRAPH wgg:entities { ?e rdfs:label ?l } }"):
        labels[value(row, "e")] = value(row, "l")
    triples: dict[str, list[tuple[Any, Any, Any]]] = defaultdict(list)
    # In one order on every server: a claim's facts are listed in the order they come.
    for row in _select(
        store, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?src { ?g a wg:Claim } GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    ):
        triples[value(row, "g")].append((row["s"], row["p"], row["o"]))
    citations = []
    for row in _select(
        store,
        """
        SELECT ?claim ?source ?title ?cert ?held ?start ?end ?line ?url WHERE {
          GRAPH ?source { ?claim a wg:Claim ; wg:certainty ?cert ; wg:spanIn ?held .
                          ?source schema:name ?title .
                          OPTIONAL { ?claim wg:spanStart ?start ; wg:spanEnd ?end }
                          OPTIONAL { ?claim wg:spanLine ?line }
                          OPTIONAL { ?source schema:url ?url } }
        } ORDER BY ?source ?claim""",
    ):
        citations.append(_check_one(row, texts, triples, names, types, labels))
    return citations


def _value(row: Any, name: str) -> Any:
    term = row[name]
    return None if term is None else term.value


def _check_one(
    row: Any,
    texts: dict[str, str],
    triples: dict[str, list[tuple[Any, Any, Any]]],
    names: dict[str, list[str]],
    types: dict[str, set[str]],
    labels: dict[str, str],
) -> Citation:
    from .terms import display

    claim, held = _value(row, "claim"), _value(row, "held")
    citation = Citation(
        claim=claim,
        source=_value(row, "source"),
        source_title=_value(row, "title"),
        certainty=_value(row, "cert").rsplit("#", 1)[-1],
        held_file=None,
    )
    facts = triples.get(claim, [])
    citation.facts = [
        (display(s, labels), display(p), display(o, labels))
        for s, p, o in facts
        if p.value.startswith(WG) or (p.value.endswith("#type") and o.value.startswith(WG))
    ]
    text = texts.get(held)
    if text is None:
        citation.problems.append(f"{claim}: the span points into <{held}>, and no text of it is held")
        return citation
    section = ""
    if _value(row, "start") is not None:
        start, end = int(_value(row, "start")), int(_value(row, "end"))
        citation.start, citation.end = start, end
        if not 0 <= start < end <= len(text):
            citation.problems.append(f"{claim}: span {start}-{end} is outside the text ({len(text)} characters)")
            return citation
        quote = text[start:end]
    else:
        line = int(_value(row, "line"))
        citation.line = line
        lines = text.splitlines()
        if not 1 <= line <= len(lines):
            citation.problems.append(f"{claim}: line {line} is outside the text ({len(lines)} lines)")
            return citation
        quote = lines[line - 1]
        section = "\n".join(lines[: line - 1])
    citation.quote = quote
    span = _norm(quote)
    seen: set[str] = set()
    for s, p, o in facts:
        for term in (s, o):
            iri = getattr(term, "value", None)
            if iri and iri.startswith(WGD) and iri not in seen and types.get(iri, set()) & _MENTIONED_TYPES:
                seen.add(iri)
                if not any(_norm(n) in span for n in names[iri]):
                    citation.problems.append(
                        f"{claim}: the span does not name {labels.get(iri, iri)} (nor any of: {', '.join(names[iri])})"
                    )
        if p.value in _VERBATIM and _norm(o.value) not in span:
            citation.problems.append(f'{claim}: the span does not contain the {display(p)} "{o.value}"')
        if p.value in _DATED:
            spellings = [_norm(x) for x in date_spellings(date.fromisoformat(o.value))]
            if not any(x in span for x in spellings):
                citation.problems.append(f"{claim}: the span does not give the date {o.value} ({display(p)})")
    hedges = _HEDGES.get(_value(row, "cert"))
    if hedges and not any(h in span for h in hedges):
        citation.problems.append(
            f"{claim}: the claim is {citation.certainty.lower()}, but the span has no hedge "
            f"word ({', '.join(h.strip() for h in hedges)})"
        )
    url = _value(row, "url")
    if held != citation.source and url and not _cites(quote, section, url):
        citation.problems.append(f"{claim}: line {citation.line} does not cite {url}")
    return citation
