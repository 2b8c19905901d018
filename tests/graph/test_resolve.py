"""Cross-article merging of initiatives and organisations named differently."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.api import extract_paths
from diplograph.graph.resolve import Known, Resolver, same_name
from diplograph.graph.store import Store
from diplograph.ingest.records import ArticleExtraction

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Syrian National Dialogue Congress", "Congress of National Dialogue"),
        ("the Joint Comprehensive Plan of Action", "Joint Comprehensive Plan of Action"),
        ("Paris climate agreement", "the Paris Agreement"),
    ],
)
def test_same_name_accepts_variants_of_one_name(a: str, b: str) -> None:
    assert same_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Minsk II agreement", "Minsk agreement"),
        ("eighth round of Astana talks", "ninth round of Astana talks"),
        ("Iran nuclear deal of 2015", "Iran nuclear deal of 2022"),
        ("a brief joint statement", "the joint statement"),  # descriptions, not names
        ("Istanbul agreement", "Singapore declaration"),
    ],
)
def test_same_name_rejects_different_things(a: str, b: str) -> None:
    assert not same_name(a, b)


@pytest.fixture(scope="module")
def sochi_articles() -> list[ArticleExtraction]:
    paths = [SEEDS / "d01.md", SEEDS / "d02.md", SEEDS / "presstv-sochi-rejection.md"]
    out = [e for e in extract_paths(paths) if isinstance(e, ArticleExtraction)]
    assert len(out) == 3
    return out


def _sochi_key(ex: ArticleExtraction) -> str:
    return next(i.key for i in ex.initiatives if "congress" in i.kind and "Dialogue" in (
        i.label + " ".join(i.aliases)))


def test_the_sochi_congress_is_one_node_across_articles(sochi_articles) -> None:
    keys_before = {_sochi_key(ex) for ex in sochi_articles}
    assert len(keys_before) > 1, "the articles name the congress differently"
    resolved = list(Resolver().resolve_all(sochi_articles))
    assert len({_sochi_key(ex) for ex in resolved}) == 1
    # stances and meetings follow their initiative
    key = _sochi_key(resolved[0])
    seed = resolved[2]
    assert any(s.target == key and s.holder == "SYR-OPP" and s.polarity == "reject"
               for s in seed.stances)


def test_resolver_reads_known_names_from_the_store(tmp_path, sochi_articles) -> None:
    with Store(tmp_path / "store") as store:
        store.add(sochi_articles[0])
        resolver = Resolver.from_store(store)
        assert len(resolver) > 0
        seed = resolver.resolve(sochi_articles[2])
    assert _sochi_key(seed) == _sochi_key(sochi_articles[0])


def test_the_store_index_holds_canonical_labels_and_every_alternative_label(
    tmp_path, sochi_articles
) -> None:
    ex = sochi_articles[0]
    with Store(tmp_path / "store") as store:
        store.add(ex)
        known = Resolver.from_store(store)._known
    for ini in ex.initiatives:
        if ":" in ini.key:
            continue  # article-local: not indexed by key
        names = known[ini.key].names
        assert ini.label in names
        assert set(ini.aliases) <= set(names)


def test_unrelated_and_article_local_initiatives_stay_apart() -> None:
    resolver = Resolver([Known("istanbul-agreement", "initiative", ["Istanbul agreement"])])
    assert resolver.match("singapore-declaration", "initiative", ["Singapore declaration"]) is None
    assert resolver.match("d07:agreement", "initiative", ["Istanbul agreement"]) is None
    # a meeting never merges with a document of the same name
    assert resolver.match("istanbul-talks", "meeting", ["Istanbul agreement"]) is None


def test_ingest_merges_the_congress_across_articles_in_the_store(tmp_path) -> None:
    from diplograph.api import ingest
    from diplograph.graph.queries import stances

    paths = [SEEDS / "d01.md", SEEDS / "d02.md", SEEDS / "presstv-sochi-rejection.md"]
    with Store(tmp_path / "store") as store:
        summary = ingest(paths, store)
        assert summary.new == 3
        rows = stances(store, initiative="Dialogue")
    assert {r.article for r in rows} == {"d01", "d02", "presstv-sochi-rejection"}
    assert len({r.target_key for r in rows}) == 1
