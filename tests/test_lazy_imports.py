"""The package imports its public names lazily: each one still resolves to the right object, however the
submodules were imported before, and importing the package alone loads no heavy library."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import wickgraph


def test_no_public_name_is_replaced_by_a_module_of_the_same_name() -> None:
    # Importing a submodule sets the package attribute of its name: a function with the name of a module
    # (wickgraph.build, wickgraph.push) must survive every submodule being imported.
    for module in pkgutil.walk_packages(wickgraph.__path__, "wickgraph."):
        if module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
    for name in wickgraph.__all__:
        assert not isinstance(getattr(wickgraph, name), types.ModuleType), f"wickgraph.{name} is a module"
    from wickgraph.building.builder import build
    from wickgraph.publish import push
    from wickgraph.synthetic import generate

    assert (wickgraph.build, wickgraph.push, wickgraph.generate) == (build, push, generate)


def test_importing_the_package_loads_only_what_a_query_needs() -> None:
    code = (
        "import sys, wickgraph; "
        "print(','.join(sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'pyvis', 'SPARQLWrapper', 'pandas', "
        "'wickgraph.entity', 'wickgraph.citations', 'wickgraph.synthetic', 'wickgraph.building.builder') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
