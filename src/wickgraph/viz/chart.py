"""A bar chart of one numeric column of a SELECT result: the query page's Chart tab, from Python.

One self-contained page of positioned boxes and CSS (no script, no library), under a policy that forbids every
fetch; in a notebook it shows itself like the graph view and the timeline:

>>> from pyoxigraph import Literal, NamedNode
>>> from wickgraph.results import SelectResult
>>> n = lambda v: Literal(v, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
>>> result = SelectResult(["who", "films"], [{"who": Literal("<Ann>"), "films": n("3")}, {"who": Literal("Bo"), "films": n("1")}])
>>> chart = bar_chart(result)
>>> [(bar.label, bar.value) for bar in chart_bars(result)]
[('<Ann>', 3.0), ('Bo', 1.0)]
>>> "&lt;Ann&gt;" in chart.html and "<Ann>" not in chart.html
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from ..results import SelectResult
    from . import HtmlView

__all__ = ["Bar", "bar_chart", "chart_bars"]

_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger")
}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_CSS = (
    "body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.1rem}"
    ".row{display:flex;align-items:center;margin:2px 0}.label{width:16rem;text-align:right;padding-right:.6rem;"
    "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.bar{background:#5b8def;height:1.1rem}"
    ".value{padding-left:.4rem;font-variant-numeric:tabular-nums}"
)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: the row's label (its first other column, as shown in a table) and its value."""

    label: str
    value: float


def chart_bars(result: SelectResult, value: str | None = None, label: str | None = None) -> list[Bar]:
    """The bars of ``result``: ``value`` is the numeric column (default: the first whose bound values are all
    numbers), ``label`` the column naming each bar (default: the first other column). A
    :class:`~wickgraph.errors.UsageError` when there is no numeric column or a named column is unknown."""
    from pyoxigraph import Literal

    from ..terms import display

    chosen, named = _columns(result, value, label)
    bars = []
    for number, row in enumerate(result.rows, start=1):
        term = row[chosen]
        if isinstance(term, Literal):
            bars.append(Bar(display(row[named]) if named else str(number), float(term.value)))
    return bars


def _columns(result: SelectResult, value: str | None, label: str | None) -> tuple[str, str | None]:
    """The value column and the label column :func:`chart_bars` uses."""
    from pyoxigraph import Literal

    rows = result.rows
    columns = list(result.variables)
    for name in (value, label):
        if name is not None and name not in columns:
            raise UsageError(f"no column {name!r}; the columns are {', '.join(columns)}")

    def numeric(column: str) -> bool:
        bound = [row[column] for row in rows if row[column] is not None]
        return bool(bound) and all(isinstance(t, Literal) and t.datatype.value in _NUMERIC for t in bound)

    chosen = value or next((c for c in columns if numeric(c)), None)
    if chosen is None or not numeric(chosen):
        raise UsageError(f"no numeric column to chart among {', '.join(columns) or 'no columns'}")
    return chosen, label or next((c for c in columns if c != chosen), None)


def bar_chart(
    result: SelectResult, value: str | None = None, label: str | None = None, *, title: str | None = None
) -> HtmlView:
    """A bar chart of one numeric column of ``result`` (see :func:`chart_bars`), as a view that shows itself in a
    notebook cell and saves to a file (:class:`wickgraph.viz.HtmlView`)."""
    from . import HtmlView as View

    bars = chart_bars(result, value, label)
    column, _ = _columns(result, value, label)
    top = max((abs(b.value) for b in bars), default=0.0) or 1.0
    e = html.escape
    heading = title or f"wickgraph: {column}"
    rows = "\n".join(
        f'<div class="row" title="{e(b.label)}: {b.value:g}"><span class="label">{e(b.label)}</span>'
        f'<span class="bar" style="width:{40 * abs(b.value) / top:.2f}rem"></span>'
        f'<span class="value">{b.value:g}</span></div>'
        for b in bars
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(_CSP)}">'
        f"<title>{e(heading)}</title><style>{_CSS}</style></head><body>\n<h1>{e(heading)}</h1>\n{rows}\n"
        "</body></html>\n"
    )
    return View(page, height=min(720, 90 + 24 * len(bars)), nodes=len(bars))
