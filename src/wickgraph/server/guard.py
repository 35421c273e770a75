"""What the server lets through: the read-only default, SERVICE and LOAD refusal, and the size caps.

The policy needs to know a few facts about a SPARQL text before the engine sees it: its form (SELECT, ASK,
CONSTRUCT, DESCRIBE, or an update), whether it uses ``SERVICE`` or ``LOAD``, and whether it names its own
dataset (``FROM`` / ``FROM NAMED``, ``USING`` / ``WITH``). A full parse is the engine's job; here the project's SPARQL
tokenizer (:mod:`wickgraph.sparql_lexer`) reads the text by the grammar's lexical rules (comments end at CR or
LF, escapes are replaced as the engine replaces them, keywords in any case), so a keyword is found wherever
the engine could read one, and only there. ``ex:service``, ``?load`` or ``"SERVICE"`` are not
keywords and do not trip the guard.

>>> facts = inspect_sparql('SELECT * WHERE { SERVICE <http://elsewhere/sparql> { ?s ?p ?o } }')
>>> facts.form, facts.uses_service
('SELECT', True)
>>> sorted(inspect_sparql('SELECT ?service WHERE { ?service ex:load "SERVICE LOAD" } # SERVICE').keywords)
['SELECT', 'WHERE']
>>> inspect_sparql('PREFIX ex: <http://e/> CLEAR ALL ; LOAD <http://e/data>').form
'UPDATE'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import QueryRefusedError, UpdateTokenError, UsageError

__all__ = ["Limits", "Policy", "SparqlFacts", "UpdateTokenError", "inspect_sparql"]


@dataclass(frozen=True, slots=True)
class SparqlFacts:
    """What the guard learned about a SPARQL text."""

    form: str | None
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE``, or ``None`` when the text shows none."""
    keywords: frozenset[str]
    """Every keyword the text uses, upper-cased."""

    @property
    def uses_service(self) -> bool:
        """A federated ``SERVICE`` call, which would make the engine reach another host."""
        return "SERVICE" in self.keywords

    @property
    def uses_load(self) -> bool:
        """An update ``LOAD``, which would make the engine fetch a document from another host."""
        return "LOAD" in self.keywords

    @property
    def names_dataset(self) -> bool:
        """The text names its own dataset (``FROM``, ``FROM NAMED``, ``USING``, ``WITH``)."""
        return bool(self.keywords & {"FROM", "USING", "WITH"})


CACHED_TEXT_CHARS = 8 * 1024
"""Texts up to this length have their facts kept (:func:`inspect_sparql`); longer ones are read every time."""
CACHED_TEXTS = 1024
"""How many texts' facts are kept: at most ``CACHED_TEXTS`` x ``CACHED_TEXT_CHARS`` characters in all."""


def inspect_sparql(text: str) -> SparqlFacts:
    """Read a SPARQL query or update far enough to apply the server's policy (see the module docstring).

    The facts of a text depend on nothing but the text, so those of short texts are kept in a bounded LRU
    cache: a client that sends the same query again is not tokenized again (the policy is still applied to
    the facts on every request).
    """
    if len(text) <= CACHED_TEXT_CHARS:
        return _inspect_cached(text)
    return _inspect(text)


@lru_cache(maxsize=CACHED_TEXTS)
def _inspect_cached(text: str) -> SparqlFacts:
    return _inspect(text)


def _inspect(text: str) -> SparqlFacts:
    from ..sparql_lexer import QUERY_FORMS, UPDATE_FORMS, keywords, query_form

    found = keywords(text) - {"TRUE", "FALSE"}
    first = query_form(text)
    form: str | None = None
    if first in QUERY_FORMS:
        form = first
    elif first in UPDATE_FORMS:
        form = "UPDATE"
    return SparqlFacts(form, found)


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps the server enforces; each breach gets an HTTP error with a body that says which cap and how much."""

    timeout: float = 10.0
    """Seconds a query may run (the engine process running it is killed at the limit)."""
    max_rows: int = 10_000
    """Rows of a SELECT result, or triples of a CONSTRUCT / DESCRIBE result."""
    max_request_bytes: int = 256 * 1024
    """Bytes of a request body, or of a GET request's query string."""
    max_result_bytes: int = 64 * 1024 * 1024
    """Bytes of a result as the engine sends it (a second guard beside ``max_rows``)."""
    answer_cache_bytes: int = 32 * 1024 * 1024
    """Bytes of answers kept per generation (:mod:`wickgraph.server.answers`); 0 keeps none."""


@dataclass(frozen=True, slots=True)
class Policy:
    """What the server allows beyond reading its own graph."""

    allow_updates: bool = False
    update_token: str | None = None
    allow_service: bool = False
    allow_load: bool = False

    def __post_init__(self) -> None:
        if self.allow_updates and not self.update_token:
            raise UsageError("updates need a token: give update_token (clients send it as 'Authorization: Bearer …')")

    def check_query(self, facts: SparqlFacts) -> None:
        """Refuse a query the policy does not allow (raises :class:`QueryRefusedError`)."""
        if facts.uses_service and not self.allow_service:
            raise QueryRefusedError(
                "SERVICE (federated query) is disabled on this endpoint, so that it cannot be used to reach other "
                "hosts; the operator can start the server with --allow-service"
            )

    def check_update(self, facts: SparqlFacts, token: str | None) -> None:
        """Refuse an update the policy does not allow: read-only server, missing or wrong token, LOAD, SERVICE.

        A wrong or missing token raises :class:`PermissionError` with ``"token"`` in its message; the app
        answers 401 for it and 403 for every other refusal.
        """
        if not self.allow_updates:
            raise QueryRefusedError(
                "this endpoint is read-only: updates are refused (the operator can start the server with "
                "--allow-updates and an update token)"
            )
        import hmac

        assert self.update_token is not None
        if token is None or not hmac.compare_digest(token.encode(), self.update_token.encode()):
            raise UpdateTokenError("updates need the server's update token: send it as 'Authorization: Bearer <token>'")
        if facts.uses_load and not self.allow_load:
            raise QueryRefusedError(
                "LOAD is disabled on this endpoint, so that it cannot be used to fetch from other hosts; the "
                "operator can start the server with --allow-load"
            )
        self.check_query(facts)
