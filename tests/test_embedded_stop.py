"""Embedded queries stop: Ctrl-C ends a runaway `wickgraph query`, and --timeout / timeout= stop one at the limit.

The runaway queries are a COUNT over a three-way cross product and an ORDER BY over a two-way one: on the real
graph each would run for hours. The tests send SIGINT to a real `wickgraph query` process while its query is
running (it has used CPU well past its start-up), and assert that it exits, with status 130 and one line; they
assert no tight time (a loaded machine may be slow), only that it ends within a generous bound.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wickgraph
from _results import as_rows
from _server import cpu_seconds, running
from wickgraph.errors import QuerySyntaxError, QueryTimeoutError

RUNAWAY_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RUNAWAY_ORDER = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f DESC(?a) LIMIT 1"


def _env(store: Path) -> dict[str, str]:
    env = {**os.environ, "WICKGRAPH_STORE": str(store)}
    for name in ("WICKGRAPH_ENDPOINT", "WICKGRAPH_TIMEOUT"):
        env.pop(name, None)
    return env


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _busy(pid: int) -> float:
    """CPU seconds used by a process and its children (the query worker, with --timeout)."""
    return cpu_seconds(pid) + sum(cpu_seconds(child) for child in _children(pid))


@pytest.mark.parametrize(
    ("query", "extra"),
    [(RUNAWAY_COUNT, []), (RUNAWAY_ORDER, []), (RUNAWAY_COUNT, ["--timeout", "3600"])],
    ids=["count", "order-by", "count-in-a-worker"],
)
def test_sigint_stops_a_runaway_embedded_query(built_store: Path, query: str, extra: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wickgraph", "query", *extra, query],
        env=_env(built_store),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell that starts a job in the background ignores SIGINT for it; a terminal's Ctrl-C does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while _busy(process.pid) < 2.5:  # start-up takes well under a second of CPU: past that, it is the query
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the query never got going"
            time.sleep(0.1)
        workers = _children(process.pid)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)  # "within about a second"; the bound is for a loaded machine
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert err == "Interrupted: the query was stopped.\n"
    assert "Traceback" not in err and out == ""
    for worker in workers:  # the query worker of --timeout goes with it
        deadline = time.monotonic() + 10
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(worker)


def test_timeout_stops_a_runaway_embedded_query(built_store: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wickgraph", "query", "--timeout", "1", RUNAWAY_COUNT],
        env=_env(built_store),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        result.stderr.startswith("Error: the query ran past the time limit of 1 s") and result.stderr.count("\n") == 1
    )


def test_the_timeout_parameter_of_the_api(built_store: Path) -> None:
    with wickgraph.open_graph(built_store, timeout=1) as kg, wickgraph.open_graph(built_store) as plain:
        with pytest.raises(QueryTimeoutError):
            kg.select(RUNAWAY_ORDER)
        worker = kg.store._worker  # type: ignore[attr-defined]
        assert worker is not None and worker._process is None and worker.starts == 1
        # The next query starts a fresh worker and answers as the store does in this process.
        query = "SELECT ?film ?label WHERE { ?film a wg:Film ; rdfs:label ?label } ORDER BY ?label"
        assert [dict(row) for row in kg.select(query)] == [dict(row) for row in plain.select(query)]
        assert worker.starts == 2
        day = "2024-01-03"
        assert as_rows(kg.run("lead-of", as_of=day)).to_python() == as_rows(plain.run("lead-of", as_of=day)).to_python()
        assert kg.ask("ASK { wgd:ballerina ?p ?o }") is True
        about = "CONSTRUCT { wgd:ballerina ?p ?o } WHERE { wgd:ballerina ?p ?o }"
        assert set(kg.construct(about)) == set(plain.construct(about))
        bad = "SELECT ?x WHERE {\n  ?x ?y\n}"
        with pytest.raises(QuerySyntaxError) as caught:
            kg.query(bad)
        with pytest.raises(QuerySyntaxError) as here:
            plain.query(bad)
        assert str(caught.value) == str(here.value) and caught.value.line == 3
        assert worker.starts == 2  # a syntax error does not cost the worker


def test_a_slow_worker_start_is_not_counted_against_the_time_limit(built_store: Path, tmp_path: Path) -> None:
    # Every Python process started with this path sleeps 2 s before it runs anything: the query worker too, as
    # on a loaded machine where starting one (Python, the imports, the store) outlasts a short limit.
    (tmp_path / "sitecustomize.py").write_text("import time\ntime.sleep(2)\n", encoding="utf-8")
    env = {**_env(built_store), "PYTHONPATH": str(tmp_path)}
    ask = "ASK { wgd:ballerina wg:director wgd:len-wiseman }"
    result = subprocess.run(
        [sys.executable, "-m", "wickgraph", "query", "--timeout", "1", ask],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "true"
