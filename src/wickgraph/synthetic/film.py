"""One film: its sources, its story order, its cast and crew, and what happened to them (the claims)."""

from __future__ import annotations

import datetime as _dt
import random
from typing import IO

from ..namespaces import WGD
from .events import write_releases, write_script
from .names import _BOOL, _DECIMAL, _GENRES, _TYPE, _date, _int, _lit, _slug, _spoken, _wg
from .universe import _Character, _Film, _Person, _Texts, _Universe, _Work


class _Generator(_Universe):
    def __init__(self, out: IO[str], texts: _Texts, rng: random.Random) -> None:
        super().__init__(out, texts, rng)
        self.params: dict[str, dict[str, str]] = {}
        self.last_standalone: _Work | None = None

    # ---- one film, all its sources and claims ----
    def film(self, plan: _Film) -> dict[str, object]:
        rng = self.rng
        work = plan.work
        full = plan.force_all
        wl = work.label
        key = _slug(wl)
        slug = key
        facts: dict[str, object] = {}
        db = self.database_page(wl, work.released + _dt.timedelta(days=rng.randrange(30, 1500)))
        announce = None
        if full or rng.random() < 0.4:
            announce = self.source(
                f"announce-{key}",
                f"{wl}: here's what we know so far",
                "N",
                work.released - _dt.timedelta(days=rng.randrange(300, 700)),
                "publication date printed under the title",
            )

        # ---- the franchise and story order ----
        w = work.iri
        if plan.franchise is not None:
            fr_iri, fr_label = plan.franchise
            triples = [(w, _wg("partOf"), fr_iri)]
            sentence = f"{wl} is part of the {fr_label} franchise"
            if plan.ordinal is not None:
                triples.append((w, _wg("seriesOrdinal"), _int(plan.ordinal)))
                sentence += f", entry number {plan.ordinal} of the main series"
            if plan.spin_off:
                triples.append((w, _wg("spinOffOf"), fr_iri))
                sentence += ", a spin-off"
            self.claim(db, sentence + ".", triples)
            if plan.after is not None or plan.before is not None:
                order: list[tuple[str, str, str]] = []
                words = []
                if plan.after is not None:
                    order.append((w, _wg("setAfter"), plan.after.iri))
                    words.append(f"after the events of {plan.after.label}")
                if plan.before is not None:
                    order.append((w, _wg("setBefore"), plan.before.iri))
                    words.append(f"before {plan.before.label}")
                self.claim(db, f"{wl} takes place " + " and ".join(words) + ".", order)
        genre = rng.choice(_GENRES)
        triples = [(w, _wg("genre"), _lit(genre)), (w, _wg("title"), _lit(wl))]
        runtime = ""
        if rng.random() < 0.8:
            minutes = rng.randrange(85, 170)
            triples.append((w, _wg("runtimeMinutes"), _int(minutes)))
            runtime = f", {minutes} minutes long"
        self.claim(db, f"{wl} is a {genre}{runtime}.", triples)

        # ---- cast ----
        cast_ids: set[int] = set()
        performances: list[tuple[_Person, _Character | None, str]] = []  # (actor, character, credit)
        lead_char = plan.lead or self.new_character(codename=full or rng.random() < 0.1)
        recast = plan.lead_recast or lead_char.actor is None
        lead_actor = self.pick_actor(cast_ids) if recast or lead_char.actor is None else lead_char.actor
        cast_ids.add(self.index_of(lead_actor))
        performances.append((lead_actor, lead_char, "LeadRole"))
        for character in plan.recurring:
            if character is lead_char:
                continue
            if (
                character.actor is not None
                and self.index_of(character.actor) not in cast_ids
                and character.actor.died is None
            ):
                actor = character.actor
            else:
                actor = self.pick_actor(cast_ids)
            cast_ids.add(self.index_of(actor))
            credit = "CameoRole" if rng.random() < 0.08 else "SupportingRole"
            performances.append((actor, character, credit))
        extra = min(int(rng.paretovariate(1.6) * 3), 25)
        for _ in range(extra):
            actor = self.pick_actor(cast_ids)
            cast_ids.add(self.index_of(actor))
            if rng.random() < 0.85:
                performances.append((actor, self.new_character(), "SupportingRole"))
            else:
                performances.append((actor, None, "UncreditedRole"))

        perf_claims: list[tuple[str, str, str]] = []
        claim_lines: list[str] = []
        reprise_ids: list[str] = []
        old_name_claim: str | None = None

        def performance(actor: _Person, character: _Character | None, credit: str) -> list[tuple[str, str, str]]:
            perf = f"<{WGD}perf-{slug}-{_slug(actor.label)}>"
            out = [
                (perf, _TYPE, _wg("Performance")),
                (perf, _wg("actor"), actor.iri),
                (perf, _wg("work"), w),
                (perf, _wg("creditType"), _wg(credit)),
            ]
            if character is not None:
                out.append((perf, _wg("character"), character.iri))
                if character.actor is actor and character.works > 0:
                    out.append((perf, _wg("reprise"), f'"true"^^{_BOOL}'))
                    reprise_ids.append(perf)
            return out

        # The lead: announced (expected) first when there is an announcement, then stated by the database.
        lead_triples = performance(lead_actor, lead_char, "LeadRole")
        if announce is not None:
            # The announcement names the actor and the work, not yet the character (nor a reprise).
            expected = [t for t in lead_triples if t[1] not in (_wg("reprise"), _wg("character"))]
            self.claim(
                announce,
                f"{lead_actor.label} is expected to star in {wl}.",
                expected,
                certainty="Expected",
            )
            if lead_char.old_name:
                old_name_claim = self.claim(
                    announce,
                    f"In {wl}, {lead_actor.label} plays a character called {lead_char.old_name}.",
                    [(lead_char.iri, _wg("name"), _lit(lead_char.old_name))],
                )
        credited = ""
        if lead_char.old_name or rng.random() < 0.2:
            lead_triples.append((lead_triples[0][0], _wg("creditedAs"), _lit(lead_char.label)))
            credited = f", credited as {lead_char.label}"
        returning = ", returning to the role" if any(t[1] == _wg("reprise") for t in lead_triples) else ""
        self.claim(
            db, f"{lead_actor.label} plays {lead_char.label}{returning}, the lead of {wl}{credited}.", lead_triples
        )
        self.claim(
            db,
            f"The lead character of {wl} is named {lead_char.label}.",
            [(lead_char.iri, _wg("name"), _lit(lead_char.label))],
            supersedes=[old_name_claim] if old_name_claim else [],
            note="The released film gives the character this name." if old_name_claim else None,
        )
        # The rest of the cast, up to four performances per claim (a cast list line).
        rest = performances[1:]
        for start in range(0, len(rest), 4):
            group = rest[start : start + 4]
            perf_claims = []
            claim_lines = []
            for actor, role_of, credit in group:
                perf_claims += performance(actor, role_of, credit)
                if role_of is None:
                    claim_lines.append(f"{actor.label} (uncredited)")
                else:
                    role = " (cameo)" if credit == "CameoRole" else ""
                    again = " again, returning to the role" if role_of.actor is actor and role_of.works > 0 else ""
                    claim_lines.append(f"{actor.label} plays {role_of.label}{again}{role}")
            self.claim(db, f"Also in the cast of {wl}: " + "; ".join(claim_lines) + ".", perf_claims)
        for actor, played, _credit in performances:
            if played is not None:
                if played.actor is None or (plan.lead_recast and played is lead_char):
                    played.actor = actor
                played.works += 1
            self.careers.append(self.index_of(actor))
            self.credit_count[self.index_of(actor)] += 1
            if actor.born is not None and not actor.described:
                actor.described = True
                self.claim(
                    db,
                    f"{actor.label} was born on {_spoken(actor.born)}.",
                    [(actor.iri, _wg("birthDate"), _date(actor.born))],
                )
        facts["lead_actor"] = lead_actor
        facts["lead_char"] = lead_char
        facts["cast"] = performances

        # ---- a cast member who died before the release ----
        if full or rng.random() < 0.02:
            candidates = [a for a, _c, cr in performances[1:] if a.died is None]
            if candidates:
                late = candidates[0] if full else rng.choice(candidates)
                late.died = work.released - _dt.timedelta(days=rng.randrange(40, 300))
                obituary = self.source(
                    f"obituary-{_slug(late.label)}",
                    f"{late.label} has died",
                    "N",
                    late.died + _dt.timedelta(days=2),
                    "publication date of the obituary",
                )
                self.claim(
                    obituary,
                    f"{late.label} died on {_spoken(late.died)}; {wl} is among the final appearances.",
                    [(late.iri, _wg("deathDate"), _date(late.died)), (late.iri, _wg("finalAppearance"), w)],
                )
                facts["late"] = late

        # ---- crew ----
        crew_ids = set(cast_ids)
        director = facts_director = self.pick_crew(crew_ids)
        crew_ids.add(self.index_of(director))
        if announce is not None:
            self.claim(
                announce,
                f"{director.label} will direct {wl}.",
                [(w, _wg("director"), director.iri)],
                certainty="Expected",  # the future tense (the certainty rule)
            )
        self.claim(db, f"{wl} is directed by {director.label}.", [(w, _wg("director"), director.iri)])
        facts["director"] = facts_director
        writers = [self.pick_crew(crew_ids)]
        crew_ids.add(self.index_of(writers[0]))
        if full or rng.random() < 0.5:
            writers.append(self.pick_crew(crew_ids))
            crew_ids.add(self.index_of(writers[1]))
        self.claim(
            db,
            f"{wl} is written by " + " and ".join(p.label for p in writers) + ".",
            [(w, _wg("screenwriter"), p.iri) for p in writers],
        )
        producers = [self.pick_crew(crew_ids) for _ in range(1 + int(rng.random() < 0.5))]
        producers = list({p.iri: p for p in producers}.values())
        self.claim(
            db,
            f"{wl} is produced by " + " and ".join(p.label for p in producers) + ".",
            [(w, _wg("producer"), p.iri) for p in producers],
        )
        facts["producers"] = producers
        for person in (director, *writers, *producers):
            self.crew.append(self.index_of(person))
            self.credit_count[self.index_of(person)] += 1
        distributor = self.company()
        studio = self.company()
        self.claim(
            db,
            f"{wl} is distributed by {distributor[1]} and produced by {studio[1]}.",
            [(w, _wg("distributor"), distributor[0]), (w, _wg("productionCompany"), studio[0])],
        )
        if full or rng.random() < 0.1:
            other = self.new_company() if full else self.company()
            if other != distributor:
                review = self.source(
                    f"review-{key}",
                    f"Review: {wl}",
                    "N",
                    work.released + _dt.timedelta(days=rng.randrange(1, 20)),
                    "publication date of the review",
                )
                self.claim(
                    review,
                    f"{wl}, a {other[1]} release, reportedly had a budget of about 40 million dollars.",
                    [(w, _wg("distributor"), other[0]), (w, _wg("budgetUSD"), f'"40000000"^^{_DECIMAL}')],
                    certainty="Reported",
                    note="Disagrees with the database page on the distributor; both kept.",
                )
        if full or rng.random() < 0.3:
            known = self.last_standalone
            if known is not None and known.iri != w:
                self.claim(
                    db,
                    f"{director.label} is known for {known.label}.",
                    [(director.iri, _wg("knownFor"), known.iri)],
                )

        write_script(self, plan, db, writers, lead_actor)
        write_releases(self, plan, db, announce, distributor)

        # ---- the fiction: organisations, mentors ----
        if plan.orgs and (full or rng.random() < 0.5):
            org_iri, org_label = plan.orgs[rng.randrange(len(plan.orgs))] if not full else plan.orgs[0]
            leader = next((c for a, c, _cr in performances[1:] if c is not None), None)
            if leader is not None:
                self.claim(
                    db,
                    f"In {wl}, {leader.label} leads the {org_label}, which trained {lead_char.label}.",
                    [
                        (leader.iri, _wg("leads"), org_iri),
                        (lead_char.iri, _wg("trainedBy"), org_iri),
                        (lead_char.iri, _wg("memberOf"), org_iri),
                    ],
                )
                facts["org"] = org_label

        # ---- a collaboration outside the credits ----
        if full or rng.random() < 0.08:
            a, b = director, producers[0]
            if a.iri != b.iri:
                self.collabs += 1
                collab = f"<{WGD}collab-{self.collabs}>"
                self.register(collab, "Collaboration", f"{b.label}, stunt coordinator on films of {a.label}")
                self.claim(
                    db,
                    f"{b.label} worked as stunt coordinator on films of {a.label} before {wl}.",
                    [
                        (collab, _TYPE, _wg("Collaboration")),
                        (collab, _wg("participant"), a.iri),
                        (collab, _wg("participant"), b.iri),
                        (collab, _wg("role"), _lit("stunt coordinator")),
                        (collab, _wg("roleOf"), b.iri),
                        (collab, _wg("context"), _lit(f"films of {a.label}")),
                    ],
                )
        if plan.franchise is None:
            self.last_standalone = work
        self.flush_texts()
        return facts
