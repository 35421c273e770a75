"""The scale benchmark: ``make bench`` (or ``python benchmarks/scale.py``) writes ``docs/benchmarks.md``.

For each size of synthetic film universe (``wickgraph generate``; 10k, 100k and 1M quads by default, 10M with
``--sizes 10k,100k,1M,10M``), every measurement runs in a fresh process (``scale_tasks.py``), side by side with
the same work done by the reference points:

- build: wickgraph's fast build (load, rules, merge, checks) against pyoxigraph's ``bulk_load`` of the same file,
  and wickgraph's full build (pyshacl, citations) where it is practical;
- every named query: through wickgraph, the same SPARQL on pyoxigraph alone, and on rdflib's in-memory store;
- NetworkX export against rdflib's converter; projections; HTML generation (when those modules exist);
- ``wickgraph query`` from a cold start on the real graph;
- peak memory of ``wickgraph query`` writing millions of rows in every output format;
- the server against ``oxigraph serve-read-only`` (``bench_server_ratio.py``, run as it is, its table included)
  and ``--as-of`` over HTTP, both on the real graph;
- the incremental build of a one-file change at 1M, when ``benchmarks/scale_incremental.py`` exists (the hook:
  :func:`incremental`).

The report opens with every bar of issue 18, each met, missed or not measured (never met by default), with both
sides of each ratio measured in the same run and the load average when it was measured. Not part of the test
run; the test suite runs it once at a tiny size, for correctness only (``--quick``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
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
        return {"error": f"timed out after {timeout:.0f} s", "load": load_average()}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": " / ".join(tail) or f"exit status {done.returncode}", "load": load_average()}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result.setdefault("wall", time.perf_counter() - started)
    result["load"] = load_average()
    return result


def load_average() -> float:
    """The one-minute load average now (read after each measurement: it covers the minute the work ran in)."""
    return os.getloadavg()[0]


def guarded(step: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run a step of the report in this process; a step that fails (a server that does not start, a missing
    extra) is reported as failed, with why, instead of ending the run and losing what was measured before it."""
    try:
        result = step(*args)
    except (Exception, SystemExit) as error:  # any failure of one step is its result
        return {"error": f"{type(error).__name__}: {error}", "load": load_average()}
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
    if quads == opts.incremental_size:
        log(f"{size_name(quads)}: incremental build of a one-file change")
        out["incremental"] = incremental(quads, work / "incremental")
    out["store"] = store
    return out


# ---- the incremental build ----------------------------------------------------------------------------------
INCREMENTAL = HERE / "scale_incremental.py"


def incremental(quads: int, work: Path) -> dict[str, Any]:
    """The incremental build's benchmark (``benchmarks/scale_incremental.py --json``) at this size: it generates
    the same universe split into data files, builds it in full, changes one file and builds again, and prints the
    figures as one JSON line (``seconds``, ``full_seconds``, ``incremental``, ``reason``): the full build is the
    reference, measured in the same run."""
    if not INCREMENTAL.is_file():
        return {"missing": f"{INCREMENTAL.relative_to(REPO)} is not there yet", "load": load_average()}
    command = [sys.executable, str(INCREMENTAL), "--size", str(quads), "--work", str(work), "--json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=7200, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 7200 s", "load": load_average()}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": " / ".join(tail) or f"exit status {done.returncode}", "load": load_average()}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = load_average()
    return result


# ---- the server, on the real graph ------------------------------------------------------------------------
def server_ratio(store: Path, opts: argparse.Namespace) -> dict[str, Any]:
    """``benchmarks/bench_server_ratio.py`` run as it is (it starts both servers and prints its ratio table with
    met or missed per load): its output, the clients it was run with, and the load average."""
    clients = ["2"] if opts.quick else ["8", "16"]
    command = [
        sys.executable,
        str(HERE / "bench_server_ratio.py"),
        *("--store", str(store), "--seconds", str(opts.server_seconds), "--clients", *clients),
    ]
    if opts.quick:
        command += ["--warmup", "0"]
    load_before = load_average()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 1800 s", "load": load_average()}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": " / ".join(tail) or f"exit status {done.returncode}", "load": load_average()}
    return {
        "output": done.stdout.strip(),
        "clients": [int(c) for c in clients],
        "seconds": opts.server_seconds,
        "load": max(load_before, load_average()),
    }


AS_OF = ("lead-of", {"film": "Ballerina"}, "2024-01-03")


def _get_seconds(port: int, path: str) -> tuple[float, int]:
    """One GET on a new connection: its wall time (the whole answer read) and its status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - started, response.status
    finally:
        conn.close()


def as_of_http(store: Path, opts: argparse.Namespace) -> dict[str, Any]:
    """``--as-of`` over HTTP on the real graph: a named query through ``wickgraph serve`` with ``as-of=DATE``,
    the first request of that date (the view is made) and the median of the next ones; the same query without
    as-of on the same server is the reference."""
    from urllib.parse import urlencode

    from _clients import start_server

    name, params, date = AS_OF
    plain = f"/queries/{name}?" + urlencode(params)
    dated = f"/queries/{name}?" + urlencode({**params, "as-of": date})
    repeat = 1 if opts.quick else 5
    process, base = start_server(store)
    port = int(base.rsplit(":", 1)[1])
    try:
        _get_seconds(port, plain)  # warm: the engines, the entity name
        plain_times = [_get_seconds(port, plain) for _ in range(repeat)]
        first = _get_seconds(port, dated)
        later = [_get_seconds(port, dated) for _ in range(repeat)]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    statuses = {s for _t, s in [*plain_times, first, *later]}
    if statuses != {200}:
        return {"error": f"HTTP statuses {sorted(statuses)}", "load": load_average()}
    return {
        "query": f"/queries/{name}?{urlencode(params)}&as-of={date}",
        "first": first[0],
        "later": statistics.median(t for t, _s in later),
        "plain": statistics.median(t for t, _s in plain_times),
        "repeat": repeat,
        "load": load_average(),
    }


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
    parser.add_argument("--stream-max", default="1M", help="Largest size whose every row is written in each format.")
    parser.add_argument(
        "--merge-from",
        action="append",
        default=[],
        help="With --render: also report the sizes of another run's results.json (repeat for more runs; a size "
        "already reported is kept from the first run that has it).",
    )
    parser.add_argument("--cold-repeat", type=int, default=11)
    parser.add_argument(
        "--incremental-size", default="1M", help="Size at which the incremental build is measured (the hook)."
    )
    parser.add_argument("--server-seconds", type=float, default=10.0, help="Seconds of each server load, per side.")
    parser.add_argument("--work", default=str(REPO / "out" / "bench"), help="Working directory (data, stores).")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--quick", action="store_true", help="Correctness run: 1 repetition, no notes.")
    parser.add_argument("--render", action="store_true", help="Only rewrite the report from WORK/results.json.")
    opts = parser.parse_args(argv)
    opts.argv = argv if argv is not None else sys.argv[1:]
    opts.rdflib_max = parse_size(opts.rdflib_max)
    opts.full_build_max = parse_size(opts.full_build_max)
    opts.nx_max = parse_size(opts.nx_max)
    opts.stream_max = parse_size(opts.stream_max)
    opts.incremental_size = parse_size(opts.incremental_size)
    if opts.quick:
        opts.repeat, opts.cold_repeat, opts.server_seconds = 1, 1, 0.5
        # A correctness run: the hook runs at the (only) size measured.
        opts.incremental_size = max(parse_size(text) for text in opts.sizes.split(","))
    if opts.render:
        saved = json.loads((Path(opts.work) / "results.json").read_text())
        opts.argv = saved.get("argv", [])
        for path in opts.merge_from:
            other = json.loads(Path(path).read_text())
            known = {r["target"] for r in saved["results"]}
            saved["results"] += [r for r in other["results"] if r["target"] not in known]
            saved["seconds"] += other.get("seconds", 0)
            opts.argv = [*opts.argv, "+", *other.get("argv", [])]
        text = report(
            saved["results"],
            saved["cold"],
            saved["stream"],
            saved["machine"],
            opts,
            saved["seconds"],
            saved.get("server", {}),
        )
        Path(opts.out).write_text(text + "\n", encoding="utf-8")
        log(f"wrote {opts.out}")
        return 0
    started = time.perf_counter()
    info = machine()
    log(f"machine: {info}")
    Path(opts.work).mkdir(parents=True, exist_ok=True)
    results = []
    saved: dict[str, Any] = {
        "results": results,
        "cold": {},
        "stream": None,
        "server": {},
        "machine": info,
        "argv": opts.argv,
    }

    def keep(**more: Any) -> None:
        """Write what is measured so far to WORK/results.json (``--render`` reports it), so that a step that
        fails late, or a run stopped by hand, does not lose the hours before it."""
        saved.update(more, seconds=time.perf_counter() - started)
        (Path(opts.work) / "results.json").write_text(json.dumps(saved, indent=1, default=str))

    for text in opts.sizes.split(","):
        result = measure_size(parse_size(text), opts)
        if "queries" in result:
            result["queries"]["repeat"] = opts.repeat
        results.append(result)
        keep()
    cold = cold_start(opts)
    server: dict[str, Any] = {}
    keep(cold=cold)
    real = (Path(opts.work) / "real-store").resolve()
    if "query" in cold:
        log("server: wickgraph serve against oxigraph serve-read-only (bench_server_ratio.py), real graph")
        server["ratio"] = guarded(server_ratio, real, opts)
        log("server: --as-of over HTTP, real graph")
        server["as_of"] = guarded(as_of_http, real, opts)
        keep(server=server)
    built = [r for r in results if "store" in r and "error" not in r.get("build", {"error": 1})]
    # Every row of the store in eight formats: about 2.4M rows at 1M take minutes per format; 10M, hours.
    streamed = [r for r in built if r["target"] <= opts.stream_max]
    stream = streaming(streamed[-1]["store"]) if streamed else None
    keep(stream=stream)
    seconds = saved["seconds"]
    text = report(results, cold, stream, info, opts, seconds, server)
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.out).write_text(text + "\n", encoding="utf-8")
    log(f"wrote {opts.out}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
