"""The universe's model and its writer: people, characters, works, sources; the held texts; the quads.

:class:`_Universe` writes entities to the registry graph, claims to source and claim graphs and their sentences
to the held texts; it also keeps the careers that cast and crew are drawn from.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..namespaces import CLAIM, SCHEMA, SOURCE, WGD
from .names import (
    _ALT,
    _COMPANY_A,
    _COMPANY_B,
    _ENTITIES,
    _LABEL,
    _LAST_DAY,
    _MAX_CAST_CREDITS,
    _MAX_CREW_CREDITS,
    _ORG_A,
    _ORG_B,
    _OUTLETS,
    _TEXT_LINES_PER_FILE,
    _TYPE,
    _character_name,
    _codename,
    _date,
    _int,
    _lit,
    _mixed,
    _person_name,
    _roman,
    _slug,
    _title,
    _wg,
)


@dataclass(slots=True)
class _Person:
    iri: str
    label: str
    born: _dt.date | None = None
    died: _dt.date | None = None
    described: bool = False


@dataclass(slots=True)
class _Character:
    iri: str
    label: str
    actor: _Person | None = None
    old_name: str | None = None
    works: int = 0


@dataclass(slots=True)
class _Work:
    iri: str
    label: str
    released: _dt.date
    kind: str = "Film"


@dataclass(slots=True)
class _Source:
    iri: str
    key: str
    title: str
    url: str
    tier: str
    known_since: _dt.date
    basis: str
    publisher: str
    claims: int = 0


class _Texts:
    """The held texts: claim sentences, one per line, in files of at most ``_TEXT_LINES_PER_FILE`` lines."""

    def __init__(self, directory: Path, stem: str) -> None:
        self.directory = directory
        self.stem = stem
        self.number = 0
        self.file: IO[str] | None = None
        self.name = ""
        self.lines = 0
        self.digest = hashlib.sha256()
        self.pending: list[_Source] = []

    def open(self) -> None:
        self.number += 1
        self.name = f"{self.stem}-{self.number:04d}.txt"
        self.file = (self.directory / self.name).open("w", encoding="utf-8", newline="\n")
        self.lines = 0
        self.digest = hashlib.sha256()

    def write(self, sentence: str) -> int:
        if self.file is None:
            self.open()
        assert self.file is not None
        line = sentence.replace("\n", " ") + "\n"
        self.file.write(line)
        self.digest.update(line.encode("utf-8"))
        self.lines += 1
        return self.lines

    def close(self) -> tuple[str, str, list[_Source]]:
        """Close the current file: its name, its SHA-256 and the sources whose claims it holds."""
        assert self.file is not None
        self.file.close()
        self.file = None
        pending, self.pending = self.pending, []
        return self.name, self.digest.hexdigest(), pending


class _Universe:
    """Writes the universe: entities to the registry, claims to source and claim graphs, sentences to texts."""

    def __init__(self, out: IO[str], texts: _Texts, rng: random.Random) -> None:
        self.out = out
        self.texts = texts
        self.rng = rng
        self.quads = 0
        self.entities = 0
        self.sources = 0
        self.claims = 0
        self.people: list[_Person] = []
        self.careers: list[int] = []  # one entry per credit: preferential attachment gives power-law careers
        self.crew: list[int] = []
        self.credit_count: list[int] = []  # credits per person (cast and crew), for the career cap
        self.characters = 0
        self.titles = 0
        self.companies: list[tuple[str, str]] = []
        self.outlets: list[tuple[str, str]] = []
        self.orgs = 0
        self.collabs = 0
        self.registered: set[str] = set()
        self._index: dict[str, int] = {}
        self.codenames = 0

    # ---- low level ----
    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.out.write(f"{s} {p} {o} {g} .\n")
        self.quads += 1

    def register(self, iri: str, kind: str, label: str, *aliases: str) -> None:
        if iri in self.registered:
            raise AssertionError(f"registered twice: {iri}")  # pragma: no cover - a generator bug
        self.registered.add(iri)
        self.quad(iri, _TYPE, _wg(kind), _ENTITIES)
        self.quad(iri, _LABEL, _lit(label), _ENTITIES)
        for alias in aliases:
            self.quad(iri, _ALT, _lit(alias), _ENTITIES)
        self.entities += 1

    def source(self, key: str, title: str, tier: str, known_since: _dt.date, basis: str) -> _Source:
        if self.texts.file is None:
            self.texts.open()
        publisher_iri, publisher = self.outlet()
        url = f"https://synthetic.example/{_slug(publisher)}/{key}"
        src = _Source(f"<{SOURCE}syn-{key}>", key, title, url, tier, min(known_since, _LAST_DAY), basis, publisher_iri)
        self.texts.pending.append(src)
        self.sources += 1
        return src

    def database_page(self, title: str, known_since: _dt.date) -> _Source:
        """The synthetic film database's page about the work called ``title`` (a source)."""
        return self.source(
            f"db-{_slug(title)}",
            f"{title}: the synthetic film database page",
            "W",
            known_since,
            "last-updated date of the page",
        )

    def describe_sources(self, file_name: str, sha: str, sources: list[_Source]) -> None:
        for src in sources:
            g = src.iri
            self.quad(g, _TYPE, _wg("Source"), g)
            self.quad(g, f"<{SCHEMA}name>", _lit(src.title), g)
            self.quad(g, f"<{SCHEMA}url>", _lit(src.url), g)
            self.quad(g, f"<{SCHEMA}publisher>", src.publisher, g)
            self.quad(g, f"<{SCHEMA}datePublished>", _date(src.known_since), g)
            self.quad(g, _wg("dateBasis"), _lit(src.basis), g)
            self.quad(g, _wg("tier"), _lit(src.tier), g)
            self.quad(g, _wg("localFile"), _lit(file_name), g)
            self.quad(g, _wg("sha256"), _lit(sha), g)

    def flush_texts(self, *, force: bool = False) -> None:
        if self.texts.file is not None and (force or self.texts.lines >= _TEXT_LINES_PER_FILE):
            self.describe_sources(*self.texts.close())

    def claim(
        self,
        src: _Source,
        sentence: str,
        triples: Iterable[tuple[str, str, str]],
        *,
        certainty: str = "Stated",
        supersedes: Sequence[str] = (),
        note: str | None = None,
        attributed: _Person | None = None,
    ) -> str:
        src.claims += 1
        iri = f"<{CLAIM}syn-{src.key}/{src.claims:03d}>"
        line = self.texts.write(sentence)
        g = src.iri
        self.quad(iri, _TYPE, _wg("Claim"), g)
        self.quad(iri, _wg("certainty"), _wg(certainty), g)
        self.quad(iri, _wg("spanLine"), _int(line), g)
        for old in supersedes:
            self.quad(iri, _wg("supersedes"), old, g)
        if note:
            self.quad(iri, _wg("note"), _lit(note), g)
        if attributed is not None:
            self.quad(iri, _wg("attributedTo"), attributed.iri, g)
        for s, p, o in triples:
            self.quad(s, p, o, iri)
        self.claims += 1
        return iri

    # ---- entities ----
    def new_person(self) -> _Person:
        index = len(self.people)
        label = _person_name(index)
        person = _Person(f"<{WGD}p-{_slug(label)}>", label)
        if self.rng.random() < 0.5:
            person.born = _dt.date(1940, 1, 1) + _dt.timedelta(days=self.rng.randrange(60 * 365))
        surname = label.rsplit(" ", 1)[-1]
        self.register(person.iri, "Person", label, surname)
        self._index[person.iri] = len(self.people)
        self.people.append(person)
        self.credit_count.append(0)
        return person

    def pick_actor(self, exclude: set[int]) -> _Person:
        """Preferential attachment: an established actor with probability 0.75, else a newcomer. Careers are
        capped (:data:`_MAX_CAST_CREDITS`): without a cap the first people drawn keep a fixed share of every
        later credit (a Pólya urn) and end up in thousands of films."""
        return self._pick(self.careers, 0.75, _MAX_CAST_CREDITS, exclude)

    def pick_crew(self, exclude: set[int]) -> _Person:
        """As :meth:`pick_actor`, for directors, writers and producers."""
        return self._pick(self.crew, 0.7, _MAX_CREW_CREDITS, exclude)

    def _pick(self, credits: list[int], established: float, cap: int, exclude: set[int]) -> _Person:
        for _ in range(20):
            if not credits or self.rng.random() >= established:
                break
            index = credits[self.rng.randrange(len(credits))]
            person = self.people[index]
            if index not in exclude and person.died is None and self.credit_count[index] < cap:
                return person
        return self.new_person()

    def index_of(self, person: _Person) -> int:
        return self._index[person.iri]

    def new_codename(self) -> str:
        self.codenames += 1
        return _codename(self.codenames - 1)

    def new_character(self, *, codename: bool = False) -> _Character:
        label = _character_name(self.characters)
        self.characters += 1
        character = _Character(f"<{WGD}c-{_slug(label)}>", label)
        if codename:
            character.old_name = self.new_codename()
        first = label.split(" ", 1)[0]
        aliases = [first] + ([character.old_name] if character.old_name else [])
        self.register(character.iri, "Character", label, *aliases)
        return character

    def new_title(self) -> str:
        title = _title(self.titles)
        self.titles += 1
        return title

    def new_company(self) -> tuple[str, str]:
        index = len(self.companies)
        a, b, rest = _mixed(index, (len(_COMPANY_A), len(_COMPANY_B)))
        label = f"{_COMPANY_A[a]} {_COMPANY_B[b]}" + (f" {_roman(rest + 1)}" if rest else "")
        iri = f"<{WGD}co-{_slug(label)}>"
        self.register(iri, "Company", label)
        self.companies.append((iri, label))
        return iri, label

    def company(self) -> tuple[str, str]:
        if len(self.companies) < 4 or self.rng.random() < 0.02:
            return self.new_company()
        # Zipf-like: low indices much more often.
        return self.companies[min(int(self.rng.paretovariate(1.2)) - 1, len(self.companies) - 1)]

    def outlet(self) -> tuple[str, str]:
        if not self.outlets:
            for name in _OUTLETS:
                iri = f"<{WGD}co-{_slug(name)}>"
                self.register(iri, "Company", name)
                self.outlets.append((iri, name))
        return self.outlets[self.rng.randrange(len(self.outlets))]

    def new_org(self) -> tuple[str, str]:
        a, b, rest = _mixed(self.orgs, (len(_ORG_A), len(_ORG_B)))
        label = f"{_ORG_A[a]} {_ORG_B[b]}" + (f" {_roman(rest + 1)}" if rest else "")
        self.orgs += 1
        iri = f"<{WGD}o-{_slug(label)}>"
        self.register(iri, "FictionalOrganisation", label)
        return iri, label


@dataclass(slots=True)
class _Film:
    """What the generator decides about one work before writing it."""

    work: _Work
    franchise: tuple[str, str] | None = None
    ordinal: int | None = None
    after: _Work | None = None
    before: _Work | None = None
    spin_off: bool = False
    lead: _Character | None = None
    lead_recast: bool = False
    recurring: list[_Character] = field(default_factory=list)
    orgs: list[tuple[str, str]] = field(default_factory=list)
    force_all: bool = False
    """The anchor film: every optional feature on."""
