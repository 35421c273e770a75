"""The slots of the rule-based extractor (:mod:`wickgraph.propose.rules`): for one sentence, the entities of a
type near a trigger word, the work a clause speaks of, the clauses and the trigger words themselves (not negated,
not inside a name), and the candidate claims the rules add.
"""

from __future__ import annotations

import re

from .model import Candidate, Context, Mention, NewEntity, Sentence, Triple
from .registry import WORK_TYPES

__all__ = ["SentenceSlots"]

_MODIFIED = re.compile(r"^\s*(?:spin-?offs?|franchise|series|cast|characters?|movies|universe|team|world|fans?)\b")
# Triggers whose person comes after them ("director Chad Stahelski", "a script from Shay Hatten").
_PERSON_AFTER = re.compile(r"^(?:writer|screenwriter|script from|script by|director|directed by|produced by)$")
_NEGATED = re.compile(r"\b(?:not|n't|never)\s+(?:\w+\s+)?$")


class SentenceSlots:
    """One sentence of the text and what the rules need of it: its mentions, the entities of a type near a
    trigger, its clauses and trigger words, and the candidates found so far (:meth:`add`)."""

    def __init__(self, flat: str, sentence: Sentence, mentions: list[Mention], ctx: Context) -> None:
        self.flat, self.s, self.ctx = flat, sentence, ctx
        self.all = mentions
        self.top = [m for m in mentions if not m.nested]
        self.lower = flat[sentence.start : sentence.end].lower()
        self.out: list[Candidate] = []

    # ---- slots ---------------------------------------------------------------------------------
    def typed(self, mention: Mention, types: set[str]) -> str | None:
        """The entity the mention stands for, among those of these types (the first, by registry order)."""
        for iri in mention.options():
            kind = self.ctx.registry.type_of(iri) or (mention.type_guess if iri == mention.proposed else None)
            if kind in types:
                return iri
        return None

    def of_type(self, types: set[str], lo: int, hi: int, *, nested: bool = False) -> list[tuple[Mention, str]]:
        pool = self.all if nested else self.top
        found = []
        for m in pool:
            if lo <= m.start and m.end <= hi and not m.in_parentheses:
                if types <= WORK_TYPES and (
                    _MODIFIED.match(self.flat[m.end : m.end + 20].lower())
                    or self.qualified_title(m)
                    or m.surface.islower()  # "the original": an alias in prose, too loose to name a work
                ):
                    continue
                iri = self.typed(m, types)
                if iri:
                    found.append((m, iri))
        return found

    def nearest(
        self, types: set[str], at: int, lo: int, hi: int, *, nested: bool = False
    ) -> tuple[Mention, str] | None:
        found = self.of_type(types, lo, hi, nested=nested)
        if not found:
            return None
        return min(found, key=lambda f: min(abs(f[0].start - at), abs(f[0].end - at)))

    def qualified_title(self, mention: Mention) -> bool:
        """ "John Wick" in "John Wick: Parabellum": the title that follows the colon is the work."""
        if self.flat[mention.end : mention.end + 2] != ": ":
            return False
        return any(m.start == mention.end + 2 for m in self.top)

    def person_for(self, t0: int, t1: int, types: set[str]) -> tuple[Mention, str] | None:
        """The person a trigger speaks of: after it for "director X", before it for "X directs"."""
        before = self.of_type(types, self.s.start, t0)
        after = self.of_type(types, t1, self.s.end)
        if _PERSON_AFTER.match(self.flat[t0:t1].lower()):
            return after[0] if after else (before[-1] if before else None)
        return before[-1] if before else (after[0] if after else None)

    def coordinated(self, first: tuple[Mention, str], types: set[str]) -> list[tuple[Mention, str]]:
        """The mention and those joined to it by "and" or a comma ("Shay Hatten and Michael Finch wrote")."""
        found = self.of_type(types, self.s.start, self.s.end)
        i = next(k for k, f in enumerate(found) if f[0] is first[0])
        group = [found[i]]
        for step in (-1, 1):
            k = i
            while 0 <= k + step < len(found):
                a, b = (found[k + step], found[k]) if step < 0 else (found[k], found[k + step])
                if not re.fullmatch(r"\s*(?:,|,?\s*and)\s*", self.flat[a[0].end : b[0].start]):
                    break
                k += step
                group.append(found[k])
        return sorted(group, key=lambda f: f[0].start)

    def adjacent_work(self, trig_start: int, trig_end: int, lo: int, hi: int) -> tuple[Mention, str] | None:
        """A work named right next to the trigger ("BALLERINA opens", "directing Ballerina", "in BALLERINA")."""
        for m, iri in self.of_type(set(WORK_TYPES), lo, hi):
            gap = self.flat[m.end : trig_start] if m.end <= trig_start else self.flat[trig_end : m.start]
            if len(gap.split()) <= 2 and not re.search(r"[,;:()]", gap):
                return m, iri
        return None

    def about(self) -> str | None:
        return self.ctx.about

    def work(self, trig_start: int, trig_end: int, lo: int, hi: int) -> tuple[str | None, float, Mention | None]:
        found = self.adjacent_work(trig_start, trig_end, lo, hi)
        if found:
            return found[1], 1.0, found[0]
        return self.work_in(lo, hi)

    def work_in(self, lo: int, hi: int) -> tuple[str | None, float, Mention | None]:
        """A work introduced by "in" or "for" in the clause ("stars as Rooney in BALLERINA"), else the article's."""
        for m, iri in self.of_type(set(WORK_TYPES), lo, hi):
            before = self.flat[max(lo, m.start - 16) : m.start].lower()
            if re.search(r"\b(?:in|for)\s+(?:the\s+)?(?:film\s+|movie\s+)?$", before):
                return iri, 0.9, m
        return self.about(), 0.6, None

    # ---- output --------------------------------------------------------------------------------
    def add(
        self,
        relation: str,
        triples: list[Triple],
        score: float,
        used: list[Mention],
        why: str,
        new: list[NewEntity] | None = None,
    ) -> None:
        if not triples:
            return
        quality = min([m.score for m in used] + [1.0])
        if any(m.match == "ambiguous" for m in used):
            quality *= 0.9
        new_entities = list(new or [])
        aliases = []
        for m in used:
            if m.match == "unknown" and m.proposed and m.type_guess:
                kind = self.ctx.registry.type_of(m.proposed) or m.type_guess
                new_entities.append(NewEntity(m.proposed, kind, m.surface))
            if m.match == "fuzzy" and m.entity:
                aliases.append((m.entity, m.surface))
        self.out.append(
            Candidate(
                relation,
                self.s.start,
                self.s.end,
                triples,
                round(score * quality, 2),
                new_entities=new_entities,
                aliases=aliases,
                why=why,
            )
        )

    def clauses(self) -> list[tuple[int, int]]:
        """The sentence cut at semicolons (a list of cast members, each with a role)."""
        spans, cursor = [], self.s.start
        for match in re.finditer(r";", self.flat[self.s.start : self.s.end]):
            spans.append((cursor, self.s.start + match.start()))
            cursor = self.s.start + match.end()
        spans.append((cursor, self.s.end))
        return spans

    def triggers(self, pattern: re.Pattern[str], lo: int, hi: int, *, in_names: bool = False) -> list[tuple[int, int]]:
        """Where the trigger words are: not negated ("is not directing"), and not part of a name ("The
        Director" directs nothing) unless ``in_names``."""
        text = self.flat[lo:hi].lower()
        found = []
        for m in pattern.finditer(text):
            if _NEGATED.search(text[max(0, m.start() - 20) : m.start()]):
                continue
            at = lo + m.start()
            if not in_names and any(x.start <= at < x.end for x in self.all):
                continue
            found.append((lo + m.start(), lo + m.end()))
        return found
