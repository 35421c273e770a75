"""The 17 competency questions of DESIGN.md, answered by the named queries and checked against the sources.

Every expected answer below was read off the sources by a person (the founding article, cited by character
span, and the fact sheet, cited by line), not taken from the queries' own output.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import wickgraph
from wickgraph.terms import to_python


def rows(kg: wickgraph.KnowledgeGraph, name: str, as_of: str | None = None, **params: str) -> list[dict[str, Any]]:
    result = kg.run(name, as_of=as_of, **params)
    assert isinstance(result, wickgraph.SelectResult)
    return result.to_python()


def test_cq1_lead_and_character_name_per_source(kg: wickgraph.KnowledgeGraph) -> None:
    # Article (2024-01-03): "Ana de Armas stars as Rooney". Wikipedia (after release): "Eve Macarro".
    then = rows(kg, "lead-of", as_of="2024-01-03")
    assert {(r["actorLabel"], r["name"]) for r in then} == {("Ana de Armas", "Rooney")}
    now = rows(kg, "lead-of")
    current = {r["name"] for r in now if r["current"]}
    assert "Eve Macarro" in current
    article = [r for r in now if r["sourceTitle"].startswith("Ballerina: Here's What We Know")]
    assert article and all(r["name"] == "Rooney" and r["current"] is False for r in article)


def test_cq2_who_played_the_ballerina_character(kg: wickgraph.KnowledgeGraph) -> None:
    # Parabellum: Unity Phelan, credited "Ballerina"; Ballerina: Ana de Armas (lead), Victoria Comte (young Eve).
    found = {(r["actorLabel"], r["workLabel"]): r for r in rows(kg, "who-plays", character="Eve Macarro")}
    assert ("Unity Phelan", "John Wick: Chapter 3 – Parabellum") in found
    assert found[("Unity Phelan", "John Wick: Chapter 3 – Parabellum")]["creditedAs"] == "Ballerina"
    assert ("Ana de Armas", "Ballerina") in found
    assert "lead" in str(found[("Ana de Armas", "Ballerina")]["credit"])
    assert ("Victoria Comte", "Ballerina") in found
    # The same people are found by the 2024 name.
    assert {k[0] for k in found} == {r["actorLabel"] for r in rows(kg, "who-plays", character="Rooney")}


def test_cq3_set_between_and_the_two_orders(kg: wickgraph.KnowledgeGraph) -> None:
    between = rows(kg, "set-between", work="Ballerina")
    assert {(r["setAfterLabel"], r["setBeforeLabel"]) for r in between} == {
        ("John Wick: Chapter 3 – Parabellum", "John Wick: Chapter 4")
    }
    assert len({r["sourceTitle"] for r in between}) >= 2  # the article and Wikipedia both say so
    order = rows(kg, "story-order")
    story = [r["workLabel"] for r in sorted(order, key=lambda r: (r["storyPosition"], r["workLabel"]))]
    assert (
        story.index("John Wick: Chapter 3 – Parabellum")
        < story.index("Ballerina")
        < story.index("John Wick: Chapter 4")
    )
    assert story.index("The Continental: From the World of John Wick") < story.index("John Wick (2014)")
    release = [r["workLabel"] for r in sorted(order, key=lambda r: r["released"])]
    assert release == [
        "John Wick (2014)",
        "John Wick: Chapter 2",
        "John Wick: Chapter 3 – Parabellum",
        "John Wick: Chapter 4",
        "The Continental: From the World of John Wick",
        "Ballerina",
    ]
    assert [r["releasePosition"] for r in sorted(order, key=lambda r: r["released"])] == [1, 2, 3, 4, 5, 6]


def test_cq4_writing_history(kg: wickgraph.KnowledgeGraph) -> None:
    # "Shay Hatten wrote the original script. Ana de Armas brought Emerald Fennell (SALTBURN) in to rewrite,
    #  and then Hatten did some additional work on top of that draft."
    history = rows(kg, "writing-history", film="Ballerina")
    steps = [(r["step"], r["kind"], r["writerLabel"], r["basedOnStep"], r["broughtInByLabel"]) for r in history]
    assert steps == [
        (1, "original script", "Shay Hatten", None, None),
        (2, "rewrite", "Emerald Fennell", 1, "Ana de Armas"),
        (3, "additional work", "Shay Hatten", 2, None),
    ]


def test_cq5_director_and_what_else(kg: wickgraph.KnowledgeGraph) -> None:
    (row,) = rows(kg, "director", film="Ballerina")
    assert row["directorLabel"] == "Len Wiseman"
    assert set(str(row["knownFor"]).split(", ")) >= {"Underworld", "Live Free or Die Hard"}


def test_cq6_wiseman_and_stahelski(kg: wickgraph.KnowledgeGraph) -> None:
    links = rows(kg, "connection", a="Len Wiseman", b="Chad Stahelski")
    direct = [r for r in links if r["via"] == "(direct)"]
    assert direct and "stunt coordinator" in str(direct[0]["detail"])
    via_ballerina = {(r["edgeA"], r["edgeB"]) for r in links if r["via"] == "Ballerina"}
    assert ("directed", "produced") in via_ballerina
    assert any(e[1] == "oversaw additional filming of" for e in via_ballerina)
    oversaw = [r for r in links if r["edgeB"] == "oversaw additional filming of"]
    assert {r["certaintyB"] for r in oversaw} == {"reported"}  # "a report that Stahelski is directly overseeing"


def test_cq7_reprised_roles(kg: wickgraph.KnowledgeGraph) -> None:
    found = {r["actorLabel"]: r for r in rows(kg, "reprised-roles", film="Ballerina")}
    assert {"Anjelica Huston", "Ian McShane", "Keanu Reeves", "Lance Reddick"} <= set(found)
    assert found["Ian McShane"]["characterLabel"] == "Winston Scott"
    assert found["Lance Reddick"]["characterLabel"] == "Charon"
    assert "John Wick (2014)" in str(found["Keanu Reeves"]["earlierWorks"])
    assert "Ana de Armas" not in found


def test_cq8_release_date_then_and_now(kg: wickgraph.KnowledgeGraph) -> None:
    then = rows(kg, "release-history", film="Ballerina", as_of="2024-01-03")
    planned = [r for r in then if r["status"] == "planned" and r["current"]]
    assert [r["date"] for r in planned] == [dt.date(2025, 6, 6)]
    # The Digital Fix's June 7, 2024 (April 2023) was planned too, and given up by then.
    assert [r["date"] for r in then if r["status"] == "planned" and not r["current"]] == [dt.date(2024, 6, 7)]
    first = [r for r in then if r["status"] == "postponed"]
    assert first and first[0]["dateText"] == "Summer 2024" and first[0]["precision"] == "season"
    assert first[0]["reason"] == "to add more action" and first[0]["reasonCertainty"] == "reported"
    now = rows(kg, "release-history", film="Ballerina")
    released = [r for r in now if r["status"] == "released" and r["current"]]
    assert {r["date"] for r in released if r["kind"] == "theatrical release"} == {dt.date(2025, 6, 6)}
    premiere = [r for r in released if r["kind"] == "world premiere"]  # infobae: London, 24 May 2025
    assert premiere and premiere[0]["date"] == dt.date(2025, 5, 24) and "London" in str(premiere[0]["location"])
    assert not [r for r in now if r["status"] == "planned" and r["current"]]  # the plan was superseded


def test_cq9_hedged_claims_and_who_says_them(kg: wickgraph.KnowledgeGraph) -> None:
    hedged = rows(kg, "hedged-claims")
    reported = {(r["subjectLabel"], r["property"]) for r in hedged if r["certaintyLabel"] == "reported"}
    assert ("Chad Stahelski", "oversaw additional filming of") in reported
    assert ("Ballerina: first planned release", "reason for postponement") in reported
    expected = {(r["subjectLabel"], r["property"], r["value"]) for r in hedged if r["certaintyLabel"] != "reported"}
    assert ("John Wick (character)", "mentor of", "Eve Macarro") in expected
    assert not [r for r in hedged if r["certaintyLabel"] == "stated"]
    only = rows(kg, "hedged-claims", certainty="reported")
    assert only and {r["certaintyLabel"] for r in only} == {"reported"}


def test_cq10_worked_together_before(kg: wickgraph.KnowledgeGraph) -> None:
    # "She and Reeves have worked together before, in KNOCK, KNOCK"
    pairs = {(r["personA"], r["personB"], r["together"]) for r in rows(kg, "prior-collaborations", film="Ballerina")}
    assert ("Ana de Armas", "Keanu Reeves", "Knock Knock") in pairs
    assert all(t != "Ballerina" and "John Wick" not in str(t) for _, _, t in pairs)


def test_cq11_ruska_roma_leader(kg: wickgraph.KnowledgeGraph) -> None:
    found = rows(kg, "org-leader", organisation="Ruska Roma")
    assert {r["leader"] for r in found} == {"The Director"}
    assert "Anjelica Huston" in {r["actorLabel"] for r in found}


def test_cq12_died_before_release(kg: wickgraph.KnowledgeGraph) -> None:
    # UPI: Lance Reddick died 2023-03-17, a week before Chapter 4 opened; Ballerina was released 2025-06-06.
    found = rows(kg, "died-before-release")
    assert {(r["personLabel"], r["workLabel"]) for r in found} >= {
        ("Lance Reddick", "Ballerina"),
        ("Lance Reddick", "John Wick: Chapter 4"),
    }
    assert {r["personLabel"] for r in found} == {"Lance Reddick"}
    dated = [r for r in found if r["died"] is not None]
    assert {r["died"] for r in dated} == {dt.date(2023, 3, 17)}


def test_cq13_directors_and_their_franchise_works(kg: wickgraph.KnowledgeGraph) -> None:
    found = rows(kg, "directors-and-leads")
    by_director: dict[object, set[object]] = {}
    for r in found:
        by_director.setdefault(r["directorLabel"], set()).add(r["workLabel"])
    assert by_director["Chad Stahelski"] >= {
        "John Wick (2014)",
        "John Wick: Chapter 2",
        "John Wick: Chapter 3 – Parabellum",
        "John Wick: Chapter 4",
    }
    assert by_director["Len Wiseman"] == {"Ballerina"}
    ballerina = [r for r in found if r["workLabel"] == "Ballerina"]
    assert "Ana de Armas" in str(ballerina[0]["leads"])


def test_cq14_distributors_and_disagreement(kg: wickgraph.KnowledgeGraph) -> None:
    found = rows(kg, "distributors")
    first = {r["distributorLabel"] for r in found if r["workLabel"] == "John Wick (2014)"}
    assert first == {"Summit Entertainment", "Lionsgate"}
    assert all(r["disagreement"] for r in found if r["workLabel"] == "John Wick (2014)")
    ballerina = [r for r in found if r["workLabel"] == "Ballerina"]
    assert {r["distributorLabel"] for r in ballerina} == {"Lionsgate"} and not ballerina[0]["disagreement"]


def test_cq15_shortest_connection(kg: wickgraph.KnowledgeGraph) -> None:
    direct = rows(kg, "shortest-connection", a="Len Wiseman", b="Chad Stahelski")
    assert direct[0]["hops"] == 1
    shared = rows(kg, "shortest-connection", a="Gabriel Byrne", b="Norman Reedus")
    assert shared[0]["hops"] == 2 and "Ballerina" in str(shared[0]["path"])


def test_cq16_most_central_people(kg: wickgraph.KnowledgeGraph) -> None:
    found = rows(kg, "centrality")
    top = [r["personLabel"] for r in found]
    # Per the sources, these three worked on all five franchise films: Stahelski directed four and produced
    # Ballerina, Iwanyk produced all five, Reddick played Charon in all four and appears in Ballerina.
    assert {"Chad Stahelski", "Basil Iwanyk", "Lance Reddick"} <= set(top[:5])
    assert "Keanu Reeves" in top[:10]


def test_cq17_any_fact_with_source_date_certainty_span(kg: wickgraph.KnowledgeGraph) -> None:
    facts = rows(kg, "fact-provenance", entity="Emerald Fennell")
    rewrote = [r for r in facts if r["property"] == "rewrote"]
    assert rewrote, facts
    r = rewrote[0]
    assert r["sourceTitle"] == "Ballerina: Here's What We Know About the John Wick Spin-Off"
    assert r["claimDate"] == dt.date(2024, 1, 3) and r["certainty"] == "stated"
    assert isinstance(r["spanStart"], int) and isinstance(r["spanEnd"], int)
    line_cited = [f for f in rows(kg, "fact-provenance", entity="Victoria Comte") if f["spanLine"] is not None]
    assert line_cited and all(isinstance(f["spanLine"], int) for f in line_cited)


def test_values_are_typed(kg: wickgraph.KnowledgeGraph) -> None:
    (row,) = kg.select("SELECT ?d WHERE { wgd:ballerina wg:releaseDate ?d } LIMIT 1")
    assert to_python(row["d"]) == dt.date(2025, 6, 6)
