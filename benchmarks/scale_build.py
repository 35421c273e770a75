"""The build alone, at one size: wickgraph's fast build (every step timed) against pyoxigraph's ``bulk_load`` of
the same file, in the same run, each in a fresh process (``scale_tasks.py``), with the load average.

``python benchmarks/scale_build.py --size 1M`` (generates the universe once into ``--work``). A quicker loop
than ``make bench`` while working on the build; ``make bench`` reports the same bars.
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
        ratio, cpu_ratio = built["seconds"] / raw["seconds"], built["cpu_seconds"] / raw["cpu_seconds"]
        print(
            f"ratio {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU (bar 4x: {'met' if ratio <= 4 else 'missed'}); "
            f"memory {built['peak_mb'] / raw['peak_mb']:.2f}x"
        )
    print(f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
