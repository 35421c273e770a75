"""Results as pandas DataFrames: column types, label columns, OPTIONAL as missing values.

Expected values come from the sources: the fact sheet gives Ballerina's release as 6 June 2025 and its budget as
90,000,000 USD; the entity registry labels wgd:ana-de-armas "Ana de Armas"; the London premiere is the only
Ballerina release event a source gives a place for.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import pandas as pd
import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

import wickgraph
from wickgraph.namespaces import WGD, XSD
from wickgraph.notebook import to_dataframe
from wickgraph.terms import Term


def typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + datatype))


def test_column_types_follow_the_datatypes() -> None:
    rows: list[dict[str, Term | None]] = [
        {
            "i": typed("7", "integer"),
            "f": typed("2.5", "double"),
            "d": typed("90000000.50", "decimal"),
            "b": typed("true", "boolean"),
            "day": typed("2025-06-06", "date"),
            "s": Literal("Rooney", language="en"),
            "mix": typed("1", "integer"),
            "bad": typed("many", "integer"),
        },
        {
            "i": None,
            "f": typed("3", "integer"),
            "d": typed("2", "integer"),
            "b": None,
            "day": None,
            "s": None,
            "mix": Literal("one"),
            "bad": typed("2", "integer"),
        },
    ]
    df = to_dataframe(wickgraph.SelectResult(list(rows[0]), rows), labels=False)
    assert str(df["i"].dtype) == "Int64" and df["i"].tolist() == [7, pd.NA]
    assert str(df["f"].dtype) == "Float64" and df["f"].tolist() == [2.5, 3.0]
    assert df["d"].dtype == object and df["d"].tolist() == [Decimal("90000000.50"), Decimal(2)]
    assert all(type(v) is Decimal for v in df["d"])
    assert str(df["b"].dtype) == "boolean" and bool(df["b"][0]) is True
    assert pd.api.types.is_datetime64_any_dtype(df["day"])
    assert df["day"][0].date() == dt.date(2025, 6, 6) and pd.isna(df["day"][1])
    assert str(df["s"].dtype) == "string" and df["s"][0] == "Rooney"
    assert df["mix"].tolist() == [1, "one"]
    assert df["bad"].tolist() == ["many", 2]  # an ill-typed literal keeps its text
    assert df.isna().sum().to_dict() == {"i": 1, "f": 0, "d": 0, "b": 1, "day": 1, "s": 1, "mix": 0, "bad": 0}


def test_label_columns_from_a_mapping_sit_beside_their_iri_column() -> None:
    rows: list[dict[str, Term | None]] = [
        {"who": NamedNode(WGD + "ana-de-armas"), "n": typed("1", "integer"), "x": BlankNode("b1")},
        {"who": NamedNode(WGD + "nobody"), "n": None, "x": None},
    ]
    result = wickgraph.SelectResult(["who", "n", "x"], rows)
    df = to_dataframe(result, {WGD + "ana-de-armas": "Ana de Armas"})
    assert df.columns.tolist() == ["who", "whoLabel", "n", "x"]  # no label column for blank nodes only
    assert df["who"].tolist() == [WGD + "ana-de-armas", WGD + "nobody"]
    assert df["whoLabel"][0] == "Ana de Armas" and pd.isna(df["whoLabel"][1])
    assert df["x"][0] == "_:b1"
    assert to_dataframe(result, {}, compact=True)["who"].tolist() == ["wgd:ana-de-armas", "wgd:nobody"]
    assert to_dataframe(result, labels=False).columns.tolist() == ["who", "n", "x"]


def test_a_result_made_by_hand_has_no_graph_to_ask_for_labels() -> None:
    result = wickgraph.SelectResult(["who"], [{"who": NamedNode(WGD + "ana-de-armas")}])
    with pytest.raises(wickgraph.WickgraphError, match="labels=kg"):
        result.to_dataframe()
    assert result.to_dataframe(labels=False)["who"].tolist() == [WGD + "ana-de-armas"]


def test_an_empty_result_keeps_its_columns() -> None:
    df = to_dataframe(wickgraph.SelectResult(["a", "b"], []), labels=False)
    assert df.columns.tolist() == ["a", "b"] and len(df) == 0


def test_labels_come_from_the_graph(kg: wickgraph.KnowledgeGraph) -> None:
    df = kg.select("SELECT ?actor ?role WHERE { ?actor wg:plays ?role } ORDER BY ?actor").to_dataframe()
    assert df.columns.tolist() == ["actor", "actorLabel", "role", "roleLabel"]
    ana = df[df["actor"] == WGD + "ana-de-armas"]
    assert set(ana["actorLabel"]) == {"Ana de Armas"}
    assert "Eve Macarro" in set(ana["roleLabel"])
    # A source has no rdfs:label; its title (schema:name) stands in.
    sources = kg.select("SELECT ?s WHERE { GRAPH ?s { ?s a wg:Source } }").to_dataframe()
    titles = set(sources["sLabel"])
    assert "Ballerina: Here's What We Know About the John Wick Spin-Off" in titles
    assert sources["sLabel"].notna().all()


def test_an_existing_label_variable_is_not_overwritten(kg: wickgraph.KnowledgeGraph) -> None:
    df = kg.select(
        'SELECT ?film ?filmLabel WHERE { BIND(wgd:ballerina AS ?film) BIND("mine" AS ?filmLabel) }'
    ).to_dataframe()
    assert df.columns.tolist() == ["film", "filmLabel"] and df["filmLabel"][0] == "mine"


def test_optional_gives_missing_values(kg: wickgraph.KnowledgeGraph) -> None:
    result = kg.run("release-history", film="Ballerina")
    assert isinstance(result, wickgraph.SelectResult)
    df = result.to_dataframe()
    london = df[df["location"].notna()]
    assert set(london["location"]) == {"London"}
    assert df["location"].isna().sum() == len(df) - len(london) > 0
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    released = df[(df["status"] == "released") & df["current"] & (df["kind"] == "theatrical release")]
    assert {d.date() for d in released["date"]} == {dt.date(2025, 6, 6)}
    assert str(df["current"].dtype) == "boolean"
    # The 2024 plan was a season, not a day: no date, its text instead.
    plan = df[df["dateText"] == "Summer 2024"]
    assert len(plan) == 1 and pd.isna(plan["date"].iloc[0])


def test_numbers_from_the_graph(kg: wickgraph.KnowledgeGraph) -> None:
    df = kg.select("SELECT ?budget WHERE { wgd:ballerina wg:budgetUSD ?budget }").to_dataframe()
    assert df["budget"].tolist() == [Decimal("90000000")]
    df = kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?p wg:work wgd:ballerina }").to_dataframe()
    performances = len(kg.select("SELECT ?p WHERE { ?p wg:work wgd:ballerina }"))
    assert str(df["n"].dtype) == "Int64" and df["n"].tolist() == [performances] and performances > 1


def test_construct_results_are_triples(kg: wickgraph.KnowledgeGraph) -> None:
    df = kg.construct("CONSTRUCT WHERE { wgd:ballerina wg:director ?d }").to_dataframe()
    assert df.columns.tolist() == ["subject", "subjectLabel", "predicate", "predicateLabel", "object", "objectLabel"]
    assert set(df["objectLabel"]) == {"Len Wiseman"}
    assert set(df["subjectLabel"]) == {"Ballerina"}


def test_ask_has_no_dataframe() -> None:
    with pytest.raises(TypeError, match="SELECT or CONSTRUCT"):
        to_dataframe(True)  # type: ignore[arg-type]


def test_without_pandas_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    result = wickgraph.SelectResult(["x"], [])
    with pytest.raises(wickgraph.MissingExtraError, match=r"pip install 'wickgraph\[notebooks\]'"):
        result.to_dataframe(labels=False)
