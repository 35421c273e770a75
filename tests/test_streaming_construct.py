"""CONSTRUCT run as a streamed SELECT gives pyoxigraph's answer; line-based files load in pieces, losing nothing."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, RdfFormat, Store, Triple

import wickgraph
from wickgraph.building.loading import load_lines
from wickgraph.errors import ParseError
from wickgraph.store.construct import streamed_construct

QUERIES = [
    "CONSTRUCT { ?f wg:title ?t } WHERE { ?f a wg:Film ; wg:title ?t }",
    # the optional dot, `a`, a constant, and two triples per solution
    "CONSTRUCT { ?f a wg:Thing ; rdfs:label ?t . ?f wg:seen true } WHERE { ?f wg:title ?t }",
    # a variable that is sometimes unbound: no triple for that solution
    "CONSTRUCT { ?f wg:releaseDate ?d } WHERE { ?f a wg:Film OPTIONAL { ?f wg:releaseDate ?d } }",
    # a literal in the subject position is skipped
    "CONSTRUCT { ?t wg:of ?f . ?f wg:titled ?t } WHERE { ?f wg:title ?t }",
    # solution modifiers and a dataset clause are kept
    "CONSTRUCT { ?s ?p ?o } FROM wgg:entities WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 7",
    # comments, and a # inside an IRI and a string
    'CONSTRUCT { ?f <http://example.org/#tag> "#1" } # note\nWHERE { ?f a wg:Film }',
]


def _ground(triples: list[Triple]) -> set[str]:
    """The triples with blank nodes written as one placeholder (their names differ between evaluations)."""
    return {str(tuple("_:b" if isinstance(t, BlankNode) else str(t) for t in tr)) for tr in triples}


@pytest.mark.parametrize("query", QUERIES)
def test_streamed_construct_answers_as_pyoxigraph_does(kg: wickgraph.KnowledgeGraph, query: str) -> None:
    from wickgraph.namespaces import sparql_prologue

    text = sparql_prologue() + query
    assert streamed_construct(text) is not None, "this query should run as a streamed SELECT"
    ours = kg.construct(query).triples
    theirs = list(kg.store.ox.query(text))  # type: ignore[attr-defined]
    assert ours and set(map(str, ours)) == set(map(str, theirs))
    assert len(ours) == len(set(ours)), "the triples of a result are kept once each"


def test_blank_nodes_of_the_template_are_fresh_for_each_solution(kg: wickgraph.KnowledgeGraph) -> None:
    films = kg.select("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a wg:Film ; wg:title ?t }").rows[0]["n"]
    result = kg.construct("CONSTRUCT { ?f wg:note [ rdfs:label ?t ] } WHERE { ?f a wg:Film ; wg:title ?t }").triples
    notes = {t.object for t in result if t.predicate.value.endswith("#note")}
    assert all(isinstance(n, BlankNode) for n in notes)
    assert isinstance(films, Literal) and len(notes) >= int(films.value)
    assert _ground(result) == _ground(
        list(
            kg.store.ox.query(  # type: ignore[attr-defined]
                wickgraph.namespaces.sparql_prologue()
                + "CONSTRUCT { ?f wg:note [ rdfs:label ?t ] } WHERE { ?f a wg:Film ; wg:title ?t }"
            )
        )
    )


@pytest.mark.parametrize(
    "query",
    [
        "CONSTRUCT WHERE { ?s wg:title ?t }",
        "BASE <http://e/> CONSTRUCT { ?s <p> ?o } WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p 'CONSTRUCT { ?s ?p ?o }' }",
        "CONSTRUCT { <http://e/a> <http://e/b> 1 } WHERE { }",
    ],
)
def test_queries_the_rewrite_does_not_read_run_as_they_are(query: str) -> None:
    assert streamed_construct(query) is None


def test_construct_errors_still_point_at_the_query(kg: wickgraph.KnowledgeGraph) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }"
    with pytest.raises(wickgraph.QuerySyntaxError) as info:
        kg.construct(query)
    # The error points into the query as written, at its end, and shows that line.
    assert (info.value.line, info.value.column) == (1, len(query) + 1)
    assert str(info.value) == (
        f"SPARQL syntax error at line 1, column {len(query) + 1}: expected one of LATERAL, SERVICE, [_]\n"
        f"  {query}\n  {' ' * len(query)}^"
    )


def test_line_based_files_load_in_pieces_with_their_blank_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules["wickgraph.building.loading"], "_CHUNK_BYTES", 64)
    lines = [f'<http://e/s{i}> <http://e/p> "{i}" <http://e/g> .\n' for i in range(30)]
    lines[3] = '_:x <http://e/p> "first" <http://e/g> .\n'
    lines[25] = '_:x <http://e/q> "last, many pieces later" <http://e/g> .\n'
    store = Store()
    assert load_lines(store, io.BytesIO("".join(lines).encode()), RdfFormat.N_QUADS, scope="f0") == 30
    assert len(store) == 30
    blanks = {q.subject for q in store if isinstance(q.subject, BlankNode)}
    assert blanks == {BlankNode("f0x")}, "one blank node, the same in every piece"


def test_a_syntax_error_in_a_later_piece_names_its_line_in_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from wickgraph.building.builder import bulk_build

    monkeypatch.setattr(sys.modules["wickgraph.building.loading"], "_CHUNK_BYTES", 256)
    data = tmp_path / "data"
    data.mkdir()
    lines = [f'<http://e/s{i}> <http://e/p> "{i}" <http://e/g> .\n' for i in range(40)]
    lines[33] = "<http://e/s> <http://e/p> oops <http://e/g> .\n"
    (data / "big.nq").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        bulk_build(tmp_path / "store", data_dir=data)
    assert info.value.line == 34
    assert "big.nq" in str(info.value) and "line 34" in str(info.value)
