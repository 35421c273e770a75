"""A synthetic film universe in wickgraph's own data model, for scale tests and benchmarks.

:func:`generate` writes, deterministically from ``films`` and ``seed``, an N-Quads file (or TriG) with the same
shape as ``data/``: the entity registry graph, one source graph per synthetic source with a ``wg:Claim`` record
per claim, and one claim graph per claim; plus the *held texts* the claims cite (one line per claim, naming
what the claim asserts, with a hedge word when it is reported or expected), so the citation check passes too.

The universe has franchises with main-line films in story order, spin-offs set between two of them, and TV
series; standalone films; people whose careers follow a power law (a few appear in hundreds of works);
characters that recur across a franchise's films, sometimes recast; leads, supporting roles, cameos and
reprises; directors, producers, distributors (sources sometimes disagree); scripts written and rewritten over
several drafts; planned, postponed, premiered and released events; characters renamed between the first
announcement and the release; people who died before a film of theirs came out; collaborations. Early
claims are superseded by later ones, and a share of claims is reported or expected rather than stated.

The first franchise is the *anchor*: built to give every named query rows. :attr:`GenerateReport.params`
holds, for each named query, parameter values that name its entities.

Sizes: about 200 quads per film before the build's rules (which roughly double them): ``films=50`` gives
about 10k quads, ``films=5000`` about 1M.

The package: :mod:`.names` (word lists, terms), :mod:`.universe` (the model and its writer), :mod:`.film`
(one film's claims), :mod:`.events` (scripts and releases), :mod:`.franchise` (the plan).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "universe.nq"
>>> report = generate(out, films=12, seed=1)
>>> report.quads > 1000, report.params["lead-of"]["film"] != ""
(True, True)
>>> generate(out, films=12, seed=1).sha256 == report.sha256       # deterministic
True
"""

import hashlib
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError, WickgraphError
from .film import _Generator
from .franchise import _universe
from .universe import _Texts

__all__ = ["QUADS_PER_FILM", "GenerateReport", "films_for_quads", "generate"]

QUADS_PER_FILM = 205
"""About how many quads (before the build's rules) the generator writes per film; see :func:`films_for_quads`."""


def films_for_quads(quads: int) -> int:
    """The ``films`` argument that gives about ``quads`` quads.

    >>> films_for_quads(1_000_000)
    4878
    """
    return max(6, round(quads / QUADS_PER_FILM))


@dataclass(frozen=True, slots=True)
class GenerateReport:
    """What :func:`generate` wrote."""

    path: Path
    """The RDF file (N-Quads, or TriG for a ``.trig`` path)."""
    texts_dir: Path
    """The held texts the claims cite (pass it as ``sources_dir`` to a build to check every citation)."""
    films: int
    seed: int
    quads: int
    entities: int
    sources: int
    claims: int
    sha256: str
    """SHA-256 of the RDF file: the same arguments always give the same file."""
    seconds: float
    params: dict[str, dict[str, str]] = field(default_factory=dict)
    """Named query -> parameter values that name generated entities (the anchor franchise)."""

    def summary(self) -> str:
        """A few lines for a person."""
        return (
            f"Wrote {self.quads:,} quads to {self.path} ({self.films:,} films, seed {self.seed})\n"
            f"  {self.entities:,} entities, {self.sources:,} sources, {self.claims:,} claims; "
            f"held texts in {self.texts_dir}\n"
            f"  in {self.seconds:.1f} s ({self.quads / max(self.seconds, 1e-9):,.0f} quads/s)"
        )


def generate(
    path: str | os.PathLike[str],
    *,
    films: int,
    seed: int = 0,
    texts_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GenerateReport:
    """Write a synthetic film universe of ``films`` works to ``path`` (N-Quads; TriG when it ends in ``.trig``).

    The held texts go to ``texts_dir`` (default: ``<path stem>-texts`` beside ``path``); pass that directory as
    ``sources_dir`` to :func:`wickgraph.build` to check every citation. ``progress(done, films)`` is called
    now and then. The same ``films`` and ``seed`` always give the same bytes.
    """
    if films < 6:
        raise UsageError(f"films must be at least 6 (the anchor franchise alone has 6 works), not {films}")
    started = time.perf_counter()
    target = Path(path)
    trig = target.suffix == ".trig"
    texts = Path(texts_dir) if texts_dir is not None else target.with_name(target.stem + "-texts")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        texts.mkdir(parents=True, exist_ok=True)
        for old in texts.glob(f"{target.stem}-*.txt"):
            old.unlink()
        nquads = target.with_name(target.name + ".tmp.nq") if trig else target
        with nquads.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            gen = _Generator(out, _Texts(texts, target.stem), random.Random(seed))
            _universe(gen, films, lambda done: progress(done, films) if progress else None)
            gen.flush_texts(force=True)
        if trig:
            from pyoxigraph import RdfFormat, parse, serialize

            from ..namespaces import PREFIXES

            with target.open("wb") as sink:
                serialize(
                    parse(path=str(nquads), format=RdfFormat.N_QUADS),
                    sink,
                    RdfFormat.TRIG,
                    prefixes=PREFIXES,
                )
            nquads.unlink()
    except OSError as exc:
        raise WickgraphError(f"cannot write the synthetic universe to {target}: {exc.strerror or exc}") from exc
    digest = hashlib.sha256()
    with target.open("rb") as written:
        for chunk in iter(lambda: written.read(1 << 20), b""):
            digest.update(chunk)
    return GenerateReport(
        path=target,
        texts_dir=texts,
        films=films,
        seed=seed,
        quads=gen.quads,
        entities=gen.entities,
        sources=gen.sources,
        claims=gen.claims,
        sha256=digest.hexdigest(),
        seconds=time.perf_counter() - started,
        params=gen.params,
    )
