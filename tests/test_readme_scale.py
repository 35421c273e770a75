"""The README's "Scale and benchmarks" examples run, and print what the README shows (timings aside)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from wickgraph.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, list[str]]]:
    start = README.index("## Scale and benchmarks")
    end = README.find("\n## ", start + 10)
    section = README[start : end if end >= 0 else len(README)]
    examples = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
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
