"""`wickgraph serve` under a crowd of slow clients: a thousand idle or trickling sockets do not block anyone.

A real server process on 127.0.0.1; the crowd (``_slowclients.SlowCrowd``) holds 1,000 sockets, half idle, half
sending a request head one byte every two seconds. Meanwhile a probe opens a fresh connection every half second
and asks a question whose answer is known from the founding article. The hold here is 40 probes, about 20 s (the benchmark,
``benchmarks/slow_clients.py``, holds 60 s); no time bar is asserted, only that every probe is answered and that
the server really holds the crowd's sockets (counted in /proc), rather than leaving them in the listen queue.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from _server import ServerProcess, raw_request
from _slowclients import SlowCrowd, open_sockets, raise_fd_limit

CROWD = 1000
PROBES = 40  # one every half second (and the time it takes): a hold of about 20 s
ASK = "ASK { wgd:ballerina wg:director wgd:len-wiseman }"


@pytest.mark.slow
def test_a_thousand_slow_sockets_do_not_block_a_probe(built_store: Path) -> None:
    assert raise_fd_limit(CROWD + 512) >= CROWD + 100, "this test needs about 1,100 open files"
    # The server's request and idle timeouts (30 s, 60 s) would close and the crowd reopen its sockets during the
    # hold, at a moment the probe may count them; on a loaded machine the hold can outlast them. Set past the hold,
    # nothing closes a crowd socket, and the test asserts that none was closed.
    timeouts = ["--request-timeout", "900", "--idle-timeout", "900"]
    with ServerProcess(built_store, "--workers", "2", *timeouts) as server:
        assert server.process is not None
        parts = urlsplit(server.url)
        crowd = SlowCrowd(parts.hostname or "127.0.0.1", parts.port or 0, CROWD)
        crowd.start()
        try:
            deadline = time.monotonic() + 120  # generous: a loaded machine connects a thousand sockets slowly
            while crowd.connected < CROWD and time.monotonic() < deadline:
                time.sleep(0.2)
            assert crowd.connected == CROWD, f"only {crowd.connected} of {CROWD} sockets connected"
            # Connected is not accepted (the kernel queues connections the server has not taken): wait until the
            # server itself holds the crowd's sockets.
            deadline = time.monotonic() + 120
            while open_sockets(server.process.pid) < CROWD and time.monotonic() < deadline:
                time.sleep(0.2)
            answers, held = [], []
            for _ in range(PROBES):
                held.append(open_sockets(server.process.pid))
                reply = raw_request(
                    server.url,
                    "GET",
                    "/sparql",
                    params={"query": ASK},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=30,
                )
                answers.append((reply.status, reply.text.strip()))
                time.sleep(0.5)
        finally:
            crowd.stop()
    # Every probe, each on a fresh connection while the crowd was held, got the one right answer.
    assert answers == [(200, '{"head":{},"boolean":true}')] * PROBES
    # The server accepted the crowd: its own sockets (listening, engines, crowd) number more than the crowd.
    assert min(held) >= CROWD, f"the server held as few as {min(held)} sockets during the hold"
    assert crowd.refused == 0 and crowd.closed_by_server == 0
