"""docs/queries.md is what the headers of the named queries say: regenerated in memory, compared, and each
query's example run.

The reference is written by ``python -m wickgraph.queries._reference``; these tests fail, naming the query, when a
header changed (or a query was added or removed) and the file was not regenerated.
"""

from __future__ import annotations

import dataclasses
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from _readme import check_generator, read
from wickgraph.cli import cli
from wickgraph.queries import named_queries
from wickgraph.queries._reference import drift, parse, render

REGENERATE = "run `python -m wickgraph.queries._reference` from the repository root and commit docs/queries.md"


@pytest.fixture(scope="module")
def committed() -> str:
    return read("docs/queries.md")


def test_reference_matches_every_query_header(committed: str) -> None:
    problems = drift(committed, render())
    assert not problems, "docs/queries.md is out of date:\n  " + "\n  ".join(problems) + f"\n({REGENERATE})"
    assert committed == render()


def test_reference_covers_every_query_with_its_parameters(committed: str) -> None:
    sections = parse(committed)
    assert list(sections) == list(named_queries()) and len(sections) >= 18
    for name, query in named_queries().items():
        text = sections[name]
        assert query.title in text and query.question in text and query.example in text, name
        for param in query.parameters:
            assert f"| `{param.name}` |" in text, f"{name}: parameter {param.name}"


def test_a_changed_header_names_its_query(committed: str) -> None:
    queries = dict(named_queries())
    queries["who-plays"] = dataclasses.replace(queries["who-plays"], title="Somebody else entirely")
    assert [p.split(":")[0] for p in drift(committed, render(queries))] == ["who-plays"]
    param = dataclasses.replace(queries["lead-of"].parameters[0], default="John Wick")
    queries["lead-of"] = dataclasses.replace(queries["lead-of"], parameters=(param,))
    problems = drift(committed, render(queries))
    assert len(problems) == 2 and problems[1].startswith("who-plays:")
    assert problems[0].startswith("lead-of: its entry drifted from lead-of.rq (line ")
    assert '"John Wick"' in problems[0]


def test_a_new_or_removed_query_is_named(committed: str) -> None:
    queries = dict(named_queries())
    queries["zz-new"] = dataclasses.replace(queries["director"], name="zz-new")
    del queries["distributors"]
    problems = drift(committed, render(queries))
    assert "zz-new: not in the reference (a new query?)" in problems
    assert "distributors: in the reference, but there is no such query" in problems


def test_hand_edits_to_the_file_are_caught(committed: str) -> None:
    edited = committed.replace("**Who plays a character", "**Who played a character", 1)
    assert edited != committed
    assert [p.split(":")[0] for p in drift(edited, render())] == ["who-plays"]
    (problem,) = drift(committed.replace("# Named queries", "# The named queries", 1), render())
    assert problem.startswith("the reference's text outside the queries' entries differs (line 1:")


def test_the_script_writes_and_checks_the_file(tmp_path: Path, committed: str) -> None:
    check_generator(
        "wickgraph.queries._reference",
        tmp_path / "docs" / "queries.md",
        committed,
        f"{len(named_queries())} queries",
        committed.replace("CQ1.", "CQ 1.", 1),
        "lead-of: its entry drifted from lead-of.rq (line ",
    )


NO_ROWS = {"shortest-connection"}
"""Queries whose header example answers no rows on the real graph (Unity Phelan and Mel Gibson are more than two
works apart); the example still runs. A query that starts answering leaves this set."""


@pytest.mark.parametrize("name", list(named_queries()))
def test_each_example_runs(name: str, built_store: Path) -> None:
    """The example the page shows for each query runs on the built graph and answers with rows."""
    example = named_queries()[name].example
    result = CliRunner().invoke(cli, [*shlex.split(example)[1:], "--format", "csv", "--store", str(built_store)])
    assert result.exit_code == 0, f"{example}\n{result.output}"
    rows = len(result.stdout.splitlines()) - 1
    if name in NO_ROWS:
        assert rows == 0, f"{example} answers now: take {name} out of NO_ROWS"
    else:
        assert rows >= 1, f"{example} answered no rows:\n{result.stdout}"
