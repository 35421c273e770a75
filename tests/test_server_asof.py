"""as-of over HTTP from the view's copy (``wickgraph.server.snapshots``): the same answers as the library, the
copies bounded in number, a runaway on a copy stopped at the deadline, and a new build seen by the next request."""

from __future__ import annotations

import itertools
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import wickgraph
from _server import ServerProcess
from wickgraph.queries import named_queries
from wickgraph.server.snapshots import KEEP
from wickgraph.terms import value

DAY = "2024-01-03"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON_ACCEPT = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    with ServerProcess(built_store, "--workers", "2", "--timeout", "2") as running:
        yield running


def _text(value: str) -> str:
    """A value with the parts of a GROUP_CONCAT list in sorted order (the library sorts them; the order the
    engine concatenates in is not defined), so that both sides compare as sets of parts."""
    for separator in (" | ", ", "):
        if separator in value:
            return separator.join(sorted(value.split(separator)))
    return value


def _server_rows(body: bytes) -> Counter[tuple[tuple[str, str], ...]]:
    answer: dict[str, Any] = json.loads(body)
    rows: Counter[tuple[tuple[str, str], ...]] = Counter()
    for binding in answer["results"]["bindings"]:
        rows[
            tuple(
                sorted(
                    (name, "_:b" if term["type"] == "bnode" else _text(str(term["value"])))
                    for name, term in binding.items()
                )
            )
        ] += 1
    return rows


def _library_rows(result: Any) -> Counter[tuple[tuple[str, str], ...]]:
    from pyoxigraph import BlankNode

    rows: Counter[tuple[tuple[str, str], ...]] = Counter()
    for row in result:
        rows[
            tuple(
                sorted(
                    (name, "_:b" if isinstance(term, BlankNode) else _text(str(term.value)))
                    for name, term in row.items()
                    if term is not None
                )
            )
        ] += 1
    return rows


def test_every_named_query_as_of_answers_as_the_library(server: ServerProcess, built_store: Path) -> None:
    with wickgraph.open_graph(built_store) as kg:
        expected = {name: _library_rows(kg.run(name, as_of=DAY)) for name in named_queries()}
    differing = []
    for name, rows in expected.items():
        reply = server.request("GET", f"/queries/{name}", params={"as-of": DAY}, headers=JSON_ACCEPT)
        assert reply.status == 200, (name, reply.text)
        if _server_rows(reply.body) != rows:
            differing.append(name)
    assert differing == []
    assert any(rows for rows in expected.values()), "no named query had any row as of the day: nothing compared"


def test_the_copies_are_bounded_however_many_days_are_asked(server: ServerProcess) -> None:
    days = [f"20{year:02d}-0{month}-01" for year in (15, 17, 19, 21, 22, 23, 24) for month in (1, 6)]
    for day in days:
        reply = server.request(
            "GET", "/sparql", params={"query": "ASK { ?s ?p ?o }", "as-of": day}, headers=JSON_ACCEPT
        )
        assert reply.status == 200, (day, reply.text)
    # The pool's engines, and one per copy kept: never one per day asked.
    assert len(server.engine_pids()) <= 2 + KEEP


def test_a_runaway_on_a_copy_is_stopped_at_the_deadline(server: ServerProcess) -> None:
    reply = server.request("GET", "/sparql", params={"query": RUNAWAY, "as-of": DAY}, headers=JSON_ACCEPT)
    assert reply.status == 503, reply.text
    after = server.request("GET", "/sparql", params={"query": "ASK { ?s ?p ?o }", "as-of": DAY}, headers=JSON_ACCEPT)
    assert after.status == 200 and json.loads(after.body)["boolean"] is True


def test_a_new_build_is_seen_by_the_next_as_of_request(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store, symlinks=True)
    ask = "ASK { wgd:ballerina wg:director wgd:len-wiseman }"
    with ServerProcess(store, "--workers", "1", "--timeout", "5") as running:
        before = running.request("GET", "/sparql", params={"query": ask, "as-of": DAY}, headers=JSON_ACCEPT)
        assert before.status == 200 and json.loads(before.body)["boolean"] is True
        # A new generation without that fact: an empty store published over the old one.
        from pyoxigraph import Store

        from wickgraph.store.embedded import new_generation_dir, publish_generation

        empty = new_generation_dir(store)
        Store(str(empty)).flush()
        publish_generation(store, empty)
        after = running.request("GET", "/sparql", params={"query": ask, "as-of": DAY}, headers=JSON_ACCEPT)
        assert after.status == 200 and json.loads(after.body)["boolean"] is False, after.text


def test_a_view_too_large_to_copy_is_answered_by_the_dataset_parameters(
    built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wickgraph.server import snapshots
    from wickgraph.server.engine import EnginePool
    from wickgraph.server.engine_store import EngineStore

    monkeypatch.setattr(snapshots, "MAX_QUADS", 10)
    with EnginePool(built_store, size=1, timeout=10) as pool:
        copies = snapshots.Snapshots(pool)
        pool.at_close(copies.close)
        with wickgraph.open_graph(built_store) as kg:
            view = kg.view_as_of(DAY)
        assert copies.pool_for(view) is None
        assert not list(pool.workdir.glob("as-of-*")), "the partial copy was left behind"
        # Answered all the same, with the view's graphs as the dataset.
        ask = wickgraph.namespaces.sparql_prologue() + "ASK { wgd:ballerina wg:director wgd:len-wiseman }"
        assert EngineStore(pool, copies).query(ask, view) is True


# ---- change points: dates that see the same knowledge share one view, one copy and one engine --------------------


@pytest.fixture(scope="module")
def endpoint(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The server's application over a real engine pool, on a private copy of the store (its copies are kept
    in the store)."""
    from wickgraph.server import ServerConfig, WickgraphApp
    from wickgraph.server.engine import EnginePool

    store = tmp_path_factory.mktemp("asof") / "store"
    shutil.copytree(built_store, store, symlinks=True, ignore=shutil.ignore_patterns("as-of"))
    with EnginePool(store, size=1, timeout=10) as pool:
        yield WickgraphApp(ServerConfig(store), pool)


def _day(text: str, delta: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(text[:10]) + dt.timedelta(days=delta)).isoformat()


def test_every_change_point_is_one_and_dates_between_two_see_what_the_first_sees(
    endpoint: Any, built_store: Path
) -> None:
    marks = endpoint.change_points()
    assert len(marks) >= 5, marks
    with wickgraph.open_graph(built_store) as kg:
        for before, mark, after in zip(["0001-01-01", *marks[:-1]], marks, [*marks[1:], "9999-12-31"], strict=True):
            seen = kg.view_as_of(mark)
            # On the mark something becomes known that the day before did not see.
            assert kg.view_as_of(_day(mark, -1)) != seen, mark
            # Up to the next mark, nothing else: the library's own view says so, and the server shares one view.
            last = _day(after, -1)
            if last > mark:
                assert kg.view_as_of(last) == seen, (mark, last)
                assert endpoint._view_as_of(last) is endpoint._view_as_of(mark)
            assert endpoint._view_as_of(mark) == seen
            assert endpoint._view_as_of(_day(mark, -1)) == kg.view_as_of(_day(mark, -1))
            assert before < mark


def test_a_date_on_a_change_point_sees_the_source_published_that_day(endpoint: Any, built_store: Path) -> None:
    from wickgraph.namespaces import sparql_prologue

    with wickgraph.open_graph(built_store) as kg:
        rows = kg.select(
            sparql_prologue()
            + "SELECT ?src (STR(?d) AS ?day) WHERE { GRAPH ?src { ?src a wg:Source ; wg:knownSince ?d } }"
        )
    checked = 0
    for row in rows:
        source, day = value(row, "src"), value(row, "day")
        assert source in endpoint._view_as_of(day).graphs, (source, day)
        assert source not in endpoint._view_as_of(_day(day, -1)).graphs, (source, day)
        checked += 1
    assert checked >= 10


def test_two_dates_between_the_same_change_points_are_answered_from_one_copy(endpoint: Any) -> None:
    marks = endpoint.change_points()
    # Two marks with days between them.
    start, end = next((a, b) for a, b in itertools.pairwise(marks) if _day(a, 2) < b)
    first, second = _day(start, 1), _day(end, -1)
    view = endpoint._view_as_of(first)
    assert endpoint._view_as_of(second) is view
    assert endpoint.snapshots.pool_for(view) is endpoint.snapshots.pool_for(endpoint._view_as_of(second))
    copies = endpoint.snapshots.copies()
    text = endpoint._kg().named_query_text("who-plays", character="Rooney")
    answers = set()
    for day in (first, second, start):
        from wickgraph.server.protocol import SparqlRequest

        environ = {"HTTP_HOST": "127.0.0.1:7878", "HTTP_ACCEPT": "application/sparql-results+json"}
        response = endpoint._run_query(environ, SparqlRequest("query", text, as_of=day))
        answers.add(response.body)
    assert len(answers) == 1
    assert endpoint.snapshots.copies() == copies  # no copy made for the other dates


def test_the_copies_are_made_ahead_and_found_by_the_next_server(endpoint: Any) -> None:
    from wickgraph.server import ServerConfig, WickgraphApp
    from wickgraph.server.engine import EnginePool

    endpoint.prepare_as_of().join(timeout=120)
    marks = endpoint.change_points()
    shared = endpoint.pool.root / "as-of"
    (generation_dir,) = list(shared.iterdir())
    made = sorted(p.name for p in generation_dir.iterdir())
    assert len(made) == len({endpoint._view_as_of(m) for m in marks} | {endpoint._view_as_of("0001-01-01")})
    assert not [name for name in made if name.startswith(".tmp-")]
    # A copy that is not whole (no `current` link: a tampered or foreign directory) is replaced, never served.
    broken = generation_dir / made[0]
    shutil.rmtree(broken)
    broken.mkdir()
    (broken / "junk").write_text("not a store")
    # A second server of the same store: every copy it needs is found made, none written again but the broken one.
    with EnginePool(endpoint.pool.root, size=1, timeout=10) as pool:
        second = WickgraphApp(ServerConfig(endpoint.pool.root), pool)
        before = {p.name: p.stat().st_ino for p in generation_dir.iterdir()}
        second.prepare_as_of().join(timeout=120)
        after = {p.name: p.stat().st_ino for p in generation_dir.iterdir()}
        assert after.keys() == before.keys()
        assert [name for name in after if after[name] != before[name]] == [made[0]]
        assert (generation_dir / made[0] / "current").is_symlink()
        for mark in marks:
            engines = second.snapshots.pool_for(second._view_as_of(mark))
            assert engines is not None and engines.root.parent == generation_dir


def test_the_latest_view_keeps_its_engine_while_other_dates_take_turns(endpoint: Any) -> None:
    marks = endpoint.change_points()
    latest = endpoint._view_as_of(marks[-1])
    pinned = endpoint.snapshots.pin(latest)
    assert pinned is not None
    for mark in marks[: KEEP + 2]:
        assert endpoint.snapshots.pool_for(endpoint._view_as_of(mark)) is not None
        assert len(endpoint.snapshots._pools) <= KEEP
    assert endpoint.snapshots.pool_for(latest) is pinned and pinned.pids()


def test_a_copy_left_half_written_by_a_killed_server_is_removed_and_never_served(endpoint: Any) -> None:
    import os
    import time

    from wickgraph.server.snapshots import STALE_SECONDS, Snapshots
    from wickgraph.store.base import GraphView

    endpoint.prepare_as_of().join(timeout=120)
    (generation_dir,) = list((endpoint.pool.root / "as-of").iterdir())
    old, fresh = generation_dir / ".tmp-99999-1", generation_dir / ".tmp-99999-2"
    for left in (old, fresh):
        left.mkdir()
        (left / "junk").write_text("half a store")
    then = time.time() - STALE_SECONDS - 60
    os.utime(old, (then, then))
    # A view with no copy yet makes a server look at the directory: the old leftover goes, a recent one stays
    # (its server may still be writing it); neither is ever taken for a copy.
    copies = Snapshots(endpoint.pool)
    try:
        engines = copies.pool_for(GraphView(("https://w3id.org/wickgraph/graph/entities",)))
        assert engines is not None and engines.root.parent == generation_dir
        assert not engines.root.name.startswith(".tmp-")
        assert not old.exists() and fresh.exists()
    finally:
        copies.close()
        shutil.rmtree(fresh)


def test_no_copy_is_made_for_a_writable_pool_or_after_close(endpoint: Any) -> None:
    from wickgraph.server.engine import EnginePool
    from wickgraph.server.snapshots import Snapshots
    from wickgraph.store.base import GraphView

    # A view no other test asks, so that a copy made for it would be new.
    view = GraphView(("https://w3id.org/wickgraph/graph/entities", "https://w3id.org/wickgraph/graph/editorial"))
    shared = endpoint.pool.root / "as-of"
    before = sorted(shared.rglob("*")) if shared.exists() else []
    # A writable pool's data change under a copy: none is made, and the engine is asked with the dataset.
    writable = Snapshots(EnginePool(endpoint.pool.root, writable=True))
    closed = Snapshots(endpoint.pool)
    closed.close()
    for copies in (writable, closed):
        assert copies.prepare(view) is False
        assert copies.pool_for(view) is None
        assert copies.copies() == 0
    assert (sorted(shared.rglob("*")) if shared.exists() else []) == before
    # The same view from an open read-only pool is copied: the refusals above are the pool's and the close's.
    served = Snapshots(endpoint.pool)
    try:
        assert served.prepare(view) is True and served.copies() == 1
    finally:
        served.close()
