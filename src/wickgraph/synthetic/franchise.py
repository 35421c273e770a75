"""The universe's plan: standalone films and franchises (main line, spin-off, series), and the anchor
franchise whose entities every named query's parameters name."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable, Sequence

from ..namespaces import WGD
from .film import _Generator
from .names import _ALT, _ENTITIES, _TYPE, _lit, _slug, _wg
from .universe import _Character, _Film, _Person, _Source, _Work


def _release_year(rng: random.Random, lo: int = 1980, hi: int = 2024) -> _dt.date:
    return _dt.date(rng.randrange(lo, hi + 1), 1, 1) + _dt.timedelta(days=rng.randrange(364))


def _universe(gen: _Generator, films: int, progress: Callable[[int], None]) -> None:
    rng = gen.rng
    made = 0

    def film_work(label: str, released: _dt.date) -> _Work:
        work = _Work(f"<{WGD}f-{_slug(label)}>", label, released)
        gen.register(work.iri, "Film", label)
        return work

    # A few standalone films first, so careers and "known for" have something to point at.
    anchor_standalone: _Work | None = None
    first_standalones = min(3, max(1, films // 20))
    for _ in range(first_standalones):
        work = film_work(gen.new_title(), _release_year(rng, 1990, 2005))
        gen.film(_Film(work))
        anchor_standalone = anchor_standalone or work
        made += 1
    # The anchor franchise: built so that every named query has rows (see GenerateReport.params).
    made += _franchise(gen, anchor=True, size=max(4, min(6, films - made)), standalone=anchor_standalone)
    progress(made)
    while made < films:
        if rng.random() < 0.55:
            size = min(films - made, max(2, min(int(rng.paretovariate(1.3) * 2), 14)))
            made += _franchise(gen, anchor=False, size=size, standalone=None)
        else:
            work = film_work(gen.new_title(), _release_year(rng))
            gen.film(_Film(work))
            made += 1
        if made % 50 == 0:
            progress(made)
    progress(made)


def _franchise(gen: _Generator, *, anchor: bool, size: int, standalone: _Work | None) -> int:
    """A franchise of ``size`` works: a main line in story order, a spin-off set between two of its films,
    sometimes a TV series. Returns the number of works written."""
    rng = gen.rng
    base = gen.new_title()
    fr_iri = f"<{WGD}fr-{_slug(base)}>"
    fr_label = f"{base} (franchise)"
    gen.register(fr_iri, "Franchise", fr_label, base, f"{base} series")
    orgs = [gen.new_org() for _ in range(1 + int(rng.random() < 0.5))]
    protagonist = gen.new_character()
    recurring = [gen.new_character() for _ in range(2 + rng.randrange(4))]
    spin_off_at = size - 1 if size >= 3 else None  # the last work is the spin-off
    main_count = size if spin_off_at is None else size - 1
    start = _release_year(rng, 1980, max(1980, 2022 - 2 * main_count))
    main: list[_Work] = []
    made = 0
    day = start
    anchor_facts: dict[str, object] = {}
    for ordinal in range(1, main_count + 1):
        label = base if ordinal == 1 else f"{base}: Chapter {ordinal}"
        work = _Work(f"<{WGD}f-{_slug(label)}>", label, day)
        gen.register(work.iri, "Film", label, f"{base} {ordinal}" if ordinal > 1 else f"{base} ({day.year})")
        supporting = [c for c in recurring if rng.random() < 0.7]
        if anchor and ordinal == main_count - 1:
            supporting = list(recurring)  # the anchor's spin-off lead first appears here, played by someone else
        plan = _Film(
            work,
            franchise=(fr_iri, fr_label),
            ordinal=ordinal,
            after=main[-1] if main else None,
            lead=protagonist,
            recurring=supporting,
            orgs=orgs,
        )
        gen.film(plan)
        main.append(work)
        made += 1
        day = min(day + _dt.timedelta(days=rng.randrange(300, 900)), _dt.date(2025, 6, 30))
    if spin_off_at is not None and len(main) >= 2:
        # Set between two main-line films; its lead is a recurring character, recast.
        k = len(main) - 2 if anchor else rng.randrange(len(main) - 1)
        hero = recurring[0]
        if hero.old_name is None:
            hero.old_name = gen.new_codename()
            gen.quad(hero.iri, _ALT, _lit(hero.old_name), _ENTITIES)
        label = f"{base}: {hero.label.split(' ', 1)[0]}"
        released = max(day, main[-1].released + _dt.timedelta(days=200))
        work = _Work(f"<{WGD}f-{_slug(label)}>", label, min(released, _dt.date(2025, 12, 31)))
        gen.register(work.iri, "Film", label, f"From the World of {base}: {hero.label.split(' ', 1)[0]}")
        plan = _Film(
            work,
            franchise=(fr_iri, fr_label),
            after=main[k],
            before=main[k + 1],
            spin_off=True,
            lead=hero,
            lead_recast=True,
            recurring=[protagonist, *recurring[1:]],
            orgs=orgs,
            force_all=anchor,
        )
        if anchor:
            gen.last_standalone = standalone
        anchor_facts = gen.film(plan)
        made += 1
        if anchor:
            _anchor_params(gen, work, base, fr_label, hero, anchor_facts, main, standalone)
    if (size >= 5 and rng.random() < 0.5) or anchor:
        label = f"{base}: The Series"
        series = _Work(f"<{WGD}f-{_slug(label)}>", label, main[0].released + _dt.timedelta(days=3000), "TVSeries")
        series.released = min(series.released, _dt.date(2025, 6, 30))
        gen.register(series.iri, "TVSeries", label)
        gen.film(_Film(series, franchise=(fr_iri, fr_label), before=main[0], lead=gen.new_character(), orgs=orgs))
        made += 1
    return made


def _cast_claim(gen: _Generator, src: _Source, work: _Work, cast: Sequence[_Person]) -> None:
    triples = []
    for person in cast:
        perf = f"<{WGD}perf-{_slug(work.label)}-{_slug(person.label)}>"
        triples += [
            (perf, _TYPE, _wg("Performance")),
            (perf, _wg("actor"), person.iri),
            (perf, _wg("work"), work.iri),
        ]
    gen.claim(src, f"{work.label} stars {', '.join(p.label for p in cast)}.", triples)


def _earlier_film(gen: _Generator, film: _Work, *, days: int) -> tuple[_Work, _Source]:
    """A new film released ``days`` before ``film``, registered, with its database page (a source)."""
    title = gen.new_title()
    work = _Work(f"<{WGD}f-{_slug(title)}>", title, film.released - _dt.timedelta(days=days))
    gen.register(work.iri, "Film", title)
    page = gen.database_page(title, work.released + _dt.timedelta(days=400))
    return work, page


def _anchor_params(
    gen: _Generator,
    film: _Work,
    base: str,
    franchise: str,
    hero: _Character,
    facts: dict[str, object],
    main: list[_Work],
    standalone: _Work | None,
) -> None:
    lead = facts["lead_actor"]
    director = facts["director"]
    producers = facts["producers"]
    late = facts.get("late")
    cast = facts["cast"]
    assert isinstance(lead, _Person) and isinstance(director, _Person) and isinstance(producers, list)
    assert isinstance(cast, list)
    supporting = [a for a, _c, _cr in cast[1:]]
    # Two cast members who also worked together before, outside the franchise.
    partner = supporting[1] if len(supporting) > 1 else supporting[0]
    prior_work, src = _earlier_film(gen, film, days=2000)
    prior = prior_work.label
    _cast_claim(gen, src, prior_work, (lead, partner))
    gen.claim(
        src,
        f"{lead.label} and {partner.label} worked together on {prior}.",
        [(lead.iri, _wg("workedWith"), partner.iri)],
    )
    # A newcomer who made one film with the partner only: the shortest connection to the lead has four hops
    # (the newcomer is in no career list, so no later film casts them and no shorter path appears).
    distant = gen.new_person()
    other_work, other_src = _earlier_film(gen, film, days=1000)
    _cast_claim(gen, other_src, other_work, (partner, distant))
    org = facts.get("org", "")
    gen.params.update(
        {
            "lead-of": {"film": film.label},
            "who-plays": {"character": hero.old_name or hero.label},
            "set-between": {"work": film.label},
            "story-order": {"franchise": franchise},
            "writing-history": {"film": film.label},
            "director": {"film": film.label},
            "connection": {"a": director.label, "b": producers[0].label},
            "reprised-roles": {"film": film.label},
            "release-history": {"film": film.label},
            "hedged-claims": {"certainty": "reported"},
            "prior-collaborations": {"film": film.label},
            "org-leader": {"organisation": str(org)},
            "died-before-release": {"film": film.label if isinstance(late, _Person) else ""},
            "directors-and-leads": {"franchise": franchise},
            "distributors": {"work": film.label},
            "shortest-connection": {"a": lead.label, "b": distant.label},
            "centrality": {"franchise": franchise},
            "fact-provenance": {"entity": lead.label},
        }
    )
