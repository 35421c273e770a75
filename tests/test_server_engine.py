"""The engine pool as a library object: queries, the deadline, and a new build picked up."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from _results import as_rows
from wickgraph.errors import QuerySyntaxError, QueryTimeoutError
from wickgraph.graph import KnowledgeGraph
from wickgraph.server.engine import EnginePool, EngineStore
from wickgraph.server.watchdog import Watchdog
from wickgraph.store.embedded import current_generation, new_generation_dir, publish_generation
from wickgraph.terms import value

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture()
def store_copy(built_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(built_store, target, symlinks=True)
    return target


@pytest.fixture()
def pool(store_copy: Path) -> Iterator[EnginePool]:
    with EnginePool(store_copy, size=2, timeout=2) as engines:
        yield engines


def test_watchdog_runs_what_is_due_and_not_what_is_cancelled() -> None:
    watchdog = Watchdog()
    fired: list[str] = []
    done = threading.Event()

    def keep_fires() -> None:
        fired.append("kept")
        done.set()

    keep = watchdog.schedule(0.05, keep_fires)
    dropped = watchdog.schedule(0.01, lambda: fired.append("cancelled"))
    watchdog.cancel(dropped)
    assert done.wait(10)
    watchdog.cancel(keep)  # after it fired: harmless
    watchdog.close()
    assert fired == ["kept"]


def test_the_library_runs_on_the_engines(pool: EnginePool) -> None:
    kg = KnowledgeGraph(EngineStore(pool))
    rows = as_rows(kg.run("who-plays", character="Rooney"))
    assert "Ana de Armas" in {value(r, "actorLabel") for r in rows if r["actorLabel"] is not None}
    assert kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }") is True
    assert kg.entity("Ana de Armas").label == "Ana de Armas"
    with pytest.raises(QuerySyntaxError) as info:
        kg.select("SELECT ?x WHERE {\n ?x")
    assert info.value.line == 2


def test_a_runaway_raises_and_its_engine_is_replaced(pool: EnginePool) -> None:
    before = set(pool.pids())
    with pytest.raises(QueryTimeoutError, match="time limit of 2 s"):
        EngineStore(pool).query(RUNAWAY)
    assert pool.restarts == 1
    assert EngineStore(pool).query("ASK { }") is True  # the pool still answers
    deadline = time.monotonic() + 60  # the replacement starts in the background (slowly on a loaded machine)
    while len(pool.pids()) != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.pids()) == 2 and len(set(pool.pids()) - before) == 1


def test_a_new_generation_is_picked_up(pool: EnginePool, store_copy: Path) -> None:
    kg = KnowledgeGraph(EngineStore(pool))
    assert kg.ask("ASK { }") is True
    generation = new_generation_dir(store_copy)
    shutil.copytree(current_generation(store_copy), generation, dirs_exist_ok=True)
    publish_generation(store_copy, generation)  # what a build does at its end
    assert kg.ask("ASK { wgd:ballerina ?p ?o }") is True
    assert pool.restarts >= 1
    assert {e.generation for e in pool._engines} <= {generation, None}
