"""Slow clients against `wickgraph serve`: does a crowd of idle and trickling sockets slow anyone else down?

Not a test: it prints figures. On 127.0.0.1, three phases:

1. a probe alone: one request at a time, each on a fresh connection (a newcomer), a one-hop SELECT;
   plus 8 keep-alive clients for requests/s;
2. the crowd arrives: ``--crowd`` sockets (1,000), half idle, half sending a request head one byte every
   ``--interval`` seconds and never finishing it; sockets the server drops are opened again at once;
3. for ``--seconds`` (60) with the crowd held: the probe and the 8 clients again, and the server's open sockets
   sampled once a second (from /proc).

    python benchmarks/slow_clients.py --store /tmp/wick --crowd 1000 --seconds 60

Run with ``PYTHONPATH=OTHER_CHECKOUT/src`` to measure another version of the server (the crowd and probe use
only the standard library).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _clients import HEADERS, KeepAlive, percentile_ms, start_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from _slowclients import SlowCrowd, open_sockets, raise_fd_limit

PATH = "/sparql?" + urlencode({"query": "SELECT ?actor WHERE { ?actor wg:plays wgd:eve-macarro }"})


class Probe(threading.Thread):
    """One request at a time, each on a new connection, until ``until``; latencies and failures."""

    def __init__(self, host: str, port: int, until: float, timeout: float) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.until, self.timeout = host, port, until, timeout
        self.latencies: list[float] = []
        self.failures = 0

    def run(self) -> None:
        while time.monotonic() < self.until:
            started = time.perf_counter()
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                conn.request("GET", PATH, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            finally:
                conn.close()
            if ok:
                self.latencies.append(time.perf_counter() - started)
            else:
                self.failures += 1
            time.sleep(0.05)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far (its own, not its engines')."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` (its own, not its engines'), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(host: str, port: int, seconds: float, clients: int, timeout: float, pid: int) -> dict[str, float]:
    cpu_before = cpu_seconds(pid)
    until = time.monotonic() + seconds
    probe = Probe(host, port, until, timeout)
    loaders = [KeepAlive(host, port, until, [("GET", PATH)]) for _ in range(clients)]
    started = time.monotonic()
    for t in [probe, *loaders]:
        t.start()
    held: list[int] = []
    memory: list[float] = []
    while time.monotonic() < until:
        held.append(open_sockets(pid))
        memory.append(rss_mb(pid))
        time.sleep(1.0)
    for t in [probe, *loaders]:
        t.join(timeout + 5)
    elapsed = time.monotonic() - started
    served = len(probe.latencies) + sum(t.ok for t in loaders)
    return {
        "cpu_ms": (cpu_seconds(pid) - cpu_before) * 1000 / max(1, served),
        "probe_n": len(probe.latencies),
        "probe_failures": probe.failures,
        "probe_p50": statistics.median(probe.latencies) * 1000 if probe.latencies else float("nan"),
        "probe_p99": percentile_ms(probe.latencies, 0.99),
        "rps": sum(t.ok for t in loaders) / elapsed,
        "errors": sum(t.errors for t in loaders),
        "held_min": min(held),
        "held_median": statistics.median(held),
        "rss_max": max(memory),
    }


def _line(title: str, m: dict[str, float]) -> str:
    return (
        f"{title}: probe {m['probe_n']:.0f} answered, {m['probe_failures']:.0f} failed, p50 {m['probe_p50']:.1f} ms, "
        f"p99 {m['probe_p99']:.1f} ms; {m['rps']:,.0f} requests/s on keep-alive, {m['errors']:.0f} errors; "
        f"server sockets {m['held_min']:.0f} (min) {m['held_median']:.0f} (median); "
        f"server CPU {m['cpu_ms']:.2f} ms per request, memory {m['rss_max']:.0f} MB at most"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (wickgraph build --store DIR)")
    parser.add_argument("--crowd", type=int, default=1000, help="slow sockets (half idle, half trickling)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the crowd is held")
    parser.add_argument("--baseline-seconds", type=float, default=10.0, help="probe alone, before the crowd")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a trickling socket's bytes")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive clients measuring requests/s")
    parser.add_argument("--workers", type=int, default=4, help="the server's --workers")
    parser.add_argument("--timeout", type=float, default=30.0, help="the probe's own timeout per request")
    args = parser.parse_args()
    limit = raise_fd_limit(args.crowd + 512)
    if limit < args.crowd + 100:
        raise SystemExit(f"this process may open only {limit} files; raise `ulimit -n` for a crowd of {args.crowd}")
    process, base = start_server(args.store, "--workers", str(args.workers))
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 0
    crowd = SlowCrowd(host, port, args.crowd, interval=args.interval)
    try:
        print(
            f"wickgraph serve at {base}: {args.workers} engines; crowd {args.crowd}, {args.clients} keep-alive clients"
        )
        print(
            _line(
                f"no crowd, {args.baseline_seconds:g} s",
                measure(host, port, args.baseline_seconds, args.clients, args.timeout, process.pid),
            )
        )
        crowd.start()
        deadline = time.monotonic() + 30
        while open_sockets(process.pid) < args.crowd and time.monotonic() < deadline:
            time.sleep(0.2)
        print(f"crowd connected: {crowd.connected} sockets up, the server holds {open_sockets(process.pid)} sockets")
        held = measure(host, port, args.seconds, args.clients, args.timeout, process.pid)
        print(_line(f"crowd held, {args.seconds:g} s", held))
        print(
            f"  crowd sockets closed by the server (and reopened): {crowd.closed_by_server}, refused: {crowd.refused}"
        )
    finally:
        crowd.stop()
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
