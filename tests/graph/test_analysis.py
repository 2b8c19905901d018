"""Network analysis: signed stances, alignment, blocs, co-participation, mediators, timeline."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from diplograph.graph import Store, to_networkx
from diplograph.graph.analysis import (
    alignment_graph,
    blocs,
    coparticipation_graph,
    display_labels,
    mediator_centrality,
    parse_date,
    stance_graph,
    stance_matrix,
    timeline,
)
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)

SOCHI = "initiative:congress-of-national-dialogue"


def _article(aid: str, text: str, *, actors: tuple[Actor, ...], stances=(), meetings=(),
             initiatives=(), published: dt.date | None = None) -> ArticleExtraction:
    return ArticleExtraction(
        article=Article(aid, text, title=f"Article {aid}", published=published),
        actors=actors, initiatives=initiatives, meetings=meetings, stances=tuple(stances),
        extractor_version="0.1.0", content_hash=f"sha1:{aid}",
    )


def _evidence(aid: str, text: str) -> Evidence:
    return Evidence(article=aid, sentence=text, start=0, end=len(text))


TURKEY = Actor("TUR", "Turkey", "state", country="TUR", mentions=("Turkey",))
QATAR = Actor("QAT", "Qatar", "state", country="QAT", mentions=("Qatar",))
OPPOSITION = Actor("SYR-OPP", "Syrian opposition", "opposition", country="SYR", sector="OPP")


def turkey_turns(aid: str = "turkey-turns") -> ArticleExtraction:
    """A third source: Turkey rejects the congress, and the opposition too."""
    text = "Turkey and the Syrian opposition rejected the Sochi congress."
    ev = _evidence(aid, text)
    congress = "congress-of-national-dialogue"
    return _article(aid, text, actors=(TURKEY, OPPOSITION), initiatives=(
        Initiative(congress, "Congress of National Dialogue", "congress"),), stances=(
        Stance("TUR", "Turkey", "reject", congress, "the Sochi congress", ev, date="2018-01-20"),
        Stance("SYR-OPP", "the Syrian opposition", "reject", congress, "the Sochi congress", ev,
               date="2018-01-20"),
    ))


def doha_meeting(aid: str = "doha-meeting") -> ArticleExtraction:
    """Turkey meets Qatar: Turkey becomes the bridge between two meeting circles."""
    text = "Turkey and Qatar held talks in Doha on March 3, 2018."
    ev = _evidence(aid, text)
    return _article(aid, text, actors=(TURKEY, QATAR), meetings=(
        Meeting("doha-talks-2018", "Doha talks", "talks in Doha", "talks", "held",
                participants=("QAT", "TUR"), location="Doha", start_date="2018-03-03",
                evidence=(ev,)),))


@pytest.fixture
def graph(loaded: Store) -> nx.MultiDiGraph:
    loaded.add_many([turkey_turns(), doha_meeting()])
    return to_networkx(loaded)


def test_stance_graph_counts_sources_per_polarity(graph: nx.MultiDiGraph) -> None:
    signed = stance_graph(graph)
    russia = signed.edges["actor:RUS", SOCHI]
    # two stances (one conditional) but one source article: one support source
    assert (russia["support"], russia["reject"], russia["sign"]) == (1, 0, 1)
    assert len(russia["evidence"]) == 2
    assert any(e["conditional"] for e in russia["evidence"])
    turkey = signed.edges["actor:TUR", SOCHI]
    assert (turkey["support"], turkey["reject"], turkey["sources"], turkey["sign"]) == (1, 1, 2, 0)
    opposition = signed.edges["actor:SYR-OPP", SOCHI]
    assert (opposition["reject"], opposition["weight"], opposition["sign"]) == (2, -2, -1)
    assert {e["article"] for e in opposition["evidence"]} == {"presstv-sochi-rejection",
                                                              "turkey-turns"}
    assert signed.nodes["actor:RUS"]["label"] == "Russia"
    assert not signed.has_node("actor:QAT")  # no stance, no node


def test_alignment_counts_agreement_and_disagreement(graph: nx.MultiDiGraph) -> None:
    aligned = alignment_graph(stance_graph(graph))
    assert aligned.edges["actor:IRN", "actor:RUS"]["agree"] == 1
    opposed = aligned.edges["actor:RUS", "actor:SYR-OPP"]
    assert (opposed["agree"], opposed["disagree"], opposed["alignment"]) == (0, 1, -1.0)
    assert opposed["initiatives"] == [SOCHI]
    # Turkey's sources balance out: it sides with nobody and against nobody
    assert not aligned.has_edge("actor:TUR", "actor:RUS")
    assert "actor:TUR" in aligned


def test_blocs_separate_supporters_from_rejecters_deterministically(
    graph: nx.MultiDiGraph,
) -> None:
    aligned = alignment_graph(stance_graph(graph))
    found = blocs(aligned, seed=3)
    assert found == blocs(aligned, seed=3)
    assert frozenset({"actor:IRN", "actor:RUS"}) <= found[0]
    bloc_of = {n: i for i, bloc in enumerate(found) for n in bloc}
    assert bloc_of["actor:SYR-OPP"] != bloc_of["actor:RUS"]
    assert set(bloc_of) == set(aligned)


def test_blocs_of_empty_graph() -> None:
    assert blocs(nx.Graph()) == []


def test_coparticipation_links_actors_met_together(graph: nx.MultiDiGraph) -> None:
    co = coparticipation_graph(graph)
    assert co.edges["actor:IRN", "actor:RUS"]["meetings"] == ["initiative:astana-talks-8"]
    assert co.edges["actor:QAT", "actor:TUR"]["weight"] == 1
    assert not co.has_edge("actor:QAT", "actor:RUS")
    assert co.nodes["actor:RUS"]["mediated"] == 1
    assert co.nodes["actor:RUS"]["hosted"] == 1
    assert co.nodes["actor:SYR-GOV"]["attended"] == 1


def test_mediator_centrality_ranks_the_bridge_first(graph: nx.MultiDiGraph) -> None:
    scores = mediator_centrality(coparticipation_graph(graph))
    assert [s.node for s in scores] == ["actor:TUR", "actor:IRN", "actor:RUS"]
    turkey = scores[0]
    assert turkey.betweenness > 0 and turkey.mediated == 1
    assert turkey.degree == pytest.approx(4 / 4)  # linked to all other 4 actors
    assert scores[1].betweenness == 0.0


def test_stance_matrix_puts_the_contested_initiative_first(graph: nx.MultiDiGraph) -> None:
    matrix = stance_matrix(stance_graph(graph))
    assert matrix.initiatives[0] == SOCHI
    assert matrix.initiative_labels[0] == "Congress of National Dialogue"
    row = {a: i for i, a in enumerate(matrix.actors)}
    assert matrix.reject[row["actor:SYR-OPP"]][0] == 2
    assert matrix.support[row["actor:TUR"]][0] == 1 and matrix.reject[row["actor:TUR"]][0] == 1
    assert matrix.net()[row["actor:RUS"]][0] == 1
    small = stance_matrix(stance_graph(graph), max_actors=2, max_initiatives=1)
    assert len(small.actors) == 2 and small.initiatives == (SOCHI,)


def test_timeline_files_rounds_under_their_process(graph: nx.MultiDiGraph) -> None:
    events = timeline(graph)
    assert events == sorted(events, key=lambda e: e.date)
    astana = [e for e in events if e.node == "initiative:astana-talks-8" and e.kind == "meeting"]
    assert [(e.initiative, e.date, e.what) for e in astana] == [
        ("initiative:astana-talks", dt.date(2017, 12, 21), "held")]
    rejects = [(e.label, e.date) for e in events if e.what == "reject"]
    assert ("Syrian opposition", dt.date(2018, 1, 20)) in rejects
    only = timeline(graph, initiatives=[SOCHI])
    assert only and {e.initiative for e in only} == {SOCHI}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("2018-01-30", dt.date(2018, 1, 30), id="day"),
    pytest.param("2018-01", dt.date(2018, 1, 1), id="month"),
    pytest.param("2017", dt.date(2017, 1, 1), id="year"),
    pytest.param("2018-02-31", None, id="impossible"),
    pytest.param("last week", None, id="unresolved"),
    pytest.param(None, None, id="none"),
])
def test_parse_date(text: str | None, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_display_labels_disambiguate_shared_labels() -> None:
    g = nx.Graph()
    g.add_node("a", label="agreement", key="d01:agreement")
    g.add_node("b", label="agreement", key="d02:agreement")
    g.add_node("c", label="Abraham Accords", key="abraham-accords")
    assert display_labels(g, ["a", "b", "c"]) == [
        "agreement (d01:agreement)", "agreement (d02:agreement)", "Abraham Accords"]
