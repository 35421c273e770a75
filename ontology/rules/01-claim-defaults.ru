# Claim records: fill in what the graph a record sits in already says.
# - wg:source is the source graph the record is in;
# - wg:claimDate defaults to the source's wg:knownSince;
# - wg:spanIn defaults to the source itself when the record has a span.
PREFIX wg: <https://w3id.org/wickgraph/ontology#>

INSERT { GRAPH ?src { ?claim wg:source ?src } }
WHERE  { GRAPH ?src { ?claim a wg:Claim . ?src a wg:Source } } ;

INSERT { GRAPH ?src { ?claim wg:claimDate ?date } }
WHERE  {
  GRAPH ?src { ?claim a wg:Claim . ?src wg:knownSince ?date }
  FILTER NOT EXISTS { GRAPH ?src { ?claim wg:claimDate ?given } }
} ;

INSERT { GRAPH ?src { ?claim wg:spanIn ?src } }
WHERE  {
  GRAPH ?src { ?claim a wg:Claim . ?src a wg:Source . { ?claim wg:spanStart ?s } UNION { ?claim wg:spanLine ?l } }
  FILTER NOT EXISTS { GRAPH ?src { ?claim wg:spanIn ?held } }
}
