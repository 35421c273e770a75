"""``wickgraph propose`` (draft cited claims from a new text) and ``wickgraph review`` (make them data)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..errors import UsageError
from . import cli, dir_option, sources_option
from ._graphs import output_file_option


def _date(_ctx: click.Context, _param: click.Parameter, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date YYYY-MM-DD") from None


@cli.command()
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--title", required=True, help="The article's title.")
@click.option("--publisher", required=True, help="Who published it (linked to the registry, or proposed as new).")
@click.option("--published", required=True, callback=_date, metavar="YYYY-MM-DD", help="Publication date.")
@click.option("--url", default=None, help="The page's address.")
@click.option("--date-basis", default=None, help="How the date is known (default: given on the command line).")
@click.option("--tier", default="N", show_default=True, help="Source tier (N: news, A: the founding article...).")
@click.option("--about", default=None, help="The film it is about (default: the film it names most).")
@click.option("--key", default=None, help="Source key (default: PUBLISHER-YEAR, e.g. variety-2025).")
@click.option(
    "--extractor", default=None, metavar="MODULE:ATTR", help="Another extractor (see docs/adding-an-article.md)."
)
@dir_option(
    "--data", "data_dir", help="Data directory (the registry; the draft's default place). Default: the project's data/."
)
@output_file_option(help="Draft file. Default: DATA/KEY.trig.", required=False)
@click.option("--force", is_flag=True, help="Replace an existing file.")
def propose(
    text_file: Path,
    title: str,
    publisher: str,
    published: date,
    url: str | None,
    date_basis: str | None,
    tier: str,
    about: str | None,
    key: str | None,
    extractor: str | None,
    data_dir: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """Draft cited claims from TEXT_FILE for review (the build refuses the draft until reviewed).

    \b
    The draft holds the source record, every sentence with its span, the names linked to the registry
    (exact, fuzzy, ambiguous, unknown), and candidate claims with span, triples, certainty and score.
    Example:
      wickgraph propose article.txt --title "Ballerina gets a date" --publisher Variety --published 2023-04-04
    """
    from ..propose import propose as run

    result = run(
        text_file,
        title=title,
        publisher=publisher,
        published=published,
        url=url,
        out=output,
        force=force,
        key=key,
        tier=tier,
        date_basis=date_basis,
        about=about,
        extractor=extractor,
        data_dir=data_dir,
    )
    click.echo(result.summary())


@cli.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--answers",
    default=None,
    help="Answers, comma-separated (a, e, r, n[:REASON], q; after e: certainty, "
    "span, OLD=NEW, and a note when asked), instead of asking.",
)
@dir_option("--data", "data_dir", help="Data directory (the registry). Default: the project's data/.")
@output_file_option(help="Write here instead of over the draft.", required=False)
@click.option(
    "--gaps", is_flag=True, help="Then ask about each sentence with no candidate: n[:REASON] no fact, s skip."
)
@sources_option
def review(
    draft: Path, answers: str | None, data_dir: Path | None, output: Path | None, gaps: bool, sources_dir: Path | None
) -> None:
    """Decide on each candidate claim of DRAFT, one at a time, and write the data file.

    \b
    Answers: a accept, e edit (certainty, span, replace an entity), r reject, n[:REASON] the sentence states
    no fact, q reject the rest. Without --answers, from the terminal or standard input (one a line).
    """
    from ..locations import default_sources_dir
    from ..propose import review as run

    listed = None if answers is None else [a.strip() for a in answers.split(",")]
    ask = None
    if listed is None:
        if sys.stdin.isatty():

            def ask(question: str) -> str:
                return str(click.prompt(question.rstrip(), default="", show_default=False, prompt_suffix=" "))

        else:

            def ask(question: str) -> str:
                # One answer a line, read as the questions come (a script can answer what it sees).
                click.echo(question, nl=False)
                line = sys.stdin.readline()
                if not line:
                    raise UsageError(f"review: standard input ended at {question.strip()!r}; nothing was written")
                click.echo(line.rstrip("\n"))
                return line.rstrip("\r\n")

    result = run(
        draft,
        ask=ask,
        answers=listed,
        show=click.echo,
        out=output,
        sources_dir=sources_dir or default_sources_dir(),
        data_dir=data_dir,
        gaps=gaps,
    )
    click.echo(result.summary())
