"""Building the graph: what it loads, and that a failed or killed build leaves the previous graph untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import wickgraph
from wickgraph.errors import ParseError, StoreNotFoundError, ValidationError
from wickgraph.store.embedded import current_generation


def _snapshot(store: Path) -> tuple[Path, int]:
    generation = current_generation(store)
    with wickgraph.open_graph(store) as kg:
        return generation, kg.counts()["quads"]


def test_build_reports_what_it_loaded(built_store: Path) -> None:
    with wickgraph.open_graph(built_store) as kg:
        counts = kg.counts()
    # Two held texts (article, fact sheet) and the pages the fact sheet cites.
    assert counts["sources"] >= 2
    assert counts["claims"] >= 41  # the founding article alone has 41 claim records
    assert counts["entities"] >= 100
    assert counts["quads"] > 1000


def test_build_writes_a_new_generation_and_removes_the_old(tmp_path: Path, sources_dir: Path) -> None:
    store = tmp_path / "store"
    report = wickgraph.build(store, sources_dir=sources_dir)
    first = current_generation(store)
    with wickgraph.open_graph(store) as kg:
        inferred = len(kg.select("SELECT DISTINCT ?c WHERE { GRAPH ?s { ?c wg:certainty wg:Inferred } }"))
    import pyoxigraph

    assert report.store == str(store) and report.quads == len(pyoxigraph.Store.read_only(str(first)))
    assert report.citations_checked == report.claims - inferred  # every claim but the editors' inferences
    wickgraph.build(store, sources_dir=sources_dir)
    second = current_generation(store)
    assert second != first
    assert not first.exists()
    assert [p.name for p in (store / "generations").iterdir()] == [second.name]


def test_missing_store_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(
        StoreNotFoundError, match=r"no wickgraph store at .*nowhere: build it first with `wickgraph build --store"
    ):
        wickgraph.open_graph(tmp_path / "nowhere")


def test_malformed_turtle_names_file_line_and_column(tmp_path: Path, data_copy: Path, sources_dir: Path) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, data_dir=data_copy, sources_dir=sources_dir)
    before = _snapshot(store)
    bad = data_copy / "broken.trig"
    bad.write_text('@prefix wgd: <https://w3id.org/wickgraph/id/> .\n\nwgd:a {\n  wgd:x wgd:y "unterminated .\n}\n')
    with pytest.raises(ParseError) as info:
        wickgraph.build(store, data_dir=data_copy, sources_dir=sources_dir)
    assert info.value.path.endswith("broken.trig")
    assert info.value.line == 4
    assert info.value.column is not None
    assert str(info.value).startswith(f"{info.value.path}:4:")
    assert _snapshot(store) == before


def test_shacl_violation_names_entity_property_problem_and_file(
    tmp_path: Path, data_copy: Path, sources_dir: Path
) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, data_dir=data_copy, sources_dir=sources_dir)
    before = _snapshot(store)
    (data_copy / "bad-date.trig").write_text(
        "@prefix wg: <https://w3id.org/wickgraph/ontology#> .\n"
        "@prefix wgd: <https://w3id.org/wickgraph/id/> .\n"
        "@prefix wgs: <https://w3id.org/wickgraph/source/> .\n"
        "wgs:cinemark-2024 { <urn:x:claim> a wg:Claim ; wg:certainty wg:Stated ; wg:spanStart 0 ; wg:spanEnd 10 . }\n"
        '<urn:x:claim> { wgd:ballerina wg:runtimeMinutes "long" . }\n'
    )
    with pytest.raises(ValidationError) as info:
        wickgraph.build(store, data_dir=data_copy, sources_dir=sources_dir)
    problems = [p for p in info.value.problems if "runtime" in p]
    assert problems, info.value.problems
    message = problems[0]
    assert "'Ballerina' (wgd:ballerina)" in message
    assert "wg:runtimeMinutes" in message
    assert "positive whole number of minutes" in message
    assert "bad-date.trig" in message
    assert _snapshot(store) == before


def test_provenance_rules_catch_an_uncited_triple_and_an_unregistered_entity(
    data_copy: Path, sources_dir: Path
) -> None:
    (data_copy / "uncited.trig").write_text(
        "@prefix wg: <https://w3id.org/wickgraph/ontology#> .\n"
        "@prefix wgd: <https://w3id.org/wickgraph/id/> .\n"
        "<urn:x:orphan> { wgd:ballerina wg:director wgd:nobody-we-know . }\n"
    )
    with pytest.raises(ValidationError) as info:
        wickgraph.check(data_dir=data_copy, sources_dir=sources_dir)
    text = "\n".join(info.value.problems)
    assert "graph <urn:x:orphan> has no claim record" in text
    assert "wgd:nobody-we-know is used but not in the entity registry" in text
    assert "uncited.trig" in text


def _spawn_build(store: Path, data: Path, sources: Path, pause: str | None, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if pause:
        env["WICKGRAPH_BUILD_PAUSE"] = pause
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wickgraph",
            "build",
            "--store",
            str(store),
            "--data",
            str(data),
            "--sources",
            str(sources),
            *extra,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize(
    ("strategy", "kill_at"),
    [("--full", "writing"), ("--full", "paused before publish"), ("--fast", "paused before publish")],
)
def test_sigkill_mid_build_leaves_previous_store_intact(
    tmp_path: Path, data_copy: Path, sources_dir: Path, strategy: str, kill_at: str
) -> None:
    # Both strategies write through the same generation lifecycle: killed at any point, nothing changes.
    store = tmp_path / "store"
    wickgraph.build(store, data_dir=data_copy, sources_dir=sources_dir)
    before = _snapshot(store)

    with _spawn_build(store, data_copy, sources_dir, "publish", strategy) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            if kill_at in line:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(store) == before  # same generation, same content, still opens and answers
    with wickgraph.open_graph(store) as kg:
        assert kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }")

    assert len(list((store / "generations").iterdir())) == 2  # the killed build's unpublished generation

    # The next build succeeds, publishes, and clears what the killed one left behind.
    wickgraph.build(store, data_dir=data_copy, sources_dir=sources_dir)
    assert [p.name for p in (store / "generations").iterdir()] == [current_generation(store).name]
    assert current_generation(store) != before[0] and _snapshot(store)[1] == before[1]


def _build_process(store: Path, data: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wickgraph", "build", "--store", str(store), "--data", str(data), *extra],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _read_until(proc: subprocess.Popen[str], needle: str) -> list[str]:
    """The stderr lines of ``proc`` up to the first one containing ``needle`` (fails if it ends first)."""
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"{needle!r} never came; stderr was:\n{''.join(seen)}")


def _answers(store: Path) -> bool:
    with wickgraph.open_graph(store) as kg:
        return kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }")


@pytest.mark.parametrize("second", ["--full", "--fast"])
def test_two_concurrent_builds_take_turns_and_leave_a_working_store(
    tmp_path: Path, data_copy: Path, sources_dir: Path, second: str
) -> None:
    store, go = tmp_path / "store", tmp_path / "go"
    # The first build stops before publishing, holding the lock, until the test creates `go`.
    env = {"WICKGRAPH_BUILD_PAUSE": "publish", "WICKGRAPH_BUILD_PAUSE_UNTIL": str(go)}
    first = _build_process(store, data_copy, "--sources", str(sources_dir), env=env)
    _read_until(first, "paused before publish")
    with _build_process(store, data_copy, second) as other:
        _read_until(other, "waiting for another build")  # it waits: nothing of the first build is touched
        # --no-wait fails at once, with the holder named, and changes nothing.
        refused = subprocess.run(
            [sys.executable, "-m", "wickgraph", "build", "--store", str(store), "--data", str(data_copy), "--no-wait"],
            capture_output=True,
            text=True,
        )
        assert refused.returncode == 1
        assert "another build is writing the store" in refused.stderr and "build pid" in refused.stderr
        assert "Traceback" not in refused.stderr
        go.touch()
        other.communicate(timeout=120)
        first.communicate(timeout=120)
    assert first.returncode == 0 and other.returncode == 0
    assert _answers(store)
    assert [p.name for p in (store / "generations").iterdir()] == [current_generation(store).name]


def test_a_killed_fast_build_leaves_nothing_after_the_next_build(tmp_path: Path, data_copy: Path) -> None:
    store = tmp_path / "store"
    wickgraph.bulk_build(store, data_dir=data_copy)
    before = _snapshot(store)
    with _build_process(store, data_copy, "--fast", env={"WICKGRAPH_BUILD_PAUSE": "derive"}) as proc:
        _read_until(proc, "paused before derive")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    left = sorted(p.name for p in store.iterdir())
    assert any(name.startswith("wickgraph-derive-") for name in left), left
    assert len(list((store / "generations").iterdir())) == 2
    assert _snapshot(store) == before and _answers(store)

    wickgraph.bulk_build(store, data_dir=data_copy)
    assert sorted(p.name for p in store.iterdir()) == [".build.lock", "current", "generations"]
    assert [p.name for p in (store / "generations").iterdir()] == [current_generation(store).name]
    assert _answers(store)


@pytest.mark.parametrize("fast", [False, True])
def test_an_empty_data_dir_is_refused_and_the_store_kept(tmp_path: Path, sources_dir: Path, fast: bool) -> None:
    store, empty = tmp_path / "store", tmp_path / "empty"
    wickgraph.build(store, sources_dir=sources_dir)
    before = _snapshot(store)
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "wickgraph", "build", "--store", str(store), "--data", str(empty)]
        + (["--fast"] if fast else []),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"{empty}: no sources, no entities and no claims in the 0 data files" in result.stderr
    assert "the store is unchanged" in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(store) == before and _answers(store)
    assert [p.name for p in (store / "generations").iterdir()] == [before[0].name]


ILL_TYPED = """@prefix wg: <https://w3id.org/wickgraph/ontology#> .
@prefix wgd: <https://w3id.org/wickgraph/id/> .
@prefix wgs: <https://w3id.org/wickgraph/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
wgs:cinemark-2024 { <urn:x:ill> a wg:Claim ; wg:certainty wg:Stated ; wg:spanStart 0 ; wg:spanEnd 10 . }
<urn:x:ill> {
  wgd:ballerina wg:seriesOrdinal "12x"^^xsd:integer ; wg:remark "abc"^^xsd:date .
  wgd:keanu-reeves wg:birthDate "1964-09-02"^^xsd:date, "1964-09-03"^^xsd:date .
}
"""


@pytest.mark.parametrize("fast", [False, True])
def test_ill_typed_literals_and_two_values_of_a_functional_property_fail_both_builds(
    tmp_path: Path, data_copy: Path, fast: bool
) -> None:
    (data_copy / "ill-typed.trig").write_text(ILL_TYPED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "wickgraph", "build", "-q", "--store", str(tmp_path / "s"), "--data", str(data_copy)]
        + (["--fast"] if fast else ["--sources", str(tmp_path / "no-texts")]),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    expected = [
        ("'Ballerina' (wgd:ballerina), property wg:seriesOrdinal: series ordinal must be a whole number", '"12x"'),
        ("'Ballerina' (wgd:ballerina), property wg:remark: remark must be a plain string", '"abc"'),
        ("'Keanu Reeves' (wgd:keanu-reeves), property wg:birthDate: one claim gives one date of birth", "<urn:x:ill>"),
    ]
    for head, detail in expected:
        line = next((p for p in problems if head in p), None)
        assert line is not None, result.stderr
        assert detail in line and line.endswith("ill-typed.trig]"), line
    assert len(problems) == 3, result.stderr  # one line per problem, nothing else from the real data
    assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr
    assert result.stderr.splitlines() == ["Error: 3 validation problems:", *problems]  # nothing else on stderr


def test_two_values_of_a_functional_property_in_two_claims_are_a_disagreement_not_an_error(
    data_copy: Path,
) -> None:
    # The real data: Chapter 2 has two release dates, from two claims; the entity card shows both.
    with wickgraph.open_graph(wickgraph.bulk_build(data_copy.parent / "s", data_dir=data_copy).store or "") as kg:
        dates = kg.select("SELECT DISTINCT ?d WHERE { wgd:john-wick-chapter-2 wg:releaseDate ?d }")
    assert len(dates) == 2


@pytest.mark.parametrize("fast", [False, True])
def test_a_symlink_out_of_the_data_dir_is_refused_unread(tmp_path: Path, data_copy: Path, fast: bool) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2-secret-token\n", encoding="utf-8")
    (data_copy / "innocent.ttl").symlink_to(secret)
    result = subprocess.run(
        [sys.executable, "-m", "wickgraph", "build", "--store", str(tmp_path / "s"), "--data", str(data_copy)]
        + (["--fast"] if fast else []),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "innocent.ttl: is a symbolic link to a place outside the data directory" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "s" / "current").exists()


def test_a_sparql_12_user_finds_a_facts_sources_through_its_reifiers(kg: wickgraph.KnowledgeGraph) -> None:
    rows = kg.select("SELECT ?d ?src WHERE { << wgd:ballerina wg:director ?d >> wg:source ?src }")
    via_reifiers = {(str(r["d"]), str(r["src"])) for r in rows}
    rows = kg.select(
        "SELECT ?d ?src WHERE { GRAPH ?claim { wgd:ballerina wg:director ?d } GRAPH ?src { ?claim a wg:Claim } }"
    )
    via_graphs = {(str(r["d"]), str(r["src"])) for r in rows}
    assert via_reifiers == via_graphs and len(via_graphs) >= 2  # the article and the Wikipedia page, at least
    # One reifier per triple of each claim graph, and none for anything else (records, registry, ontology).
    reifiers = kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?claim rdf:reifies ?t }")[0]["n"]
    claimed = kg.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?record { ?claim a wg:Claim } GRAPH ?claim { ?s ?p ?o } }"
    )[0]["n"]
    assert reifiers == claimed
    assert kg.ask(
        "ASK { << wgd:ballerina wg:director wgd:len-wiseman ~ ?claim >> wg:certainty wg:Stated ; wg:claimDate ?d }"
    )


def test_the_readme_rdf12_example_prints_what_it_shows(built_store: Path) -> None:
    import shlex

    from click.testing import CliRunner

    from _readme import section, wickgraph_examples
    from wickgraph.cli import cli

    text = section("## The data model").replace("\n  ", "\n")  # the example is indented in a list item
    ((command, shown),) = [e for e in wickgraph_examples(text) if "<<" in e[0]]
    result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    produced = result.output.splitlines()
    assert [line for line in shown if line] == produced[: len(shown)]


def test_formats_without_rdf_12_refuse_the_reifiers_in_one_line(kg: wickgraph.KnowledgeGraph) -> None:
    import io

    from wickgraph.errors import ExportError

    def reifiers() -> wickgraph.GraphResult:
        result = kg.query("CONSTRUCT WHERE { ?claim rdf:reifies ?t } LIMIT 3")
        assert isinstance(result, wickgraph.GraphResult)
        return result

    with pytest.raises(ExportError, match=r"RDF 1\.2 triple terms .* rdflib cannot hold"):
        reifiers().to_rdflib()
    with pytest.raises(ExportError, match=r"RDF 1\.2 triple terms .* jsonld cannot carry"):
        reifiers().write(io.StringIO(), "jsonld")
    turtle = io.StringIO()
    reifiers().write(turtle, "turtle")
    assert "<<(" in turtle.getvalue()
