"""The diplograph vocabulary: namespaces, the OWL ontology, SKOS schemes and SHACL shapes."""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph, URIRef

from diplograph.ontology.namespace import (
    DIP,
    DIP_NS,
    MEETING_TYPE,
    OA,
    OWL,
    PLOVER,
    POLARITY,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SECTOR,
    SEM,
    SKOS,
    STATUS,
    VOCAB,
    WD,
    XSD,
)

__all__ = [
    "DIP",
    "DIP_NS",
    "MEETING_TYPE",
    "OA",
    "OWL",
    "PLOVER",
    "POLARITY",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SECTOR",
    "SEM",
    "SKOS",
    "STATUS",
    "VOCAB",
    "WD",
    "XSD",
    "ontology_graph",
    "ontology_text",
    "shapes_graph",
    "vocabularies_graph",
]

_ONTOLOGY = "diplograph.ttl"
_SHAPES = "shapes.ttl"
_VOCABULARIES = "vocabularies.ttl"


def ontology_text(name: str) -> str:
    """Return the Turtle text of a shipped file (``diplograph.ttl``, ``shapes.ttl`` …)."""
    return files("diplograph.ontology").joinpath(name).read_text(encoding="utf-8")


def _load(name: str) -> Graph:
    graph = Graph(identifier=URIRef(f"{VOCAB}graph/{name.removesuffix('.ttl')}"))
    graph.parse(data=ontology_text(name), format="ox-turtle")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def ontology_graph(*, with_vocabularies: bool = True) -> Graph:
    """Return the OWL/RDFS ontology (plus the SKOS schemes unless told otherwise).

    >>> (DIP.Meeting, RDFS.subClassOf, SEM.Event) in ontology_graph()
    True
    """
    graph = _load(_ONTOLOGY)
    if with_vocabularies:
        graph += _load(_VOCABULARIES)
    return graph


def vocabularies_graph() -> Graph:
    """Return the SKOS concept schemes (polarity, meeting type, status, sector)."""
    return _load(_VOCABULARIES)


def shapes_graph() -> Graph:
    """Return the SHACL shapes every graph built by :mod:`diplograph.graph` passes."""
    return _load(_SHAPES)
