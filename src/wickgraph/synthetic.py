"""A synthetic film universe in wickgraph's own data model, for scale tests and benchmarks.

:func:`generate` writes, deterministically from ``films`` and ``seed``, an N-Quads file (or TriG) with the same
shape as ``data/``: the entity registry graph, one source graph per synthetic source with a ``wg:Claim`` record
per claim, and one claim graph per claim; plus the *held texts* the claims cite (one line per claim, naming
what the claim asserts, with a hedge word when it is reported or expected), so the citation check passes too.

The universe has franchises with main-line films in story order, spin-offs set between two of them, and TV
series; standalone films; people whose careers follow a power law (a few appear in hundreds of works);
characters that recur across a franchise's films, sometimes recast; leads, supporting roles, cameos and
reprises; directors, producers, distributors (sources sometimes disagree); scripts written and rewritten over
several drafts; planned, postponed, premiered and released events; characters renamed between the first
announcement and the release; people who died before a film of theirs came out; collaborations. Early
claims are superseded by later ones, and a share of claims is reported or expected rather than stated.

The first franchise is the *anchor*: built to give every named query rows. :attr:`GenerateReport.params`
holds, for each named query, parameter values that name its entities.

Sizes: about 200 quads per film before the build's rules (which roughly double them): ``films=50`` gives
about 10k quads, ``films=5000`` about 1M.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "universe.nq"
>>> report = generate(out, films=12, seed=1)
>>> report.quads > 1000, report.params["lead-of"]["film"] != ""
(True, True)
>>> generate(out, films=12, seed=1).sha256 == report.sha256       # deterministic
True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import WickgraphError
from .namespaces import CLAIM, ENTITIES_GRAPH, RDF, RDFS, SCHEMA, SKOS, SOURCE, WG, WGD, XSD

__all__ = ["QUADS_PER_FILM", "GenerateReport", "films_for_quads", "generate"]

QUADS_PER_FILM = 205
"""About how many quads (before the build's rules) the generator writes per film; see :func:`films_for_quads`."""

_TYPE = f"<{RDF}type>"
_LABEL = f"<{RDFS}label>"
_ALT = f"<{SKOS}altLabel>"
_ENTITIES = f"<{ENTITIES_GRAPH}>"
_DATE = f"<{XSD}date>"
_INT = f"<{XSD}integer>"
_BOOL = f"<{XSD}boolean>"
_DECIMAL = f"<{XSD}decimal>"
_TEXT_LINES_PER_FILE = 20_000
_MAX_CAST_CREDITS = 60
_MAX_CREW_CREDITS = 40
_LAST_DAY = _dt.date(2026, 6, 30)


def films_for_quads(quads: int) -> int:
    """The ``films`` argument that gives about ``quads`` quads.

    >>> films_for_quads(1_000_000)
    4878
    """
    return max(6, round(quads / QUADS_PER_FILM))


@dataclass(frozen=True, slots=True)
class GenerateReport:
    """What :func:`generate` wrote."""

    path: Path
    """The RDF file (N-Quads, or TriG for a ``.trig`` path)."""
    texts_dir: Path
    """The held texts the claims cite (pass it as ``sources_dir`` to a build to check every citation)."""
    films: int
    seed: int
    quads: int
    entities: int
    sources: int
    claims: int
    sha256: str
    """SHA-256 of the RDF file: the same arguments always give the same file."""
    seconds: float
    params: dict[str, dict[str, str]] = field(default_factory=dict)
    """Named query -> parameter values that name generated entities (the anchor franchise)."""

    def summary(self) -> str:
        """A few lines for a person."""
        return (
            f"Wrote {self.quads:,} quads to {self.path} ({self.films:,} films, seed {self.seed})\n"
            f"  {self.entities:,} entities, {self.sources:,} sources, {self.claims:,} claims; "
            f"held texts in {self.texts_dir}\n"
            f"  in {self.seconds:.1f} s ({self.quads / max(self.seconds, 1e-9):,.0f} quads/s)"
        )


# ---- names ---------------------------------------------------------------------------------------
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST_A = _words(
    "Ma Lo Ve Ka Ri Da Se No Ta Li Ar El Jo Mi Sa Te Ni Ro Za Qui Bel Cor Dru Fen Gal Hal Isa Jun Kel Lux"
)
_FIRST_B = ["ra", "lin", "vo", "ne", "ssa", "dan", "mir", "eth", "ya", "los", "ren", "bie", "tto", "ric", "nna"]
_LAST_A = _words("Vell Mor Ash Brack Cald Dun Emb Fal Gorr Hask Ivor Jask Kell Lorr Mald Nask Orv Pell Quill Rask")
_LAST_B = _words("ington ford ley wick more stone field holt brook ridge well man by ton ace")
_INITIALS = "ABCDEFGHJKLMNPRSTVW"
_CHAR_A = _words(
    "Ilsa Corvin Mira Dax Tobin Vera Kaz Lio Sable Oren Nadia Rook Iris Cass Juno Felix Zara Milo Wren Ansel"
)
_CHAR_B = _words("Corr Van Sor Hal Drax Pet Lun Marl Kad Strand Voss Rhe Black Fair Ok Sant")
_CHAR_MID = ["", "a", "e", "o", "i", "en", "ar", "is", "el", "on"]
_CODENAMES = _words("Kestrel Nightjar Moth Cinder Wisp Halcyon Magpie Lark Ember Vesper Tallow Sparrow Ghost Onyx")
_ADJ = _words(
    "Crimson Silent Gilded Broken Hollow Iron Last Velvet Burning Distant Shattered Golden Frozen "
    "Midnight Scarlet Quiet Savage Pale Endless Hidden Bitter Electric Wicked Lonely Forgotten Black "
    "Silver Ashen"
)
_NOUN = _words(
    "Pact Serpent Harbor Crown Reckoning Ledger Oath Garden Protocol Contract Syndicate Covenant "
    "Masquerade Requiem Sanctuary Gambit Vendetta Mirror Tide Ballet Circuit Lantern Archive Verdict "
    "Highway Orchard"
)
_PLACE = _words("Prague Lisbon Osaka Marseille Tangier Odessa Havana Bruges Naples Tallinn Quito Dakar Hanoi Oslo")
_ORG_A = ["Velka", "Vey", "Orsini", "Kallas", "Dorn", "Sable", "Tessaro", "Morrow", "Vantablack", "Greywater"]
_ORG_B = ["Roma", "Table", "Consortium", "Brotherhood", "Circle", "Order", "Syndicate", "Guild", "Court", "Conclave"]
_COMPANY_A = _words("Lumen Northgate Harrow Bluefin Redline Summitview Ironbark Castellan Meridian Paragon")
_COMPANY_B = ["Pictures", "Films", "Studios", "Entertainment", "Media", "Releasing", "Features", "Productions"]
_OUTLETS = (
    "The Screen Ledger",
    "Cinema Dispatch",
    "Reel Report",
    "Frame Daily",
    "The Projection Booth",
    "Box Office Wire",
)
_GENRES = ("action thriller", "neo-noir", "spy thriller", "crime drama", "martial arts", "heist film")
_REASONS = (
    "to add more action",
    "after reshoots",
    "to avoid a crowded summer",
    "after a strike",
    "for post-production",
)
_SEASONS = (("Spring", 3, 1, 5, 31), ("Summer", 6, 1, 8, 31), ("Fall", 9, 1, 11, 30), ("Winter", 12, 1, 2, 28))


def _mixed(index: int, radices: Sequence[int]) -> list[int]:
    digits = []
    for radix in radices:
        digits.append(index % radix)
        index //= radix
    digits.append(index)
    return digits


def _scramble(index: int, size: int) -> int:
    """A bijection of ``range(size)`` so that consecutive indices get unlike names."""
    step = 7919
    while size % step == 0 or step % size == 0:
        step += 2
    return (index * step + 12345) % size if size > 1 else index


def _person_name(index: int) -> str:
    size = len(_FIRST_A) * len(_FIRST_B) * len(_LAST_A) * len(_LAST_B)
    fa, fb, la, lb, _ = _mixed(
        _scramble(index % size, size), (len(_FIRST_A), len(_FIRST_B), len(_LAST_A), len(_LAST_B))
    )
    name = f"{_FIRST_A[fa]}{_FIRST_B[fb]} {_LAST_A[la]}{_LAST_B[lb]}"
    extra = index // size
    if extra:
        letters = []
        extra -= 1
        while True:
            letters.append(_INITIALS[extra % len(_INITIALS)])
            extra //= len(_INITIALS)
            if not extra:
                break
        name = name.replace(" ", f" {''.join(letters)}. ", 1)
    return name


def _character_name(index: int) -> str:
    radices = (len(_CHAR_A), len(_CHAR_B), len(_CHAR_MID), len(_LAST_B))
    size = radices[0] * radices[1] * radices[2] * radices[3]
    a, b, m, c, _ = _mixed(_scramble(index % size, size), radices)
    extra = index // size
    name = f"{_CHAR_A[a]} {_CHAR_B[b]}{_CHAR_MID[m]}{_LAST_B[c]}"
    return name + (f" {_roman(extra + 1)}" if extra else "")


def _codename(index: int) -> str:
    """A unique one-word-ish early name for a character (like "Rooney")."""
    word = _CODENAMES[index % len(_CODENAMES)]
    return word if index < len(_CODENAMES) else f"{word} {index // len(_CODENAMES) + 1}"


def _roman(n: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
        (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for value, numeral in numerals:
        while n >= value:
            out += numeral
            n -= value
    return out


def _title(index: int) -> str:
    size = len(_ADJ) * len(_NOUN) * (len(_PLACE) + 1)
    a, n, p, _ = _mixed(_scramble(index % size, size), (len(_ADJ), len(_NOUN), len(_PLACE) + 1))
    title = f"The {_ADJ[a]} {_NOUN[n]}" if p == 0 else f"{_ADJ[a]} {_NOUN[n]} of {_PLACE[p - 1]}"
    extra = index // size
    return title + (f" {_roman(extra + 1)}" if extra else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _lit(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _date(day: _dt.date) -> str:
    return f'"{day.isoformat()}"^^{_DATE}'


def _int(n: int) -> str:
    return f'"{n}"^^{_INT}'


def _spoken(day: _dt.date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _wg(local: str) -> str:
    return f"<{WG}{local}>"


# ---- the model ----------------------------------------------------------------------------------
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


class _Generator(_Universe):
    def __init__(self, out: IO[str], texts: _Texts, rng: random.Random) -> None:
        super().__init__(out, texts, rng)
        self.params: dict[str, dict[str, str]] = {}
        self.last_standalone: _Work | None = None

    # ---- one film, all its sources and claims ----
    def film(self, plan: _Film) -> dict[str, object]:
        rng = self.rng
        work = plan.work
        full = plan.force_all
        wl = work.label
        key = _slug(wl)
        slug = key
        facts: dict[str, object] = {}
        db = self.source(
            f"db-{key}",
            f"{wl}: the synthetic film database page",
            "W",
            work.released + _dt.timedelta(days=rng.randrange(30, 1500)),
            "last-updated date of the page",
        )
        announce = None
        if full or rng.random() < 0.4:
            announce = self.source(
                f"announce-{key}",
                f"{wl}: here's what we know so far",
                "N",
                work.released - _dt.timedelta(days=rng.randrange(300, 700)),
                "publication date printed under the title",
            )

        # ---- the franchise and story order ----
        w = work.iri
        if plan.franchise is not None:
            fr_iri, fr_label = plan.franchise
            triples = [(w, _wg("partOf"), fr_iri)]
            sentence = f"{wl} is part of the {fr_label} franchise"
            if plan.ordinal is not None:
                triples.append((w, _wg("seriesOrdinal"), _int(plan.ordinal)))
                sentence += f", entry number {plan.ordinal} of the main series"
            if plan.spin_off:
                triples.append((w, _wg("spinOffOf"), fr_iri))
                sentence += ", a spin-off"
            self.claim(db, sentence + ".", triples)
            if plan.after is not None or plan.before is not None:
                order: list[tuple[str, str, str]] = []
                words = []
                if plan.after is not None:
                    order.append((w, _wg("setAfter"), plan.after.iri))
                    words.append(f"after the events of {plan.after.label}")
                if plan.before is not None:
                    order.append((w, _wg("setBefore"), plan.before.iri))
                    words.append(f"before {plan.before.label}")
                self.claim(db, f"{wl} takes place " + " and ".join(words) + ".", order)
        genre = rng.choice(_GENRES)
        triples = [(w, _wg("genre"), _lit(genre)), (w, _wg("title"), _lit(wl))]
        runtime = ""
        if rng.random() < 0.8:
            minutes = rng.randrange(85, 170)
            triples.append((w, _wg("runtimeMinutes"), _int(minutes)))
            runtime = f", {minutes} minutes long"
        self.claim(db, f"{wl} is a {genre}{runtime}.", triples)

        # ---- cast ----
        cast_ids: set[int] = set()
        performances: list[tuple[_Person, _Character | None, str]] = []  # (actor, character, credit)
        lead_char = plan.lead or self.new_character(codename=full or rng.random() < 0.1)
        recast = plan.lead_recast or lead_char.actor is None
        lead_actor = self.pick_actor(cast_ids) if recast or lead_char.actor is None else lead_char.actor
        cast_ids.add(self.index_of(lead_actor))
        performances.append((lead_actor, lead_char, "LeadRole"))
        for character in plan.recurring:
            if character is lead_char:
                continue
            if (
                character.actor is not None
                and self.index_of(character.actor) not in cast_ids
                and character.actor.died is None
            ):
                actor = character.actor
            else:
                actor = self.pick_actor(cast_ids)
            cast_ids.add(self.index_of(actor))
            credit = "CameoRole" if rng.random() < 0.08 else "SupportingRole"
            performances.append((actor, character, credit))
        extra = min(int(rng.paretovariate(1.6) * 3), 25)
        for _ in range(extra):
            actor = self.pick_actor(cast_ids)
            cast_ids.add(self.index_of(actor))
            if rng.random() < 0.85:
                performances.append((actor, self.new_character(), "SupportingRole"))
            else:
                performances.append((actor, None, "UncreditedRole"))

        perf_claims: list[tuple[str, str, str]] = []
        claim_lines: list[str] = []
        reprise_ids: list[str] = []
        old_name_claim: str | None = None

        def performance(actor: _Person, character: _Character | None, credit: str) -> list[tuple[str, str, str]]:
            perf = f"<{WGD}perf-{slug}-{_slug(actor.label)}>"
            out = [
                (perf, _TYPE, _wg("Performance")),
                (perf, _wg("actor"), actor.iri),
                (perf, _wg("work"), w),
                (perf, _wg("creditType"), _wg(credit)),
            ]
            if character is not None:
                out.append((perf, _wg("character"), character.iri))
                if character.actor is actor and character.works > 0:
                    out.append((perf, _wg("reprise"), f'"true"^^{_BOOL}'))
                    reprise_ids.append(perf)
            return out

        # The lead: announced (expected) first when there is an announcement, then stated by the database.
        lead_triples = performance(lead_actor, lead_char, "LeadRole")
        if announce is not None:
            # The announcement names the actor and the work, not yet the character (nor a reprise).
            expected = [t for t in lead_triples if t[1] not in (_wg("reprise"), _wg("character"))]
            self.claim(
                announce,
                f"{lead_actor.label} is expected to star in {wl}.",
                expected,
                certainty="Expected",
            )
            if lead_char.old_name:
                old_name_claim = self.claim(
                    announce,
                    f"In {wl}, {lead_actor.label} plays a character called {lead_char.old_name}.",
                    [(lead_char.iri, _wg("name"), _lit(lead_char.old_name))],
                )
        credited = ""
        if lead_char.old_name or rng.random() < 0.2:
            lead_triples.append((lead_triples[0][0], _wg("creditedAs"), _lit(lead_char.label)))
            credited = f", credited as {lead_char.label}"
        returning = ", returning to the role" if any(t[1] == _wg("reprise") for t in lead_triples) else ""
        self.claim(
            db, f"{lead_actor.label} plays {lead_char.label}{returning}, the lead of {wl}{credited}.", lead_triples
        )
        self.claim(
            db,
            f"The lead character of {wl} is named {lead_char.label}.",
            [(lead_char.iri, _wg("name"), _lit(lead_char.label))],
            supersedes=[old_name_claim] if old_name_claim else [],
            note="The released film gives the character this name." if old_name_claim else None,
        )
        # The rest of the cast, up to four performances per claim (a cast list line).
        rest = performances[1:]
        for start in range(0, len(rest), 4):
            group = rest[start : start + 4]
            perf_claims = []
            claim_lines = []
            for actor, role_of, credit in group:
                perf_claims += performance(actor, role_of, credit)
                if role_of is None:
                    claim_lines.append(f"{actor.label} (uncredited)")
                else:
                    role = " (cameo)" if credit == "CameoRole" else ""
                    again = " again, returning to the role" if role_of.actor is actor and role_of.works > 0 else ""
                    claim_lines.append(f"{actor.label} plays {role_of.label}{again}{role}")
            self.claim(db, f"Also in the cast of {wl}: " + "; ".join(claim_lines) + ".", perf_claims)
        for actor, played, _credit in performances:
            if played is not None:
                if played.actor is None or (plan.lead_recast and played is lead_char):
                    played.actor = actor
                played.works += 1
            self.careers.append(self.index_of(actor))
            self.credit_count[self.index_of(actor)] += 1
            if actor.born is not None and not actor.described:
                actor.described = True
                self.claim(
                    db,
                    f"{actor.label} was born on {_spoken(actor.born)}.",
                    [(actor.iri, _wg("birthDate"), _date(actor.born))],
                )
        facts["lead_actor"] = lead_actor
        facts["lead_char"] = lead_char
        facts["cast"] = performances

        # ---- a cast member who died before the release ----
        if full or rng.random() < 0.02:
            candidates = [a for a, _c, cr in performances[1:] if a.died is None]
            if candidates:
                late = candidates[0] if full else rng.choice(candidates)
                late.died = work.released - _dt.timedelta(days=rng.randrange(40, 300))
                obituary = self.source(
                    f"obituary-{_slug(late.label)}",
                    f"{late.label} has died",
                    "N",
                    late.died + _dt.timedelta(days=2),
                    "publication date of the obituary",
                )
                self.claim(
                    obituary,
                    f"{late.label} died on {_spoken(late.died)}; {wl} is among the final appearances.",
                    [(late.iri, _wg("deathDate"), _date(late.died)), (late.iri, _wg("finalAppearance"), w)],
                )
                facts["late"] = late

        # ---- crew ----
        crew_ids = set(cast_ids)
        director = facts_director = self.pick_crew(crew_ids)
        crew_ids.add(self.index_of(director))
        if announce is not None:
            self.claim(
                announce,
                f"{director.label} will direct {wl}.",
                [(w, _wg("director"), director.iri)],
                certainty="Expected",  # the future tense (the certainty rule)
            )
        self.claim(db, f"{wl} is directed by {director.label}.", [(w, _wg("director"), director.iri)])
        facts["director"] = facts_director
        writers = [self.pick_crew(crew_ids)]
        crew_ids.add(self.index_of(writers[0]))
        if full or rng.random() < 0.5:
            writers.append(self.pick_crew(crew_ids))
            crew_ids.add(self.index_of(writers[1]))
        self.claim(
            db,
            f"{wl} is written by " + " and ".join(p.label for p in writers) + ".",
            [(w, _wg("screenwriter"), p.iri) for p in writers],
        )
        producers = [self.pick_crew(crew_ids) for _ in range(1 + int(rng.random() < 0.5))]
        producers = list({p.iri: p for p in producers}.values())
        self.claim(
            db,
            f"{wl} is produced by " + " and ".join(p.label for p in producers) + ".",
            [(w, _wg("producer"), p.iri) for p in producers],
        )
        facts["producers"] = producers
        for person in (director, *writers, *producers):
            self.crew.append(self.index_of(person))
            self.credit_count[self.index_of(person)] += 1
        distributor = self.company()
        studio = self.company()
        self.claim(
            db,
            f"{wl} is distributed by {distributor[1]} and produced by {studio[1]}.",
            [(w, _wg("distributor"), distributor[0]), (w, _wg("productionCompany"), studio[0])],
        )
        if full or rng.random() < 0.1:
            other = self.new_company() if full else self.company()
            if other != distributor:
                review = self.source(
                    f"review-{key}",
                    f"Review: {wl}",
                    "N",
                    work.released + _dt.timedelta(days=rng.randrange(1, 20)),
                    "publication date of the review",
                )
                self.claim(
                    review,
                    f"{wl}, a {other[1]} release, reportedly had a budget of about 40 million dollars.",
                    [(w, _wg("distributor"), other[0]), (w, _wg("budgetUSD"), f'"40000000"^^{_DECIMAL}')],
                    certainty="Reported",
                    note="Disagrees with the database page on the distributor; both kept.",
                )
        if full or rng.random() < 0.3:
            known = self.last_standalone
            if known is not None and known.iri != w:
                self.claim(
                    db,
                    f"{director.label} is known for {known.label}.",
                    [(director.iri, _wg("knownFor"), known.iri)],
                )

        # ---- the script and its drafts ----
        script = f"<{WGD}s-{slug}>"
        self.register(script, "Script", f"{wl} script")
        self.claim(db, f"The script of {wl}.", [(w, _wg("script"), script)])
        drafts = 1 + (2 if full else int(rng.random() < 0.5) + int(rng.random() < 0.3))
        previous = None
        for step in range(1, drafts + 1):
            author = writers[0] if step != 2 or len(writers) < 2 else writers[1]
            kind = ("OriginalDraft", "Rewrite", "AdditionalWork")[min(step, 3) - 1]
            draft = f"<{WGD}d-{slug}-{step}>"
            self.register(draft, "Draft", f"{wl} script: draft {step} ({author.label})")
            triples = [
                (draft, _wg("draftOf"), script),
                (draft, _wg("draftOrdinal"), _int(step)),
                (draft, _wg("draftKind"), _wg(kind)),
                (draft, _wg("draftAuthor"), author.iri),
            ]
            sentence = f"{author.label} wrote the original script of {wl}."
            if previous is not None:
                triples.append((draft, _wg("basedOn"), previous))
                triples.append((author.iri, _wg("rewrote"), script))
                sentence = f"{author.label} rewrote the script of {wl}"
                if step == 2 and (full or rng.random() < 0.4):
                    triples.append((draft, _wg("broughtInBy"), lead_actor.iri))
                    sentence += f"; {lead_actor.label} brought {author.label} in"
                sentence += "."
            self.claim(db, sentence, triples)
            previous = draft

        # ---- releases ----
        release = f"<{WGD}r-{slug}-{work.released.year}>"
        self.register(release, "ReleaseEvent", f"{wl}: release, {_spoken(work.released)}")
        when = _spoken(work.released)
        released_triples = [
            (w, _wg("releaseDate"), _date(work.released)),
            (w, _wg("release"), release),
            (release, _wg("releaseOf"), w),
            (release, _wg("releaseKind"), _wg("TheatricalRelease")),
            (release, _wg("date"), _date(work.released)),
            (release, _wg("datePrecision"), _wg("DayPrecision")),
            (release, _wg("releaseStatus"), _wg("Released")),
            (release, _wg("releasedBy"), distributor[0]),
        ]
        superseded: list[str] = []
        if announce is not None:
            planned_triples = [t for t in released_triples if t[1] != _wg("releaseStatus")]
            planned_triples.append((release, _wg("releaseStatus"), _wg("Planned")))
            superseded.append(
                self.claim(
                    announce,
                    f"{distributor[1]} plans to release {wl} on {when}.",
                    planned_triples,
                )
            )
            if full or rng.random() < 0.35:
                season, m1, d1, m2, d2 = rng.choice(_SEASONS)
                year = work.released.year - 1
                first = _dt.date(year, m1, d1)
                last = _dt.date(year + (1 if m2 < m1 else 0), m2, d2)
                planned = f"<{WGD}r-{slug}-planned-{year}>"
                text = f"{season} {year}"
                self.register(planned, "ReleaseEvent", f"{wl}: planned release, {text}")
                reason = rng.choice(_REASONS)
                delay = self.source(
                    f"delay-{key}",
                    f"{wl} is delayed",
                    "N",
                    min(announce.known_since + _dt.timedelta(days=rng.randrange(20, 200)), work.released),
                    "publication date printed under the title",
                )
                self.claim(
                    delay,
                    f"{wl}, once planned for {text}, now opens on {when} ({distributor[1]}).",
                    [
                        (w, _wg("release"), planned),
                        (planned, _wg("releaseOf"), w),
                        (planned, _wg("releaseKind"), _wg("TheatricalRelease")),
                        (planned, _wg("dateText"), _lit(text)),
                        (planned, _wg("datePrecision"), _wg("SeasonPrecision")),
                        (planned, _wg("earliestDate"), _date(first)),
                        (planned, _wg("latestDate"), _date(last)),
                        (planned, _wg("releaseStatus"), _wg("Postponed")),
                        (planned, _wg("postponedTo"), release),
                        (planned, _wg("releasedBy"), distributor[0]),
                    ],
                )
                self.claim(
                    delay,
                    f"The release of {wl} was reportedly moved {reason}.",
                    [(planned, _wg("postponementReason"), _lit(reason))],
                    certainty="Reported",
                )
        self.claim(
            db,
            f"{wl} was released in theatres on {when} by {distributor[1]}.",
            released_triples,
            supersedes=superseded,
            note="The film came out: the release is a fact, no longer a plan." if superseded else None,
        )
        if full or rng.random() < 0.3:
            premiere_day = work.released - _dt.timedelta(days=rng.randrange(5, 20))
            premiere = f"<{WGD}r-{slug}-premiere-{premiere_day.year}>"
            city = rng.choice(_PLACE)
            self.register(premiere, "ReleaseEvent", f"{wl}: world premiere, {city}, {_spoken(premiere_day)}")
            self.claim(
                db,
                f"{wl} had its world premiere in {city} on {_spoken(premiere_day)}.",
                [
                    (w, _wg("release"), premiere),
                    (premiere, _wg("releaseOf"), w),
                    (premiere, _wg("releaseKind"), _wg("WorldPremiere")),
                    (premiere, _wg("date"), _date(premiere_day)),
                    (premiere, _wg("datePrecision"), _wg("DayPrecision")),
                    (premiere, _wg("releaseStatus"), _wg("Released")),
                    (premiere, _wg("location"), _lit(city)),
                ],
            )
        if announce is not None and (full or rng.random() < 0.3):
            self.claim(
                announce,
                f"A sequel to {wl} is likely if it does well.",
                [(w, _wg("remark"), _lit("a sequel is likely if it does well"))],
                certainty="Expected",
            )

        # ---- the fiction: organisations, mentors ----
        if plan.orgs and (full or rng.random() < 0.5):
            org_iri, org_label = plan.orgs[rng.randrange(len(plan.orgs))] if not full else plan.orgs[0]
            leader = next((c for a, c, _cr in performances[1:] if c is not None), None)
            if leader is not None:
                self.claim(
                    db,
                    f"In {wl}, {leader.label} leads the {org_label}, which trained {lead_char.label}.",
                    [
                        (leader.iri, _wg("leads"), org_iri),
                        (lead_char.iri, _wg("trainedBy"), org_iri),
                        (lead_char.iri, _wg("memberOf"), org_iri),
                    ],
                )
                facts["org"] = org_label

        # ---- a collaboration outside the credits ----
        if full or rng.random() < 0.08:
            a, b = director, producers[0]
            if a.iri != b.iri:
                self.collabs += 1
                collab = f"<{WGD}collab-{self.collabs}>"
                self.register(collab, "Collaboration", f"{b.label}, stunt coordinator on films of {a.label}")
                self.claim(
                    db,
                    f"{b.label} worked as stunt coordinator on films of {a.label} before {wl}.",
                    [
                        (collab, _TYPE, _wg("Collaboration")),
                        (collab, _wg("participant"), a.iri),
                        (collab, _wg("participant"), b.iri),
                        (collab, _wg("role"), _lit("stunt coordinator")),
                        (collab, _wg("roleOf"), b.iri),
                        (collab, _wg("context"), _lit(f"films of {a.label}")),
                    ],
                )
        if plan.franchise is None:
            self.last_standalone = work
        self.flush_texts()
        return facts


def _release_year(rng: random.Random, lo: int = 1980, hi: int = 2024) -> _dt.date:
    return _dt.date(rng.randrange(lo, hi + 1), 1, 1) + _dt.timedelta(days=rng.randrange(364))


def _universe(gen: _Generator, films: int, progress: Callable[[int], None]) -> None:
    rng = gen.rng
    made = 0

    def film_work(label: str, released: _dt.date) -> _Work:
        work = _Work(f"<{WGD}f-{_slug(label)}>", label, released)
        gen.register(work.iri, "Film", label)
        return work

    # A few standalone films first, so careers and "known for" have something to point at.
    anchor_standalone: _Work | None = None
    first_standalones = min(3, max(1, films // 20))
    for _ in range(first_standalones):
        work = film_work(gen.new_title(), _release_year(rng, 1990, 2005))
        gen.film(_Film(work))
        anchor_standalone = anchor_standalone or work
        made += 1
    # The anchor franchise: built so that every named query has rows (see GenerateReport.params).
    made += _franchise(gen, anchor=True, size=max(4, min(6, films - made)), standalone=anchor_standalone)
    progress(made)
    while made < films:
        if rng.random() < 0.55:
            size = min(films - made, max(2, min(int(rng.paretovariate(1.3) * 2), 14)))
            made += _franchise(gen, anchor=False, size=size, standalone=None)
        else:
            work = film_work(gen.new_title(), _release_year(rng))
            gen.film(_Film(work))
            made += 1
        if made % 50 == 0:
            progress(made)
    progress(made)


def _franchise(gen: _Generator, *, anchor: bool, size: int, standalone: _Work | None) -> int:
    """A franchise of ``size`` works: a main line in story order, a spin-off set between two of its films,
    sometimes a TV series. Returns the number of works written."""
    rng = gen.rng
    base = gen.new_title()
    fr_iri = f"<{WGD}fr-{_slug(base)}>"
    fr_label = f"{base} (franchise)"
    gen.register(fr_iri, "Franchise", fr_label, base, f"{base} series")
    orgs = [gen.new_org() for _ in range(1 + int(rng.random() < 0.5))]
    protagonist = gen.new_character()
    recurring = [gen.new_character() for _ in range(2 + rng.randrange(4))]
    spin_off_at = size - 1 if size >= 3 else None  # the last work is the spin-off
    main_count = size if spin_off_at is None else size - 1
    start = _release_year(rng, 1980, max(1980, 2022 - 2 * main_count))
    main: list[_Work] = []
    made = 0
    day = start
    anchor_facts: dict[str, object] = {}
    for ordinal in range(1, main_count + 1):
        label = base if ordinal == 1 else f"{base}: Chapter {ordinal}"
        work = _Work(f"<{WGD}f-{_slug(label)}>", label, day)
        gen.register(work.iri, "Film", label, f"{base} {ordinal}" if ordinal > 1 else f"{base} ({day.year})")
        supporting = [c for c in recurring if rng.random() < 0.7]
        if anchor and ordinal == main_count - 1:
            supporting = list(recurring)  # the anchor's spin-off lead first appears here, played by someone else
        plan = _Film(
            work,
            franchise=(fr_iri, fr_label),
            ordinal=ordinal,
            after=main[-1] if main else None,
            lead=protagonist,
            recurring=supporting,
            orgs=orgs,
        )
        gen.film(plan)
        main.append(work)
        made += 1
        day = min(day + _dt.timedelta(days=rng.randrange(300, 900)), _dt.date(2025, 6, 30))
    if spin_off_at is not None and len(main) >= 2:
        # Set between two main-line films; its lead is a recurring character, recast.
        k = len(main) - 2 if anchor else rng.randrange(len(main) - 1)
        hero = recurring[0]
        if hero.old_name is None:
            hero.old_name = gen.new_codename()
            gen.quad(hero.iri, _ALT, _lit(hero.old_name), _ENTITIES)
        label = f"{base}: {hero.label.split(' ', 1)[0]}"
        released = max(day, main[-1].released + _dt.timedelta(days=200))
        work = _Work(f"<{WGD}f-{_slug(label)}>", label, min(released, _dt.date(2025, 12, 31)))
        gen.register(work.iri, "Film", label, f"From the World of {base}: {hero.label.split(' ', 1)[0]}")
        plan = _Film(
            work,
            franchise=(fr_iri, fr_label),
            after=main[k],
            before=main[k + 1],
            spin_off=True,
            lead=hero,
            lead_recast=True,
            recurring=[protagonist, *recurring[1:]],
            orgs=orgs,
            force_all=anchor,
        )
        if anchor:
            gen.last_standalone = standalone
        anchor_facts = gen.film(plan)
        made += 1
        if anchor:
            _anchor_params(gen, work, base, fr_label, hero, anchor_facts, main, standalone)
    if (size >= 5 and rng.random() < 0.5) or anchor:
        label = f"{base}: The Series"
        series = _Work(f"<{WGD}f-{_slug(label)}>", label, main[0].released + _dt.timedelta(days=3000), "TVSeries")
        series.released = min(series.released, _dt.date(2025, 6, 30))
        gen.register(series.iri, "TVSeries", label)
        gen.film(_Film(series, franchise=(fr_iri, fr_label), before=main[0], lead=gen.new_character(), orgs=orgs))
        made += 1
    return made


def _cast_claim(gen: _Generator, src: _Source, work: _Work, cast: Sequence[_Person]) -> None:
    triples = []
    for person in cast:
        perf = f"<{WGD}perf-{_slug(work.label)}-{_slug(person.label)}>"
        triples += [
            (perf, _TYPE, _wg("Performance")),
            (perf, _wg("actor"), person.iri),
            (perf, _wg("work"), work.iri),
        ]
    gen.claim(src, f"{work.label} stars {', '.join(p.label for p in cast)}.", triples)


def _earlier_film(gen: _Generator, film: _Work, *, days: int) -> tuple[_Work, _Source]:
    """A new film released ``days`` before ``film``, registered, with its database page (a source)."""
    title = gen.new_title()
    work = _Work(f"<{WGD}f-{_slug(title)}>", title, film.released - _dt.timedelta(days=days))
    gen.register(work.iri, "Film", title)
    page = gen.source(
        f"db-{_slug(title)}",
        f"{title}: the synthetic film database page",
        "W",
        work.released + _dt.timedelta(days=400),
        "last-updated date of the page",
    )
    return work, page


def _anchor_params(
    gen: _Generator,
    film: _Work,
    base: str,
    franchise: str,
    hero: _Character,
    facts: dict[str, object],
    main: list[_Work],
    standalone: _Work | None,
) -> None:
    lead = facts["lead_actor"]
    director = facts["director"]
    producers = facts["producers"]
    late = facts.get("late")
    cast = facts["cast"]
    assert isinstance(lead, _Person) and isinstance(director, _Person) and isinstance(producers, list)
    assert isinstance(cast, list)
    supporting = [a for a, _c, _cr in cast[1:]]
    # Two cast members who also worked together before, outside the franchise.
    partner = supporting[1] if len(supporting) > 1 else supporting[0]
    prior_work, src = _earlier_film(gen, film, days=2000)
    prior = prior_work.label
    _cast_claim(gen, src, prior_work, (lead, partner))
    gen.claim(
        src,
        f"{lead.label} and {partner.label} worked together on {prior}.",
        [(lead.iri, _wg("workedWith"), partner.iri)],
    )
    # A newcomer who made one film with the partner only: the shortest connection to the lead has four hops
    # (the newcomer is in no career list, so no later film casts them and no shorter path appears).
    distant = gen.new_person()
    other_work, other_src = _earlier_film(gen, film, days=1000)
    _cast_claim(gen, other_src, other_work, (partner, distant))
    org = facts.get("org", "")
    gen.params.update(
        {
            "lead-of": {"film": film.label},
            "who-plays": {"character": hero.old_name or hero.label},
            "set-between": {"work": film.label},
            "story-order": {"franchise": franchise},
            "writing-history": {"film": film.label},
            "director": {"film": film.label},
            "connection": {"a": director.label, "b": producers[0].label},
            "reprised-roles": {"film": film.label},
            "release-history": {"film": film.label},
            "hedged-claims": {"certainty": "reported"},
            "prior-collaborations": {"film": film.label},
            "org-leader": {"organisation": str(org)},
            "died-before-release": {"film": film.label if isinstance(late, _Person) else ""},
            "directors-and-leads": {"franchise": franchise},
            "distributors": {"work": film.label},
            "shortest-connection": {"a": lead.label, "b": distant.label},
            "centrality": {"franchise": franchise},
            "fact-provenance": {"entity": lead.label},
        }
    )


def generate(
    path: str | os.PathLike[str],
    *,
    films: int,
    seed: int = 0,
    texts_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GenerateReport:
    """Write a synthetic film universe of ``films`` works to ``path`` (N-Quads; TriG when it ends in ``.trig``).

    The held texts go to ``texts_dir`` (default: ``<path stem>-texts`` beside ``path``); pass that directory as
    ``sources_dir`` to :func:`wickgraph.build` to check every citation. ``progress(done, films)`` is called
    now and then. The same ``films`` and ``seed`` always give the same bytes.
    """
    if films < 6:
        raise WickgraphError(f"--films must be at least 6 (the anchor franchise alone has 6 works), not {films}")
    started = time.perf_counter()
    target = Path(path)
    trig = target.suffix == ".trig"
    texts = Path(texts_dir) if texts_dir is not None else target.with_name(target.stem + "-texts")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        texts.mkdir(parents=True, exist_ok=True)
        for old in texts.glob(f"{target.stem}-*.txt"):
            old.unlink()
        nquads = target.with_name(target.name + ".tmp.nq") if trig else target
        with nquads.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            gen = _Generator(out, _Texts(texts, target.stem), random.Random(seed))
            _universe(gen, films, lambda done: progress(done, films) if progress else None)
            gen.flush_texts(force=True)
        if trig:
            from pyoxigraph import RdfFormat, parse, serialize

            from .namespaces import PREFIXES

            with target.open("wb") as sink:
                serialize(
                    parse(path=str(nquads), format=RdfFormat.N_QUADS),
                    sink,
                    RdfFormat.TRIG,
                    prefixes=PREFIXES,
                )
            nquads.unlink()
    except OSError as exc:
        raise WickgraphError(f"cannot write the synthetic universe to {target}: {exc.strerror or exc}") from exc
    digest = hashlib.sha256()
    with target.open("rb") as written:
        for chunk in iter(lambda: written.read(1 << 20), b""):
            digest.update(chunk)
    return GenerateReport(
        path=target,
        texts_dir=texts,
        films=films,
        seed=seed,
        quads=gen.quads,
        entities=gen.entities,
        sources=gen.sources,
        claims=gen.claims,
        sha256=digest.hexdigest(),
        seconds=time.perf_counter() - started,
        params=gen.params,
    )
