"""What a proposal is made of: sentences, entity mentions, candidate claims, and the extractor interface.

An extractor (:class:`Extractor`) reads one held text, already cut into sentences and with the registry's names
found in it, and returns candidate claims: each a span of the text, the triples it would assert, and a score.
The certainty of a candidate comes from its span's own cue words (:func:`wickgraph.propose.certainty.certainty_of`)
unless the extractor sets one. The rule-based extractor (:class:`wickgraph.propose.rules.RuleExtractor`) is the
one shipped; ``wickgraph propose --extractor module:attr`` selects another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Registry

__all__ = [
    "IRI",
    "RELATIONS",
    "Candidate",
    "Context",
    "Extractor",
    "Lit",
    "Mention",
    "NewEntity",
    "Sentence",
    "Term",
    "Triple",
]

RELATIONS = (
    "performance",
    "directs",
    "writes",
    "rewrites",
    "produces",
    "distributes",
    "release",
    "story-order",
    "leads",
    "member-of",
    "died",
)
"""The relations a candidate claim can carry (``Candidate.relation``)."""


@dataclass(frozen=True, slots=True)
class IRI:
    """An IRI in a triple."""

    value: str


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal in a triple: its lexical form and datatype IRI (``xsd:string`` when None)."""

    value: str
    datatype: str | None = None


Term = IRI | Lit
Triple = tuple[IRI, IRI, Term]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the held text: ``text[start:end]`` (Unicode character offsets, end exclusive)."""

    index: int
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    """A name found in the text and what it was linked to.

    ``match`` is ``exact`` (a registry label or alias, as written), ``fuzzy`` (close to one: ``score`` < 1),
    ``ambiguous`` (the name of several entities: ``candidates``) or ``unknown`` (not in the registry: ``proposed``
    is a new entity with a ``type_guess``).
    """

    start: int
    end: int
    surface: str
    match: str
    entity: str | None = None
    candidates: tuple[str, ...] = ()
    score: float = 1.0
    type_guess: str | None = None
    proposed: str | None = None
    nested: bool = False
    """Inside a longer mention (``Ruska Roma`` in ``head of the Ruska Roma``)."""
    in_parentheses: bool = False

    def options(self) -> tuple[str, ...]:
        """The entities this mention may stand for."""
        if self.entity:
            return (self.entity,)
        if self.candidates:
            return self.candidates
        return (self.proposed,) if self.proposed else ()


@dataclass(frozen=True, slots=True)
class NewEntity:
    """An entity a candidate needs that the registry lacks: proposed with a type guess and a label."""

    iri: str
    type: str
    """Local name of the class in the ontology (``Person``, ``Film``, ``ReleaseEvent`` ...)."""
    label: str


@dataclass(slots=True)
class Candidate:
    """A candidate claim: a span, the triples it would assert, a certainty and a score in [0, 1]."""

    relation: str
    start: int
    end: int
    triples: list[Triple]
    score: float
    certainty: str | None = None
    """``Stated``, ``Reported`` or ``Expected``; None: decided from the span's cue words."""
    cue: str | None = None
    new_entities: list[NewEntity] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    """(entity, name) pairs: a fuzzy-linked name, to be added as ``skos:altLabel`` when accepted."""
    why: str = ""
    """The words that triggered it, for the reviewer."""


@dataclass(frozen=True, slots=True)
class Context:
    """What an extractor knows besides the text: the registry and the work the article is about."""

    registry: Registry
    about: str | None
    """IRI of the work the article is about (the default work of a cast or crew statement)."""


@runtime_checkable
class Extractor(Protocol):
    """The extractor interface: anything with a ``name`` and this ``extract`` method.

    ``extract`` gets the whole text, its sentences and the mentions found in them (sorted by position), and
    returns candidate claims. Every candidate's span must lie inside the text and name, by label or alias, every
    person, company, organisation and character its triples use (the build checks this against the text);
    a name the registry lacks goes into ``new_entities`` with its type.
    """

    name: str

    def extract(
        self, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], context: Context
    ) -> list[Candidate]: ...
