"""Building the graph: one entry point (:func:`wickgraph.build`), two strategies, one lifecycle.

- ``builder``: :func:`~.builder.build` and :func:`~.builder.check`, and the choice of strategy (``mode``);
- ``generation``: the store generation every build writes (lock, fresh directory, atomic publish, rollback);
- ``full`` and ``fast``: the two strategies (in memory with pyshacl and citations; streamed on disk);
- ``incremental``: a fast build over an earlier one, with only what changed built again (the plan, the fill);
  ``scoping``: what it scopes to what changed and why that is enough (the locality proofs, the scoped rules
  and checks); ``manifest``: what each generation records it was built from;
- ``parse`` and ``loading``: reading the files (staged in memory; bulk-loaded on disk);
- ``rules`` and ``derive``: the build rules (SPARQL Update; the same as streamed SELECTs);
- ``provenance``: the provenance rules, both strategies'; ``checks``: the engine that runs and words them;
- ``shapes``: SHACL compiled to SPARQL (fast); ``validate``: SHACL by pyshacl (full);
- ``supersession``: the status of every claim's triples; ``union``: the default graph (merge, reifiers);
- ``report``: :class:`~.report.BuildReport`.
"""
