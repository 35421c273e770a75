"""SPARQL triple templates (of ``INSERT { … }`` and ``CONSTRUCT { … }``) filled in from SELECT solutions.

Two places evaluate a template themselves instead of leaving it to pyoxigraph: the fast build runs the build
rules as streamed SELECTs (:mod:`wickgraph.building.derive`), and the embedded store runs a CONSTRUCT as a streamed
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

from .sparql_lexer import closing_brace, strip_comments

__all__ = ["VAR", "closing_brace", "strip_comments", "template_quads", "template_variables"]

VAR = "urn:wickgraph:var:"
"""The IRI prefix that stands for a variable in a parsed template."""


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
