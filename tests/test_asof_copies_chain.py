"""The build's as-of copies are written as a chain (``wickgraph.server.snapshots._write_chain``): one store gains
the graphs each view adds, and each copy is a checkpoint of it. Every copy made so equals the copy ``_copy``
writes from scratch, quad for quad and with the same count in its ``quads`` file, for the same views within the
same caps, on the real graph and on a generated universe; a view that lacks a graph of the one before starts a
new chain, so no graph and no merged triple of the one before is left in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

import wickgraph
from wickgraph.namespaces import sparql_prologue
from wickgraph.results import SelectResult
from wickgraph.server import snapshots
from wickgraph.server.snapshots import QUADS_FILE, SHARED, _copy, _digest, _write_chain, write_for_build
from wickgraph.server.sparql import CHANGE_POINTS, as_of_days
from wickgraph.store.base import GraphView
from wickgraph.store.embedded import current_generation
from wickgraph.terms import value

Copy = tuple[frozenset[Quad], str]


def _read(copy: Path) -> Copy:
    """A copy's quads and the count in its ``quads`` file."""
    store = Store.read_only(str(current_generation(copy)))
    try:
        return frozenset(store), (copy / QUADS_FILE).read_text(encoding="ascii")
    finally:
        del store


def _from_scratch(generation: Path, work: Path) -> dict[str, Copy]:
    """The copies as written before the chain: ``_copy`` per view, the latest date first, within the caps."""
    with wickgraph.open_graph(generation.parent.parent) as kg:
        result = kg.store.query(sparql_prologue() + CHANGE_POINTS)
        assert isinstance(result, SelectResult)
        marks = sorted({value(row, "d") for row in result if row["d"] is not None})
        views = [kg.view_as_of(day) for day in as_of_days(marks)]
    source = Store.read_only(str(generation))
    found: dict[str, Copy] = {}
    prepared = 0
    for view in views:
        if prepared >= snapshots.PREPARED_QUADS:
            break
        if _digest(view) in found:
            continue
        written = _copy(generation, view, work / _digest(view), source)
        if written is None:
            break
        found[_digest(view)] = _read(work / _digest(view))
        prepared += written
    return found


def _chained(generation: Path, root: Path) -> dict[str, Copy]:
    made = write_for_build(root, generation)
    here = root / SHARED / generation.name
    found = {entry.name: _read(entry) for entry in here.iterdir()}
    assert made == len(found), "a copy counted and not in place, or one in place and not counted"
    return found


def _assert_same(store: Path, tmp_path: Path) -> dict[str, Copy]:
    generation = current_generation(store)
    expected = _from_scratch(generation, tmp_path / "scratch")
    made = _chained(generation, tmp_path / "root")
    assert set(made) == set(expected)  # the same views
    for name, copy in expected.items():
        assert made[name] == copy, name  # quad for quad, and the same count written
    return made


def test_every_copy_of_the_real_graph_equals_the_copy_made_from_scratch(built_store: Path, tmp_path: Path) -> None:
    made = _assert_same(built_store, tmp_path)
    assert len(made) > 10
    assert len({len(quads) for quads, _ in made.values()}) > 5  # views of many sizes, not one view over and over


def test_every_copy_of_a_generated_universe_equals_the_copy_made_from_scratch(tmp_path: Path) -> None:
    from wickgraph.synthetic import generate

    data = tmp_path / "data"
    data.mkdir()
    generate(data / "universe.nq", films=8, seed=5, texts_dir=tmp_path / "texts")
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data, as_of_copies=False)
    made = _assert_same(store, tmp_path)
    assert len(made) > 10


@pytest.mark.parametrize(("cap", "over"), [("PREPARED_QUADS", 0), ("MAX_QUADS", 0), ("MAX_QUADS", 1)])
def test_the_caps_choose_the_same_copies(
    built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: str, over: int
) -> None:
    """Past PREPARED_QUADS no more views; a view over MAX_QUADS (the latest is the largest) and every earlier
    one not copied, one at the cap copied: the same views as before, whatever order the chain writes them in."""
    every = _from_scratch_all(built_store, tmp_path / "all")
    sizes = sorted(int(count) for _, count in every.values())
    limit = sum(sizes) // 4 if cap == "PREPARED_QUADS" else sizes[-1] - over
    monkeypatch.setattr(snapshots, cap, limit)
    made = _assert_same(built_store, tmp_path)
    if cap == "PREPARED_QUADS":
        assert 0 < len(made) < len(every)  # the cap stopped it part-way
    else:
        assert len(made) == (0 if over else len(every))


def _from_scratch_all(store: Path, work: Path) -> dict[str, Copy]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshots, "PREPARED_QUADS", 10**12)
        patch.setattr(snapshots, "MAX_QUADS", 10**12)
        return _from_scratch(current_generation(store), work)


def test_a_view_without_a_graph_of_the_one_before_gets_no_graph_and_no_merged_triple_of_it(
    built_store: Path, tmp_path: Path
) -> None:
    generation = current_generation(built_store)
    source = Store.read_only(str(generation))
    with wickgraph.open_graph(built_store) as kg:
        whole = kg.view_as_of("2099-12-31")
    # A graph that states a triple no other graph of the view states: its merged triple must go with it.
    gone = next(
        graph
        for graph in whole.graphs[2:]
        if any(
            {q.graph_name for q in source.quads_for_pattern(q.subject, q.predicate, q.object)}
            & {NamedNode(g) for g in whole.graphs}
            == {NamedNode(graph)}
            for q in source.quads_for_pattern(None, None, None, NamedNode(graph))
        )
    )
    lacking = GraphView(tuple(g for g in whole.graphs if g != gone))
    small = GraphView(whole.graphs[:2])
    plan = [small, whole, lacking, whole, small]
    work = tmp_path / "chain"
    work.mkdir()
    places = [tmp_path / f"copy-{i}" for i in range(len(plan))]
    written = [
        2 * sum(1 for g in view.graphs for _ in source.quads_for_pattern(None, None, None, NamedNode(g)))
        for view in plan
    ]
    assert _write_chain(source, list(zip(plan, places, written, strict=True)), work, lambda: None) == len(plan)
    for i, view in enumerate(plan):
        reference = tmp_path / f"scratch-{i}"
        assert _copy(generation, view, reference, source) == written[i]
        assert _read(places[i]) == _read(reference), i
    quads, _ = _read(places[2])
    assert not any(q.graph_name == NamedNode(gone) for q in quads)
    only = [
        Quad(q.subject, q.predicate, q.object, DefaultGraph())
        for q in source.quads_for_pattern(None, None, None, NamedNode(gone))
    ]
    assert any(q not in quads for q in only)  # a merged triple that only the removed graph stated is gone
    assert set(only) <= _read(places[1])[0] and set(only) <= _read(places[3])[0]
    assert not list(work.iterdir()) or all(entry.name.startswith("chain-") for entry in work.iterdir())
