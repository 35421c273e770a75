"""The README, its sections and the `$ wickgraph …` examples they show (for the tests that run them)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The README from ``heading`` to the next second-level heading."""
    start = README.index(heading)
    end = README.find("\n## ", start + len(heading))
    return README[start : end if end >= 0 else len(README)]


def wickgraph_examples(text: str, fence: str = "console") -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for each ``$ wickgraph …`` line in the ``fence`` blocks of ``text``,
    indented ones (inside a list item) included."""
    examples = []
    for block in re.findall(rf"```{fence}\n(.*?)```", text, flags=re.S):
        lines = textwrap.dedent(block).splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ wickgraph "):
                shown = []
                for after in lines[i + 1 :]:
                    if after.startswith("$ "):
                        break
                    shown.append(after)
                examples.append((line[2:], shown))
    return examples
