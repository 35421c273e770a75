"""The examples of the README's data-model section run, and print what the README shows (numbers included)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from _readme import section, wickgraph_examples
from wickgraph.cli import cli

SECTION = section("## The data model")


EXAMPLES = wickgraph_examples(SECTION)


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
