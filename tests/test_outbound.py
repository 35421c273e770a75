"""No outbound requests: every layer that stops a query from making wickgraph call another host, attacked.

A canary (an HTTP listener on 127.0.0.1 that records what it hears) stands for "another host". The tests try to
make the server, the engines and the embedded store call it:

- the guard (:mod:`wickgraph.server.guard` over :mod:`wickgraph.sparql_lexer`): the ``\\r`` comment of issue 12
  and a Hypothesis fuzzer that hides SERVICE and LOAD in comments with every line ending, escapes, case,
  nesting, subqueries and prefixed names; each text is also run on a real engine (pyoxigraph, in memory) next
  to the canary, and whenever the engine calls out the guard must have said SERVICE / LOAD;
- the engines' private network (:mod:`wickgraph.server.netns`), on its own: the engine pool is given SERVICE and
  LOAD directly, with no guard in the way, and the canary must still hear nothing;
- the whole server with both layers: the fuzzer's queries sent to a real ``wickgraph serve``;
- the read-write engine of ``--allow-updates``: a local process tries to send it an update around the server;
- the embedded store and ``wickgraph query``: SERVICE refused unless allowed, and a failed SERVICE call ends in
  one line.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wickgraph
from _canary import Canary
from _server import ServerProcess, serving
from wickgraph.errors import QueryError, QueryRefusedError
from wickgraph.server.engine import EnginePool
from wickgraph.server.guard import inspect_sparql

TOKEN = "outbound-test-token"
ISSUE_QUERY = "ASK { #\rSERVICE <{url}> { ?s ?p ?o } }"
"""The bypass of issue 12: a comment that ends at CR, which the old guard read as running to the next LF."""
# What an engine with no way out answers (Linux's ECONNREFUSED: nothing listens there in its own network):
REFUSED = "Connection refused (os error 111)"
SERVICE_REFUSED = '{"head":{"vars":["o","p","s"]},"results":{"bindings":[' + REFUSED  # cut once begun


def _isolation_available() -> bool:
    from wickgraph.server.netns import PrivateNetwork

    result: list[bool] = []

    def probe() -> None:  # in a thread of its own: the thread that creates the namespace moves into it
        try:
            PrivateNetwork.create().close()
            result.append(True)
        except OSError:
            result.append(False)

    import threading

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return result[0]


needs_isolation = pytest.mark.skipif(
    not _isolation_available(), reason="this OS refuses a network namespace to this user (needs CAP_SYS_ADMIN)"
)


# ---- the fuzzer's texts --------------------------------------------------------------------------------------
_LINE_ENDS = ["\n", "\r", "\r\n", "\n\r", "\\u000A", "\\u000D"]


@st.composite
def _keyword(draw: st.DrawFn, word: str) -> str:
    """``word`` in any case, some letters written as \\u or \\U escapes."""
    out = []
    for ch in word:
        ch = draw(st.sampled_from([ch.upper(), ch.lower()]))
        escape = draw(st.integers(0, 59))
        if escape == 0:
            ch = f"\\u{ord(ch):04X}"
        elif escape == 1:
            ch = f"\\U{ord(ch):08x}"
        out.append(ch)
    return "".join(out)


@st.composite
def _gap(draw: st.DrawFn, *, may_be_empty: bool) -> str:
    """What may stand between two tokens: white space, comments ended by any line ending, or nothing."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from([" ", "\t", "\r", "\n", "\r\n"]),
                st.builds(lambda text, end: "#" + text + end, _junk(), st.sampled_from(_LINE_ENDS)),
            ),
            min_size=0 if may_be_empty else 1,
            max_size=3,
        )
    )
    return "".join(parts)


def _junk() -> st.SearchStrategy[str]:
    return st.sampled_from(["", " SERVICE", "x", '"', "'''", "<", "\\", "{", " # ", "\\u0023", "LOAD <x>"])


@st.composite
def _hider(draw: st.DrawFn) -> str:
    """Text placed before the clause, which may (or may not) hide it from a careless lexer."""
    end = draw(st.sampled_from(_LINE_ENDS))
    return draw(
        st.sampled_from(
            [
                "",
                f"# {end}",
                f"#{end}",
                "# no line end after this ",  # really hides what follows: the engine must then not call out
                f'?s ?p "#" . {end}',
                f"?s ?p '''# {end}''' . ",
                f"?s ?p <http://e/#{end}> . ",
                f'?s ?p "\\"#" .{end}',
                f"?s ?p '# \\u0027 . {end}",
                f"?s <http://e/p> ?o . # {end}",
                f'BIND("SERVICE" AS ?x) # "{end}',
            ]
        )
    )


@st.composite
def service_query(draw: st.DrawFn, base: str) -> str:
    """A SELECT or ASK whose SERVICE clause (pointing at ``base``) is hidden in one of many ways."""
    keyword = draw(_keyword("SERVICE"))
    silent = draw(st.sampled_from(["", " SILENT ", "\rsilent\n", "#\rSILENT "]))
    target, gap_may_be_empty = draw(
        st.sampled_from([(f"<{base}/iri>", True), (":colon", True), ("c:pname", False), ("C:pname", False)])
    )
    clause = keyword + draw(_gap(may_be_empty=gap_may_be_empty or bool(silent))) + silent + target
    clause += draw(_gap(may_be_empty=True)) + "{ ?s ?p ?o }"
    wrap = draw(
        st.sampled_from(
            [
                "{}",
                "{{ {} }}",
                "OPTIONAL {{ {} }}",
                "{{ SELECT * WHERE {{ {} }} }}",
                "{{ {{ SELECT * {{ {{ {} }} }} }} }}",
                "{{ {} }} UNION {{ ?s ?p ?o }}",
                "FILTER NOT EXISTS {{ {} }}",
            ]
        )
    )
    form = draw(st.sampled_from(["SELECT * WHERE", "select *", "ASK", "ask where"]))
    prologue = f"PREFIX : <{base}/colon/>\nprefix c: <{base}/c/>\n"
    return f"{prologue}{form} {{ {draw(_hider())}{wrap.format(clause)} }}"


@st.composite
def load_update(draw: st.DrawFn, base: str) -> str:
    """A SPARQL update whose LOAD (of a document at ``base``) is hidden in one of many ways."""
    keyword = draw(_keyword("LOAD"))
    silent = draw(st.sampled_from(["", " SILENT", " #\rsilent"]))
    into = draw(st.sampled_from(["", " INTO GRAPH <http://e/g>", "\rinto graph c:g"]))
    before = draw(st.sampled_from(["", "CLEAR ALL ; ", "INSERT DATA { <http://e/a> <http://e/b> 'LOAD' } ;\n"]))
    hider = draw(st.sampled_from(["", "#", "# x", '#"']))
    end = draw(st.sampled_from([*_LINE_ENDS, ""]))
    gap = draw(_gap(may_be_empty=True)) or " "
    return f"prefix c: <{base}/c/>\n{before}{hider}{end}{keyword}{silent}{gap}<{base}/load>{into}"


def _engine_calls_out(store: pyoxigraph.Store, canary: Canary, text: str, *, update: bool = False) -> bool:
    """Run ``text`` on a real engine (pyoxigraph) and say whether it sent the canary a request."""
    canary.heard.clear()
    try:
        if update:
            store.update(text)
        else:
            result = store.query(text)
            if isinstance(result, pyoxigraph.QuerySolutions):
                list(result)
    except Exception:  # a syntax error, a failed fetch: what counts is whether it called out
        pass
    return bool(canary.heard)


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with Canary() as c:
        yield c


# ---- the guard alone ----------------------------------------------------------------------------------------
def test_the_issue_query_is_read_as_using_service(canary: Canary) -> None:
    text = ISSUE_QUERY.replace("{url}", canary.url())
    assert inspect_sparql(text).uses_service
    # and the engine does call out for it: the guard's answer matters
    assert _engine_calls_out(pyoxigraph.Store(), canary, text)


def test_fuzzer_the_guard_sees_every_service_and_load_the_engine_runs(canary: Canary) -> None:
    store = pyoxigraph.Store()
    base = f"http://127.0.0.1:{canary.port}"
    called_out = {"service": 0, "load": 0}
    refused = {"service": 0, "load": 0}

    @settings(max_examples=300, derandomize=True, database=None, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        text = data.draw(service_query(base))
        facts = inspect_sparql(text)
        if _engine_calls_out(store, canary, text):
            called_out["service"] += 1
            assert facts.uses_service, f"the engine calls out, the guard does not see SERVICE: {text!r}"
        refused["service"] += facts.uses_service
        update = data.draw(load_update(base))
        facts = inspect_sparql(update)
        if _engine_calls_out(store, canary, update, update=True):
            called_out["load"] += 1
            assert facts.uses_load, f"the engine calls out, the guard does not see LOAD: {update!r}"
        refused["load"] += facts.uses_load

    check()
    # The fuzzer must really reach the engine, or the test above proves nothing.
    print(f"engine called out: {called_out}; guard said SERVICE / LOAD: {refused}")
    assert called_out["service"] >= 50 and called_out["load"] >= 50, called_out


# ---- the engines' private network alone (no guard in the way) ---------------------------------------------
@needs_isolation
def test_an_engine_in_its_private_network_cannot_reach_the_canary(built_store: Path, canary: Canary) -> None:
    queries = [
        f"SELECT * {{ SERVICE <{canary.url('/service')}> {{ ?s ?p ?o }} }}",
        ISSUE_QUERY.replace("{url}", canary.url("/issue")),
    ]
    with EnginePool(built_store, size=1, timeout=10) as pool:
        assert pool.protection["isolated"] is True
        engine_ns = {os.readlink(f"/proc/{pid}/ns/net") for pid in pool.pids()}
        assert engine_ns and os.readlink("/proc/self/ns/net") not in engine_ns
        canary.heard.clear()
        answers = [(r.status, r.text) for r in (pool.request("/query", [("query", text)]) for text in queries)]
        # Each engine tried and found nothing listening in its own network: SERVICE fails once the answer has
        # begun (200, the results cut by the error), the issue's query before it (500).
        assert answers == [(200, SERVICE_REFUSED), (500, REFUSED)]
        assert canary.heard == []
    with EnginePool(built_store, writable=True, timeout=10) as pool:
        response = pool.request("/update", [("update", f"LOAD <{canary.url('/load')}>")], accept="*/*")
        assert (response.status, response.text) == (500, REFUSED)
        assert canary.heard == []
    # The control: the same pool without the private network does reach the canary, so the test can fail.
    with EnginePool(built_store, size=1, timeout=10, isolate=False) as pool:
        assert pool.protection["isolated"] is False
        pool.request("/query", [("query", queries[0])])
        assert canary.heard == ["POST /service"]


# ---- the whole server -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    yield from serving(built_store, "--timeout", "5")


@pytest.fixture(scope="module")
def update_server(built_store: Path) -> Iterator[ServerProcess]:
    yield from serving(built_store, "--allow-updates", "--timeout", "5", env={"WICKGRAPH_UPDATE_TOKEN": TOKEN})


def test_the_issue_query_gets_403_and_the_canary_hears_nothing(server: ServerProcess, canary: Canary) -> None:
    canary.heard.clear()
    for text in (
        ISSUE_QUERY.replace("{url}", canary.url("/ask")),
        f"SELECT * {{ #\rSERVICE <{canary.url('/select')}> {{ ?s ?p ?o }} }}",
    ):
        reply = server.request("GET", "/sparql", params={"query": text})
        assert reply.status == 403, reply.text
        assert "SERVICE" in reply.text
    assert canary.heard == []


def test_a_hidden_load_gets_403_in_update_mode(update_server: ServerProcess, canary: Canary) -> None:
    canary.heard.clear()
    for text in (f"CLEAR GRAPH <http://e/g> ; #\rLOAD <{canary.url('/load')}>", f"lo\\u0061d <{canary.url('/u')}>"):
        reply = update_server.request(
            "POST",
            "/sparql",
            body=text,
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert reply.status == 403, reply.text
        assert "LOAD" in reply.text
    assert canary.heard == []


def test_status_says_which_network_protection_holds(server: ServerProcess) -> None:
    status = json.loads(server.request("GET", "/status").body)
    network = status["engine_network"]
    assert network["engine_network"] in ("private", "host")
    assert network["isolated"] is (network["engine_network"] == "private")
    assert any(line.startswith("engine network: ") for line in server.stderr)


@needs_isolation
def test_fuzzer_against_the_whole_server(server: ServerProcess, update_server: ServerProcess, canary: Canary) -> None:
    store = pyoxigraph.Store()
    base = f"http://127.0.0.1:{canary.port}"
    engine_called = {"service": 0, "load": 0}
    update_headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}

    @settings(
        max_examples=120,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        text = data.draw(service_query(base))
        would_call = _engine_calls_out(store, canary, text)
        engine_called["service"] += would_call
        canary.heard.clear()
        reply = server.request("GET", "/sparql", params={"query": text}, timeout=30)
        assert canary.heard == [], f"the server called out for {text!r}"
        if would_call:
            assert reply.status == 403, f"{reply.status} for {text!r}: {reply.text[:200]}"
        update = data.draw(load_update(base))
        would_call = _engine_calls_out(store, canary, update, update=True)
        engine_called["load"] += would_call
        canary.heard.clear()
        reply = update_server.request("POST", "/sparql", body=update, headers=update_headers, timeout=30)
        assert canary.heard == [], f"the server called out for {update!r}"
        if would_call:
            assert reply.status == 403, f"{reply.status} for {update!r}: {reply.text[:200]}"

    check()
    assert engine_called["service"] >= 10 and engine_called["load"] >= 10, engine_called


def test_allow_service_gives_the_engines_the_network_back(built_store: Path, canary: Canary) -> None:
    """An operator who allows SERVICE wants it to work: the engines then run on the host's network, and /status
    says so."""
    with ServerProcess(built_store, "--allow-service", "--workers", "1") as allowing:
        network = json.loads(allowing.request("GET", "/status").body)["engine_network"]
        assert network["isolated"] is False and "SERVICE or LOAD is allowed" in network["detail"]
        canary.heard.clear()
        text = f"SELECT * {{ SERVICE <{canary.url('/allowed')}> {{ ?s ?p ?o }} }}"
        reply = allowing.request("GET", "/sparql", params={"query": text}, headers={"Accept": "application/json"})
        assert reply.status == 200, reply.text
        assert canary.heard == ["POST /allowed"]


# ---- the read-write engine answers the server only ------------------------------------------------------------
def _engine_port(pid: int) -> int:
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    bind = args[args.index(b"--bind") + 1].decode()
    return int(bind.rsplit(":", 1)[1])


@needs_isolation
def test_a_local_process_cannot_update_the_read_write_engine(update_server: ServerProcess) -> None:
    engines = [pid for pid in update_server.engine_pids() if b"oxigraph" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    oxigraph = [p for p in engines if b"serve" in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert oxigraph, "no engine process found"
    port = _engine_port(oxigraph[0])  # the port shows in `ps`, as issue 12 says
    body = "update=" + "INSERT DATA { <urn:wickgraph:sneaked> <urn:p> <urn:o> }"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    # From this process, on the host's 127.0.0.1: nothing listens there.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        with pytest.raises(ConnectionRefusedError):
            conn.request("POST", "/update", body, headers)
            conn.getresponse().read()
    finally:
        conn.close()
    # From an unprivileged local process that tries to enter the engine's network namespace: not allowed.
    client = (
        f"import http.client; c = http.client.HTTPConnection('127.0.0.1', {port}, timeout=5); "
        f"c.request('POST', '/update', {body!r}, {headers!r}); print(c.getresponse().status)"
    )
    enter = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "nsenter",
        f"--net=/proc/{oxigraph[0]}/ns/net",
    ]
    entered = subprocess.run(
        [*enter, sys.executable, "-c", client],
        capture_output=True,
        text=True,
        timeout=30,
    )
    # The kernel refuses another user the namespace's handle itself: nsenter cannot even open it.
    assert entered.returncode == 1, entered.stdout
    assert entered.stderr == f"nsenter: cannot open /proc/{oxigraph[0]}/ns/net: Permission denied\n"
    reply = update_server.request(
        "GET",
        "/sparql",
        params={"query": "ASK { <urn:wickgraph:sneaked> ?p ?o }"},
        headers={"Accept": "application/json"},
    )
    assert reply.status == 200 and json.loads(reply.body)["boolean"] is False


# ---- the embedded store and `wickgraph query` ------------------------------------------------------------------
def test_the_embedded_store_refuses_service(built_store: Path, canary: Canary) -> None:
    canary.heard.clear()
    with wickgraph.open_graph(built_store) as kg:
        for text in (
            f"SELECT * {{ SERVICE <{canary.url()}> {{ ?s ?p ?o }} }}",
            ISSUE_QUERY.replace("{url}", canary.url()),
            f"SELECT * {{ sErV\\u0069ce <{canary.url()}> {{ ?s ?p ?o }} }}",
        ):
            with pytest.raises(QueryRefusedError, match="allow_service=True"):
                kg.query(text)
    assert canary.heard == []
    # Allowed, the call is made (the control) and its answer comes back.
    with wickgraph.open_graph(built_store, allow_service=True) as kg:
        assert kg.select(f"SELECT * {{ SERVICE <{canary.url('/allowed')}> {{ ?s ?p ?o }} }}").rows == []
    assert canary.heard == ["POST /allowed"]


def test_a_failed_service_call_is_one_clean_error(built_store: Path) -> None:
    with Canary(status=500) as failing, wickgraph.open_graph(built_store, allow_service=True) as kg:
        for text in (
            f"SELECT * {{ SERVICE <{failing.url()}> {{ ?s ?p ?o }} }}",
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{failing.url()}> {{ ?s ?p ?o }} }}",
        ):
            with pytest.raises(QueryError) as caught:
                kg.select(text).rows if text.startswith("SELECT") else list(kg.construct(text))
            assert "\n" not in str(caught.value) and "500" in str(caught.value)


def test_wickgraph_query_refuses_service_unless_allowed(built_store: Path) -> None:
    env = {**os.environ, "WICKGRAPH_STORE": str(built_store)}
    env.pop("WICKGRAPH_ENDPOINT", None)
    with Canary(status=500) as failing:
        text = f"SELECT * {{ SERVICE <{failing.url()}> {{ ?s ?p ?o }} }}"
        refused = subprocess.run(
            [sys.executable, "-m", "wickgraph", "query", text], capture_output=True, text=True, env=env, timeout=60
        )
        assert refused.returncode == 1
        assert refused.stderr.count("\n") == 1 and "--allow-service" in refused.stderr
        assert failing.heard == []
        allowed = subprocess.run(
            [sys.executable, "-m", "wickgraph", "query", "--allow-service", text],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert failing.heard == ["POST /sparql"]
        assert allowed.returncode == 1
        assert "Traceback" not in allowed.stderr
        assert re.fullmatch(r"Error: [^\n]*500[^\n]*\n", allowed.stderr), allowed.stderr


# ---- a server without CAP_SYS_ADMIN: each engine in namespaces of its own (unshare -rn) behind a bridge ----------
NO_SYS_ADMIN = ["/usr/bin/setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin"]
POOL_SCRIPT = """
import json, sys
from wickgraph.server.engine import EnginePool
store, canary = sys.argv[1], sys.argv[2]
with EnginePool(store, size=1, timeout=10) as pool:
    engine = next(iter(pool._engines))
    print(json.dumps({**pool.protection, "unix_path": engine.unix_path}), flush=True)
    sys.stdin.readline()  # the test tries the socket from another user meanwhile
    reply = pool.request("/query", [("query", "SELECT * { SERVICE <%s/bridged> { ?s ?p ?o } }" % canary)])
    print(json.dumps({"status": reply.status, "text": reply.text[:300]}), flush=True)
with EnginePool(store, writable=True, timeout=10) as pool:
    reply = pool.request("/update", [("update", "LOAD <%s/bridged-load>" % canary)], accept="*/*")
    print(json.dumps({"status": reply.status, "text": reply.text[:300]}), flush=True)
"""


def _user_namespaces() -> bool:
    probe = subprocess.run([*NO_SYS_ADMIN, "unshare", "-rn", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _user_namespaces(), reason="this OS refuses user namespaces (unshare -rn)")
def test_without_cap_sys_admin_each_engine_gets_a_network_of_its_own(built_store: Path, canary: Canary) -> None:
    """The engine pool of a server without CAP_SYS_ADMIN (as an unprivileged user's): engines in namespaces of
    their own, reached through a Unix socket; given SERVICE and LOAD with no guard in the way, they cannot reach
    the canary, and another user cannot open their socket."""
    canary.heard.clear()
    process = subprocess.Popen(
        [*NO_SYS_ADMIN, sys.executable, "-c", POOL_SCRIPT, str(built_store), f"http://127.0.0.1:{canary.port}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        first = json.loads(process.stdout.readline() or "null")
        assert first is not None, process.stderr.read() if process.stderr else ""
        assert first["isolated"] is True and "unshare -rn" in first["detail"]
        connect = f"import socket; socket.socket(socket.AF_UNIX).connect({first['unix_path']!r})"
        other = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", connect],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert other.returncode != 0 and "PermissionError" in other.stderr, other.stderr
        process.stdin.write("go\n")
        process.stdin.flush()
        query = json.loads(process.stdout.readline())
        load = json.loads(process.stdout.readline())
    finally:
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert query == {"status": 200, "text": SERVICE_REFUSED}
    assert load == {"status": 500, "text": REFUSED}
    assert canary.heard == []


# ---- where the OS refuses a private network --------------------------------------------------------------------
def test_without_a_private_network_the_server_says_what_the_operator_loses(built_store: Path, canary: Canary) -> None:
    """The server started without CAP_SYS_ADMIN and without `unshare` (no user namespaces either): it falls back
    to the host's loopback, says so at start and in /status, and the guard still refuses the issue's query."""
    cmd = [*NO_SYS_ADMIN, sys.executable, "-m", "wickgraph"]
    cmd += ["serve", "--store", str(built_store), "--port", "0", "--workers", "1"]
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # the venv's bin: no `unshare` there
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        assert line.startswith("Listening on "), line
        url = line.split()[-1].rstrip("/")
        from _server import raw_request

        status = json.loads(raw_request(url, "GET", "/status").body)["engine_network"]
        assert status["isolated"] is False and status["engine_network"] == "host"
        assert "Operation not permitted" in status["detail"] and "only the SERVICE/LOAD guard" in status["detail"]
        canary.heard.clear()
        reply = raw_request(url, "GET", "/sparql", params={"query": ISSUE_QUERY.replace("{url}", canary.url())})
        assert reply.status == 403 and canary.heard == []
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    notice = [x for x in err.splitlines() if x.startswith("engine network: ")]
    assert len(notice) == 1 and notice[0].startswith("engine network: host: no private network"), err
