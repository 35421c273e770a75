"""Narrowing helpers for tests: a named query's answer is a union (SELECT, ASK or CONSTRUCT), and a test that
knows which form it ran says so here, failing with the form it got instead."""

from __future__ import annotations

from wickgraph.results import GraphResult, QueryResult, SelectResult


def as_rows(result: QueryResult) -> SelectResult:
    """The result of a SELECT (fails the test on an ASK or CONSTRUCT answer)."""
    assert isinstance(result, SelectResult), f"expected SELECT rows, got {type(result).__name__}"
    return result


def as_graph(result: QueryResult) -> GraphResult:
    """The result of a CONSTRUCT or DESCRIBE (fails the test on a SELECT or ASK answer)."""
    assert isinstance(result, GraphResult), f"expected a graph, got {type(result).__name__}"
    return result
