"""Byte for byte: the commands print (and write) the same on the embedded store, `oxigraph serve` and Virtuoso.

Every named query, `show` (with and without `--as-of`), `verify-sources`, `export` and `viz`, run through the
CLI against each backend; the outputs are compared with the embedded store's as bytes, so row order, number
forms, booleans and lists must all agree.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wickgraph import named_queries
from wickgraph.cli import cli
from wickgraph.testing.oxigraph_server import OxigraphServer
from wickgraph.testing.virtuoso_server import VirtuosoServer

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def backends(
    built_store: Path,
    oxigraph_plain: OxigraphServer,
    virtuoso: VirtuosoServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Run]:
    """A CLI runner per backend: the same command with --store, or with --endpoint of each server."""
    config = tmp_path_factory.mktemp("config") / "none.toml"
    env = {"WICKGRAPH_STORE": "", "WICKGRAPH_ENDPOINT": "", "WICKGRAPH_CONFIG": str(config)}
    target = {
        "embedded": ["--store", str(built_store)],
        "oxigraph": ["--endpoint", oxigraph_plain.endpoint().query, "--timeout", "600"],
        "virtuoso": ["--endpoint", virtuoso.url + "/sparql", "--union", "client", "--timeout", "600"],
    }

    def runner(name: str) -> Run:
        def run(*args: str) -> Result:
            result = CliRunner().invoke(cli, [*args, *target[name]], env=env)
            assert result.exit_code == 0, f"{name}: {args}: {result.output}"
            return result

        return run

    runners = {name: runner(name) for name in target}
    runners["embedded"].location = str(built_store)  # type: ignore[attr-defined]
    runners["oxigraph"].location = oxigraph_plain.endpoint().query  # type: ignore[attr-defined]
    runners["virtuoso"].location = virtuoso.url + "/sparql"  # type: ignore[attr-defined]
    return runners


def _written(run: Run, path: Path) -> str:
    """What a command wrote, with the backend's location (which the export records) made one word."""
    return path.read_text(encoding="utf-8").replace(run.location, "LOCATION")  # type: ignore[attr-defined]


def _alike(backends: dict[str, Run], *args: str) -> str:
    expected = backends["embedded"](*args).stdout
    assert expected.strip(), f"{args} printed nothing: the comparison would prove nothing"
    for name in ("oxigraph", "virtuoso"):
        got = backends[name](*args).stdout
        assert got == expected, f"{name} differs from the embedded store for {args}:\n" + _diff(expected, got)
    return expected


def _diff(expected: str, got: str) -> str:
    import difflib

    lines = difflib.unified_diff(expected.splitlines(), got.splitlines(), "embedded", "server", n=0, lineterm="")
    return "\n".join(list(lines)[:12])


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_prints_alike(backends: dict[str, Run], name: str) -> None:
    _alike(backends, "query", name, "--format", "tsv")


def test_named_query_as_of_prints_alike(backends: dict[str, Run]) -> None:
    printed = _alike(backends, "query", "release-history", "--as-of", "2024-01-03", "--format", "csv")
    assert "2024-01-03" in printed


def test_show_prints_alike(backends: dict[str, Run]) -> None:
    card = _alike(backends, "show", "Ballerina")
    assert card.count("[superseded]") >= 2  # the marks survive every server's booleans
    _alike(backends, "show", "Ballerina", "--as-of", "2024-01-03")
    _alike(backends, "show", "Ruska Roma")


def test_verify_sources_prints_alike(backends: dict[str, Run], sources_dir: Path) -> None:
    _alike(backends, "verify-sources", "--sources", str(sources_dir))


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_export_writes_alike(backends: dict[str, Run], tmp_path: Path, fmt: str) -> None:
    written = {}
    for name, run in backends.items():
        path = tmp_path / f"{name}.{fmt}"
        run("export", "-o", str(path))
        written[name] = _written(run, path)
    assert len(written["embedded"]) > 10_000
    assert "LOCATION" in written["embedded"]
    assert written["oxigraph"] == written["embedded"], _diff(written["embedded"], written["oxigraph"])
    assert written["virtuoso"] == written["embedded"], _diff(written["embedded"], written["virtuoso"])


def test_viz_writes_alike(backends: dict[str, Run], tmp_path: Path) -> None:
    written = {}
    for name, run in backends.items():
        path = tmp_path / f"{name}.html"
        run("viz", "--focus", "Ballerina", "-o", str(path))
        written[name] = _written(run, path)
    assert "Ballerina" in written["embedded"]
    assert written["oxigraph"] == written["embedded"], _diff(written["embedded"], written["oxigraph"])
    assert written["virtuoso"] == written["embedded"], _diff(written["embedded"], written["virtuoso"])
