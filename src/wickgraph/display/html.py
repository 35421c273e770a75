"""HTML for Jupyter: how results and entity cards look as the last line of a cell (:mod:`wickgraph.notebook.html`
keeps these names).

Everything here is self-contained: inline CSS only, no script, no reference to any URL, every value escaped.
Graph views are the interactive page of ``wickgraph viz``, shown inline in an ``<iframe srcdoc>`` (no file, no
server, no network) by :class:`wickgraph.viz.HtmlView` and :func:`wickgraph.viz.notebook_html`.

>>> from pyoxigraph import Literal
>>> from wickgraph import SelectResult
>>> html = select_html(SelectResult(["name"], [{"name": Literal("Eve <Macarro>")}, {"name": None}]))
>>> "Eve &lt;Macarro&gt;" in html, "2 rows" in html
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..errors import WickgraphError
from ..namespaces import XSD, compact

if TYPE_CHECKING:  # pragma: no cover
    from ..entity import EntityCard, Fact
    from ..graph import KnowledgeGraph
    from ..results import GraphResult, SelectResult
    from ..terms import Term

__all__ = ["MAX_ROWS", "entity_card_html", "graph_result_html", "select_html", "term_html"]

MAX_ROWS = 100
"""Rows shown by a result's HTML; the DataFrame has them all."""

_CSS = """<style>
.wg-out{font-size:13px;line-height:1.4}
.wg-out table{border-collapse:collapse;margin:2px 0}
.wg-out th,.wg-out td{border-bottom:1px solid rgba(128,128,128,.3);padding:3px 8px;text-align:left;vertical-align:top;max-width:36em}
.wg-out th{font-weight:600;white-space:nowrap}
.wg-out td.wg-num{text-align:right;font-variant-numeric:tabular-nums}
.wg-out .wg-id{opacity:.6;font-family:monospace;font-size:11px;margin-left:.4em}
.wg-out .wg-none{opacity:.4}
.wg-out .wg-foot{opacity:.7;margin:2px 0}
.wg-out .wg-old{text-decoration:line-through;opacity:.6}
.wg-out .wg-tag{display:inline-block;border:1px solid rgba(128,128,128,.5);border-radius:3px;padding:0 4px;font-size:11px;margin-left:.3em}
.wg-out .wg-warn{border-color:#c0392b;color:#c0392b}
.wg-out .wg-src{display:block;font-size:12px;opacity:.85}
.wg-out h3,.wg-out h4{margin:.4em 0 .2em 0}
</style>"""

_NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "decimal", "double", "float", "nonNegativeInteger")}

Labeller = Callable[[Iterable[str]], Mapping[str, str]]


def _labeller(graph: KnowledgeGraph | None) -> Labeller:
    """Label lookup through the graph that answered; none when it is unknown or cannot answer."""

    def lookup(iris: Iterable[str]) -> Mapping[str, str]:
        if graph is None:
            return {}
        try:
            return graph.labels(iris)
        except WickgraphError:  # a server that went away: show IRIs rather than fail to display
            return {}

    return lookup


def _iris(terms: Iterable[Term | None]) -> set[str]:
    return {t.value for t in terms if isinstance(t, NamedNode)}


def term_html(term: Term | None, labels: Mapping[str, str]) -> str:
    """One value: an IRI as its label with the compact IRI beside it (full IRI on hover); a literal as its text
    (datatype or language on hover); nothing for an unbound value.

    >>> from pyoxigraph import NamedNode
    >>> term_html(NamedNode("https://w3id.org/wickgraph/id/ballerina"), {"https://w3id.org/wickgraph/id/ballerina": "Ballerina"})
    '<span title="https://w3id.org/wickgraph/id/ballerina">Ballerina</span><span class="wg-id">wgd:ballerina</span>'
    """
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        short = escape(compact(term.value))
        label = labels.get(term.value)
        if label is None:
            return f'<span class="wg-id" title="{escape(term.value)}">{short}</span>'
        return f'<span title="{escape(term.value)}">{escape(label)}</span><span class="wg-id">{short}</span>'
    if isinstance(term, BlankNode):
        return f'<span class="wg-id">_:{escape(term.value)}</span>'
    if isinstance(term, Triple):
        parts = " ".join(term_html(t, labels) for t in (term.subject, term.predicate, term.object))
        return f"&lt;&lt; {parts} &gt;&gt;"
    hint = f"@{term.language}" if term.language else compact(term.datatype.value)
    return f'<span title="{escape(hint)}">{escape(term.value)}</span>'


def _cell(term: Term | None, labels: Mapping[str, str]) -> str:
    if term is None:
        return '<td class="wg-none"></td>'
    numeric = isinstance(term, Literal) and term.datatype.value in _NUMERIC
    css = ' class="wg-num"' if numeric else ""
    return f"<td{css}>{term_html(term, labels)}</td>"


def _table(header: Sequence[str], rows: Sequence[Sequence[Term | None]], total: int, lookup: Labeller) -> str:
    shown = rows[:MAX_ROWS]
    labels = lookup({iri for row in shown for iri in _iris(row)})
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(t, labels) for t in row) + "</tr>" for row in shown)
    noun = "row" if total == 1 else "rows"
    foot = (
        f"{total} {noun}" if total <= MAX_ROWS else f"first {MAX_ROWS} of {total} {noun} (.to_dataframe() has them all)"
    )
    return f'<div class="wg-out">{_CSS}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p class="wg-foot">{foot}</p></div>'


def select_html(result: SelectResult) -> str:
    """A SELECT result as an HTML table: labels for IRIs, at most :data:`MAX_ROWS` rows."""
    rows = result.rows
    return _table(
        [f"?{v}" for v in result.variables],
        [[row.get(v) for v in result.variables] for row in rows[:MAX_ROWS]],
        len(rows),
        _labeller(result.graph),
    )


def graph_result_html(result: GraphResult) -> str:
    """A CONSTRUCT or DESCRIBE result as a table of triples, at most :data:`MAX_ROWS` of them."""
    rows = [[t.subject, t.predicate, t.object] for t in result.triples[:MAX_ROWS]]
    return _table(["subject", "predicate", "object"], rows, len(result.triples), _labeller(result.graph))


def _fact_sources(facts: Sequence[Fact]) -> str:
    lines = []
    for f in facts:
        old = f'<span class="wg-tag">{escape(f.status)}</span>' if f.status != "current" else ""
        old += '<span class="wg-tag">inferred</span>' if f.inferred else ""
        certainty = "" if f.certainty == "stated" else f'<span class="wg-tag">{escape(f.certainty)}</span>'
        lines.append(
            f'<span class="wg-src">{escape(f.source_title)}, {escape(f.date)}{certainty}{old}'
            f'<span class="wg-id">{escape(f.span)}</span></span>'
        )
    return "".join(lines)


def _facts_table(groups: Mapping[str, Sequence[Fact]], value: Callable[[Fact], str], disagree: set[str]) -> str:
    rows = []
    for title, facts in groups.items():
        by_value: dict[str, list[Fact]] = {}
        for f in facts:
            by_value.setdefault(value(f), []).append(f)
        flag = '<span class="wg-tag wg-warn">sources disagree</span>' if title in disagree else ""
        first = True
        for shown, claims in by_value.items():
            current = any(f.current for f in claims)
            head = f'<td rowspan="{len(by_value)}">{escape(title)}{flag}</td>' if first else ""
            first = False
            text = escape(shown) if current else f'<span class="wg-old">{escape(shown)}</span>'
            rows.append(f"<tr>{head}<td>{text}</td><td>{_fact_sources(claims)}</td></tr>")
    return (
        "<table><thead><tr><th></th><th>value</th><th>according to</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def entity_card_html(card: EntityCard) -> str:
    """An entity card: its facts grouped by property, each with its sources (date, certainty, span); superseded
    values struck through; properties the sources disagree on flagged."""
    meta = [f"type: {escape(', '.join(card.types))}"]
    if card.aliases:
        meta.append(f"also called: {escape(', '.join(card.aliases))}")
    if card.as_of:
        meta.append(f"as known on {escape(card.as_of)}")
    parts = [
        f'<h3>{escape(card.label)}<span class="wg-id">{escape(compact(card.iri))}</span></h3>',
        f'<p class="wg-foot">{" · ".join(meta)}</p>',
        _facts_table(card.by_property(), lambda f: f.value_label, set(card.conflicts())),
    ]
    if card.incoming:
        incoming: dict[str, list[Fact]] = {}
        for f in card.incoming:
            incoming.setdefault(f.property_label, []).append(f)
        parts += ["<h4>pointed at by</h4>", _facts_table(incoming, lambda f: f.subject, set())]
    for node, facts in card.qualified.items():
        grouped: dict[str, list[Fact]] = {}
        for f in facts:
            grouped.setdefault(f.property_label, []).append(f)
        parts += [f"<h4>{escape(node)}</h4>", _facts_table(grouped, lambda f: f.value_label, set())]
    return f'<div class="wg-out">{_CSS}{"".join(parts)}</div>'
