"""The on-disk store: adding, replacing, removing articles; reopening; rdflib access."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from diplograph.errors import StoreError
from diplograph.graph import Store, article_graph_iri, registry_graph, stances
from diplograph.graph.build import extraction_to_quads


def test_extraction_to_quads_puts_facts_in_article_graph_and_entities_in_registry(sochi) -> None:
    quads = list(extraction_to_quads(sochi))
    graphs = {q.graph_name for q in quads}
    assert graphs == {article_graph_iri(sochi.article.id), registry_graph()}
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    dip = "https://w3id.org/diplograph/ns#"
    stance_quads = [q for q in quads if q.object == ox.NamedNode(dip + "Stance")]
    assert len(stance_quads) == 4
    assert all(q.graph_name == article_graph_iri(sochi.article.id) for q in stance_quads)
    labels = [q for q in quads if q.predicate.value.endswith("rdf-schema#label")]
    assert {q.graph_name for q in labels} == {registry_graph()}


def test_add_then_query_returns_the_stances(store: Store, sochi) -> None:
    store.add(sochi)
    assert store.article_ids() == [sochi.article.id]
    assert len(stances(store)) == 4
    assert store.article_hash(sochi.article.id) == ("sha1:aaaa", "0.1.0")
    assert store.article_hash("missing") is None


def test_re_adding_the_same_extraction_is_idempotent(loaded: Store, make_sochi) -> None:
    before = len(loaded)
    quads_before = set(loaded)
    loaded.add(make_sochi(extra_stance=True))
    loaded.add_many([make_sochi(extra_stance=True)] * 3)
    assert len(loaded) == before
    assert set(loaded) == quads_before


def test_adding_a_changed_extraction_replaces_its_graph(loaded: Store, make_sochi) -> None:
    old = make_sochi(extra_stance=True)
    changed = dataclasses.replace(old, stances=old.stances[:1], content_hash="sha1:cccc")
    loaded.add(changed)
    rows = stances(loaded, initiative="Congress of National Dialogue")
    assert [(r.holder, r.polarity) for r in rows] == [("Syrian opposition", "reject")]
    assert loaded.article_hash(old.article.id) == ("sha1:cccc", "0.1.0")
    # the Astana article is untouched
    assert [r.holder for r in stances(loaded, initiative="Astana")] == ["Syrian government"]


def test_removing_one_article_keeps_the_others_facts(loaded: Store, sochi, astana) -> None:
    assert loaded.remove(sochi.article.id) is True
    assert loaded.article_ids() == [astana.article.id]
    assert stances(loaded, initiative="Sochi") == []
    assert [r.holder for r in stances(loaded)] == ["Syrian government"]
    # Russia is still mediator of Astana talks, so its registry entry stays
    keys = {r["k"].value for r in loaded.sparql(
        "SELECT ?k WHERE { GRAPH graph:registry { ?a dip:key ?k } }")}
    assert {"RUS", "IRN", "TUR", "SYR-GOV"} <= keys
    assert "SYR-OPP" not in keys
    assert loaded.remove(sochi.article.id) is False


def test_removing_everything_leaves_an_empty_store(loaded: Store, sochi, astana) -> None:
    loaded.remove(sochi.article.id)
    loaded.remove(astana.article.id)
    assert len(loaded) == 0
    assert loaded.article_ids() == []


def test_store_reopens_with_its_data(store_path: Path, sochi) -> None:
    with Store(store_path) as store:
        store.add(sochi)
        n = len(store)
    with Store(store_path) as store:
        assert len(store) == n
        assert len(stances(store, holder="russia")) == 1


def test_one_directory_opened_twice_in_a_process_shares_one_store(store_path: Path, sochi) -> None:
    with Store(store_path) as first, Store(store_path) as second:
        first.add(sochi)
        assert len(second) == len(first) > 0


def test_read_only_store_reads_and_refuses_writes(store_path: Path, sochi) -> None:
    with Store(store_path) as store:
        store.add(sochi)
        n = len(store)
    with Store(store_path, read_only=True) as ro:
        assert len(ro) == n
        with pytest.raises(StoreError):
            ro.add(sochi)


def test_read_only_store_on_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope", read_only=True)


def test_closed_store_raises(store_path: Path) -> None:
    store = Store(store_path)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        len(store)


def test_graphs_lists_article_graphs_and_registry(loaded: Store, sochi, astana) -> None:
    assert set(loaded.graphs()) == {
        registry_graph(), article_graph_iri(sochi.article.id), article_graph_iri(astana.article.id)
    }


def test_sparql_select_ask_construct_and_bindings(loaded: Store) -> None:
    rows = loaded.sparql(
        "SELECT ?label WHERE { GRAPH graph:registry { actor:RUS rdfs:label ?label } }")
    assert [r["label"].value for r in rows] == ["Russia"]
    assert loaded.sparql("ASK { GRAPH ?g { ?s dip:rejects ?o } }") is True
    triples = loaded.sparql(
        "CONSTRUCT { ?h dip:rejects ?t } WHERE { GRAPH ?g { ?h dip:rejects ?t } }")
    assert len(triples) == 1
    bound = loaded.sparql(
        "SELECT ?a ?label WHERE { GRAPH graph:registry { ?a rdfs:label ?label } }",
        bindings={"label": ox.Literal("Turkey")},
    )
    assert [r["a"].value.rsplit("/", 1)[-1] for r in bound] == ["TUR"]
    with pytest.raises(StoreError):
        loaded.sparql("SELECT nonsense {")


def test_rdflib_dataset_sees_the_same_quads(loaded: Store) -> None:
    ds = loaded.rdflib_dataset()
    assert len(list(ds.quads((None, None, None, None)))) == len(loaded)
    registry = ds.graph(rdflib.URIRef(registry_graph().value))
    label = registry.value(
        rdflib.URIRef("https://w3id.org/diplograph/id/actor/RUS"), rdflib.RDFS.label)
    assert str(label) == "Russia"
