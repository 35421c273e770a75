"""Every claim cites a span of a held text that says what the claim says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import Store as OxStore

import wickgraph
from wickgraph.building.parse import stage
from wickgraph.building.rules import apply_rules
from wickgraph.citations import check_citations, date_spellings
from wickgraph.errors import SourceTextError

ARTICLE = "cinemark-ballerina-what-we-know.txt"


def _staged(data: Path, ontology: Path) -> OxStore:
    staged = stage(ontology, data)
    apply_rules(staged.store, ontology)
    return staged.store


def test_every_claim_is_supported_by_its_span(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    citations = check_citations(kg.store, sources_dir)
    inferred = len(kg.select("SELECT ?c WHERE { GRAPH ?s { ?c wg:certainty wg:Inferred ; wg:derivedFrom ?premise } }"))
    claims = kg.counts()["claims"]
    # Every claim a source makes has a span in a held text; the editors' inferences rest on other claims instead.
    assert inferred >= 1 and len(citations) == claims - len(
        set(kg.select("SELECT DISTINCT ?c WHERE { GRAPH ?s { ?c wg:certainty wg:Inferred } }").column("c"))
    )
    problems = [p for c in citations for p in c.problems]
    assert problems == []


def test_article_spans_quote_the_article(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    text = (sources_dir / ARTICLE).read_text(encoding="utf-8")
    article = [c for c in check_citations(kg.store, sources_dir) if c.source.endswith("/cinemark-2024")]
    assert len(article) == 45
    for c in article:
        assert c.start is not None and c.end is not None
        assert c.quote == text[c.start : c.end]
    by_claim = {c.claim.rsplit("/", 1)[-1]: c for c in article}
    assert "Ana de Armas stars as Rooney" in (by_claim["a23"].quote or "")
    assert "Summer 2024" in (by_claim["a07"].quote or "")
    assert "reportedly" in (by_claim["a08"].quote or "")
    assert by_claim["a08"].certainty == "Reported"


def test_a_claim_its_span_does_not_support_is_caught(data_copy: Path, ontology_dir: Path, sources_dir: Path) -> None:
    article = data_copy / "cinemark-2024.trig"
    text = article.read_text()
    # Claim a35 ("Len Wiseman ... directs") now says Emerald Fennell directs: the span does not name her.
    article.write_text(
        text.replace("wgd:ballerina wg:director wgd:len-wiseman .", "wgd:ballerina wg:director wgd:emerald-fennell .")
    )
    problems = [p for c in check_citations(_staged(data_copy, ontology_dir), sources_dir) for p in c.problems]
    assert any("a35" in p and "does not name Emerald Fennell" in p for p in problems), problems


def test_a_hedged_claim_needs_a_hedge_word(data_copy: Path, ontology_dir: Path, sources_dir: Path) -> None:
    article = data_copy / "cinemark-2024.trig"
    article.write_text(
        article.read_text().replace(
            "c:a36 a wg:Claim ; wg:certainty wg:Stated", "c:a36 a wg:Claim ; wg:certainty wg:Reported"
        )
    )
    problems = [p for c in check_citations(_staged(data_copy, ontology_dir), sources_dir) for p in c.problems]
    assert any("a36" in p and "no hedge word" in p for p in problems), problems


def test_a_span_outside_the_text_is_caught(data_copy: Path, ontology_dir: Path, sources_dir: Path) -> None:
    article = data_copy / "cinemark-2024.trig"
    text = article.read_text()
    start = text.index("c:a40 a wg:Claim")
    end = text.index("\n", start)
    article.write_text(
        text[:start] + "c:a40 a wg:Claim ; wg:certainty wg:Stated ; wg:spanStart 9000 ; wg:spanEnd 9010 ." + text[end:]
    )
    problems = [p for c in check_citations(_staged(data_copy, ontology_dir), sources_dir) for p in c.problems]
    assert any("a40" in p and "outside the text" in p for p in problems), problems


def test_a_different_text_is_refused_by_its_sha256(
    tmp_path: Path, kg: wickgraph.KnowledgeGraph, sources_dir: Path
) -> None:
    copy = tmp_path / "sources"
    shutil.copytree(sources_dir, copy)
    (copy / ARTICLE).write_text(
        (sources_dir / ARTICLE).read_text(encoding="utf-8").replace("Rooney", "Roony"), encoding="utf-8"
    )
    with pytest.raises(
        SourceTextError, match=r"SHA-256 is [0-9a-f]{64}, but the data cite the text with SHA-256 0b9e78f7"
    ):
        check_citations(kg.store, copy)


def test_a_missing_text_is_named(tmp_path: Path, kg: wickgraph.KnowledgeGraph) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceTextError, match=f"{ARTICLE}: not in"):
        check_citations(kg.store, tmp_path / "empty")


@pytest.mark.parametrize(
    ("iso", "spelling"),
    [
        ("2025-06-06", "June 6, 2025"),
        ("2023-03-17", "17 March 2023"),
        ("2025-06-06", "6 de junio de 2025"),
        ("2019-05-09", "9 maggio 2019"),
    ],
)
def test_date_spellings(iso: str, spelling: str) -> None:
    from datetime import date

    assert spelling in date_spellings(date.fromisoformat(iso))
