"""Push the built graph into a SPARQL server: every named graph, in batches, idempotently.

Each named graph of the build (ontology, entity registry, one graph per source, one per claim) is written as a
whole, replacing the graph of the same name on the server, so pushing twice gives the same graph, not
duplicates. Two ways to write:

- SPARQL 1.1 Update (the default): a batch is one request, ``DROP SILENT GRAPH`` then ``INSERT DATA`` for up
  to ``batch_size`` triples' worth of whole graphs. A server applies one update request as one transaction
  (Oxigraph, Fuseki, GraphDB, Virtuoso, Neptune), so a batch is written entirely or not at all;
- the Graph Store HTTP Protocol, when the endpoint has a ``graph_store`` URL: one ``PUT ?graph=IRI`` per graph
  (then a batch is one graph).

Then, as the build does, the default graph: the RDF merge of the pushed graphs, so that a query without
``GRAPH`` sees every fact once on any server. It is made by the server in one request (``DROP SILENT
DEFAULT`` and ``INSERT … WHERE { GRAPH ?g … }`` over the pushed graphs), which replaces what the server's default
graph held: give wickgraph a dataset of its own. A server whose default graph is the union of its named graphs
(``oxigraph serve --union-default-graph``, Virtuoso, GraphDB) is found out first (a triple written into a probe
graph shows in the default graph) and its default graph left alone; ``default_graph=False`` leaves it alone
on any server. Afterwards the distinct triples of the default graph are counted against the merge
(:attr:`PushReport.default_graph_is_union`): Virtuoso's also holds its system graphs.

Blank nodes go in ``INSERT { … } WHERE {}`` (Virtuoso refuses them in ``INSERT DATA``); a batch the server
refuses for its size is split in halves, and a graph bigger than it takes goes in pieces.

If a push fails part-way, the graphs of the batches written so far are the new ones and all others are as
they were before the push, and so is the default graph; :class:`~wickgraph.errors.PushError` says which. With ``replace=True``, wickgraph's
graphs on the server that are not in the build are dropped once every batch is written, so the server ends
with exactly the built graphs, and a failed push never leaves it with fewer graphs than it had.
"""

from .batches import DEFAULT_BATCH_SIZE as DEFAULT_BATCH_SIZE
from .report import PushReport as PushReport
from .run import PushMethod as PushMethod
from .run import push as push

__all__ = ["DEFAULT_BATCH_SIZE", "PushMethod", "PushReport", "push"]
