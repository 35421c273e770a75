"""Shared fixtures: the real graph built once per session, the held source texts, real SPARQL servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import wickgraph
from _pages import headless
from wickgraph.locations import default_data_dir, default_ontology_dir
from wickgraph.testing.oxigraph_server import OxigraphServer
from wickgraph.testing.virtuoso_server import VirtuosoServer

if TYPE_CHECKING:
    from wickgraph.testing.chromium import Chromium

REPO = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("WICKGRAPH_SOURCES") or REPO.parent / "shared" / "sources")


def _need_sources() -> Path:
    """The held source texts; a skip that says why, or a failure where the run requires them (CI)."""
    if (SOURCES / "cinemark-ballerina-what-we-know.txt").is_file():
        return SOURCES
    message = f"the held source texts are not at {SOURCES} (set WICKGRAPH_SOURCES to their directory)"
    if os.environ.get("WICKGRAPH_REQUIRE_SOURCES"):
        pytest.fail(message + "; this run requires them")
    pytest.skip(message)


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The directory of held source texts (../shared/sources)."""
    return _need_sources()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real graph, built once into a session temp directory by the full build, without the citation check
    (``citations=False``): it needs no held source texts. The tests of the citations use :func:`sources_dir`
    themselves; the build with the check on is tested in tests/test_build.py."""
    path = tmp_path_factory.mktemp("store") / "store"
    report = wickgraph.build(path, citations=False)
    assert report.citations_checked == 0 and report.claims > 0
    return path


@pytest.fixture()
def kg(built_store: Path) -> Iterator[wickgraph.KnowledgeGraph]:
    """The real graph, opened read-only."""
    with wickgraph.open_graph(built_store) as graph:
        yield graph


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ a test may break."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


@pytest.fixture()
def browser() -> Iterator[Chromium]:
    """A headless chromium, fresh for each test, that may reach 127.0.0.1 (the test's own server) and nothing
    else; without chromium the test skips (or fails where the run requires a browser). tests/test_pyvis.py and
    tests/test_viz_browser.py have their own, one per module, for files opened from disk."""
    yield from headless(allow_hosts=("127.0.0.1",))


@pytest.fixture(scope="session")
def ontology_dir() -> Path:
    return default_ontology_dir()


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["wickgraph"] = wickgraph


# ---- SPARQL servers: a real `oxigraph serve` (PyPI package `oxigraph`) on 127.0.0.1 ----------------------------
@pytest.fixture(scope="session")
def oxigraph_plain(built_store: Path) -> Iterator[OxigraphServer]:
    """A real `oxigraph serve`, filled by `wickgraph push` (named graphs, and their merge as default graph)."""
    with OxigraphServer() as server:
        wickgraph.push(server.endpoint(), built_store)
        yield server


@pytest.fixture(scope="session")
def oxigraph_union(built_store: Path) -> Iterator[OxigraphServer]:
    """A real `oxigraph serve --union-default-graph`, filled by `push --no-default-graph` (named graphs only)."""
    with OxigraphServer(union_default_graph=True) as server:
        wickgraph.push(server.endpoint(), built_store, default_graph=False)
        yield server


@pytest.fixture(scope="session")
def exported(built_store: Path):  # type: ignore[no-untyped-def]
    """The real graph exported to NetworkX once (treat as read-only)."""
    from wickgraph.networkx_export import to_networkx

    with wickgraph.open_graph(built_store) as graph:
        return to_networkx(graph)


# ---- a real Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1 ------------------------------------------------
def need_virtuoso() -> None:
    """Virtuoso's commands; a skip that says why, or a failure where the run requires them (CI)."""
    import shutil

    if shutil.which("virtuoso-t") and shutil.which("isql-vt"):
        return
    message = "Virtuoso is not installed (apt-get install virtuoso-opensource): the tests on Virtuoso do not run"
    if os.environ.get("WICKGRAPH_REQUIRE_VIRTUOSO"):
        pytest.fail(message + "; this run requires it")
    pytest.skip(message)


@pytest.fixture(scope="session")
def virtuoso(built_store: Path) -> Iterator[VirtuosoServer]:
    """A real Virtuoso 7 (its own database, ports and dba password), filled by `wickgraph push` with only the
    endpoint and credentials; Debian's row cap (ResultSetMaxRows 10,000)."""
    need_virtuoso()
    with VirtuosoServer() as server:
        wickgraph.push(server.endpoint(), built_store)
        yield server
