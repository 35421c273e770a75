"""The one reader of the documentation: README.md and docs/*.md, their sections, and the example blocks in them.

``tests/test_docs_examples.py`` runs every ``console`` and ``pycon`` block of every page; the tests of a
feature that needs more than the built graph (a SPARQL server) read their section here too.
A block that cannot run in the tests says why in an HTML comment on the line before its fence:
``<!-- not-run: needs 40 minutes -->``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GENERATED = ("cli.md", "queries.md")
"""Pages written by a script from the code (their own tests compare them)."""


def pages() -> list[str]:
    """Every page, as a path relative to the repository root: README.md first, then docs/*.md."""
    return ["README.md", *(f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")))]


def read(page: str = "README.md") -> str:
    return (ROOT / page).read_text(encoding="utf-8")


README = read()

_HEADING = re.compile(r"^(#{1,6}) (.+)$", re.M)


def section(heading: str, page: str | None = None) -> str:
    """The text from ``heading`` (``"## Title"``; the title is matched whatever its level) to the next heading
    of the same or a higher level, in ``page`` or else in the first page that has it."""
    title = heading.lstrip("#").strip()
    for name in [page] if page else pages():
        text = read(name)
        in_fence = False
        headings = []
        offset = 0
        for line in text.splitlines(keepends=True):
            if line.startswith("```"):
                in_fence = not in_fence
            elif not in_fence and (found := _HEADING.match(line)):
                headings.append((offset, len(found.group(1)), found.group(2).strip()))
            offset += len(line)
        for i, (start, level, found_title) in enumerate(headings):
            if found_title == title:
                end = next((s for s, lv, _ in headings[i + 1 :] if lv <= level), len(text))
                return text[start:end]
    raise LookupError(f"no heading {title!r} in {page or 'any page'}")


@dataclass(frozen=True)
class Block:
    """A fenced block of a page: where it starts (the fence's line, from 1), its language and text, and the
    reason it is not run, if the page gives one."""

    page: str
    line: int
    fence: str
    text: str
    not_run: str | None = None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


_NOT_RUN = re.compile(r"^\s*<!--\s*not-run:\s*(.*?)\s*-->\s*$")


def blocks(page: str, fences: tuple[str, ...] = ("console", "pycon")) -> list[Block]:
    """The fenced blocks of ``page`` in those languages, indented ones (inside a list item) included."""
    found = []
    lines = read(page).splitlines()
    i = 0
    while i < len(lines):
        opening = re.match(r"^(\s*)```(\S*)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        fence = opening.group(2)
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        if fence in fences:
            before = lines[i - 1] if i else ""
            reason = _NOT_RUN.match(before)
            body = textwrap.dedent("\n".join(lines[i + 1 : end]))
            found.append(Block(page, i + 1, fence, body + "\n", reason.group(1) if reason else None))
        i = end + 1
    return found


def all_blocks() -> list[Block]:
    return [block for page in pages() if page.removeprefix("docs/") not in GENERATED for block in blocks(page)]


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


def check_generator(module: str, written: Path, committed: str, count: str, drifted: str, complaint: str) -> None:
    """The script of a generated page (``python -m MODULE FILE``) writes the committed text, saying ``wrote FILE
    (COUNT)``, and ``--check FILE`` passes on it; with ``drifted`` (a hand-edited copy) in the file, ``--check``
    fails with exit 1 and one line that starts ``FILE: COMPLAINT``."""
    script = [sys.executable, "-m", module]
    run = subprocess.run([*script, str(written)], capture_output=True, text=True, check=True)
    assert run.stdout == f"wrote {written} ({count})\n"
    assert written.read_text(encoding="utf-8") == committed
    ok = subprocess.run([*script, "--check", str(written)], capture_output=True, text=True)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert drifted != committed
    written.write_text(drifted, encoding="utf-8")
    bad = subprocess.run([*script, "--check", str(written)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"{written}: {complaint}")
    assert len(bad.stderr.splitlines()) == 1
