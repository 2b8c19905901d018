"""The networkx view: actors, initiatives, meetings and their edges."""

from __future__ import annotations

import networkx as nx

from diplograph.graph import Store, to_networkx


def _edges(graph: nx.MultiDiGraph, relation: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, r in graph.edges(data="relation") if r == relation}


def test_nodes_have_kind_and_label(loaded: Store) -> None:
    graph = to_networkx(loaded)
    rus = graph.nodes["actor:RUS"]
    assert (rus["kind"], rus["label"], rus["country"]) == ("actor", "Russia", "RUS")
    assert graph.nodes["initiative:astana-talks-8"]["kind"] == "meeting"
    process = graph.nodes["initiative:astana-talks"]
    assert (process["kind"], process["label"]) == ("initiative", "Astana talks")
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"actor", "initiative", "meeting"}


def test_stance_edges_carry_polarity_and_evidence(loaded: Store) -> None:
    graph = to_networkx(loaded)
    sochi = "initiative:congress-of-national-dialogue"
    assert _edges(graph, "rejects") == {("actor:SYR-OPP", sochi)}
    assert _edges(graph, "supports") == {
        ("actor:RUS", sochi), ("actor:IRN", sochi), ("actor:TUR", sochi),
        ("actor:SYR-GOV", "initiative:astana-talks-8"),
    }
    [data] = [d for _, _, d in graph.edges("actor:SYR-OPP", data=True)]
    assert data["polarity"] == "reject"
    assert data["article"] == "presstv-sochi-rejection"
    assert data["sentence"].startswith("Syrian opposition groups")
    assert data["conditional"] is False
    russia = [d["conditional"] for _, v, d in graph.edges("actor:RUS", data=True) if v == sochi]
    assert sorted(russia) == [False, True]


def test_meeting_role_and_part_of_edges(loaded: Store) -> None:
    graph = to_networkx(loaded)
    m = "initiative:astana-talks-8"
    assert _edges(graph, "mediator") == {(m, "actor:IRN"), (m, "actor:RUS"), (m, "actor:TUR")}
    assert _edges(graph, "participant") == {(m, "actor:SYR-GOV")}
    assert _edges(graph, "host") == {("initiative:congress-of-national-dialogue", "actor:RUS")}
    assert _edges(graph, "part_of") == {(m, "initiative:astana-talks")}


def test_empty_store_gives_empty_graph(store: Store) -> None:
    assert to_networkx(store).number_of_nodes() == 0
