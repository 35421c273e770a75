"""The review of a draft as a page: ``/review`` on ``wickgraph serve --allow-updates``.

``GET /review`` lists the drafts of ``wickgraph propose`` in the drafts directory (``$WICKGRAPH_DRAFTS``, else the
project's ``data/``); ``GET /review?draft=KEY`` shows each candidate claim with its sentence, its triples and a
choice (accept, reject, no fact) and its certainty; ``POST /review?draft=KEY`` (a form with the server's update
token) writes the data file in the project's style, as ``wickgraph review`` does. The page never writes on a
read-only server (403), and not without the token (401); a form that is not complete writes nothing (400), nor
one over ``--max-request-bytes`` (413, the limit every handler reads a body under).
Held texts come from ``$WICKGRAPH_SOURCES`` (else ``../shared/sources``) or the path the draft recorded.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .app import WickgraphApp
    from .responses import _Response

__all__ = ["drafts_dir", "review_page"]

_CHOICES = {"a": "accept", "r": "reject", "n": "no fact"}
_CERTAINTIES = ("Stated", "Reported", "Expected")


def drafts_dir() -> Path:
    """Where the drafts are: ``$WICKGRAPH_DRAFTS``, else the project's data directory."""
    from ..locations import default_data_dir

    return Path(os.environ["WICKGRAPH_DRAFTS"]) if os.environ.get("WICKGRAPH_DRAFTS") else default_data_dir()


def review_page(app: WickgraphApp, environ: Mapping[str, Any]) -> _Response:
    """The handler of ``/review`` (see the module docstring)."""
    from .responses import _only, _params, _Response

    _only(environ, "GET", "HEAD", "POST")
    policy = app.config.policy
    if not policy.allow_updates:
        return _page(_Response, 403, "Review is off", "<p>This server is read-only: start it with --allow-updates.</p>")
    params = _params(environ)
    folder = drafts_dir()
    key = params.get("draft")
    if not key:
        return _page(_Response, 200, "Drafts to review", _listing(folder))
    path = _draft_path(folder, key)
    if path is None:
        return _page(_Response, 404, "No such draft", f"<p>No draft {escape(key)!s} in {escape(str(folder))}.</p>")
    from ..errors import WickgraphError
    from ..locations import default_sources_dir
    from ..propose import read_draft
    from ..propose.registry import load_registry
    from ..propose.review import _resolve_text

    try:
        draft = read_draft(path)
        text = _resolve_text(draft, default_sources_dir())
        registry = load_registry(folder)
    except WickgraphError as exc:
        return _page(_Response, 409, "Cannot review", f"<p>{escape(str(exc))}</p>")
    if str(environ.get("REQUEST_METHOD", "GET")).upper() != "POST":
        return _page(_Response, 200, f"Review {key}", _form(key, draft, text, registry))
    from ..errors import ProtocolError

    try:
        # The one body limit of every handler (``--max-request-bytes``): the HTTP layer's own cap sits above it
        # (server/__init__.py), so a form over it gets this page's message, not waitress's bare 413.
        form = _form_fields(environ, app.config.limits.max_request_bytes)
    except ProtocolError as exc:
        return _page(_Response, exc.status, "Nothing written", f"<p>{escape(exc.message)}</p>")
    token = form.get("token", "")
    expected = policy.update_token or ""
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        return _page(_Response, 401, "Wrong token", "<p>Writing needs the server's update token.</p>")
    try:
        result = _apply(path, draft, text, registry, form)
    except ValueError as exc:
        return _page(_Response, 400, "Nothing written", f"<p>{escape(str(exc))}</p>")
    return _page(_Response, 200, "Written", f"<p>{escape(result)}</p>")


def _draft_path(folder: Path, key: str) -> Path | None:
    if not key.replace("-", "").isalnum() or not key.isascii():
        return None
    path = folder / f"{key}.trig"
    return path if path.is_file() else None


def _listing(folder: Path) -> str:
    found = []
    for path in sorted(folder.glob("*.trig")):
        head = path.read_text(encoding="utf-8", errors="replace")[:200]
        if head.startswith("# DRAFT by `wickgraph propose`"):
            found.append(f'<li><a href="/review?draft={quote(path.stem)}">{escape(path.stem)}</a></li>')
    return "<ul>" + "".join(found) + "</ul>" if found else "<p>No drafts to review.</p>"


def _form(key: str, draft: Any, text: str, registry: Any) -> str:
    from ..propose.model import IRI

    rows = []
    for i, cand in enumerate(draft.candidates.values(), 1):
        facts = []
        for s, p, o in cand.triples:
            if p.value.endswith("#type"):
                continue
            shown = registry.label(o.value) if isinstance(o, IRI) else o.value
            facts.append(f"{escape(registry.label(s.value))} —{escape(p.value.rsplit('#', 1)[-1])}→ {escape(shown)}")
        choices = "".join(
            f'<label><input type="radio" name="c{i}" value="{v}"{" checked" if v == "r" else ""}> {label}</label> '
            for v, label in _CHOICES.items()
        )
        certainty = "".join(f"<option{' selected' if c == cand.certainty else ''}>{c}</option>" for c in _CERTAINTIES)
        cue = f" (cue word “{escape(cand.cue)}”)" if cand.cue else ""
        rows.append(
            f"<fieldset><legend>{i}. {escape(cand.relation)} — score {cand.score}</legend>"
            f"<blockquote>{escape(' '.join(text[cand.start : cand.end].split()))}</blockquote>"
            f"<p>chars {cand.start}-{cand.end}{cue}</p><ul>{''.join(f'<li>{f}</li>' for f in facts)}</ul>"
            f'<p>{choices}</p><p>certainty <select name="cert{i}">{certainty}</select> '
            f'note (when the certainty goes against the cue words) <input name="note{i}"></p></fieldset>'
        )
    return (
        f'<form method="post" action="/review?draft={quote(key)}">{"".join(rows)}'
        '<p>update token <input type="password" name="token"> <button type="submit">Write the data file</button></p>'
        "</form>"
    )


def _form_fields(environ: Mapping[str, Any], max_bytes: int) -> dict[str, str]:
    """The form's fields; a body over ``max_bytes`` (413) or with a bad length (400) is a ``ProtocolError``."""
    from .protocol import read_body

    body = read_body(environ, max_bytes)
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict"))
    except (UnicodeDecodeError, ValueError):
        return {}


def _apply(path: Path, draft: Any, text: str, registry: Any, form: Mapping[str, str]) -> str:
    from ..propose.certainty import certainty_of
    from ..propose.model import Candidate
    from ..propose.review import Decision, render_reviewed

    decisions = []
    for i, cand in enumerate(draft.candidates.values(), 1):
        choice = form.get(f"c{i}")
        if choice not in _CHOICES:
            raise UsageError(f"claim {i}: choose accept, reject or no fact (a, r or n)")
        certainty = form.get(f"cert{i}") or cand.certainty
        if certainty not in _CERTAINTIES:
            raise UsageError(f"claim {i}: certainty must be one of {', '.join(_CERTAINTIES)}")
        note = (form.get(f"note{i}") or "").strip() or None
        found, cue = certainty_of(text[cand.start : cand.end])
        if choice == "a" and certainty != cand.certainty:
            if certainty == "Stated" and found != "Stated" and not note:
                raise UsageError(f"claim {i}: the span has the cue {cue!r}; a stated claim needs a note saying why")
            if certainty != "Stated" and found == "Stated":
                raise UsageError(f"claim {i}: a {certainty} claim needs a cue word in its span; this span has none")
        edited = Candidate(
            cand.relation,
            cand.start,
            cand.end,
            cand.triples,
            cand.score,
            certainty,
            cue,
            cand.new_entities,
            cand.aliases,
            cand.why,
        )
        action = {"a": "accept", "r": "reject", "n": "nofact"}[choice]
        decisions.append(Decision(edited, action, note=note if certainty == "Stated" and found != "Stated" else None))
    body = render_reviewed(draft, decisions, registry, date.today())
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)
    accepted = sum(d.action == "accept" for d in decisions)
    return f"Wrote {path.name}: {accepted} claims accepted, {len(decisions) - accepted} not."


def _page(response: Any, status: int, title: str, body: str) -> _Response:
    html = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    result: _Response = response(
        status, html.encode("utf-8"), "text/html; charset=utf-8", {"Cache-Control": "no-store"}
    )
    return result
