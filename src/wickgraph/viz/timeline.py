"""The timeline view: release events, premieres and plans on a time axis with their sources, and the franchise in
story order as a second lane.

One self-contained HTML page, drawn by this module (positioned boxes and CSS, no script, no library), offline,
under the same policy as the graph view. The sources of a mark show when the pointer is over it (or it has the
keyboard focus):

>>> from wickgraph.viz.timeline import Mark, Source, render_timeline
>>> import datetime as dt
>>> mark = Mark("Film: release", "wgd:film-release", "Film", "release", "released", dt.date(2025, 6, 6), None, None,
...             "", [Source("<A> Review", "2025-06-07", "stated", True)])
>>> page = render_timeline([mark], [], title="demo")
>>> page.startswith("<!DOCTYPE html>") and "&lt;A&gt; Review" in page and "<A>" not in page
True
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from . import HtmlView

__all__ = ["Mark", "Source", "StoryWork", "render_timeline", "timeline_data", "timeline_html"]

_EVENTS = """SELECT ?work ?workLabel ?event ?eventLabel ?date ?earliest ?latest ?dateText ?kind ?status ?sourceTitle
       ?claimDate ?certainty ?current WHERE {
  GRAPH ?claim { ?event wg:releaseOf ?work ; wg:releaseStatus ?statusTerm }
  %(filter)s
  ?work rdfs:label ?workLabel . ?event rdfs:label ?eventLabel . ?statusTerm rdfs:label ?status .
  GRAPH ?source { ?claim wg:claimDate ?claimDate ; wg:certainty ?certaintyTerm . ?source schema:name ?sourceTitle }
  ?certaintyTerm rdfs:label ?certainty .
  OPTIONAL { GRAPH ?claim { ?event wg:date ?date } }
  OPTIONAL { GRAPH ?claim { ?event wg:earliestDate ?earliest } }
  OPTIONAL { GRAPH ?claim { ?event wg:latestDate ?latest } }
  OPTIONAL { GRAPH ?claim { ?event wg:dateText ?dateText } }
  OPTIONAL { GRAPH ?claim { ?event wg:releaseKind ?kindTerm } ?kindTerm rdfs:label ?kind }
  BIND(xsd:boolean(NOT EXISTS { ?retirement wg:retiredClaim ?claim ; rdf:subject ?event ;
       rdf:predicate wg:releaseStatus ; rdf:object ?statusTerm }) AS ?current)
}
ORDER BY ?date ?earliest ?eventLabel ?claimDate ?sourceTitle"""


@dataclass(frozen=True)
class Source:
    """One claim behind a mark: the source's title, the claim's date, its certainty, whether it is current, and
    the status it gives the event (planned, released …)."""

    title: str
    claim_date: str
    certainty: str
    current: bool
    status: str = ""


@dataclass
class Mark:
    """One release event at one date (a point), or over the period an imprecise date stands for (``earliest`` to
    ``latest``; ``date`` is then ``None``), with the claims that place it there."""

    event: str
    iri: str
    work: str
    kind: str
    status: str
    date: _dt.date | None
    earliest: _dt.date | None
    latest: _dt.date | None
    date_text: str
    sources: list[Source] = field(default_factory=list)

    @property
    def start(self) -> _dt.date | None:
        return self.date or self.earliest


@dataclass(frozen=True)
class StoryWork:
    """A work of the franchise at its place in story order, with its first release date."""

    label: str
    position: int
    released: str


_RANK = {"no date yet": 0, "planned": 1, "postponed": 2, "released": 3}


def _day(text: str | None) -> _dt.date | None:
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def timeline_data(
    kg: KnowledgeGraph, *, film: str | None = None, as_of: str | _dt.date | None = None
) -> tuple[list[Mark], list[StoryWork]]:
    """The marks (release events at their dates, with their sources) of one ``film`` (a label, alias or IRI) or
    of every work, as known ``as_of`` a date; and the franchise in story order."""
    from ..entity import resolve
    from ..terms import optional_value, value

    where = ""
    if film is not None:
        where = f"VALUES ?work {{ <{resolve(kg, film, entity_class='wg:Work')}> }}"
    marks: dict[tuple[str, str, str], Mark] = {}
    for row in kg.select(_EVENTS % {"filter": where}, as_of=as_of):
        date, earliest = optional_value(row, "date"), optional_value(row, "earliest")
        if date is None and earliest is None:
            continue  # a claim that gives no date ("no date yet") places nothing on the axis
        key = (value(row, "event"), date or "", earliest or "")
        mark = marks.get(key)
        if mark is None:
            mark = marks[key] = Mark(
                value(row, "eventLabel"),
                value(row, "event"),
                value(row, "workLabel"),
                optional_value(row, "kind") or "",
                value(row, "status"),
                _day(date),
                _day(earliest),
                _day(optional_value(row, "latest")),
                optional_value(row, "dateText") or "",
            )
        source = Source(
            value(row, "sourceTitle"),
            value(row, "claimDate")[:10],
            value(row, "certainty"),
            optional_value(row, "current") in ("true", "1"),
            value(row, "status"),
        )
        if source not in mark.sources:
            mark.sources.append(source)
        if _RANK.get(source.status, 0) > _RANK.get(mark.status, 0):
            mark.status = source.status  # the furthest a source has seen it go
    ordered = sorted((m for m in marks.values() if m.start is not None), key=lambda m: (m.start, m.event))
    story = [
        StoryWork(
            value(row, "workLabel"), int(value(row, "storyPosition")), (optional_value(row, "released") or "")[:10]
        )
        for row in kg.select(kg.named_query_text("story-order"), as_of=as_of)
    ]
    return ordered, story


# ---- drawing ----------------------------------------------------------------------------------------------------
_WIDTH = 1100
_LEFT = 40
_RIGHT = 40
_ROW = 26
_CHAR = 6.6  # an estimate of the label font's average character width, in px

_CSS = """
body { margin: 0; font: 13px/1.35 system-ui, sans-serif; color: #1d1d1f; background: #fbfbfc; }
h1 { font-size: 15px; margin: 10px 16px 2px; }
h2 { font-size: 13px; margin: 14px 16px 4px; color: #667; text-transform: uppercase; letter-spacing: .04em; }
.lane { position: relative; margin: 0 16px; max-width: 1100px; background: #fff; border: 1px solid #d8d8de; border-radius: 4px; }
.axis { position: absolute; left: 0; right: 0; height: 1px; background: #99a; }
.tick { position: absolute; width: 1px; background: #e4e4ea; top: 0; bottom: 0; }
.tick span { position: absolute; bottom: 2px; left: 3px; color: #667; font-size: 11px; }
.mark { position: absolute; white-space: nowrap; outline: none; }
.mark .dot { position: absolute; left: -5px; top: -5px; width: 10px; height: 10px; border-radius: 50%;
  background: #8a1c1c; }
.mark.planned .dot, .mark.postponed .dot { background: #fff; border: 2px solid #8a1c1c; }
.mark .span { position: absolute; top: -3px; height: 6px; background: #e8b04a; border-radius: 3px; }
.mark .stem { position: absolute; left: 0; width: 1px; background: #c9c9d2; }
.mark .label { position: absolute; left: 4px; padding: 0 3px; background: rgba(255,255,255,.85); }
.mark .tip { display: none; position: absolute; left: 8px; top: 10px; z-index: 3; background: #fff;
  border: 1px solid #8a1c1c; border-radius: 4px; padding: 6px 8px; box-shadow: 0 2px 8px rgba(0,0,0,.2);
  white-space: normal; width: 26rem; }
.mark.right .tip { left: auto; right: 8px; }
.mark.right .label { left: auto; right: 4px; }
.mark:hover, .mark:focus { z-index: 2; }
.mark:hover .tip, .mark:focus .tip { display: block; }
.tip b { display: block; }
.tip ul { margin: 4px 0 0; padding-left: 16px; }
.tip .retired { color: #778; text-decoration: line-through; }
.story { display: flex; gap: 6px; flex-wrap: wrap; padding: 10px; }
.work { border: 1px solid #d8d8de; border-radius: 4px; padding: 4px 8px; background: #fbfbfc; }
.work .pos { color: #8a1c1c; font-weight: 600; margin-right: 4px; }
.work .when { display: block; color: #667; font-size: 11px; }
.work.focus { border-color: #8a1c1c; }
.empty { padding: 10px; color: #667; }
"""


def _x(day: _dt.date, first: _dt.date, last: _dt.date) -> float:
    span = max((last - first).days, 1)
    return _LEFT + (day - first).days / span * (_WIDTH - _LEFT - _RIGHT)


def _rows(marks: list[Mark], xs: list[float]) -> list[int]:
    """The label row of each mark: the first row where its label overlaps no other (a label runs right of its
    mark, or left of it in the right part of the axis)."""
    taken: list[list[tuple[float, float]]] = []
    rows = []
    for mark, x in zip(marks, xs, strict=True):
        width = (len(mark.event) + 2) * _CHAR + 12
        span = (x - width, x) if x > _WIDTH * 0.6 else (x, x + width)
        row = next(
            (i for i, spans in enumerate(taken) if all(span[1] < a or b < span[0] for a, b in spans)), len(taken)
        )
        if row == len(taken):
            taken.append([])
        taken[row].append(span)
        rows.append(row)
    return rows


def _tip(mark: Mark) -> str:
    e = html.escape
    when = mark.date.isoformat() if mark.date else f"{mark.earliest} to {mark.latest}"
    if mark.date_text:
        when += f" (“{mark.date_text}”)"
    items = "".join(
        f'<li class="{"" if s.current else "retired"}">{e(s.title)}, {e(s.claim_date)}, {e(s.certainty)}'
        f"{', ' + e(s.status) if s.status else ''}{'' if s.current else ' [superseded]'}</li>"
        for s in mark.sources
    )
    kind = f"{e(mark.kind)}, " if mark.kind else ""
    return f'<div class="tip"><b>{e(mark.event)}</b>{e(when)} · {kind}{e(mark.status)}<ul>{items}</ul></div>'


def render_timeline(marks: list[Mark], story: list[StoryWork], *, title: str, focus: str | None = None) -> str:
    """The page: a lane of marks on a time axis (years ticked), and the story-order lane."""
    e = html.escape
    parts = [f"<h1>{e(title)}</h1>", "<h2>releases, premieres and plans, by date</h2>"]
    starts = [m.start for m in marks if m.start is not None]
    if not starts:
        parts.append('<div class="lane"><p class="empty">no dated release events</p></div>')
    else:
        ends = [m.latest or m.start for m in marks if m.start is not None]
        first = min(starts) - _dt.timedelta(days=30)
        last = max(d for d in ends if d is not None) + _dt.timedelta(days=30)
        xs = [_x(m.start, first, last) for m in marks if m.start is not None]
        rows = _rows(marks, xs)
        axis = 24
        height = axis + (max(rows) + 1) * _ROW + 30
        lane = [f'<div class="lane" style="height: {height}px">']
        for year in range(first.year + 1, last.year + 1):
            x = _x(_dt.date(year, 1, 1), first, last)
            lane.append(f'<div class="tick" style="left: {x:.1f}px"><span>{year}</span></div>')
        lane.append(f'<div class="axis" style="top: {axis}px"></div>')
        for mark, x, row in zip(marks, xs, rows, strict=True):
            assert mark.start is not None
            drop = (row + 1) * _ROW
            classes = f"mark {e(mark.status.replace(' ', '-'))}" + (" approx" if mark.date is None else "")
            classes += " right" if x > _WIDTH * 0.6 else ""  # its label and sources open to the left
            inner = ""
            if mark.date is None and mark.latest is not None:
                inner += f'<div class="span" style="width: {_x(mark.latest, first, last) - x:.1f}px"></div>'
            else:
                inner += '<div class="dot"></div>'
            inner += f'<div class="stem" style="top: 5px; height: {drop - 12}px"></div>'
            inner += f'<div class="label" style="top: {drop - 9}px">{e(mark.event)}</div>'
            lane.append(
                f'<div class="{classes}" tabindex="0" style="left: {x:.1f}px; top: {axis}px" '
                f'data-date="{e(mark.start.isoformat())}" data-iri="{e(mark.iri)}">{inner}{_tip(mark)}</div>'
            )
        lane.append("</div>")
        parts += lane
    parts.append("<h2>story order (in-universe)</h2>")
    if story:
        boxes = "".join(
            f'<div class="work{" focus" if focus and w.label == focus else ""}" data-position="{w.position}">'
            f'<span class="pos">{w.position}</span>{e(w.label)}<span class="when">released {e(w.released or "?")}'
            "</span></div>"
            for w in story
        )
        parts.append(f'<div class="lane story">{boxes}</div>')
    else:
        parts.append('<div class="lane"><p class="empty">no story order in this graph</p></div>')
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def timeline_html(
    kg: KnowledgeGraph, *, film: str | None = None, as_of: str | _dt.date | None = None, height: int = 520
) -> HtmlView:
    """The timeline of one ``film`` (or of every work) as known ``as_of`` a date, as a view that shows itself in
    a notebook cell and saves to a file (:class:`wickgraph.viz.HtmlView`)."""
    from . import HtmlView as View

    marks, story = timeline_data(kg, film=film, as_of=as_of)
    focus = marks[0].work if film is not None and marks else None
    title = f"wickgraph timeline: {focus or film}" if film is not None else "wickgraph timeline"
    if as_of:
        title += f", as known on {as_of}"
    return View(render_timeline(marks, story, title=title, focus=focus), height=height, nodes=len(marks))
