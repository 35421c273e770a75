"""Supersession per triple and honest time (issue 13, part A), checked against the held source texts.

Each test reads what a source text says (the span or fact-sheet line a claim cites) and asks the graph whether
that fact is current, superseded or visible "as known on" a date: never only the graph against itself.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

import wickgraph
from _results import as_rows
from _server import ServerProcess
from wickgraph.namespaces import CLAIM, WG, WGD, XSD
from wickgraph.status import claim_statuses
from wickgraph.terms import value

CINEMARK = "cinemark-ballerina-what-we-know.txt"
FACTSHEET = "franchise-factsheet.md"


def _text(sources_dir: Path, name: str) -> str:
    return (sources_dir / name).read_text(encoding="utf-8")


def _span(sources_dir: Path, kg: wickgraph.KnowledgeGraph, claim: str) -> str:
    """The text a claim rests on: its character span of the article, or its line of the fact sheet."""
    row = kg.select(f"""
        SELECT ?start ?end ?line WHERE {{ GRAPH ?src {{ <{claim}> a wg:Claim
          OPTIONAL {{ <{claim}> wg:spanStart ?start ; wg:spanEnd ?end }} OPTIONAL {{ <{claim}> wg:spanLine ?line }} }} }}""")[
        0
    ]
    if row["start"] is not None:
        return _text(sources_dir, CINEMARK)[int(value(row, "start")) : int(value(row, "end"))]
    return _text(sources_dir, FACTSHEET).splitlines()[int(value(row, "line")) - 1]


def _status(kg: wickgraph.KnowledgeGraph, claim: str, s: str, p: str, o: object, as_of: str | None = None) -> str:
    """The status of a claim's triple as the named query fact-provenance gives it (the graph's one answer)."""
    subject = NamedNode(WGD + s)
    obj = o if isinstance(o, (Literal, NamedNode)) else NamedNode(WGD + str(o))
    asserted = kg.ask(f"ASK {{ GRAPH <{claim}> {{ {subject} <{WG}{p}> {obj} }} }}")
    assert asserted, f"{claim} does not state {s} {p} {o}"
    statuses = claim_statuses(kg, as_of=as_of, subjects=[subject.value])
    return statuses.of(claim, subject, WG + p, obj).status


# ---- item 1: the six facts a correction used to retire with its neighbours ----------------------------------

LOST = [
    # (claim, words of its span, subject, property, object)
    ("cinemark-2024/a06", "Lionsgate", "ballerina-release-2025", "releasedBy", "lionsgate"),
    (
        "factsheet-ballerina/13",
        "3,409 theaters",
        "ballerina",
        "remark",
        Literal("3,409 theaters in the U.S. and Canada; $26M international, $51M global opening (studio estimates)"),
    ),
    (
        "factsheet-chapter-4/09",
        "$137.5M global",
        "john-wick-chapter-4",
        "remark",
        Literal("$137.5M global opening (estimate)"),
    ),
    (
        "cinemark-2024/a17",
        "dancing solo",
        "eve-macarro",
        "remark",
        Literal("dancing solo on stage as John Wick enters the domain of Anjelica Huston's character"),
    ),
    (
        "cinemark-2024/a23",
        "murderers of her family",
        "eve-macarro",
        "remark",
        Literal("seeks revenge by hunting the murderers of her family"),
    ),
]


@pytest.mark.parametrize(("claim", "words", "s", "p", "o"), LOST, ids=[f"{c}-{p}" for c, _, _, p, _ in LOST])
def test_what_no_later_claim_contradicts_stays_current(
    kg: wickgraph.KnowledgeGraph, sources_dir: Path, claim: str, words: str, s: str, p: str, o: object
) -> None:
    # The source says it, a later claim supersedes that claim, and still this triple is current.
    assert words in _span(sources_dir, kg, CLAIM + claim)
    assert kg.ask(f"ASK {{ GRAPH ?src {{ ?newer wg:supersedes <{CLAIM + claim}> }} }}")
    assert _status(kg, CLAIM + claim, s, p, o) == "current"


# Two of the six no longer rest on a superseded claim at all: the article's theatre channel is a claim of its own
# (a41, future tense: expected), and the Escapist credit /32 names Eve Macarro, as the later sources do.
UNSUPERSEDED = [
    (
        "cinemark-2024/a41",
        "exclusively in movie theatres",
        "ballerina-release-2025",
        "channel",
        Literal("exclusively in movie theatres"),
    ),
    (
        "factsheet-ballerina/32",
        "brief cameo",
        "perf-parabellum-unity-phelan",
        "creditType",
        NamedNode(WG + "CameoRole"),
    ),
]


@pytest.mark.parametrize(("claim", "words", "s", "p", "o"), UNSUPERSEDED, ids=[c for c, *_ in UNSUPERSEDED])
def test_the_facts_split_from_corrected_claims_are_current(
    kg: wickgraph.KnowledgeGraph, sources_dir: Path, claim: str, words: str, s: str, p: str, o: object
) -> None:
    assert words in _span(sources_dir, kg, CLAIM + claim)
    assert not kg.ask(f"ASK {{ GRAPH ?src {{ ?newer wg:supersedes <{CLAIM + claim}> }} }}")
    assert _status(kg, CLAIM + claim, s, p, o) == "current"


CORRECTED = [
    # (old claim, words of its span, (s, p, old value), newer claim, words of the newer claim's span)
    (
        "cinemark-2024/a23",
        "Rooney",
        ("eve-macarro", "name", Literal("Rooney")),
        "factsheet-ballerina/17",
        "Eve Macarro",
    ),
    (
        "cinemark-2024/a06",
        "has set a June 6, 2025",
        ("ballerina-release-2025", "releaseStatus", NamedNode(WG + "Planned")),
        "factsheet-ballerina/07",
        "Released: 2025-06-06",
    ),
    (
        "factsheet-ballerina/13",
        "$25M domestic",
        ("ballerina", "openingWeekendUSD", Literal("25000000", datatype=NamedNode(XSD + "decimal"))),
        "factsheet-ballerina/14",
        "$24.5M domestic",
    ),
]


@pytest.mark.parametrize(("old", "said", "triple", "new", "correction"), CORRECTED, ids=[c[0] for c in CORRECTED])
def test_what_a_later_claim_contradicts_is_superseded(
    kg: wickgraph.KnowledgeGraph,
    sources_dir: Path,
    old: str,
    said: str,
    triple: tuple[str, str, object],
    new: str,
    correction: str,
) -> None:
    assert said in _span(sources_dir, kg, CLAIM + old) and correction in _span(sources_dir, kg, CLAIM + new)
    assert _status(kg, CLAIM + old, *triple) == "superseded"
    statuses = claim_statuses(kg, subjects=[WGD + triple[0]])
    assert statuses.of(CLAIM + old, NamedNode(WGD + triple[0]), WG + triple[1], triple[2]).by == (CLAIM + new,)  # type: ignore[arg-type]


def test_two_sources_that_disagree_and_neither_corrects_dispute(
    kg: wickgraph.KnowledgeGraph, sources_dir: Path
) -> None:
    # The fact sheet's budget row: "at least $100M (one review says $90M)": neither supersedes the other.
    line = _span(sources_dir, kg, CLAIM + "factsheet-chapter-4/07")
    assert "$100M" in line and "$90M" in line
    hundred = Literal("100000000", datatype=NamedNode(XSD + "decimal"))
    ninety = Literal("90000000", datatype=NamedNode(XSD + "decimal"))
    assert _status(kg, CLAIM + "factsheet-chapter-4/07", "john-wick-chapter-4", "budgetUSD", hundred) == "disputed"
    assert _status(kg, CLAIM + "factsheet-chapter-4/08", "john-wick-chapter-4", "budgetUSD", ninety) == "disputed"
    # As known on 2023-03-28 only CNA's figure (2023-03-27) was out: nothing disputed it yet.
    assert (
        _status(kg, CLAIM + "factsheet-chapter-4/07", "john-wick-chapter-4", "budgetUSD", hundred, as_of="2023-03-28")
        == "current"
    )


def test_as_of_status_follows_what_was_known(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    # 411mania's Sunday estimate (2023-03-26) stood until /Film gave the actual figure (2025-06-10).
    assert "$73.5M domestic (estimate)" in _span(sources_dir, kg, CLAIM + "factsheet-chapter-4/09")
    estimate = Literal("73500000", datatype=NamedNode(XSD + "decimal"))
    args = (CLAIM + "factsheet-chapter-4/09", "john-wick-chapter-4", "openingWeekendUSD", estimate)
    assert _status(kg, *args, as_of="2024-01-01") == "current"
    assert _status(kg, *args, as_of="2025-06-10") == "superseded"


# ---- item 2: dates. A lower bound never makes a claim visible ---------------------------------------------


def test_the_chancellor_is_not_known_before_a_dated_source_names_him(
    kg: wickgraph.KnowledgeGraph, sources_dir: Path
) -> None:
    # The only held text dated by 2024-02-22 is the article, and it never names the Chancellor; the pages that
    # do (the Spanish press kit, Looper) are undated.
    assert "Chancellor" not in _text(sources_dir, CINEMARK)
    early = as_rows(kg.run("who-plays", as_of="2024-02-22", character="The Chancellor"))
    assert [value(r, "actorLabel") for r in early] == []
    assert "Gabriel Byrne" in [value(r, "actorLabel") for r in as_rows(kg.run("who-plays", character="The Chancellor"))]


def test_john_wick_is_not_released_before_a_source_dated_by_then_says_so(kg: wickgraph.KnowledgeGraph) -> None:
    released = list(as_rows(kg.run("release-history", as_of="2014-06-01", film="John Wick (2014)")))
    assert released == []
    dated = kg.select("""
        SELECT ?src WHERE { GRAPH ?src { ?src wg:knownSince ?d FILTER(?d <= "2014-06-01"^^xsd:date) } }""")
    assert [value(r, "src") for r in dated] == []  # nothing we hold had certainly been said by then
    assert {value(r, "status") for r in as_rows(kg.run("release-history", film="John Wick (2014)"))} == {"released"}


def test_reeves_is_not_a_cameo_as_known_on_2024_01_03(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    # The article (2024-01-03) says "not just a one-scene cameo"; the page that says cameo (Koimoi) is undated.
    assert "cameo" in _text(sources_dir, CINEMARK)
    card = kg.entity("wgd:perf-ballerina-keanu-reeves", as_of="2024-01-03")
    assert [f.value_label for f in card.facts if f.property == WG + "creditType"] == []
    now = kg.entity("wgd:perf-ballerina-keanu-reeves")
    assert "cameo" in {f.value_label for f in now.facts if f.property == WG + "creditType"}


def test_ana_de_armas_is_no_actress_on_the_day_she_was_born(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    assert "born 30 Apr 1988" in _text(sources_dir, FACTSHEET)
    born = kg.entity("Ana de Armas", as_of="1988-04-30")
    assert born.facts == [] and born.incoming == []
    assert "actress" in {f.value_label for f in kg.entity("Ana de Armas").facts}


def test_every_source_is_dated_by_its_upper_bound(kg: wickgraph.KnowledgeGraph) -> None:
    rows = kg.select("""
        SELECT ?src ?known ?exact ?after ?before ?basis WHERE { GRAPH ?src {
          ?src a wg:Source ; wg:knownSince ?known ; wg:dateBasis ?basis .
          OPTIONAL { ?src schema:datePublished ?exact } OPTIONAL { ?src wg:notAfter ?after }
          OPTIONAL { ?src wg:notBefore ?before } } }""")
    assert len(rows) == kg.counts()["sources"]
    for r in rows:
        known = value(r, "known")
        upper = value(r, "after") if r["after"] is not None else value(r, "exact")
        assert known == upper, value(r, "src")
        assert r["before"] is None or value(r, "before") <= known, value(r, "src")
    # No lower bound is used: the undated pages the issue names are visible only from the fact sheet's date.
    for key in (
        "koimoi-ballerina-reeves-de-armas",
        "cineymax-ballerina-2025",
        "semana-catalina-sandino-ballerina",
        "inkl-inverse-ballerina-duncan-brewster",
        "film5000-john-wick",
        "revionz-ana-de-armas",
    ):
        (row,) = [r for r in rows if value(r, "src").endswith("/" + key)]
        assert r["exact"] is None or row["exact"] is None
        assert value(row, "known") == "2026-11-24" and value(row, "before") < "2026-11-24"


def test_cards_say_when_a_date_is_only_an_upper_bound(kg: wickgraph.KnowledgeGraph) -> None:
    text = kg.entity("Gabriel Byrne").render()
    assert "Cine y Más), date unknown, at the latest 2026-11-24, stated" in text


# ---- item 4: the editors' inferences on entity cards --------------------------------------------------------


def test_inferred_claims_are_on_entity_cards(kg: wickgraph.KnowledgeGraph) -> None:
    card = kg.entity("John Wick: Chapter 2")
    after = [f for f in card.facts if f.property == WG + "setAfter"]
    assert [f.value_label for f in after] == ["John Wick (2014)"]
    assert after[0].inferred and after[0].certainty == "inferred by the editors"
    assert after[0].span.startswith("inferred from cinemark-2024/a01")
    rendered = card.render()
    assert "  set after:\n    John Wick (2014)\n" in rendered and "[inferred]" in rendered
    # The named query lists it too, with its certainty and no span of its own.
    rows = as_rows(kg.run("fact-provenance", entity="John Wick: Chapter 2"))
    (inferred,) = [
        r for r in rows if value(r, "property") == "set after" and value(r, "subject") == "John Wick: Chapter 2"
    ]
    assert value(inferred, "certainty") == "inferred by the editors" and inferred["spanIn"] is None
    assert value(inferred, "claim") == CLAIM + "editorial/01" and value(inferred, "status") == "current"


# ---- one status, every face ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[ServerProcess]:
    with ServerProcess(built_store, "--workers", "1") as process:
        yield process


FACES = [
    # (entity, subject, property, value label, claim, status, as_of)
    ("Eve Macarro", "eve-macarro", "name", "Rooney", "cinemark-2024/a23", "superseded", None),
    (
        "Eve Macarro",
        "eve-macarro",
        "remark",
        "seeks revenge by hunting the murderers of her family",
        "cinemark-2024/a23",
        "current",
        None,
    ),
    (
        "John Wick: Chapter 4",
        "john-wick-chapter-4",
        "budgetUSD",
        "90000000",
        "factsheet-chapter-4/08",
        "disputed",
        None,
    ),
    (
        "John Wick: Chapter 4",
        "john-wick-chapter-4",
        "openingWeekendUSD",
        "73500000",
        "factsheet-chapter-4/09",
        "current",
        "2024-01-01",
    ),
    (
        "John Wick: Chapter 4",
        "john-wick-chapter-4",
        "openingWeekendUSD",
        "73500000",
        "factsheet-chapter-4/09",
        "superseded",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "s", "p", "shown", "claim", "status", "as_of"), FACES, ids=[f"{f[2]}-{f[5]}-{f[6]}" for f in FACES]
)
def test_every_face_gives_the_same_status(
    kg: wickgraph.KnowledgeGraph,
    server: ServerProcess,
    name: str,
    s: str,
    p: str,
    shown: str,
    claim: str,
    status: str,
    as_of: str | None,
) -> None:
    iri = CLAIM + claim
    # show (the entity card)
    card = kg.entity(name, as_of=as_of)
    (fact,) = [f for f in card.facts if f.property == WG + p and f.value_label == shown and f.claim == iri]
    assert fact.status == status
    # the named query
    rows = as_rows(kg.run("fact-provenance", as_of=as_of, entity=name))
    found = {value(r, "status") for r in rows if value(r, "claim") == iri and value(r, "value") == shown}
    assert found == {status}
    # the NetworkX export (a literal: filed under "(superseded)" only when every claim has it superseded)
    graph = wickgraph.to_networkx(kg, as_of=as_of)
    attrs = graph.nodes["wgd:" + s]
    superseded_values = [_plain(v) for v in attrs.get(f"wg:{p} (superseded)", [])]
    current_values = [_plain(v) for v in attrs.get(f"wg:{p}", [])]
    if status == "superseded":
        assert shown in superseded_values and shown not in current_values
    else:
        assert shown in current_values and shown not in superseded_values
    # the server's entity JSON
    params = {"name": name, **({"as-of": as_of} if as_of else {})}
    reply = server.request("GET", "/entity", params=params)
    assert reply.status == 200, reply.text
    facts = json.loads(reply.body)["facts"]
    (served,) = [f for f in facts if f["property"] == WG + p and f["value_label"] == shown and f["claim"] == iri]
    assert served["status"] == status and served["current"] == (status != "superseded")


def _plain(v: object) -> str:
    """An exported attribute value as the card shows it (decimals are floats there: 90000000.0)."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def test_an_edge_carries_each_claims_status(kg: wickgraph.KnowledgeGraph) -> None:
    graph = wickgraph.to_networkx(kg)
    edge = graph.edges["wgd:perf-ballerina-keanu-reeves", "wgd:john-wick-character", "wg:character"]
    assert edge["status"] == "current"
    card = kg.entity("wgd:perf-ballerina-keanu-reeves")
    kinds = {
        f.claim.rsplit("/", 2)[-2] + "/" + f.claim.rsplit("/", 1)[-1]: f.status
        for f in card.facts
        if f.property == WG + "creditType"
    }
    # Wikipedia: supporting; Koimoi: cameo. Neither supersedes the other.
    assert kinds == {"factsheet-ballerina/18": "disputed", "factsheet-ballerina/25": "disputed"}


# ---- item 4: cycles and self-supersession are build errors, in both builds ---------------------------------

# The prefixes and the opening of graph wgs:tiny, its source ("SHA" is replaced by the file's digest on writing).
TINY_SOURCE = """
@prefix wg:     <https://w3id.org/wickgraph/ontology#> .
@prefix wgd:    <https://w3id.org/wickgraph/id/> .
@prefix wgs:    <https://w3id.org/wickgraph/source/> .
@prefix x:      <https://w3id.org/wickgraph/claim/tiny/> .
@prefix schema: <http://schema.org/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

wgs:tiny {
  wgs:tiny a wg:Source ; schema:name "Tiny" ; wg:localFile "tiny.txt" ; wg:sha256 "SHA" ; wg:tier "N" ;
      schema:datePublished "2024-05-01"^^xsd:date ; wg:dateBasis "test" .
"""

TINY_CYCLE = (
    TINY_SOURCE
    + """  x:one a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 1 ; wg:supersedes x:two .
  x:two a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 2 ; wg:supersedes x:one .
  x:self a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 3 ; wg:supersedes x:self .
}
x:one { wgd:ballerina wg:runtimeMinutes 125 . }
x:two { wgd:ballerina wg:runtimeMinutes 126 . }
x:self { wgd:ballerina wg:runtimeMinutes 127 . }
"""
)

TEXT = (
    "Ballerina runs 125 minutes, a drama.\nBallerina runs 126 minutes, a thriller from Austria.\n"
    "Ballerina runs 127 minutes.\nhttps://example.org/later says Ballerina runs 125 minutes.\n"
)

ENTITIES = """
@prefix wg:   <https://w3id.org/wickgraph/ontology#> .
@prefix wgd:  <https://w3id.org/wickgraph/id/> .
@prefix wgg:  <https://w3id.org/wickgraph/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
wgg:entities { wgd:ballerina a wg:Film ; rdfs:label "Ballerina" . }
"""


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """A tiny data directory (one film, one source with its held text in ``texts/``) with a supersession cycle."""
    data = tmp_path / "tiny"
    data.mkdir()
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "tiny.txt").write_text(TEXT, encoding="utf-8")
    (data / "entities.trig").write_text(ENTITIES, encoding="utf-8")
    _write(data, TINY_CYCLE)
    return data


def _write(data: Path, trig: str) -> None:
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    (data / "tiny.trig").write_text(trig.replace('"SHA"', f'"{sha}"'), encoding="utf-8")


def _build(build: object, data: Path, store: Path) -> None:
    if build is wickgraph.build:
        wickgraph.build(store, data_dir=data, sources_dir=data.parent / "texts")
    else:
        wickgraph.bulk_build(store, data_dir=data)


def _problems(build: object, data: Path, store: Path) -> str:
    with pytest.raises(wickgraph.ValidationError) as failed:
        _build(build, data, store)
    return "\n".join(failed.value.problems)


@pytest.mark.parametrize("build", [wickgraph.build, wickgraph.bulk_build], ids=["full", "fast"])
def test_cycles_and_self_supersession_fail_the_build(build: object, tiny: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    problems = _problems(build, tiny, store)
    cycle = [p for p in problems.splitlines() if "supersession cycle" in p]
    assert len(cycle) == 1
    assert (
        "<https://w3id.org/wickgraph/claim/tiny/one>" in cycle[0]
        and "<https://w3id.org/wickgraph/claim/tiny/two>" in cycle[0]
    )
    assert "tiny.trig" in cycle[0]
    itself = [p for p in problems.splitlines() if "supersedes itself" in p]
    assert len(itself) == 1 and "<https://w3id.org/wickgraph/claim/tiny/self>" in itself[0] and "tiny.trig" in itself[0]
    assert not (store / "current").exists()


def test_a_longer_cycle_names_every_claim(tiny: Path, tmp_path: Path) -> None:
    text = (
        TINY_CYCLE.replace("wg:supersedes x:one .", "wg:supersedes x:three .")
        .replace(
            "x:self a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 3 ; wg:supersedes x:self .",
            "x:three a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 3 ; wg:supersedes x:one .",
        )
        .replace("x:self {", "x:three {")
    )
    _write(tiny, text)
    for build in (wickgraph.build, wickgraph.bulk_build):
        (cycle,) = [p for p in _problems(build, tiny, tmp_path / "s").splitlines() if "cycle" in p]
        assert all(f"claim/tiny/{n}>" in cycle for n in ("one", "two", "three"))


def test_a_supersession_that_contradicts_nothing_fails_and_retracts_names_what_it_retires(
    tiny: Path, tmp_path: Path
) -> None:
    base = (
        TINY_CYCLE.replace(" ; wg:supersedes x:one .", " .")
        .replace("x:self a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 3 ; wg:supersedes x:self .", "")
        .replace("x:self { wgd:ballerina wg:runtimeMinutes 127 . }", "")
    )
    # x:one supersedes x:two but says nothing against its genre: an error naming both claims.
    nothing = base.replace(
        "x:one { wgd:ballerina wg:runtimeMinutes 125 . }", 'x:one { wgd:ballerina wg:genre "drama" . }'
    )
    nothing = nothing.replace(
        "x:two { wgd:ballerina wg:runtimeMinutes 126 . }", 'x:two { wgd:ballerina wg:genre "thriller" . }'
    )
    _write(tiny, nothing)
    for build in (wickgraph.build, wickgraph.bulk_build):
        problems = _problems(build, tiny, tmp_path / "s")
        assert "claim/tiny/one> supersedes <https://w3id.org/wickgraph/claim/tiny/two> but contradicts none" in problems
        assert "tiny.trig]" in problems
    # Named with wg:retracts, the multi-valued genre is retired, and only it.
    named = nothing.replace(
        "wg:supersedes x:two .",
        'wg:supersedes x:two ;\n      wg:retracts [ rdf:subject wgd:ballerina ; rdf:predicate wg:genre ; rdf:object "thriller" ] .',
    ).replace("@prefix x:", "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix x:")
    named = named.replace(
        'x:two { wgd:ballerina wg:genre "thriller" . }',
        'x:two { wgd:ballerina wg:genre "thriller" ; wg:country "Austria" . }',
    )
    _write(tiny, named)
    for build in (wickgraph.build, wickgraph.bulk_build):
        store = tmp_path / ("full" if build is wickgraph.build else "fast")
        _build(build, tiny, store)
        with wickgraph.open_graph(store) as small:
            statuses = claim_statuses(small)
            two = CLAIM + "tiny/two"
            ballerina = NamedNode(WGD + "ballerina")
            assert statuses.of(two, ballerina, WG + "genre", Literal("thriller")).status == "superseded"
            assert statuses.of(two, ballerina, WG + "country", Literal("Austria")).status == "current"
    # A retraction that names nothing the superseded claim says is an error.
    _write(tiny, named.replace('rdf:object "thriller"', 'rdf:object "comedy"'))
    assert "which no claim it supersedes asserts" in _problems(wickgraph.bulk_build, tiny, tmp_path / "s2")


def test_a_failed_supersession_check_keeps_the_previous_graph(tiny: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    good = tmp_path / "good"
    shutil.copytree(tiny, good)  # beside tiny/, so texts/ is its held-text directory too
    fixed = TINY_CYCLE.replace(" ; wg:supersedes x:one .", " .").replace(" ; wg:supersedes x:self .", " .")
    _write(good, fixed)
    _build(wickgraph.build, good, store)
    before = (store / "current").resolve()
    _problems(wickgraph.build, tiny, store)
    _problems(wickgraph.bulk_build, tiny, store)
    assert (store / "current").resolve() == before


def test_a_dump_built_without_the_rules_keeps_the_status(built_store: Path, tmp_path: Path) -> None:
    # `build --fast --no-rules` on a dump of a built store: the rules' output and the status graphs are input.
    import pyoxigraph

    from wickgraph.namespaces import ONTOLOGY_GRAPH, STATUS_GRAPH

    built = pyoxigraph.Store.read_only(str((built_store / "current").resolve()))
    named = [q for q in built if isinstance(q.graph_name, NamedNode) and q.graph_name.value != ONTOLOGY_GRAPH]
    data = tmp_path / "dump"
    data.mkdir()
    with (data / "dump.nq").open("wb") as sink:
        pyoxigraph.serialize(named, sink, pyoxigraph.RdfFormat.N_QUADS)
    wickgraph.bulk_build(tmp_path / "store", data_dir=data, rules=False)
    again = pyoxigraph.Store.read_only(str((tmp_path / "store" / "current").resolve()))

    def status(store: pyoxigraph.Store) -> set[str]:
        return {str(q) for q in store if str(q.graph_name).startswith("<" + STATUS_GRAPH)}

    assert status(again) == status(built) and len(status(built)) > 100
    with wickgraph.open_graph(tmp_path / "store") as dumped:
        rooney = claim_statuses(dumped).of(
            CLAIM + "cinemark-2024/a23", NamedNode(WGD + "eve-macarro"), WG + "name", Literal("Rooney")
        )
        assert rooney.status == "superseded"


ENDED = (
    TINY_SOURCE
    + """  x:one a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 1 .
  x:two a wg:Claim ; wg:certainty wg:Stated ; wg:spanLine 2 .
}
wgs:later {
  wgs:later a wg:Source ; schema:name "Later" ; schema:url "https://example.org/later" ; wg:tier "N" ;
      wg:notBefore "2024-05-02"^^xsd:date ; wg:notAfter "2024-06-01"^^xsd:date ; wg:dateBasis "test window" .
  x:three a wg:Claim ; wg:certainty wg:Stated ; wg:spanIn wgs:tiny ; wg:spanLine 4 ; wg:supersedes x:two .
}
x:one { wgd:ballerina wg:runtimeMinutes 125 . }
x:two { wgd:ballerina wg:runtimeMinutes 126 . }
x:three { wgd:ballerina wg:runtimeMinutes 125 . }
"""
)


@pytest.mark.parametrize("build", [wickgraph.build, wickgraph.bulk_build], ids=["full", "fast"])
def test_a_dispute_ends_when_the_other_value_is_superseded(build: object, tiny: Path, tmp_path: Path) -> None:
    # One says 125 minutes, two says 126: they dispute. Three (not after 2024-06-01) corrects two to 125, so one
    # is current again from then on; as known on 2024-05-15 (three not certainly out yet) it is still disputed.
    _write(tiny, ENDED)
    store = tmp_path / "store"
    _build(build, tiny, store)
    one, two = CLAIM + "tiny/one", CLAIM + "tiny/two"
    ballerina, p = NamedNode(WGD + "ballerina"), WG + "runtimeMinutes"
    minutes = {n: Literal(str(n), datatype=NamedNode(XSD + "integer")) for n in (125, 126)}
    with wickgraph.open_graph(store) as small:
        for day, expect_one, expect_two in (
            ("2024-05-15", "disputed", "disputed"),
            ("2024-06-01", "current", "superseded"),
            (None, "current", "superseded"),
        ):
            statuses = claim_statuses(small, as_of=day)
            assert statuses.of(one, ballerina, p, minutes[125]).status == expect_one, day
            assert statuses.of(two, ballerina, p, minutes[126]).status == expect_two, day
            rows = as_rows(small.run("fact-provenance", as_of=day, entity="Ballerina"))
            by_claim = {
                value(r, "claim"): value(r, "status") for r in rows if value(r, "property") == "runtime (minutes)"
            }
            assert by_claim[one] == expect_one and by_claim[two] == expect_two, day
        # The window's lower bound never counts: on 2024-05-02 the later source is not visible yet.
        assert CLAIM + "tiny/three" not in {
            value(r, "claim") for r in as_rows(small.run("fact-provenance", as_of="2024-05-02", entity="Ballerina"))
        }
