"""The examples of the README's NetworkX and HTML view sections run, and print what the README shows."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import wickgraph
from _readme import section, wickgraph_examples
from wickgraph.cli import cli

HEADINGS = ("## NetworkX: exports, projections, analyses", "## The HTML graph view")
SECTIONS = "\n".join(section(h) for h in HEADINGS)
PYCON = re.findall(r"```pycon\n(.*?)```", SECTIONS, flags=re.S)
CONSOLE = wickgraph_examples(SECTIONS)


def test_the_sections_have_examples() -> None:
    assert len(PYCON) >= 2 and len(CONSOLE) >= 8


@pytest.mark.parametrize("block", PYCON, ids=[f"pycon{i}" for i in range(len(PYCON))])
def test_pycon_block(block: str, kg: wickgraph.KnowledgeGraph) -> None:
    test = doctest.DocTestParser().get_doctest(block, {"wickgraph": wickgraph, "kg": kg}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output: list[str] = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)


@pytest.mark.parametrize(("command", "shown"), CONSOLE, ids=[c[:60] for c, _ in CONSOLE])
def test_console_example(built_store: Path, command: str, shown: list[str]) -> None:
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, [*args, "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    produced = result.output.splitlines()
    # Every line shown appears in the real output, in order ("…" cuts a line that varies, such as a file size).
    position = 0
    for line in shown:
        cut = line.split("…")[0].rstrip()
        matches = [j for j in range(position, len(produced)) if produced[j].startswith(cut)]
        assert matches, f"README shows {line!r}, the command printed:\n{result.output}"
        position = matches[0] + 1
