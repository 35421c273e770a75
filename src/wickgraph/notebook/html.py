"""HTML for Jupyter: how results and entity cards look as the last line of a cell.

The HTML is written by :mod:`wickgraph.display.html` (below the results, which show themselves through it); the
notebook layer keeps these names.
"""

from __future__ import annotations

from ..display.html import MAX_ROWS, entity_card_html, graph_result_html, select_html, term_html

__all__ = ["MAX_ROWS", "entity_card_html", "graph_result_html", "select_html", "term_html"]
