"""The W3C SPARQL 1.1 Protocol tests, run against `wickgraph serve`.

The manifest (../shared/conformance/w3c-sparql11/sparql/sparql11/protocol/manifest.ttl) describes each test as
HTTP requests with the status, boolean or kind of format expected. The runner reads it with rdflib, rewrites the
`/sparql/` path to our endpoint and sends the requests as written. Query tests run against a read-only server
over a store holding data1-3 as named graphs (data0 does not ship; the tests that name it only need the request
to be accepted, and an unknown graph is an empty one). Update tests (`update_*`, `bad_update_*`) run against a
server started with updates allowed; the runner adds the update token as `Authorization: Bearer`, the only
header it adds. Every test in the manifest runs; the counts are printed at the end of the session.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from _server import Reply, ServerProcess, make_store, raw_request, serving

if TYPE_CHECKING:
    import rdflib

PROTOCOL = Path(__file__).resolve().parent.parent.parent / "shared/conformance/w3c-sparql11/sparql/sparql11/protocol"
TOKEN = "w3c-protocol-test-token"

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
HTS = "http://www.w3.org/2011/http-statusCodes#"


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    boolean: bool | None
    format: str | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    steps: list[Step] = field(default_factory=list)

    @property
    def needs_updates(self) -> bool:
        return self.name.startswith(("update_", "bad_update_"))


def _node(node: rdflib.term.Node | None) -> rdflib.term.Node:
    assert node is not None, "the manifest lacks a list it should have"
    return node


def _load_manifest() -> list[ProtocolTest]:
    import rdflib
    from rdflib.collection import Collection

    graph = rdflib.Graph()
    graph.parse(PROTOCOL / "manifest.ttl", format="turtle")
    ns = rdflib.Namespace
    mf, ht, cnt = ns(MF), ns(HT), ns(CNT)
    manifest = next(graph.subjects(rdflib.RDF.type, mf.Manifest))
    entries = Collection(graph, _node(graph.value(manifest, mf.entries)))
    tests = []
    for entry in entries:
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(graph.value(entry, mf.name)))
        action = graph.value(entry, mf.action)
        for request in Collection(graph, _node(graph.value(action, ht.requests))):
            headers = {}
            header_list = graph.value(request, ht.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, ht.fieldName))] = str(graph.value(header, ht.fieldValue))
            body = None
            content = graph.value(request, ht.body)
            if content is not None:
                encoding = str(graph.value(content, cnt.characterEncoding) or "UTF-8")
                body = str(graph.value(content, cnt.chars)).encode(encoding.lower())
            response = graph.value(request, ht.resp)
            boolean = graph.value(response, mf.expectedBoolean)
            fmt = graph.value(response, mf.expectedFormat)
            test.steps.append(
                Step(
                    method=str(graph.value(request, ht.methodName)),
                    path=str(graph.value(request, ht.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={str(s).rsplit("#", 1)[-1] for s in graph.objects(response, mf.expectedStatus)},
                    boolean=None if boolean is None else str(boolean) == "true",
                    format=None if fmt is None else str(fmt),
                )
            )
        tests.append(test)
    return tests


TESTS = _load_manifest() if (PROTOCOL / "manifest.ttl").is_file() else []
RESULTS: dict[str, bool] = {}

_FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"),
}


def _boolean(reply: Reply) -> bool | None:
    if reply.content_type.startswith("application/sparql-results+json"):
        value = json.loads(reply.body).get("boolean")
        return value if isinstance(value, bool) else None
    if reply.content_type.startswith("application/sparql-results+xml"):
        node = ET.fromstring(reply.body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if node is None else node.text == "true"
    return None


def check(step: Step, reply: Reply) -> list[str]:
    """What is wrong with ``reply`` for ``step`` (nothing when it passes)."""
    problems = []
    status_class = f"StatusCode{reply.status // 100}xx"
    if status_class not in step.statuses:
        problems.append(f"status {reply.status}, expected {sorted(step.statuses)}: {reply.text[:200]}")
    if step.format is not None and not reply.content_type.startswith(_FORMATS[step.format]):
        problems.append(f"content type {reply.content_type!r} is not a {step.format} format")
    if step.boolean is not None and _boolean(reply) is not step.boolean:
        problems.append(f"expected boolean {step.boolean}, got {reply.text[:200]!r}")
    return problems


@pytest.fixture(scope="module")
def w3c_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("w3c") / "store"
    graphs = {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": PROTOCOL / f"data{i}.nt" for i in (1, 2, 3)}
    return make_store(root, graphs)


@pytest.fixture(scope="module")
def read_only_server(w3c_store: Path) -> Iterator[ServerProcess]:
    yield from serving(w3c_store, "--workers", "2")


@pytest.fixture(scope="module")
def update_server(w3c_store: Path) -> Iterator[ServerProcess]:
    yield from serving(w3c_store, "--allow-updates", env={"WICKGRAPH_UPDATE_TOKEN": TOKEN})


def _run(test: ProtocolTest, server: ServerProcess) -> list[str]:
    problems = []
    for number, step in enumerate(test.steps, 1):
        assert step.path.startswith("/sparql/"), step.path
        path = "/sparql" + step.path[len("/sparql/") :]  # "/sparql/?query=…" -> "/sparql?query=…"
        headers = dict(step.headers)
        if test.needs_updates:
            headers["Authorization"] = f"Bearer {TOKEN}"
        reply = raw_request(server.url, step.method, path, body=step.body, headers=headers)
        problems += [f"request {number}: {p}" for p in check(step, reply)]
    return problems


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how many of the W3C tests passed, and which did not, when the module is done."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not RESULTS:
        return
    passed = sorted(name for name, ok in RESULTS.items() if ok)
    failed = sorted(name for name, ok in RESULTS.items() if not ok)
    not_run = sorted({t.name for t in TESTS} - set(RESULTS))
    lines = [
        f"W3C SPARQL 1.1 Protocol tests: {len(passed)} of {len(TESTS)} passed, {len(failed)} failed, "
        f"{len(not_run)} not run",
        *(f"  failed: {name}" for name in failed),
        *(f"  not run: {name}" for name in not_run),
    ]
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


@pytest.mark.skipif(not TESTS, reason=f"the W3C protocol manifest is not at {PROTOCOL}")
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(test: ProtocolTest, request: pytest.FixtureRequest) -> None:
    server = request.getfixturevalue("update_server" if test.needs_updates else "read_only_server")
    problems = _run(test, server)
    RESULTS[test.name] = not problems
    assert not problems, f"{test.name} ({test.title}):\n" + "\n".join(problems)


def test_w3c_manifest_is_complete() -> None:
    """The runner read every test of the manifest (34 in the shipped copy), each with at least one request."""
    if not TESTS:
        pytest.skip(f"the W3C protocol manifest is not at {PROTOCOL}")
    assert len(TESTS) == 34
    assert all(t.steps for t in TESTS)
