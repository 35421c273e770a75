"""The README's `pycon` examples (NetworkX and HTML view sections) run and print what the README shows."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import wickgraph

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```pycon\n(.*?)```", README, flags=re.S)


def test_the_readme_has_pycon_examples() -> None:
    assert BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_pycon_block(block: str, kg: wickgraph.KnowledgeGraph) -> None:
    test = doctest.DocTestParser().get_doctest(block, {"wickgraph": wickgraph, "kg": kg}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output: list[str] = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)
