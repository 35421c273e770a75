"""The bar chart from Python (``wickgraph.viz.bar_chart``): the numeric column of a real named query, in order,
escaped, offline; a result with nothing to chart is a clear error."""

from __future__ import annotations

import html
import re

import pytest

import wickgraph
from _results import as_rows
from wickgraph.errors import UsageError
from wickgraph.viz import bar_chart
from wickgraph.viz.chart import chart_bars


def test_centrality_bars_follow_the_rows(kg: wickgraph.KnowledgeGraph) -> None:
    result = as_rows(kg.run("centrality"))
    bars = chart_bars(result)
    # The first numeric column (degree), labelled by the first other column (the person), row for row.
    assert [(b.label, b.value) for b in bars] == [
        (str(row["personLabel"].value), float(row["degree"].value))  # type: ignore[union-attr]
        for row in result
        if row["degree"] is not None
    ]
    assert bars[0].label == "Basil Iwanyk" and bars[0].value == 36.0
    chart = bar_chart(result)
    assert chart.nodes == len(bars) and "<h1>wickgraph: degree</h1>" in chart.html
    # The longest bar is 40rem and the others in proportion; nothing is fetched, nothing runs.
    widths = [float(w) for w in re.findall(r"style=\"width:([0-9.]+)rem\"", chart.html)]
    assert widths[0] == 40.0 and widths == sorted(widths, reverse=True)
    assert "<script" not in chart.html and "default-src 'none'" in html.unescape(chart.html)
    works = chart_bars(result, value="works")
    assert works[0].value == 5.0 and len(works) == len(bars)


def test_nothing_to_chart_says_why(kg: wickgraph.KnowledgeGraph) -> None:
    labels = kg.select("SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 3")
    with pytest.raises(UsageError, match=r"no numeric column to chart among s, label"):
        bar_chart(labels)
    with pytest.raises(UsageError, match=r"no column 'nope'; the columns are s, label"):
        chart_bars(labels, label="nope")
