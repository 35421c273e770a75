# Lookup keys: the lower-case form of every label, alias and name, so that a named query finds an entity by
# name with one index lookup (`?e wg:nameKey ?filmKey`, the key bound by the query's parameter) instead of
# comparing LCASE(?label) with the parameter for every label in the graph.
PREFIX wg:   <https://w3id.org/wickgraph/ontology#>
PREFIX wgg:  <https://w3id.org/wickgraph/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

INSERT { GRAPH wgg:entities { ?e wg:nameKey ?key } }
WHERE  { GRAPH wgg:entities { ?e rdfs:label|skos:altLabel ?name } BIND(LCASE(STR(?name)) AS ?key) } ;

INSERT { GRAPH wgg:entities { ?e wg:nameKey ?key } }
WHERE  { GRAPH ?g { ?e wg:name ?name } BIND(LCASE(STR(?name)) AS ?key) }
