"""``wickgraph review``: a person decides on each candidate claim of a draft; the result is a data file.

For each candidate, in the order of the text, the reviewer answers

- ``a``: accept it as it is;
- ``e``: edit it, then accept: the certainty (``Stated``, ``Reported``, ``Expected``), the span
  (``START-END``), an entity (``OLD=NEW``, each a label or a ``wgd:`` name); a stated claim whose span has a cue
  word asks for a note saying why the cue does not carry it (``wg:certaintyNote``);
- ``r``: reject it;
- ``n`` (or ``n:REASON``): the sentence states no fact; it becomes a ``wg:NoFactSpan`` (reason ``WriterAside``
  unless another of :data:`wickgraph.spans.REASONS` is given);
- ``q``: reject the rest.

Answers come from a terminal, from standard input (one a line), or from a list (``--answers a,r,e,Expected,,,n``).
Nothing is written unless every candidate got an answer; the file is replaced in one step. The file itself is
written by :mod:`wickgraph.propose.reviewed`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import SourceTextError, UsageError
from ..namespaces import WGD
from .certainty import certainty_of
from .draft import Draft, read_draft, sha256_of
from .model import IRI, Candidate, Triple
from .registry import Registry, load_registry
from .reviewed import _RDF_TYPE, Decision, _is_node_in_claim, render_reviewed

__all__ = ["Decision", "ReviewResult", "render_reviewed", "review"]

_CERTAINTIES = ("Stated", "Reported", "Expected")
_REASONS = ("PageFurniture", "SourceDetails", "Heading", "Signpost", "WriterAside", "AboutTheSources")


@dataclass
class ReviewResult:
    path: Path
    accepted: int = 0
    rejected: int = 0
    no_fact: int = 0
    edited: int = 0
    decisions: list[Decision] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Wrote {self.path}: {self.accepted} claims accepted ({self.edited} edited), {self.rejected} rejected, "
            f"{self.no_fact} sentences marked as stating no fact. Next: `wickgraph build` and "
            "`wickgraph verify-sources`."
        )


def _resolve_text(draft: Draft, sources_dir: Path | None) -> str:
    candidates = []
    if sources_dir is not None:
        candidates.append(sources_dir / draft.source.local_file)
    if draft.text_path:
        candidates.append(Path(draft.text_path))
    for path in candidates:
        if path.is_file():
            if sha256_of(path) != draft.source.sha256:
                raise SourceTextError(
                    f"{path}: SHA-256 differs from the draft's ({draft.source.sha256[:12]}…); the spans would be wrong"
                )
            return path.read_text(encoding="utf-8")
    raise SourceTextError(
        f"the held text {draft.source.local_file} is not in {sources_dir or '(no --sources)'} nor at {draft.text_path}"
    )


def review(
    draft_path: Path,
    *,
    ask: Callable[[str], str] | None = None,
    answers: list[str] | None = None,
    show: Callable[[str], None] = print,
    out: Path | None = None,
    sources_dir: Path | None = None,
    data_dir: Path | None = None,
    today: date | None = None,
    gaps: bool = False,
) -> ReviewResult:
    """Review the draft at ``draft_path`` and write the data file (default: over the draft).

    With ``gaps``, also ask about each sentence no candidate rests on: ``n[:REASON]`` marks it as stating no
    fact, ``s`` skips it (``wickgraph coverage`` will list it as a gap).
    """
    from ..locations import default_data_dir

    draft = read_draft(draft_path)
    text = _resolve_text(draft, sources_dir)
    registry = load_registry(data_dir or default_data_dir())
    prompt = _answerer(ask, answers)
    decisions: list[Decision] = []
    items = list(draft.candidates.values())
    stop = False
    for number, cand in enumerate(items, 1):
        if stop:
            decisions.append(Decision(cand, "reject"))
            continue
        show(_describe(number, len(items), cand, text, registry))
        while True:
            answer = prompt("[a]ccept [e]dit [r]eject [n]o fact [q]uit? ").strip()
            choice, _, rest = answer.partition(":")
            choice = choice.lower()
            if choice in ("a", "accept"):
                decisions.append(Decision(cand, "accept"))
            elif choice in ("r", "reject"):
                decisions.append(Decision(cand, "reject"))
            elif choice in ("n", "nofact", "no fact"):
                reason = rest.strip() or "WriterAside"
                if reason not in _REASONS:
                    show(f"  reason must be one of {', '.join(_REASONS)}")
                    continue
                decisions.append(Decision(cand, "nofact", reason=reason))
            elif choice in ("q", "quit"):
                decisions.append(Decision(cand, "reject"))
                stop = True
            elif choice in ("e", "edit"):
                decision = _edit(cand, text, registry, prompt, show)
                if decision is None:
                    continue
                decisions.append(decision)
            else:
                show(f"  unknown answer {answer!r}")
                if answers is not None:
                    raise UsageError(f"review: answer {answer!r} for claim {number}: use a, e, r, n[:REASON] or q")
                continue
            break
    if gaps:
        _ask_gaps(draft, text, decisions, prompt, show, scripted=answers is not None)
    if isinstance(prompt, _Scripted):
        prompt.finish()
    target = out or draft_path
    body = render_reviewed(draft, decisions, registry, today or date.today())
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, target)
    result = ReviewResult(target, decisions=decisions)
    for d in decisions:
        if d.action == "accept":
            result.accepted += 1
            result.edited += d.edited
        elif d.action == "reject":
            result.rejected += 1
    result.no_fact = len({(d.candidate.start, d.candidate.end) for d in decisions if d.action == "nofact"})
    return result


def _ask_gaps(
    draft: Draft,
    text: str,
    decisions: list[Decision],
    prompt: Callable[[str], str],
    show: Callable[[str], None],
    *,
    scripted: bool,
) -> None:
    taken = [(d.candidate.start, d.candidate.end) for d in decisions]
    for sentence in draft.sentences:
        if any(start < sentence.end and sentence.start < end for start, end in taken):
            continue
        show(
            f"\n[no candidate] span {sentence.start}-{sentence.end}: {' '.join(text[sentence.start : sentence.end].split())}"
        )
        while True:
            answer = prompt("[n]o fact[:REASON] [s]kip? ").strip()
            choice, _, rest = answer.partition(":")
            if choice.lower() in ("s", "skip", ""):
                break
            reason = rest.strip() or "WriterAside"
            if choice.lower() in ("n", "nofact") and reason in _REASONS:
                none = Candidate("no fact", sentence.start, sentence.end, [], 0.0)
                decisions.append(Decision(none, "nofact", reason=reason))
                break
            show(f"  answer n[:REASON] (REASON one of {', '.join(_REASONS)}) or s")
            if scripted:
                raise UsageError(f"review: answer {answer!r} for the sentence at {sentence.start}: use n[:REASON] or s")


class _Scripted:
    """Answers from a list; running out, or leaving some unused, is an error (nothing is written)."""

    def __init__(self, answers: list[str]) -> None:
        self.answers, self.used = answers, 0

    def __call__(self, question: str) -> str:
        if self.used >= len(self.answers):
            raise UsageError(f"review: the answers ran out at {question.strip()!r}; nothing was written")
        self.used += 1
        return self.answers[self.used - 1]

    def finish(self) -> None:
        left = len(self.answers) - self.used
        if left:
            raise UsageError(
                f"review: {left} answers left over after the last question (first: {self.answers[self.used]!r}); "
                "nothing was written"
            )


def _answerer(ask: Callable[[str], str] | None, answers: list[str] | None) -> Callable[[str], str]:
    if answers is not None:
        return _Scripted(answers)
    if ask is None:
        raise UsageError("review: no answers and no terminal to ask")
    return ask


def _describe(number: int, total: int, cand: Candidate, text: str, registry: Registry) -> str:
    quote = " ".join(text[cand.start : cand.end].split())
    cue = f" (cue word {cand.cue!r})" if cand.cue else ""
    lines = [
        "",
        f"[{number}/{total}] {cand.relation}   score {cand.score}   certainty {cand.certainty}{cue}",
        f"  span {cand.start}-{cand.end}: {quote}",
        f"  why: {cand.why}",
    ]
    for s, p, o in cand.triples:
        if p.value == _RDF_TYPE:
            continue
        shown = registry.label(o.value) if isinstance(o, IRI) else o.value
        lines.append(f"    {registry.label(s.value)} --{p.value.rsplit('#', 1)[-1]}--> {shown}")
    for ne in cand.new_entities:
        lines.append(f"  new entity: {ne.label} ({ne.type}, wgd:{ne.iri.rsplit('/', 1)[-1]})")
    return "\n".join(lines)


def _edit(
    cand: Candidate, text: str, registry: Registry, prompt: Callable[[str], str], show: Callable[[str], None]
) -> Decision | None:
    certainty = prompt(f"  certainty (Stated, Reported, Expected) [{cand.certainty}]: ").strip() or cand.certainty
    if certainty not in _CERTAINTIES:
        show(f"  certainty must be one of {', '.join(_CERTAINTIES)}")
        return None
    span = prompt(f"  span START-END [{cand.start}-{cand.end}]: ").strip()
    start, end = cand.start, cand.end
    if span:
        match = re.fullmatch(r"(\d+)\s*-\s*(\d+)", span)
        if not match or not (0 <= int(match.group(1)) < int(match.group(2)) <= len(text)):
            show(f"  span must be START-END within 0-{len(text)}")
            return None
        start, end = int(match.group(1)), int(match.group(2))
    replace = prompt("  replace an entity OLD=NEW, or drop one: -OLD (labels or wgd: names) []: ").strip()
    triples = list(cand.triples)
    if replace.startswith("-"):
        gone = _entity(replace[1:], registry, cand)
        if gone is None:
            show(f"  cannot resolve {replace[1:]!r}: name an entity of the claim")
            return None
        triples = _drop(triples, gone)
        if not triples:
            show("  nothing would be left of the claim: reject it instead")
            return None
    elif replace:
        old_s, _, new_s = replace.partition("=")
        old, new = _entity(old_s, registry, cand), _entity(new_s, registry, None)
        if old is None or new is None:
            show(f"  cannot resolve {replace!r}: name an entity of the claim, then one of the registry")
            return None
        triples = [tuple(IRI(new) if t == IRI(old) else t for t in triple) for triple in triples]  # type: ignore[misc]
    edited = Candidate(
        cand.relation, start, end, triples, cand.score, certainty, cand.cue, cand.new_entities, cand.aliases, cand.why
    )
    found, cue = certainty_of(text[start:end])
    note = None
    if certainty != found and not (certainty != "Stated" and found != "Stated"):
        if certainty == "Stated":
            note = prompt(f"  the span has the cue {cue!r}: why does it not carry this claim? ").strip()
            if not note:
                show("  a stated claim with a cue word needs that note")
                return None
        else:
            show(f"  a {certainty} claim needs a cue word in its span; this span has none")
            return None
    edited.cue = cue
    return Decision(edited, "accept", note=note, edited=True)


def _drop(triples: list[Triple], gone: str) -> list[Triple]:
    """The triples without ``gone``, and without the qualified nodes that spoke of it (its performance)."""
    nodes = {s.value for s, _, o in triples if o == IRI(gone) and _is_node_in_claim(s.value, triples)}
    return [t for t in triples if IRI(gone) not in t and t[0].value not in nodes]


def _entity(name: str, registry: Registry, cand: Candidate | None) -> str | None:
    name = name.strip()
    if not name:
        return None
    if name.startswith("wgd:"):
        iri_ = WGD + name[4:]
        known = iri_ in registry.entities or (cand is not None and any(IRI(iri_) in t for t in cand.triples))
        return iri_ if known else None
    found = registry.find_by_label(name)
    if cand is not None:
        used = {t.value for triple in cand.triples for t in triple if isinstance(t, IRI)}
        found = [f for f in found if f in used] or [
            ne.iri for ne in cand.new_entities if ne.label.casefold() == name.casefold()
        ]
    return found[0] if len(found) == 1 else None
