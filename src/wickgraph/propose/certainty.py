"""Certainty from a span's own words, by the project's rule (:func:`wickgraph.citations.certainty_cues`)."""

from __future__ import annotations

__all__ = ["certainty_of"]


def certainty_of(span: str) -> tuple[str, str | None]:
    """``(certainty, cue)``: ``Reported`` when the span reports ("reportedly", "according to"), else ``Expected``
    when it expects or speculates ("will", "likely", "might"), else ``Stated`` with no cue.

    >>> certainty_of("It was pushed back a year, reportedly to add more action.")
    ('Reported', 'reportedly')
    >>> certainty_of("Len Wiseman will direct.")
    ('Expected', 'will')
    >>> certainty_of("Len Wiseman directs.")
    ('Stated', None)
    """
    from ..citations import certainty_cues

    cues = certainty_cues(span)
    for certainty in ("Reported", "Expected"):
        if certainty in cues:
            return certainty, cues[certainty]
    return "Stated", None
