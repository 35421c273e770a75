"""The examples of the README's data-model section run, and print what the README shows (numbers included)."""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from _readme import section
from wickgraph.cli import cli

SECTION = section("## The data model")


def _examples() -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for each ``$ wickgraph …`` line of the section's console blocks,
    indented ones (inside a list item) included."""
    examples = []
    for block in re.findall(r"( *)```console\n(.*?)```", SECTION, flags=re.S):
        lines = textwrap.dedent(block[1]).splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ wickgraph "):
                shown = []
                for after in lines[i + 1 :]:
                    if after.startswith("$ "):
                        break
                    shown.append(after)
                examples.append((line[2:], shown))
    return examples


EXAMPLES = _examples()


def test_the_section_shows_supersession_and_date_windows() -> None:
    commands = [c for c, _ in EXAMPLES]
    assert any(c.startswith("wickgraph show") for c in commands)
    assert any("--as-of" in c for c in commands)
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_data_model_example(built_store: Path, command: str, shown: list[str]) -> None:
    result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    produced = result.output.splitlines()
    # Every line shown appears in the output, in order; "..." stands for lines left out, "…" cuts a wide line.
    position = 0
    for line in shown:
        if line.strip() == "...":
            continue
        cut = line.split("…")[0].rstrip()
        matches = [j for j in range(position, len(produced)) if produced[j].startswith(cut)]
        assert matches, f"README shows {line!r}, the command printed:\n{result.output}"
        position = matches[0] + 1
