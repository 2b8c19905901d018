"""SHACL: built graphs conform; broken ones do not."""

from __future__ import annotations

import dataclasses

import rdflib

from diplograph.graph import Store, validate
from diplograph.graph.export import export
from diplograph.ingest.records import Actor, Meeting


def _graph(store: Store) -> rdflib.Graph:
    graph = rdflib.Graph(identifier=rdflib.URIRef("urn:data"))
    graph.parse(data=export(store, "turtle"), format="ox-turtle")
    return graph


def test_built_graphs_conform(loaded: Store) -> None:
    report = validate(loaded)
    assert report.conforms, report.text
    assert report.results == 0


def test_built_graphs_conform_with_rdfs_inference(loaded: Store) -> None:
    assert validate(loaded, inference="rdfs").conforms


def test_unknown_actors_types_and_dates_still_conform(store: Store, make_astana) -> None:
    ex = make_astana()
    odd = Meeting("k", "a phone call", "a call", "video link-up", "postponed",
                  participants=("person:nobody-known",), start_date="2017", end_date="tomorrow",
                  round=None, part_of="unknown-process")
    person = Actor("person:sergei-lavrov", "Sergei Lavrov", "person", country="RUS",
                   role="foreign minister", affiliation="RUS-GOV", wikidata="not-a-qid")
    store.add(dataclasses.replace(ex, meetings=(*ex.meetings, odd), actors=(*ex.actors, person)))
    report = validate(store)
    assert report.conforms, report.text


def test_stance_without_holder_fails(loaded: Store) -> None:
    graph = _graph(loaded)
    dip = rdflib.Namespace("https://w3id.org/diplograph/ns#")
    stance = next(graph.subjects(rdflib.RDF.type, dip.Stance))
    graph.remove((stance, dip.holder, None))
    report = validate(graph)
    assert not report.conforms
    assert report.results >= 1
    assert "holder" in report.text


def test_meeting_with_status_outside_the_scheme_fails(loaded: Store) -> None:
    graph = _graph(loaded)
    dip = rdflib.Namespace("https://w3id.org/diplograph/ns#")
    meeting = next(graph.subjects(rdflib.RDF.type, dip.Meeting))
    graph.set((meeting, dip.status, rdflib.URIRef("https://example.org/status/rumoured")))
    assert not validate(graph).conforms


def test_rdflib_dataset_is_validated_as_union(loaded: Store) -> None:
    assert validate(loaded.rdflib_dataset()).conforms
