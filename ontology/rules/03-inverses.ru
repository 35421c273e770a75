# owl:inverseOf (both directions) and owl:SymmetricProperty, inside each claim graph.
PREFIX wg:  <https://w3id.org/wickgraph/ontology#>
PREFIX wgg: <https://w3id.org/wickgraph/graph/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>

INSERT { GRAPH ?g { ?o ?inverse ?s } }
WHERE  {
  GRAPH wgg:ontology { { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p } }
  GRAPH ?g { ?s ?p ?o FILTER(!isLiteral(?o)) }
  FILTER(?g != wgg:ontology)
} ;

INSERT { GRAPH ?g { ?o ?p ?s } }
WHERE  {
  GRAPH wgg:ontology { ?p a owl:SymmetricProperty }
  GRAPH ?g { ?s ?p ?o FILTER(!isLiteral(?o)) }
  FILTER(?g != wgg:ontology)
}
