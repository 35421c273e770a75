"""The names and literals of the synthetic universe: word lists, deterministic name makers, N-Quads terms."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

from ..namespaces import ENTITIES_GRAPH, RDF, RDFS, SKOS, WG, XSD

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
