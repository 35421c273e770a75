"""Named queries: one ``.rq`` file per question, with a header that says what it answers.

Header lines (comments at the top of the file)::

    # title: Who plays a character, in which works, under which credited name
    # question: CQ2. Which actors have played the ballerina character ...?
    # param: character = "Eve Macarro" -- the character, by label or any name a source gives
    # example: wickgraph query who-plays --param character=Rooney

A parameter is bound by a ``VALUES`` clause placed at the start of the query's outer ``WHERE`` group, as a
plain literal (so no value can change the query's structure); a parameter without a default is required.
Where the query text says ``?NAMEKey`` (``?filmKey`` for ``film``), the value in lower case is written in,
as a literal: matched against ``wg:nameKey`` (the lower-case labels, aliases and names the build derives), it
finds an entity by name case-insensitively with one index lookup, where comparing ``LCASE(?label)`` with the
parameter reads every label in the graph. It is written in (not bound by ``VALUES``) so that a query planner
sees a constant in every group that uses it, including each branch of a ``UNION``.

>>> 'wg:nameKey "winston"' in get("lead-of").bind(film="Winston")
True

>>> query = get("who-plays")
>>> [p.name for p in query.parameters]
['character']
>>> 'VALUES ?character { "Winston" }' in query.bind(character="Winston")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pyoxigraph import Literal

from ..errors import NamedQueryError

__all__ = ["NamedQuery", "Parameter", "get", "named_queries"]

_PARAM = re.compile(r'^(?P<name>[A-Za-z_]\w*)\s*(?:=\s*"(?P<default>[^"]*)")?\s*(?:--\s*(?P<doc>.*))?$')
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named query's parameter; ``default`` is ``None`` for a required one."""

    name: str
    default: str | None
    description: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A SPARQL query with a name, what it answers, and its parameters."""

    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    example: str
    text: str

    def bind(self, **values: str) -> str:
        """The query text with parameters bound (defaults where not given).

        Raises :class:`~wickgraph.errors.NamedQueryError` for an unknown or a missing parameter.
        """
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            valid = ", ".join(sorted(known)) or "none"
            raise NamedQueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: {valid}")
        clauses = []
        for param in self.parameters:
            value = values.get(param.name, param.default)
            if value is None:
                raise NamedQueryError(f"query {self.name!r} needs --param {param.name}=... ({param.description})")
            clauses.append(f"VALUES ?{param.name} {{ {Literal(str(value))} }}")
        if not clauses:
            return self.text
        text = self.text
        for param in self.parameters:
            key = str(Literal(str(values.get(param.name, param.default)).lower()))
            text = re.sub(rf"\?{param.name}Key\b", lambda _m, key=key: key, text)  # type: ignore[misc]
        match = _WHERE.search(text)
        if match is None:  # pragma: no cover - every shipped query has a WHERE
            raise NamedQueryError(f"query {self.name!r} has no WHERE clause to bind parameters in")
        return text[: match.end()] + "\n  " + "\n  ".join(clauses) + text[match.end() :]


def _parse(name: str, text: str) -> NamedQuery:
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        fields.setdefault(key.strip(), []).append(value.strip())
    params = []
    for spec in fields.get("param", []):
        match = _PARAM.match(spec)
        if match is None:
            raise NamedQueryError(f"{name}.rq: cannot read the parameter line {spec!r}")
        params.append(Parameter(match["name"], match["default"], (match["doc"] or "").strip()))
    return NamedQuery(
        name=name,
        title=" ".join(fields.get("title", [name])),
        question=" ".join(fields.get("question", [""])),
        parameters=tuple(params),
        example=" ".join(fields.get("example", [""])),
        text=text,
    )


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query, by name."""
    found = {}
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def get(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name raises an error listing the valid ones."""
    queries = named_queries()
    if name not in queries:
        raise NamedQueryError(f"no named query {name!r}; the named queries are: {', '.join(queries)}")
    return queries[name]
