"""Property tests: any parameter value is only ever data, and results survive their own output formats."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, QueryResultsFormat, QuerySolutions, parse_query_results

import wickgraph
from wickgraph.output import write_result
from wickgraph.results import SelectResult

texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


def _solutions(text: str, fmt: QueryResultsFormat) -> QuerySolutions:
    parsed = parse_query_results(text.encode(), format=fmt)
    assert isinstance(parsed, QuerySolutions)
    return parsed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts)
def test_a_text_parameter_is_only_data(kg: wickgraph.KnowledgeGraph, value: str) -> None:
    from wickgraph.queries import get

    text = get("hedged-claims").bind(certainty=value)
    result = kg.select(text)
    allowed = {"reported", "expected / speculated", "inferred by the editors"}
    got = {row["certaintyLabel"].value for row in result}  # type: ignore[union-attr]
    if value == "":
        assert {"reported", "expected / speculated"} <= got <= allowed
    else:
        assert got <= ({value.lower()} & allowed)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(texts, min_size=1, max_size=5), lang=st.sampled_from([None, "en", "es"]))
def test_json_output_round_trips(values: list[str], lang: str | None) -> None:
    rows = [{"v": Literal(v, language=lang) if lang else Literal(v), "missing": None} for v in values]
    out = io.StringIO()
    write_result(SelectResult(["v", "missing"], rows), out, "json")
    back = [solution["v"] for solution in _solutions(out.getvalue(), QueryResultsFormat.JSON)]
    assert back == [r["v"] for r in rows]
    missing = [solution["missing"] for solution in _solutions(out.getvalue(), QueryResultsFormat.JSON)]
    assert missing == [None] * len(values)
    assert json.loads(out.getvalue())["head"]["vars"] == ["v", "missing"]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(texts, min_size=1, max_size=5))
def test_sparql_tsv_output_round_trips(values: list[str]) -> None:
    rows = [{"v": Literal(v)} for v in values]
    out = io.StringIO()
    write_result(SelectResult(["v"], rows), out, "sparql-tsv")
    parsed = _solutions(out.getvalue(), QueryResultsFormat.TSV)
    assert [solution["v"] for solution in parsed] == [r["v"] for r in rows]
