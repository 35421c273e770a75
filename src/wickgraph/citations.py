"""Citations: every claim's span, checked against the source text we hold.

A claim rests on a span of a held text: character offsets (``wg:spanStart``/``wg:spanEnd``) or a line
(``wg:spanLine``). The text is identified by its SHA-256, so the offsets mean exactly one thing. A span
*supports* its claim when every word that carries the claim is in it:

- every person, company, in-universe organisation and character the claim asserts is named (by label or
  alias; square brackets, an editor's insertion in a quotation, are ignored);
- names, credited names and dates-as-written (``wg:name``, ``wg:creditedAs``, ``wg:dateText``) appear verbatim;
- every date appears in one of its usual spellings (:func:`date_spellings`); a season's first and last days
  (``wg:earliestDate``, ``wg:latestDate``) need only their year;
- every number appears as digits (``125``, ``3,409``), as a word (``three``, ``third``) or as an amount
  (``$90 million``, ``$24.5M``, ``326 milioni``) (:func:`number_spellings`);
- every boolean has its cue word: ``wg:reprise`` true needs "reprise" or "return"; ``wg:deceased`` true needs
  "late", "death", "died" or "dead"; ``wg:hasTrailer`` / ``wg:hasOfficialPhotos`` false need "trailer" /
  "photos" and a negation;
- every other text value (remarks, occupations, genres, channels...) has each of its words in the span:
  words are compared case-folded, with typographic quotes and dashes made plain, punctuation dropped,
  a plural or possessive ``s`` ignored (``films`` = ``film``) and the function words of :data:`STOP_WORDS`
  skipped. A value in the editors' own words is a *paraphrase*: its claim record says ``wg:paraphrase true``
  and gives a ``wg:note``; its text values are then reported as a paraphrase instead of checked, while its
  names, dates, numbers and booleans are checked as always;
- for a claim relayed by another text (the fact sheet), the line cites the page: by address, or by a short
  name ("Wikipedia (W)", "same (W)", "UPI (N) above") of a page whose address appears earlier in the text.

Certainty follows a written rule (:func:`certainty_cues`): a span that reports ("reportedly", "according to",
"a report", a studio "estimate") makes a ``wg:Reported`` claim; a span in the future tense or that expects or
speculates ("will", "llegará", "expect", "likely", "might", "may", "could", "upcoming") makes a ``wg:Expected``
claim. A ``wg:Reported`` or ``wg:Expected`` claim needs such a cue; a ``wg:Stated`` claim whose span has one is
a violation, unless its record explains in ``wg:certaintyNote`` why the cue does not carry the claim (the cue
belongs to another page quoted on the same fact-sheet line, for instance).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode

if TYPE_CHECKING:  # pragma: no cover
    from pyoxigraph import Store as OxStore

from .citation_words import (
    BOOLEAN_CUES,
    CUES,
    NEGATIONS,
    STOP_WORDS,
    certainty_cues,
    cites,
    date_spellings,
    in_span,
    missing_words,
    norm,
    number_spellings,
    words_of,
)
from .errors import SourceTextError
from .namespaces import WG, WGD, sparql_prologue
from .results import SelectResult
from .store.base import Store
from .store.embedded import as_store
from .terms import value

__all__ = [
    "STOP_WORDS",
    "Citation",
    "certainty_cues",
    "check_citations",
    "date_spellings",
    "held_texts",
    "missing_words",
    "number_spellings",
]

# Works are left out: a text names the film it is about once, in its title or heading, not in every sentence.
_MENTIONED_TYPES = {WG + "Person", WG + "Company", WG + "FictionalOrganisation", WG + "Character"}
_VERBATIM = {WG + "name", WG + "creditedAs", WG + "dateText"}
_DATED = {WG + "releaseDate", WG + "date", WG + "birthDate", WG + "deathDate"}
_SEASON_BOUNDS = {WG + "earliestDate", WG + "latestDate"}
# The editors' own structure, not a statement of the source: the order of the script's drafts follows from the
# sequence the span tells ("original script", "rewrite", "additional work on top of that draft").
_STRUCTURAL = {WG + "draftOrdinal"}


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
    paraphrase: bool = False
    """The claim's text values are in the editors' words (``wg:paraphrase``); reported, not word-checked."""
    notes: list[str] = field(default_factory=list)
    """The editors' notes on the claim (``wg:note``), and why a cue word does not carry it (``wg:certaintyNote``)."""
    paraphrased: list[str] = field(default_factory=list)
    """The text values of a paraphrase claim that are not in the span's words (what a reader must take on trust)."""

    @property
    def ok(self) -> bool:
        return not self.problems


def held_texts(store: Store | OxStore, sources_dir: Path) -> dict[str, str]:
    """Source IRI -> its text, for every source we hold a text of; checks each text's SHA-256 against each source
    that cites it. A file several sources cite is read, hashed and decoded once (one string for all of them)."""
    if not sources_dir.is_dir():
        raise SourceTextError(f"source texts directory not found: {sources_dir}")
    texts: dict[str, str] = {}
    read: dict[Path, tuple[str, bytes]] = {}
    decoded: dict[Path, str] = {}
    for row in _select(store, "SELECT ?s ?file ?sha WHERE { GRAPH ?s { ?s wg:localFile ?file ; wg:sha256 ?sha } }"):
        path = sources_dir / value(row, "file")
        if not path.is_file():
            raise SourceTextError(
                f"{value(row, 'file')}: not in {sources_dir}; the data cite it (source <{value(row, 's')}>)"
            )
        if path not in read:
            raw = path.read_bytes()
            read[path] = (hashlib.sha256(raw).hexdigest(), raw)
        digest, raw = read[path]
        if digest != value(row, "sha"):
            raise SourceTextError(
                f"{path}: SHA-256 is {digest}, but the data cite the text with SHA-256 {value(row, 'sha')}; "
                "the spans would point at the wrong characters (use the exact text the data were made from)"
            )
        if path not in decoded:
            decoded[path] = raw.decode("utf-8")
        texts[value(row, "s")] = decoded[path]
    return texts


def _select(store: Store | OxStore, query: str) -> list[Any]:
    """The rows of a SELECT: read straight from a :class:`pyoxigraph.Store` (the full build's staging store),
    else through the wickgraph store."""
    from pyoxigraph import QuerySolutions
    from pyoxigraph import Store as Oxigraph

    if isinstance(store, Oxigraph):
        solutions = store.query(sparql_prologue() + query)
        assert isinstance(solutions, QuerySolutions)
        return list(solutions)
    result = as_store(store).query(sparql_prologue() + query)
    assert isinstance(result, SelectResult)
    return result.rows


class _Lines:
    """A held text's lines, split once for all the claims that cite a line of it, and what is above a line."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.joined = "\n".join(self.lines)
        self.ends = [0, *itertools.accumulate(len(line) + 1 for line in self.lines)]
        """``ends[k]`` (``k >= 1``): the length of the first ``k`` lines joined by newlines, plus one (the text above
        line ``k + 1`` and its newline); ``ends[0]``: 0."""

    def above(self, line: int) -> Callable[[str], bool]:
        """Whether a string is in the lines above ``line`` (1-based) joined by newlines: its first place in the
        whole text ends before them (a prefix of the whole)."""

        def found(text: str) -> bool:
            at = self.joined.find(text)
            return at != -1 and at + len(text) <= max(self.ends[line - 1] - 1, 0)

        return found


def check_citations(store: Store | OxStore, sources_dir: Path) -> list[Citation]:
    """Check every claim's span against the held texts in ``sources_dir``.

    ``store`` is a wickgraph :class:`~wickgraph.store.Store` (or a :class:`pyoxigraph.Store`, read as an
    embedded one). Raises
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
    annotations: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(
        store,
        """SELECT ?claim ?p ?v WHERE { GRAPH ?source { ?claim a wg:Claim ; ?p ?v
                                   VALUES ?p { wg:paraphrase wg:note wg:certaintyNote } } }""",
    ):
        annotations[value(row, "claim")][value(row, "p").rsplit("#", 1)[-1]].append(str(value(row, "v")))
    citations = []
    lines: dict[str, _Lines] = {}
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
        citations.append(_check_one(row, texts, lines, triples, names, types, labels, annotations))
    return citations


def _value(row: Any, name: str) -> Any:
    term = row[name]
    return None if term is None else term.value


def _check_one(
    row: Any,
    texts: dict[str, str],
    lines_of: dict[str, _Lines],
    triples: dict[str, list[tuple[Any, Any, Any]]],
    names: dict[str, list[str]],
    types: dict[str, set[str]],
    labels: dict[str, str],
    annotations: dict[str, dict[str, list[str]]],
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
    notes = annotations.get(claim, {})
    citation.paraphrase = any(v in ("true", "True", "1") for v in notes.get("paraphrase", []))
    citation.notes = notes.get("note", []) + [f"certainty: {n}" for n in notes.get("certaintyNote", [])]
    citation.facts = [
        (display(s, labels), display(p), display(o, labels))
        for s, p, o in facts
        if p.value.startswith(WG) or (p.value.endswith("#type") and o.value.startswith(WG))
    ]
    text = texts.get(held)
    if text is None:
        citation.problems.append(f"{claim}: the span points into <{held}>, and no text of it is held")
        return citation
    above: Callable[[str], bool] | str = ""
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
        if text not in lines_of:  # by the text: the sources that share a held file share its one string
            lines_of[text] = _Lines(text)
        lines = lines_of[text].lines
        if not 1 <= line <= len(lines):
            citation.problems.append(f"{claim}: line {line} is outside the text ({len(lines)} lines)")
            return citation
        quote = lines[line - 1]
        above = lines_of[text].above(line)
    citation.quote = quote
    span = norm(quote)
    seen: set[str] = set()
    for s, p, o in facts:
        for term in (s, o):
            iri = getattr(term, "value", None)
            if iri and iri.startswith(WGD) and iri not in seen and types.get(iri, set()) & _MENTIONED_TYPES:
                seen.add(iri)
                if not any(norm(n) in span for n in names[iri]):
                    citation.problems.append(
                        f"{claim}: the span does not name {labels.get(iri, iri)} (nor any of: {', '.join(names[iri])})"
                    )
        if isinstance(o, Literal) and p.value.startswith(WG):  # not the schema.org / Wikidata mirrors the build adds
            _check_literal(citation, p.value, o, quote, span)
    if citation.paraphrase and not notes.get("note"):
        citation.problems.append(f"{claim}: marked wg:paraphrase, but no wg:note says what it paraphrases and why")
    cues = certainty_cues(quote)
    hedges = CUES.get(citation.certainty)
    if hedges and citation.certainty not in cues:
        citation.problems.append(
            f"{claim}: the claim is {citation.certainty.lower()}, but the span has no hedge "
            f"word ({', '.join(h.rstrip('*') for h in hedges)})"
        )
    if citation.certainty == "Stated" and cues and not notes.get("certaintyNote"):
        wanted, cue = next(iter(cues.items()))
        citation.problems.append(
            f'{claim}: the claim is stated, but its span says "{cue}": by the certainty rule it is '
            f"{wanted.lower()} (or narrow the span, or say in wg:certaintyNote why the cue does not carry it)"
        )
    url = _value(row, "url")
    if held != citation.source and url and not cites(quote, above, url):
        citation.problems.append(f"{claim}: line {citation.line} does not cite {url}")
    return citation


def _check_literal(citation: Citation, prop: str, literal: Literal, quote: str, span: str) -> None:
    """Check one literal value of the claim against the span (the rules of the module docstring)."""
    from .terms import display, to_python

    name = display(NamedNode(prop))
    claim = citation.claim
    data = to_python(literal)
    if prop in _STRUCTURAL:
        return
    if prop in _VERBATIM:
        if norm(literal.value) not in span:
            citation.problems.append(f'{claim}: the span does not contain the {name} "{literal.value}"')
        return
    if isinstance(data, bool):
        rule = BOOLEAN_CUES.get((prop, data))
        if rule is None:
            citation.problems.append(f"{claim}: no wording rule says how a span states {name} {str(data).lower()}")
            return
        cues, negated = rule
        words = words_of(quote)
        if not any(w.startswith(c) for w in words for c in cues):
            citation.problems.append(
                f"{claim}: the span does not say {name} {str(data).lower()} (no {' / '.join(cues)} in it)"
            )
        elif negated and not (set(words) & NEGATIONS or "n't" in span):
            citation.problems.append(f"{claim}: the span does not negate {' / '.join(cues)} ({name} false)")
        return
    if isinstance(data, date):
        if prop in _SEASON_BOUNDS:
            if str(data.year) not in span:
                citation.problems.append(f"{claim}: the span does not give the year {data.year} ({name})")
        elif not any(norm(x) in span for x in date_spellings(data)):
            citation.problems.append(f"{claim}: the span does not give the date {literal.value} ({name})")
        return
    if isinstance(data, (int, Decimal)):
        if not any(in_span(x, span) for x in number_spellings(data)):
            citation.problems.append(f"{claim}: the span does not give the number {literal.value} ({name})")
        return
    text = str(data)
    if re.fullmatch(r"\d{4}", text):  # a year (xsd:gYear)
        if not in_span(text, span):
            citation.problems.append(f"{claim}: the span does not give the year {text} ({name})")
        return
    missing = missing_words(text, quote)
    if missing and citation.paraphrase:
        citation.paraphrased.append(f'{name} "{text}"')
    elif missing:
        citation.problems.append(
            f'{claim}: the span does not support the {name} "{text}": not in it: {", ".join(missing)} '
            "(use the span's words, or mark the claim wg:paraphrase with a wg:note)"
        )
