"""The measurements of ``benchmarks/scale.py``, one per process: ``python scale_tasks.py TASK JSON-ARGS``.

Each task prints one JSON object on its last line of output. Peak memory is the process's own peak resident set
(``ru_maxrss``), so every figure is for one job alone, including the Python interpreter (about 30-60 MB).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def task(func: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    TASKS[func.__name__] = func
    return func


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: str | Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.path.getsize(os.path.join(root, name))
    return total / 2**20


def generation(store: str) -> str:
    return os.path.realpath(os.path.join(store, "current"))


@task
def generate(a: dict[str, Any]) -> dict[str, Any]:
    from wickgraph.synthetic import generate as run

    started = time.perf_counter()
    report = run(a["path"], films=a["films"], seed=a["seed"])
    return {
        "seconds": time.perf_counter() - started,
        "quads": report.quads,
        "films": report.films,
        "entities": report.entities,
        "claims": report.claims,
        "sources": report.sources,
        "texts": str(report.texts_dir),
        "bytes": Path(a["path"]).stat().st_size,
        "params": report.params,
        "peak_mb": peak_mb(),
    }


@task
def wg_build(a: dict[str, Any]) -> dict[str, Any]:
    """wickgraph's fast build, with the time of each phase (from its progress messages): wall clock, and the CPU
    time of the process (all its threads: the figure a shared, busy machine distorts least)."""
    from wickgraph.building.builder import bulk_build

    shutil.rmtree(a["store"], ignore_errors=True)
    marks: list[tuple[str, float, float]] = []

    def progress(message: str) -> None:
        marks.append((message, time.perf_counter(), time.process_time()))

    started, cpu_started = time.perf_counter(), time.process_time()
    report = bulk_build(a["store"], data_dir=Path(a["data"]), progress=progress)
    ended, cpu_ended = time.perf_counter(), time.process_time()
    phases: dict[str, float] = {}
    cpu_phases: dict[str, float] = {}
    names = {"loading": "load", "applying": "rules", "merging": "merge", "checking": "checks"}
    points = [(names.get(m.split()[0], ""), t, c) for m, t, c in marks if m.split()[0] in names]
    for (name, t, c), (_next, t2, c2) in zip(points, [*points[1:], ("end", ended, cpu_ended)], strict=True):
        phases[name] = phases.get(name, 0.0) + t2 - t
        cpu_phases[name] = cpu_phases.get(name, 0.0) + c2 - c
    following = [*marks[1:], ("end", ended, cpu_ended)]
    steps = [(m, t2 - t, c2 - c) for (m, t, c), (_m2, t2, c2) in zip(marks, following, strict=True)]
    return {
        "seconds": ended - started,
        "cpu_seconds": cpu_ended - cpu_started,
        "phases": phases,
        "cpu_phases": cpu_phases,
        "steps": [(m[:70], round(w, 2), round(c, 2)) for m, w, c in steps if w >= 0.5 or c >= 0.5],
        "quads": report.quads,
        "derived": report.derived,
        "peak_mb": peak_mb(),
        "disk_mb": disk_mb(generation(a["store"])),
    }


@task
def raw_load(a: dict[str, Any]) -> dict[str, Any]:
    """pyoxigraph alone: bulk_load of the same file into a new on-disk store."""
    import pyoxigraph

    shutil.rmtree(a["store"], ignore_errors=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    store = pyoxigraph.Store(a["store"])
    store.bulk_load(path=a["path"], format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    del store
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb(), "disk_mb": disk_mb(a["store"])}


@task
def full_build(a: dict[str, Any]) -> dict[str, Any]:
    """wickgraph's full build (pyshacl, citations) of the same data, for the sizes where it is practical: wall and
    CPU time, the time of each step (from its progress messages), and the time of each part of the SHACL step
    (the rdflib copy, pyshacl on the union, the each-graph shapes, the ill-typed values). The server's as-of
    copies, which the full build writes by default before it publishes, are timed apart (``as_of_seconds``,
    written after the build by the same function): they are the server's, and the fast build beside it does
    not write them either. ``a["as_of"] = False`` skips them."""
    from wickgraph.building import validate
    from wickgraph.building.builder import build

    shutil.rmtree(a["store"], ignore_errors=True)
    marks: list[tuple[str, float, float]] = []
    shacl: dict[str, float] = {}

    def progress(message: str) -> None:
        marks.append((message, time.perf_counter(), time.process_time()))

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                shacl[name] = shacl.get(name, 0.0) + time.perf_counter() - started

        return run

    pyshacl_run = validate._pyshacl

    def each_run(*args: Any, **kwargs: Any) -> Any:  # the union's run has no ``where``; the each-graph ones do
        where = args[4] if len(args) > 4 else kwargs.get("where")
        name = "pyshacl, union" if where is None else "pyshacl, each-graph shapes"
        return timed(name, pyshacl_run)(*args, **kwargs)

    validate._pyshacl = each_run  # type: ignore[assignment]
    validate._lexical_problems = timed("ill-typed values (SPARQL)", validate._lexical_problems)  # type: ignore[assignment]
    validate.shacl_problems = timed("SHACL step in all", validate.shacl_problems)  # type: ignore[assignment]
    started, cpu_started = time.perf_counter(), time.process_time()
    report = build(
        a["store"],
        mode="full",
        data_dir=Path(a["data"]),
        sources_dir=Path(a["texts"]),
        progress=progress,
        as_of_copies=False,
    )
    ended, cpu_ended = time.perf_counter(), time.process_time()
    following = [*marks[1:], ("end", ended, cpu_ended)]
    steps = [
        (m[:70], round(t2 - t, 2), round(c2 - c, 2)) for (m, t, c), (_m, t2, c2) in zip(marks, following, strict=True)
    ]
    out: dict[str, Any] = {
        "seconds": ended - started,
        "cpu_seconds": cpu_ended - cpu_started,
        "steps": steps,
        "shacl": {k: round(v, 2) for k, v in shacl.items()},
        "quads": report.quads,
        "citations": report.citations_checked,
        "peak_mb": peak_mb(),
    }
    if a.get("as_of", True):
        from wickgraph.server.snapshots import write_for_build

        as_of_started = time.perf_counter()
        out["as_of_copies"] = write_for_build(Path(a["store"]), Path(generation(a["store"])))
        out["as_of_seconds"] = time.perf_counter() - as_of_started
        out["as_of_peak_mb"] = peak_mb()  # the process's peak so far: "peak_mb" is the build's alone
    return out


@task
def dump(a: dict[str, Any]) -> dict[str, Any]:
    """The built store for the rdflib runs: every quad (named graphs and the default-graph merge) as N-Quads, and
    the merge alone as N-Triples (what rdflib's NetworkX converter is given: one graph of the facts). The build's
    RDF 1.2 reifiers (``claim rdf:reifies <<( s p o )>>``) are left out: rdflib does not read triple terms."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(generation(a["store"]))
    for path, options in ((a["path"], {}), (a["merge"], {"from_graph": pyoxigraph.DefaultGraph()})):
        fmt = pyoxigraph.RdfFormat.N_TRIPLES if options else pyoxigraph.RdfFormat.N_QUADS
        full = Path(path + ".rdf12")
        store.dump(output=str(full), format=fmt, **options)
        with full.open("rb") as source, Path(path).open("wb") as sink:
            sink.writelines(line for line in source if b" <<( " not in line)
        full.unlink()
    return {"bytes": Path(a["path"]).stat().st_size, "merge_bytes": Path(a["merge"]).stat().st_size}


def _median_ms(run: Callable[[], int], repeat: int) -> tuple[float, int, float]:
    """The median wall time of ``repeat`` runs after one warm-up, in ms; the rows; the median CPU time of this
    process in the same runs, in ms (the figure other jobs on a shared machine distort least)."""
    rows = run()  # warm: caches, lazy imports
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        rows = run()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(times), rows, statistics.median(cpu)


@task
def queries(a: dict[str, Any]) -> dict[str, Any]:
    """Every named query: through wickgraph (``kg.run``: name resolution, binding, rows as dicts) and the same
    bound SPARQL on pyoxigraph alone (rows read, nothing else)."""
    import pyoxigraph

    import wickgraph
    from wickgraph.namespaces import sparql_prologue

    kg = wickgraph.open_graph(a["store"])
    raw = pyoxigraph.Store.read_only(generation(a["store"]))
    prologue = sparql_prologue()
    out: dict[str, Any] = {}
    for name in wickgraph.named_queries():
        params = a["params"].get(name, {})
        text = kg.named_query_text(name, **params)

        def through_wickgraph(name: str = name, params: dict[str, str] = params) -> int:
            result = kg.run(name, **params)
            return len(result) if not isinstance(result, bool) else 1

        def through_pyoxigraph(text: str = text) -> int:
            return len(list(raw.query(prologue + text)))  # type: ignore[arg-type]

        wg_ms, rows, wg_cpu = _median_ms(through_wickgraph, a["repeat"])
        raw_ms, raw_rows, raw_cpu = _median_ms(through_pyoxigraph, a["repeat"])
        out[name] = {
            "wickgraph_ms": wg_ms,
            "raw_ms": raw_ms,
            "wickgraph_cpu_ms": wg_cpu,
            "raw_cpu_ms": raw_cpu,
            "rows": rows,
            "raw_rows": raw_rows,
            "text": text,
        }
    return {"queries": out, "peak_mb": peak_mb()}


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def _rdflib_load(graph: Any, path: str, fmt: str) -> tuple[Any, float]:
    """``graph`` (an rdflib Graph or Dataset) with the file at ``path`` parsed into it; the seconds the parse took."""
    started = time.perf_counter()
    graph.parse(path, format=fmt)
    return graph, time.perf_counter() - started


@task
def rdflib_queries(a: dict[str, Any]) -> dict[str, Any]:
    """rdflib's in-memory store: load the built dump, then the same bound SPARQL (with a time limit each)."""
    import rdflib

    from wickgraph.namespaces import sparql_prologue

    dataset, load = _rdflib_load(rdflib.Dataset(), a["path"], "nquads")
    prologue = sparql_prologue()
    out: dict[str, Any] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for name, text in a["texts"].items():
        try:
            signal.alarm(a["timeout"])
            started = time.perf_counter()
            rows = len(list(dataset.query(prologue + text)))
            elapsed = (time.perf_counter() - started) * 1000
            signal.alarm(0)
            out[name] = {"ms": elapsed, "rows": rows}
        except _Timeout:
            out[name] = {"ms": None, "timeout": a["timeout"]}
        finally:
            signal.alarm(0)
    return {"load_seconds": load, "triples": len(dataset), "queries": out, "peak_mb": peak_mb()}


@task
def nx_wickgraph(a: dict[str, Any]) -> dict[str, Any]:
    """wickgraph's NetworkX export of the whole graph, each named projection of it, and HTML pages drawn from it."""
    import networkx  # noqa: F401  (a notebook has it loaded already)

    import wickgraph

    export = getattr(wickgraph, "to_networkx", None)
    if export is None:
        return {"missing": "not built (wickgraph.to_networkx)"}
    kg = wickgraph.open_graph(a["store"])
    started = time.perf_counter()
    graph = export(kg)
    seconds = time.perf_counter() - started
    out: dict[str, Any] = {
        "seconds": seconds,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "peak_mb": peak_mb(),
    }
    project = getattr(wickgraph, "project", None)
    if project is not None:
        from wickgraph.projections import PROJECTIONS

        out["projections"] = {}
        for name in PROJECTIONS:
            started = time.perf_counter()
            projected = project(graph, name)
            out["projections"][name] = {
                "seconds": time.perf_counter() - started,
                "nodes": projected.number_of_nodes(),
                "edges": projected.number_of_edges(),
            }
    render = getattr(wickgraph, "render_html", None)
    if render is not None:
        from wickgraph.errors import WickgraphError
        from wickgraph.viz import neighbourhood
        from wickgraph.viz import render as render_counted

        out["html"] = {}
        # As `wickgraph viz --focus FILM` draws it (depth 1), and the whole graph by class (--aggregate).
        pages = (
            (
                "focused on a film, depth 1",
                lambda: render_counted(neighbourhood(graph, a["focus"], 1), focus=a["focus"]),
            ),
            ("whole graph by class", lambda: render_counted(graph, aggregated=True)),
        )
        for name, draw in pages:
            started = time.perf_counter()
            try:
                page = draw()
            except WickgraphError as exc:
                out["html"][name] = {"error": str(exc)}
                continue
            out["html"][name] = {
                "seconds": time.perf_counter() - started,
                "bytes": len(page.html.encode()),
                "nodes": page.nodes,
                "edges": page.edges,
            }
    out["peak_mb"] = peak_mb()
    return out


@task
def nx_rdflib(a: dict[str, Any]) -> dict[str, Any]:
    """rdflib's converter on the same facts: the merge of all graphs, parsed into one rdflib Graph."""
    import networkx  # noqa: F401
    import rdflib
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    graph, load = _rdflib_load(rdflib.Graph(), a["path"], "nt")
    started = time.perf_counter()
    converted = rdflib_to_networkx_multidigraph(graph)
    return {
        "load_seconds": load,
        "seconds": time.perf_counter() - started,
        "nodes": converted.number_of_nodes(),
        "edges": converted.number_of_edges(),
        "peak_mb": peak_mb(),
    }


def main() -> None:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    result = TASKS[name](args)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
