"""The one SPARQL tokenizer of the project: what a query's form is, which keywords it uses, where its comments are.

It follows the lexical rules of the SPARQL 1.1 grammar (section 19.8 of the Query recommendation), because the
question every caller asks ("does this text use SERVICE?") must be answered the way the engine reads the text,
not the way a quick regular expression does:

- a comment runs from ``#`` to the end of the line, and a line ends at ``\\r`` *or* ``\\n``;
- strings come in four forms (``'…'``, ``"…"``, ``'''…'''``, ``\"\"\"…\"\"\"``); the short forms end at a line
  break, and ``\\`` escapes the next character;
- IRIs (``<…>``), prefixed names (``ex:local``, ``ex:``), variables (``?x``, ``$x``), blank-node labels
  (``_:b``) and language tags (``@en-GB``) contain words that are not keywords;
- keywords are case-insensitive (``sErViCe`` is ``SERVICE``);
- ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes are replaced by their characters in the *whole* text before it is
  parsed (section 19.2), so ``SERV\\u0049CE`` is the keyword ``SERVICE``.

:func:`keywords` reads a text both as written and with its escapes replaced (repeatedly, until nothing
changes) and reports the keywords of every reading: a text whose escapes would turn into a keyword in any
reading counts as using that keyword. A keyword written straight before a colon (``SERVICE:x``) reads as a
prefixed name, but a parser that does not insist on a break after a keyword reads ``SERVICE`` and ``:x``; for
the keywords that reach other hosts (``SERVICE``, ``LOAD``) both readings count.

>>> [t.text for t in tokens('SELECT ?s # not SERVICE\\rWHERE { ?s ex:p "a # b" }') if t.kind != "ws"]
['SELECT', '?s', '# not SERVICE', 'WHERE', '{', '?s', 'ex:p', '"a # b"', '}']
>>> sorted(keywords('ASK { #\\rSERVICE <http://e/> { } }'))
['ASK', 'SERVICE']
>>> "SERVICE" in keywords("ASK { SERV\\\\u0049CE <http://e/> { } }")
True
>>> query_form("PREFIX ex: <http://e/#>  # a comment\\n# DELETE\\nselect * { ?s ?p ?o }")
'SELECT'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "OUTBOUND_KEYWORDS",
    "QUERY_FORMS",
    "UPDATE_FORMS",
    "Token",
    "closing_brace",
    "keywords",
    "query_form",
    "strip_comments",
    "tokens",
    "unescape_codepoints",
]

OUTBOUND_KEYWORDS = frozenset({"SERVICE", "LOAD"})
"""The keywords that make an engine reach another host."""
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
"""The keywords that start a query (after its prologue)."""
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
"""The keywords that start an update operation (after its prologue)."""

# One alternative per token kind; the first that matches at a position wins, so the order matters: whitespace,
# comments and strings first (strings may contain anything), then IRIs, variables, language tags, prefixed names
# and blank nodes (which contain words that are not keywords), then bare words, numbers, then any other character.
# SPARQL's white space is space, tab, CR and LF; any other character is a token of its own ("other").
_TOKEN = re.compile(
    r"""
      (?P<ws>[\x20\t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\r\n]|\\[^\r\n])*'|"(?:[^"\\\r\n]|\\[^\r\n])*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    | (?P<bnode>_:[\w.\-]+)
    | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w\-:%.]|\\[^\r\n])*)
    | (?P<word>[^\W\d][\w]*)
    | (?P<number>\d[\w.]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (``ws``, ``comment``, ``string``, ``iri``, ``var``, ``lang``, ``bnode``, ``pname``,
    ``word``, ``number`` or ``other``), its text and where it starts in the text given to :func:`tokens`."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokens(text: str, start: int = 0) -> Iterator[Token]:
    """The tokens of ``text`` from ``start``, white space and comments included (no escape processing)."""
    for match in _TOKEN.finditer(text, start):
        kind = match.lastgroup
        assert kind is not None
        yield Token(kind, match.group(), match.start())


def _codepoint(match: re.Match[str]) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF else match.group()


def unescape_codepoints(text: str) -> str:
    """``text`` with its ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes replaced by the characters (one pass).

    >>> unescape_codepoints(r"SERV\\u0049CE \\U0001F600")
    'SERVICE 😀'
    """
    return _ESCAPE.sub(_codepoint, text)


def _readings(text: str) -> list[str]:
    """The text as written, and with its escapes replaced once, twice … until nothing changes (at most 8)."""
    readings = [text]
    while len(readings) < 8 and ("\\u" in readings[-1] or "\\U" in readings[-1]):
        unescaped = unescape_codepoints(readings[-1])
        if unescaped == readings[-1]:
            break
        readings.append(unescaped)
    return readings


def _keywords_of(text: str) -> set[str]:
    found: set[str] = set()
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            found.add(match.group().upper())
        elif kind == "pname":
            prefix = match.group().partition(":")[0].upper()
            if prefix in OUTBOUND_KEYWORDS:
                found.add(prefix)
    found.discard("A")
    return found


def keywords(text: str) -> frozenset[str]:
    """Every keyword (bare word) ``text`` uses, upper-cased, in any of its readings (see the module docs).

    Words inside comments, strings, IRIs, prefixed names, variables and language tags are not keywords:

    >>> sorted(keywords('SELECT ?service WHERE { ?service ex:load "SERVICE LOAD" } # SERVICE'))
    ['SELECT', 'WHERE']
    """
    found: set[str] = set()
    for reading in _readings(text):
        found |= _keywords_of(reading)
    return frozenset(found)


def _significant(text: str) -> Iterator[Token]:
    return (t for t in tokens(text) if t.kind not in ("ws", "comment"))


def query_form(text: str) -> str:
    """The first keyword after the prologue (``BASE``, ``PREFIX`` and comments), upper-cased; ``""`` when none.

    Escapes are replaced first, as the engine does. A text whose first token after the prologue is not a
    word gives that token, upper-cased.

    >>> query_form("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    'INSERT'
    >>> query_form("BASE <http://e/> prefix : <http://e/#> \\\\u0041SK {}")
    'ASK'
    """
    expect_iri = expect_name = False
    for token in _significant(unescape_codepoints(text)):
        if expect_name and token.kind == "pname":
            expect_name, expect_iri = False, True
            continue
        if expect_iri and token.kind == "iri":
            expect_iri = False
            continue
        if token.kind != "word":
            return token.text.upper()
        word = token.text.upper()
        if word == "PREFIX":
            expect_name = True
        elif word == "BASE":
            expect_iri = True
        else:
            return word
    return ""


def strip_comments(text: str) -> str:
    """``text`` without its ``#`` comments (a ``#`` inside a string or an IRI is kept); line breaks stay.

    >>> strip_comments('SELECT * # all\\nWHERE { ?s <http://e/#p> "#" }')
    'SELECT * \\nWHERE { ?s <http://e/#p> "#" }'
    >>> strip_comments('ASK { # hidden\\r?s ?p ?o }')
    'ASK { \\r?s ?p ?o }'
    """
    return "".join(t.text for t in tokens(text) if t.kind != "comment")


def closing_brace(text: str, start: int) -> int:
    """Index just past the ``}`` that closes the ``{`` at ``start - 1`` (strings, IRIs and comments skipped).

    Raises :class:`ValueError` when the braces do not balance.

    >>> text = 'CONSTRUCT { ?s <http://e/p> "}" } WHERE { ?s ?p ?o }'
    >>> text[: closing_brace(text, text.index("{") + 1)]
    'CONSTRUCT { ?s <http://e/p> "}" }'
    """
    depth = 1
    for token in tokens(text, start):
        if token.kind != "other":
            continue
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0:
                return token.end
    raise ValueError("unbalanced braces")
