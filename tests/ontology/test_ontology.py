"""The shipped ontology, SKOS schemes and shapes parse and cover every term diplograph uses."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS

from diplograph.ontology import (
    DIP,
    DIP_NS,
    MEETING_TYPE,
    POLARITY,
    SEM,
    STATUS,
    ontology_graph,
    ontology_text,
    shapes_graph,
    vocabularies_graph,
)

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.mark.parametrize("name", ["diplograph.ttl", "shapes.ttl", "vocabularies.ttl"])
def test_shipped_turtle_parses_with_both_parsers(name: str) -> None:
    text = ontology_text(name)
    fast = rdflib.Graph(identifier=rdflib.URIRef("urn:fast")).parse(data=text, format="ox-turtle")
    slow = rdflib.Graph(identifier=rdflib.URIRef("urn:slow")).parse(data=text, format="turtle")
    assert len(fast) == len(slow) > 50


def test_dip_namespace_is_closed() -> None:
    assert str(DIP.Stance) == DIP_NS + "Stance"
    with pytest.raises(AttributeError):
        DIP.nonexistent  # noqa: B018
    with pytest.raises(AttributeError):
        DIP.stance  # noqa: B018  (case matters)


def _declared_terms() -> list[str]:
    return [name for name in DIP.__annotations__ if not name.startswith("_")]


@pytest.mark.parametrize("name", _declared_terms())
def test_every_dip_term_is_defined_labelled_and_commented(name: str) -> None:
    graph = ontology_graph(with_vocabularies=False)
    term = DIP[name]
    types = set(graph.objects(term, RDF.type))
    assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name
    assert graph.value(term, RDFS.label) is not None, name
    assert graph.value(term, RDFS.comment) is not None, name


def test_every_dip_term_used_in_code_is_in_the_ontology() -> None:
    defined = {str(s) for s in ontology_graph(with_vocabularies=False).subjects()}
    graph_pkg = files("diplograph.graph")
    used: set[str] = set()
    for entry in graph_pkg.iterdir():
        if entry.name.endswith(".py"):
            used |= set(re.findall(r"\bDIP\.([A-Za-z]+)", entry.read_text(encoding="utf-8")))
    for name in ("shapes.ttl", "vocabularies.ttl"):
        used |= set(re.findall(r"\bdip:([A-Za-z]+)", ontology_text(name)))
    assert used, "no DIP terms found: the scan is broken"
    missing = sorted(u for u in used if DIP_NS + u not in defined)
    assert missing == []


def test_every_dip_term_in_the_ontology_is_in_the_namespace() -> None:
    graph = ontology_graph(with_vocabularies=False)
    minted = {str(s)[len(DIP_NS):] for s in graph.subjects() if str(s).startswith(DIP_NS)}
    assert minted == set(_declared_terms())


def test_meeting_is_an_event_and_an_initiative() -> None:
    graph = ontology_graph()
    assert (DIP.Meeting, RDFS.subClassOf, SEM.Event) in graph
    assert (DIP.Meeting, RDFS.subClassOf, DIP.Initiative) in graph
    for cls in (DIP.State, DIP.Government, DIP.Opposition, DIP.Person, DIP.IGO):
        assert (cls, RDFS.subClassOf, SEM.Actor) in graph


def test_shortcut_edges_are_documented_as_derived() -> None:
    graph = ontology_graph(with_vocabularies=False)
    for prop in (DIP.supports, DIP.rejects):
        assert "Derived" in str(graph.value(prop, RDFS.comment))


def test_polarity_scheme_maps_to_plover_and_cameo() -> None:
    graph = vocabularies_graph()
    assert set(graph.objects(rdflib.URIRef(str(POLARITY)), SKOS.hasTopConcept)) == {
        POLARITY.support, POLARITY.reject}
    assert str(graph.value(POLARITY.support, SKOS.closeMatch)).endswith("/plover/SUPPORT")
    assert str(graph.value(POLARITY.reject, SKOS.closeMatch)).endswith("/plover/REJECT")
    notations = {str(n) for n in graph.objects(POLARITY.reject, SKOS.notation)}
    assert "CAMEO:12" in notations


def test_concepts_the_builder_writes_are_in_their_schemes() -> None:
    from diplograph.graph.build import MEETING_TYPES

    graph = vocabularies_graph()
    for local in {*MEETING_TYPES.values(), "other"}:
        assert (MEETING_TYPE[local], SKOS.inScheme, rdflib.URIRef(str(MEETING_TYPE))) in graph
    for status in ("held", "planned", "postponed", "cancelled"):
        assert (STATUS[status], SKOS.inScheme, rdflib.URIRef(str(STATUS))) in graph


def test_shapes_target_stances_meetings_and_actors() -> None:
    targets = set(shapes_graph().objects(None, SH.targetClass))
    assert {DIP.Stance, DIP.Meeting, DIP.Initiative, SEM.Actor} <= targets
