"""The one exception tree: every exception class wickgraph defines is in wickgraph.errors, under WickgraphError,
drawn in the module's tree, and still importable from where it used to live."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import wickgraph
from wickgraph import errors

# Raised and caught inside one function each, never seen by a caller: a finished HTTP response leaving a WSGI
# handler early, and an HTTP 401 carrying the EndpointError to raise when the challenge cannot be answered.
_PRIVATE_SIGNALS = {"wickgraph.server.app._Response", "wickgraph.store.remote._Unauthorized"}


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
    from wickgraph.viz._chromium import ChromiumError

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
