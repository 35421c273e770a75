# Lookup keys: the lower-case form of every label and alias in the registry, so that a name given to a named
# query is found with one index lookup (`?e wg:nameKey "ballerina"`) instead of comparing LCASE(?label) with it
# for every label in the graph (wickgraph.entity.resolve).
PREFIX wg:   <https://w3id.org/wickgraph/ontology#>
PREFIX wgg:  <https://w3id.org/wickgraph/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

INSERT { GRAPH wgg:entities { ?e wg:nameKey ?key } }
WHERE  { GRAPH wgg:entities { ?e rdfs:label|skos:altLabel ?name } BIND(LCASE(STR(?name)) AS ?key) }
