"""The entity registry as the proposer sees it, and linking the names of a text to it (exact and fuzzy)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..citation_words import ENGLISH_MONTHS
from ..namespaces import WG, WGD
from .model import Mention, Sentence

__all__ = ["Entity", "Registry", "find_mentions", "load_registry", "plain", "slug"]

_ENTITIES_GRAPH = "https://w3id.org/wickgraph/graph/entities"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# One character for one: offsets in the plain text are offsets in the original.
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_FUZZY_MIN = 88.0
WORK_TYPES = frozenset({"Film", "TVSeries"})


def plain(text: str) -> str:
    """Typographic quotes and dashes made plain, character for character (offsets are kept)."""
    return text.translate(_PLAIN)


def slug(name: str) -> str:
    """An IRI-safe local name for a display name: ``Bill Skarsgård`` -> ``bill-skarsgard``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "entity"


@dataclass(frozen=True, slots=True)
class Entity:
    iri: str
    type: str
    """Local name of its class (``Person``, ``Film`` ...)."""
    label: str
    names: tuple[str, ...]


@dataclass
class Registry:
    """Entities by IRI, and every name (label or alias) with the entities it stands for."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Case-folded plain name -> entity IRIs."""

    def add(self, entity: Entity) -> None:
        self.entities[entity.iri] = entity
        for name in entity.names:
            self.by_name[plain(name).casefold()].add(entity.iri)

    def type_of(self, iri: str) -> str | None:
        entity = self.entities.get(iri)
        return entity.type if entity else None

    def label(self, iri: str) -> str:
        entity = self.entities.get(iri)
        return entity.label if entity else iri.rsplit("/", 1)[-1]

    def without(self, iris: Iterable[str]) -> Registry:
        """A copy without these entities (the evaluation removes what only the evaluated article introduces)."""
        drop = set(iris)
        smaller = Registry()
        for entity in self.entities.values():
            if entity.iri not in drop:
                smaller.add(entity)
        return smaller

    def find_by_label(self, name: str) -> list[str]:
        """The entities with this label or alias (case-folded)."""
        return sorted(self.by_name.get(plain(name).casefold(), ()))


def load_registry(data_dir: Path) -> Registry:
    """The registry (graph ``wgg:entities``) of every data file under ``data_dir``; drafts are skipped."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    labels: dict[str, str] = {}
    names: dict[str, list[str]] = defaultdict(list)
    types: dict[str, str] = {}
    formats = {".trig": RdfFormat.TRIG, ".ttl": RdfFormat.TURTLE}
    for path in sorted(data_dir.rglob("*")):
        if path.suffix not in formats or not path.is_file():
            continue
        for quad in parse(path=str(path), format=formats[path.suffix]):
            if not (isinstance(quad.graph_name, NamedNode) and quad.graph_name.value == _ENTITIES_GRAPH):
                continue
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, NamedNode):
                continue
            if predicate == _RDF_TYPE and isinstance(obj, NamedNode) and obj.value.startswith(WG):
                types[subject.value] = obj.value[len(WG) :]
            elif predicate == _RDFS_LABEL:
                labels[subject.value] = str(obj.value)
                names[subject.value].insert(0, str(obj.value))
            elif predicate == _ALT_LABEL:
                names[subject.value].append(str(obj.value))
    registry = Registry()
    for iri, label in labels.items():
        registry.add(Entity(iri, types.get(iri, "Thing"), label, tuple(dict.fromkeys(names[iri]))))
    return registry


_NAME_WORD = r"(?:[A-Z][\w'&-]*|\d+)"
_JOINERS = r"(?:de|del|la|van|von|der|du|da|of|the|and)"
_CAPITALISED = re.compile(rf"[A-Z][\w'&-]*(?:[ ](?:{_JOINERS}[ ])*{_NAME_WORD})+")
_COMPANY_WORDS = {"films", "pictures", "entertainment", "studios", "productions", "media", "television", "inc", "ltd"}
# A capitalised run that starts with a month or season is a date, not a name.
_MONTHS = frozenset(month.casefold() for month in ENGLISH_MONTHS) | {"spring", "summer", "fall", "autumn", "winter"}
_PRESS_WORDS = frozenset(["reporter", "times", "news", "post", "magazine", "weekly", "journal", "variety", "tomatoes"])
# Words that make a capitalised run a title rather than a person's name.
_COMMON_WORDS = frozenset(
    ["movie", "movies", "film", "films", "series", "spinoff", "spin-off", "cast", "trailer", "day", "time", "chapter"]
)
_NOT_NAMES = frozenset(
    ["here's", "yes", "the", "a", "an", "so", "then", "but", "and", "as", "now", "it", "who", "what", "when", "is"]
)


def find_mentions(text: str, sentences: list[Sentence], registry: Registry) -> list[Mention]:
    """Every registry name in the text (longest first), then the capitalised names the registry lacks: linked
    fuzzily to a registry name when close enough, else proposed as new entities with a type guess."""
    flat = plain(text)
    names = sorted(registry.by_name, key=len, reverse=True)
    found: list[Mention] = []
    taken = [False] * len(text)
    if names:
        pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.IGNORECASE)
        # All matches, overlapping ones too: scan from each word start.
        for start in _word_starts(flat):
            match = pattern.match(flat, start)
            if not match:
                continue
            # The longest name that matches here (the alternation tries the longest first).
            surface = match.group(1)
            key = surface.casefold()
            if not any(c.isupper() for c in surface) and not _lowercase_alias_ok(key, registry):
                continue
            end = start + len(surface)
            iris = sorted(registry.by_name[key])
            nested = any(taken[start:end])
            mention = Mention(start, end, text[start:end], "exact" if len(iris) == 1 else "ambiguous", nested=nested)
            if len(iris) == 1:
                mention.entity = iris[0]
            else:
                mention.candidates = tuple(iris)
            mention.in_parentheses = _in_parentheses(flat, start)
            found.append(mention)
            if not nested:
                for i in range(start, end):
                    taken[i] = True
    found.extend(_unknown_names(text, flat, taken, registry, sentences))
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def _lowercase_alias_ok(key: str, registry: Registry) -> bool:
    """A name written in lower case matches only where the registry has it in lower case (``the title
    character``), never a title's lower-case homonym (``ballerina``, the occupation)."""
    return any(any(n == key for n in registry.entities[i].names) for i in registry.by_name[key])


def _word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<![\w])\w", text)]


def _in_parentheses(text: str, at: int) -> bool:
    """Is ``at`` inside parentheses on its line (a filmography aside: "Len Wiseman (UNDERWORLD) directs")?"""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    opened = text.rfind("(", line_start, at)
    return opened >= 0 and text.rfind(")", opened, at) < 0 and text.find(")", at, line_end) >= 0


def _unknown_names(
    text: str, flat: str, taken: list[bool], registry: Registry, sentences: list[Sentence]
) -> list[Mention]:
    from rapidfuzz import fuzz, process

    firsts = {s.start for s in sentences}
    headlines = [(s.start, s.end) for s in sentences if _title_case(flat[s.start : s.end])]
    choices = list(registry.by_name)
    out: list[Mention] = []
    for match in _CAPITALISED.finditer(flat):
        start, end = match.span()
        # Trim words already linked, and leading function words ("The" at a sentence start stays with a title).
        while start < end and any(taken[start:end]):
            # Keep the longest run of untaken characters at either side.
            left = start
            while left < end and not taken[left]:
                left += 1
            right = end
            while right > start and not taken[right - 1]:
                right -= 1
            if left - start >= end - right:
                end = left
            else:
                start = right
            start, end = _strip(flat, start, end)
        start, end = _strip(flat, start, end)
        surface = text[start:end]
        words = surface.split()
        if len(words) < 2 or (words[0].casefold() in _NOT_NAMES and len(words) < 3):
            continue
        if words[0].casefold() in _MONTHS or any(lo <= start < hi for lo, hi in headlines):
            continue
        if start in firsts and len(words) < 2:
            continue
        best = process.extractOne(plain(surface).casefold(), choices, scorer=fuzz.ratio) if choices else None
        mention = Mention(start, end, surface, "unknown", in_parentheses=_in_parentheses(flat, start))
        if best is not None and best[1] >= _FUZZY_MIN:
            iris = sorted(registry.by_name[best[0]])
            mention.match = "fuzzy" if len(iris) == 1 else "ambiguous"
            mention.score = round(best[1] / 100, 2)
            if len(iris) == 1:
                mention.entity = iris[0]
            else:
                mention.candidates = tuple(iris)
        else:
            mention.type_guess = _type_guess(words, flat, start)
            mention.proposed = _fresh_iri(surface, registry)
            mention.score = 0.8
        out.append(mention)
        for i in range(start, end):
            taken[i] = True
    return out


def _strip(flat: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not flat[start].isalnum():
        start += 1
    while end > start and not (flat[end - 1].isalnum()):
        end -= 1
    # A possessive is not part of the name.
    if flat[start:end].endswith("'s"):
        end -= 2
    # A function word cut off at either end.
    while True:
        first = re.match(r"(?:of|the|and|de|la)\s+", flat[start:end], re.IGNORECASE)
        if not first or first.group(0).strip() in ("The",):
            break
        start += first.end()
    words = flat[start:end].split(" ")
    while words and words[-1].lower() in {"of", "the", "and", "de", "la"}:
        words.pop()
        end = start + len(" ".join(words))
    return start, end


def _title_case(sentence: str) -> bool:
    """A headline: most of its words (four or more) are capitalised."""
    words = re.findall(r"[A-Za-z][\w']*", sentence)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.8


def _type_guess(words: list[str], flat: str, start: int) -> str:
    folded = {w.casefold() for w in words}
    if words[-1].casefold().strip(".") in _COMPANY_WORDS or folded & _PRESS_WORDS:
        return "Company"
    if folded & _COMMON_WORDS or any(w in ("of", "the", "and", "to") for w in words[1:]):
        return "Film"
    end = start + len(" ".join(words))
    if re.match(r"\s+(?:remake|movie|film|series|sequel|franchise|trilogy)\b", flat[end : end + 12].lower()):
        return "Film"
    if all(w.isupper() for w in words if w.isalpha()) or words[0] in {"The", "A"}:
        return "Film"
    before = flat[max(0, start - 30) : start].lower()
    if re.search(r"\b(?:in|film|movie|series)\s*$", before):
        return "Film"
    return "Person"


def _fresh_iri(surface: str, registry: Registry) -> str:
    base = WGD + slug(surface)
    iri, n = base, 2
    while iri in registry.entities:
        iri = f"{base}-{n}"
        n += 1
    return iri
