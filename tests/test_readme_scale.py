"""The README's "Scale and benchmarks" examples run, and print what the README shows (timings aside)."""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from _readme import section, wickgraph_examples
from wickgraph.cli import cli


def _examples() -> list[tuple[str, list[str]]]:
    return wickgraph_examples(section("## Scale and benchmarks"))


def test_the_scale_examples_print_what_the_readme_shows(tmp_path: Path) -> None:
    examples = _examples()
    assert [shlex.split(command)[1] for command, _ in examples] == ["generate", "build", "query"]
    runner = CliRunner()
    for command, shown in examples:
        args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(command)[1:]]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        printed = [
            line.replace(f"{tmp_path}/", "/tmp/")
            for line in result.stdout.replace("\r\n", "\n").splitlines()
            if not line.startswith("  in ")  # how long it took: not shown in the README
        ]
        assert printed == shown, command
