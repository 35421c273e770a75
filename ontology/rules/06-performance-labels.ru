# Performances are named by their claims, not the registry: label them "ACTOR in WORK".
PREFIX wg:   <https://w3id.org/wickgraph/ontology#>
PREFIX wgg:  <https://w3id.org/wickgraph/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

INSERT { GRAPH wgg:entities { ?perf rdfs:label ?label } }
WHERE  {
  SELECT ?perf (SAMPLE(CONCAT(?actorLabel, " in ", ?workLabel)) AS ?label) WHERE {
    GRAPH ?g { ?perf wg:actor ?actor ; wg:work ?work }
    GRAPH wgg:entities { ?actor rdfs:label ?actorLabel . ?work rdfs:label ?workLabel }
    FILTER NOT EXISTS { GRAPH wgg:entities { ?perf rdfs:label ?given } }
  } GROUP BY ?perf
}
