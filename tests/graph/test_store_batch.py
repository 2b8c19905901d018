"""Batched writes: one transaction per batch, written as a difference, same content as
applying the articles one after the other."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox

from diplograph.graph import Store, registry_graph
from diplograph.graph.build import build_article
from diplograph.graph.store import _prune_update
from diplograph.ingest.records import ArticleExtraction


def _reference(initial: set[ox.Quad], exs: list[ArticleExtraction], prune: bool) -> set[ox.Quad]:
    """Each article on its own with pyoxigraph's quad API: drop its graph, delete the
    registry descriptions of the subjects it resets, add its quads; then prune."""
    st = ox.Store()
    st.extend(initial)
    registry = registry_graph()
    for ex in exs:
        graph, quads, reset = build_article(ex)
        if st.contains_named_graph(graph):
            st.remove_graph(graph)
        for s in reset:
            for q in list(st.quads_for_pattern(s, None, None, registry)):
                st.remove(q)
        st.extend(quads)
    if prune:
        st.update(_prune_update())
    return set(st)


def _relabelled(ex: ArticleExtraction, key: str, label: str) -> ArticleExtraction:
    actors = tuple(dataclasses.replace(a, label=label) if a.key == key else a
                   for a in ex.actors)
    return dataclasses.replace(ex, actors=actors, content_hash="sha1:changed")


def test_a_batch_into_an_empty_store_matches_one_by_one(store: Store, sochi, astana) -> None:
    store.add_many([sochi, astana], batch_size=10)
    assert set(store) == _reference(set(), [sochi, astana], prune=False)


def test_a_batch_replacing_articles_matches_one_by_one(
    loaded: Store, make_sochi, make_astana
) -> None:
    before = set(loaded)
    first = _relabelled(make_sochi(extra_stance=True), "RUS", "Russian Federation")
    second = dataclasses.replace(make_sochi(), stances=make_sochi().stances[:1])
    batch = [first, make_astana(status="planned"), second]
    loaded.add_many(batch, batch_size=10)
    expected = _reference(before, batch, prune=True)
    assert set(loaded) == expected
    # the relabelling of the first article was itself replaced by the third's description
    labels = {q.object.value for q in loaded.ox.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, registry_graph())}
    assert "Russian Federation" not in labels


def test_a_changed_registry_description_is_rewritten(loaded: Store, make_sochi) -> None:
    before = set(loaded)
    changed = _relabelled(make_sochi(extra_stance=True), "RUS", "Russian Federation")
    loaded.add_many([changed], batch_size=10)
    after = set(loaded)
    assert after == _reference(before, [changed], prune=True)
    assert any(getattr(q.object, "value", None) == "Russian Federation" for q in after - before)
    assert before - after  # the old label was deleted, not kept beside the new one
