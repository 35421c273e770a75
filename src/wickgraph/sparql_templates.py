"""SPARQL triple templates (of ``INSERT { … }`` and ``CONSTRUCT { … }``) filled in from SELECT solutions.

Two places evaluate a template themselves instead of leaving it to pyoxigraph: the fast build runs the build
rules as streamed SELECTs (:mod:`wickgraph.build.derive`), and the embedded store runs a CONSTRUCT as a streamed
SELECT (:mod:`wickgraph.store.construct`), because pyoxigraph's own CONSTRUCT keeps every triple it has returned
(to drop duplicates) and so needs memory in proportion to the answer. Both read a template the same way:
its variables become ``urn:wickgraph:var:NAME`` IRIs and the result is parsed as TriG.

>>> quads = template_quads("?s <http://e/p> ?o .", "")
>>> [str(q) for q in quads]
['<urn:wickgraph:var:s> <http://e/p> <urn:wickgraph:var:o>']
>>> template_variables(quads)
['o', 's']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

__all__ = ["VAR", "closing_brace", "strip_comments", "template_quads", "template_variables"]

VAR = "urn:wickgraph:var:"
"""The IRI prefix that stands for a variable in a parsed template."""

_IRI = re.compile(r"<[^\s<>\"{}|^`\\]*>")


def strip_comments(text: str) -> str:
    """``text`` without its ``#`` comments (a ``#`` inside a string or an IRI is kept).

    >>> strip_comments('SELECT * # all\\nWHERE { ?s <http://e/#p> "#" }')
    'SELECT * \\nWHERE { ?s <http://e/#p> "#" }'
    """
    out = []
    for line in text.splitlines():
        inside: str | None = None
        cut = len(line)
        for i, ch in enumerate(line):
            if inside:
                if ch == inside:
                    inside = None
            elif ch in "\"'":
                inside = ch
            elif ch == "<" and _IRI.match(line, i):
                inside = ">"
            elif ch == "#":
                cut = i
                break
        out.append(line[:cut])
    return "\n".join(out)


def closing_brace(text: str, start: int) -> int:
    """Index just past the ``}`` that closes the ``{`` at ``start - 1`` (strings and IRIs skipped).

    >>> text = 'CONSTRUCT { ?s <http://e/p> "}" } WHERE { ?s ?p ?o }'
    >>> text[: closing_brace(text, text.index("{") + 1)]
    'CONSTRUCT { ?s <http://e/p> "}" }'
    """
    depth = 1
    i = start
    inside: str | None = None
    while i < len(text):
        ch = text[i]
        if inside:
            if ch == "\\" and inside in "\"'":
                i += 1
            elif ch == inside:
                inside = None
        elif ch in "\"'":
            inside = ch
        elif ch == "<" and _IRI.match(text, i):
            inside = ">"
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced braces")


def template_quads(template: str, prologue: str) -> list[Quad]:
    """The quads of a template (TriG syntax, ``?var`` or ``$var`` for variables), variables as ``VAR`` IRIs.

    ``prologue`` holds the ``PREFIX`` lines the template's prefixed names need. Raises :class:`SyntaxError`
    when the template does not parse.
    """
    trig = re.sub(r"[?$](\w+)", lambda m: f"<{VAR}{m.group(1)}>", template)
    return list(parse((prologue + trig).encode("utf-8"), RdfFormat.TRIG))


def template_variables(quads: Iterable[Quad]) -> list[str]:
    """The names of the variables a parsed template uses, sorted."""
    return sorted(
        {t.value[len(VAR) :] for q in quads for t in q if isinstance(t, NamedNode) and t.value.startswith(VAR)}
    )
