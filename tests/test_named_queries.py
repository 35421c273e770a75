"""The named queries: each documented, parameters bound safely, errors that list what is valid."""

from __future__ import annotations

import re

import pytest

import wickgraph
from wickgraph.errors import MissingParameterError, NamedQueryError, QuerySyntaxError
from wickgraph.queries import _parse, get, named_queries

DESIGN_QUESTIONS = {f"CQ{n}." for n in range(1, 18)}

# Rows each named query returns with its default parameters, on the graph data/ holds today: a change to the
# data or to a query that changes an answer shows here, and must be made on purpose.
DEFAULT_ROWS = {
    "centrality": 45,
    "connection": 13,
    "died-before-release": 5,
    "director": 1,
    "directors-and-leads": 7,
    "distributors": 7,
    "fact-provenance": 42,
    "hedged-claims": 53,
    "lead-of": 5,
    "org-leader": 3,
    "prior-collaborations": 2,
    "release-history": 7,
    "reprised-roles": 4,
    "set-between": 2,
    "shortest-connection": 8,
    "story-order": 6,
    "who-plays": 3,
    "writing-history": 3,
}


def test_every_competency_question_has_a_named_query() -> None:
    answered = {q.question.split()[0] for q in named_queries().values()}
    assert answered >= DESIGN_QUESTIONS
    assert sorted(named_queries()) == sorted(DEFAULT_ROWS)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_query_is_documented_and_runs_with_its_defaults(kg: wickgraph.KnowledgeGraph, name: str) -> None:
    query = named_queries()[name]
    assert query.title and query.question and query.example.startswith("wickgraph query ")
    for param in query.parameters:
        assert param.description, f"{name}: parameter {param.name} has no description"
        assert re.search(rf"\?{param.name}\b", query.text), f"{name}: ?{param.name} is not used"
    result = kg.run(name)
    assert isinstance(result, wickgraph.SelectResult)
    assert len(result) == DEFAULT_ROWS[name], f"{name} returned {len(result)} rows with its default parameters"


def test_unknown_query_lists_the_valid_ones() -> None:
    with pytest.raises(NamedQueryError) as info:
        get("who-is")
    assert str(info.value).startswith("no named query 'who-is'; the named queries are: ")
    assert "who-plays" in str(info.value)


def test_unknown_and_missing_parameters_are_named() -> None:
    with pytest.raises(NamedQueryError, match=r"query 'who-plays' has no parameter actor; its parameters: character"):
        get("who-plays").bind(actor="x")
    no_default = _parse("roles-of", "# title: Roles\n# param: who (entity wg:Person) -- the actor\nSELECT ?r {}\n")
    with pytest.raises(MissingParameterError) as info:
        no_default.bind()
    # The library names the parameter, not a command-line option (the CLI adds its own wording).
    assert str(info.value) == "query 'roles-of' needs the parameter who (the actor)"
    assert (info.value.query, info.value.parameter, info.value.description) == ("roles-of", "who", "the actor")
    assert isinstance(info.value, NamedQueryError)


def test_a_parameter_cannot_change_the_query(kg: wickgraph.KnowledgeGraph) -> None:
    hostile = 'x" || true) } SELECT * WHERE { ?s ?p ?o } #'
    result = kg.run("hedged-claims", certainty=hostile)
    assert isinstance(result, wickgraph.SelectResult)
    assert len(result) == 0
    with pytest.raises(wickgraph.EntityNotFoundError, match="no entity is called"):
        kg.run("who-plays", character=hostile)


def test_an_entity_parameter_is_resolved_within_its_class(kg: wickgraph.KnowledgeGraph) -> None:
    # "Ballerina" is the film's label and an alias of its lead character; a wg:Work parameter takes the film.
    rows = kg.run("director", film="ballerina")
    assert [r["directorLabel"].value for r in rows] == ["Len Wiseman"]  # type: ignore[union-attr]
    with pytest.raises(wickgraph.EntityNotFoundError, match="'John Wick' matches 3 entities"):
        kg.run("fact-provenance", entity="John Wick")


def test_syntax_error_names_the_position(kg: wickgraph.KnowledgeGraph) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        kg.select("SELECT ?s WHERE {\n  ?s ?p\n}")
    assert (info.value.line, info.value.column) == (3, 2)
    assert "line 3" in str(info.value)


def test_one_result_type_per_query_form(kg: wickgraph.KnowledgeGraph) -> None:
    assert kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }") is True
    rows = kg.select("SELECT ?label WHERE { wgd:ballerina rdfs:label ?label }")
    assert [r["label"].value for r in rows] == ["Ballerina"]  # type: ignore[union-attr]
    graph = kg.construct("CONSTRUCT { wgd:ballerina wg:director ?d } WHERE { wgd:ballerina wg:director ?d }")
    assert {t.object.value for t in graph} == {"https://w3id.org/wickgraph/id/len-wiseman"}  # type: ignore[union-attr]
    with pytest.raises(wickgraph.QueryFormError):
        kg.select("ASK { }")
    with pytest.raises(wickgraph.QueryFormError):
        kg.ask("SELECT * WHERE { }")


def test_optional_variables_are_none(kg: wickgraph.KnowledgeGraph) -> None:
    rows = kg.select("SELECT ?x ?missing WHERE { BIND(1 AS ?x) OPTIONAL { ?x wg:nothing ?missing } }")
    assert rows[0]["missing"] is None
    assert rows.to_python() == [{"x": 1, "missing": None}]


def test_entity_names_are_resolved_once_on_a_read_only_store(
    kg: wickgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wickgraph.entity

    calls: list[str] = []
    real = wickgraph.entity.resolve

    def counting(graph: wickgraph.KnowledgeGraph, name: str, **kwargs: str | None) -> str:
        calls.append(name)
        return real(graph, name, **kwargs)

    monkeypatch.setattr(wickgraph.entity, "resolve", counting)
    first = kg.named_query_text("set-between", work="Ballerina")
    assert kg.named_query_text("set-between", work="Ballerina") == first
    assert calls == ["Ballerina"], "the second call should use the cached IRI"
    assert "<https://w3id.org/wickgraph/id/ballerina>" in first

    # A store that can change is asked every time.
    from wickgraph.store.embedded import EmbeddedStore

    memory = wickgraph.KnowledgeGraph(EmbeddedStore.in_memory())
    assert not memory.store.read_only
    for _ in range(2):
        with pytest.raises(wickgraph.EntityNotFoundError):
            memory.named_query_text("set-between", work="Ballerina")
    assert calls == ["Ballerina", "Ballerina", "Ballerina"]
