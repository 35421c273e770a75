# A work set after one work and before another in the same claim is set between them.
PREFIX wg: <https://w3id.org/wickgraph/ontology#>

INSERT { GRAPH ?g { ?work wg:setBetween ?earlier, ?later } }
WHERE  { GRAPH ?g { ?work wg:setAfter ?earlier ; wg:setBefore ?later } }
