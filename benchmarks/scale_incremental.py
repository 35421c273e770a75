"""The incremental build at one size: a full fast build of a generated universe split into many files, then
one file edited and built again incrementally, with the load average.

``python benchmarks/scale_incremental.py --size 100k`` (the universe is generated and split once into
``--work``, then reused). Prints the full build's time, the incremental build's, their ratio and the load
average before each; the stores of both are compared quad by quad with ``--compare`` (a full rebuild of the
edited data).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
QUADS_PER_FILM = 201

_GRAPH = re.compile(rb" <([^<>]*)> \.\s*$")


def split_universe(universe: Path, data: Path, buckets: int) -> list[Path]:
    """Write the quads of a generated N-Quads universe into ``data`` as ``buckets`` files (``part-NNN.nq``),
    each source graph with its claim graphs in the same file, and the entity registry in ``entities.nq``."""
    data.mkdir(parents=True, exist_ok=True)
    sinks: dict[str, list[bytes]] = {}
    with universe.open("rb") as source:
        for line in source:
            found = _GRAPH.search(line)
            if found is None:
                continue
            graph = found.group(1).decode()
            if graph.endswith("/graph/entities"):
                name = "entities.nq"
            else:
                parts = graph.rstrip("/").split("/")
                slug = parts[-2] if "/claim/" in graph else parts[-1]
                bucket = int(hashlib.sha256(slug.encode()).hexdigest(), 16) % buckets
                name = f"part-{bucket:03d}.nq"
            sinks.setdefault(name, []).append(line)
    written = []
    for name, lines in sorted(sinks.items()):
        (data / name).write_bytes(b"".join(lines))
        written.append(data / name)
    return written


def edit_one(path: Path) -> None:
    """Edit one file as a person would: a date moved by a year (or, failing that, one quad dropped)."""
    lines = path.read_bytes().splitlines(keepends=True)
    for number, line in enumerate(lines):
        if re.search(rb"ontology#(releaseDate|date|birthDate)> ", line):
            lines[number] = re.sub(
                rb'"(\d{4})-', lambda m: b'"' + str(int(m.group(1)) - 1).encode() + b"-", line, count=1
            )
            break
    else:
        lines = lines[:-1]
    path.write_bytes(b"".join(lines))


def _canonical(store: Any) -> Counter[str]:
    """Every quad of ``store``, each counted, blank nodes as ``_:b`` (the ontology's differ between two loads)."""
    from pyoxigraph import BlankNode

    return Counter(
        "\t".join(
            "_:b" if isinstance(t, BlankNode) else str(t) for t in (q.subject, q.predicate, q.object, q.graph_name)
        )
        for q in store
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="quads before the rules: 10k, 100k, 1M …")
    parser.add_argument("--films", type=int, default=None, help="instead of --size")
    parser.add_argument("--buckets", type=int, default=100, help="data files the universe is split into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default=str(REPO / "out" / "bench-incremental"))
    parser.add_argument("--compare", action="store_true", help="also rebuild in full and compare every quad")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures (make bench)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the store of an earlier run's full build (its time as it was)"
    )
    parser.add_argument("--full-only", action="store_true", help="stop after the full build (for --reuse)")
    opts = parser.parse_args(argv)
    from wickgraph import build
    from wickgraph.synthetic import generate

    size = opts.size.lower()
    quads = int(float(size.rstrip("km")) * (1000 if size.endswith("k") else 10**6 if size.endswith("m") else 1))
    films = opts.films or max(6, round(quads / QUADS_PER_FILM))
    work = Path(opts.work) / f"films-{films}-seed-{opts.seed}-buckets-{opts.buckets}"
    data, store = work / "data", work / "store"
    if not (work / "split.done").exists():
        shutil.rmtree(work, ignore_errors=True)
        generated = generate(work / "universe.nq", films=films, seed=opts.seed)
        print(generated.summary(), flush=True)
        split_universe(work / "universe.nq", data, opts.buckets)
        (work / "universe.nq").unlink()
        (work / "split.done").write_text("")
    files = sorted(data.glob("*.nq"))
    print(f"{films:,} films, {len(files)} data files, {sum(p.stat().st_size for p in files) / 2**20:,.1f} MB")
    recorded = work / "full.json"
    if opts.reuse and recorded.exists() and store.exists():
        figures = json.loads(recorded.read_text(encoding="utf-8"))
        full, quads, load = figures["seconds"], figures["quads"], figures["load"]
        print(f"full fast build (an earlier run's, reused): {full:.1f} s, {quads:,} quads (load average {load:.1f})")
    else:
        shutil.rmtree(store, ignore_errors=True)
        recorded.unlink(missing_ok=True)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        first = build(store, mode="fast", data_dir=data)
        full = time.perf_counter() - started
        print(f"full fast build: {full:.1f} s, {first.quads:,} quads (load average {load:.1f})", flush=True)
        recorded.write_text(json.dumps({"seconds": full, "quads": first.quads, "load": load}), encoding="utf-8")
    if opts.full_only:
        return 0
    target = files[len(files) // 2]
    saved = target.read_bytes()
    try:
        edit_one(target)
        load = os.getloadavg()[0]
        started, times = time.perf_counter(), os.times()
        steps: list[tuple[float, str]] = []
        again = build(store, mode="fast", data_dir=data, progress=lambda m: steps.append((time.perf_counter(), m)))
        incremental = time.perf_counter() - started
        cpu = sum(os.times()[:2]) - sum(times[:2])  # this process's user and system time
        marks = [(started, "start"), *steps, (started + incremental, "end")]
        spent = sorted(((b[0] - a[0], a[1]) for a, b in pairwise(marks)), reverse=True)
        print("  slowest steps of the incremental build:")
        for seconds, message in spent[:10]:
            print(f"  {seconds:8.2f} s  {message[:100]}")
        how = "incremental" if again.incremental else f"FULL ({again.full_rebuild_reason})"
        print(
            f"one-file change ({target.name}, {target.stat().st_size / 1024:,.0f} KB): {incremental:.1f} s, "
            f"{how}, {again.quads:,} quads (load average {load:.1f}); {full / incremental:.1f}x faster; "
            f"{cpu:.1f} s of CPU",
            flush=True,
        )
        if opts.json:
            figures = {
                "seconds": incremental,
                "cpu_seconds": cpu,
                "full_seconds": full,
                "incremental": again.incremental,
                "reason": again.full_rebuild_reason,
                "file_kb": target.stat().st_size / 1024,
                "quads": again.quads,
            }
            print(json.dumps(figures), flush=True)
        if opts.compare:
            from pyoxigraph import Store

            from wickgraph.store.embedded import current_generation

            rebuilt = work / "rebuilt"
            shutil.rmtree(rebuilt, ignore_errors=True)
            build(rebuilt, mode="fast", data_dir=data)
            a, b = (_canonical(Store.read_only(str(current_generation(s)))) for s in (store, rebuilt))
            print(f"compared with a full rebuild: {'the same' if a == b else 'DIFFERENT'} ({a.total():,} quads)")
            shutil.rmtree(rebuilt, ignore_errors=True)
            if a != b:
                return 1
    finally:
        target.write_bytes(saved)
        if opts.reuse:  # the store back to the data as they are, for the next run
            build(store, mode="fast", data_dir=data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
