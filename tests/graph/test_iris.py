"""IRIs minted from arbitrary keys are valid, stable and distinct."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from diplograph.graph.iris import (
    REGISTRY_GRAPH,
    actor_iri,
    article_graph_iri,
    article_iri,
    encode_key,
    initiative_iri,
    meeting_iri,
    stance_iri,
)

NASTY = [
    pytest.param("SYR-GOV", id="plain"),
    pytest.param('org:"Free" <Syrian> Army', id="quotes-angles"),
    pytest.param("100% {done} | ^`\\", id="percent-braces"),
    pytest.param("person:José Ñúñez", id="accents"),
    pytest.param("دمشق", id="arabic"),
    pytest.param("🇸🇾 coalition 🤝", id="emoji"),
    pytest.param("x" * 5000, id="very-long"),
    pytest.param("", id="empty"),
    pytest.param("a/b#c?d", id="iri-delimiters"),
    pytest.param("line\nbreak\ttab", id="control"),
]


@pytest.mark.parametrize("key", NASTY)
def test_iris_from_nasty_keys_parse_in_rdflib_and_oxigraph(key: str) -> None:
    for make in (actor_iri, initiative_iri, article_iri, article_graph_iri):
        iri = make(key)
        nt = f"{iri} <http://example.org/p> \"x\" .\n"
        assert len(list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))) == 1
        graph = rdflib.Graph(identifier=rdflib.URIRef("urn:test"))
        graph.parse(data=nt, format="nt")
        assert str(next(iter(graph.subjects()))) == iri.value
        assert len(iri.value) < 250


@pytest.mark.parametrize("key", NASTY)
def test_iris_are_stable_across_calls(key: str) -> None:
    assert actor_iri(key) == actor_iri(key)
    assert stance_iri(key, "RUS", "support", 3) == stance_iri(key, "RUS", "support", 3)


def test_distinct_keys_give_distinct_iris() -> None:
    keys = ["a b", "a%20b", "a_b", "A B", "x" * 5000, "x" * 4999 + "y", "", " "]
    assert len({encode_key(k) for k in keys}) == len(keys)


def test_meetings_share_the_initiative_iri_space() -> None:
    assert meeting_iri("astana-talks-8") == initiative_iri("astana-talks-8")
    assert actor_iri("RUS") != initiative_iri("RUS")


def test_readable_keys_stay_readable() -> None:
    assert actor_iri("SYR-GOV").value == "https://w3id.org/diplograph/id/actor/SYR-GOV"
    assert REGISTRY_GRAPH.value == "https://w3id.org/diplograph/graph/registry"
