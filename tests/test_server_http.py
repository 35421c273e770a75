"""What `wickgraph serve` refuses at the HTTP level, tried as an attacker would, against a real server process.

Host headers a DNS-rebinding page would send, framing by other sites, HEAD, a 1 MB URL, a request that trickles
in and one that never starts, a low open-files limit. The facts asked are from the founding article (Len Wiseman
directs Ballerina).
"""

from __future__ import annotations

import contextlib
import json
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from _server import Reply, ServerProcess, raw_request

ASK = "ASK { wgd:ballerina wg:director wgd:len-wiseman }"
REQUEST_TIMEOUT = 2
IDLE_TIMEOUT = 3


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    args = ["--workers", "2", "--allowed-host", "wick.example", "--allowed-host", "Graph.Example.ORG"]
    args += ["--request-timeout", str(REQUEST_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT)]
    with ServerProcess(built_store, *args) as process:
        yield process


def _address(server: ServerProcess) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname or "127.0.0.1", parts.port or 0


def _raw(server: ServerProcess, head: bytes, *, send_more: bytes = b"", timeout: float = 30) -> bytes:
    """Send ``head`` (and ``send_more`` from a second thread, ignoring a reset), return all the server sends."""
    sock = socket.create_connection(_address(server), timeout=timeout)
    try:
        sock.sendall(head)

        def more() -> None:
            # The server may answer and close before reading it all: that is the point.
            with contextlib.suppress(OSError):
                sock.sendall(send_more)

        sender = threading.Thread(target=more, daemon=True)
        if send_more:
            sender.start()
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
        if send_more:
            sender.join(timeout=30)
        return data
    finally:
        sock.close()


def _ask(server: ServerProcess, host: str | None, path: str = "/sparql") -> Reply:
    headers = {"Accept": "application/sparql-results+json"}
    if host is not None:
        headers["Host"] = host
    params = {"query": ASK} if path == "/sparql" else None
    return server.request("GET", path, params=params, headers=headers)


# ---- Host header: DNS rebinding ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "host",
    ["rebind.attacker.example", "rebind.attacker.example:{port}", "localhost.attacker.example", "wick.example.evil"],
)
def test_a_forged_host_header_is_refused_with_421(server: ServerProcess, host: str) -> None:
    host = host.format(port=_address(server)[1])
    reply = _ask(server, host)
    assert reply.status == 421
    name = host.split(":")[0]
    assert f"does not answer to the host name '{name}'" in reply.text and "DNS rebinding" in reply.text
    assert f"--allowed-host {name}" in reply.text
    assert "true" not in reply.text  # no answer came with the refusal
    as_json = _ask(server, host, "/status")  # the JSON routes answer in JSON, and refuse as well
    assert as_json.status == 421 and "DNS rebinding" in json.loads(as_json.body)["error"]


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:{port}", "localhost:{port}", "localhost", "[::1]:{port}", "127.0.0.1", "10.1.2.3:{port}", None],
)
def test_local_names_and_ip_addresses_are_answered(server: ServerProcess, host: str | None) -> None:
    reply = _ask(server, host.format(port=_address(server)[1]) if host else None)
    assert (reply.status, reply.text.strip()) == (200, '{"head":{},"boolean":true}')


@pytest.mark.parametrize("host", ["wick.example", "WICK.example:8443", "graph.example.org"])
def test_allowed_hosts_are_answered_in_any_case_and_on_any_port(server: ServerProcess, host: str) -> None:
    assert _ask(server, host).status == 200


def test_a_host_header_on_a_raw_http_11_request_is_checked_too(server: ServerProcess) -> None:
    answer = _raw(server, b"GET /status HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 421 Misdirected Request\r\n")
    assert b"evil.example" in answer and b'"engines"' not in answer


# ---- framing ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/index.html", "/card?name=Ballerina"])
def test_html_pages_may_not_be_framed_by_anyone(server: ServerProcess, path: str) -> None:
    reply = server.request("GET", path)
    assert reply.status == 200 and reply.content_type.startswith("text/html")
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
    assert reply.headers["x-frame-options"] == "DENY"


def test_the_graph_view_may_be_framed_only_by_this_servers_page(server: ServerProcess) -> None:
    if not json.loads(server.request("GET", "/status").body)["graph_view"]:
        pytest.fail("the graph view is not available (pyvis is a core dependency)")
    reply = server.request(
        "GET", "/viz", params={"query": "CONSTRUCT { wgd:ballerina ?p ?o } WHERE { wgd:ballerina ?p ?o }"}
    )
    assert reply.status == 200 and reply.content_type.startswith("text/html")
    assert "frame-ancestors 'self'" in reply.headers["content-security-policy"]
    assert reply.headers["x-frame-options"] == "SAMEORIGIN"


# ---- HEAD ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%20%7B%20wgd%3Aballerina%20wg%3Adirector%20wgd%3Alen-wiseman%20%7D",
        "/sparql",
        "/status",
        "/queries",
        "/",
        "/queries/who-plays?character=Rooney",
    ],
)
def test_head_is_answered_like_get_without_a_body(server: ServerProcess, path: str) -> None:
    accept = {"Accept": "text/turtle"} if path == "/sparql" else {}
    get = server.request("GET", path, headers=accept)
    head = server.request("HEAD", path, headers=accept)
    assert get.status == 200 and get.body
    assert head.status == 200 and head.body == b""
    assert head.content_type == get.content_type
    if path == "/sparql":  # the service description's blank nodes are new each time, their labels of any length
        assert int(head.headers["content-length"]) > 0
    else:
        assert head.headers["content-length"] == str(len(get.body))


def test_head_on_a_bad_query_gets_the_same_status_as_get(server: ServerProcess) -> None:
    get = server.request("GET", "/sparql", params={"query": "ASK {"})
    head = server.request("HEAD", "/sparql", params={"query": "ASK {"})
    assert (get.status, head.status, head.body) == (400, 400, b"")


# ---- sizes and encodings ------------------------------------------------------------------------------------------
def test_a_1_mb_url_is_414_not_431(server: ServerProcess) -> None:
    answer = _raw(server, b"GET /sparql?query=", send_more=b"ASK%20" * 180_000 + b" HTTP/1.1\r\n\r\n")
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.endswith(b" 414 URI Too Long"), answer[:200]
    assert b"POST" in rest  # says what to do instead


def test_a_body_that_is_not_utf8_is_400_and_a_declared_other_charset_415(server: ServerProcess) -> None:
    latin1 = server.request(
        "POST",
        "/sparql",
        body="ASK { ?s ?p 'café' }".encode("latin-1"),
        headers={"Content-Type": "application/sparql-query"},
    )
    utf16 = server.request(
        "POST",
        "/sparql",
        body="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert (latin1.status, utf16.status) == (400, 415)
    assert "not valid UTF-8" in latin1.text and "UTF-8" in utf16.text


# ---- slow and idle clients ----------------------------------------------------------------------------------------
def _trickle(server: ServerProcess, head: bytes, drip: bytes) -> tuple[bytes, int]:
    """Send ``head``, then ``drip`` one byte every 0.3 s (each byte would restart an idle timer) until the
    server closes the connection; what it answered, and how many bytes were dripped."""
    sock = socket.create_connection(_address(server), timeout=30)
    sent, started, answer = 0, time.monotonic(), b""
    try:
        sock.sendall(head)
        sock.settimeout(0.3)
        while time.monotonic() - started < 30 and sent < len(drip):
            try:
                sock.send(drip[sent : sent + 1])
                sent += 1
            except OSError:
                break
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    return answer, sent


@pytest.mark.parametrize("part", ["head", "body"])
def test_a_trickling_request_gets_408_and_is_closed(server: ServerProcess, part: str) -> None:
    if part == "head":
        head, drip = b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: a\r\n" * 100
    else:
        body = b"query=ASK%20%7B%7D" + b"&x=" + b"a" * 200
        head = (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        drip = body
    answer, sent = _trickle(server, head, drip)
    assert answer.startswith((b"HTTP/1.0 408 Request Timeout\r\n", b"HTTP/1.1 408 Request Timeout\r\n")), answer[:200]
    assert b"Connection: close" in answer
    assert f"within {REQUEST_TIMEOUT} s".encode() in answer
    assert 3 <= sent < len(drip)  # it did trickle for a while, and was cut off before it finished


def test_an_idle_connection_is_closed(server: ServerProcess) -> None:
    sock = socket.create_connection(_address(server), timeout=60)
    try:
        assert sock.recv(1) == b""  # closed by the server, having sent nothing
    finally:
        sock.close()


def test_a_keep_alive_connection_serves_several_requests_then_is_closed_when_idle(server: ServerProcess) -> None:
    request = b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    statuses: list[bytes] = []
    with socket.create_connection(_address(server), timeout=60) as sock, sock.makefile("rb") as stream:
        for _ in range(3):
            sock.sendall(request)
            # Read the whole answer (its head, then Content-Length bytes) before the next request: on a loaded
            # machine one recv() may hold only part of it.
            statuses.append(stream.readline())
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, field = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(field)
            assert length is not None, statuses
            assert len(stream.read(length)) == length
        assert stream.read() == b""  # then nothing: the server closes it after the idle timeout
    assert statuses == [b"HTTP/1.1 200 OK\r\n"] * 3


# ---- open files ---------------------------------------------------------------------------------------------------
def _serve_with_open_files(store: Path, soft: int, hard: int) -> tuple[int, list[str], str]:
    """Start `wickgraph serve` with the given open-files limits; its soft limit once listening, its stderr lines,
    and the answer to a probe."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    cmd = [sys.executable, "-m", "wickgraph", "serve", "--store", str(store), "--port", "0", "--workers", "1"]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Listening on "), line
        limits = Path(f"/proc/{process.pid}/limits").read_text()
        soft_now = int(next(x for x in limits.splitlines() if x.startswith("Max open files")).split()[3])
        reply = raw_request(line.split()[-1].rstrip("/"), "GET", "/sparql", params={"query": ASK})
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    return soft_now, err.splitlines(), reply.text.strip()


def test_the_server_raises_a_low_open_files_limit_and_says_so(built_store: Path) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2048 + 256:
        pytest.fail(f"this machine's hard limit on open files ({hard}) is too low for the test")
    soft, err, answer = _serve_with_open_files(built_store, 512, hard)
    assert soft == 2048 + 256
    assert "  open-files soft limit raised from 512 to 2304 for 2048 connections" in err[3:]  # after the banner
    assert answer == '{"head":{},"boolean":true}'


def test_a_hard_limit_below_the_connection_limit_lowers_it_and_says_so(built_store: Path) -> None:
    soft, err, answer = _serve_with_open_files(built_store, 512, 512)
    assert soft == 512
    assert "  open files limited to 512 (hard limit 512): holding at most 256 connections" in err
    assert answer == '{"head":{},"boolean":true}'
