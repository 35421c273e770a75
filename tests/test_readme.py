"""The README's examples run, and print what the README says they print."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from wickgraph.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
QUICKSTART = README[README.index("## Quickstart") : README.index("## The data model")]
"""The examples run here need only the built graph; other sections' examples (servers, notebooks) are run by
the tests of those features."""


def _console_examples() -> list[tuple[str, str | None, list[str]]]:
    """(command, stdin, the output lines shown right after it) for every `$ wickgraph …` line."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", QUICKSTART, flags=re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if "$ " not in line or "wickgraph " not in line:
                continue
            command = line.split("$ ", 1)[1]
            stdin = None
            if command.startswith("echo "):
                echoed, command = command.split(" | ", 1)
                stdin = shlex.split(echoed)[1]
            shown = []
            for after in lines[i + 1 :]:
                if after.startswith("$ ") or after == "...":
                    break
                shown.append(after)
            examples.append((command, stdin, shown))
    return examples


EXAMPLES = _console_examples()


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 8


def _shape(line: str, store: Path) -> str:
    """A build's output without what differs from run to run: the store path and the time it took (the counts
    of triples, entities, claims and citations are compared as printed)."""
    line = line.replace(str(store), "STORE").replace("/root/.local/share/wickgraph/store", "STORE")
    return re.sub(r"^(\s*in )\d+(\.\d+)? s$", r"\1# s", line)


@pytest.mark.parametrize(("command", "stdin", "shown"), EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_console_example(
    built_store: Path, tmp_path: Path, sources_dir: Path, command: str, stdin: str | None, shown: list[str]
) -> None:
    args = shlex.split(command)[1:]
    store = tmp_path / "store" if args[0] == "build" else built_store  # the build example writes a fresh store
    extra = ["--sources", str(sources_dir)] if args[0] == "build" else []
    result = CliRunner().invoke(cli, [*args, "--store", str(store), *extra], input=stdin)
    assert result.exit_code == 0, result.output
    produced = result.output.splitlines()
    if args[0] == "build":
        produced = [_shape(line, store) for line in produced]
        shown = [_shape(line, store) for line in shown]
    # Every line the README shows appears in the real output, in order (wide tables are cut with "…" there).
    position = 0
    for line in shown:
        cut = line.split("…")[0].rstrip()
        matches = [j for j in range(position, len(produced)) if produced[j].startswith(cut)]
        assert matches, f"README shows {line!r}, the command printed:\n{result.output}"
        position = matches[0] + 1


def test_python_example(built_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", QUICKSTART, flags=re.S)
    code = code.replace('wickgraph.build("/tmp/wick")', "pass").replace('"/tmp/wick"', repr(str(built_store)))
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "https://w3id.org/wickgraph/id/ana-de-armas" in out and "True" in out
    assert "['no date yet', 'planned', 'postponed']" in out
