"""`wickgraph serve` against `oxigraph serve-read-only` on the same generation: requests/s, p50, p99 and server CPU.

Not a test: it prints figures (the test suite runs it at a tiny size and checks that the table is printed). It
starts both servers itself on free ports of 127.0.0.1, then runs each load on one and then the other, in the same
run: 8 and 16 keep-alive clients, one simple SELECT, and a mix of that SELECT and ``/queries/who-plays`` (on
oxigraph, the same named query's SPARQL text with the same prefixes). Server CPU per request is the CPU time
(user + system) the server's processes used during the load, divided by the requests answered: for wickgraph
the Python front and, separately, its engine processes; for oxigraph its one process. The clients run in this
process and share the machine's cores with both servers, so the load average is printed with every row.

    python benchmarks/bench_server_ratio.py --store /tmp/wick --seconds 10
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from _clients import KeepAlive, percentile_ms, start_server

SIMPLE = "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro }"
AS_OF_DAYS = ("2014-06-01", "2019-04-01", "2022-06-01", "2024-01-03", "2025-06-08", "2026-12-01")
"""Dates asked as-of, each between other change points of the real graph."""
WHO_PLAYS = ("who-plays", {"character": "Rooney"})
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Row:
    side: str
    clients: int
    mix: str
    seconds: float
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    front_cpu_ms: float
    """CPU per request of the process that answers HTTP (wickgraph's Python server; oxigraph itself)."""
    engine_cpu_ms: float
    """CPU per request of wickgraph's engine processes (0 for oxigraph, whose one process is the front)."""
    load: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _engine_cpu(pid: int) -> float:
    return sum(_cpu_seconds(child) for child in _descendants(pid))


def run_load(
    side: str, port: int, pid: int, clients: int, mix: str, seconds: float, requests: list[tuple[str, str]]
) -> Row:
    """``clients`` keep-alive clients for ``seconds`` against 127.0.0.1:``port``; the CPU of ``pid`` (and its
    descendants, counted apart) over the same time."""
    until = time.monotonic() + seconds
    workers = [
        KeepAlive("127.0.0.1", port, until, requests[i % len(requests) :] + requests[: i % len(requests)])
        for i in range(clients)
    ]
    front0, engines0 = _cpu_seconds(pid), _engine_cpu(pid)
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    front, engines = _cpu_seconds(pid) - front0, _engine_cpu(pid) - engines0
    latencies = [x for w in workers for x in w.latencies]
    answered = max(1, len(latencies))
    return Row(
        side,
        clients,
        mix,
        elapsed,
        len(latencies),
        sum(w.errors for w in workers),
        statistics.median(latencies) * 1000 if latencies else float("nan"),
        percentile_ms(latencies, 0.99),
        front / answered * 1000,
        engines / answered * 1000,
        os.getloadavg()[0],
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_oxigraph(generation: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``oxigraph serve-read-only`` on ``generation``, on a free port of 127.0.0.1, once it answers."""
    import http.client

    from wickgraph.store.local import find_oxigraph

    port = _free_port()
    args = [find_oxigraph(), "serve-read-only", "--location", str(generation), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/query?" + urlencode({"query": "ASK {}"}))
            conn.getresponse().read()
            conn.close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("oxigraph serve-read-only did not start within 30 s")


def request_mixes(store: Path) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """Per mix, the requests for wickgraph and the same queries for oxigraph (with wickgraph's prologue)."""
    import wickgraph
    from wickgraph.namespaces import sparql_prologue

    with wickgraph.open_graph(store) as kg:
        name, params = WHO_PLAYS
        named_text = kg.named_query_text(name, **params)
    prologue = sparql_prologue()
    wick_simple = ("GET", "/sparql?" + urlencode({"query": SIMPLE}))
    wick_named = ("GET", f"/queries/{name}?" + urlencode(params))
    oxi_simple = ("GET", "/query?" + urlencode({"query": prologue + SIMPLE}))
    oxi_named = ("GET", "/query?" + urlencode({"query": prologue + named_text}))
    return {
        "select": ([wick_simple], [oxi_simple]),
        "mixed": ([wick_simple, wick_named], [oxi_simple, oxi_named]),
    }


def table(rows: list[Row]) -> str:
    """The ratio table: one line per load and side, then wickgraph / oxigraph per load."""
    lines = [
        "| load | server | req/s | p50 ms | p99 ms | CPU ms/req (front + engines) | errors | load avg |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cpu = f"{r.front_cpu_ms:.2f}" + (f" + {r.engine_cpu_ms:.2f}" if r.side == "wickgraph" else "")
        lines.append(
            f"| {r.clients} clients, {r.mix} | {r.side} | {r.rate:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {cpu} "
            f"| {r.errors} | {r.load:.2f} |"
        )
    lines += ["", "| load | req/s ratio (bar >= 0.5) | p99 ratio (bar <= 2) | met |", "|---|---|---|---|"]
    by_key = {(r.side, r.clients, r.mix): r for r in rows}
    for r in rows:
        if r.side != "wickgraph":
            continue
        o = by_key.get(("oxigraph", r.clients, r.mix))
        if o is None:
            continue
        rate = r.rate / o.rate if o.rate else float("nan")
        p99 = r.p99_ms / o.p99_ms if o.p99_ms else float("nan")
        met = "met" if rate >= 0.5 and p99 <= 2 else "missed"
        lines.append(f"| {r.clients} clients, {r.mix} | {rate:.2f}x | {p99:.2f}x | {met} |")
    return "\n".join(lines)


def as_of_timings(port: int, days: list[str]) -> list[tuple[str, float, float, int]]:
    """Per date: the first and the second request of ``/queries/who-plays?as-of=DATE`` (ms), and the status."""
    import http.client

    found = []
    name, params = WHO_PLAYS
    for day in days:
        times, status = [], 0
        for _ in range(2):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            conn.request("GET", f"/queries/{name}?" + urlencode({**params, "as-of": day}))
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            status = max(status, response.status)
            conn.close()
        found.append((day, times[0], times[1], status))
    return found


def as_of_table(label: str, timings: list[tuple[str, float, float, int]]) -> str:
    lines = [
        f"as-of over HTTP, {label} (load average {os.getloadavg()[0]:.2f}):",
        "",
        "| date | first request ms | second ms | status | first under 300 ms |",
        "|---|---|---|---|---|",
    ]
    for day, first, second, status in timings:
        met = "met" if first < 300 and status == 200 else "missed"
        lines.append(f"| {day} | {first:.0f} | {second:.0f} | {status} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (wickgraph build --store DIR)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load, per server")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 16])
    parser.add_argument("--mix", choices=["select", "mixed"], nargs="+", default=["select", "mixed"])
    parser.add_argument("--workers", type=int, default=4, help="wickgraph serve --workers")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load on each server before measuring")
    parser.add_argument("--as-of", nargs="*", default=list(AS_OF_DAYS), help="dates to time as-of requests of")
    args = parser.parse_args(argv)

    from wickgraph.store.embedded import current_generation

    mixes = request_mixes(args.store)
    wick, base = start_server(args.store, "--workers", str(args.workers))
    oxi, oxi_port = start_oxigraph(current_generation(args.store))
    wick_port = int(base.rsplit(":", 1)[1])
    print(f"wickgraph serve at {base} ({args.workers} engines); oxigraph serve-read-only at 127.0.0.1:{oxi_port}")
    print(f"store {args.store}, {args.seconds:g} s per load and server, load average {os.getloadavg()[0]:.2f} at start")
    rows: list[Row] = []
    as_of: list[str] = []
    try:
        if args.as_of:  # right after start: the copies are being made ahead in the background
            as_of.append(as_of_table("right after the server started", as_of_timings(wick_port, args.as_of[:1])))
        for mix in args.mix:
            wick_requests, oxi_requests = mixes[mix]
            if args.warmup > 0:
                run_load("wickgraph", wick_port, wick.pid, 4, mix, args.warmup, wick_requests)
                run_load("oxigraph", oxi_port, oxi.pid, 4, mix, args.warmup, oxi_requests)
            for clients in args.clients:
                rows.append(run_load("wickgraph", wick_port, wick.pid, clients, mix, args.seconds, wick_requests))
                rows.append(run_load("oxigraph", oxi_port, oxi.pid, clients, mix, args.seconds, oxi_requests))
        if args.as_of:
            as_of.append(as_of_table("after the loads", as_of_timings(wick_port, args.as_of[1:])))
    finally:
        for process in (wick, oxi):
            process.terminate()
        for process in (wick, oxi):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    print(table(rows))
    for part in as_of:
        print()
        print(part)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
