"""The build rules: SPARQL Update files in ``ontology/rules/``, run in name order on the staging store."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store as OxStore

from ..errors import DataError

__all__ = ["apply_rules", "rule_files"]


def rule_files(ontology_dir: Path) -> list[Path]:
    """The ``*.ru`` files, in the order they run."""
    return sorted((ontology_dir / "rules").glob("*.ru"))


def apply_rules(store: OxStore, ontology_dir: Path) -> int:
    """Run every rule file; return the number of quads added."""
    before = len(store)
    for path in rule_files(ontology_dir):
        try:
            store.update(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise DataError(f"{path}: the rule does not parse: {exc}") from None
    return len(store) - before
