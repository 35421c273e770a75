"""The build compacts the store of every generation it publishes (:func:`wickgraph.building.generation.
compact_generation`): a fast build writes its store in many pieces, and one RocksDB compaction before the publish
leaves each index as one sorted run, which the named queries read with far fewer seeks. These tests check the
published store is compacted (compacting it again rewrites nothing, where it rewrites most files of a store the
same build left uncompacted), that a build killed while compacting leaves the previous graph current, and that an
incremental build does not compact (docs/scale.md, "Named queries at a million triples", has the figures)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Store

import wickgraph
from _universe import edit_a_date, split_universe
from wickgraph.store.embedded import current_generation


def _ssts(directory: Path) -> dict[str, int]:
    return {entry.name: entry.stat().st_size for entry in os.scandir(directory) if entry.name.endswith(".sst")}


def _rewritten_by_compaction(generation: Path, work: Path) -> float:
    """Compact a copy of ``generation`` (the original is left alone) and return the share of its SST bytes the
    compaction replaced: near 0 for a compacted store. (Not exactly 0: RocksDB at times leaves two or three
    files of a few KB in its smallest index, the named graphs' list, beside the sorted run.)"""
    copy = work / "compacted-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(generation, copy)
    before = _ssts(copy)
    store = Store(str(copy))
    store.optimize()
    del store
    after = _ssts(copy)
    assert before
    return sum(size for name, size in before.items() if name not in after) / sum(before.values())


@pytest.fixture(scope="module")
def universe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated universe of 30 films, split into files (the registry, and each source with its claims in one of
    four parts) so that an edit of one file can be built incrementally."""
    return split_universe(tmp_path_factory.mktemp("universe"), films=30, buckets=4, seed=7)


def test_a_fast_build_publishes_a_compacted_store(universe: Path, tmp_path: Path) -> None:
    # The fast build writes in many batches (a bulk load per file, per rule, the union, the reifiers): left as
    # written, a compaction would replace most of its files; published, there is nothing left to compact.
    steps: list[str] = []
    report = wickgraph.build(tmp_path / "store", mode="fast", data_dir=universe, progress=steps.append)
    assert not report.incremental
    rewritten = _rewritten_by_compaction(current_generation(tmp_path / "store"), tmp_path)
    assert rewritten < 0.02, f"{rewritten:.0%} of the store was still to compact"
    assert any(step.startswith("compacting the store") for step in steps)
    assert steps.index(next(s for s in steps if s.startswith("compacting"))) < steps.index(
        next(s for s in steps if s.startswith("publishing"))
    )


def test_the_same_build_uncompacted_would_leave_files_to_compact(
    universe: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other side of the test above, so that it can fail: with the compaction step taken out, the store the
    # fast build publishes has files a compaction replaces.
    import wickgraph.building.generation as generation

    monkeypatch.setattr(generation, "compact_generation", lambda directory, progress: None)
    wickgraph.build(tmp_path / "store", mode="fast", data_dir=universe)
    rewritten = _rewritten_by_compaction(current_generation(tmp_path / "store"), tmp_path)
    assert rewritten > 0.5, f"only {rewritten:.0%} of the store replaced"


def _snapshot(store: Path) -> tuple[Path, int]:
    generation = current_generation(store)
    with wickgraph.open_graph(store) as kg:
        return generation, kg.counts()["quads"]


_BUILD = """
import sys
from pathlib import Path
import wickgraph
store, data, mode = sys.argv[1:]
again = {"full_rebuild": True} if mode == "fast" else {"citations": False}
wickgraph.build(store, mode=mode, data_dir=Path(data), progress=lambda m: print(m, file=sys.stderr, flush=True), **again)
"""


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_build_killed_while_compacting_leaves_the_previous_graph(tmp_path: Path, data_copy: Path, mode: str) -> None:
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data_copy)
    before = _snapshot(store)
    # A real build in a process of its own, paused with the new generation's store open for the compaction
    # (before Store.optimize), then killed.
    with subprocess.Popen(
        [sys.executable, "-c", _BUILD, str(store), str(data_copy), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WICKGRAPH_BUILD_PAUSE": "compact"},
    ) as proc:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if "paused before compact" in line:
                proc.send_signal(signal.SIGKILL)
                break
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    assert any("compacting the store" in line for line in seen)
    assert _snapshot(store) == before
    with wickgraph.open_graph(store) as kg:
        assert kg.ask("ASK { wgd:ballerina wg:director wgd:len-wiseman }")
    assert len(list((store / "generations").iterdir())) == 2  # the killed build's, unpublished

    # The next build removes it, and publishes a compacted generation.
    wickgraph.build(store, mode="fast", data_dir=data_copy, full_rebuild=True)
    assert [p.name for p in (store / "generations").iterdir()] == [current_generation(store).name]
    assert _snapshot(store)[1] == before[1]
    assert _rewritten_by_compaction(current_generation(store), tmp_path) < 0.02


def test_an_incremental_build_does_not_compact(universe: Path, tmp_path: Path) -> None:
    # A one-file change is built into a checkpoint of the compacted current generation; RocksDB's own background
    # compaction keeps what it adds in bounds (measured in docs/scale.md), and a full compaction would cost
    # more than the change itself at 1M. A full rebuild compacts again.
    data = tmp_path / "data"
    shutil.copytree(universe, data)
    store = tmp_path / "store"
    wickgraph.build(store, mode="fast", data_dir=data)
    target = sorted(data.glob("part-*.nq"))[0]
    edit_a_date(target)
    steps: list[str] = []
    report = wickgraph.build(store, mode="fast", data_dir=data, progress=steps.append)
    assert report.incremental, report.full_rebuild_reason
    assert not any(step.startswith("compacting") for step in steps), steps
    steps.clear()
    report = wickgraph.build(store, mode="fast", data_dir=data, full_rebuild=True, progress=steps.append)
    assert not report.incremental and any(step.startswith("compacting") for step in steps)
    assert _rewritten_by_compaction(current_generation(store), tmp_path) < 0.02
