"""The incremental build (:mod:`wickgraph.building.incremental`): after a one-file change the fast build
rebuilds only that file's graphs into a copy of the current generation. It must give exactly the store a full
rebuild gives (every quad compared), fail a bad edit with the full build's words leaving the previous graph
current, survive SIGKILL at any moment, and fall back to the full build (saying why) when it cannot help."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, RdfFormat, Store, parse

import wickgraph
from _universe import edit_a_date, split_universe
from wickgraph.building.report import BuildReport
from wickgraph.cli import cli
from wickgraph.errors import DataError, ParseError, ValidationError, WickgraphError
from wickgraph.store.embedded import current_generation

REPO = Path(__file__).resolve().parent.parent


def _universe(directory: Path, films: int = 8, buckets: int = 5) -> Path:
    """A generated universe split into files: the registry in ``entities.nq``, each source graph with its
    claim graphs in one of ``buckets`` files."""
    return split_universe(directory, films=films, buckets=buckets, seed=5)


def _quads(store: Path) -> Counter[str]:
    """Every quad of the current generation (blank nodes as ``_:b``: the ontology's differ between two loads),
    each counted."""
    opened = Store.read_only(str(current_generation(store)))
    return Counter(
        "\t".join(
            "_:b" if isinstance(t, BlankNode) else str(t) for t in (q.subject, q.predicate, q.object, q.graph_name)
        )
        for q in opened
    )


def _full(data: Path, store: Path) -> Counter[str]:
    """The quads of a full fast build of ``data`` into a new store."""
    shutil.rmtree(store, ignore_errors=True)
    report = wickgraph.build(store, mode="fast", data_dir=data)
    assert not report.incremental and report.full_rebuild_reason is None
    return _quads(store)


def _incremental(data: Path, store: Path) -> BuildReport:
    report = wickgraph.build(store, mode="fast", data_dir=data)
    assert report.incremental, report.full_rebuild_reason
    # counted as the copy changed, from the previous generation's counts: they must be what the store holds
    assert report.quads == sum(_quads(store).values())
    assert report.graphs == len(_graphs(store))
    return report


@pytest.fixture(scope="module")
def universe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _universe(tmp_path_factory.mktemp("universe"))


@pytest.fixture
def data(universe: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(universe, copy)
    return copy


def test_incremental_builds_give_what_full_rebuilds_give_on_a_generated_universe(data: Path, tmp_path: Path) -> None:
    store, reference = tmp_path / "store", tmp_path / "reference"
    wickgraph.build(store, mode="fast", data_dir=data)
    parts = sorted(data.glob("part-*.nq"))

    edit_a_date(parts[0])  # an edited file
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)

    copy = _copy_of(parts[1], data / "zz-copy.nq")  # an added file, stating triples another file states too
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)

    # A file whose graph another file states as well (the same graph in two files), then in one again.
    lines = parts[2].read_bytes().splitlines(keepends=True)
    twice = data / "zz-twice.nq"
    twice.write_bytes(b"".join(lines[: len(lines) // 2]))
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)
    twice.unlink()
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)

    shared = _default_graph(store) & _triples_of(copy)
    assert shared, "the copy states triples the other files state"
    copy.unlink()  # a removed file: what another file states too stays in the default graph
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)
    assert shared <= _default_graph(store)

    edit_a_date(parts[3])  # two files changed at once
    edit_a_date(parts[4])
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)


def _copy_of(part: Path, target: Path) -> Path:
    """A new file with the sources and claims of ``part`` under new IRIs (without their supersessions,
    retractions and premises, which name claims of other files): the same facts, said again."""
    kept = []
    for line in part.read_text(encoding="utf-8").splitlines(keepends=True):
        if "_:" in line or re.search(r"ontology#(supersedes|retracts|derivedFrom)>", line):
            continue
        kept.append(re.sub(r"wickgraph/(claim|source)/", r"wickgraph/\1/copy-", line))
    target.write_text("".join(kept), encoding="utf-8")
    return target


def _default_graph(store: Path) -> set[str]:
    """The triples of the default graph, as :func:`_quads` writes them (without the graph)."""
    return {k.removesuffix("\tDEFAULT") for k in _quads(store) if k.endswith("\tDEFAULT")}


def _triples_of(path: Path) -> set[str]:
    """The triples of an N-Quads file about anything but its own sources and claims, written as
    :func:`_quads` writes those of the default graph."""
    return {
        "\t".join(str(t) for t in (q.subject, q.predicate, q.object))
        for q in parse(path=str(path), format=RdfFormat.N_QUADS)
        if "/copy-" not in str(q.subject) and "/copy-" not in str(q.object)
    }


def test_incremental_on_the_real_data(data_copy: Path, tmp_path: Path) -> None:
    store, reference = tmp_path / "store", tmp_path / "reference"
    wickgraph.build(store, mode="fast", data_dir=data_copy)
    factsheet = data_copy / "factsheet" / "ballerina.trig"
    text = factsheet.read_text(encoding="utf-8")
    edited = re.sub(
        r'"(\d{4})-(\d\d)-(\d\d)"\^\^xsd:date',
        lambda m: f'"{int(m.group(1)) - 1}-{m.group(2)}-{m.group(3)}"^^xsd:date',
        text,
        count=1,
    )
    assert edited != text
    factsheet.write_text(edited, encoding="utf-8")
    _incremental(data_copy, store)
    assert _quads(store) == _full(data_copy, reference)

    editorial = data_copy / "editorial.trig"  # inferred claims (wg:derivedFrom) across files
    saved = editorial.read_bytes()
    editorial.unlink()
    _incremental(data_copy, store)
    assert _quads(store) == _full(data_copy, reference)
    editorial.write_bytes(saved)
    _incremental(data_copy, store)
    assert _quads(store) == _full(data_copy, reference)
    with wickgraph.open_graph(store) as kg:
        assert kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }")


def _failure(data: Path, store: Path) -> str:
    with pytest.raises(WickgraphError) as raised:
        wickgraph.build(store, mode="fast", data_dir=data)
    return str(raised.value)


@pytest.mark.parametrize("breakage", ["parse", "unregistered", "span"])
def test_a_bad_edit_fails_as_the_full_build_does_and_leaves_the_graph(
    data: Path, tmp_path: Path, breakage: str
) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data)
    generation, before = current_generation(store), _quads(store)
    target = sorted(data.glob("part-*.nq"))[1]
    text = target.read_text(encoding="utf-8")
    if breakage == "parse":
        lines = text.splitlines(keepends=True)
        broken = "".join(lines[:3]) + "<https://w3id.org/wickgraph/id/x> <broken\n" + "".join(lines[3:])
    elif breakage == "unregistered":
        broken = re.sub(
            r"(ontology#(?:director|actor|work)> <https://w3id.org/wickgraph/id/)([^>]*)>",
            r"\1nobody-registered-\2>",
            text,
            count=1,
        )
    else:
        broken = re.sub(r'(ontology#spanLine> ")\d+', r"\g<1>0", text, count=1)
    assert broken != text
    target.write_text(broken, encoding="utf-8")
    incremental = _failure(data, store)
    assert current_generation(store) == generation and _quads(store) == before
    with wickgraph.open_graph(store) as kg:
        assert kg.ask("ASK { ?s a wg:Claim }")
    full = _failure(data, tmp_path / "fresh")
    assert incremental == full
    expected = {"parse": ParseError, "unregistered": ValidationError, "span": ValidationError}[breakage]
    with pytest.raises(expected):
        wickgraph.build(store, mode="fast", data_dir=data)
    if breakage == "parse":
        assert f"{target.name}:4:" in incremental
    elif breakage == "unregistered":
        assert "nobody-registered-" in incremental and "not in the entity registry" in incremental
    else:
        assert "a span line is a whole number from 1" in incremental and target.name in incremental
    target.write_text(text, encoding="utf-8")  # mended: the next build is incremental again and right
    _incremental(data, store)
    assert _quads(store) == before


def test_what_it_cannot_do_incrementally_it_builds_in_full_and_says_why(
    data: Path, tmp_path: Path, ontology_dir: Path
) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data)
    registry = data / "entities.nq"
    registry.write_bytes(registry.read_bytes() + b"\n")
    report = wickgraph.build(store, mode="fast", data_dir=data)
    assert not report.incremental and "entity registry changed (entities.nq)" in str(report.full_rebuild_reason)
    assert "full rebuild: the entity registry changed" in report.summary()

    report = wickgraph.build(store, mode="fast", data_dir=data, full_rebuild=True)
    assert not report.incremental and report.full_rebuild_reason == "--full-rebuild"

    ontology = tmp_path / "ontology"
    shutil.copytree(ontology_dir, ontology)
    rule = sorted((ontology / "rules").glob("*.ru"))[0]
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    report = wickgraph.build(store, mode="fast", data_dir=data, ontology_dir=ontology)
    assert report.full_rebuild_reason == "the ontology, the shapes or the rules changed"

    report = wickgraph.build(store, mode="fast", data_dir=data, ontology_dir=ontology)  # nothing changed
    assert report.incremental

    wickgraph.build(store, mode="full", data_dir=data, ontology_dir=ontology, citations=False)
    report = wickgraph.build(store, mode="fast", data_dir=data, ontology_dir=ontology)
    assert "no manifest" in str(report.full_rebuild_reason)

    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--fast",
            "--full-rebuild",
            "-q",
            "--store",
            str(store),
            "--data",
            str(data),
            "--ontology",
            str(ontology),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "full rebuild: --full-rebuild" in result.output
    result = CliRunner().invoke(
        cli, ["build", "--fast", "-q", "--store", str(store), "--data", str(data), "--ontology", str(ontology)]
    )
    assert result.exit_code == 0, result.output
    assert "incremental: only the changed files' graphs built again" in result.output


def _spawn(store: Path, data: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wickgraph", "build", "--fast", "--store", str(store), "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_sigkill_of_an_incremental_build_leaves_the_previous_graph(data: Path, tmp_path: Path) -> None:
    store, reference = tmp_path / "store", tmp_path / "reference"
    wickgraph.build(store, mode="fast", data_dir=data)
    generation, before = current_generation(store), _quads(store)
    target = sorted(data.glob("part-*.nq"))[0]
    original = target.read_text(encoding="utf-8")
    edit_a_date(target)
    edited = target.read_text(encoding="utf-8")
    # Once at known points (the rules applied, the copy not made yet; then just before the switch), then at
    # random moments of a run whose length was measured first.
    for stage in ("incremental", "publish"):
        proc = _spawn(store, data, {"WICKGRAPH_BUILD_PAUSE": stage})
        assert proc.stderr is not None
        for line in proc.stderr:
            if f"paused before {stage}" in line:
                break
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        assert current_generation(store) == generation and _quads(store) == before
    shutil.copytree(store, tmp_path / "timed")
    started = time.monotonic()
    _spawn(tmp_path / "timed", data).communicate(timeout=300)
    length = time.monotonic() - started
    chance = random.Random(18)
    for _ in range(3):
        proc = _spawn(store, data)
        time.sleep(chance.uniform(0.1, length))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        if proc.returncode == 0:  # it finished first: back to the old graph, for the next try
            target.write_text(original, encoding="utf-8")
            _incremental(data, store)
            generation, before = current_generation(store), _quads(store)
            target.write_text(edited, encoding="utf-8")
            continue
        assert proc.returncode == -signal.SIGKILL
        assert current_generation(store) == generation and _quads(store) == before
        with wickgraph.open_graph(store) as kg:
            assert kg.ask("ASK { ?s a wg:Claim }")
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)
    assert [p.name for p in store.iterdir() if p.name.startswith("wickgraph-")] == []


def test_the_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "scale_incremental.py"),
            "--films",
            "6",
            "--buckets",
            "4",
            "--work",
            str(tmp_path),
            "--compare",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert re.search(r"full fast build: [\d.]+ s, [\d,]+ quads \(load average [\d.]+\)", run.stdout)
    assert re.search(r"one-file change \(.*\): [\d.]+ s, incremental, .*\(load average [\d.]+\)", run.stdout)
    assert re.search(r"faster; [\d.]+ s of CPU", run.stdout)
    assert "compared with a full rebuild: the same" in run.stdout


_SUPERSEDES = re.compile(r"^(<[^>]*>) <https://w3id.org/wickgraph/ontology#supersedes> (<[^>]*>) (<[^>]*>) \.$", re.M)


def _file_of_graph(data: Path, graph: str) -> Path:
    """The data file that states ``graph`` (an IRI in angle brackets)."""
    return next(p for p in sorted(data.glob("*.nq")) if f" {graph} .\n" in p.read_text(encoding="utf-8"))


def _cross_file_supersession(data: Path) -> tuple[Path, str, str, str, Path]:
    """A supersession whose older claim is in another file: the newer claim's file, the line, the newer claim,
    the older one, and the older claim's file."""
    for path in sorted(data.glob("part-*.nq")):
        for found in _SUPERSEDES.finditer(path.read_text(encoding="utf-8")):
            older = _file_of_graph(data, found.group(2))
            if older != path:
                return path, found.group(0) + "\n", found.group(1), found.group(2), older
    raise AssertionError("the generated universe has no supersession across two files")


def test_edits_that_a_wrong_scope_would_get_wrong_give_what_a_full_rebuild_gives(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edit reaches beyond the changed file: the status of a claim in an unchanged file, the last use of
    a performance (its label in the registry is derived from it), a violation visible only with both files."""
    from wickgraph.building import scoping

    monkeypatch.setattr(scoping, "compare_scopes", True)
    store, reference = tmp_path / "store", tmp_path / "reference"
    wickgraph.build(store, mode="fast", data_dir=data)

    # A changed claim no longer supersedes a claim in an unchanged file, then does again: that claim's
    # retirements go and come back.
    newer_file, line, newer, older, older_file = _cross_file_supersession(data)
    text = newer_file.read_text(encoding="utf-8")
    newer_file.write_text(text.replace(line, ""), encoding="utf-8")
    before = _quads(store)
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)
    retired_older = f"<https://w3id.org/wickgraph/ontology#retiredClaim>\t{older}"
    assert any(retired_older in k for k in before) and not any(retired_older in k for k in _quads(store))
    newer_file.write_text(text, encoding="utf-8")
    _incremental(data, store)
    assert _quads(store) == _full(data, reference) == before

    # The last use of a performance removed: its label, derived into the registry, goes with it.
    target = sorted(data.glob("part-*.nq"))[0]
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    performance = next(
        found
        for found in re.finditer(
            r"^(<[^>]*>) <https://w3id.org/wickgraph/ontology#actor> <[^>]*> (<[^>]*>) \.$", text, re.M
        )
        # its claim graph keeps other triples (a claim graph left empty is an error of its own)
        if any(x.endswith(f" {found.group(2)} .\n") and not x.startswith(found.group(1)) for x in lines)
        and found.group(1) not in "".join(p.read_text("utf-8") for p in data.glob("part-*.nq") if p != target)
    )
    label = f"{performance.group(1)}\t<http://www.w3.org/2000/01/rdf-schema#label>"
    assert any(k.startswith(label) for k in _quads(store))
    target.write_text(
        "".join(x for x in text.splitlines(keepends=True) if not x.startswith(performance.group(1) + " ")),
        encoding="utf-8",
    )
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)
    given = performance.group(1) in (data / "entities.nq").read_text("utf-8")
    assert any(k.startswith(label) for k in _quads(store)) == given
    target.write_text(text, encoding="utf-8")
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)

    # Violations seen only with both files: a claim of an unchanged file given a second source (one wg:source
    # allowed, on the union), and the older claim said to supersede the newer one (a cycle, and a claim
    # superseding a later one): the same words as the full build, the previous graph kept.
    generation, kept = current_generation(store), _quads(store)
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    source = re.search(rf"^(<[^>]*>) {a} <https://w3id.org/wickgraph/ontology#Source> \1 \.$", text, re.M)
    assert source is not None
    other = sorted(data.glob("part-*.nq"))[-1]
    claim = re.search(rf"^(<[^>]*>) {a} <https://w3id.org/wickgraph/ontology#Claim> ", other.read_text("utf-8"), re.M)
    assert claim is not None and claim.group(1) not in text
    for path, extra in [
        (
            target,
            f"{claim.group(1)} <https://w3id.org/wickgraph/ontology#source> {source.group(1)} {source.group(1)} .\n",
        ),
        (
            older_file,
            f"{older} <https://w3id.org/wickgraph/ontology#supersedes> {newer} {_record_graph(data, older)} .\n",
        ),
    ]:
        saved = path.read_text(encoding="utf-8")
        path.write_text(saved + extra, encoding="utf-8")
        incremental_words = _failure(data, store)
        assert current_generation(store) == generation and _quads(store) == kept
        assert incremental_words == _failure(data, tmp_path / "fresh")
        shutil.rmtree(tmp_path / "fresh")
        path.write_text(saved, encoding="utf-8")
    assert "wg:source" in incremental_words or "supersede" in incremental_words


def _record_graph(data: Path, claim: str) -> str:
    """The source graph that holds the record of ``claim``."""
    for path in sorted(data.glob("*.nq")):
        found = re.search(
            rf"^{re.escape(claim)} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            r"<https://w3id.org/wickgraph/ontology#Claim> (<[^>]*>) \.$",
            path.read_text(encoding="utf-8"),
            re.M,
        )
        if found is not None:
            return found.group(1)
    raise AssertionError(f"no record of {claim}")


def _random_edit(text: str, chance: random.Random) -> str:
    """One edit of an N-Quads file, as a person might make it by mistake or on purpose: a line dropped, a
    line's object swapped with another line's, an IRI misspelt, a date or number moved, a line stated in
    another of the file's graphs."""
    lines = text.splitlines(keepends=True)
    n = chance.randrange(len(lines))
    kind = chance.choice(["drop", "swap", "misspell", "literal", "regraph"])
    line = lines[n]
    if kind == "drop":
        del lines[n]
    elif kind == "swap":
        other = lines[chance.randrange(len(lines))]
        s, p, _ = line.split(" ", 2)
        o = other.split(" ", 2)[2].rsplit(" ", 2)[0]
        lines[n] = f"{s} {p} {o} {line.rsplit(' ', 2)[1]} .\n"
    elif kind == "misspell":
        lines[n] = line.replace("/id/", "/id/misspelt-", 1) if "/id/" in line else line.replace("<", "<x", 1)
    elif kind == "literal":
        lines[n] = re.sub(r'"(\d)', lambda m: f'"{(int(m.group(1)) + 7) % 10}', line, count=1)
    else:
        graphs = sorted({x.rsplit(" ", 2)[1] for x in lines})
        lines.insert(n, line.rsplit(" ", 2)[0] + f" {chance.choice(graphs)} .\n")
    return "".join(lines)


def test_scoped_checks_find_what_the_whole_store_checks_find_after_random_edits(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``compare_scopes`` every check runs scoped to what changed and on the whole store, and the build
    fails when the two differ: random one-file edits, broken and valid, each built incrementally."""
    from wickgraph.building import scoping

    compared: list[tuple[str, list[str], list[str]]] = []
    same = scoping._same_problems

    def counted(label: str, whole: list[str], scoped: list[str]) -> bool:
        compared.append((label, whole, scoped))
        return same(label, whole, scoped)

    monkeypatch.setattr(scoping, "compare_scopes", True)
    monkeypatch.setattr(scoping, "_same_problems", counted)
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data)
    chance = random.Random(1818)
    parts = sorted(data.glob("part-*.nq"))
    outcomes: Counter[str] = Counter()
    for _ in range(10):
        target = chance.choice(parts)
        saved = target.read_text(encoding="utf-8")
        target.write_text(_random_edit(saved, chance), encoding="utf-8")
        try:
            report = wickgraph.build(store, mode="fast", data_dir=data)
            outcomes["passed" if report.incremental else "full"] += 1
        except WickgraphError as exc:
            assert "internal" not in str(exc), exc
            outcomes[type(exc).__name__] += 1
        target.write_text(saved, encoding="utf-8")
        wickgraph.build(store, mode="fast", data_dir=data)
    assert outcomes["passed"] and outcomes["ValidationError"], outcomes
    assert any(whole for _, whole, _ in compared), "some edit broke a rule the scoped checks had to find"
    assert len({label for label, _, _ in compared}) > 100


def test_every_check_and_cross_graph_rule_has_a_scope(ontology_dir: Path) -> None:
    """The locality proofs are written per rule and per query form: a provenance rule added without its line in
    ``PROVENANCE_SCOPE``, a shape compiled to a form ``shape_scope`` cannot read, or a rule that reads across
    graphs in a new form would make the incremental build check (or derive) on the whole store, unseen."""
    from wickgraph.building.provenance import provenance_checks
    from wickgraph.building.scoping import (
        PROVENANCE_BY_PREDICATE,
        PROVENANCE_PREFIX,
        PROVENANCE_SCOPE,
        cross_graph_rules,
        scoped_query,
        shape_scope,
    )
    from wickgraph.building.shapes import compile_shapes

    checks = provenance_checks()
    assert sorted(PROVENANCE_SCOPE) == sorted(c.label for c in checks)
    for check in checks:
        for variable in PROVENANCE_SCOPE[check.label]:
            assert f"?{variable}" in check.query
            # the VALUES list goes where the variable is bound first: inside a subquery when there is one
            assert f"VALUES ?{variable} {{ <http://e/x> }}" in scoped_query(check.query, variable, ["http://e/x"])
        if check.label in PROVENANCE_PREFIX:  # its VALUES list keeps only the IRIs its query can report
            assert f'FILTER(STRSTARTS(STR(?f), "{PROVENANCE_PREFIX[check.label]}"))' in check.query
            assert PROVENANCE_SCOPE[check.label] == ("f",)
    for (label, variable), predicate in PROVENANCE_BY_PREDICATE.items():  # ``?x <p>``: its one pattern of its own
        assert variable in PROVENANCE_SCOPE[label]
        query = next(c.query for c in checks if c.label == label)
        short = "wg:" + predicate.rsplit("#", 1)[1]
        assert re.search(rf"\?{variable}\s+{short}\b", query), query
        assert query.count(f"?{variable} ") == 1 + query.count(f"GRAPH ?{variable} "), query
    shapes = compile_shapes(ontology_dir / "shapes.ttl")
    assert all(shape_scope(c.query) is not None for c in shapes)
    assert {p for c in shapes for p in shape_scope(c.query) or ()} >= {"https://w3id.org/wickgraph/ontology#actor"}
    assert shape_scope("SELECT ?f WHERE { ?f <http://e/p> ?x . ?x <http://e/q> ?v }") is None  # reads past ?f
    rules = cross_graph_rules(ontology_dir)
    assert rules is not None
    assert [(op.source, variable, by_graph) for op, variable, by_graph in rules] == [
        ("01-claim-defaults.ru #5", "src", True),
        ("06-performance-labels.ru #1", "perf", False),
        ("07-name-keys.ru #1", "e", False),
    ]


def test_a_cross_graph_rule_of_a_new_form_makes_it_work_on_the_whole_store(
    data: Path, tmp_path: Path, ontology_dir: Path
) -> None:
    """A rule that reads across graphs and writes a constant subject has no scope: the incremental build still
    runs, with the cross-graph rules, the registry diff and the checks on the whole store, and gives what a full
    rebuild gives."""
    from wickgraph.building.scoping import cross_graph_rules

    ontology = tmp_path / "ontology"
    shutil.copytree(ontology_dir, ontology)
    (ontology / "rules" / "99-constant.ru").write_text(
        "PREFIX wg: <https://w3id.org/wickgraph/ontology#>\nPREFIX wgg: <https://w3id.org/wickgraph/graph/>\n"
        'INSERT { GRAPH wgg:entities { wg:Claim wg:nameKey "claim" } } WHERE { GRAPH ?g { ?c a wg:Claim } }\n',
        encoding="utf-8",
    )
    assert cross_graph_rules(ontology) is None
    store, reference = tmp_path / "store", tmp_path / "reference"
    wickgraph.build(store, mode="fast", data_dir=data, ontology_dir=ontology)
    edit_a_date(sorted(data.glob("part-*.nq"))[0])
    steps: list[str] = []
    report = wickgraph.build(store, mode="fast", data_dir=data, ontology_dir=ontology, progress=steps.append)
    assert report.incremental, report.full_rebuild_reason
    assert "applying the build rules that read across graphs (to the whole store)" in steps
    assert not any("on what changed" in step for step in steps)
    wickgraph.build(reference, mode="fast", data_dir=data, ontology_dir=ontology)
    assert _quads(store) == _quads(reference)
    assert any('wickgraph/ontology#nameKey>\t"claim"' in k for k in _quads(store))


_A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_WG = "https://w3id.org/wickgraph/ontology#"


def _graphs(store: Path) -> set[str]:
    """The named graphs of the current generation (a graph left empty must go, as a full build never makes it)."""
    return {str(g) for g in Store.read_only(str(current_generation(store))).named_graphs()}


def _same_as_full(data: Path, store: Path, reference: Path) -> None:
    _incremental(data, store)
    assert _quads(store) == _full(data, reference)
    assert _graphs(store) == _graphs(reference)


def _status_lines(store: Path, claim: str) -> set[str]:
    """The status records' quads that name ``claim`` (as retired, retiring, disputed or disputing claim)."""
    found = _quads(store)
    nodes = {k.split("\t")[0] for k in found if f"\t{claim}\t" in k and "/graph/status/" in k}
    return {k for k in found if k.split("\t")[0] in nodes and "/graph/status/" in k}


def test_the_claims_status_computed_for_what_changed_is_the_whole_stores(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits made to break a status scoped to what changed (``compare_scopes`` computes the whole store's too and
    fails on a difference; every step is also compared with a full rebuild): a new claim in a third file that
    disputes a superseded value, then supersedes the newer claim (a chain whose other two claims sit in unchanged
    files: it retires the oldest one's triple through the chain); a source date moved, which moves the day of a
    retirement; a claim removed that a claim in an unchanged file supersedes (refused in the full build's words)."""
    from wickgraph.building import scoping

    monkeypatch.setattr(scoping, "compare_scopes", True)
    store, reference = tmp_path / "store", tmp_path / "reference"
    wickgraph.build(store, mode="fast", data_dir=data)
    _, _, newer, older, older_file = _cross_file_supersession(data)
    newer_file = _file_of_graph(data, newer)
    status = re.search(
        rf"^(<[^>]*>) <{_WG}releaseStatus> (<[^>]*>) {re.escape(newer)} \.$", newer_file.read_text("utf-8"), re.M
    )
    assert status is not None, "the newer claim of a supersession changes a release's status"
    third = next(p for p in sorted(data.glob("part-*.nq")) if p not in (newer_file, older_file))
    third_text = third.read_text(encoding="utf-8")
    source = re.search(rf"^(<[^>]*>) {_A} <{_WG}Source> \1 \.$", third_text, re.M)
    assert source is not None
    claim = "<https://w3id.org/wickgraph/claim/test-a-third-opinion/001>"
    record = "".join(
        f"{claim} {p} {o} {source.group(1)} .\n"
        for p, o in [
            (_A, f"<{_WG}Claim>"),
            (f"<{_WG}certainty>", f"<{_WG}Stated>"),
            (f"<{_WG}spanLine>", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
            (f"<{_WG}claimDate>", '"2099-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ]
    )
    stated = f"{status.group(1)} <{_WG}releaseStatus> <{_WG}Unscheduled> {claim} .\n"

    # A dispute with the newer claim and the older one (whose triple the newer retires: the dispute ends).
    third.write_text(third_text + record + stated, encoding="utf-8")
    _same_as_full(data, store, reference)
    assert _status_lines(store, older) and any(f"<{_WG}Dispute>" in k for k in _status_lines(store, claim))
    # The chain: the new claim supersedes the newer one, so it retires the older one's triple too.
    third.write_text(
        third_text + record + stated + f"{claim} <{_WG}supersedes> {newer} {source.group(1)} .\n", encoding="utf-8"
    )
    _same_as_full(data, store, reference)
    retired = {k for k in _status_lines(store, older) if f"<{_WG}retiredBy>\t{claim}" in k}
    assert retired, "the new claim retires the older claim's triple through the chain"
    third.write_text(third_text, encoding="utf-8")
    _same_as_full(data, store, reference)
    assert not _status_lines(store, claim)

    # The newer claim's source published a year later: its retirement of the older claim moves to a later day.
    newer_text = newer_file.read_text(encoding="utf-8")
    newer_source = _record_graph(data, newer)
    published = re.search(rf'^{re.escape(newer_source)} <http://schema.org/datePublished> "(\d{{4}})', newer_text, re.M)
    assert published is not None
    days = {k.rsplit("\t", 1)[1] for k in _status_lines(store, older)}
    newer_file.write_text(
        newer_text[: published.start(1)] + str(int(published.group(1)) + 1) + newer_text[published.end(1) :],
        encoding="utf-8",
    )
    _same_as_full(data, store, reference)
    assert {k.rsplit("\t", 1)[1] for k in _status_lines(store, older)} != days
    newer_file.write_text(newer_text, encoding="utf-8")
    _same_as_full(data, store, reference)

    # The older claim removed (its record and its graph) while the newer one, unchanged, supersedes it.
    generation, kept = current_generation(store), _quads(store)
    older_text = older_file.read_text(encoding="utf-8")
    older_file.write_text(
        "".join(
            x
            for x in older_text.splitlines(keepends=True)
            if not x.startswith(older + " ") and not x.endswith(f" {older} .\n")
        ),
        encoding="utf-8",
    )
    words = _failure(data, store)
    assert current_generation(store) == generation and _quads(store) == kept
    assert words == _failure(data, tmp_path / "fresh")
    assert "supersedes" in words and older.strip("<>").rsplit("/", 2)[-2] in words


def test_a_manifest_without_counts_has_the_store_counted(data: Path, tmp_path: Path) -> None:
    """A generation whose manifest records no counts (written before they were kept) has its quads and graphs
    counted at the end; the manifest it writes has them again, and the next build counts from them."""
    import json

    from wickgraph.building.manifest import MANIFEST, read_manifest

    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data)
    manifest = current_generation(store) / MANIFEST
    document = json.loads(manifest.read_text(encoding="utf-8"))
    assert isinstance(document.pop("quads"), int) and isinstance(document.pop("graphs"), int)
    manifest.write_text(json.dumps(document), encoding="utf-8")
    assert read_manifest(current_generation(store)) is not None
    target = sorted(data.glob("part-*.nq"))[0]
    edit_a_date(target)
    _incremental(data, store)  # counted at the end: the counts it reports are the store's
    counted = read_manifest(current_generation(store))
    assert counted is not None and counted.quads == sum(_quads(store).values())
    assert counted.graphs == len(_graphs(store))
    edit_a_date(target)
    _incremental(data, store)  # and from the manifest's again


def _provenance_store(lines: str) -> Store:
    store = Store()
    store.load(lines.encode(), format=RdfFormat.N_QUADS)
    return store


_ID, _G = "https://w3id.org/wickgraph/id/", "https://w3id.org/wickgraph/graph/"
_XSD_DATE = "^^<http://www.w3.org/2001/XMLSchema#date>"


@pytest.mark.parametrize("variable", ["g", "t"])
def test_a_provenance_rule_scoped_to_the_quads_that_differ_finds_a_violation_that_names_none_of_them(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The provenance rules run on the IRIs of the quads that differ, not of every quad of a rebuilt graph. Two
    edits whose violation binds ``?f`` and ``?v`` to nothing that changed: a source graph that stops describing
    itself as a source (its claims' records, unchanged, are then outside a source graph: found through ``?g``),
    and a source's ``wg:notBefore`` removed (a claim recorded there, unchanged, becomes later than the claim
    that supersedes it: found through ``?t``). ``compare_scopes`` runs each rule on the whole store too and
    fails on a difference; without the variable in ``PROVENANCE_SCOPE`` it does."""
    from wickgraph.building import scoping
    from wickgraph.building.provenance import provenance_checks

    source, other = f"<{_G}source/a>", f"<{_G}source/b>"
    old, new = f"<{_G}claim/a/1>", f"<{_G}claim/b/1>"
    person = f"<{_ID}someone>"
    claim, src = f"<{_WG}Claim>", f"<{_WG}Source>"
    common = (
        f'{person} <http://www.w3.org/2000/01/rdf-schema#label> "Someone" <{_G}entities> .\n'
        f'{other} {_A} {src} {other} .\n{new} {_A} {claim} {other} .\n{person} <{_WG}x> "1" {new} .\n'
        f'{old} {_A} {claim} {source} .\n{person} <{_WG}x> "2" {old} .\n'
    )
    if variable == "g":
        changed = f"{source} {_A} {src} {source} .\n"
        label, before, after = "records in source graphs", common + changed, common
    else:
        dates = (
            f"{source} {_A} {src} {source} .\n"
            f'{new} <{_WG}claimDate> "2020-01-01"{_XSD_DATE} {other} .\n{new} <{_WG}supersedes> {old} {other} .\n'
            f'{old} <{_WG}claimDate> "2024-01-01"{_XSD_DATE} {source} .\n'
        )
        changed = f'{source} <{_WG}notBefore> "2019-01-01"{_XSD_DATE} {source} .\n'
        label, before, after = "supersedes earlier claims", common + dates + changed, common + dates
    checks = [c for c in provenance_checks() if c.label == label]
    assert scoping.checks_on(_provenance_store(before), None, checks, lambda g: [], lambda m: None, "") == []
    store, diff = _provenance_store(after), set(_provenance_store(changed))
    what = scoping.Changed.of(store, diff)
    assert {t.strip("<>") for t in (old, new)}.isdisjoint(what.terms)  # the violation's ?f and ?v did not change
    if variable == "t":  # ?t is bound to the subjects of the changed wg:notBefore quads only
        assert what.subjects_of[f"{_WG}notBefore"] == {source.strip("<>")}
    monkeypatch.setattr(scoping, "compare_scopes", True)
    found = scoping.checks_on(store, what, checks, lambda g: [], lambda m: None, "")
    assert len(found) == 1 and old.strip("<>").rsplit("/", 3)[-1] in found[0], found
    narrower = {k: tuple(v for v in vs if v != variable) for k, vs in scoping.PROVENANCE_SCOPE.items()}
    monkeypatch.setattr(scoping, "PROVENANCE_SCOPE", narrower)
    with pytest.raises(DataError, match="internal: the check"):
        scoping.checks_on(store, what, checks, lambda g: [], lambda m: None, "")
