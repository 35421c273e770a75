"""The server benchmarks run at a tiny size: `bench_server_ratio.py` starts both servers itself and prints the ratio
table; `bench_serve_breakdown.py` prints the cost of each step. No time bar is asserted, only that every load was
answered without an error on both sides, that each table has its rows, and that no server outlives the script."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _oxigraph_servers_on(store: Path) -> list[str]:
    """Command lines of running `oxigraph` processes that serve a generation of ``store``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        text = " ".join(a.decode(errors="replace") for a in argv)
        if "oxigraph" in text and str(store) in text and "serve" in text:
            found.append(text)
    return found


def test_the_ratio_benchmark_starts_both_servers_and_prints_the_table(built_store: Path) -> None:
    out = _run(
        "bench_server_ratio.py",
        *("--store", str(built_store), "--seconds", "0.5", "--warmup", "0", "--clients", "2", "3"),
        *("--mix", "select", "mixed"),
    )
    rows = [
        line
        for line in out.splitlines()
        if re.match(r"\| \d+ clients, (select|mixed) \| (wickgraph|oxigraph) \|", line)
    ]
    assert len(rows) == 8, out  # 2 client counts x 2 mixes x 2 servers
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert int(cells[2].replace(",", "")) > 0, row  # requests answered
        assert cells[6] == "0", f"errors in {row}"
    ratios = [
        line
        for line in out.splitlines()
        if re.match(r"\| \d+ clients, \w+ \| [\d.]+x \| [\d.]+x \| (met|missed) \|", line)
    ]
    assert len(ratios) == 4, out
    as_of = re.findall(r"^\| (\d{4}-\d\d-\d\d) \| \d+ \| \d+ \| (\d+) \| (met|missed) \|$", out, flags=re.M)
    assert len(as_of) == 6 and {status for _, status, _ in as_of} == {"200"}, out  # every date answered
    assert _oxigraph_servers_on(built_store) == [], "a server outlived the benchmark"


def test_the_breakdown_prints_every_step(built_store: Path) -> None:
    out = _run("bench_serve_breakdown.py", "--store", str(built_store), "--requests", "5")
    steps = re.findall(r"^\| ([^|]+) \| ([\d.]+) ms \|$", out, flags=re.M)
    names = [name.strip() for name, _ in steps]
    assert len(names) == 8, out
    assert any("answer kept" in name for name in names), names
    assert names[0].startswith("guard") and names[-1].startswith("wickgraph serve, whole"), names
