# Sources and claim records: fill in what the graph a record sits in already says.
# - wg:source is the source graph the record is in;
# - wg:claimDate defaults to the source's wg:knownSince (for an inferred claim: its latest premise's date);
# - wg:spanIn defaults to the source itself when the record has a span.
PREFIX wg: <https://w3id.org/wickgraph/ontology#>
PREFIX schema: <http://schema.org/>

# A source is known from the day it had certainly said what it says: the upper bound of its date window, else
# its exact publication date (never a lower bound).
INSERT { GRAPH ?src { ?src wg:knownSince ?date } }
WHERE  { GRAPH ?src { ?src a wg:Source ; wg:notAfter ?date } } ;

INSERT { GRAPH ?src { ?src wg:knownSince ?date } }
WHERE  {
  GRAPH ?src { ?src a wg:Source ; schema:datePublished ?date }
  FILTER NOT EXISTS { GRAPH ?src { ?src wg:notAfter ?bound } }
} ;

INSERT { GRAPH ?src { ?claim wg:source ?src } }
WHERE  { GRAPH ?src { ?claim a wg:Claim . ?src a wg:Source } } ;

INSERT { GRAPH ?src { ?claim wg:claimDate ?date } }
WHERE  {
  GRAPH ?src { ?claim a wg:Claim . ?src wg:knownSince ?date }
  FILTER NOT EXISTS { GRAPH ?src { ?claim wg:claimDate ?given } }
  FILTER NOT EXISTS { GRAPH ?src { ?claim wg:derivedFrom ?premise } }
} ;

# An inferred claim is as recent as the latest claim it rests on.
INSERT { GRAPH ?src { ?claim wg:claimDate ?latest } }
WHERE  {
  SELECT ?src ?claim (MAX(?premiseDate) AS ?latest) WHERE {
    GRAPH ?src { ?claim a wg:Claim ; wg:derivedFrom ?premise }
    GRAPH ?premiseSource { ?premise wg:claimDate ?premiseDate }
    FILTER NOT EXISTS { GRAPH ?src { ?claim wg:claimDate ?given } }
  } GROUP BY ?src ?claim
} ;

INSERT { GRAPH ?src { ?claim wg:spanIn ?src } }
WHERE  {
  GRAPH ?src { ?claim a wg:Claim . ?src a wg:Source . { ?claim wg:spanStart ?s } UNION { ?claim wg:spanLine ?l } }
  FILTER NOT EXISTS { GRAPH ?src { ?claim wg:spanIn ?held } }
}
