"""docs/cli.md is what the commands' --help prints: regenerated in memory, compared, and checked against real processes.

The reference is written by ``python -m wickgraph.cli._reference``; these tests fail, naming the command, when a
command, an option or a help text changed and the file was not regenerated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from _readme import check_generator, read
from wickgraph.cli import cli
from wickgraph.cli._reference import COLUMNS, commands, drift, missing_help, parse, render, sections, title

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "run `python -m wickgraph.cli._reference` from the repository root and commit docs/cli.md"


@pytest.fixture(scope="module")
def committed() -> str:
    return read("docs/cli.md")


@pytest.fixture(scope="module")
def fresh() -> str:
    return render(sections())


def _command(*path: str) -> click.Command:
    for found, command in commands():
        if found == path:
            return command
    raise LookupError(title(path))


def _option(command: click.Command, flag: str) -> click.Option:
    for param in command.params:
        if isinstance(param, click.Option) and flag in param.opts:
            return param
    raise LookupError(f"{command.name} {flag}")


def test_reference_matches_every_commands_help(committed: str, fresh: str) -> None:
    problems = drift(committed, fresh)
    assert not problems, "docs/cli.md is out of date:\n  " + "\n  ".join(problems) + f"\n({REGENERATE})"
    assert committed == fresh


def test_reference_covers_every_command_and_subcommand(committed: str) -> None:
    documented = list(parse(committed))
    expected = [title(path) for path, _ in commands()]
    assert documented == expected
    # The tree really is walked: the group, the top-level commands and analyze's subcommands.
    assert documented[0] == "wickgraph"
    assert {"wickgraph build", "wickgraph query", "wickgraph analyze", "wickgraph analyze path"} <= set(documented)
    for name, text in parse(committed).items():
        assert text.startswith(f"Usage: {name} "), name


def test_every_command_and_option_has_help() -> None:
    assert missing_help() == []


def test_help_width_does_not_depend_on_the_callers_terminal(monkeypatch: pytest.MonkeyPatch, fresh: str) -> None:
    for columns in ("40", "300"):
        monkeypatch.setenv("COLUMNS", columns)
        assert render(sections()) == fresh, f"COLUMNS={columns}"


def test_reference_is_what_the_real_command_prints(committed: str) -> None:
    """Each section equals ``wickgraph … --help`` run as a process with COLUMNS=100 (and, the width being capped,
    with a wider terminal too)."""
    pages = parse(committed)
    env = {**os.environ, "COLUMNS": str(COLUMNS)}
    for path, _ in commands():
        name = title(path)
        printed = subprocess.run(
            [sys.executable, "-m", "wickgraph", *path, "--help"], env=env, capture_output=True, text=True, check=True
        ).stdout
        assert printed == pages[name], f"{name}: docs/cli.md differs from what `{name} --help` prints"
    wide = subprocess.run(
        [sys.executable, "-m", "wickgraph", "serve", "--help"],
        env={**env, "COLUMNS": "250"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert wide == pages["wickgraph serve"]


# The check must fail, naming the command, whenever the help and the file part ways.


def test_a_changed_option_help_names_its_command(monkeypatch: pytest.MonkeyPatch, committed: str) -> None:
    monkeypatch.setattr(_option(_command("build"), "--store"), "help", "Somewhere else entirely.")
    assert [p.split(":")[0] for p in drift(committed, render(sections()))] == ["wickgraph build"]


def test_a_changed_subcommand_option_names_the_subcommand(monkeypatch: pytest.MonkeyPatch, committed: str) -> None:
    monkeypatch.setattr(_option(_command("analyze", "path"), "--limit"), "help", "Fewer paths.")
    problems = drift(committed, render(sections()))
    assert len(problems) == 1
    assert problems[0].startswith("wickgraph analyze path: its --help drifted (line ")
    assert "Fewer paths." in problems[0]


def test_a_new_or_removed_command_is_named(monkeypatch: pytest.MonkeyPatch, committed: str) -> None:
    monkeypatch.setitem(cli.commands, "zz-new", click.Command("zz-new", callback=lambda: None, help="New."))
    _command("search")  # the group loads a command's module when it is first asked for
    monkeypatch.delitem(cli.commands, "search")
    problems = drift(committed, render(sections()))
    # The group's own listing changes too.
    assert "wickgraph zz-new: not in the reference (a new command?)" in problems
    assert "wickgraph search: in the reference, but there is no such command" in problems
    assert any(p.startswith("wickgraph: its --help drifted") for p in problems)


def test_a_command_or_option_without_help_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    bare = click.Command("zz-bare", callback=lambda: None, params=[click.Option(["--flag"], is_flag=True)])
    monkeypatch.setitem(cli.commands, "zz-bare", bare)
    monkeypatch.setattr(_option(_command("query"), "--format"), "help", "  ")
    assert missing_help() == [
        "wickgraph query: option --format has no help text",
        "wickgraph zz-bare: the command has no help text",
        "wickgraph zz-bare: option --flag has no help text",
    ]


def test_hand_edits_to_the_file_are_caught(committed: str, fresh: str) -> None:
    edited_help = committed.replace("\n  Find entities whose label", "\n  Finds entities whose label", 1)
    assert edited_help != committed
    assert drift(edited_help, fresh) == [
        "wickgraph search: its --help drifted (line 3: the file has '  Finds entities whose label or alias "
        "contains TEXT.', --help prints '  Find entities whose label or alias contains TEXT.')"
    ]
    edited_header = committed.replace("# CLI reference", "# The CLI reference", 1)
    (problem,) = drift(edited_header, fresh)
    assert problem.startswith("the reference's text outside the commands' help differs (line 1:")
    truncated = committed[: committed.index("\n## wickgraph viz")]
    assert drift(truncated, fresh) == ["wickgraph viz: not in the reference (a new command?)"]


def test_the_script_writes_and_checks_the_file(tmp_path: Path, committed: str) -> None:
    check_generator(
        "wickgraph.cli._reference",
        tmp_path / "docs" / "cli.md",
        committed,
        f"{len(parse(committed))} commands",
        committed.replace('wickgraph show "Eve Macarro"', "wickgraph show Eve"),
        "wickgraph show: its --help drifted (line ",
    )


def test_readme_first_screen_links_the_reference_and_the_changelog() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:40])
    for target in ("docs/cli.md", "CHANGELOG.md"):
        assert f"]({target})" in first_screen, target
        assert (ROOT / target).is_file(), target


def test_changelog_has_unreleased_and_the_current_version() -> None:
    from wickgraph import __version__

    headings = [
        line for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines() if line.startswith("## ")
    ]
    assert headings[0] == "## Unreleased"
    assert headings[1].startswith(f"## {__version__} - "), headings[1]
