"""Example SPARQL queries shipped with the ontology."""
