"""How results, entity cards and inline pages look in a notebook: escaped, labelled, self-contained."""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

import wickgraph
from _pages import external_references, srcdoc
from wickgraph.namespaces import WGD
from wickgraph.notebook.html import MAX_ROWS


def test_the_external_reference_check_finds_them() -> None:
    assert external_references('<script src="https://cdn.example/vis.js"></script>')
    assert external_references("<link rel=stylesheet href=//cdn.example/x.css>")
    assert external_references("<style>@import 'x.css';</style>")
    assert not external_references("<script>var a = 'https://w3id.org/wickgraph/id/x';</script>")


def test_select_html_escapes_values_and_shows_labels(kg: wickgraph.KnowledgeGraph) -> None:
    result = kg.select(
        'SELECT ?who ?note ?none WHERE { BIND(wgd:ana-de-armas AS ?who) BIND("<script>alert(1)</script> & co" AS ?note) }'
    )
    page = result._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "Ana de Armas" in page and "wgd:ana-de-armas" in page
    assert '<td class="wg-none"></td>' in page  # ?none is unbound
    assert "1 row" in page
    assert not external_references(page)


def test_long_results_are_cut_with_a_pointer_to_the_dataframe() -> None:
    rows = [{"n": Literal(str(i))} for i in range(MAX_ROWS + 5)]
    page = wickgraph.SelectResult(["n"], rows)._repr_html_()
    assert page.count("<tr>") == MAX_ROWS + 1  # header + shown rows
    assert f"first {MAX_ROWS} of {MAX_ROWS + 5} rows" in page


def test_construct_result_html(kg: wickgraph.KnowledgeGraph) -> None:
    page = kg.construct("CONSTRUCT WHERE { wgd:ballerina wg:director ?d }")._repr_html_()
    assert "Len Wiseman" in page and "Ballerina" in page and "subject" in page


def test_entity_card_html_marks_disagreement_and_superseded_values(kg: wickgraph.KnowledgeGraph) -> None:
    # The 2024 article calls the lead character Rooney; the fact sheet (Wikipedia, 2025) calls her Eve Macarro.
    page = kg.entity("Eve Macarro")._repr_html_()
    assert "sources disagree" in page
    assert '<span class="wg-old">Rooney</span>' in page
    assert "Eve Macarro" in page
    assert "Ballerina: Here&#x27;s What We Know About the John Wick Spin-Off, 2024-01-03" in page
    assert "chars " in page and "cinemark-ballerina-what-we-know.txt" in page
    assert not external_references(page)


def test_entity_card_as_of_shows_only_what_was_known(kg: wickgraph.KnowledgeGraph) -> None:
    page = kg.entity("Eve Macarro", as_of="2024-01-03")._repr_html_()
    assert "as known on 2024-01-03" in page
    assert "Wikipedia" not in page and "sources disagree" not in page


def test_a_graph_view_shows_inline_with_nothing_fetched(kg: wickgraph.KnowledgeGraph) -> None:
    from wickgraph.viz import render_html, view

    shown = view(kg, focus="Len Wiseman", depth=1)
    page = srcdoc(shown._repr_html_())
    assert page == shown.html and page.startswith("<!DOCTYPE html>")
    assert page == render_html(wickgraph.viz.neighbourhood(wickgraph.to_networkx(kg), "Len Wiseman", 1))
    assert not external_references(page)
    # Not even a local file: every script and style is inline.
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b[^>]*\bhref\s*=", page, re.I)
    assert "Chad Stahelski" in page  # the neighbour the article names


def test_term_html_names_the_iri_on_hover() -> None:
    from wickgraph.notebook.html import term_html

    shown = term_html(NamedNode(WGD + "x"), {})
    assert shown == f'<span class="wg-id" title="{WGD}x">wgd:x</span>'
