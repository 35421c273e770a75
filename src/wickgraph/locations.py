"""Where wickgraph finds its ontology, data, source texts and store, unless told.

- ontology and data: the repository's ``ontology/`` and ``data/`` (an editable install or a checkout), else the
  copies bundled in the wheel (``wickgraph/_bundled/``);
- the store: ``$WICKGRAPH_STORE``, else ``~/.local/share/wickgraph/store`` (``$XDG_DATA_HOME`` is honoured);
- source texts: ``$WICKGRAPH_SOURCES``, else ``../shared/sources`` beside the repository, when it exists.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_data_dir", "default_ontology_dir", "default_sources_dir", "default_store_path"]

_PACKAGE = Path(__file__).resolve().parent


def _repo_root() -> Path | None:
    root = _PACKAGE.parent.parent
    return root if (root / "ontology").is_dir() and (root / "data").is_dir() else None


def _resource(name: str) -> Path:
    root = _repo_root()
    if root is not None:
        return root / name
    return _PACKAGE / "_bundled" / name


def default_ontology_dir() -> Path:
    """The ontology directory (OWL vocabulary, SHACL shapes, build rules)."""
    return _resource("ontology")


def default_data_dir() -> Path:
    """The data directory (entity registry and the claims of every source)."""
    return _resource("data")


def default_store_path() -> Path:
    """The store directory used when no ``--store`` is given."""
    if os.environ.get("WICKGRAPH_STORE"):
        return Path(os.environ["WICKGRAPH_STORE"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "wickgraph" / "store"


def default_sources_dir() -> Path | None:
    """The directory of held source texts, or ``None`` when there is none to be found."""
    if os.environ.get("WICKGRAPH_SOURCES"):
        return Path(os.environ["WICKGRAPH_SOURCES"])
    root = _repo_root()
    if root is not None and (root.parent / "shared" / "sources").is_dir():
        return root.parent / "shared" / "sources"
    return None
