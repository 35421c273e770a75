"""`wickgraph coverage`: every sentence of a held text is covered by a claim, marked as stating no fact, or a gap."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

import wickgraph
from wickgraph.building.parse import stage
from wickgraph.building.rules import apply_rules
from wickgraph.cli import cli
from wickgraph.errors import SourceTextError
from wickgraph.spans import segment, short_claim, source_coverage

if TYPE_CHECKING:
    from pyoxigraph import Store as OxStore

ARTICLE = "cinemark-ballerina-what-we-know.txt"


def test_the_founding_article_is_covered_or_marked_to_the_last_sentence(
    kg: wickgraph.KnowledgeGraph, sources_dir: Path
) -> None:
    report = source_coverage(kg.store, sources_dir, "cinemark-2024")
    text = (sources_dir / ARTICLE).read_text(encoding="utf-8")
    assert report.held_file == ARTICLE and report.unit_name == "sentences"
    assert report.gaps == [] and report.percent == 100.0
    assert len(report.units) == 62 and (report.covered, report.marked) == (42, 20)
    for unit in report.units:
        assert unit.text == " ".join(text[unit.start : unit.end].split())
    by_text = {u.text: u for u in report.units}
    # The statements issue 13 found missing now rest on claims.
    assert [short_claim(c) for c in by_text["Then he's in good shape by the beginning of CHAPTER 4."].claims] == [
        "cinemark-2024/a21",
        "cinemark-2024/a43",
    ]
    assert "cinemark-2024/a44" in [
        short_claim(c) for c in by_text["All images courtesy of Apple and Lionsgate."].claims
    ]
    assert by_text["Who Made Ballerina?"].no_fact == "heading"
    assert by_text["Skip to Main Content"].no_fact == "page furniture"
    assert by_text["(This is not unheard of!)"].no_fact == "writer's aside"


def _edited(data: Path, ontology_dir: Path, edit: Callable[[str], str]) -> OxStore:
    """The data in ``data`` (a copy) staged with the rules applied, after ``edit`` rewrote the founding article's
    file."""
    article = data / "cinemark-2024.trig"
    article.write_text(edit(article.read_text(encoding="utf-8")), encoding="utf-8")
    staged = stage(ontology_dir, data)
    apply_rules(staged.store, ontology_dir)
    return staged.store


def _replacing(old: str, new: str) -> Callable[[str], str]:
    """An edit that replaces ``old`` (which must be there, once) with ``new``."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edit


def test_a_sentence_without_claim_or_mark_is_a_gap(data_copy: Path, ontology_dir: Path, sources_dir: Path) -> None:
    # Drop the claim on the image credit and the mark on a heading: both sentences become gaps.
    def drop(text: str) -> str:
        start = text.index("  c:a44 a wg:Claim")
        text = text[:start] + text[text.index("\n", start) + 1 :]
        text = text.replace("c:a44 { wgs:cinemark-2024 wg:imagesCourtesyOf wgd:apple, wgd:lionsgate . }", "")
        start = text.index("  n:18 a wg:NoFactSpan")
        return text[:start] + text[text.index("\n", start) + 1 :]

    report = source_coverage(_edited(data_copy, ontology_dir, drop), sources_dir, ARTICLE)
    assert [u.text for u in report.gaps] == ["Who Made Ballerina?", "All images courtesy of Apple and Lionsgate."]
    assert report.percent == pytest.approx(100 * 60 / 62)


def test_a_mark_must_cover_the_whole_sentence(data_copy: Path, ontology_dir: Path, sources_dir: Path) -> None:
    # n:19 marks "(This is not unheard of!)" (3998-4023); cut short by one character, it marks nothing.
    short = _edited(
        data_copy, ontology_dir, _replacing("spanStart 3998 ; wg:spanEnd 4023", "spanStart 3998 ; wg:spanEnd 4022")
    )
    report = source_coverage(short, sources_dir, "cinemark-2024")
    assert [u.text for u in report.gaps] == ["(This is not unheard of!)"]


def test_a_no_fact_mark_needs_a_reason(data_copy: Path, ontology_dir: Path) -> None:
    article = data_copy / "cinemark-2024.trig"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "wg:noFactReason wg:WriterAside ; wg:spanStart 3998", "wg:spanStart 3998"
        )
    )
    with pytest.raises(wickgraph.ValidationError, match="gives one reason"):
        wickgraph.check(data_dir=data_copy, ontology_dir=ontology_dir)


def test_the_fact_sheet_is_counted_in_lines(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    report = source_coverage(kg.store, sources_dir, "Franchise fact sheet: later public sources")
    assert report.unit_name == "lines"
    lines = (sources_dir / "franchise-factsheet.md").read_text(encoding="utf-8").splitlines()
    assert len(report.units) == sum(1 for line in lines if line.strip())
    line_40 = next(u for u in report.units if u.line == 40)
    assert "factsheet-ballerina/17" in [short_claim(c) for c in line_40.claims]
    assert 0 < report.percent < 100  # the sheet's prose and headings are not claims, and none is marked


def test_an_unknown_source_is_named(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    with pytest.raises(
        SourceTextError, match=r"no held source text is called 'imdb'; the held texts are: cinemark-2024, "
    ):
        source_coverage(kg.store, sources_dir, "imdb")


def test_segment_uses_sentences_not_lines_or_full_stops() -> None:
    text = 'Len Wiseman (UNDERWORLD) directs. He said "It\'s a real character." Dr. Smith agreed.\n\nWho Made It?\n'
    spans = segment(text)
    assert [text[s:e] for s, e in spans] == [
        "Len Wiseman (UNDERWORLD) directs.",
        'He said "It\'s a real character."',
        "Dr. Smith agreed.",
        "Who Made It?",
    ]


def test_cli_coverage(built_store: Path, sources_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["coverage", "cinemark-2024", "--store", str(built_store), "--sources", str(sources_dir)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "Ballerina: Here's What We Know About the John Wick Spin-Off (cinemark-ballerina-what-we-know.txt): 62 sentences"
    )
    assert lines[-1] == (
        "62 of 62 sentences covered or marked (100.0 %): 42 carry claims, 20 marked as stating no fact, 0 gaps"
    )
    assert "  cinemark-2024/a42, cinemark-2024/a21" not in result.output  # claims are listed in order
    assert "  cinemark-2024/a21, cinemark-2024/a42" in result.output


def test_cli_coverage_fail_under(built_store: Path, sources_dir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "coverage",
            "factsheet",
            "--gaps",
            "--fail-under",
            "90",
            "--store",
            str(built_store),
            "--sources",
            str(sources_dir),
        ],
    )
    assert result.exit_code == 1
    assert "GAP" in result.output and "covered or marked, under 90 % (first gap: line at " in result.output


def test_a_mark_outside_the_text_is_an_error(data_copy: Path, ontology_dir: Path, sources_dir: Path) -> None:
    outside = _edited(
        data_copy, ontology_dir, _replacing("spanStart 4814 ; wg:spanEnd 4861", "spanStart 4814 ; wg:spanEnd 9000")
    )
    with pytest.raises(wickgraph.CitationError, match=r"nofact/cinemark-2024/21: no-fact span 4814-9000 is outside"):
        source_coverage(outside, sources_dir, "cinemark-2024")
