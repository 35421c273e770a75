"""``wickgraph generate``: a synthetic film universe for scale tests and benchmarks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import cli
from ._graphs import output_file_option


@cli.command()
@click.option("--films", type=click.IntRange(min=6), required=True, help="Number of works (about 205 quads each).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same file.")
@output_file_option(
    help="The RDF file to write: N-Quads (.nq) or TriG (.trig). Held texts go to OUTPUT-STEM-texts/ beside it."
)
@click.option(
    "--params",
    "params_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write, as JSON, parameters that make every named query hit the generated entities.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
def generate(films: int, seed: int, output: Path, params_file: Path | None, quiet: bool) -> None:
    """Write a synthetic film universe in wickgraph's data model (deterministic).

    Franchises with spin-offs and story order, power-law careers, recurring and recast characters, scripts
    and rewrites, planned and postponed releases, superseded and hedged claims: every fact cited to a
    synthetic source whose text is written too. About 205 quads per film (before the build's rules).

    \b
    Examples:
      wickgraph generate --films 5000 -o /tmp/universe/universe.nq      # about 1M quads
      wickgraph build --fast --data /tmp/universe --store /tmp/big
    """
    from ..synthetic import generate as run_generate

    def progress(done: int, total: int) -> None:
        if not quiet and sys.stderr.isatty():
            click.echo(f"\r… {done:,} of {total:,} works", err=True, nl=False)

    report = run_generate(output, films=films, seed=seed, progress=progress)
    if not quiet and sys.stderr.isatty():
        click.echo("", err=True)
    if params_file is not None:
        import json

        params_file.write_text(json.dumps(report.params, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    click.echo(report.summary())
