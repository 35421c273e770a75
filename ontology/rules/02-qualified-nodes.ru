# Direct triples from qualified nodes, written into the claim graph that holds the node's facts,
# so each direct triple carries the provenance of the claim it comes from.
PREFIX wg: <https://w3id.org/wickgraph/ontology#>

# A performance: the actor is a cast member of the work, plays the character, who appears in the work.
INSERT { GRAPH ?g { ?work wg:castMember ?actor } }
WHERE  { GRAPH ?g { ?perf wg:actor ?actor ; wg:work ?work } } ;

INSERT { GRAPH ?g { ?actor wg:plays ?character } }
WHERE  { GRAPH ?g { ?perf wg:actor ?actor ; wg:character ?character } } ;

INSERT { GRAPH ?g { ?character wg:appearsIn ?work } }
WHERE  { GRAPH ?g { ?perf wg:character ?character ; wg:work ?work } } ;

# A draft: its author wrote the script; a person who brought the author in brought them in.
INSERT { GRAPH ?g { ?author wg:wroteScript ?script } }
WHERE  { GRAPH ?g { ?draft wg:draftAuthor ?author ; wg:draftOf ?script } } ;

INSERT { GRAPH ?g { ?patron wg:broughtIn ?author } }
WHERE  { GRAPH ?g { ?draft wg:draftAuthor ?author ; wg:broughtInBy ?patron } } ;

# A collaboration: its participants worked with each other.
INSERT { GRAPH ?g { ?a wg:workedWith ?b } }
WHERE  { GRAPH ?g { ?collab wg:participant ?a, ?b FILTER(?a != ?b) } }
