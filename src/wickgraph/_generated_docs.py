"""What the generated reference pages (``docs/cli.md``, ``docs/queries.md``) share: comparing a committed page
with a fresh rendering section by section, and the ``[--check] [PATH]`` command line that writes or checks one.

Each generator supplies its own rendering, its own parser (a page's sections by name) and the words its messages
use (``--help prints`` or ``the header gives``; ``command`` or ``query``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GeneratedPage:
    """One generated page: where it lives, how it is made and read back, and how its messages speak."""

    module: str
    """The generator's module, as run with ``python -m``."""
    default_path: Path
    """Where the page is written, relative to the repository root."""
    render: Callable[[], str]
    """The fresh Markdown of the page."""
    parse: Callable[[str], dict[str, str]]
    """A page's sections: each entry's name and its text."""
    source: str
    """What the fresh text comes from, as a verb phrase: ``--help prints``."""
    noun: str
    """What one section documents: ``command``."""
    plural: str
    """The same, plural: ``commands``."""
    entries: str
    """The sections together, for a difference outside them: ``the commands' help``."""
    changed: Callable[[str], str]
    """The message for a section that differs, given its name (the first difference is appended in brackets)."""

    def first_difference(self, old: str, new: str) -> str:
        """The first line where ``old`` (the file) and ``new`` (the source) differ, with both texts."""
        old_lines, new_lines = old.splitlines(), new.splitlines()
        for number, (was, now) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
            if was != now:
                return f"line {number}: the file has {was!r}, {self.source} {now!r}"
        if len(old_lines) > len(new_lines):
            return f"line {len(new_lines) + 1}: the file has {old_lines[len(new_lines)]!r}, {self.source} no more"
        return f"line {len(old_lines) + 1}: {self.source} {new_lines[len(old_lines)]!r}, the file has no more"

    def drift(self, committed: str, fresh: str) -> list[str]:
        """One line per difference between a committed page and a freshly rendered one, naming the entry."""
        old, new = self.parse(committed), self.parse(fresh)
        problems = []
        for name, text in new.items():
            if name not in old:
                problems.append(f"{name}: not in the reference (a new {self.noun}?)")
            elif old[name] != text:
                problems.append(f"{name}: {self.changed(name)} ({self.first_difference(old[name], text)})")
        problems += [f"{name}: in the reference, but there is no such {self.noun}" for name in old if name not in new]
        if not problems and committed != fresh:
            where = self.first_difference(committed, fresh).replace(self.source, "the generator writes")
            problems.append(f"the reference's text outside {self.entries} differs ({where})")
        return problems

    def main(self, argv: list[str] | None = None) -> int:
        """``python -m MODULE [--check] [PATH]``: write the page, or (``--check``) print each drift and exit 1."""
        args = list(sys.argv[1:] if argv is None else argv)
        check = "--check" in args
        rest = [arg for arg in args if arg != "--check"]
        if len(rest) > 1 or any(arg.startswith("-") for arg in rest):
            print(f"usage: python -m {self.module} [--check] [PATH]", file=sys.stderr)
            return 2
        path = Path(rest[0]) if rest else self.default_path
        fresh = self.render()
        if check:
            committed = path.read_text(encoding="utf-8") if path.exists() else ""
            problems = self.drift(committed, fresh)
            for problem in problems:
                print(f"{path}: {problem}", file=sys.stderr)
            return 1 if problems else 0
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fresh, encoding="utf-8")
        print(f"wrote {path} ({len(self.parse(fresh))} {self.plural})")
        return 0
