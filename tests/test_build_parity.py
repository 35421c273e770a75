"""The two build strategies share one set of provenance rules: each rule, broken on purpose, fails the full and
the fast build with the same message, naming the same files; and the library, not the command line, chooses
the strategy."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

import wickgraph
from wickgraph.building.builder import FAST_BUILD_THRESHOLD, choose_mode
from wickgraph.building.provenance import provenance_checks

PREFIXES = """
@prefix wg:     <https://w3id.org/wickgraph/ontology#> .
@prefix wgd:    <https://w3id.org/wickgraph/id/> .
@prefix wgs:    <https://w3id.org/wickgraph/source/> .
@prefix wgg:    <https://w3id.org/wickgraph/graph/> .
@prefix x:      <https://w3id.org/wickgraph/claim/tiny/> .
@prefix schema: <http://schema.org/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""

ENTITIES = (
    PREFIXES
    + """
wgg:entities { wgd:ballerina a wg:Film ; rdfs:label "Ballerina" . }
"""
)

GOOD = (
    PREFIXES
    + """
wgs:tiny {
  wgs:tiny a wg:Source ; schema:name "Tiny" ; wg:localFile "tiny.txt" ; wg:sha256 "SHA" ; wg:tier "N" ; schema:datePublished "2024-05-01"^^xsd:date ;
      wg:dateBasis "test" .
  x:one a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 1 .
  x:two a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 2 .
}
x:one { wgd:ballerina wg:runtimeMinutes 125 . }
x:two { wgd:ballerina wg:genre "drama" . }
"""
)

OTHER_SOURCE = """
wgs:early {
  wgs:early a wg:Source ; schema:name "Early" ; schema:url "https://example.org/early" ; wg:tier "N" ; schema:datePublished "2024-01-01"^^xsd:date ;
      wg:dateBasis "test" .
  x:early a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 3 ; wg:supersedes x:one .
}
x:early { wgd:ballerina wg:runtimeMinutes 130 . }
"""

# Each provenance rule (by its check's label, plus the default-graph rule and the supersession rules), the data
# that break it (text replaced in GOOD, or a file added), and words its message must hold.
BROKEN: dict[str, tuple[tuple[str, str], str | None, str]] = {
    "graphs have a role": (("", ""), 'x:orphan { wgd:ballerina wg:genre "thriller" . }', "graph x:orphan has no claim"),
    "records in source graphs": (
        ("", ""),
        'x:two { x:nested a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 4 . }\nx:nested { wgd:ballerina wg:genre "x" . }',
        "claim record x:nested is in graph x:two, which is not a source graph",
    ),
    "one record per claim": (
        ("", ""),
        OTHER_SOURCE.replace(
            " ; wg:supersedes x:one .", " .\n  x:one a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 5 ."
        ),
        "claim x:one has records in two source graphs, wgs:early and wgs:tiny",
    ),
    "records have graphs": (
        ("x:two a wg:Claim", "x:ghost a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 6 .\n  x:two a wg:Claim"),
        None,
        "claim x:ghost has a record but no graph of triples",
    ),
    "subjects registered": (
        ('wgd:ballerina wg:genre "drama"', 'wgd:nobody wg:genre "drama"'),
        None,
        "wgd:nobody is used but not in the entity registry",
    ),
    "objects registered": (
        ('wgd:ballerina wg:genre "drama" .', 'wgd:ballerina wg:genre "drama" ; wg:director wgd:nobody .'),
        None,
        "wgd:nobody is used but not in the entity registry",
    ),
    "supersedes earlier claims": (
        ("", ""),
        OTHER_SOURCE,
        "claim x:early (2024-01-01) supersedes the later claim x:one (2024-05-01)",
    ),
    "date windows": (
        (
            'schema:datePublished "2024-05-01"^^xsd:date',
            'wg:notBefore "2024-06-01"^^xsd:date ; wg:notAfter "2024-05-01"^^xsd:date',
        ),
        None,
        "source wgs:tiny: its date window is empty (2024-06-01 is after 2024-05-01)",
    ),
    "supersedes claims": (
        ("wg:spanLine 2 .", "wg:spanLine 2 ; wg:supersedes wgd:ballerina ."),
        None,
        "claim x:two supersedes wgd:ballerina, which is not a claim",
    ),
    "triples outside any named graph": (
        ("", ""),
        'wgd:ballerina wg:genre "loose" .',
        "triples outside any named graph",
    ),
    "supersedes itself": (
        ("wg:spanLine 2 .", "wg:spanLine 2 ; wg:supersedes x:two ."),
        None,
        "claim x:two supersedes itself",
    ),
    "supersession cycle": (
        ("wg:spanLine 1 .", "wg:spanLine 1 ; wg:supersedes x:two ."),
        None,
        "supersession cycle x:one -> x:two -> x:one",
    ),
}


TEXT = "Ballerina runs 125 minutes.\nBallerina is a drama.\n"


def _write(data: Path, trig: str) -> None:
    """The data directory's tiny.trig, and the source's held text in ``texts/`` beside it."""
    texts = data.parent / "texts"
    texts.mkdir(exist_ok=True)
    (texts / "tiny.txt").write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    (data / "tiny.trig").write_text(trig.replace('"SHA"', f'"{sha}"'), encoding="utf-8")


def _data(tmp_path: Path, rule: str) -> Path:
    (replace_old, replace_new), extra, _ = BROKEN[rule]
    data = tmp_path / "data"
    data.mkdir()
    (data / "entities.trig").write_text(ENTITIES, encoding="utf-8")
    good = GOOD.replace(replace_old, replace_new) if replace_old else GOOD
    if rule == "supersession cycle":
        good = good.replace("wg:spanLine 2 .", "wg:spanLine 2 ; wg:supersedes x:one .")
    assert good != GOOD or extra, f"{rule}: the data are not broken"
    _write(data, good)
    if extra is not None:
        (data / "broken.trig").write_text(PREFIXES + extra, encoding="utf-8")
    return data


def _provenance_problems(mode: str, data: Path, store: Path) -> list[str]:
    with pytest.raises(wickgraph.ValidationError) as failed:
        wickgraph.build(store, mode=mode, data_dir=data, sources_dir=data.parent / "texts")  # type: ignore[arg-type]
    # The shapes are checked by pyshacl in one strategy and by compiled SPARQL in the other: compared elsewhere
    # (test_build_fast.py); every other problem must read the same.
    return sorted(p for p in failed.value.problems if ", property " not in p)


def test_the_good_tiny_data_build_in_both_strategies(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "entities.trig").write_text(ENTITIES, encoding="utf-8")
    _write(data, GOOD)
    full = wickgraph.build(tmp_path / "full", mode="full", data_dir=data, sources_dir=tmp_path / "texts")
    fast = wickgraph.build(tmp_path / "fast", mode="fast", data_dir=data)
    assert (full.fast, fast.fast) == (False, True)
    assert full.citations_checked == 2
    assert (full.claims, full.sources, full.entities) == (fast.claims, fast.sources, fast.entities) == (2, 1, 1)


def test_every_provenance_check_is_broken_below() -> None:
    assert {c.label for c in provenance_checks()} <= set(BROKEN)


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_broken_rule_fails_both_strategies_with_the_same_message(rule: str, tmp_path: Path) -> None:
    data = _data(tmp_path, rule)
    full = _provenance_problems("full", data, tmp_path / "store")
    fast = _provenance_problems("fast", data, tmp_path / "store")
    assert full == fast
    needle = re.sub(r"\bx:(\w+)", r"<https://w3id.org/wickgraph/claim/tiny/\1>", BROKEN[rule][2])
    matching = [p for p in full if needle in p]
    assert matching, full
    assert all("tiny.trig" in p or "broken.trig" in p for p in matching), matching  # the files to fix
    assert not (tmp_path / "store" / "current").exists()


def test_the_library_chooses_the_strategy(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.nq").write_text("<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
    assert choose_mode("auto", small) == "full"
    assert choose_mode("fast", small) == "fast"
    big = tmp_path / "big"
    big.mkdir()
    with (big / "a.nq").open("wb") as sink:  # a sparse file: over the threshold on disk, no time to write
        sink.truncate(FAST_BUILD_THRESHOLD + 1)
    assert choose_mode("auto", big) == "fast"
    assert choose_mode("full", big) == "full"
    assert choose_mode("auto", big, rules=False) == "fast"
    with pytest.raises(wickgraph.UsageError, match="rules=False"):
        choose_mode("auto", small, rules=False)
    with pytest.raises(wickgraph.UsageError, match="rules=False"):
        wickgraph.build(tmp_path / "s", mode="full", data_dir=small, rules=False)
    with pytest.raises(wickgraph.UsageError, match="unknown build mode 'quick'"):
        wickgraph.build(tmp_path / "s", mode="quick", data_dir=small)  # type: ignore[arg-type]
    assert not (tmp_path / "s").exists()


def test_auto_mode_says_it_chose_the_fast_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "entities.trig").write_text(ENTITIES, encoding="utf-8")
    _write(data, GOOD)
    import wickgraph.building.builder as builder

    monkeypatch.setattr(builder, "FAST_BUILD_THRESHOLD", 100)  # the tiny data are "big"
    said: list[str] = []
    report = wickgraph.build(tmp_path / "s", data_dir=data, progress=said.append)
    assert report.fast
    assert any(m.endswith("MB of data: using the fast build") for m in said), said


def test_the_cli_passes_the_choice_through_and_says_how_to_overrule_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import wickgraph.building.builder as builder
    from wickgraph.cli import cli

    data = tmp_path / "data"
    data.mkdir()
    (data / "entities.trig").write_text(ENTITIES, encoding="utf-8")
    _write(data, GOOD)
    monkeypatch.setattr(builder, "FAST_BUILD_THRESHOLD", 100)
    runner = CliRunner()
    auto = runner.invoke(cli, ["build", "--data", str(data), "--store", str(tmp_path / "a")])
    assert auto.exit_code == 0, auto.output
    assert "using the fast build (--full to force the full one)" in auto.output
    assert "fast build: shapes checked as SPARQL" in auto.output
    forced = runner.invoke(
        cli,
        ["build", "--full", "--data", str(data), "--sources", str(tmp_path / "texts"), "--store", str(tmp_path / "f")],
    )
    assert forced.exit_code == 0, forced.output
    assert "2 citations checked against the held source texts" in forced.output
    assert "using the fast build" not in forced.output
    # Skipping the rules goes with the fast build, and here the library chose it: the data are read (and, without
    # the rules' output, fail the shapes), where with the full build the option is refused before anything runs.
    dump = runner.invoke(cli, ["build", "--no-rules", "--data", str(data), "--store", str(tmp_path / "n"), "-q"])
    assert dump.exit_code == 1 and "validation problems" in dump.output, dump.output
    refused = runner.invoke(cli, ["build", "--no-rules", "--full", "--data", str(data), "--store", str(tmp_path / "n")])
    assert refused.exit_code == 2 and "--no-rules goes with --fast" in refused.output
