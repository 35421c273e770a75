# The schema.org and Wikidata views: every super-property and super-class (transitively), in the same graph.
PREFIX wgg:  <https://w3id.org/wickgraph/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

INSERT { GRAPH ?g { ?s ?super ?o } }
WHERE  {
  GRAPH wgg:ontology { ?p rdfs:subPropertyOf+ ?super }
  GRAPH ?g { ?s ?p ?o }
  FILTER(?g != wgg:ontology)
} ;

INSERT { GRAPH ?g { ?s a ?super } }
WHERE  {
  GRAPH wgg:ontology { ?class rdfs:subClassOf+ ?super }
  GRAPH ?g { ?s a ?class }
  FILTER(?g != wgg:ontology)
}
