"""Building the graph: parse (``parse``), derive (``rules``), validate (``validate``), publish (``builder``)."""
