"""The report of the scale benchmark (``scale.py``): ``docs/benchmarks.md`` in Markdown, from the measured results;
its tables set each figure beside its reference point and say which targets were met."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

TARGETS = {
    "build_ratio": 4,
    "full_build_ratio": 10,
    "incremental_s": 10,
    "as_of_s": 0.3,
    "build_rate": 200_000,
    "query_ratio": 1.5,
    "rdflib_factor": 20,
    "query_ms": 100,
    "cold_s": 0.3,
    "nx_factor": 3,
    "nx_mb": 1536,
    "stream_mb": 64,
}


def size_name(quads: int) -> str:
    if quads >= 1_000_000:
        return f"{quads / 1_000_000:g}M"
    return f"{quads / 1_000:g}k" if quads >= 1000 else str(quads)


def _failed(what: str, error: object, *, columns: int) -> str:
    """A table row that says a measurement failed, its other cells empty."""
    return f"| {what} | failed: {error} |" + " |" * (columns - 2)


def _row(what: str, step: dict[str, Any] | None, columns: int, row: Callable[[dict[str, Any]], str]) -> list[str]:
    """The table line of a step: none if it did not run, its failure if it failed, else ``row`` of its figures."""
    if step is None:
        return []
    if "error" in step:
        return [_failed(what, step["error"], columns=columns)]
    return [row(step)]


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


# ---- the bars of issue 18 ---------------------------------------------------------------------------------
Bar = tuple[str, str, str, "bool | None"]
"""One bar: what it asks, what was measured (both sides, their ratio), the load average then, met or not (None:
not measured)."""

BAR_NAMES = (
    "1M fast build within {build_ratio}x of `bulk_load`, wall time",
    "1M fast build within {build_ratio}x of `bulk_load`, CPU time",
    "1M fast build peak memory no more than `bulk_load`'s",
    "full build (pyshacl, citations) within {full_build_ratio}x of `bulk_load`",
    "10M built and measured (time, peak memory, store size)",
    "incremental build of a one-file change at 1M within {incremental_s} s",
    "server at 0.5x or more of `oxigraph serve-read-only`'s requests/s, p99 within 2x, at 8 and 16 clients",
    "every named query under {query_ms} ms at 1M",
    "`--as-of` over HTTP under {as_of_s} s on the real graph",
)
"""The bars, in the order of the report (the test suite checks that each is there, with a verdict)."""


def bar_names() -> list[str]:
    return [name.format(**TARGETS) for name in BAR_NAMES]


def _load(*steps: dict[str, Any] | None) -> str:
    found = [step["load"] for step in steps if step and isinstance(step.get("load"), (int, float))]
    return f"{max(found):.2f}" if found else "?"


def _not_measured(step: dict[str, Any] | None, default: str) -> str:
    """Why a step has no figure: its failure, its own note, or ``default``."""
    if step and "error" in step:
        return f"not measured: failed: {step['error']}"
    if step and "missing" in step:
        return f"not measured: {step['missing']}"
    return f"not measured: {default}"


def _build_bars(one_m: dict[str, Any] | None) -> list[Bar]:
    names = bar_names()
    build, raw = (one_m or {}).get("build"), (one_m or {}).get("raw")
    if not (build and raw and "seconds" in build and "seconds" in raw):
        why = "run with the 1M size" if not one_m else "the 1M build or bulk_load failed"
        step = build if build and "error" in build else raw
        return [(name, _not_measured(step, why), _load(build, raw), None) for name in names[:3]]
    t = TARGETS
    wall = build["seconds"] / raw["seconds"]
    rows: list[Bar] = [
        (
            names[0],
            f"fast build {fmt_s(build['seconds'])}, bulk_load {fmt_s(raw['seconds'])}: {wall:.2f}x",
            _load(build, raw),
            wall <= t["build_ratio"],
        )
    ]
    if "cpu_seconds" in build and "cpu_seconds" in raw:
        cpu = build["cpu_seconds"] / raw["cpu_seconds"]
        rows.append(
            (
                names[1],
                f"fast build {fmt_s(build['cpu_seconds'])} CPU, bulk_load {fmt_s(raw['cpu_seconds'])} CPU: {cpu:.2f}x",
                _load(build, raw),
                cpu <= t["build_ratio"],
            )
        )
    else:
        rows.append((names[1], "not measured: no CPU time in this run's results", _load(build, raw), None))
    rows.append(
        (
            names[2],
            f"fast build {build['peak_mb']:,.0f} MB, bulk_load {raw['peak_mb']:,.0f} MB: "
            f"{build['peak_mb'] / raw['peak_mb']:.2f}x",
            _load(build, raw),
            build["peak_mb"] <= raw["peak_mb"],
        )
    )
    return rows


def _full_bar(by_size: dict[int, dict[str, Any]]) -> Bar:
    name = bar_names()[3]
    fulls = [r for r in by_size.values() if "seconds" in r.get("full", {}) and "seconds" in r.get("raw", {})]
    if not fulls:
        failed = next((r["full"] for r in by_size.values() if "error" in r.get("full", {})), None)
        return (name, _not_measured(failed, "no size was built with the full build (--full-build-max)"), "?", None)
    largest = max(fulls, key=lambda r: r["target"])
    full, raw = largest["full"], largest["raw"]
    ratio_ = full["seconds"] / raw["seconds"]
    where = size_name(largest["target"])
    measured = f"at {where}: full build {fmt_s(full['seconds'])}, bulk_load {fmt_s(raw['seconds'])}: {ratio_:.1f}x"
    if largest["target"] < 1_000_000:
        measured += f" (largest size built with the full build: {where}; raise --full-build-max for 1M)"
    return (name, measured, _load(full, raw), ratio_ <= TARGETS["full_build_ratio"])


def _ten_m_bar(by_size: dict[int, dict[str, Any]]) -> Bar:
    name = bar_names()[4]
    ten = by_size.get(10_000_000)
    if ten is None:
        return (name, "not measured: run with --sizes including 10M", "?", None)
    build, raw = ten.get("build", {}), ten.get("raw", {})
    if "seconds" not in build:
        return (name, _not_measured(build, "the 10M build did not run"), _load(build), False)
    against = (
        f"; bulk_load {fmt_s(raw['seconds'])}, {raw['peak_mb']:,.0f} MB, {raw['disk_mb']:,.0f} MB on disk: "
        f"{build['seconds'] / raw['seconds']:.2f}x"
        if "seconds" in raw
        else ""
    )
    return (
        name,
        f"fast build {fmt_s(build['seconds'])}, {build['peak_mb']:,.0f} MB peak, "
        f"{build['disk_mb']:,.0f} MB on disk{against}",
        _load(build, raw),
        True,
    )


def _incremental_bar(by_size: dict[int, dict[str, Any]]) -> Bar:
    name = bar_names()[5]
    step = by_size.get(1_000_000, {}).get("incremental")
    if step is None:
        measured = [r for r in by_size.values() if "incremental" in r]
        if measured and "seconds" in measured[0]["incremental"]:
            r = measured[0]
            return (
                name,
                f"not measured at 1M; at {size_name(r['target'])}: {fmt_s(r['incremental']['seconds'])}",
                _load(r["incremental"]),
                None,
            )
        reason = measured[0]["incremental"] if measured else None
        return (name, _not_measured(reason, "run with the 1M size"), _load(reason), None)
    if "seconds" not in step:
        return (name, _not_measured(step, "the hook gave no time"), _load(step), None)
    reference = step.get("full_seconds")
    against = f"; full fast build {fmt_s(reference)}: {step['seconds'] / reference:.2f}x" if reference else ""
    return (
        name,
        f"one-file change {fmt_s(step['seconds'])}{against}",
        _load(step),
        step["seconds"] <= TARGETS["incremental_s"],
    )


def server_verdicts(output: str) -> dict[str, bool]:
    """The per-load verdicts of ``bench_server_ratio.py``'s ratio table: ``{"8 clients, select": True, ...}``."""
    found: dict[str, bool] = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(("select", "mixed")) and cells[3] in ("met", "missed"):
            found[cells[0]] = cells[3] == "met"
    return found


def _server_bar(server: dict[str, Any]) -> Bar:
    name = bar_names()[6]
    step = server.get("ratio")
    if not step or "output" not in step:
        return (name, _not_measured(step, "the real graph was not built"), _load(step), None)
    verdicts = server_verdicts(step["output"])
    if not verdicts:
        return (name, "not measured: bench_server_ratio.py printed no ratio table", _load(step), None)
    listed = "; ".join(f"{k} {'met' if v else 'missed'}" for k, v in verdicts.items())
    if not {8, 16} <= set(step.get("clients", [])):
        return (name, f"not measured at 8 and 16 clients (this run: {listed})", _load(step), None)
    return (name, f"{listed} (table below)", _load(step), all(verdicts.values()))


def _query_bar(one_m: dict[str, Any] | None) -> Bar:
    name = bar_names()[7]
    q = (one_m or {}).get("queries", {})
    if "queries" not in q:
        return (name, _not_measured(q, "run with the 1M size"), _load(q), None)
    slowest = max(q["queries"].items(), key=lambda kv: kv[1]["wickgraph_ms"])
    over = [n for n, x in q["queries"].items() if x["wickgraph_ms"] > TARGETS["query_ms"]]
    worst = slowest[1]
    cpu = (
        f", CPU {fmt_ms(worst['wickgraph_cpu_ms'])} against {fmt_ms(worst['raw_cpu_ms'])}"
        if "wickgraph_cpu_ms" in worst
        else ""
    )
    measured = (
        f"slowest {slowest[0]}: {fmt_ms(worst['wickgraph_ms'])}, pyoxigraph alone {fmt_ms(worst['raw_ms'])} "
        f"({ratio(worst['wickgraph_ms'], worst['raw_ms'])}{cpu})" + (f"; over: {', '.join(over)}" if over else "")
    )
    return (name, measured, _load(q), not over)


def _as_of_bar(server: dict[str, Any]) -> Bar:
    name = bar_names()[8]
    step = server.get("as_of")
    if not step or "first" not in step:
        return (name, _not_measured(step, "the real graph was not built"), _load(step), None)
    return (
        name,
        f"`{step['query']}`: first request of the date {fmt_s(step['first'])}, later ones {fmt_s(step['later'])} "
        f"(median of {step['repeat']}); without as-of {fmt_s(step['plain'])}: "
        f"{step['first'] / step['plain']:.1f}x, {step['later'] / step['plain']:.1f}x",
        _load(step),
        max(step["first"], step["later"]) < TARGETS["as_of_s"],
    )


def bar_verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "**missed**")


def issue_bars(results: list[dict[str, Any]], server: dict[str, Any]) -> list[str]:
    """The table of issue 18's bars: every bar, met, missed or not measured."""
    by_size = {r["target"]: r for r in results if "error" not in r}
    one_m = by_size.get(1_000_000)
    rows = [
        *_build_bars(one_m),
        _full_bar(by_size),
        _ten_m_bar(by_size),
        _incremental_bar(by_size),
        _server_bar(server),
        _query_bar(one_m),
        _as_of_bar(server),
    ]
    lines = ["| bar | measured (both sides in this run) | load avg | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {bar_verdict(d)} |" for a, b, c, d in rows]
    return lines


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
    lines += _row(
        "wickgraph full build (pyshacl, citations)",
        full,
        6,
        lambda full: (
            f"| wickgraph full build (pyshacl, {full['citations']:,} citations checked"
            + (
                f"; the server's {full['as_of_copies']} as-of copies, timed apart: {fmt_s(full['as_of_seconds'])}"
                if "as_of_seconds" in full
                else ""
            )
            + ") | "
            f"{fmt_s(full['seconds'])} | {gen['quads'] / full['seconds']:,.0f} | {full['peak_mb']:,.0f} MB | | "
            f"{ratio(full['seconds'], raw_s)} |"
        ),
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
        at = f" (load average {queries['load']:.2f})" if "load" in queries else ""
        lines.append(f"Named queries, median of {queries.get('repeat', '')} runs after one warm-up{load}{at}:")
        lines.append("")
        lines.append(
            "| query | rows | wickgraph | pyoxigraph alone | wickgraph / pyoxigraph | CPU: wickgraph, pyoxigraph "
            "| rdflib | rdflib / wickgraph |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for qname, q in queries["queries"].items():
            r = rdf.get("queries", {}).get(qname) if rdf else None
            if r is None:
                rdf_ms, rdf_ratio = "n/a", "n/a"
            elif r.get("ms") is None:
                rdf_ms, rdf_ratio = f"> {r['timeout']} s", f"> {r['timeout'] * 1000 / q['wickgraph_ms']:,.0f}x"
            else:
                rdf_ms, rdf_ratio = fmt_ms(r["ms"]), f"{r['ms'] / q['wickgraph_ms']:,.0f}x"
            cpu = f"{fmt_ms(q['wickgraph_cpu_ms'])}, {fmt_ms(q['raw_cpu_ms'])}" if "wickgraph_cpu_ms" in q else "n/a"
            lines.append(
                f"| {qname} | {q['rows']:,} | {fmt_ms(q['wickgraph_ms'])} | {fmt_ms(q['raw_ms'])} | "
                f"{ratio(q['wickgraph_ms'], q['raw_ms'])} | {cpu} | {rdf_ms} | {rdf_ratio} |"
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
    lines += _row(
        "rdflib `rdflib_to_networkx_multidigraph`",
        nxr,
        5,
        lambda nxr: (
            f"| rdflib `rdflib_to_networkx_multidigraph` (after a {fmt_s(nxr['load_seconds'])} load) | "
            f"{fmt_s(nxr['seconds'])} | {nxr['peak_mb']:,.0f} MB | {nxr['nodes']:,} nodes, {nxr['edges']:,} edges | 1.00x |"
        ),
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
            (
                "1M build peak memory no more than pyoxigraph's bulk load",
                f"{b['peak_mb']:,.0f} MB ({b['peak_mb'] / raw['peak_mb']:.2f}x of bulk_load's {raw['peak_mb']:,.0f} MB)",
                b["peak_mb"] <= raw["peak_mb"],
            )
        )
    else:
        rows.append(("1M build", "not measured (run with the 1M size)", None))
    fulls = [r for r in by_size.values() if "seconds" in r.get("full", {}) and "seconds" in r.get("raw", {})]
    if fulls:
        largest = max(fulls, key=lambda r: r["target"])
        full_ratio = largest["full"]["seconds"] / largest["raw"]["seconds"]
        rows.append(
            (
                f"full build (pyshacl, citations) within {t['full_build_ratio']}x of pyoxigraph's bulk load",
                f"{full_ratio:.1f}x at {size_name(largest['target'])}",
                full_ratio <= t["full_build_ratio"],
            )
        )
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
    elif "seconds" in nx:
        # 1M was exported, but rdflib's converter (the other side of the ratio) was not run at 1M.
        rows.append(
            (
                f"NetworkX export at 1M at least {t['nx_factor']}x faster than rdflib's converter",
                f"wickgraph {fmt_s(nx['seconds'])}, {nx['peak_mb']:,.0f} MB peak; rdflib's converter not run at 1M "
                "(--rdflib-max)",
                None,
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


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def server_section(server: dict[str, Any]) -> list[str]:
    """The server's measurements: ``bench_server_ratio.py``'s own output, and ``--as-of`` over HTTP."""
    lines = ["## Server", ""]
    ratio_ = server.get("ratio")
    if ratio_ and "output" in ratio_:
        lines += [
            f"`python benchmarks/bench_server_ratio.py --store REAL --seconds {ratio_['seconds']:g} --clients "
            f"{' '.join(str(c) for c in ratio_['clients'])}` on the real graph, as it printed it (load average "
            f"{ratio_['load']:.2f}):",
            "",
            *ratio_["output"].splitlines(),
            "",
        ]
    else:
        lines += [_sentence(_not_measured(ratio_, "the real graph was not built")), ""]
    as_of = server.get("as_of")
    if as_of and "first" in as_of:
        lines += [
            "| `--as-of` over HTTP, real graph | wall |",
            "|---|---|",
            f"| `{as_of['query']}`, first request of the date | {fmt_s(as_of['first'])} |",
            f"| the same, later requests (median of {as_of['repeat']}) | {fmt_s(as_of['later'])} |",
            f"| the same query without as-of (median of {as_of['repeat']}) | {fmt_s(as_of['plain'])} |",
            "",
        ]
    else:
        lines += [_sentence(_not_measured(as_of, "the real graph was not built") + " (as-of over HTTP)"), ""]
    return lines


def report(
    results: list[dict[str, Any]],
    cold: dict[str, Any],
    stream: dict[str, Any] | None,
    info: dict[str, str],
    opts: argparse.Namespace,
    seconds: float,
    server: dict[str, Any] | None = None,
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
        "## The bars of issue 18",
        "",
        "Each bar is met, missed or not measured in this run; a bar is never met by default. Both sides of every "
        "ratio were measured in this run, one after the other; the load average is the one-minute figure when "
        "the measurement ended (the larger of the two sides'): other jobs on the machine inflate wall times, CPU "
        "times and ratios much less.",
        "",
        *issue_bars(results, server or {}),
        "",
        "## Other targets",
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
            "`wickgraph query` writing every triple of the largest store up to `--stream-max` "
            f"({stream['rows']:,} rows), output to /dev/null, against the same query with `LIMIT 1000`: peak "
            "memory of the whole process. For reference, "
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
    lines += server_section(server or {})
    lines += ["## Per size", ""]
    for result in results:
        lines += size_section(result)
    notes = HERE / "notes.md"
    if notes.is_file() and not opts.quick:
        lines += ["## Notes", "", notes.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)
