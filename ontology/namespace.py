"""RDF namespaces: the closed diplograph vocabulary ``DIP`` and the vocabularies it reuses."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

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
]

DIP_NS = "https://w3id.org/diplograph/ns#"
VOCAB = "https://w3id.org/diplograph/vocab/"


class DIP(DefinedNamespace):
    """The few terms diplograph mints (``https://w3id.org/diplograph/ns#``).

    Closed: a misspelt term raises ``AttributeError``.

    >>> str(DIP.Stance)
    'https://w3id.org/diplograph/ns#Stance'
    """

    _fail = True
    _NS = Namespace(DIP_NS)

    # classes
    Stance: URIRef  # an n-ary stance: holder, polarity, target, date, evidence
    Initiative: URIRef  # a named proposal, process, agreement, meeting …
    Meeting: URIRef  # a meeting: a sem:Event and an initiative
    State: URIRef
    Government: URIRef
    Opposition: URIRef
    ArmedGroup: URIRef
    Party: URIRef
    IGO: URIRef
    Organisation: URIRef
    Person: URIRef
    Legislature: URIRef
    Group: URIRef

    # stance properties
    holder: URIRef
    target: URIRef
    polarity: URIRef
    conditional: URIRef
    confidence: URIRef
    evidence: URIRef
    rule: URIRef
    digest: URIRef
    holderText: URIRef
    targetText: URIRef
    supports: URIRef  # derived shortcut edge
    rejects: URIRef  # derived shortcut edge

    # meeting properties
    host: URIRef
    mediator: URIRef
    status: URIRef
    round: URIRef
    dateText: URIRef
    dateResolved: URIRef
    typeText: URIRef

    # initiative and actor properties
    initiativeKind: URIRef
    actorKind: URIRef
    key: URIRef
    sector: URIRef
    country: URIRef
    role: URIRef
    affiliation: URIRef
    mentionText: URIRef

    # article metadata
    extractorVersion: URIRef
    contentHash: URIRef


SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
POLARITY = Namespace(VOCAB + "polarity/")
MEETING_TYPE = Namespace(VOCAB + "meeting-type/")
STATUS = Namespace(VOCAB + "status/")
SECTOR = Namespace(VOCAB + "sector/")
PLOVER = Namespace(VOCAB + "plover/")

PREFIXES: dict[str, str] = {
    "dip": DIP_NS,
    "sem": str(SEM),
    "oa": str(OA),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "wd": str(WD),
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "polarity": str(POLARITY),
    "mtype": str(MEETING_TYPE),
    "status": str(STATUS),
    "sector": str(SECTOR),
    "plover": str(PLOVER),
}
"""Prefix → namespace for every vocabulary diplograph writes (instance prefixes excluded)."""
