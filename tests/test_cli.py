"""The command line: every command, every output format, and one-line errors for bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pyoxigraph import RdfFormat, parse

from wickgraph.cli import cli
from wickgraph.store.embedded import current_generation


@pytest.fixture()
def run(built_store: Path) -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(cli, [*args, "--store", str(built_store)], input=stdin, catch_exceptions=False)

    return invoke


def test_query_formats(run: Callable[..., Result]) -> None:
    table = run("query", "who-plays", "--param", "character=Rooney", "--format", "table")
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split()[:2] == ["actorLabel", "workLabel"]
    assert "Ana de Armas" in table.output and "Unity Phelan" in table.output

    rows = list(
        csv.DictReader(io.StringIO(run("query", "who-plays", "--param", "character=Rooney", "--format", "csv").output))
    )
    assert {"Ana de Armas", "Unity Phelan"} <= {r["actorLabel"] for r in rows}

    tsv = run("query", "who-plays", "--param", "character=Rooney", "--format", "tsv").output.splitlines()
    assert tsv[0].startswith("actorLabel\tworkLabel")
    assert any(line.startswith("Unity Phelan\t") for line in tsv[1:])  # plain: bare values

    sparql = run("query", "who-plays", "--param", "character=Rooney", "--format", "sparql-tsv").output.splitlines()
    assert sparql[0].startswith("?actorLabel\t?workLabel")
    assert any(line.startswith('"Unity Phelan"\t') for line in sparql[1:])

    data = json.loads(run("query", "who-plays", "--param", "character=Rooney", "--format", "json").output)
    assert data["head"]["vars"][:2] == ["actorLabel", "workLabel"]
    assert {"type": "literal", "value": "Unity Phelan"} in [b["actorLabel"] for b in data["results"]["bindings"]]


def test_construct_as_turtle_and_ask(run: Callable[..., Result]) -> None:
    out = run(
        "query",
        "CONSTRUCT { wgd:ballerina wg:director ?d } WHERE { wgd:ballerina wg:director ?d }",
        "--format",
        "turtle",
    )
    triples = list(parse(out.output.encode(), format=RdfFormat.TURTLE))
    assert [t.object.value for t in triples] == ["https://w3id.org/wickgraph/id/len-wiseman"]
    assert run("query", "ASK { wgd:ballerina wg:director wgd:chad-stahelski }").output.strip() == "false"


def test_query_from_stdin_and_file(run: Callable[..., Result], tmp_path: Path) -> None:
    q = "SELECT ?l WHERE { wgd:ruska-roma rdfs:label ?l }"
    assert run("query", stdin=q).output == "l\nRuska Roma\n"  # piped: plain TSV
    path = tmp_path / "q.rq"
    path.write_text(q)
    assert "Ruska Roma" in run("query", "--file", str(path), "--format", "csv").output


def test_as_of_answers_from_what_was_published_then(run: Callable[..., Result]) -> None:
    then = run("query", "lead-of", "--as-of", "2024-01-03", "--format", "csv").output
    now = run("query", "lead-of", "--format", "csv").output
    assert {r["name"] for r in csv.DictReader(io.StringIO(then))} == {"Rooney"}
    assert "Eve Macarro" in {r["name"] for r in csv.DictReader(io.StringIO(now))}


def test_queries_lists_every_named_query(run: Callable[..., Result]) -> None:
    from wickgraph import named_queries

    out = CliRunner().invoke(cli, ["queries", "-v"]).output
    for name in named_queries():
        assert f"\n{name} " in "\n" + out
    assert "--param character=" in out


def test_show_and_search(run: Callable[..., Result]) -> None:
    card = run("show", "eve macarro").output
    assert card.startswith("Eve Macarro  (wgd:eve-macarro)")
    assert "Rooney" in card and "[superseded]" in card and "≠ sources disagree" in card
    old = run("show", "Eve Macarro", "--as-of", "2024-01-03").output
    assert "as known on 2024-01-03" in old and "Rooney" in old
    assert "[superseded]" not in old  # what superseded the 2024 claims was not yet published
    found = run("search", "ruska").output
    assert "Ruska Roma" in found


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "who-is"], "Error: no named query 'who-is'; the named queries are: "),
        (
            ["query", "who-plays", "--param", "actor=x"],
            "Error: query 'who-plays' has no parameter actor; its parameters: character\n",
        ),
        (["query", "SELECT ?s WHERE { ?s ?p }"], "Error: SPARQL syntax error at line 1, column "),
        (["show", "John Wick"], "Error: 'John Wick' matches 3 entities: "),
        (["show", "Nobody At All"], "Error: no entity is called 'Nobody At All'"),
        (["query", "lead-of", "--as-of", "2024-13-01"], "Error: not a date: '2024-13-01' (use YYYY-MM-DD"),
    ],
)
def test_bad_input_gets_a_one_line_error_and_changes_nothing(
    run: Callable[..., Result], built_store: Path, args: list[str], message: str
) -> None:
    generation = current_generation(built_store)
    result = CliRunner().invoke(cli, [*args, "--store", str(built_store)])
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert "Traceback" not in result.output
    assert current_generation(built_store) == generation


def test_missing_store_says_how_to_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "lead-of", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: no wickgraph store at {tmp_path / 'none'}: build it first with `wickgraph build --store {tmp_path / 'none'}`\n"
    )


def test_verify_sources_prints_quotes(built_store: Path, sources_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["verify-sources", "--store", str(built_store), "--sources", str(sources_dir)])
    assert result.exit_code == 0, result.output
    assert "“Ana de Armas stars as Rooney," in result.output
    assert f"citations verified against {sources_dir} (" in result.output.strip().splitlines()[-1]


def test_a_missing_parameter_is_worded_as_the_option_that_gives_it(
    built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wickgraph.queries as queries

    shipped = queries.named_queries()
    extra = queries._parse("roles-of", "# title: Roles\n# param: who (entity wg:Person) -- the actor\nSELECT ?r {}\n")
    monkeypatch.setattr(queries, "named_queries", lambda: {**shipped, "roles-of": extra})
    result = CliRunner().invoke(cli, ["query", "roles-of", "--store", str(built_store)])
    assert (result.exit_code, result.output) == (1, "Error: query 'roles-of' needs --param who=... (the actor)\n")


def _python(code: str) -> str:
    """What a fresh Python process running ``code`` prints."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_the_command_table_names_each_command_and_its_module() -> None:
    # In a fresh process: every module of the table imported, the commands they register are the table's.
    code = (
        "import importlib, json, wickgraph.cli as c\n"
        "for m in set(c.COMMANDS.values()): importlib.import_module('wickgraph.cli.' + m)\n"
        "print(json.dumps({n: cmd.callback.__module__ for n, cmd in c.cli.commands.items()}))"
    )
    out = _python(code)
    from wickgraph.cli import COMMANDS

    assert json.loads(out) == {name: f"wickgraph.cli.{module}" for name, module in COMMANDS.items()}


def test_a_command_loads_only_its_own_module() -> None:
    code = (
        "import sys, wickgraph.cli as c\n"
        "c.cli(['queries'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('wickgraph.cli.')))"
    )
    out = _python(code)
    assert "lead-of" in out
    # No other topic's module; the small shared helper of --wide (cli/_terminal.py, click only) comes along.
    assert out.strip().splitlines()[-1] == "['wickgraph.cli._terminal', 'wickgraph.cli.query']"
