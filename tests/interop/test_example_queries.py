"""The example SPARQL queries in ontology/queries/ give the expected answers on the seed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

import pytest

from diplograph.graph import Store, actors, meetings, stances
from diplograph.graph.endpoint import Endpoint
from diplograph.graph.push import push
from diplograph.graph.queries import run
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Stance,
)

from .conftest import Server

Rows = list[dict[str, str | None]]


def query_text(name: str) -> str:
    return files("diplograph.ontology.queries").joinpath(name).read_text(encoding="utf-8")


def shipped() -> list[str]:
    return sorted(
        p.name for p in files("diplograph.ontology.queries").iterdir() if p.name.endswith(".rq")
    )


def select(source: Store | Endpoint, text: str) -> Rows:
    return [
        {k: (None if v is None else v.value) for k, v in _items(sol, text)}
        for sol in run(source, text)
    ]


def _items(sol, text: str):
    head = text.split("WHERE", 1)[0]
    names = [w[1:].rstrip(")") for w in head.split() if w.startswith("?")]
    for name in dict.fromkeys(names):
        yield name, sol[name]


# ---------------------------------------------------------------- expectations


def check_stances_on_initiative(store: Store, rows: Rows) -> None:
    got = {(r["holder"], r["polarity"]) for r in rows}
    assert got == {(s.holder, s.polarity) for s in stances(store, initiative="sochi")}
    assert ("Syrian opposition", "reject") in got
    assert {("Russia", "support"), ("Iran", "support"), ("Turkey", "support")} <= got
    assert {r["initiative"] for r in rows} == {"Congress of National Dialogue"}
    assert all(r["article"] == "presstv-sochi-rejection" and r["sentence"] for r in rows)


def check_meetings_between(store: Store, rows: Rows) -> None:
    got = {r["meeting"] for r in rows}
    expected = {
        m.name for m in meetings(store)
        if {"Russia", "Turkey"} <= {*m.participants, *m.hosts, *m.mediators}
    }
    assert got == expected
    assert {"Congress of National Dialogue", "eighth round of Astana talks"} <= got


def check_stance_changes(store: Store, rows: Rows) -> None:
    assert rows == []  # one article: nobody changes their mind


def check_widest_support(store: Store, rows: Rows) -> None:
    top = rows[0]
    assert top["initiative"] == "Congress of National Dialogue"
    holders = stances(store, initiative="Congress of National Dialogue")
    assert int(top["supporters"]) == len({s.holder_key for s in holders if s.polarity == "support"})
    assert int(top["rejecters"]) == 1
    counts = [int(r["supporters"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def check_actors_wikidata(store: Store, rows: Rows) -> None:
    got = {r["key"]: r["wikidata"].rsplit("/", 1)[-1] for r in rows}
    assert got == {a.key: a.wikidata for a in actors(store) if a.wikidata}
    assert got["RUS"] == "Q159" and got["TUR"] == "Q43"


def check_graph_sizes(store: Store, rows: Rows) -> None:
    got = {r["graph"]: int(r["triples"]) for r in rows}
    assert sum(got.values()) == len(store)
    assert set(got) == {g.value for g in store.graphs()}


CHECKS: dict[str, Callable[[Store, Rows], None]] = {
    "stances-on-initiative.rq": check_stances_on_initiative,
    "meetings-between.rq": check_meetings_between,
    "stance-changes.rq": check_stance_changes,
    "widest-support.rq": check_widest_support,
    "actors-wikidata.rq": check_actors_wikidata,
    "graph-sizes.rq": check_graph_sizes,
}


def test_every_shipped_query_has_a_check() -> None:
    assert shipped() == sorted(CHECKS)
    for name in shipped():
        assert query_text(name).lstrip().startswith("#"), f"{name}: starts with a comment"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example_query_on_the_seed(seed: Store, name: str) -> None:
    rows = select(seed, query_text(name))
    CHECKS[name](seed, rows)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example_query_gives_the_same_answer_through_oxigraph_server(
    oxigraph_pushed: Server, seed: Store, name: str
) -> None:
    text = query_text(name)
    with Endpoint(oxigraph_pushed.query) as remote:
        assert select(remote, text) == select(seed, text)


@pytest.fixture(scope="module")
def oxigraph_pushed(oxigraph_server: Server, seed_store: Path) -> Server:
    with Store(seed_store, read_only=True) as st:
        assert push(st, oxigraph_server.gsp).ok
    return oxigraph_server


# ---------------------------------------------------------------- a change of mind


def _article(aid: str, day: dt.date, sentence: str, polarity: str) -> ArticleExtraction:
    ev = Evidence(article=aid, sentence=sentence, start=0, end=len(sentence))
    return ArticleExtraction(
        article=Article(aid, sentence, title=aid, published=day),
        actors=(Actor("SYR-OPP", "Syrian opposition", "opposition", country="SYR",
                      sector="OPP", mentions=("The opposition",)),),
        initiatives=(Initiative("sochi-congress", "Congress of National Dialogue", "congress"),),
        stances=(Stance("SYR-OPP", "The opposition", polarity, "sochi-congress",
                        "the Sochi congress", ev, confidence=0.9, rule="test"),),
    )


@pytest.fixture
def changed_mind(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store") as st:
        st.add_many([
            _article("a1", dt.date(2017, 12, 26), "The opposition rejected the Sochi congress.",
                     "reject"),
            _article("a2", dt.date(2018, 1, 20), "The opposition backed the Sochi congress.",
                     "support"),
        ])
        yield st


def test_stance_changes_finds_a_change_of_mind(changed_mind: Store) -> None:
    rows = select(changed_mind, query_text("stance-changes.rq"))
    assert rows == [{
        "holder": "Syrian opposition", "initiative": "Congress of National Dialogue",
        "before": "reject", "beforeDate": "2017-12-26", "beforeArticle": "a1",
        "after": "support", "afterDate": "2018-01-20", "afterArticle": "a2",
    }]
