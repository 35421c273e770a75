"""The two dated news articles: their claims verified against the held copies, and the release timeline as known
on each date. The expected values are read from the texts (quoted in the comments), not from the graph."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

import wickgraph
from _results import as_rows
from wickgraph.citations import check_citations

GONE_TRENDING = "gonetrending-2022-04-29-de-armas-to-star.txt"
DIGITAL_FIX = "thedigitalfix-2023-04-04-release-date.txt"
NOT_CURRENT = (False, "false")


def test_the_sources_are_described_and_their_texts_pinned(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    rows = kg.select(
        """SELECT ?s ?date ?url ?file ?sha ?tier WHERE { GRAPH ?s { ?s a wg:Source ; schema:datePublished ?date ;
           schema:url ?url ; wg:localFile ?file ; wg:sha256 ?sha ; wg:tier ?tier ; schema:name ?title ;
           schema:publisher ?publisher } } ORDER BY ?date"""
    ).to_python()
    held = {r["file"]: r for r in rows}
    assert str(held[GONE_TRENDING]["date"]) == "2022-04-29" and str(held[DIGITAL_FIX]["date"]) == "2023-04-04"
    assert held[GONE_TRENDING]["url"] == (
        "https://www.gonetrending.com/2022/04/29/ana-de-armas-ballerina-john-wick-spinoff-movie/"
    )
    for file in (GONE_TRENDING, DIGITAL_FIX):
        assert held[file]["sha"] == hashlib.sha256((sources_dir / file).read_bytes()).hexdigest()
        assert held[file]["tier"] == "N"


def test_their_citations_verify(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    citations = [
        c for c in check_citations(kg.store, sources_dir) if "gonetrending" in c.claim or "digitalfix" in c.claim
    ]
    assert len(citations) == 20
    assert [p for c in citations for p in c.problems] == []
    texts = {f: (sources_dir / f).read_text(encoding="utf-8") for f in (GONE_TRENDING, DIGITAL_FIX)}
    by_claim = {c.claim.rsplit("/", 1)[-1]: c for c in citations}
    for c in citations:
        text = texts[GONE_TRENDING if "gonetrending" in c.claim else DIGITAL_FIX]
        assert c.start is not None and c.end is not None and c.quote == text[c.start : c.end]
    assert "does not have a release date yet" in (by_claim["g07"].quote or "")
    assert "June 7, 2024" in (by_claim["d01"].quote or "")
    assert by_claim["g03"].certainty == "Expected"  # "Len Wiseman will direct"


def test_the_articles_are_not_copied_into_the_repository(sources_dir: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    data = "\n".join(p.read_text(encoding="utf-8") for p in (repo / "data").rglob("*.trig"))
    for file in (GONE_TRENDING, DIGITAL_FIX):
        text = (sources_dir / file).read_text(encoding="utf-8")
        sentences = [s.strip() for s in text.replace("\n", " ").split(". ") if len(s.strip()) > 60]
        assert sentences and not any(s[:60] in data for s in sentences), file


def _history(kg: wickgraph.KnowledgeGraph, as_of: str | None) -> list[dict[str, Any]]:
    return list(as_rows(kg.run("release-history", film="Ballerina", as_of=as_of)).to_python())


def test_release_history_as_known_on_2022_05_01(kg: wickgraph.KnowledgeGraph) -> None:
    # Gone Trending, 2022-04-29: "Ballerina does not have a release date yet". No other source had spoken.
    rows = _history(kg, "2022-05-01")
    assert [(r["status"], r["date"], r["claimDate"].isoformat()) for r in rows] == [("no date yet", None, "2022-04-29")]


def test_release_history_as_known_on_2023_06_01(kg: wickgraph.KnowledgeGraph) -> None:
    # The Digital Fix, 2023-04-04: "has had its release date confirmed as June 7, 2024". Nothing of 2025 yet.
    rows = _history(kg, "2023-06-01")
    dated = [r for r in rows if r["date"] is not None]
    assert [(str(r["date"]), r["status"], r["current"]) for r in dated] == [("2024-06-07", "planned", True)]
    assert {r["status"] for r in rows} == {"no date yet", "planned"}
    assert all(r["current"] in NOT_CURRENT for r in rows if r["status"] == "no date yet")
    assert not any("2025" in str(r["date"]) or r["dateText"] for r in rows)


def test_release_history_as_known_on_2024_01_03(kg: wickgraph.KnowledgeGraph) -> None:
    # Cinemark, 2024-01-03: "Lionsgate has set a June 6, 2025 release date"; "It was originally planned for
    # Summer 2024, but the studio pushed it back a year".
    rows = _history(kg, "2024-01-03")
    current = {(r["status"], str(r["date"]), r["dateText"]) for r in rows if r["current"] is True}
    assert ("postponed", "None", "Summer 2024") in current
    assert ("planned", "2025-06-06", None) in current
    assert not any(r["status"] == "released" for r in rows)
    june_7 = [r for r in rows if str(r["date"]) == "2024-06-07"]
    assert june_7 and all(r["current"] in NOT_CURRENT for r in june_7)  # the date was given up


def test_release_history_today(kg: wickgraph.KnowledgeGraph) -> None:
    # The fact sheet (Wikipedia): "Released: 2025-06-06".
    rows = _history(kg, None)
    released = [r for r in rows if r["status"] == "released" and r["kind"] == "theatrical release"]
    assert [(str(r["date"]), r["current"]) for r in released] == [("2025-06-06", True)]
    assert all(
        r["current"] in NOT_CURRENT for r in rows if r["status"] in ("no date yet",) or str(r["date"]) == "2024-06-07"
    )


@pytest.mark.parametrize("as_of", ["2022-05-01", "2023-06-01"])
def test_lead_of_before_the_character_had_a_name(kg: wickgraph.KnowledgeGraph, as_of: str) -> None:
    # Gone Trending: de Armas "has officially agreed to star" as "a young female assassin"; The Digital Fix:
    # "Ana de Armas stars as an assassin". Neither names the character, so lead-of (which lists names) is empty.
    assert list(as_rows(kg.run("lead-of", film="Ballerina", as_of=as_of)).to_python()) == []
    leads = kg.select(
        "SELECT DISTINCT ?who WHERE { ?p wg:work wgd:ballerina ; wg:creditType wg:LeadRole ; wg:actor ?a . ?a rdfs:label ?who }",
        as_of=as_of,
    ).to_python()
    assert [r["who"] for r in leads] == ["Ana de Armas"]


def test_lead_of_as_known_on_2024_01_03_and_today(kg: wickgraph.KnowledgeGraph) -> None:
    # Cinemark: "Ana de Armas stars as Rooney"; Wikipedia: "Ana de Armas as a ballerina and assassin Eve Macarro".
    then = as_rows(kg.run("lead-of", film="Ballerina", as_of="2024-01-03")).to_python()
    assert {(r["actorLabel"], r["name"], r["current"]) for r in then} == {("Ana de Armas", "Rooney", True)}
    now = as_rows(kg.run("lead-of", film="Ballerina")).to_python()
    assert {r["name"] for r in now if r["current"] is True} == {"Eve Macarro"}
    assert {r["name"] for r in now if r["current"] in NOT_CURRENT} == {"Rooney"}


def test_the_announcement_is_not_visible_before_its_date(kg: wickgraph.KnowledgeGraph) -> None:
    rows = kg.select(
        "SELECT ?c WHERE { GRAPH ?c { wgd:ballerina-release-summer-2024 wg:releaseStatus wg:Unscheduled } }",
        as_of="2022-04-28",
    )
    assert len(rows) == 0
    assert (
        len(
            kg.select(
                "SELECT ?c WHERE { GRAPH ?c { wgd:ballerina-release-summer-2024 wg:releaseStatus wg:Unscheduled } }",
                as_of="2022-04-29",
            )
        )
        == 1
    )


def test_the_readme_sources_section(built_store: Path, kg: wickgraph.KnowledgeGraph) -> None:
    import re
    import shlex

    from click.testing import CliRunner

    from _readme import section, wickgraph_examples
    from wickgraph.cli import cli

    text = section("### The sources")
    counts = {
        m.group(1): (int(m.group(2)), int(m.group(3) or 0))
        for m in re.finditer(r"`data/([\w-]+)\.trig` .*?; (\d+) claims(?:, (\d+) no-fact marks?)?", text)
    }
    assert set(counts) == {"cinemark-2024", "gonetrending-2022", "thedigitalfix-2023"}
    for source, (claims, marks) in counts.items():
        rows = kg.select(
            f"SELECT (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?m) AS ?k) WHERE {{ GRAPH wgs:{source} {{"
            " { ?c a wg:Claim } UNION { ?m a wg:NoFactSpan } } }"
        ).to_python()
        assert (rows[0]["n"], rows[0]["k"]) == (claims, marks), source
    examples = wickgraph_examples(text)
    assert examples
    for command, shown in examples:
        result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--store", str(built_store)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == shown


@pytest.mark.parametrize("source", ["gonetrending-2022", "thedigitalfix-2023"])
def test_the_dated_articles_are_covered_to_the_last_sentence(
    kg: wickgraph.KnowledgeGraph, sources_dir: Path, source: str
) -> None:
    report = wickgraph.source_coverage(kg.store, sources_dir, source)
    assert report.gaps == [] and report.percent == 100.0
