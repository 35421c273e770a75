"""Which graph a face opens: the one rule of :func:`wickgraph.config.resolve_target`, through all three faces.

Each candidate names a different place that does not answer: a store directory that holds no build, or a SPARQL
URL on a closed port of 127.0.0.1. The error a face reports says which one it chose, so a face that follows
another rule fails here. One case per face also opens the real built graph, chosen by the default rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import wickgraph
from wickgraph.cli import cli
from wickgraph.config import Target, resolve_target
from wickgraph.errors import ConflictingTargetsError, UsageError
from wickgraph.store.local import free_port

ASK = "ASK { wgd:ballerina wg:director wgd:len-wiseman }"
VARIABLES = (
    "WICKGRAPH_STORE",
    "WICKGRAPH_ENDPOINT",
    "WICKGRAPH_UPDATE_ENDPOINT",
    "WICKGRAPH_GRAPH_STORE_ENDPOINT",
    "WICKGRAPH_USER",
    "WICKGRAPH_PASSWORD",
    "WICKGRAPH_TOKEN",
    "WICKGRAPH_TIMEOUT",
    "WICKGRAPH_UNION",
)


class Places:
    """The candidates: a store and an endpoint for each level, none of which answers."""

    def __init__(self, root: Path) -> None:
        port = free_port()
        self.root = root
        self.arg_store = root / "arg-store"
        self.env_store = root / "env-store"
        self.default_store = root / "xdg" / "wickgraph" / "store"
        self.arg_endpoint = f"http://127.0.0.1:{port}/arg/query"
        self.env_endpoint = f"http://127.0.0.1:{port}/env/query"
        self.config_endpoint = f"http://127.0.0.1:{port}/config/query"
        self.config = root / "config.toml"

    def name(self, place: str) -> str:
        return str(getattr(self, place))


@pytest.fixture()
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Places]:
    """A clean environment: no WICKGRAPH_* settings, no config file, the default store under tmp_path."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    found = Places(tmp_path)
    monkeypatch.setenv("WICKGRAPH_CONFIG", str(found.config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    yield found


def _settle(places: Places, monkeypatch: pytest.MonkeyPatch, env: tuple[str, ...], config: bool) -> None:
    if "store" in env:
        monkeypatch.setenv("WICKGRAPH_STORE", str(places.env_store))
    if "endpoint" in env:
        monkeypatch.setenv("WICKGRAPH_ENDPOINT", places.env_endpoint)
    if config:
        places.config.write_text(f'[endpoint]\nquery = "{places.config_endpoint}"\ntimeout = 5\n', encoding="utf-8")


def _via_library(places: Places, args: tuple[str, ...]) -> str:
    """What open_graph() reports, with the arguments as keywords (none: its own default)."""
    kwargs = {}
    if "store" in args:
        kwargs["store"] = str(places.arg_store)
    if "endpoint" in args:
        kwargs["endpoint"] = places.arg_endpoint
    try:
        with wickgraph.open_graph(**kwargs) as kg:  # type: ignore[arg-type]
            return f"answered {kg.ask(ASK)}"
    except wickgraph.WickgraphError as exc:
        return f"{type(exc).__name__}: {exc}"


def _via_cli(places: Places, args: tuple[str, ...]) -> str:
    """What ``wickgraph query`` prints, with the arguments as flags."""
    flags = []
    if "store" in args:
        flags += ["--store", str(places.arg_store)]
    if "endpoint" in args:
        flags += ["--endpoint", places.arg_endpoint]
    result = CliRunner().invoke(cli, ["query", ASK, "--format", "csv", *flags])
    return result.output.strip()


def _via_magic(places: Places, args: tuple[str, ...]) -> str:
    """What the %%sparql magic raises or answers, with the arguments as its options."""
    from IPython.core.error import UsageError as MagicUsageError
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.run_line_magic("load_ext", "wickgraph")
    line = []
    if "store" in args:
        line += ["--store", str(places.arg_store)]
    if "endpoint" in args:
        line += ["--endpoint", places.arg_endpoint]
    try:
        answer = shell.run_cell_magic("sparql", " ".join(line), ASK)
    except MagicUsageError as exc:
        return str(exc)
    finally:
        shell.magics_manager.registry["SparqlMagics"].close()
    return f"answered {answer}"


FACES: dict[str, Callable[[Places, tuple[str, ...]], str]] = {
    "library": _via_library,
    "cli": _via_cli,
    "magic": _via_magic,
}

# (arguments given, environment variables set, config file present) -> the place the face must use
RULES = [
    (("store",), (), False, "arg_store"),
    (("endpoint",), (), False, "arg_endpoint"),
    ((), ("store",), False, "env_store"),
    ((), ("endpoint",), False, "env_endpoint"),
    ((), (), True, "config_endpoint"),
    ((), (), False, "default_store"),
    (("store",), ("endpoint",), True, "arg_store"),
    (("endpoint",), ("store",), True, "arg_endpoint"),
    (("store",), ("store", "endpoint"), False, "arg_store"),
    ((), ("store",), True, "env_store"),
    ((), ("endpoint",), True, "env_endpoint"),
]


@pytest.mark.parametrize("face", sorted(FACES))
@pytest.mark.parametrize(("args", "env", "config", "expected"), RULES)
def test_each_face_follows_the_precedence_rule(
    face: str,
    args: tuple[str, ...],
    env: tuple[str, ...],
    config: bool,
    expected: str,
    places: Places,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if face == "magic":
        pytest.importorskip("IPython")
    _settle(places, monkeypatch, env, config)
    reported = FACES[face](places, args)
    assert places.name(expected) in reported, reported
    others = [p for p in ("arg_store", "env_store", "default_store") if p != expected]
    others += [p for p in ("arg_endpoint", "env_endpoint", "config_endpoint") if p != expected]
    assert not [p for p in others if places.name(p) in reported], reported
    if expected.endswith("store"):
        assert "no wickgraph store at" in reported
    else:
        # Nothing listens there: each face reports it in its own form, naming the endpoint it tried.
        prefix = "Error: " if face == "cli" else "EndpointUnreachableError: "
        refused = "connection refused: is the server running, and on that port?"
        assert reported == f"{prefix}{places.name(expected)}: {refused}"


CONFLICTS = {
    ("library", "argument"): "ConflictingTargetsError: open_graph() takes a store or an endpoint, not both",
    ("library", "environment"): "ConflictingTargetsError: WICKGRAPH_STORE and WICKGRAPH_ENDPOINT are both set: use one",
    ("cli", "argument"): "Error: --store and --endpoint are both given on the command line: use one",
    ("cli", "environment"): "Error: WICKGRAPH_STORE and WICKGRAPH_ENDPOINT are both set: use one",
    ("magic", "argument"): "%%sparql takes one of --store, --endpoint, --graph (got --store, --endpoint)",
    ("magic", "environment"): "ConflictingTargetsError: WICKGRAPH_STORE and WICKGRAPH_ENDPOINT are both set: use one",
}


@pytest.mark.parametrize(("face", "where"), sorted(CONFLICTS))
def test_a_store_and_an_endpoint_at_the_same_level_is_refused_by_every_face(
    face: str, where: str, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    if face == "magic":
        pytest.importorskip("IPython")
    if where == "argument":
        _settle(places, monkeypatch, (), True)
        reported = FACES[face](places, ("store", "endpoint"))
    else:
        _settle(places, monkeypatch, ("store", "endpoint"), True)
        reported = FACES[face](places, ())
    assert CONFLICTS[face, where] in reported.splitlines()[-1], reported


@pytest.mark.parametrize("face", sorted(FACES))
def test_the_default_store_is_the_real_graph_when_built_there(
    face: str, places: Places, built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if face == "magic":
        pytest.importorskip("IPython")
    places.default_store.parent.mkdir(parents=True)
    places.default_store.symlink_to(built_store)
    assert FACES[face](places, ()) == ("true" if face == "cli" else "answered True")


def test_the_library_messages_name_parameters_not_flags(places: Places, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConflictingTargetsError) as info:
        resolve_target(store="/a", endpoint="http://127.0.0.1:9/query")
    assert str(info.value) == "store and endpoint are both given: use one"
    assert info.value.where == "argument"
    assert isinstance(info.value, UsageError) and isinstance(info.value, ValueError)
    monkeypatch.setenv("WICKGRAPH_TIMEOUT", "soon")
    with pytest.raises(UsageError, match=r"^WICKGRAPH_TIMEOUT is 'soon': give a number of seconds$"):
        resolve_target()
    with pytest.raises(UsageError, match=r"^timeout must be a positive number of seconds, not -1$"):
        resolve_target(store="/a", timeout=-1)
    with pytest.raises(UsageError, match=r"^timeout must be a positive number of seconds, not 'soon'$"):
        resolve_target(store="/a", timeout="soon")  # type: ignore[arg-type]


def test_the_endpoint_settings_come_from_arguments_then_environment_then_file(
    places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    places.config.write_text(
        f'[endpoint]\nquery = "{places.config_endpoint}"\nuser = "file-user"\npassword = "file-pw"\ntimeout = 7\n',
        encoding="utf-8",
    )
    target = resolve_target()
    assert target.origin == "config" and target.endpoint is not None
    assert (target.endpoint.query, target.endpoint.user, target.endpoint.timeout) == (
        places.config_endpoint,
        "file-user",
        7.0,
    )
    monkeypatch.setenv("WICKGRAPH_USER", "env-user")
    monkeypatch.setenv("WICKGRAPH_TIMEOUT", "3")
    target = resolve_target(timeout=2)
    assert target.endpoint is not None
    assert (target.endpoint.user, target.endpoint.password, target.endpoint.timeout) == ("env-user", "file-pw", 2.0)
    # Another server named in the environment: the file's credentials are not sent to it.
    monkeypatch.setenv("WICKGRAPH_ENDPOINT", places.env_endpoint)
    target = resolve_target()
    assert target.origin == "environment" and target.endpoint is not None
    assert (target.endpoint.query, target.endpoint.user, target.endpoint.password) == (
        places.env_endpoint,
        "env-user",
        None,
    )


def test_a_store_target_carries_the_timeout(places: Places, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WICKGRAPH_TIMEOUT", "4")
    assert resolve_target(places.arg_store) == Target(places.arg_store, None, "argument", 4.0)
    assert resolve_target() == Target(places.default_store, None, "default", 4.0)
