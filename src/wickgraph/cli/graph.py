"""Commands that make and check the graph: build, validate, coverage, verify-sources (reading it: :mod:`.query`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from . import GraphTarget, cli, data_options, graph_options, sources_option, store_option


@cli.command()
@store_option
@data_options
@click.option(
    "--fast/--full",
    "fast",
    default=None,
    help="Fast build for millions of triples (streamed load, SHACL as SPARQL, no citation check) or the full "
    "build (pyshacl, citations). Default: full, or fast when the data files exceed 32 MB.",
)
@click.option("--no-rules", is_flag=True, help="Fast build only: skip the build rules (input already derived).")
@click.option(
    "--wait/--no-wait",
    default=True,
    help="When another build is writing the same store: wait for it to finish (default), or fail at once.",
)
@click.option(
    "--full-rebuild",
    is_flag=True,
    help="Fast build: build everything again even when only some data files changed (by default a fast build "
    "over an earlier one rebuilds only the changed files' graphs, and says when it cannot).",
)
@click.option(
    "--as-of-copies/--no-as-of-copies",
    "as_of_copies",
    default=None,
    help="Write the server's as-of copies of the new graph before publishing it, so that the first server "
    "answers as-of from them at once. Default: with the full build (seconds), not with the fast one (minutes at "
    "scale; the server makes them when it starts).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
def build(
    store: Path | None,
    data_dir: Path | None,
    ontology_dir: Path | None,
    sources_dir: Path | None,
    fast: bool | None,
    no_rules: bool,
    wait: bool,
    full_rebuild: bool,
    as_of_copies: bool | None,
    quiet: bool,
) -> None:
    """Parse, validate and load the ontology and data into the store, atomically.

    The previous graph stays in place until the new one is complete; a failed or killed build changes nothing.
    One build writes a store at a time (a second one waits); data without sources, entities or claims are
    refused. A fast build over an earlier fast build is incremental: when only some data files were added,
    edited or removed (the ontology, the shapes and the rules unchanged), only their graphs are loaded, derived
    and merged again into a copy of the current graph, and every check runs on the result; the summary says
    when it had to build everything instead, and why.

    \b
    Examples:
      wickgraph build --store /tmp/wick
      wickgraph build --fast --data /tmp/universe --store /tmp/big
    """

    from ..building.builder import build as run_build
    from ..building.builder import choose_mode
    from ..errors import UsageError

    def progress(message: str) -> None:
        if message.endswith("using the fast build"):  # the library's choice, and how to overrule it here
            message += " (--full to force the full one)"
        if not quiet or message.startswith("waiting for another build"):  # a wait is said even with -q
            click.echo(f"… {message}", err=True)

    mode: Literal["auto", "full", "fast"] = "auto" if fast is None else "fast" if fast else "full"
    if no_rules:
        try:
            choose_mode(mode, data_dir, rules=False)
        except UsageError:
            raise click.UsageError("--no-rules goes with --fast") from None
    report = run_build(
        store,
        mode=mode,
        data_dir=data_dir,
        ontology_dir=ontology_dir,
        sources_dir=sources_dir,
        rules=not no_rules,
        progress=progress,
        progress_bar=not quiet,
        wait=wait,
        full_rebuild=full_rebuild,
        as_of_copies=as_of_copies,
    )
    click.echo(report.summary())


@cli.command()
@data_options
def validate(data_dir: Path | None, ontology_dir: Path | None, sources_dir: Path | None) -> None:
    """Check the data as a build would (parse, SHACL, provenance, citations) without writing anything.

    \b
    Example:
      wickgraph validate --data data/
    """
    from ..building.builder import check

    report = check(data_dir=data_dir, ontology_dir=ontology_dir, sources_dir=sources_dir)
    click.echo("valid: " + report.summary().splitlines()[0].replace("Loaded", "read"))


@cli.command("coverage")
@click.argument("source")
@graph_options
@sources_option
@click.option("--gaps", "gaps_only", is_flag=True, help="Print only the sentences nothing accounts for.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    help="Exit with status 1 when less than this per cent of the sentences are covered or marked.",
)
def coverage(
    source: str, target: GraphTarget, sources_dir: Path | None, gaps_only: bool, fail_under: float | None
) -> None:
    """Print every sentence of a held text with the claims that rest on it, the sentences marked as stating no
    fact (with the reason), and the gaps; then the percentage covered or marked.

    SOURCE is a source's short name (cinemark-2024), its IRI, its file name or its title. Sentences are found
    by pySBD; a text cited by line (the fact sheet) is counted in lines.

    \b
    Example:
      wickgraph coverage cinemark-2024 --sources ../shared/sources
    """
    from ..spans import short_claim, source_coverage

    directory = _held_texts(sources_dir)
    with target.open() as kg:
        report = source_coverage(kg.store, directory, source)
    unit = report.unit_name[:-1]
    click.echo(f"{report.title} ({report.held_file}): {len(report.units)} {report.unit_name}")
    for u in report.units:
        if gaps_only and u.status != "gap":
            continue
        where = f"line {u.line}" if u.line is not None else f"chars {u.start}-{u.end}"
        if u.claims:
            status = ", ".join(short_claim(c) for c in u.claims)
        elif u.no_fact:
            status = f"no fact: {u.no_fact}"
        else:
            status = "GAP"
        click.echo(f"{where:>16}  {status}")
        click.echo(f"{'':>16}  “{u.text}”")
    click.echo(
        f"{report.covered + report.marked} of {len(report.units)} {report.unit_name} covered or marked "
        f"({report.percent:.1f} %): {report.covered} carry claims, {report.marked} marked as stating no fact, "
        f"{len(report.gaps)} {'gap' if len(report.gaps) == 1 else 'gaps'}"
    )
    if fail_under is not None and report.percent < fail_under:
        raise click.ClickException(
            f"{report.percent:.1f} % of the {report.unit_name} of {report.held_file} are covered or marked, "
            f"under {fail_under:g} % (first gap: {unit} at {report.gaps[0].start}-{report.gaps[0].end})"
        )


@cli.command("verify-sources")
@graph_options
@sources_option
@click.option("--only-problems", is_flag=True, help="Print only the claims whose span does not support them.")
def verify_sources(target: GraphTarget, sources_dir: Path | None, only_problems: bool) -> None:
    """Check every claim's span against the held source texts and print the quoted text beside each fact.

    A text must have the SHA-256 the data cite; a span must exist and hold every word that carries its claim
    (names, dates, numbers, the words of remarks), and its cue words must agree with the claim's certainty.
    A claim marked wg:paraphrase is shown as "para" with the editors' note.

    \b
    Example:
      wickgraph verify-sources --sources ../shared/sources
    """
    from ..citations import check_citations
    from ..errors import CitationError

    directory = _held_texts(sources_dir)
    with target.open() as kg:
        citations = check_citations(kg.store, directory)
    bad = [c for c in citations if c.problems]
    paraphrases = [c for c in citations if c.paraphrase and not c.problems]
    for c in citations:
        if only_problems and not c.problems:
            continue
        where = f"chars {c.start}-{c.end}" if c.start is not None else f"line {c.line}"
        status = "FAIL" if c.problems else "para" if c.paraphrase else "ok  "
        click.echo(f"{status} {c.claim}  [{c.certainty}; {c.source_title}; {where}]")
        click.echo(f"     “{' '.join((c.quote or '').split())}”")
        for s, p, o in c.facts:
            click.echo(f"       {s} —{p}→ {o}")
        for value in c.paraphrased:
            click.echo(f"     ~ paraphrase, not in the span's words: {value}")
        if c.paraphrase or c.problems:
            for note in c.notes:
                click.echo(f"     note: {note}")
        for problem in c.problems:
            click.echo(f"     ! {problem}")
    click.echo(
        f"{len(citations) - len(bad)} of {len(citations)} citations verified against {directory} "
        f"({len(paraphrases)} of them paraphrases, checked for names, dates and numbers only)"
    )
    if bad:
        raise CitationError([p for c in bad for p in c.problems])


def _held_texts(sources_dir: Path | None) -> Path:
    """The directory of the held texts: ``--sources``, else the default one; an error that says how to give one."""
    from ..errors import SourceTextError
    from ..locations import default_sources_dir

    directory = sources_dir or default_sources_dir()
    if directory is None:
        raise SourceTextError("no source texts directory: pass --sources DIR (or set WICKGRAPH_SOURCES)")
    return directory
