"""Commands over the graph itself: build, validate, verify-sources, coverage, query, queries, show, search."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click

from ..errors import MissingParameterError, WickgraphError
from . import GraphTarget, as_of_option, cli, data_options, graph_options, sources_option, store_option
from ._terminal import echo_fitted, output_width, wide_option


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
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
def build(
    store: Path | None,
    data_dir: Path | None,
    ontology_dir: Path | None,
    sources_dir: Path | None,
    fast: bool | None,
    no_rules: bool,
    wait: bool,
    quiet: bool,
) -> None:
    """Parse, validate and load the ontology and data into the store, atomically.

    The previous graph stays in place until the new one is complete; a failed or killed build changes nothing.
    One build writes a store at a time (a second one waits); data without sources, entities or claims are
    refused.

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
    from ..errors import SourceTextError
    from ..locations import default_sources_dir
    from ..spans import short_claim, source_coverage

    directory = sources_dir or default_sources_dir()
    if directory is None:
        raise SourceTextError("no source texts directory: pass --sources DIR (or set WICKGRAPH_SOURCES)")
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
    from ..errors import CitationError, SourceTextError
    from ..locations import default_sources_dir

    directory = sources_dir or default_sources_dir()
    if directory is None:
        raise SourceTextError("no source texts directory: pass --sources DIR (or set WICKGRAPH_SOURCES)")
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


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[key.strip()] = value
    return params


@cli.command()
@click.argument("query", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.File("r"), help="Read the SPARQL query from a file ('-' for stdin)."
)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A named query's parameter (repeatable)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "tsv", "sparql-tsv", "csv", "json", "turtle", "ntriples", "jsonld", "rdfxml"]),
    default=None,
    help="Output format. Default: table on a terminal, plain TSV otherwise (Turtle for CONSTRUCT). tsv is "
    "plain (bare names and values, as the table shows them); sparql-tsv is SPARQL results TSV.",
)
@wide_option
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let the query use SERVICE (the embedded engine then sends requests to other hosts). Default: refused.",
)
@as_of_option
@graph_options
def query(
    query: str | None,
    query_file: Any,
    params: tuple[str, ...],
    fmt: str | None,
    allow_service: bool,
    as_of: str | None,
    target: GraphTarget,
    wide: bool,
) -> None:
    """Run a named query (by name, with --param) or SPARQL from the argument, a file or stdin.

    The project prefixes (wg:, wgd:, schema:, wdt:, rdfs: …) need no PREFIX lines.

    \b
    Examples:
      wickgraph query who-plays --param character=Rooney
      wickgraph query release-history --as-of 2024-01-03
      wickgraph query 'SELECT ?p WHERE { ?p wg:plays wgd:eve-macarro }' --format csv
      echo 'ASK { wgd:ballerina wg:director wgd:len-wiseman }' | wickgraph query
      wickgraph query lead-of --endpoint http://localhost:7878/query

    On the embedded store, --timeout stops a query that runs longer, and Ctrl-C stops a running query at
    once (exit status 130). A table fits the terminal's width (COLUMNS) and groups rows that differ only in
    their sources; --wide prints it whole.
    """
    from ..output import write_result
    from ..queries import named_queries

    width = output_width(wide)

    named = named_queries()
    if query_file is not None:
        text = query_file.read()
    elif query is not None and query in named:
        parsed = _parse_params(params)

        def run_named() -> None:
            with target.open(allow_service=allow_service) as kg:
                try:
                    result = kg.run(query, as_of=as_of, **parsed)
                except MissingParameterError as exc:  # the library names the parameter; here it is an option
                    raise WickgraphError(
                        f"query {exc.query!r} needs --param {exc.parameter}=... ({exc.description})"
                    ) from None
                write_result(result, sys.stdout, fmt or ("table" if sys.stdout.isatty() else "tsv"), width=width)

        _interruptible(run_named)
        return
    elif query is not None:
        text = query
    elif not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        raise click.UsageError("give a named query, a SPARQL query, --file FILE, or a query on stdin")
    if params:
        raise click.UsageError("--param goes with a named query (see `wickgraph queries`)")
    if query is not None and query not in named and query.replace("-", "").isalnum():
        raise WickgraphError(f"no named query {query!r}; the named queries are: {', '.join(named)}")

    def run() -> None:
        with target.open(allow_service=allow_service) as kg:
            result = kg.query(text, as_of=as_of)
            chosen = fmt or ("table" if sys.stdout.isatty() else "tsv")
            write_result(result, sys.stdout, chosen, width=width)

    _interruptible(run)


def _interruptible(work: Callable[[], None]) -> None:
    """Run ``work`` (a query and its output) in a thread, so that Ctrl-C ends the command at once.

    pyoxigraph evaluates a query without returning to Python, so a Ctrl-C would wait for the query to end. The
    main thread only waits here, and a Ctrl-C ends the process: the query with it (a worker process of
    ``--timeout`` has a parent-death signal), with one line on stderr and exit status 130, as shells expect.
    """
    import os
    import threading

    failure: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the main thread, which reports it as usual
            # Without its traceback and chain: they hold pyoxigraph objects that must be dropped in this thread.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            failure.append(exc)

    thread = threading.Thread(target=target, name="wickgraph-query", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        os.write(2, b"Interrupted: the query was stopped.\n")
        os._exit(130)
    if failure:
        raise failure[0]


@cli.command("queries")
@click.option("-v", "--verbose", is_flag=True, help="Show parameters and an example for each.")
def list_queries(verbose: bool) -> None:
    """List the named queries and the question each answers.

    \b
    Example:
      wickgraph queries -v
    """
    from ..queries import named_queries

    for q in named_queries().values():
        click.echo(f"{q.name:22} {q.title}")
        if verbose:
            click.echo(f"{'':22} answers {q.question}")
            for p in q.parameters:
                default = f' (default "{p.default}")' if p.default is not None else " (required)"
                click.echo(f"{'':22} --param {p.name}=…  {p.description}{default}")
            if q.example:
                click.echo(f"{'':22} e.g. {q.example}")


@cli.command()
@click.argument("name")
@as_of_option
@graph_options
@wide_option
def show(name: str, as_of: str | None, target: GraphTarget, wide: bool) -> None:
    """Show an entity's card: its type and every fact about it, with source, date and certainty.

    NAME is a label or alias, case-insensitive, or the entity's local name (john-wick); a name that fits
    several entities lists them. Long lines are wrapped to the terminal's width (COLUMNS) unless --wide.

    \b
    Examples:
      wickgraph show "Eve Macarro"
      wickgraph show Ballerina --as-of 2024-01-03
    """
    with target.open() as kg:
        echo_fitted(kg.entity(name, as_of=as_of).render(), output_width(wide))


@cli.command()
@click.argument("text")
@graph_options
@wide_option
def search(text: str, target: GraphTarget, wide: bool) -> None:
    """Find entities whose label or alias contains TEXT.

    \b
    Example:
      wickgraph search wick
    """
    from ..terminal import safe_text

    with target.open() as kg:
        matches = kg.search(text, limit=100)
    if not matches:
        raise WickgraphError(f"no entity's name contains {text!r}")
    labels = [safe_text(m.label, one_line=True) for m in matches]
    width = max(len(label) for label in labels)
    fitted = output_width(wide)
    for m, label in zip(matches, labels, strict=True):
        via = f"  (as {safe_text(m.matched, one_line=True)!r})" if m.matched != m.label else ""
        echo_fitted(f"{label:{width}}  {m.type:22}{via}".rstrip(), fitted)
