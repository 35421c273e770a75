"""The rule-based extractor: trigger words and the types of the names around them, sentence by sentence.

Each rule looks for its trigger words in a sentence (or a clause of it, cut at semicolons), then fills its slots
with the nearest mentions of the right type: a person for ``directs``, a work for its object. A work the
sentence does not name is the work the article is about (``--about``, else the film the text names most), at a
lower score. Names in parentheses are a filmography aside ("Len Wiseman (UNDERWORLD) directs") and fill no slot.
It reads English news prose about films; it is a first pass for a person to review, not an oracle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from ..citation_words import ENGLISH_MONTHS as _MONTHS
from ..namespaces import WG, WGD
from .model import IRI, Candidate, Context, Lit, Mention, NewEntity, Sentence, Triple
from .registry import WORK_TYPES, plain, slug
from .slots import SentenceSlots

__all__ = ["RuleExtractor"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DAY_DATE = re.compile(
    r"\b(?:(?P<m1>" + "|".join(_MONTHS) + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>" + "|".join(_MONTHS) + r")\s+(?P<y2>\d{4}))\b"
)
_SEASON = re.compile(r"\b(?P<season>Spring|Summer|Fall|Autumn|Winter)\s+(?P<year>\d{4})\b")
_SEASON_BOUNDS = {
    "spring": ("03-01", "05-31"),
    "summer": ("06-01", "08-31"),
    "fall": ("09-01", "11-30"),
    "autumn": ("09-01", "11-30"),
    "winter": ("12-01", "02-28"),
}

_T_CAST = re.compile(
    r"\b(?:stars?|starring|starred|plays?|played|playing|reprises?|reprising|returning|returns?|shows up|cast"
    r"|filmed scenes|appears?|appearing)\b"
)
_ROLE = re.compile(r"\b(?:as|plays?|played|playing|role)\b")
_CREW_BEFORE = re.compile(r"\b(?:writer|screenwriter|director|producer)\s+$")
_T_REPRISE = re.compile(r"\b(?:reprises?|reprising|returning|returns?)\b")
_T_DIRECT = re.compile(r"\b(?:direct(?:s|ed|ing)?|director)\b")
_T_WRITE = re.compile(r"\b(?:writer|wrote|screenwriter|penned|script (?:from|by))\b")
_T_REWRITE = re.compile(r"\b(?:rewr(?:ite|ites|ote|iting|itten)|additional work)\b")
_T_PRODUCE = re.compile(r"\b(?:produc(?:e|es|ed|ing|er|ers))\b")
_T_DISTRIBUTE = re.compile(
    r"\b(?:distribut\w*|released by|releases? (?:it|the film|the movie)|released (?:it|the film|the movie)"
    r"|has set an?\b[^.]*\brelease)\b"
)
_T_RELEASE = re.compile(
    r"\b(?:release[sd]?|opens?|opening|comes? out|premieres?|hits|in theat(?:er|re)s|arrives?|planned for|out on)\b"
)
_T_BETWEEN = re.compile(r"\b(?:set|takes? place|fits|happens?)\s+between\b")
_T_AFTER = re.compile(r"\b(?:set|takes? place|happens?)\s+after\b|\bsequel (?:to|of)\b")
_T_BEFORE = re.compile(r"\b(?:set|takes? place|happens?)\s+before\b|\bprequel (?:to|of)\b")
_T_LEADS = re.compile(r"\b(?:head of|leads?|leader of|in charge of|runs)\b")
_T_MEMBER = re.compile(r"\b(?:members? of|joins?|joined)\b")
_T_DIED = re.compile(r"\b(?:died|death|the late)\b")
# A work's name used as a modifier ("the John Wick spinoff movie", "the John Wick cast") fills no work slot.


class RuleExtractor:
    """Trigger words plus typed slots (see the module docstring)."""

    name = "rules"

    def extract(
        self, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], context: Context
    ) -> list[Candidate]:
        flat = plain(text)
        out: list[Candidate] = []
        for sentence in sentences:
            inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
            out.extend(_Sentence(flat, sentence, inside, context).candidates())
        return out


class _Sentence(SentenceSlots):
    """The relation rules, each filling its slots from the sentence (see the module docstring)."""

    # ---- the rules -----------------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        for lo, hi in self.clauses():
            self.performance(lo, hi)
        self.crew(_T_DIRECT, "directs", "director", lambda w, p: [(IRI(w), IRI(WG + "director"), IRI(p))])
        self.crew(_T_WRITE, "writes", "writer", lambda w, p: [(IRI(w), IRI(WG + "screenwriter"), IRI(p))])
        self.produces()
        self.rewrites()
        self.distributes()
        self.release()
        self.story_order()
        self.leads()
        self.member_of()
        self.died()
        return self.out

    def performance(self, lo: int, hi: int) -> None:
        triggers = self.triggers(_T_CAST, lo, hi)
        if not triggers:
            return
        people = self.of_type({"Person"}, lo, hi)
        if not people:
            return
        reprise = bool(_T_REPRISE.search(self.flat[lo:hi].lower()))
        if reprise:
            # "returning to her Chapter 3 role": the work named is the earlier one; the new one is "in WORK".
            work, work_score, work_m = self.work_in(lo, hi)
        else:
            work, work_score, work_m = self.work(triggers[0][0], triggers[0][1], lo, hi)
        if work is None:
            return
        triples: list[Triple] = []
        used: list[Mention] = []
        for i, (person_m, person) in enumerate(people):
            if _CREW_BEFORE.search(self.flat[max(lo, person_m.start - 16) : person_m.start].lower()):
                continue  # "writer Shay Hatten has said": crew, not cast
            nxt = people[i + 1][0].start if i + 1 < len(people) else hi
            character = None
            for m, iri in self.of_type({"Character"}, person_m.end, nxt):
                # A role is introduced: "stars as Rooney", "plays Winston", "her role as the head of ...".
                if m is not work_m and _ROLE.search(self.flat[person_m.end : m.start].lower()):
                    character = (m, iri)
                    break
            node = IRI(WGD + f"perf-{_local(work)}-{_local(person)}")
            triples += [
                (node, _RDF_TYPE, IRI(WG + "Performance")),
                (node, IRI(WG + "actor"), IRI(person)),
                (node, IRI(WG + "work"), IRI(work)),
            ]
            used.append(person_m)
            if character:
                triples.append((node, IRI(WG + "character"), IRI(character[1])))
                used.append(character[0])
            if reprise:
                triples.append((node, IRI(WG + "reprise"), Lit("true", _XSD + "boolean")))
        if work_m:
            used.append(work_m)
        words = self.flat[triggers[0][0] : triggers[0][1]]
        self.add("performance", triples, 0.8 * work_score, used, f"cast word '{words}'")

    def crew(
        self, pattern: re.Pattern[str], relation: str, role: str, make: Callable[[str, str], list[Triple]]
    ) -> None:
        for t0, t1 in self.triggers(pattern, self.s.start, self.s.end):
            person = self.person_for(t0, t1, {"Person"})
            if person is None:
                continue
            work, work_score, work_m = self.work(t0, t1, self.s.start, self.s.end)
            if work is None:
                continue
            people = self.coordinated(person, {"Person"})
            used = [m for m, _ in people] + ([work_m] if work_m else [])
            triples = [t for _, iri in people for t in make(work, iri)]
            self.add(relation, triples, 0.85 * work_score, used, f"{role} word '{self.flat[t0:t1]}'")
            return

    def produces(self) -> None:
        for t0, t1 in self.triggers(_T_PRODUCE, self.s.start, self.s.end):
            who = self.person_for(t0, t1, {"Person", "Company"})
            if who is None:
                continue
            work, work_score, work_m = self.work(t0, t1, self.s.start, self.s.end)
            if work is None:
                continue
            kind = self.ctx.registry.type_of(who[1]) or who[0].type_guess
            prop = "producer" if kind == "Person" else "productionCompany"
            used = [who[0]] + ([work_m] if work_m else [])
            self.add(
                "produces",
                [(IRI(work), IRI(WG + prop), IRI(who[1]))],
                0.8 * work_score,
                used,
                f"producer word '{self.flat[t0:t1]}'",
            )
            return

    def rewrites(self) -> None:
        for t0, t1 in self.triggers(_T_REWRITE, self.s.start, self.s.end):
            before = self.of_type({"Person"}, self.s.start, t0)
            if not before:
                continue
            person_m, person = before[-1]
            work, work_score, _ = self.work(t0, t1, self.s.start, self.s.end)
            if work is None:
                continue
            script, new = self.script_of(work)
            self.add(
                "rewrites",
                [(IRI(person), IRI(WG + "rewrote"), IRI(script))],
                0.8 * work_score,
                [person_m],
                f"rewrite word '{self.flat[t0:t1]}'",
                new,
            )
            return

    def script_of(self, work: str) -> tuple[str, list[NewEntity]]:
        label = self.ctx.registry.label(work)
        for entity in self.ctx.registry.entities.values():
            if entity.type == "Script" and entity.label.casefold().startswith(label.casefold()):
                return entity.iri, []
        iri = WGD + f"{_local(work)}-script"
        return iri, [NewEntity(iri, "Script", f"{label} script")]

    def distributes(self) -> None:
        for t0, t1 in self.triggers(_T_DISTRIBUTE, self.s.start, self.s.end):
            company = self.person_for(t0, t1, {"Company"})
            if company is None:
                continue
            work, work_score, work_m = self.work(t0, t1, self.s.start, self.s.end)
            if work is None:
                continue
            used = [company[0]] + ([work_m] if work_m else [])
            self.add(
                "distributes",
                [(IRI(work), IRI(WG + "distributor"), IRI(company[1]))],
                0.75 * work_score,
                used,
                f"distribution words '{self.flat[t0:t1]}'",
            )
            return

    def release(self) -> None:
        text = self.flat[self.s.start : self.s.end]
        triggers = self.triggers(_T_RELEASE, self.s.start, self.s.end)
        if not triggers:
            return
        t0, t1 = triggers[0]
        for match in _DAY_DATE.finditer(text):
            month = match.group("m1") or match.group("m2")
            day_s = match.group("d1") or match.group("d2")
            year = match.group("y1") or match.group("y2")
            try:
                day = date(int(year), _MONTHS.index(month) + 1, int(day_s))
            except ValueError:
                continue
            at = self.s.start + match.start()
            found = self.adjacent_work(t0, t1, self.s.start, self.s.end) or self.nearest(
                set(WORK_TYPES), at, self.s.start, self.s.end
            )
            work, score, used = (found[1], 0.8, [found[0]]) if found else (self.about(), 0.5, [])
            if work is None:
                continue
            triple = (IRI(work), IRI(WG + "releaseDate"), Lit(day.isoformat(), _XSD + "date"))
            self.add("release", [triple], score, used, f"release words '{self.flat[t0:t1]}' and a date")
        for match in _SEASON.finditer(text):
            season, year = match.group("season"), match.group("year")
            found = self.adjacent_work(t0, t1, self.s.start, self.s.end)
            work, score, used = (found[1], 0.7, [found[0]]) if found else (self.about(), 0.5, [])
            if work is None:
                continue
            first, last = _SEASON_BOUNDS[season.lower()]
            last_year = int(year) + 1 if season.lower() == "winter" else int(year)
            event = IRI(WGD + f"{_local(work)}-release-{season.lower()}-{year}")
            new = []
            if event.value not in self.ctx.registry.entities:
                new.append(
                    NewEntity(event.value, "ReleaseEvent", f"{self.ctx.registry.label(work)}: release, {season} {year}")
                )
            triples: list[Triple] = [
                (IRI(work), IRI(WG + "release"), event),
                (event, IRI(WG + "releaseOf"), IRI(work)),
                (event, IRI(WG + "dateText"), Lit(match.group(0))),
                (event, IRI(WG + "datePrecision"), IRI(WG + "SeasonPrecision")),
                (event, IRI(WG + "earliestDate"), Lit(f"{year}-{first}", _XSD + "date")),
                (event, IRI(WG + "latestDate"), Lit(f"{last_year}-{last}", _XSD + "date")),
            ]
            self.add("release", triples, score, used, f"release words '{self.flat[t0:t1]}' and a season", new)

    def story_order(self) -> None:
        works = set(WORK_TYPES)
        for pattern, props in ((_T_BETWEEN, "between"), (_T_AFTER, "after"), (_T_BEFORE, "before")):
            for t0, t1 in self.triggers(pattern, self.s.start, self.s.end):
                before = self.of_type(works, self.s.start, t0)
                after = self.of_type(works, t1, self.s.end)
                subject, used = (before[-1][1], [before[-1][0]]) if before else (self.about(), [])
                if subject is None:
                    continue
                triples: list[Triple] = []
                if props == "between" and len(after) >= 2:
                    first, second = after[0], after[1]
                    triples = [
                        (IRI(subject), IRI(WG + "setBetween"), IRI(first[1])),
                        (IRI(subject), IRI(WG + "setBetween"), IRI(second[1])),
                        (IRI(subject), IRI(WG + "setAfter"), IRI(first[1])),
                        (IRI(subject), IRI(WG + "setBefore"), IRI(second[1])),
                    ]
                    used += [first[0], second[0]]
                elif props in ("after", "before") and after:
                    prop = "setAfter" if props == "after" else "setBefore"
                    triples = [(IRI(subject), IRI(WG + prop), IRI(after[0][1]))]
                    used.append(after[0][0])
                self.add(
                    "story-order", triples, 0.85 if before else 0.6, used, f"story-order words '{self.flat[t0:t1]}'"
                )
                return

    def leads(self) -> None:
        for t0, t1 in self.triggers(_T_LEADS, self.s.start, self.s.end, in_names=True):
            org = self.nearest({"FictionalOrganisation"}, t1, t1, self.s.end, nested=True)
            if org is None:
                continue
            # The leader: a character whose name holds the trigger ("head of the Ruska Roma"), else the nearest.
            leader = None
            for m, iri in self.of_type({"Character"}, self.s.start, self.s.end):
                if m.start <= t0 < m.end:
                    leader = (m, iri)
            leader = leader or self.nearest({"Character"}, t0, self.s.start, t0)
            if leader is None or leader[1] == org[1]:
                continue
            self.add(
                "leads",
                [(IRI(leader[1]), IRI(WG + "leads"), IRI(org[1]))],
                0.8,
                [leader[0], org[0]],
                f"leader words '{self.flat[t0:t1]}'",
            )
            return

    def member_of(self) -> None:
        for t0, t1 in self.triggers(_T_MEMBER, self.s.start, self.s.end):
            org = self.nearest({"FictionalOrganisation"}, t1, t1, self.s.end, nested=True)
            who = self.nearest({"Character", "Person"}, t0, self.s.start, t0)
            if org is None or who is None:
                continue
            self.add(
                "member-of",
                [(IRI(who[1]), IRI(WG + "memberOf"), IRI(org[1]))],
                0.7,
                [who[0], org[0]],
                f"membership words '{self.flat[t0:t1]}'",
            )
            return

    def died(self) -> None:
        for t0, t1 in self.triggers(_T_DIED, self.s.start, self.s.end):
            after = self.of_type({"Person"}, t1, self.s.end)
            person = (
                after[0] if self.flat[t0:t1].lower() == "the late" and after else self.person_for(t0, t1, {"Person"})
            )
            if person is None:
                continue
            triple = (IRI(person[1]), IRI(WG + "deceased"), Lit("true", _XSD + "boolean"))
            self.add("died", [triple], 0.75, [person[0]], f"death word '{self.flat[t0:t1]}'")
            return


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1] if iri.startswith(WGD) else slug(iri)
