"""wickgraph in Jupyter: results as DataFrames, rich HTML for results and cards, graphs inline, ``%%sparql``.

- :func:`to_dataframe` (also ``result.to_dataframe()``): a SELECT or CONSTRUCT result as a typed pandas
  DataFrame with a ``?xLabel`` column beside every IRI column ``?x``;
- results and entity cards show themselves as HTML when they are the last line of a cell
  (:mod:`wickgraph.notebook.html`); graph views (:func:`wickgraph.viz.view`, :class:`wickgraph.HtmlView`)
  show the interactive page of ``wickgraph viz`` inline, in an ``<iframe srcdoc>``;
- ``%load_ext wickgraph`` registers the ``%%sparql`` cell magic (:mod:`wickgraph.notebook.magic`).

pandas, IPython and matplotlib come with the ``notebooks`` extra: ``pip install 'wickgraph[notebooks]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .frames import to_dataframe as to_dataframe

if TYPE_CHECKING:  # pragma: no cover
    from IPython.core.interactiveshell import InteractiveShell

__all__ = ["load_ipython_extension", "to_dataframe"]


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register the ``%%sparql`` magic: ``%load_ext wickgraph.notebook`` (or ``%load_ext wickgraph``)."""
    from .magic import load_ipython_extension as load

    load(ipython)
