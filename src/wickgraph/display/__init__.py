"""How results look: typed pandas DataFrames (:mod:`.frames`) and self-contained HTML (:mod:`.html`).

This sits below :mod:`wickgraph.results`: the results' ``to_dataframe()`` and ``_repr_html_()`` call it, and it
knows results only by their shape (for typing), so the notebook layer (:mod:`wickgraph.notebook`) builds on
results and this package, never the other way round.
"""

__all__: list[str] = []
