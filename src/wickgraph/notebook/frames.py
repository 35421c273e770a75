"""Query results as pandas DataFrames: :func:`to_dataframe`, the notebook's name for ``result.to_dataframe()``.

The frames are built by :mod:`wickgraph.display.frames` (the dtype of each kind of column is listed there); this
module only checks what it is given.

>>> from pyoxigraph import Literal, NamedNode
>>> from wickgraph import SelectResult
>>> XSD = "http://www.w3.org/2001/XMLSchema#"
>>> rows = [{"film": NamedNode("https://w3id.org/wickgraph/id/ballerina"),
...          "minutes": Literal("125", datatype=NamedNode(XSD + "integer"))},
...         {"film": NamedNode("https://w3id.org/wickgraph/id/john-wick"), "minutes": None}]
>>> df = to_dataframe(SelectResult(["film", "minutes"], rows),
...                   {"https://w3id.org/wickgraph/id/ballerina": "Ballerina"}, compact=True)
>>> df.columns.tolist()
['film', 'filmLabel', 'minutes']
>>> df.to_dict("records")[0]
{'film': 'wgd:ballerina', 'filmLabel': 'Ballerina', 'minutes': 125}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..display.frames import LABEL_SUFFIX, column_kind, import_pandas
from ..errors import QueryFormError
from ..results import GraphResult, SelectResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ..graph import KnowledgeGraph

__all__ = ["LABEL_SUFFIX", "column_kind", "import_pandas", "to_dataframe"]


def to_dataframe(
    result: SelectResult | GraphResult,
    labels: bool | Mapping[str, str] | KnowledgeGraph = True,
    *,
    compact: bool = False,
) -> pandas.DataFrame:
    """A DataFrame of a SELECT result (one column per variable) or a CONSTRUCT result (``subject``,
    ``predicate``, ``object``).

    ``labels``: ``True`` adds ``?xLabel`` after every column ``?x`` that holds IRIs, with labels from the graph
    that answered (a result made by hand has none: pass a :class:`~wickgraph.KnowledgeGraph` or a dict of
    IRI to label instead); ``False`` adds none. A label column is not added where the query already has a
    variable of that name. An IRI without a label gets a missing value. ``compact`` writes IRIs as
    ``wgd:ballerina`` instead of in full.

    Raises :class:`~wickgraph.errors.MissingExtraError` when pandas is not installed.
    """
    if not isinstance(result, SelectResult | GraphResult):
        raise QueryFormError(f"to_dataframe() takes a SELECT or CONSTRUCT result, not {type(result).__name__}")
    return result.to_dataframe(labels, compact=compact)
