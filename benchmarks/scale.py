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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TASKS = HERE / "scale_tasks.py"
QUADS_PER_FILM = 205  # keep in step with wickgraph.synthetic.QUADS_PER_FILM (checked by the quick run)

TARGETS = {
    "build_ratio": 1.3,
    "build_rate": 200_000,
    "build_mb": 1024,
    "query_ratio": 1.5,
    "rdflib_factor": 20,
    "query_ms": 100,
    "cold_s": 0.3,
    "nx_factor": 3,
    "nx_mb": 1536,
    "stream_mb": 64,
}


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


def size_name(quads: int) -> str:
    if quads >= 1_000_000:
        return f"{quads / 1_000_000:g}M"
    return f"{quads / 1_000:g}k" if quads >= 1000 else str(quads)


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


# ---- the report -------------------------------------------------------------------------------------
def fmt_s(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.1f} ms"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "n/a"


def _speed(theirs: float, ours: float) -> str:
    """How much faster (or slower) wickgraph was, as a word a reader need not decode."""
    return f"{theirs / ours:.2f}x faster" if theirs >= ours else f"{ours / theirs:.2f}x slower"


def met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def size_section(result: dict[str, Any]) -> list[str]:
    name = size_name(result["target"])
    lines = [f"### {name} quads", ""]
    if "error" in result:
        return [*lines, f"Failed: {result['error']}", ""]
    gen, build, raw = result["generate"], result["build"], result["raw"]
    lines.append(
        f"Synthetic universe: {gen['films']:,} films, {gen['quads']:,} quads in the input file "
        f"({gen['bytes'] / 2**20:,.0f} MB N-Quads), {gen['entities']:,} entities, {gen['sources']:,} sources, "
        f"{gen['claims']:,} claims; generated in {fmt_s(gen['seconds'])}."
    )
    lines.append("")
    lines.append("| build | time | input quads/s | peak memory | store on disk | vs pyoxigraph |")
    lines.append("|---|---|---|---|---|---|")
    raw_s = raw.get("seconds")
    if "error" in build:
        lines.append(f"| wickgraph fast build | failed: {build['error']} | | | | |")
    else:
        phases = ", ".join(f"{k} {fmt_s(v)}" for k, v in build["phases"].items())
        lines.append(
            f"| wickgraph fast build ({phases}) | {fmt_s(build['seconds'])} | "
            f"{gen['quads'] / build['seconds']:,.0f} | {build['peak_mb']:,.0f} MB | {build['disk_mb']:,.0f} MB | "
            f"{ratio(build['seconds'], raw_s)} |"
        )
        load = build["phases"].get("load")
        lines.append(
            f"| &nbsp;&nbsp;its load phase alone | {fmt_s(load)} | {gen['quads'] / load:,.0f} | | | {ratio(load, raw_s)} |"
            if load
            else "| &nbsp;&nbsp;its load phase alone | n/a | | | | |"
        )
    if "error" in raw:
        lines.append(f"| pyoxigraph bulk_load | failed: {raw['error']} | | | | |")
    else:
        lines.append(
            f"| pyoxigraph `Store.bulk_load` (same file) | {fmt_s(raw_s)} | {gen['quads'] / raw_s:,.0f} | "
            f"{raw['peak_mb']:,.0f} MB | {raw['disk_mb']:,.0f} MB | 1.00x |"
        )
    built = result.get("raw_built")
    if built is not None and "error" not in build:
        lines.append(
            f"| pyoxigraph `Store.bulk_load` of the built store's {build['quads']:,} quads | "
            f"{fmt_s(built.get('seconds'))} | {build['quads'] / built['seconds']:,.0f} (stored quads/s) | "
            f"{built['peak_mb']:,.0f} MB | {built['disk_mb']:,.0f} MB | {ratio(built['seconds'], raw_s)} |"
            if "seconds" in built
            else f"| pyoxigraph `Store.bulk_load` of the built store | failed: {built.get('error')} | | | | |"
        )
    full = result.get("full")
    if full is not None:
        if "error" in full:
            lines.append(f"| wickgraph full build (pyshacl, citations) | failed: {full['error']} | | | | |")
        else:
            lines.append(
                f"| wickgraph full build (pyshacl, {full['citations']:,} citations checked) | "
                f"{fmt_s(full['seconds'])} | {gen['quads'] / full['seconds']:,.0f} | {full['peak_mb']:,.0f} MB | | "
                f"{ratio(full['seconds'], raw_s)} |"
            )
    if "derived" in build:
        lines.append("")
        lines.append(
            f"The built store holds {build['quads']:,} quads: the input, {build['derived']:,} derived by the rules "
            "and the merge of all graphs in the default graph."
        )
    lines.append("")
    queries = result.get("queries", {})
    rdf = result.get("rdflib", {})
    if "queries" in queries:
        load = f", rdflib load {fmt_s(rdf.get('load_seconds'))}, {rdf.get('peak_mb', 0):,.0f} MB peak" if rdf else ""
        lines.append(f"Named queries, median of {queries.get('repeat', '')} runs after one warm-up{load}:")
        lines.append("")
        lines.append(
            "| query | rows | wickgraph | pyoxigraph alone | wickgraph / pyoxigraph | rdflib | rdflib / wickgraph |"
        )
        lines.append("|---|---|---|---|---|---|---|")
        for qname, q in queries["queries"].items():
            r = rdf.get("queries", {}).get(qname) if rdf else None
            if r is None:
                rdf_ms, rdf_ratio = "n/a", "n/a"
            elif r.get("ms") is None:
                rdf_ms, rdf_ratio = f"> {r['timeout']} s", f"> {r['timeout'] * 1000 / q['wickgraph_ms']:,.0f}x"
            else:
                rdf_ms, rdf_ratio = fmt_ms(r["ms"]), f"{r['ms'] / q['wickgraph_ms']:,.0f}x"
            lines.append(
                f"| {qname} | {q['rows']:,} | {fmt_ms(q['wickgraph_ms'])} | {fmt_ms(q['raw_ms'])} | "
                f"{ratio(q['wickgraph_ms'], q['raw_ms'])} | {rdf_ms} | {rdf_ratio} |"
            )
        lines.append("")
    elif queries:
        lines += [f"Named queries failed: {queries.get('error')}", ""]
    nx, nxr = result.get("nx", {}), result.get("nx_rdflib")
    lines.append("| NetworkX and views | time | peak memory | size | vs rdflib |")
    lines.append("|---|---|---|---|---|")
    if "missing" in nx or "error" in nx:
        lines.append(f"| wickgraph `to_networkx` | n/a ({nx.get('missing') or nx.get('error')}) | | | |")
    else:
        lines.append(
            f"| wickgraph `to_networkx` | {fmt_s(nx['seconds'])} | {nx['peak_mb']:,.0f} MB | "
            f"{nx['nodes']:,} nodes, {nx['edges']:,} edges | "
            f"{_speed(nxr['seconds'], nx['seconds']) if nxr and 'seconds' in nxr else 'n/a'}; "
            f"{_speed(nxr['seconds'] + nxr['load_seconds'], nx['seconds']) if nxr and 'seconds' in nxr else 'n/a'} "
            "with rdflib's parse |"
        )
    if nxr is not None:
        if "error" in nxr:
            lines.append(f"| rdflib `rdflib_to_networkx_multidigraph` | failed: {nxr['error']} | | | |")
        else:
            lines.append(
                f"| rdflib `rdflib_to_networkx_multidigraph` (after a {fmt_s(nxr['load_seconds'])} load) | "
                f"{fmt_s(nxr['seconds'])} | {nxr['peak_mb']:,.0f} MB | {nxr['nodes']:,} nodes, {nxr['edges']:,} edges | 1.00x |"
            )
    for pname, p in (nx.get("projections") or {}).items():
        lines.append(
            f"| projection `{pname}` | {fmt_s(p['seconds'])} | | {p['nodes']:,} nodes, {p['edges']:,} edges | |"
        )
    if "projections" not in nx:
        lines.append("| projections | n/a (not built) | | | |")
    pages = nx.get("html")
    for pname, page in (pages or {}).items():
        if "error" in page:
            lines.append(f"| HTML page, {pname} | failed: {page['error']} | | | |")
            continue
        lines.append(
            f"| HTML page, {pname} | {fmt_s(page['seconds'])} | | {page['nodes']:,} nodes, {page['edges']:,} edges, "
            f"{page['bytes'] / 2**20:.1f} MB | |"
        )
    if not pages:
        lines.append("| HTML page | n/a (not built) | | | |")
    lines.append("")
    return lines


def targets(results: list[dict[str, Any]], cold: dict[str, Any], stream: dict[str, Any] | None) -> list[str]:
    by_size = {r["target"]: r for r in results if "error" not in r}
    one_m = by_size.get(1_000_000)
    t = TARGETS
    rows: list[tuple[str, str, bool | None]] = []
    if one_m and "seconds" in one_m["build"] and "seconds" in one_m["raw"]:
        b, raw, quads = one_m["build"], one_m["raw"], one_m["generate"]["quads"]
        load = b["phases"].get("load", b["seconds"])
        rows.append(
            (
                f"1M build within {t['build_ratio']}x of pyoxigraph's bulk load",
                f"whole build {b['seconds'] / raw['seconds']:.2f}x; load phase {load / raw['seconds']:.2f}x"
                + (
                    f"; pyoxigraph alone loading the {b['quads']:,} quads the build writes: "
                    f"{one_m['raw_built']['seconds'] / raw['seconds']:.2f}x"
                    if "seconds" in one_m.get("raw_built", {})
                    else ""
                ),
                b["seconds"] / raw["seconds"] <= t["build_ratio"],
            )
        )
        rows.append(
            (
                f"1M build at {t['build_rate']:,} quads/s or better",
                f"{quads / b['seconds']:,.0f} quads/s (pyoxigraph alone: {quads / raw['seconds']:,.0f})",
                quads / b["seconds"] >= t["build_rate"],
            )
        )
        rows.append(
            (f"1M build peak memory under {t['build_mb']} MB", f"{b['peak_mb']:,.0f} MB", b["peak_mb"] < t["build_mb"])
        )
    else:
        rows.append(("1M build", "not measured (run with the 1M size)", None))
    q = (one_m or {}).get("queries", {}).get("queries")
    if q:
        worst_ratio = max(q.values(), key=lambda x: x["wickgraph_ms"] / max(x["raw_ms"], 1e-9))
        slowest = max(q.items(), key=lambda kv: kv[1]["wickgraph_ms"])
        over = [n for n, x in q.items() if x["wickgraph_ms"] > t["query_ms"]]
        rows.append(
            (
                f"every named query at 1M within {t['query_ratio']}x of pyoxigraph alone",
                f"worst {worst_ratio['wickgraph_ms'] / worst_ratio['raw_ms']:.2f}x",
                all(x["wickgraph_ms"] <= t["query_ratio"] * x["raw_ms"] for x in q.values()),
            )
        )
        rdf = (one_m or {}).get("rdflib", {}).get("queries", {})
        if rdf:
            factors = []
            for n, x in q.items():
                r = rdf.get(n, {})
                ms = r.get("ms") if r.get("ms") is not None else r.get("timeout", 0) * 1000
                factors.append(ms / x["wickgraph_ms"])
            rows.append(
                (
                    f"every named query at 1M at least {t['rdflib_factor']}x faster than rdflib",
                    f"smallest factor {min(factors):,.0f}x (timeouts counted at the limit)",
                    min(factors) >= t["rdflib_factor"],
                )
            )
        rows.append(
            (
                f"no named query over {t['query_ms']} ms median at 1M",
                f"slowest {slowest[0]} {fmt_ms(slowest[1]['wickgraph_ms'])}"
                + (f"; over: {', '.join(over)}" if over else ""),
                not over,
            )
        )
    if "query" in cold:
        rows.append(
            (
                f"`wickgraph query` cold start under {t['cold_s']} s",
                f"{cold['query']:.3f} s (python alone {cold['python']:.3f} s, import {cold['import']:.3f} s)",
                cold["query"] < t["cold_s"],
            )
        )
    nx = (one_m or {}).get("nx", {})
    nxr = (one_m or {}).get("nx_rdflib", {})
    if "seconds" in nx and "seconds" in (nxr or {}):
        rows.append(
            (
                f"NetworkX export at 1M at least {t['nx_factor']}x faster than rdflib's converter",
                f"{_speed(nxr['seconds'], nx['seconds'])} than the converter alone, given a parsed rdflib Graph "
                f"({fmt_s(nx['seconds'])} against {fmt_s(nxr['seconds'])}); "
                f"{_speed(nxr['seconds'] + nxr['load_seconds'], nx['seconds'])} than rdflib from the file "
                f"(parse {fmt_s(nxr['load_seconds'])} + convert)",
                nxr["seconds"] / nx["seconds"] >= t["nx_factor"],
            )
        )
        rows.append(
            (
                f"NetworkX export at 1M under {t['nx_mb']} MB peak",
                f"{nx['peak_mb']:,.0f} MB",
                nx["peak_mb"] < t["nx_mb"],
            )
        )
    else:
        rows.append(("NetworkX export at 1M", "not measured (run with the 1M size)", None))
    if stream:
        # Constant memory: no more than pyoxigraph alone needs to read the same rows (its storage caches grow
        # with what it reads), give or take the stream_mb margin.
        reference = stream.get("pyoxigraph", {}).get("peak_mb")
        growth = {f: v["peak_mb"] - (reference or v["small_mb"]) for f, v in stream["formats"].items()}
        worst = max(growth, key=lambda f: growth[f])
        against = f"pyoxigraph alone reading them ({reference:,.0f} MB)" if reference else "a 1,000-row answer"
        rows.append(
            (
                "millions of rows stream in constant memory, every format",
                f"{stream['rows']:,} rows; largest peak over {against}: {worst} {growth[worst]:+.0f} MB",
                all(g < t["stream_mb"] for g in growth.values()),
            )
        )
    lines = ["| target | measured | |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {met(c)} |" for a, b, c in rows]
    return lines


def report(
    results: list[dict[str, Any]],
    cold: dict[str, Any],
    stream: dict[str, Any] | None,
    info: dict[str, str],
    opts: argparse.Namespace,
    seconds: float,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python benchmarks/scale.py {' '.join(opts.argv)}`) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, in {seconds / 60:.1f} minutes. Every figure comes "
        "from a fresh process; peak memory is that process's peak resident set, interpreter included.",
        "",
        "## The machine",
        "",
        f"- {info.get('cores')} cores, {info.get('cpu', '?')}, {info.get('memory', '?')} memory; {info.get('system')}",
        f"- Python {info['python']}; pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}, networkx "
        f"{info['networkx']}, pyshacl {info['pyshacl']}, wickgraph {info['wickgraph']}",
        f"- load average when the run started: {info.get('load', '?')}; yardstick: {info['yardstick']} "
        "(a pure-Python loop timed at the start: compare it between runs; when it is larger, other jobs were "
        "sharing the cores and every time below is inflated by about that factor, the ratios much less)",
        "",
        "## Targets",
        "",
        *targets(results, cold, stream),
        "",
        "## Cold start",
        "",
    ]
    if "query" in cold:
        lines += [
            f"Median wall time of {cold['repeat']} runs on the real graph (built with `wickgraph build --fast`):",
            "",
            "| command | wall |",
            "|---|---|",
            f"| `python -c pass` | {fmt_s(cold['python'])} |",
            f"| `python -c 'import wickgraph.cli'` | {fmt_s(cold['import'])} |",
            f"| `wickgraph --help` | {fmt_s(cold['help'])} |",
            f"| `wickgraph query lead-of --format tsv` | {fmt_s(cold['query'])} |",
            "",
        ]
    else:
        lines += [f"Not measured: {cold.get('error')}", ""]
    if stream:
        lines += [
            "## Streaming output",
            "",
            f"`wickgraph query` writing every triple of the largest store ({stream['rows']:,} rows), output to "
            "/dev/null, against the same query with `LIMIT 1000`: peak memory of the whole process. For reference, "
            "pyoxigraph alone reading the same rows (and nothing else): "
            + (
                f"{fmt_s(stream['pyoxigraph']['seconds'])}, {stream['pyoxigraph']['peak_mb']:,.0f} MB."
                if "pyoxigraph" in stream
                else "not measured."
            ),
            "",
            "| format | time | peak memory | with LIMIT 1000 |",
            "|---|---|---|---|",
        ]
        for f, v in stream["formats"].items():
            status = "" if v["status"] == 0 else f" (exit status {v['status']})"
            lines.append(f"| {f} | {fmt_s(v['seconds'])}{status} | {v['peak_mb']:,.0f} MB | {v['small_mb']:,.0f} MB |")
        lines.append("")
    lines += ["## Per size", ""]
    for result in results:
        lines += size_section(result)
    notes = HERE / "notes.md"
    if notes.is_file() and not opts.quick:
        lines += ["## Notes", "", notes.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


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
