"""The fast build (`wickgraph build --fast`, :func:`wickgraph.bulk_build`): the same store as the full build,
the same problems found (SHACL compiled to SPARQL against pyshacl), atomic, and streaming output."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple

import wickgraph
from wickgraph.building.derive import derive, operations
from wickgraph.building.rules import apply_rules
from wickgraph.building.shapes import compile_shapes
from wickgraph.cli import cli
from wickgraph.errors import DataError
from wickgraph.output import TABLE_WIDTH_ROWS, write_result
from wickgraph.progress import ProgressBar, ProgressReader
from wickgraph.results import GraphResult, SelectResult
from wickgraph.terms import Term

BROKEN = """
@prefix wg:     <https://w3id.org/wickgraph/ontology#> .
@prefix wgd:    <https://w3id.org/wickgraph/id/> .
@prefix wgs:    <https://w3id.org/wickgraph/source/> .
@prefix wgg:    <https://w3id.org/wickgraph/graph/> .
@prefix bc:     <https://w3id.org/wickgraph/claim/broken/> .
@prefix schema: <http://schema.org/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

wgg:entities { wgd:unnamed-film a wg:Film . }

wgs:broken {
  wgs:broken a wg:Source ; schema:name "A broken source" ; schema:url "https://example.org/broken" ;
      wg:notBefore "2024-06-01"^^xsd:date ; wg:notAfter "2024-05-01"^^xsd:date ; wg:dateBasis "test" ; wg:tier "Z" .
  bc:1 a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 1 ; wg:spanStart 1 ; wg:spanEnd 5 .
  bc:2 a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 2 .
  bc:3 a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 3 .
}
bc:1 { wgd:ballerina wg:runtimeMinutes -5 ; wg:seriesOrdinal "1.0"^^xsd:integer ; wg:releaseDate "2024-02-30"^^xsd:date ;
           wg:hasTrailer "yes"^^xsd:boolean ; wg:remark "abc"^^xsd:date ; wg:budgetUSD "1e3"^^xsd:decimal . }
bc:2 { wgd:ballerina wg:director wgd:lionsgate . wgd:keanu-reeves wg:birthDate "1964-09-02"^^xsd:date, "1964-09-03"^^xsd:date . }
bc:3 { wgd:perf-broken a wg:Performance ; wg:actor wgd:ana-de-armas, wgd:keanu-reeves ; wg:work wgd:ballerina ;
           wg:creditType wg:Nonsense . }
bc:9 { wgd:ballerina wg:genre "no claim record for this graph" . }
"""


def _shape_problems(problems: list[str]) -> set[str]:
    """iri, property p: message; without the label (rule 06 labels a performance with two actors by SAMPLE,
    either one), the value and the file, which the two builds word apart."""
    shapes = {re.split(r" \(found | \[in | \(in ", p)[0] for p in problems if ", property " in p}
    return {re.sub(r"^'[^']*' \(([^)]*)\)", r"\1", p) for p in shapes}


def test_compiled_shapes_find_what_pyshacl_finds(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "broken.trig").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(wickgraph.ValidationError) as full:
        wickgraph.check(data_dir=data_copy)
    with pytest.raises(wickgraph.ValidationError) as fast:
        wickgraph.bulk_build(tmp_path / "store", data_dir=data_copy)
    expected = _shape_problems(full.value.problems)
    # Every kind of constraint the data break: minCount, maxCount, class, in, minExclusive, xone (or/and).
    assert any(p.startswith("wgd:unnamed-film, property rdfs:label") for p in expected)
    assert any("property wg:actor" in p for p in expected)
    assert any("property wg:director" in p for p in expected)
    assert any("property wg:creditType" in p for p in expected)
    assert any("property wg:runtimeMinutes" in p for p in expected)
    assert any("property wg:tier" in p for p in expected)
    # sh:datatype on ill-typed lexical forms, and a functional property given twice by one claim (wgsh:eachGraph)
    for prop in ("seriesOrdinal", "releaseDate", "hasTrailer", "remark", "budgetUSD"):
        assert any(f"wgd:ballerina, property wg:{prop}: " in p for p in expected), prop
    assert "wgd:keanu-reeves, property wg:birthDate: one claim gives one date of birth" in " ".join(expected)
    assert _shape_problems(fast.value.problems) == expected
    assert any("broken/1>, property (the entity as a whole)" in p for p in expected)  # sh:xone
    # Provenance: both builds name the graph that has no claim record, and the source whose date window is empty.
    for needle in ("broken/9", "date window"):
        assert any(needle in p for p in full.value.problems)
        assert any(needle in p for p in fast.value.problems)
    assert not (tmp_path / "store" / "current").exists()


def test_fast_and_full_builds_of_the_real_data_are_the_same_store(built_store: Path, tmp_path: Path) -> None:
    fast = tmp_path / "fast"
    report = wickgraph.bulk_build(fast, progress_bar=False)
    assert report.quads == len(Store.read_only(str((built_store / "current").resolve())))
    assert _quads(fast) == _quads(built_store)


def _quads(store: Path) -> set[tuple[str, ...]]:
    opened = Store.read_only(str((store / "current").resolve()))
    return {
        tuple("_:b" if isinstance(t, BlankNode) else str(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
        for q in opened
    }


def test_streamed_rules_add_what_sparql_update_adds(ontology_dir: Path, tmp_path: Path) -> None:
    data = """
    @prefix wg: <https://w3id.org/wickgraph/ontology#> .
    @prefix wgd: <https://w3id.org/wickgraph/id/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <https://w3id.org/wickgraph/claim/t/1> {
      wgd:p1 a wg:Performance ; wg:actor wgd:a ; wg:work wgd:w ; wg:character wgd:c .
      wgd:w wg:setAfter wgd:v ; wg:setBefore wgd:x ; wg:director wgd:d ; wg:seriesOrdinal 4 .
      wgd:w <http://e/n> 1.50, -2.5E3, true, -7, "x\ty"@en, "1"^^<http://e/t>, "2024-01-01"^^xsd:date, _:b .
    }
    <https://w3id.org/wickgraph/graph/ontology> { <http://e/n> rdfs:subPropertyOf <http://e/super> . }"""
    memory, disk = Store(), Store(str(tmp_path / "disk"))
    ontology = NamedNode("https://w3id.org/wickgraph/graph/ontology")
    for store in (memory, disk):
        store.load(data.encode(), format=RdfFormat.TRIG)
        store.load(path=str(ontology_dir / "wickgraph.ttl"), format=RdfFormat.TURTLE, to_graph=ontology)
    apply_rules(memory, ontology_dir)
    derive(disk, ontology_dir)

    def quads(store: Store) -> set[str]:  # the ontology's blank nodes differ between two loads
        return {str(q) for q in store if not any(isinstance(t, BlankNode) for t in q)}

    assert quads(disk) == quads(memory)
    assert any("castMember" in q for q in quads(disk)) and any("setBetween" in q for q in quads(disk))
    supers = {str(q.object) for q in disk.quads_for_pattern(None, NamedNode("http://e/super"), None, None)}
    assert len(supers) == 8 and any("P1545" in q for q in quads(disk))


def test_rule_files_outside_the_supported_subset_are_refused() -> None:
    assert (
        len(operations("PREFIX ex: <http://e/>\nINSERT { GRAPH ?g { ?s ex:p ?o } } WHERE { GRAPH ?g { ?s ex:q ?o } }"))
        == 1
    )
    with pytest.raises(ValueError, match="INSERT"):
        operations("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_a_shape_the_compiler_cannot_check_is_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] .\n"
    )
    with pytest.raises(DataError, match="sh:node"):
        compile_shapes(shapes)


def test_a_failed_fast_build_leaves_the_previous_graph(data_copy: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    wickgraph.bulk_build(store, data_dir=data_copy)
    before = (store / "current").resolve()
    (data_copy / "bad.nq").write_text("<https://w3id.org/wickgraph/id/x> <p> .\n", encoding="utf-8")
    with pytest.raises(wickgraph.ParseError) as caught:
        wickgraph.bulk_build(store, data_dir=data_copy)
    assert "bad.nq" in str(caught.value) and caught.value.line == 1
    assert (store / "current").resolve() == before
    assert [p.name for p in (store / "generations").iterdir()] == [before.name]


def test_cli_fast_build_and_its_options(data_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--fast", "--data", str(data_copy), "--store", str(tmp_path / "s"), "-q"])
    assert result.exit_code == 0, result.output
    assert "fast build: shapes checked as SPARQL" in result.output
    refused = runner.invoke(cli, ["build", "--no-rules", "--data", str(data_copy), "--store", str(tmp_path / "t")])
    assert refused.exit_code == 2 and "--no-rules goes with --fast" in refused.output


def test_progress_bar_counts_triples_and_rate() -> None:
    screen = io.StringIO()
    bar = ProgressBar(1000, "loading x.nq", stream=screen, enabled=True)
    reader = ProgressReader(io.BytesIO(b"<a> <b> <c> .\n" * 50), lambda r: bar.update(r.bytes, r.lines), every=0)
    while reader.read(100):
        pass
    bar.finish(reader.bytes, reader.lines)
    shown = screen.getvalue()
    assert reader.lines == 50 and "50 triples" in shown and "triples/s" in shown and shown.endswith("\n")
    quiet = io.StringIO()
    ProgressBar(10, "x", stream=quiet).update(5, 1)  # not a terminal: nothing drawn
    assert quiet.getvalue() == ""


def test_every_select_format_streams_the_rows() -> None:
    count = 3 * TABLE_WIDTH_ROWS

    def rows() -> Iterator[dict[str, Term | None]]:
        for i in range(count):
            yield {"n": Literal(str(i)), "s": NamedNode(f"https://w3id.org/wickgraph/id/e{i}")}

    for fmt in ("table", "csv", "tsv", "json"):
        result = SelectResult(["n", "s"], rows())
        out = io.StringIO()
        write_result(result, out, fmt)
        assert result._rows is None, f"{fmt} kept the rows"  # streamed, not read into a list
        assert str(count - 1) in out.getvalue()
    table = io.StringIO()
    write_result(SelectResult(["n", "s"], rows()), table, "table")
    assert table.getvalue().rstrip().endswith(f"({count} rows)")


def test_construct_results_stream_in_every_rdf_format() -> None:
    def triples() -> Iterator[Triple]:
        for i in range(2000):
            yield Triple(NamedNode(f"http://e/s{i}"), NamedNode("http://e/p"), Literal(f"v{i} é"))

    for fmt in ("turtle", "ntriples", "jsonld", "rdfxml"):
        result = GraphResult(triples())
        out = io.StringIO()
        write_result(result, out, fmt)
        assert result._triples is None, f"{fmt} kept the triples"
        assert "v1999 é" in out.getvalue()
    kept = GraphResult(triples())
    assert len(kept) == 2000 and kept.serialize("nt").count("\n") == 2000


def _generated(directory: Path, films: int) -> Path:
    from wickgraph.synthetic import generate

    directory.mkdir()
    generate(directory / "universe.nq", films=films, seed=3, texts_dir=directory.parent / f"{directory.name}-texts")
    return directory


def test_the_default_graph_written_from_the_input_is_the_one_a_dump_gives(tmp_path: Path) -> None:
    """The fast build writes the default graph from the input's text and the derived quads (no dump of the
    store) when every data file is regular N-Quads; a file it cannot rewrite as text (a tab before the graph
    name) is merged by the dump. Both give the same store, quad for quad."""
    from wickgraph.building.union import merge_from_inputs

    regular = _generated(tmp_path / "regular", 8)
    tabbed = tmp_path / "tabbed"
    tabbed.mkdir()
    lines = (regular / "universe.nq").read_bytes().splitlines(keepends=True)
    (tabbed / "universe.nq").write_bytes(
        b"# a comment line\n"
        + b"".join(line.rstrip()[:-2].rstrip().replace(b"> <", b">\t<") + b" .\n" for line in lines)
    )
    assert not merge_from_inputs(Store(), [tabbed / "universe.nq"], None, workdir=tmp_path, drop_status=True)
    wickgraph.bulk_build(tmp_path / "a", data_dir=regular)
    wickgraph.bulk_build(tmp_path / "b", data_dir=tabbed)
    built = _quads(tmp_path / "a")
    assert built == _quads(tmp_path / "b")
    assert sum(1 for q in built if q[3] == "DEFAULT") > len(lines)


def test_a_dump_rebuilt_with_the_rules_keeps_no_stale_status_in_the_default_graph(tmp_path: Path) -> None:
    """A dump of a built store holds status graphs; rebuilt with the rules, they are computed anew: the default
    graph written from the input's text holds none of the dumped status triples, as the one a dump gives."""
    data = _generated(tmp_path / "data", 6)
    wickgraph.bulk_build(tmp_path / "a", data_dir=data)
    stale = '<https://w3id.org/wickgraph/id/nobody> <https://w3id.org/wickgraph/ontology#status> "stale"'
    lines = [f"{s} {p} {o} {g} .\n" for s, p, o, g in sorted(_quads(tmp_path / "a")) if g != "DEFAULT"]
    lines.append(f"{stale} <https://w3id.org/wickgraph/graph/status/x> .\n")
    for name, separator in (("regular", " "), ("tabbed", "\t")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "dump.nq").write_text("".join(line.replace("> <", ">" + separator + "<") for line in lines))
        wickgraph.bulk_build(tmp_path / f"{name}-store", data_dir=tmp_path / name)
    rebuilt = _quads(tmp_path / "regular-store")
    assert any(q[3].startswith("<https://w3id.org/wickgraph/graph/status/") for q in rebuilt)
    assert not any(q[0].endswith("/nobody>") for q in rebuilt)
    assert rebuilt == _quads(tmp_path / "tabbed-store")


def test_every_triple_of_every_claim_graph_has_its_reifier_and_nothing_else(tmp_path: Path) -> None:
    """The reifiers are written as text from the engine's TSV rows: each claim graph's triples, numbers and
    booleans included, are exactly the triple terms its claim reifies in the default graph."""
    from pyoxigraph import DefaultGraph, Quad

    data = tmp_path / "data"
    data.mkdir()
    (data / "extra.trig").write_text(
        "@prefix wg: <https://w3id.org/wickgraph/ontology#> .\n"
        "@prefix wgd: <https://w3id.org/wickgraph/id/> .\n"
        '<https://w3id.org/wickgraph/claim/x/1> { wgd:film-x <http://e/n> 1.50, -2.5E3, true, -7, "a\\tb"@en . }\n'
    )
    _generated(tmp_path / "universe", 6)
    (data / "universe.nq").write_bytes((tmp_path / "universe" / "universe.nq").read_bytes())
    store = Store()
    store.load(path=str(data / "universe.nq"), format=RdfFormat.N_QUADS)
    store.load(path=str(data / "extra.trig"), format=RdfFormat.TRIG)
    claim = NamedNode("https://w3id.org/wickgraph/claim/x/1")
    first = next(store.quads_for_pattern(None, None, NamedNode("https://w3id.org/wickgraph/ontology#Claim"), None))
    store.add(Quad(claim, first.predicate, first.object, first.graph_name))
    from wickgraph.building.union import write_reifiers

    write_reifiers(store)
    claims = {
        q.subject
        for q in store.quads_for_pattern(None, first.predicate, first.object, None)
        if isinstance(q.subject, NamedNode)
    }
    expected = {
        (q.graph_name, Triple(q.subject, q.predicate, q.object))
        for c in claims
        for q in store.quads_for_pattern(None, None, None, c)
    }
    reifies = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies")
    found = {(q.subject, q.object) for q in store.quads_for_pattern(None, reifies, None, DefaultGraph())}
    assert found == expected
    assert sum(1 for c, _ in found if c == claim) == 5


def test_the_shared_screens_let_through_every_check_that_fails() -> None:
    """The sh:class and sh:minCount checks of one node shape share a screen query (one read of the target): on
    data breaking one property of many in a screen, one class where the value has another class, and one rule
    past the 20 shown, the checks report exactly what they report with no screen at all."""
    from dataclasses import replace

    from wickgraph.building.checks import run_checks
    from wickgraph.locations import default_ontology_dir

    wg, wgd = "https://w3id.org/wickgraph/ontology#", "https://w3id.org/wickgraph/id/"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [
        f"<{wgd}film> {rdf_type} <{wg}Work> .",
        f"<{wgd}film> <{wg}director> <{wgd}studio> .",  # a Company, not a Person
        f"<{wgd}studio> {rdf_type} <{wg}Company> .",
        f"<{wgd}film> <{wg}distributor> <{wgd}studio> .",  # as it should be: the same screen, passing
        f"<{wgd}person> {rdf_type} <{wg}Person> .",
        f"<{wgd}film> <{wg}producer> <{wgd}person> .",
    ]
    for n in range(25):  # performances without a work: more than the 20 shown
        lines += [f"<{wgd}perf-{n}> {rdf_type} <{wg}Performance> .", f"<{wgd}perf-{n}> <{wg}actor> <{wgd}person> ."]
    store = Store()
    store.load("\n".join(lines).encode(), format=RdfFormat.N_TRIPLES)
    checks = compile_shapes(default_ontology_dir() / "shapes.ttl")
    screened = [c for c in checks if c.screen is not None]
    assert {c.label.split()[-1] for c in screened} == {"class", "minCount"}
    assert len({c.screen for c in screened}) < len(screened)
    found = run_checks(store, checks)
    assert found == run_checks(store, [replace(c, screen=None) for c in checks])
    assert any("property wg:director: a director must be a wg:Person" in p for p in found)
    assert not any("property wg:distributor" in p or "property wg:producer" in p for p in found)
    assert "… and possibly more breaking the rule 'wg:work minCount' (only the first 20 shown)" in found
