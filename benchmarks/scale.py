"""The scale benchmark: ``make bench`` (or ``python benchmarks/scale.py``) writes ``docs/benchmarks.md``.

For each size of synthetic film universe (``wickgraph generate``; 10k, 100k and 1M quads by default, 10M with
``--sizes 10k,100k,1M,10M``), every measurement runs in a fresh process (``scale_tasks.py``), side by side with
the same work done by the reference points:

- build: wickgraph's fast build (load, rules, merge, checks) against pyoxigraph's ``bulk_load`` of the same file,
  and wickgraph's full build (pyshacl, citations) where it is practical;
- every named query: through wickgraph, the same SPARQL on pyoxigraph alone, and on rdflib's in-memory store;
- NetworkX export against rdflib's converter; projections; HTML generation (when those modules exist);
- ``wickgraph query`` from a cold start on the real graph;
- peak memory of ``wickgraph query`` writing millions of rows in every output format.

It prints ratios as well as times, and says which targets were met. Not part of the test run; the test suite
runs it once at a tiny size, for correctness only (``--quick``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scale_report import report, size_name

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TASKS = HERE / "scale_tasks.py"
QUADS_PER_FILM = 205  # keep in step with wickgraph.synthetic.QUADS_PER_FILM (checked by the quick run)


# ---- running tasks ----------------------------------------------------------------------------------
def run_task(name: str, args: dict[str, Any], *, timeout: float = 7200) -> dict[str, Any]:
    """Run one task in a fresh process; its result, or ``{"error": ...}``."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(TASKS), name, json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": " / ".join(tail) or f"exit status {done.returncode}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result.setdefault("wall", time.perf_counter() - started)
    return result


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if text[-1] in "km" else text) * factor)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- the machine ------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    info = {"cores": str(os.cpu_count()), "python": platform.python_version(), "system": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 2**20:.1f} GiB"
        info["load"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    from importlib.metadata import version

    for package in ("pyoxigraph", "rdflib", "networkx", "pyshacl", "wickgraph"):
        try:
            info[package] = version(package)
        except Exception:  # pragma: no cover - a missing package
            info[package] = "not installed"
    # A pure-Python yardstick: how fast this machine runs Python right now (other jobs share it).
    started = time.perf_counter()
    sum(range(10_000_000))
    info["yardstick"] = f"{time.perf_counter() - started:.2f} s for sum(range(10**7))"
    return info


# ---- one size ---------------------------------------------------------------------------------------
def measure_size(quads: int, opts: argparse.Namespace) -> dict[str, Any]:
    films = max(6, round(quads / QUADS_PER_FILM))
    work = Path(opts.work) / f"size-{size_name(quads)}"
    data = work / "data"
    path = data / "universe.nq"
    marker = work / "generated.json"
    out: dict[str, Any] = {"target": quads, "films": films}
    cached = json.loads(marker.read_text()) if marker.is_file() else None
    if cached and cached.get("films") == films and cached.get("seed") == opts.seed and path.is_file():
        log(f"{size_name(quads)}: reusing the generated universe in {data}")
        gen = cached["report"]
    else:
        shutil.rmtree(work, ignore_errors=True)
        data.mkdir(parents=True)
        log(f"{size_name(quads)}: generating {films:,} films")
        gen = run_task("generate", {"path": str(path), "films": films, "seed": opts.seed})
        if "error" in gen:
            out["error"] = f"generate: {gen['error']}"
            return out
        marker.write_text(json.dumps({"films": films, "seed": opts.seed, "report": gen}))
    out["generate"] = gen
    store = str(work / "store")
    log(f"{size_name(quads)}: wickgraph fast build")
    out["build"] = run_task("wg_build", {"store": store, "data": str(data)})
    log(f"{size_name(quads)}: pyoxigraph bulk_load")
    out["raw"] = run_task("raw_load", {"store": str(work / "raw-store"), "path": str(path)})
    shutil.rmtree(work / "raw-store", ignore_errors=True)
    if quads <= opts.full_build_max:
        log(f"{size_name(quads)}: wickgraph full build (pyshacl, citations)")
        out["full"] = run_task(
            "full_build", {"store": str(work / "full-store"), "data": str(data), "texts": gen["texts"]}
        )
        shutil.rmtree(work / "full-store", ignore_errors=True)
    if "error" in out["build"]:
        return out
    log(f"{size_name(quads)}: named queries (wickgraph and pyoxigraph)")
    out["queries"] = run_task("queries", {"store": store, "params": gen["params"], "repeat": opts.repeat})
    dump, merge = work / "built.nq", work / "merge.nt"
    if quads <= opts.rdflib_max and "error" not in out["queries"]:
        run_task("dump", {"store": store, "path": str(dump), "merge": str(merge)})
        log(f"{size_name(quads)}: pyoxigraph bulk_load of every quad the build wrote")
        out["raw_built"] = run_task("raw_load", {"store": str(work / "raw-store"), "path": str(dump)})
        shutil.rmtree(work / "raw-store", ignore_errors=True)
        texts = {name: q["text"] for name, q in out["queries"]["queries"].items()}
        log(f"{size_name(quads)}: rdflib in-memory store (load, the same queries)")
        out["rdflib"] = run_task("rdflib_queries", {"path": str(dump), "texts": texts, "timeout": opts.rdflib_timeout})
        log(f"{size_name(quads)}: NetworkX export (rdflib's converter)")
        out["nx_rdflib"] = run_task("nx_rdflib", {"path": str(merge)})
        dump.unlink(missing_ok=True)
        merge.unlink(missing_ok=True)
    if quads <= opts.nx_max:
        log(f"{size_name(quads)}: NetworkX export, projections, HTML pages (wickgraph)")
        focus = gen["params"].get("lead-of", {}).get("film", "")
        out["nx"] = run_task("nx_wickgraph", {"store": store, "focus": focus})
    else:
        out["nx"] = {"missing": f"not run above {size_name(opts.nx_max)} (--nx-max)"}
    out["store"] = store
    return out


# ---- cold start and streaming output ---------------------------------------------------------------
def _wickgraph() -> str:
    found = Path(sys.executable).parent / "wickgraph"
    return str(found) if found.exists() else "wickgraph"


def _wall(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_start(opts: argparse.Namespace) -> dict[str, Any]:
    store = Path(opts.work) / "real-store"
    log("cold start: building the real graph")
    built = subprocess.run(
        [_wickgraph(), "build", "--fast", "--store", str(store), "-q"], capture_output=True, text=True, cwd=REPO
    )
    if built.returncode != 0:
        return {"error": built.stderr.strip().splitlines()[-1:]}
    repeat = opts.cold_repeat
    query = [_wickgraph(), "query", "lead-of", "--store", str(store), "--format", "tsv"]
    return {
        "query": _wall(query, repeat),
        "help": _wall([_wickgraph(), "--help"], repeat),
        "python": _wall([sys.executable, "-c", "pass"], repeat),
        "import": _wall([sys.executable, "-c", "import wickgraph.cli"], repeat),
        "repeat": repeat,
    }


def _peak_of(command: list[str]) -> tuple[float, float, int]:
    """Run a command with its output to /dev/null: (seconds, its peak RSS in MB, exit status)."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, status


def streaming(store: str) -> dict[str, Any]:
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    graph = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    rows = subprocess.run(
        [_wickgraph(), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", store, "--format", "csv"],
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    out: dict[str, Any] = {"rows": int(rows) if rows.isdigit() else rows, "formats": {}}
    log("streaming output: pyoxigraph alone reading every row (the reference)")
    alone = (
        "import os, sys, pyoxigraph\n"
        "store = pyoxigraph.Store.read_only(os.path.realpath(os.path.join(sys.argv[1], 'current')))\n"
        f"for row in store.query({everything!r}): pass\n"
    )
    seconds, peak, _status = _peak_of([sys.executable, "-c", alone, store])
    out["pyoxigraph"] = {"seconds": seconds, "peak_mb": peak}
    for fmt, query in [
        *((f, everything) for f in ("csv", "tsv", "json", "table")),
        *((f, graph) for f in ("ntriples", "turtle", "jsonld", "rdfxml")),
    ]:
        log(f"streaming output: {fmt}")
        base = [_wickgraph(), "query", "--store", store, "--format", fmt]
        small = _peak_of([*base, query + " LIMIT 1000"])
        full = _peak_of([*base, query])
        out["formats"][fmt] = {"seconds": full[0], "peak_mb": full[1], "small_mb": small[1], "status": full[2]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="Sizes in quads, e.g. 10k,100k,1M,10M.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5, help="Runs per query (median), after one warm-up.")
    parser.add_argument("--rdflib-timeout", type=int, default=10, help="Seconds allowed per rdflib query.")
    parser.add_argument("--rdflib-max", default="1M", help="Largest size run on rdflib (it needs ~1.5 KB/triple).")
    parser.add_argument("--full-build-max", default="100k", help="Largest size built with the full build too.")
    parser.add_argument("--nx-max", default="1M", help="Largest size exported to NetworkX (whole graph in memory).")
    parser.add_argument(
        "--merge-from", default=None, help="With --render: also report the sizes of another run's results.json."
    )
    parser.add_argument("--cold-repeat", type=int, default=11)
    parser.add_argument("--work", default=str(REPO / "out" / "bench"), help="Working directory (data, stores).")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--quick", action="store_true", help="Correctness run: 1 repetition, no notes.")
    parser.add_argument("--render", action="store_true", help="Only rewrite the report from WORK/results.json.")
    opts = parser.parse_args(argv)
    opts.argv = argv if argv is not None else sys.argv[1:]
    opts.rdflib_max = parse_size(opts.rdflib_max)
    opts.full_build_max = parse_size(opts.full_build_max)
    opts.nx_max = parse_size(opts.nx_max)
    if opts.quick:
        opts.repeat, opts.cold_repeat = 1, 1
    if opts.render:
        saved = json.loads((Path(opts.work) / "results.json").read_text())
        opts.argv = saved.get("argv", [])
        if opts.merge_from:
            other = json.loads(Path(opts.merge_from).read_text())
            known = {r["target"] for r in saved["results"]}
            saved["results"] += [r for r in other["results"] if r["target"] not in known]
            saved["seconds"] += other.get("seconds", 0)
            opts.argv = [*opts.argv, "+", *other.get("argv", [])]
        text = report(saved["results"], saved["cold"], saved["stream"], saved["machine"], opts, saved["seconds"])
        Path(opts.out).write_text(text + "\n", encoding="utf-8")
        log(f"wrote {opts.out}")
        return 0
    started = time.perf_counter()
    info = machine()
    log(f"machine: {info}")
    Path(opts.work).mkdir(parents=True, exist_ok=True)
    results = []
    for text in opts.sizes.split(","):
        result = measure_size(parse_size(text), opts)
        if "queries" in result:
            result["queries"]["repeat"] = opts.repeat
        results.append(result)
    cold = cold_start(opts)
    built = [r for r in results if "store" in r and "error" not in r.get("build", {"error": 1})]
    stream = streaming(built[-1]["store"]) if built else None
    seconds = time.perf_counter() - started
    text = report(results, cold, stream, info, opts, seconds)
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.out).write_text(text + "\n", encoding="utf-8")
    saved = {"results": results, "cold": cold, "stream": stream, "machine": info, "seconds": seconds, "argv": opts.argv}
    (Path(opts.work) / "results.json").write_text(json.dumps(saved, indent=1, default=str))
    log(f"wrote {opts.out}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
