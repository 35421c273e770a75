"""Named queries: one ``.rq`` file per question, with a header that says what it answers.

Header lines (comments at the top of the file)::

    # title: Who plays a character, in which works, under which credited name
    # question: CQ2. Which actors have played the ballerina character ...?
    # param: character = "Eve Macarro" (entity wg:Character) -- the character, by label or any name a source gives
    # example: wickgraph query who-plays --param character=Rooney

A text parameter is a literal. An *entity* parameter (``(entity CLASS)``) names an entity by its label or any
alias, case-insensitively; :meth:`KnowledgeGraph.run <wickgraph.KnowledgeGraph.run>` resolves the name to the
entity's IRI (of that class) before the query runs, so the query is fully bound (fast) and a name that fits
several entities is refused with the list. A parameter is bound by substitution (as in SPARQL's SEP-0007): every ``?name`` of the parameter becomes the
value as an escaped literal, so no value can change the query's structure, and a parameter can be used inside
subqueries. A parameter without a default is required; parameters are never projected.

>>> query = get("who-plays")
>>> [p.name for p in query.parameters]
['character']
>>> '"Winston"' in query.bind(character="Winston") and "?character" not in query.bind(character="Winston")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pyoxigraph import Literal, NamedNode

from ..errors import MissingParameterError, NamedQueryError

__all__ = ["NamedQuery", "Parameter", "get", "named_queries"]

_PARAM = re.compile(
    r'^(?P<name>[A-Za-z_]\w*)\s*(?:=\s*"(?P<default>[^"]*)")?\s*(?:\((?P<entity>entity)(?:\s+(?P<cls>[\w:]+))?\))?'
    r"\s*(?:--\s*(?P<doc>.*))?$"
)


def _variable_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"[?$]{re.escape(name)}\b")


def _body(text: str) -> str:
    """The query without its header comment lines (which mention the parameters)."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named query's parameter; ``default`` is ``None`` for a required one."""

    name: str
    default: str | None
    description: str
    entity: bool = False
    """True when the value names an entity (resolved to its IRI before the query runs)."""
    entity_class: str | None = None
    """The class (``wg:Work``) an entity parameter's value must belong to, if any."""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A SPARQL query with a name, what it answers, and its parameters."""

    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    example: str
    text: str

    def values(self, **given: str) -> dict[str, str]:
        """Every parameter's value: the given ones, defaults for the rest.

        Raises :class:`~wickgraph.errors.NamedQueryError` for an unknown or a missing parameter.
        """
        known = {p.name for p in self.parameters}
        unknown = sorted(set(given) - known)
        if unknown:
            valid = ", ".join(sorted(known)) or "none"
            raise NamedQueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: {valid}")
        out = {}
        for param in self.parameters:
            value = given.get(param.name, param.default)
            if value is None:
                raise MissingParameterError(self.name, param.name, param.description)
            out[param.name] = value
        return out

    def bind(self, *, iris: dict[str, str] | None = None, **values: str) -> str:
        """The query text with parameters bound (defaults where not given).

        ``iris`` gives the resolved IRI of entity parameters (by name); an entity parameter without one is bound
        as an IRI when its value is an absolute IRI, else as a literal (which matches nothing).
        Raises :class:`~wickgraph.errors.NamedQueryError` for an unknown or a missing parameter.
        """
        bound = self.values(**values)
        body = _body(self.text)
        for param in self.parameters:
            value = bound[param.name]
            iri = (iris or {}).get(param.name)
            if param.entity and iri is None and value.startswith(("http://", "https://")):
                iri = value
            term = str(NamedNode(iri)) if iri is not None else str(Literal(value))
            body = _variable_pattern(param.name).sub(lambda _, t=term: t, body)  # type: ignore[misc]
        header = "".join(line + "\n" for line in self.text.splitlines() if line.startswith("#"))
        return header + body


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
        params.append(
            Parameter(
                match["name"], match["default"], (match["doc"] or "").strip(), bool(match["entity"]), match["cls"]
            )
        )
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
