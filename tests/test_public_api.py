"""The public surface: __all__ is complete and sorted, and the CLI starts without heavy imports."""

from __future__ import annotations

import subprocess
import sys

import wickgraph


def test_all_is_sorted_and_complete() -> None:
    names = [n for n in dir(wickgraph) if not n.startswith("_") and n not in {"annotations"}]
    public = sorted(n for n in names if not isinstance(getattr(wickgraph, n), type(sys)))
    assert wickgraph.__all__ == sorted(wickgraph.__all__)
    assert sorted(set(public) | {"__version__"}) == sorted(wickgraph.__all__)


def test_cli_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, wickgraph.cli as c; c.cli(['--help'], standalone_mode=False); "
        "print('LOADED=' + ','.join(m for m in ('rdflib', 'pyshacl', 'networkx', 'pyvis', 'SPARQLWrapper', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED="
