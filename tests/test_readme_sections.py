"""The examples of the README's NetworkX and HTML view sections run, and print what the README shows."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import wickgraph
from wickgraph.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
HEADINGS = ("## NetworkX: exports, projections, analyses", "## The HTML graph view")


def _section(heading: str) -> str:
    start = README.index(heading)
    end = README.find("\n## ", start + len(heading))
    return README[start : end if end >= 0 else len(README)]


SECTIONS = "\n".join(_section(h) for h in HEADINGS)
PYCON = re.findall(r"```pycon\n(.*?)```", SECTIONS, flags=re.S)


def _console() -> list[tuple[str, list[str]]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)```", SECTIONS, flags=re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ wickgraph "):
                shown = []
                for after in lines[i + 1 :]:
                    if after.startswith("$ "):
                        break
                    shown.append(after)
                examples.append((line[2:], shown))
    return examples


CONSOLE = _console()


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
