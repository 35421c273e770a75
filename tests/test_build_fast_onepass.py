"""The per-quad rules run as one pass over the input's text (wickgraph.building.onepass) add exactly what the
same rules add as SPARQL, on input built to break the text reader's assumptions; input it cannot read as text
(TriG, an escaped IRI, a tab) and rules it does not recognise run as SPARQL."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, RdfFormat, Store, Triple, parse

import wickgraph
from wickgraph.building.derive import derive, operations
from wickgraph.building.loading import load_file
from wickgraph.building.onepass import Source, compile_rule
from wickgraph.building.parse import FORMATS, ontology_files
from wickgraph.locations import default_ontology_dir
from wickgraph.namespaces import ONTOLOGY_GRAPH, STATUS_GRAPH

WG = "https://w3id.org/wickgraph/ontology#"
WGD = "https://w3id.org/wickgraph/id/"
CLAIM = "https://w3id.org/wickgraph/claim/t/"

HOSTILE = f"""# a comment line, then an empty one

<{WGD}w> <{WG}director> <{WGD}d> <{CLAIM}1> .
<{WGD}w> <{WG}director> _:someone <{CLAIM}1> .
_:film <{WG}director> <{WGD}d> <{CLAIM}1> .
_:film <{WG}director> _:someone <{CLAIM}2> .
<{WGD}w> <{WG}director> "a literal: no inverse, \\"quoted\\" and a tab\\t <{CLAIM}9> _:x" <{CLAIM}1> .
<{WGD}w> <{WG}director> "ends like a graph <{CLAIM}9>" <{CLAIM}1> .
<{WGD}w> <{WG}director> "x"@en <{CLAIM}3> .
<{WGD}w> <{WG}director> "7"^^<http://www.w3.org/2001/XMLSchema#integer> <{CLAIM}3> .
<{WGD}w> <{WG}director> <<( <{WGD}a> <{WG}director> <{WGD}b> )>> <{CLAIM}4> .
<{WGD}w> <{WG}workedWith> <{WGD}v> _:graph .
<{WGD}w> <http://e/sub> <{WGD}z> <{CLAIM}5> .
<{WGD}w> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{WG}Film> <{CLAIM}5> .
_:film <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/Class> <{CLAIM}5> .
<http://e/sub> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <{WG}director> <{ONTOLOGY_GRAPH}> .
<http://e/Class> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{WG}Film> <{ONTOLOGY_GRAPH}> .
<{WGD}d> <{WG}director> <{WGD}w> <{ONTOLOGY_GRAPH}> .
<{WGD}s> <{WG}director> <{WGD}t> <{STATUS_GRAPH}2024-01-01> .
<{WGD}p> <{WG}actor> <{WGD}a> <{CLAIM}6> .
<{WGD}p> <{WG}work> <{WGD}w> <{CLAIM}6> .
"""


def _stores(tmp_path: Path, text: str, name: str = "data.nq") -> tuple[Store, Store, Path]:
    """Two on-disk stores loaded as the fast build loads them (the data file with the scope ``f0``)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    stores = []
    for which in ("sparql", "onepass"):
        store = Store(str(tmp_path / which))
        for ontology in ontology_files(default_ontology_dir()):
            load_file(store, ontology, False, to_graph=ONTOLOGY_GRAPH)
        load_file(store, path, False, scope="f0")
        for graph in [g for g in store.named_graphs() if g.value.startswith(STATUS_GRAPH)]:
            store.remove_graph(graph)
        stores.append(store)
    return stores[0], stores[1], path


def _data_quads(store: Store) -> set[str]:
    """Every quad but the ontology graph's (its blank nodes are named anew by each load)."""
    return {str(q) for q in store if str(q.graph_name) != f"<{ONTOLOGY_GRAPH}>"}


def _derive_both(tmp_path: Path, text: str, ontology: Path | None = None) -> tuple[Store, Store, list[str]]:
    ontology = ontology or default_ontology_dir()
    sparql, onepass, path = _stores(tmp_path, text)
    with (tmp_path / "a.nt").open("w") as a, (tmp_path / "b.nt").open("w") as b:
        derive(sparql, ontology, workdir=tmp_path, triples=a)
        messages: list[str] = []
        derive(
            onepass,
            ontology,
            workdir=tmp_path,
            triples=b,
            progress=messages.append,
            inputs=[Source(path, scope="f0")],
            skip_graph=f"<{STATUS_GRAPH}".encode(),
        )
    triples = [{str(t) for t in parse(path=str(tmp_path / n), format=RdfFormat.N_TRIPLES)} for n in ("a.nt", "b.nt")]
    assert triples[0] == triples[1]  # the default graph's share of the derived quads
    return sparql, onepass, messages


def test_the_one_pass_rules_add_what_sparql_adds_on_hostile_input(tmp_path: Path) -> None:
    sparql, onepass, messages = _derive_both(tmp_path, HOSTILE)
    assert _data_quads(onepass) == _data_quads(sparql)
    one_pass = [m for m in messages if m.endswith("(one pass)")]
    assert {m.split(":")[0] for m in one_pass} == {
        "rule 03-inverses.ru #1",
        "rule 03-inverses.ru #2",
        "rule 05-super-terms.ru #1",
        "rule 05-super-terms.ru #2",
    }
    found = _data_quads(onepass)
    # The blank nodes get their file's scope (a blank graph name keeps its label, as the loader keeps it); the
    # inverse of a quad in a blank-node graph is in that graph.
    assert f"_:f0someone <{WG}directed> <{WGD}w> <{CLAIM}1>" in found
    assert f"_:f0someone <{WG}directed> _:f0film <{CLAIM}2>" in found
    assert f"<{WGD}v> <{WG}workedWith> <{WGD}w> _:graph" in found
    # The ontology graph's own quads as data: the sub-property and the sub-class the data file adds are used.
    assert f"<{WGD}w> <{WG}director> <{WGD}z> <{CLAIM}5>" in found
    assert f"<{WGD}z> <{WG}directed> <{WGD}w> <{CLAIM}5>" not in found  # the inverses ran before the super-terms
    assert f"_:f0film <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{WG}Work> <{CLAIM}5>" in found
    # No inverse of a literal, none from the ontology graph or a status graph.
    assert not any(q.startswith('"') for q in found)
    assert not any(q.startswith(f"<{WGD}t> ") for q in found)
    assert f"<{WGD}w> <{WG}directed> <{WGD}d> <{ONTOLOGY_GRAPH}>" not in {str(q) for q in onepass}
    # The derived quads of the joins (02, then 03 on them) are read from what the rules before wrote.
    assert f"<{WGD}a> <{WG}castIn> <{WGD}w> <{CLAIM}6>" in found


@pytest.mark.parametrize(
    "line",
    [
        f"<{WGD}w> <{WG}dir\\u0065ctor> <{WGD}q> <{CLAIM}7> .",  # an escaped IRI: the same predicate
        f"<{WGD}w>\t<{WG}director> <{WGD}q> <{CLAIM}7> .",  # a tab between terms
        f"<{WGD}w>  <{WG}director> <{WGD}q> <{CLAIM}7> .",  # two spaces
        f"<{WGD}w> <{WG}director> <<( _:a <{WG}director> <{WGD}b> )>> <{CLAIM}7> .",  # a blank node in a triple
        f"<{WGD}w> <{WG}director> <{WGD}q> <{CLAIM}7> . # a comment after the quad",
    ],
)
def test_a_line_the_text_reader_cannot_take_runs_the_rules_as_sparql(tmp_path: Path, line: str) -> None:
    sparql, onepass, messages = _derive_both(tmp_path, HOSTILE + line + "\n")
    assert _data_quads(onepass) == _data_quads(sparql)
    assert not any(m.endswith("(one pass)") for m in messages)
    if "\\u0065" in line:
        assert f"<{WGD}q> <{WG}directed> <{WGD}w> <{CLAIM}7>" in _data_quads(onepass)


def test_a_rule_it_does_not_recognise_runs_as_sparql(tmp_path: Path) -> None:
    """A rule added next to the others: per-quad in looks but with a join (two data quads), or the join variable
    also in the template's graph, is never run as one pass."""
    ontology = tmp_path / "ontology"
    shutil.copytree(default_ontology_dir(), ontology)
    (ontology / "rules" / "08-added.ru").write_text(
        """PREFIX wg: <https://w3id.org/wickgraph/ontology#>
PREFIX wgg: <https://w3id.org/wickgraph/graph/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { GRAPH ?g { ?o ?inverse ?s } }
WHERE { GRAPH wgg:ontology { ?p owl:inverseOf ?inverse } GRAPH ?g { ?s ?p ?o . ?o wg:director ?s } FILTER(?g != wgg:ontology) } ;
INSERT { GRAPH ?g { ?o wg:seenWith ?s } }
WHERE { GRAPH wgg:ontology { ?p owl:inverseOf ?g } GRAPH ?g { ?s ?p ?o } FILTER(?g != wgg:ontology) } ;
INSERT { GRAPH ?g { ?s wg:againInverse ?o } }
WHERE { GRAPH wgg:ontology { ?p owl:inverseOf ?inverse } GRAPH ?g { ?s ?p ?o } FILTER(?g = wgg:ontology) }
""",
        encoding="utf-8",
    )
    for op in operations((ontology / "rules" / "08-added.ru").read_text(), "08-added.ru"):
        assert compile_rule(op) is None
    sparql, onepass, messages = _derive_both(tmp_path, HOSTILE, ontology)
    assert _data_quads(onepass) == _data_quads(sparql)
    assert all(m.endswith("(SPARQL)") for m in messages if "08-added" in m)


def _same_data_twice(tmp_path: Path, *, seed: int, extra: Callable[[str], str] | None = None) -> tuple[Path, Path]:
    """A generated universe of six films in two data directories: ``nq/universe.nq`` (N-Quads: the fast build runs
    the rules and the registry check as one pass over its text) and ``trig/universe.trig`` (the same quads as TriG:
    SPARQL only). ``extra(claim)``: N-Quads lines added to both, given the IRI of one of the universe's claim
    graphs."""
    from wickgraph.synthetic import generate

    nquads, trig = tmp_path / "nq", tmp_path / "trig"
    nquads.mkdir()
    trig.mkdir()
    generate(nquads / "universe.nq", films=6, seed=seed, texts_dir=tmp_path / "texts")
    loaded = Store()
    loaded.load(path=str(nquads / "universe.nq"), format=FORMATS[".nq"])
    if extra is not None:
        claim = next(g.value for g in loaded.named_graphs() if g.value.startswith("https://w3id.org/wickgraph/claim/"))
        added = extra(claim)
        with (nquads / "universe.nq").open("a", encoding="utf-8") as out:
            out.write(added)
        loaded.load(added.encode(), format=FORMATS[".nq"])
    loaded.dump(output=str(trig / "universe.trig"), format=FORMATS[".trig"])
    return nquads, trig


def test_trig_and_n_quads_of_the_same_data_build_the_same_store(tmp_path: Path) -> None:
    """A generated universe as N-Quads (the rules run as one pass) and the same quads as TriG (SPARQL only)."""
    nquads, trig = _same_data_twice(tmp_path, seed=5)
    messages: list[str] = []
    wickgraph.bulk_build(tmp_path / "a", data_dir=nquads, progress=messages.append)
    wickgraph.bulk_build(tmp_path / "b", data_dir=trig)
    assert any(m.endswith("(one pass)") for m in messages)

    def quads(store: Path) -> set[str]:
        opened = Store.read_only(str((store / "current").resolve()))
        return {str(q) for q in opened if not any(isinstance(t, BlankNode) for t in (q.subject, q.object))}

    assert quads(tmp_path / "a") == quads(tmp_path / "b")


@pytest.mark.parametrize("where", ["subject", "object", "both", "neither"])
def test_the_registry_checked_from_the_text_fails_as_the_sparql_check_does(tmp_path: Path, where: str) -> None:
    """The fast build decides "subjects registered" and "objects registered" from the text when they pass; when
    a wgd: IRI is not in the registry, the build fails with the same problems as the same data given as TriG
    (checked by SPARQL only)."""
    from wickgraph.errors import ValidationError

    def extra(claim: str) -> str:
        return {
            "subject": f"<{WGD}nobody> <http://e/p> <http://e/b> <{claim}> .\n",
            "object": f"<http://e/a> <http://e/p> <{WGD}nobody> <{claim}> .\n",
            "both": f"<{WGD}ghost> <http://e/p> <{WGD}nobody> <{claim}> .\n",
            "neither": f"<http://e/a> <http://e/p> <http://e/b> <{claim}> .\n",
        }[where]

    nquads, trig = _same_data_twice(tmp_path, seed=7, extra=extra)
    outcomes: list[str] = []
    for data, name in ((nquads, "a"), (trig, "b")):
        messages: list[str] = []
        try:
            wickgraph.bulk_build(tmp_path / name, data_dir=data, progress=messages.append)
            outcomes.append("built")
        except ValidationError as exc:
            outcomes.append("\n".join(p.split(" [in ")[0] for p in exc.problems))
        if name == "a":
            assert "checking the registry from the text (one pass)" in messages
            sparql = {m for m in messages if m in ("checking subjects registered", "checking objects registered")}
            expected = {"subject": {"subjects"}, "object": {"objects"}, "both": {"subjects", "objects"}}
            assert sparql == {f"checking {w} registered" for w in expected.get(where, set())}
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0] == "built") == (where == "neither")
    if where != "neither":
        assert "is used but not in the entity registry" in outcomes[0]


@pytest.mark.parametrize(
    ("extra", "from_text"),
    [
        ("", True),
        (
            "<http://e/w> <http://e/p> <<( _:in <http://e/p> <http://e/b> )>> <{claim}> .\n",
            False,
        ),  # a blank node in a triple
        ("<http://e/w>\t<http://e/p> <http://e/b> <{claim}> .\n", False),  # a tab between terms
    ],
)
def test_the_reifiers_written_from_the_text_are_those_the_store_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, from_text: bool
) -> None:
    """The fast build writes the claims' reifiers in the registry's pass over the text when every line is
    regular: blank nodes (with their file's scope), triple terms, literals with escaped quotes and tabs or
    ending like a graph name, quads the rules derive into claim graphs. They are exactly the reifiers the
    store's claim graphs give (written again from the built store); a line the text reader cannot take
    makes the build write them from the store."""
    from pyoxigraph import DefaultGraph, NamedNode, Quad

    from wickgraph.building import union
    from wickgraph.synthetic import generate

    data = tmp_path / "data"
    data.mkdir()
    generate(data / "universe.nq", films=6, seed=11, texts_dir=tmp_path / "texts")
    loaded = Store()
    loaded.load(path=str(data / "universe.nq"), format=FORMATS[".nq"])
    claim = next(g.value for g in loaded.named_graphs() if g.value.startswith("https://w3id.org/wickgraph/claim/"))
    hostile = (
        f"_:someone <http://e/p> <http://e/w> <{claim}> .\n"
        f"<http://e/a> <http://e/p> _:someone <{claim}> .\n"
        f'<http://e/a> <http://e/p> "\\"quoted\\" and a tab\\t <{claim}> _:x" <{claim}> .\n'
        f'<http://e/a> <http://e/p> "ends like a graph <{claim}>" <{claim}> .\n'
        f'<http://e/a> <http://e/p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> <{claim}> .\n'
        f'<http://e/a> <http://e/p> <<( <http://e/a> <http://e/q> "x"@en )>> <{claim}> .\n'
        + extra.replace("{claim}", claim)
    )
    with (data / "universe.nq").open("a", encoding="utf-8") as out:
        out.write(hostile)
    scanned: list[str] = []
    store_scan = union.claim_triples

    def spy(store: Store) -> object:
        scanned.append("scanned")
        return store_scan(store)

    monkeypatch.setattr(union, "claim_triples", spy)
    wickgraph.bulk_build(tmp_path / "built", data_dir=data)
    assert bool(scanned) != from_text
    built = Store()
    built.extend(Store.read_only(str((tmp_path / "built" / "current").resolve())))
    reifies = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies")
    written = set(built.quads_for_pattern(None, reifies, None, DefaultGraph()))
    for quad in written:
        built.remove(quad)
    union.write_reifiers(built)
    again = set(built.quads_for_pattern(None, reifies, None, DefaultGraph()))
    assert written == again
    assert (
        Quad(
            NamedNode(claim), reifies, Triple(BlankNode("f0someone"), NamedNode("http://e/p"), NamedNode("http://e/w"))
        )
        in written
    )
    derived = [q for q in written if q.subject == NamedNode(claim) and isinstance(q.object, Triple)]
    assert len(derived) == sum(1 for _ in built.quads_for_pattern(None, None, None, NamedNode(claim)))


@pytest.mark.parametrize(
    "line",
    [
        None,
        f"<{WGD}w>  <{WG}director> <{WGD}q> <{CLAIM}7> .",  # two spaces
        f"<{WGD}w>\t<{WG}director> <{WGD}q> <{CLAIM}7> .",  # a tab between terms
        f"<{WGD}w> <{WG}director> <{WGD}q> <{CLAIM}7> . # a comment after the quad",
        f'<{WGD}w> <{WG}director> "a\tb" <{CLAIM}7> .',  # a tab in a literal
    ],
)
def test_a_piece_in_the_strict_form_is_read_without_testing_each_line(tmp_path: Path, line: str | None) -> None:
    """A generated universe is read in pieces tested by one regular expression each (no blank node, no
    backslash, one space between terms); one line out of that form in the middle of a piece is still found,
    and the rules then run as SPARQL. Either way the store is the one SPARQL gives."""
    from wickgraph.synthetic import generate

    generate(tmp_path / "universe.nq", films=6, seed=5, texts_dir=tmp_path / "texts")
    lines = (tmp_path / "universe.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    assert "_:" not in "".join(lines) and "\\" not in "".join(lines)
    if line is not None:
        lines.insert(len(lines) // 2, line + "\n")
    sparql, onepass, messages = _derive_both(tmp_path, "".join(lines))
    assert _data_quads(onepass) == _data_quads(sparql)
    assert any(m.endswith("(one pass)") for m in messages) == (line is None)
