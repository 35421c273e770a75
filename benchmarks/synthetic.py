"""A small generator of synthetic wickgraph-shaped data, for the benchmarks of this folder.

It writes N-Quads in the project's data model: an entity registry graph, one source graph with a ``wg:Claim``
record per claim, one claim graph per claim holding what it asserts, and the real ontology in ``wgg:ontology``.
Films have a director, a release date, a franchise and a cast of performances (actor, character, work) with the
direct triples the build rules would derive (``castMember``/``castIn``, ``plays``/``playedBy``,
``appearsIn``/``hasCharacter``). Casts and careers follow a power law (a few people in many films). About 14
quads per performance, so ``performances=70_000`` makes about a million quads.

This is a benchmark helper, not the project's synthetic data generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

WG = "https://w3id.org/wickgraph/ontology#"
WGD = "https://w3id.org/wickgraph/id/"
WGS = "https://w3id.org/wickgraph/source/"
CLAIM = "https://w3id.org/wickgraph/claim/synthetic/"
ENTITIES = "https://w3id.org/wickgraph/graph/entities"
ONTOLOGY = "https://w3id.org/wickgraph/graph/ontology"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
SOURCE = WGS + "synthetic"

REPO = Path(__file__).resolve().parent.parent


def _iri(x: str) -> str:
    return f"<{x}>"


def _lit(text: str, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")


def quads(performances: int, *, seed: int = 7) -> Iterator[str]:
    """N-Quads lines of a synthetic graph with about ``performances`` cast performances."""
    rng = random.Random(seed)
    films = max(2, performances // 12)
    people = max(4, performances // 4)
    characters = max(4, performances // 3)
    reg = _iri(ENTITIES)
    src = _iri(SOURCE)
    yield f"{src} {_iri(RDF_TYPE)} {_iri(WG + 'Source')} {src} ."
    yield f"{src} <http://schema.org/name> {_lit('Synthetic source')} {src} ."
    yield f"{src} {_iri(WG + 'knownSince')} {_lit('2020-01-01', XSD + 'date')} {src} ."
    yield f"{_iri(WGD + 'franchise')} {_iri(RDF_TYPE)} {_iri(WG + 'Franchise')} {reg} ."
    yield f"{_iri(WGD + 'franchise')} {_iri(LABEL)} {_lit('Synthetic franchise')} {reg} ."
    for kind, count, cls in (
        ("film", films, "Film"),
        ("person", people, "Person"),
        ("character", characters, "Character"),
    ):
        for i in range(count):
            e = _iri(f"{WGD}{kind}-{i}")
            yield f"{e} {_iri(RDF_TYPE)} {_iri(WG + cls)} {reg} ."
            yield f"{e} {_iri(LABEL)} {_lit(f'{kind.title()} {i}')} {reg} ."
    claim_no = 0

    def claim(certainty: str) -> tuple[str, list[str]]:
        nonlocal claim_no
        claim_no += 1
        c = _iri(f"{CLAIM}{claim_no}")
        return c, [
            f"{c} {_iri(RDF_TYPE)} {_iri(WG + 'Claim')} {src} .",
            f"{c} {_iri(WG + 'certainty')} {_iri(WG + certainty)} {src} .",
            f"{c} {_iri(WG + 'claimDate')} {_lit('2020-01-01', XSD + 'date')} {src} .",
            f"{c} {_iri(WG + 'source')} {src} {src} .",
        ]

    for f in range(films):
        film = _iri(f"{WGD}film-{f}")
        c, records = claim("Stated")
        yield from records
        director = _iri(f"{WGD}person-{int(rng.paretovariate(1.2)) % people}")
        year = 1950 + f % 75
        yield f"{film} {_iri(WG + 'director')} {director} {c} ."
        yield f"{director} {_iri(WG + 'directed')} {film} {c} ."
        yield f"{film} {_iri(WG + 'partOf')} {_iri(WGD + 'franchise')} {c} ."
        yield f"{film} {_iri(WG + 'releaseDate')} {_lit(f'{year}-06-01', XSD + 'date')} {c} ."
        yield f"{film} {_iri(WG + 'title')} {_lit(f'Film {f}')} {c} ."
    for p in range(performances):
        perf = _iri(f"{WGD}perf-{p}")
        film = _iri(f"{WGD}film-{p % films}")
        actor = _iri(f"{WGD}person-{int(rng.paretovariate(1.1) * 3) % people}")
        character = _iri(f"{WGD}character-{rng.randrange(characters)}")
        c, records = claim(rng.choice(("Stated", "Stated", "Reported", "Expected")))
        yield from records
        yield f"{perf} {_iri(RDF_TYPE)} {_iri(WG + 'Performance')} {c} ."
        yield f"{perf} {_iri(WG + 'actor')} {actor} {c} ."
        yield f"{perf} {_iri(WG + 'work')} {film} {c} ."
        yield f"{perf} {_iri(WG + 'character')} {character} {c} ."
        yield f"{film} {_iri(WG + 'castMember')} {actor} {c} ."
        yield f"{actor} {_iri(WG + 'castIn')} {film} {c} ."
        yield f"{actor} {_iri(WG + 'plays')} {character} {c} ."
        yield f"{character} {_iri(WG + 'appearsIn')} {film} {c} ."
        yield f"{film} {_iri(WG + 'hasCharacter')} {character} {c} ."


def ontology_nquads() -> str:
    """The project's ontology, as N-Quads in the ``wgg:ontology`` graph."""
    from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

    triples = parse(path=str(REPO / "ontology" / "wickgraph.ttl"), format=RdfFormat.TURTLE)
    graph = NamedNode(ONTOLOGY)
    data = serialize((Quad(t.subject, t.predicate, t.object, graph) for t in triples), format=RdfFormat.N_QUADS)
    assert data is not None
    return data.decode()


def nquads(performances: int, *, seed: int = 7) -> str:
    """The whole synthetic dataset (ontology included) as one N-Quads string."""
    return ontology_nquads() + "\n".join(quads(performances, seed=seed)) + "\n"


def knowledge_graph(performances: int, *, seed: int = 7):  # type: ignore[no-untyped-def]
    """An in-memory :class:`wickgraph.KnowledgeGraph` over the synthetic data."""
    from pyoxigraph import RdfFormat
    from pyoxigraph import Store as OxStore

    from wickgraph import KnowledgeGraph
    from wickgraph.store.embedded import EmbeddedStore

    store = OxStore()
    store.bulk_load(nquads(performances, seed=seed).encode(), format=RdfFormat.N_QUADS)
    return KnowledgeGraph(EmbeddedStore(store, f"synthetic:{performances}"))
