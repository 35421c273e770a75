"""Query results as pandas DataFrames: typed columns, and a label column beside every IRI column.

Like the Wikidata label service, a column ``?x`` that holds IRIs gets a column ``?xLabel`` right after it, with
each IRI's ``rdfs:label`` (a source's ``schema:name``) from the graph that answered. Values become pandas types:

============================================  =====================================================
the column holds                              dtype
============================================  =====================================================
IRIs, strings (any language, any unknown type)  ``string`` (IRIs in full, or ``wgd:…`` with ``compact``)
``xsd:integer`` and its kin                   ``Int64``
``xsd:double`` / ``xsd:float`` (with ints)     ``Float64``
``xsd:decimal`` (with ints)                    ``object`` holding exact :class:`decimal.Decimal`
``xsd:boolean``                               ``boolean``
``xsd:date``                                  ``datetime64[s]`` (``.dt.date`` gives :class:`datetime.date`)
``xsd:dateTime``                              ``datetime64`` (in UTC when any value has a time zone)
anything else, or a mix                       ``object`` holding plain Python values
============================================  =====================================================

An unbound value (an OPTIONAL that did not match) is pandas' missing value in every column (``pd.NA`` or
``NaT``), so ``df.isna()`` finds it.

>>> from pyoxigraph import Literal, NamedNode
>>> XSD = "http://www.w3.org/2001/XMLSchema#"
>>> columns = {"film": [NamedNode("https://w3id.org/wickgraph/id/ballerina"), NamedNode("https://w3id.org/wickgraph/id/john-wick")],
...            "minutes": [Literal("125", datatype=NamedNode(XSD + "integer")), None]}
>>> df = frame(["film", "minutes"], columns, None, {"https://w3id.org/wickgraph/id/ballerina": "Ballerina"}, compact=True)
>>> df.columns.tolist()
['film', 'filmLabel', 'minutes']
>>> df.to_dict("records")[0]
{'film': 'wgd:ballerina', 'filmLabel': 'Ballerina', 'minutes': 125}
>>> df["minutes"].dtype, bool(df["minutes"].isna()[1]), bool(df["filmLabel"].isna()[1])
(Int64Dtype(), True, True)

:meth:`SelectResult.to_dataframe <wickgraph.SelectResult.to_dataframe>`,
:meth:`GraphResult.to_dataframe <wickgraph.GraphResult.to_dataframe>` and :func:`wickgraph.notebook.to_dataframe`
build their frames here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode

from ..errors import MissingExtraError, WickgraphError
from ..namespaces import XSD
from ..namespaces import compact as compact_iri
from ..terms import INTEGER_TYPES, Term, to_python

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ..graph import KnowledgeGraph

__all__ = ["LABEL_SUFFIX", "column_kind", "frame", "import_pandas"]

LABEL_SUFFIX = "Label"
"""``?x`` gets its labels in ``?xLabel``."""

_INTEGER = INTEGER_TYPES
_KIND_OF_DATATYPE = {XSD + "decimal": "decimal", XSD + "double": "float", XSD + "float": "float"}
_KIND_OF_DATATYPE |= {XSD + "boolean": "bool", XSD + "date": "date", XSD + "dateTime": "datetime"}
_KIND_OF_DATATYPE |= dict.fromkeys(_INTEGER, "int")
_PLAIN_DATE = re.compile(r"-?\d{4,}-\d\d-\d\d")
_ZONED = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def import_pandas() -> Any:
    """Import pandas, or say how to install it."""
    try:
        import pandas
    except ImportError:
        raise MissingExtraError(
            "DataFrames need pandas, which is not installed: pip install 'wickgraph[notebooks]'"
        ) from None
    return pandas


def column_kind(terms: Sequence[Term | None]) -> str:
    """What a column holds, by the datatypes of its terms: ``string``, ``int``, ``float``, ``decimal``, ``bool``,
    ``date``, ``datetime``, ``empty`` (nothing bound) or ``mixed``.

    >>> from pyoxigraph import Literal, NamedNode
    >>> column_kind([NamedNode("http://e/a"), Literal("b"), None])
    'string'
    >>> column_kind([Literal("1", datatype=NamedNode(XSD + "integer")), Literal("2.5", datatype=NamedNode(XSD + "double"))])
    'float'
    >>> column_kind([Literal("1", datatype=NamedNode(XSD + "integer")), Literal("x")])
    'mixed'
    """
    return _classify(terms)[0]


def _classify(terms: Sequence[Term | None]) -> tuple[str, list[str | None]]:
    """The column's kind and each term's lexical form (``None`` where unbound), in one pass."""
    kinds: set[str] = set()
    lexical: list[str | None] = []
    for term in terms:
        if term is None:
            lexical.append(None)
            continue
        kind = type(term)
        if kind is Literal:
            assert isinstance(term, Literal)
            kinds.add(_KIND_OF_DATATYPE.get(term.datatype.value, "string"))
            lexical.append(term.value)
        elif kind is NamedNode or kind is BlankNode:
            kinds.add("string")
            lexical.append(None)  # unused: strings are written by _string
        else:
            kinds.add("mixed")  # an RDF-star triple
            lexical.append(None)
    if not kinds:
        return "empty", lexical
    if len(kinds) == 1:
        return kinds.pop(), lexical
    if kinds <= {"int", "float"}:
        return "float", lexical
    if kinds <= {"int", "decimal"}:
        return "decimal", lexical
    return "mixed", lexical


def _string(term: Term | None, compact: bool) -> str | None:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return compact_iri(term.value) if compact else term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Literal):
        return term.value
    return str(to_python(term))


def _typed(pd: Any, kind: str, lexical: list[str | None]) -> Any:
    """The pandas array of a column of one literal kind, parsed in bulk; raises ValueError on an ill-typed
    value ("abc"^^xsd:integer), so the column falls back to plain values."""
    if kind == "int":
        return pd.array([None if v is None else int(v) for v in lexical], dtype="Int64")
    if kind == "float":  # Python's float() reads xsd:double's INF, -INF and NaN too
        return pd.array([None if v is None else float(v) for v in lexical], dtype="Float64")
    if kind == "decimal":
        return pd.array([pd.NA if v is None else Decimal(v) for v in lexical], dtype="object")
    if kind == "bool":
        flags = {"true": True, "1": True, "false": False, "0": False}
        return pd.array([None if v is None else flags[v] for v in lexical], dtype="boolean")
    if kind == "date":
        import numpy as np

        if not all(v is None or _PLAIN_DATE.fullmatch(v) for v in lexical):
            raise ValueError("a date with a time zone")
        return pd.array(np.array(["NaT" if v is None else v for v in lexical], dtype="datetime64[s]"))
    if kind == "datetime":
        zoned = any(v is not None and _ZONED.search(v) for v in lexical)
        times = pd.to_datetime(pd.Series(lexical, dtype="object"), format="ISO8601", utc=zoned)
        if not pd.api.types.is_datetime64_any_dtype(times):
            raise ValueError("not all date-times")
        return times.array
    raise ValueError(kind)


def _column(pd: Any, terms: Sequence[Term | None], compact: bool) -> Any:
    """One pandas array of a column's terms."""
    kind, lexical = _classify(terms)
    if kind == "string":
        return pd.array([_string(t, compact) for t in terms], dtype="string")
    if kind == "empty":
        return pd.array([pd.NA] * len(terms), dtype="object")
    if kind != "mixed":
        try:
            return _typed(pd, kind, lexical)
        except (ValueError, TypeError, KeyError, ArithmeticError, OverflowError):
            pass  # an ill-typed literal, mixed time zones, out of range: plain values below
    values = [
        pd.NA if t is None else (_string(t, compact) if isinstance(t, NamedNode) else to_python(t)) for t in terms
    ]
    return pd.array(values, dtype="object")


def _label_source(graph: KnowledgeGraph | None, labels: bool | Mapping[str, str] | KnowledgeGraph) -> Any:
    if isinstance(labels, Mapping):
        return lambda iris: labels
    if not isinstance(labels, bool):
        return labels.labels  # a KnowledgeGraph
    if graph is None:
        raise WickgraphError(
            "this result does not know the graph it came from, so it cannot look up labels: "
            "pass labels=kg (a KnowledgeGraph), a dict of IRI to label, or labels=False"
        )
    return graph.labels


def frame(
    variables: Sequence[str],
    columns: Mapping[str, Sequence[Term | None]],
    graph: KnowledgeGraph | None,
    labels: bool | Mapping[str, str] | KnowledgeGraph = True,
    *,
    compact: bool = False,
) -> pandas.DataFrame:
    """A DataFrame of columns of terms (one per variable, in order), with a label column beside each IRI column.

    ``graph`` is the graph that answered (where labels are looked up when ``labels`` is ``True``); the rest is as
    :func:`wickgraph.notebook.to_dataframe` says. Raises :class:`~wickgraph.errors.MissingExtraError` when pandas
    is not installed.
    """
    pd = import_pandas()
    iri_columns = [
        v
        for v in variables
        if labels is not False
        and v + LABEL_SUFFIX not in variables
        and any(isinstance(t, NamedNode) for t in columns[v])
    ]
    names: dict[str, str] = {}
    if iri_columns:
        lookup = _label_source(graph, labels)
        names = dict(lookup({t.value for v in iri_columns for t in columns[v] if isinstance(t, NamedNode)}))
    data: dict[str, Any] = {}
    for v in variables:
        data[v] = _column(pd, columns[v], compact)
        if v in iri_columns:
            data[v + LABEL_SUFFIX] = pd.array(
                [names.get(t.value) if isinstance(t, NamedNode) else None for t in columns[v]], dtype="string"
            )
    # Series keep each dtype as chosen (pandas 3 would otherwise infer "str" for an object column of strings)
    return pd.DataFrame({name: pd.Series(array, dtype=array.dtype, copy=False) for name, array in data.items()})
