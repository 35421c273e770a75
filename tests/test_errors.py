"""The one exception tree: every exception class wickgraph defines is in wickgraph.errors, under WickgraphError,
drawn in the module's tree, and still importable from where it used to live."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from collections.abc import Callable

import pytest

import wickgraph
from wickgraph import errors

# Raised and caught inside one function each, never seen by a caller: a finished HTTP response leaving a WSGI
# handler early, and an HTTP 401 carrying the EndpointError to raise when the challenge cannot be answered.
_PRIVATE_SIGNALS = {"wickgraph.server.responses._Response", "wickgraph.store.auth._Unauthorized"}


def _exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(wickgraph.__path__, "wickgraph."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__.startswith("wickgraph"):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def test_every_exception_class_is_in_the_tree() -> None:
    classes = _exception_classes()
    assert "wickgraph.errors.WickgraphError" in classes
    outside = sorted(name for name in classes if not name.startswith("wickgraph.errors."))
    assert outside == sorted(_PRIVATE_SIGNALS)
    for name, cls in classes.items():
        if name not in _PRIVATE_SIGNALS:
            assert issubclass(cls, errors.WickgraphError), name


def test_errors_all_and_tree_drawing_name_every_class() -> None:
    defined = {n for n, c in vars(errors).items() if inspect.isclass(c) and issubclass(c, BaseException)}
    assert set(errors.__all__) == defined
    drawing = errors.__doc__ or ""
    assert "\n    WickgraphError\n" in drawing
    for name in defined - {"WickgraphError"}:
        assert drawing.count(f"── {name} ") == 1, name


def test_moved_classes_still_import_from_their_old_places() -> None:
    from wickgraph.notebook.execute import NotebookError
    from wickgraph.server.graphview import GraphViewUnavailableError
    from wickgraph.server.guard import UpdateTokenError
    from wickgraph.server.protocol import ProtocolError
    from wickgraph.testing.chromium import ChromiumError

    assert NotebookError is errors.NotebookError
    assert GraphViewUnavailableError is errors.GraphViewUnavailableError
    assert UpdateTokenError is errors.UpdateTokenError
    assert issubclass(UpdateTokenError, errors.QueryRefusedError)
    assert ProtocolError is errors.ProtocolError
    assert ChromiumError is errors.ChromiumError
    refusal = ProtocolError(406, "cannot answer in image/png", {"Vary": "Accept"})
    assert (str(refusal), refusal.status, refusal.headers) == (
        "406: cannot answer in image/png",
        406,
        {"Vary": "Accept"},
    )


def test_bad_arguments_raise_tree_members_that_are_still_the_builtins() -> None:
    import io

    import networkx as nx

    from wickgraph.analysis import centrality
    from wickgraph.notebook.frames import to_dataframe
    from wickgraph.output import write_result
    from wickgraph.projections import project
    from wickgraph.publish import push
    from wickgraph.results import GraphResult, SelectResult
    from wickgraph.server.guard import Policy

    cases: list[tuple[Callable[[], object], type[Exception], type[Exception], str]] = [
        (lambda: push("http://127.0.0.1:9/query", batch_size=0), errors.UsageError, ValueError, "batch_size"),
        (lambda: Policy(allow_updates=True), errors.UsageError, ValueError, "updates need a token"),
        (lambda: write_result(True, io.StringIO(), "xls"), errors.UsageError, ValueError, "unknown format 'xls'"),
        (lambda: GraphResult([]).write(io.StringIO(), "xls"), errors.UsageError, ValueError, "unknown RDF format"),
        (lambda: centrality(nx.Graph(), "pagerank"), errors.UsageError, ValueError, "degree or betweenness"),
        (
            lambda: project(nx.MultiDiGraph(), "co-star", as_of="2024-01-01"),
            errors.UsageError,
            ValueError,
            "as_of needs a KnowledgeGraph",
        ),
        (lambda: SelectResult(["x"], []).column("y"), errors.UnknownVariableError, KeyError, "it has x"),
        (lambda: to_dataframe(True), errors.QueryFormError, TypeError, "not bool"),  # type: ignore[arg-type]
    ]
    for call, tree_class, builtin, words in cases:
        with pytest.raises(tree_class, match=re.escape(words)) as caught:
            call()
        assert isinstance(caught.value, builtin) and isinstance(caught.value, errors.WickgraphError)
        assert "\n" not in str(caught.value) and not str(caught.value).startswith("'")


def test_a_streamed_result_read_twice_says_so() -> None:
    from wickgraph.results import GraphResult, SelectResult

    rows, triples = SelectResult(["x"], iter([])), GraphResult(iter([]))
    for result in (rows, triples):
        assert list(result.stream()) == []
        with pytest.raises(errors.ResultConsumedError, match="already streamed") as caught:
            list(result.stream())
        assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('wickgraph.push("http://127.0.0.1:9/query", batch_size=0)', "Error: batch_size must be at least 1, not 0"),
        (
            'project(nx.MultiDiGraph(), "co-star", as_of="2024-01-01")',
            "Error: as_of needs a KnowledgeGraph; an exported graph is already as of its export date",
        ),
    ],
)
def test_the_cli_reports_them_on_one_line(call: str, message: str) -> None:
    """A command that passes a bad argument to the library: one ``Error:`` line and status 1, no traceback."""
    code = (
        "import networkx as nx, wickgraph\n"
        "from wickgraph.cli import cli\n"
        "from wickgraph.projections import project\n"
        "@cli.command('misuse')\n"
        "def misuse() -> None:\n"
        f"    {call}\n"
        "cli(['misuse'], prog_name='wickgraph')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message + "\n")


# The `raise ValueError/TypeError/KeyError/RuntimeError` left in the package, each one internal: raised and
# caught inside the package (a fallback signal), or a programming error no user input reaches. By file and the
# start of the message, so that a new one must be either a tree member or added here with its reason.
_INTERNAL_BUILTIN_RAISES = {
    # a file-like's write() given bytes: the io protocol's own TypeError, for code that misuses the writer
    ("terminal.py", 'TypeError(f"write() argument must be str'),
    # a fact row without a value: the query guarantees it; caught nowhere because it cannot happen
    ("entity.py", 'ValueError("unbound value in a fact row'),
    # term conversions asked for a kind that does not exist: programming errors
    ("terms.py", 'TypeError(f"rdflib has no form for'),
    ("terms.py", 'TypeError(f"no pyoxigraph form for'),
    # a row's unbound variable: a KeyError, as a Mapping's missing key is
    ("terms.py", 'KeyError(f"?{variable} is unbound in this row'),
    # caught by the template filling, which reports the file
    ("sparql_lexer.py", 'ValueError("unbalanced braces'),
    # caught by the rule loader, which raises a DataError naming the rule file
    ("building/derive.py", 'ValueError(f"{name}: only INSERT'),
    ("building/derive.py", 'ValueError(f"{name}: cannot read'),
    ("building/derive.py", 'ValueError(f"{name}: INSERT without WHERE'),
    ("building/derive.py", 'ValueError(f"{name} #{len(found) + 1}: cannot read the INSERT'),
    # caught by the SPARQL-JSON reader, which raises EndpointResponseError naming the endpoint
    ("sparql_json.py", "ValueError(\"no 'head' member"),
    ("sparql_json.py", "ValueError(f\"'boolean' is {answer!r}"),
    ("sparql_json.py", 'ValueError(f"unknown term type {kind!r}'),
    # caught by the DataFrame column builder, which falls back to plain values
    ("display/frames.py", 'ValueError("a date with a time zone'),
    ("display/frames.py", 'ValueError("not all date-times'),
    ("display/frames.py", "ValueError(kind"),
    # a fast path given a graph it was not written for: a programming error
    ("networkx_export/builder.py", 'TypeError("direct filling needs an empty graph'),
}


def test_no_new_builtin_raise_outside_the_tree() -> None:
    package = next(iter(wickgraph.__path__))
    found = set()
    for path in sorted(__import__("pathlib").Path(package).rglob("*.py")):
        for match in re.finditer(r"raise ((?:ValueError|TypeError|KeyError|RuntimeError)\(.*)", path.read_text()):
            where = path.relative_to(package).as_posix()
            if not any(where == f and match[1].startswith(m) for f, m in _INTERNAL_BUILTIN_RAISES):
                found.add(f"{where}: raise {match[1]}")
    assert sorted(found) == []
