"""The build writes the server's as-of copies before it publishes (``wickgraph.server.snapshots.write_for_build``):
the first server of the generation answers as-of from them without writing one, with the library's answers; a
build that cannot write them still publishes; a build killed while writing them leaves the previous graph current
and no copy in a copy's place half-made; the fast and the incremental builds write them when asked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wickgraph
from _server import ServerProcess
from test_server_asof import JSON_ACCEPT, _library_rows, _server_rows
from wickgraph.namespaces import sparql_prologue
from wickgraph.results import SelectResult
from wickgraph.server.snapshots import SHARED, _digest
from wickgraph.server.sparql import CHANGE_POINTS, as_of_days
from wickgraph.store.embedded import CURRENT, current_generation
from wickgraph.terms import value

DAYS = ("1990-01-01", "2019-05-20", "2024-01-03", "2099-12-31")
QUERY = "lead-of"


def _listing(store: Path) -> dict[str, tuple[int, int]]:
    """The copies of the current generation: name -> (inode, mtime) of their ``current`` link."""
    here = store / SHARED / current_generation(store).name
    return {entry.name: _stamp(entry) for entry in sorted(here.iterdir())}


def _stamp(entry: Path) -> tuple[int, int]:
    stat = (entry / CURRENT).lstat()
    return stat.st_ino, stat.st_mtime_ns


def _expected_digests(store: Path) -> set[str]:
    """The copy names the server would look for: one per view of the dates it prepares."""
    with wickgraph.open_graph(store) as kg:
        result = kg.store.query(sparql_prologue() + CHANGE_POINTS)
        assert isinstance(result, SelectResult)
        marks = sorted({value(row, "d") for row in result if row["d"] is not None})
        return {_digest(kg.view_as_of(day)) for day in as_of_days(marks)}


def _whole(copy: Path) -> bool:
    return (copy / CURRENT).is_symlink() and (copy / "quads").is_file()


def _assert_answers_as_the_library(server: ServerProcess, store: Path) -> None:
    for day in DAYS:
        with wickgraph.open_graph(store) as kg:
            expected = _library_rows(kg.run(QUERY, as_of=day))
        reply = server.request("GET", f"/queries/{QUERY}", params={"as-of": day}, headers=JSON_ACCEPT)
        assert reply.status == 200, (day, reply.text)
        assert _server_rows(reply.body) == expected, day


def _status(server: ServerProcess) -> dict[str, object]:
    reply = server.request("GET", "/status")
    assert reply.status == 200
    found: dict[str, object] = json.loads(reply.body)
    return found


def test_the_first_server_after_a_build_answers_as_of_from_the_builds_copies(tmp_path: Path) -> None:
    store = tmp_path / "store"
    said: list[str] = []
    wickgraph.build(store, citations=False, progress=said.append)  # the full build writes them by default
    assert any(line.startswith("as-of copies:") for line in said), said
    made = _listing(store)
    assert set(made) == _expected_digests(store)  # every date's view, where and as the server looks for it
    assert all(_whole(store / SHARED / current_generation(store).name / name) for name in made)

    with ServerProcess(store, "--workers", "1") as server:
        _assert_answers_as_the_library(server, store)
        deadline = time.monotonic() + 60
        while int(str(_status(server)["as_of_copies"])) < len(made) and time.monotonic() < deadline:
            time.sleep(0.2)  # the server's own preparing at start: it finds every copy made
        assert int(str(_status(server)["as_of_copies"])) == len(made)
        _assert_answers_as_the_library(server, store)
    # Not one copy written (or rewritten) by the server: the same copies, the same files.
    assert _listing(store) == made
    assert not any("not made ahead" in line for line in server.stderr), server.stderr


def test_a_build_that_cannot_write_the_copies_still_publishes_and_the_server_makes_them(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / SHARED).write_text("in the way\n")  # the copies' directory cannot be made
    said: list[str] = []
    report = wickgraph.build(store, citations=False, progress=said.append)
    assert report.claims > 0
    assert any("as-of copies not written" in line and SHARED in line for line in said), said
    assert (store / SHARED).read_text() == "in the way\n"
    with ServerProcess(store, "--workers", "1") as server:  # private copies, made by the server as before
        _assert_answers_as_the_library(server, store)


@pytest.mark.parametrize("through", ["library", "cli"])
def test_no_copies_when_not_asked(tmp_path: Path, through: str) -> None:
    store = tmp_path / "store"
    if through == "library":
        wickgraph.build(store, citations=False, as_of_copies=False)
    else:
        command = [sys.executable, "-m", "wickgraph", "build", "-q", "--store", str(store), "--no-as-of-copies"]
        subprocess.run(command, check=True, capture_output=True)
    assert current_generation(store).is_dir() and not (store / SHARED).exists()


def test_a_build_killed_while_writing_the_copies_leaves_the_previous_graph_and_no_half_copy(
    tmp_path: Path, data_copy: Path
) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, data_dir=data_copy, citations=False)
    before, copies = current_generation(store), _listing(store)

    env = {**os.environ, "WICKGRAPH_BUILD_PAUSE": "as-of-copy"}
    command = [sys.executable, "-m", "wickgraph", "build", "--store", str(store), "--data", str(data_copy)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if "paused before as-of-copy" in line:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)

    assert current_generation(store) == before and _listing(store) == copies
    killed = [d for d in (store / SHARED).iterdir() if d.name != before.name]
    assert len(killed) == 1
    entries = list(killed[0].iterdir())
    # A copy written and not yet in place: only under a .tmp- name, never under a copy's name.
    assert entries and all(entry.name.startswith(".tmp-") for entry in entries), entries
    with ServerProcess(store, "--workers", "1") as server:
        _assert_answers_as_the_library(server, store)
    assert _listing(store) == copies

    # The next build publishes with its own copies, whole, and removes what the killed one left.
    wickgraph.build(store, data_dir=data_copy, citations=False)
    assert current_generation(store) != before
    # The killed build's copies are gone; the previous generation's stay until the next build (a server of it
    # may still be answering from them).
    assert sorted(d.name for d in (store / SHARED).iterdir()) == sorted([before.name, current_generation(store).name])
    made = _listing(store)
    assert set(made) == _expected_digests(store)
    assert all(_whole(store / SHARED / current_generation(store).name / name) for name in made)


@pytest.mark.parametrize("incremental", [False, True])
def test_the_fast_build_writes_them_when_asked(tmp_path: Path, data_copy: Path, incremental: bool) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data_copy, as_of_copies=not incremental)
    if incremental:
        assert not (store / SHARED).exists()  # the fast build's default: none
        target = data_copy / "editorial.trig"
        target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        report = wickgraph.build(store, mode="fast", data_dir=data_copy, as_of_copies=True)
        assert report.incremental, report.full_rebuild_reason
    made = _listing(store)
    assert made and set(made) == _expected_digests(store)
    with ServerProcess(store, "--workers", "1") as server:
        _assert_answers_as_the_library(server, store)
    assert _listing(store) == made
