"""The events of a film's making and release: the script's drafts, planned, postponed and held releases."""

from __future__ import annotations

import datetime as _dt

from ..namespaces import WGD
from .names import _PLACE, _REASONS, _SEASONS, _date, _int, _lit, _slug, _spoken, _wg
from .universe import _Film, _Person, _Source, _Universe


def write_script(gen: _Universe, plan: _Film, db: _Source, writers: list[_Person], lead_actor: _Person) -> None:
    """The script of ``plan``'s work and its drafts (an original, rewrites, additional work)."""
    rng = gen.rng
    full = plan.force_all
    wl = plan.work.label
    slug = _slug(wl)
    w = plan.work.iri
    script = f"<{WGD}s-{slug}>"
    gen.register(script, "Script", f"{wl} script")
    gen.claim(db, f"The script of {wl}.", [(w, _wg("script"), script)])
    drafts = 1 + (2 if full else int(rng.random() < 0.5) + int(rng.random() < 0.3))
    previous = None
    for step in range(1, drafts + 1):
        author = writers[0] if step != 2 or len(writers) < 2 else writers[1]
        kind = ("OriginalDraft", "Rewrite", "AdditionalWork")[min(step, 3) - 1]
        draft = f"<{WGD}d-{slug}-{step}>"
        gen.register(draft, "Draft", f"{wl} script: draft {step} ({author.label})")
        triples = [
            (draft, _wg("draftOf"), script),
            (draft, _wg("draftOrdinal"), _int(step)),
            (draft, _wg("draftKind"), _wg(kind)),
            (draft, _wg("draftAuthor"), author.iri),
        ]
        sentence = f"{author.label} wrote the original script of {wl}."
        if previous is not None:
            triples.append((draft, _wg("basedOn"), previous))
            triples.append((author.iri, _wg("rewrote"), script))
            sentence = f"{author.label} rewrote the script of {wl}"
            if step == 2 and (full or rng.random() < 0.4):
                triples.append((draft, _wg("broughtInBy"), lead_actor.iri))
                sentence += f"; {lead_actor.label} brought {author.label} in"
            sentence += "."
        gen.claim(db, sentence, triples)
        previous = draft


def write_releases(
    gen: _Universe, plan: _Film, db: _Source, announce: _Source | None, distributor: tuple[str, str]
) -> None:
    """The theatrical release (planned first when announced, sometimes postponed), a premiere, a remark."""
    rng = gen.rng
    work = plan.work
    full = plan.force_all
    wl = work.label
    slug = key = _slug(wl)
    w = work.iri
    release = f"<{WGD}r-{slug}-{work.released.year}>"
    gen.register(release, "ReleaseEvent", f"{wl}: release, {_spoken(work.released)}")
    when = _spoken(work.released)
    released_triples = [
        (w, _wg("releaseDate"), _date(work.released)),
        (w, _wg("release"), release),
        (release, _wg("releaseOf"), w),
        (release, _wg("releaseKind"), _wg("TheatricalRelease")),
        (release, _wg("date"), _date(work.released)),
        (release, _wg("datePrecision"), _wg("DayPrecision")),
        (release, _wg("releaseStatus"), _wg("Released")),
        (release, _wg("releasedBy"), distributor[0]),
    ]
    superseded: list[str] = []
    if announce is not None:
        planned_triples = [t for t in released_triples if t[1] != _wg("releaseStatus")]
        planned_triples.append((release, _wg("releaseStatus"), _wg("Planned")))
        superseded.append(
            gen.claim(
                announce,
                f"{distributor[1]} plans to release {wl} on {when}.",
                planned_triples,
            )
        )
        if full or rng.random() < 0.35:
            season, m1, d1, m2, d2 = rng.choice(_SEASONS)
            year = work.released.year - 1
            first = _dt.date(year, m1, d1)
            last = _dt.date(year + (1 if m2 < m1 else 0), m2, d2)
            planned = f"<{WGD}r-{slug}-planned-{year}>"
            text = f"{season} {year}"
            gen.register(planned, "ReleaseEvent", f"{wl}: planned release, {text}")
            reason = rng.choice(_REASONS)
            delay = gen.source(
                f"delay-{key}",
                f"{wl} is delayed",
                "N",
                min(announce.known_since + _dt.timedelta(days=rng.randrange(20, 200)), work.released),
                "publication date printed under the title",
            )
            gen.claim(
                delay,
                f"{wl}, once planned for {text}, now opens on {when} ({distributor[1]}).",
                [
                    (w, _wg("release"), planned),
                    (planned, _wg("releaseOf"), w),
                    (planned, _wg("releaseKind"), _wg("TheatricalRelease")),
                    (planned, _wg("dateText"), _lit(text)),
                    (planned, _wg("datePrecision"), _wg("SeasonPrecision")),
                    (planned, _wg("earliestDate"), _date(first)),
                    (planned, _wg("latestDate"), _date(last)),
                    (planned, _wg("releaseStatus"), _wg("Postponed")),
                    (planned, _wg("postponedTo"), release),
                    (planned, _wg("releasedBy"), distributor[0]),
                ],
            )
            gen.claim(
                delay,
                f"The release of {wl} was reportedly moved {reason}.",
                [(planned, _wg("postponementReason"), _lit(reason))],
                certainty="Reported",
            )
    gen.claim(
        db,
        f"{wl} was released in theatres on {when} by {distributor[1]}.",
        released_triples,
        supersedes=superseded,
        note="The film came out: the release is a fact, no longer a plan." if superseded else None,
    )
    if full or rng.random() < 0.3:
        premiere_day = work.released - _dt.timedelta(days=rng.randrange(5, 20))
        premiere = f"<{WGD}r-{slug}-premiere-{premiere_day.year}>"
        city = rng.choice(_PLACE)
        gen.register(premiere, "ReleaseEvent", f"{wl}: world premiere, {city}, {_spoken(premiere_day)}")
        gen.claim(
            db,
            f"{wl} had its world premiere in {city} on {_spoken(premiere_day)}.",
            [
                (w, _wg("release"), premiere),
                (premiere, _wg("releaseOf"), w),
                (premiere, _wg("releaseKind"), _wg("WorldPremiere")),
                (premiere, _wg("date"), _date(premiere_day)),
                (premiere, _wg("datePrecision"), _wg("DayPrecision")),
                (premiere, _wg("releaseStatus"), _wg("Released")),
                (premiere, _wg("location"), _lit(city)),
            ],
        )
    if announce is not None and (full or rng.random() < 0.3):
        gen.claim(
            announce,
            f"A sequel to {wl} is likely if it does well.",
            [(w, _wg("remark"), _lit("a sequel is likely if it does well"))],
            certainty="Expected",
        )
