"""The build alone, at one size: wickgraph's fast build (every step timed) against pyoxigraph's ``bulk_load`` of
the same file, in the same run, each in a fresh process (``scale_tasks.py``), with the load average; and, as the
floor of any build that stores what this one stores, ``bulk_load`` of the built store's own quads (dumped to
N-Quads after the build, outside the timings): the build writes about six quads for each one it reads.

``python benchmarks/scale_build.py --size 1M`` (generates the universe once into ``--work``). A quicker loop
than ``make bench`` while working on the build; ``make bench`` reports the same bars.

``--full`` measures the full build instead (pyshacl, every citation checked against the generated texts): each
step, the parts of the SHACL step, the server's as-of copies timed apart, against ``bulk_load`` of the same file
(the issue's bar: 10x) and the fast build (``--no-fast`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

from scale import QUADS_PER_FILM, REPO, log, parse_size, run_task
from scale_report import size_name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default=str(REPO / "out" / "bench"))
    parser.add_argument("--no-raw", action="store_true", help="Skip the bulk_load reference.")
    parser.add_argument("--no-floor", action="store_true", help="Skip bulk_load of the built store's quads.")
    parser.add_argument("--full", action="store_true", help="Measure the full build (pyshacl, citations).")
    parser.add_argument("--no-fast", action="store_true", help="With --full: skip the fast build beside it.")
    parser.add_argument("--no-as-of", action="store_true", help="With --full: skip the server's as-of copies.")
    opts = parser.parse_args(argv)
    quads = parse_size(opts.size)
    films = max(6, round(quads / QUADS_PER_FILM))
    work = Path(opts.work) / f"size-{size_name(quads)}"
    data, marker = work / "data", work / "generated.json"
    path = data / "universe.nq"
    cached = json.loads(marker.read_text()) if marker.is_file() else None
    if not (cached and cached.get("films") == films and cached.get("seed") == opts.seed and path.is_file()):
        shutil.rmtree(work, ignore_errors=True)
        data.mkdir(parents=True)
        log(f"generating {films:,} films")
        gen = run_task("generate", {"path": str(path), "films": films, "seed": opts.seed})
        marker.write_text(json.dumps({"films": films, "seed": opts.seed, "report": gen}))
    if opts.full:
        texts = json.loads(marker.read_text())["report"]["texts"]
        return _full(work, data, path, fast=not opts.no_fast, as_of=not opts.no_as_of, texts=texts)
    before = os.getloadavg()[0]
    log("wickgraph fast build")
    built = run_task("wg_build", {"store": str(work / "store"), "data": str(data)})
    if "error" in built:
        print(json.dumps(built))
        return 1
    print("      wall       CPU  step")
    for message, seconds, cpu in built.get("steps", []):
        print(f"  {seconds:8.1f} {cpu:8.1f} s  {message}")
    print(
        f"fast build: {built['seconds']:.1f} s, {built['quads']:,} quads, peak {built['peak_mb']:.0f} MB, "
        f"{built['disk_mb']:.0f} MB on disk, {built['cpu_seconds']:.1f} s CPU; "
        f"phases (wall) {json.dumps({k: round(v, 1) for k, v in built['phases'].items()})}, "
        f"(CPU) {json.dumps({k: round(v, 1) for k, v in built['cpu_phases'].items()})}"
    )
    if not opts.no_raw:
        log("pyoxigraph bulk_load")
        raw = run_task("raw_load", {"store": str(work / "raw-store"), "path": str(path)})
        shutil.rmtree(work / "raw-store", ignore_errors=True)
        print(
            f"bulk_load: {raw['seconds']:.1f} s, {raw['cpu_seconds']:.1f} s CPU, peak {raw['peak_mb']:.0f} MB, "
            f"{raw['disk_mb']:.0f} MB on disk"
        )
        if not opts.no_floor:
            log("pyoxigraph bulk_load of the built store's own quads (the floor)")
            floor = _floor(work)
            print(
                f"bulk_load of the {built['quads']:,} built quads: {floor['seconds']:.1f} s, "
                f"{floor['cpu_seconds']:.1f} s CPU ({floor['cpu_seconds'] / raw['cpu_seconds']:.1f}x the input's); "
                f"the build is {built['cpu_seconds'] / floor['cpu_seconds']:.1f}x this floor in CPU"
            )
        ratio, cpu_ratio = built["seconds"] / raw["seconds"], built["cpu_seconds"] / raw["cpu_seconds"]
        print(
            f"ratio {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU (bar 4x: {'met' if ratio <= 4 else 'missed'}); "
            f"memory {built['peak_mb'] / raw['peak_mb']:.2f}x"
        )
    print(f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0


def _full(work: Path, data: Path, path: Path, *, fast: bool, as_of: bool, texts: str) -> int:
    """The full build against ``bulk_load`` of the same file (and the fast build), each in a fresh process."""
    before = os.getloadavg()[0]
    log("wickgraph full build (pyshacl, citations)")
    full = run_task(
        "full_build", {"store": str(work / "full-store"), "data": str(data), "texts": texts, "as_of": as_of}
    )
    shutil.rmtree(work / "full-store", ignore_errors=True)
    if "error" in full:
        print(json.dumps(full))
        return 1
    print("      wall       CPU  step")
    for message, seconds, cpu in full["steps"]:
        print(f"  {seconds:8.2f} {cpu:8.2f} s  {message}")
    print("  of the SHACL step (wall): " + ", ".join(f"{k} {v:.2f} s" for k, v in full["shacl"].items()))
    print(
        f"full build: {full['seconds']:.2f} s, {full['cpu_seconds']:.2f} s CPU, {full['quads']:,} quads, "
        f"{full['citations']:,} citations, peak {full['peak_mb']:.0f} MB; the server's as-of copies apart: "
        f"{full.get('as_of_copies', 0)} in {full.get('as_of_seconds', 0.0):.2f} s "
        f"(peak {full.get('as_of_peak_mb', full['peak_mb']):.0f} MB with them)"
    )
    log("pyoxigraph bulk_load")
    raw = run_task("raw_load", {"store": str(work / "raw-store"), "path": str(path)})
    shutil.rmtree(work / "raw-store", ignore_errors=True)
    print(f"bulk_load: {raw['seconds']:.2f} s, {raw['cpu_seconds']:.2f} s CPU, peak {raw['peak_mb']:.0f} MB")
    ratio, cpu_ratio = full["seconds"] / raw["seconds"], full["cpu_seconds"] / raw["cpu_seconds"]
    print(
        f"ratio {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU (bar 10x: {'met' if ratio <= 10 else 'missed'}); "
        f"with the as-of copies {(full['seconds'] + full.get('as_of_seconds', 0.0)) / raw['seconds']:.1f}x"
    )
    if fast:
        log("wickgraph fast build")
        built = run_task("wg_build", {"store": str(work / "store"), "data": str(data)})
        if "seconds" in built:
            print(
                f"fast build: {built['seconds']:.2f} s, {built['cpu_seconds']:.2f} s CPU; the full build is "
                f"{full['seconds'] / built['seconds']:.1f}x it"
            )
    print(f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0


def _floor(work: Path) -> dict[str, float]:
    """``bulk_load`` (in a fresh process) of every quad the fast build stored, dumped to N-Quads beforehand, in
    the pieces of 32 MB the build loads with (:func:`wickgraph.building.loading.load_lines`; one call for the
    whole dump would need about 1 GB of memory per million quads)."""
    import subprocess
    import sys

    from pyoxigraph import RdfFormat, Store

    dump, store = work / "built.nq", work / "floor-store"
    built = Store.read_only(os.path.realpath(work / "store" / "current"))
    built.dump(output=str(dump), format=RdfFormat.N_QUADS)
    del built
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--load-in-pieces", str(dump), str(store)],
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result
    finally:
        shutil.rmtree(store, ignore_errors=True)
        dump.unlink(missing_ok=True)


def _load_in_pieces(dump: str, store: str) -> None:
    """The floor's own process: load ``dump`` into a new store at ``store``; print its wall and CPU seconds."""
    import time

    from pyoxigraph import RdfFormat, Store

    from wickgraph.building.loading import load_lines

    started, cpu_started = time.perf_counter(), time.process_time()
    opened = Store(store)
    with open(dump, "rb") as lines:
        load_lines(opened, lines, RdfFormat.N_QUADS)
    opened.flush()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu}))


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--load-in-pieces"]:
        _load_in_pieces(sys.argv[2], sys.argv[3])
        raise SystemExit(0)
    raise SystemExit(main())
