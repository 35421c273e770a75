"""The words a span must hold for its claim (:mod:`wickgraph.citations`): the spellings of dates and numbers, the
cue words of the certainty rule, and how a span's words are compared (case-folded, plain quotes and dashes,
plurals and possessives ignored, function words skipped).

>>> date_spellings(date(2025, 6, 6))[:3]
['2025-06-06', 'June 6, 2025', '6 June 2025']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from .namespaces import WG

__all__ = [
    "BOOLEAN_CUES",
    "CUES",
    "NEGATIONS",
    "STOP_WORDS",
    "certainty_cues",
    "cites",
    "date_spellings",
    "in_span",
    "missing_words",
    "norm",
    "number_spellings",
    "words_of",
]

# The certainty rule: cue words (whole words, or word prefixes ending in "*") that make a span reported or
# expected. A reported or expected claim needs one; a stated claim must not have one (unless
# wg:certaintyNote says why).
CUES: dict[str, tuple[str, ...]] = {
    "Reported": ("reportedly", "according", "report", "estimate*", "rumo*"),
    "Expected": (
        "will",
        "would",
        "won't",
        "llegará",
        "expect*",
        "likely",
        "might",
        "may",
        "could",
        "probably",
        "upcoming",
    ),
}
STOP_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "from",
        "with",
        "as",
        "and",
        "or",
        "but",
        "nor",
        "that",
        "this",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "whose",
        "it",
        "its",
        "it's",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "s",
        "than",
        "then",
        "so",
        "such",
        "also",
        "just",
        "her",
        "his",
        "their",
        "our",
        "your",
        "my",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "him",
        "them",
        "us",
        "me",
        "into",
        "onto",
        "about",
        "there",
        "here",
        "very",
    )
)
"""Function words the word check skips: they carry no claim by themselves."""
BOOLEAN_CUES: dict[tuple[str, bool], tuple[tuple[str, ...], bool]] = {
    # (property, value): (cue word prefixes, one of which must be in the span; a negation is needed too)
    (WG + "reprise", True): (("repris", "return"), False),
    (WG + "deceased", True): (("late", "death", "died", "dead"), False),
    (WG + "hasTrailer", False): (("trailer",), True),
    (WG + "hasOfficialPhotos", False): (("photo",), True),
}
NEGATIONS = frozenset({"no", "not", "never", "yet", "without"})
_NUMBER_WORDS = [
    ("zero",),
    ("one", "first"),
    ("two", "second"),
    ("three", "third"),
    ("four", "fourth"),
    ("five", "fifth"),
    ("six", "sixth"),
    ("seven", "seventh"),
    ("eight", "eighth"),
    ("nine", "ninth"),
    ("ten", "tenth"),
]
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
ENGLISH_MONTHS: tuple[str, ...] = tuple(_MONTHS["en"])
"""January to December, capitalised (the propose extractor reads dates and tells dates from names with them)."""


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


def number_spellings(number: Decimal | int) -> list[str]:
    """The ways a number is commonly written: digits, with thousands separators, as a word, as an amount.

    >>> number_spellings(24500000)[:4]
    ['24500000', '24,500,000', '24.5 million', '24.5m']
    >>> number_spellings(3)
    ['3', 'three', 'third']
    """
    value = Decimal(number)
    plain = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    grouped = f"{value:,}" if value == value.to_integral() else plain
    spellings = [plain, grouped]
    if value == value.to_integral() and 0 <= value < len(_NUMBER_WORDS):
        spellings += list(_NUMBER_WORDS[int(value)])
    if value >= 100_000:
        millions = format((value / 1_000_000).normalize(), "f")
        spellings += [f"{millions} million", f"{millions}m", f"{millions} milioni", f"{millions} millones"]
    return list(dict.fromkeys(spellings))


def words_of(text: str) -> list[str]:
    """The words of a text as the word check compares them (see the module docstring)."""
    words = re.findall(r"[^\W_]+(?:'t)?", norm(text))
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def missing_words(value_text: str, span: str) -> list[str]:
    """The words of ``value_text`` that carry meaning and are not in ``span`` (empty: the span supports it).

    >>> missing_words("a new character: the domineering head of an army of assassins", "El Canciller (Gabriel Byrne)")
    ['new', 'character', 'domineering', 'head', 'army', 'assassin']
    >>> missing_words("seen dancing solo on stage", "Rooney is dancing solo on stage, seen briefly")
    []
    """
    have = set(words_of(span))
    return [w for w in words_of(value_text) if w not in STOP_WORDS and w not in have]


def _has_cue(words: list[str], cues: tuple[str, ...]) -> str | None:
    """The first word that is one of ``cues`` or begins with one ending in ``*``."""
    exact, prefixes = _split_cues(cues)
    for word in words:
        if word in exact or word.startswith(prefixes):
            return word
    return None


@functools.cache
def _split_cues(cues: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The whole-word cues, and the prefixes of those ending in ``*`` (read once per list, not once per word)."""
    return frozenset(c for c in cues if not c.endswith("*")), tuple(c[:-1] for c in cues if c.endswith("*"))


def certainty_cues(span: str) -> dict[str, str]:
    """The certainty the span's cue words call for: ``{"Reported": "reportedly", "Expected": "will"}`` (a cue
    word found for each), empty when the span states plainly.

    >>> certainty_cues("It was originally planned for Summer 2024, but the studio pushed it back a year, reportedly")
    {'Reported': 'reportedly'}
    >>> certainty_cues("It will be released on March 24, 2023.")
    {'Expected': 'will'}
    """
    # A web address is not prose; "May" beside a number is the month ("May 17, 2019", "17 May"), not the verb.
    text = re.sub(r"https?://\S+", " ", norm(span))
    text = re.sub(r"\bmay(?=\s+\d)|(?<=\d\s)may\b", "", text)
    words = re.findall(r"[^\W_]+(?:'t)?", text)
    found = {}
    for certainty, cues in CUES.items():
        cue = _has_cue(words, cues)
        if cue:
            found[certainty] = cue
    return found


def in_span(spelling: str, span: str) -> bool:
    """Is ``spelling`` in the (normalised) span as whole words, or as a number not part of a longer one?"""
    return re.search(rf"(?<![\w.,]){re.escape(norm(spelling))}(?![\w]|[.,]\d)", span) is not None


_NOT_A_NAME = {"www", "com", "org", "net", "en", "es", "it", "co", "cdn", "prod", "html"}


def cites(line: str, before: str | Callable[[str], bool], url: str) -> bool:
    """Does a fact-sheet line cite ``url``: in full, cut short with an ellipsis, or by the site's name or a
    short name ("Wikipedia (W)", "UPI (N) above", "CNA (N)", "same (W)") of a page whose address appears above?
    ``before`` is the text above the line, or says whether a string is in it (a text's lines split once for all
    the claims that cite it, :mod:`wickgraph.citations`).

    >>> cites("Wikipedia (W): released in 2014", "see https://en.wikipedia.org/wiki/John_Wick", "https://en.wikipedia.org/wiki/John_Wick")
    True
    >>> cites("Wikipedia (W): released in 2014", "", "https://en.wikipedia.org/wiki/John_Wick")
    False
    """
    from urllib.parse import urlsplit

    if url in line:
        return True
    if any(url.startswith(cut[:-1]) for cut in re.findall(r"https?://\S*…", line)):
        return True
    if not (url in before if isinstance(before, str) else before(url)):
        return False
    labels = [label for label in (urlsplit(url).hostname or "").lower().split(".") if label not in _NOT_A_NAME]
    if any(re.search(rf"\b{re.escape(label)}\b", line.lower()) for label in labels if len(label) >= 4):
        return True
    for ref in re.findall(r"([\w.-]+) \((?:W|N)\b", line):
        ref = ref.lower()
        if ref == "same" or any(label.startswith(ref) or ref in label for label in labels if len(ref) >= 3):
            return True
    return False


def norm(text: str) -> str:
    """Case-folded, plain quotes and dashes, one space for any run of white space, and no square brackets (an
    editor's insertion in a quotation: "Anjelica Huston['s character]")."""
    text = (
        text.replace("[", "")
        .replace("]", "")
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )
    return re.sub(r"\s+", " ", text).casefold()
