"""The notebook API: ``diplograph.open`` → pandas tables, networkx graphs, pictures, widget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import diplograph
from diplograph.errors import DiplographError, StoreError
from diplograph.graph.queries import meetings, stances
from diplograph.graph.store import Store

pd = pytest.importorskip("pandas", reason="the notebook API needs the notebook extra")

STANCE_COLUMNS = ["article", "holder", "holder_text", "polarity", "conditional", "target",
                  "target_text", "sentence", "date", "confidence"]
MEETING_COLUMNS = ["article", "name", "text", "type", "participants", "hosts", "mediators",
                   "location", "start_date", "end_date", "round", "status", "sentence"]
SEED = Path(__file__).resolve().parents[1] / "seeds" / "presstv-sochi-rejection.md"


@pytest.fixture
def kg(seed_store: Path) -> Iterator[diplograph.notebook.KnowledgeGraph]:
    with diplograph.open(seed_store, read_only=True) as graph:
        yield graph


def test_open_returns_a_knowledge_graph(kg) -> None:
    from diplograph.notebook import KnowledgeGraph

    assert isinstance(kg, KnowledgeGraph)
    assert "1 articles" in repr(kg)


def test_stances_frame_matches_the_query_rows(kg, seed_store: Path) -> None:
    frame = kg.stances(initiative="Sochi")
    assert list(frame.columns[: len(STANCE_COLUMNS)]) == STANCE_COLUMNS
    with Store(seed_store, read_only=True) as st:
        rows = stances(st, initiative="Sochi")
    assert len(frame) == len(rows) > 0
    assert list(frame["holder"]) == [r.holder for r in rows]
    rejecters = kg.stances(initiative="Sochi", polarity="reject")
    assert set(rejecters["polarity"]) == {"reject"}
    assert "Syrian opposition" in set(rejecters["holder"])
    supporters = set(kg.stances(initiative="sochi", polarity="support")["holder"])
    assert {"Russia", "Iran", "Turkey"} <= supporters
    assert kg.stances(holder="Russia")["holder"].eq("Russia").all()


def test_empty_results_keep_their_columns(kg) -> None:
    empty = kg.stances(initiative="no such initiative anywhere")
    assert empty.empty and list(empty.columns[:10]) == STANCE_COLUMNS
    assert list(kg.meetings(actor="nobody at all").columns[:13]) == MEETING_COLUMNS


def test_bad_polarity_is_an_error(kg) -> None:
    with pytest.raises(DiplographError, match="polarity"):
        kg.stances(polarity="maybe")


def test_meetings_and_actors_frames(kg, seed_store: Path) -> None:
    frame = kg.meetings(actor="Russia")
    with Store(seed_store, read_only=True) as st:
        expected = meetings(st, actor="Russia")
    assert list(frame.columns[:13]) == MEETING_COLUMNS
    assert list(frame["name"]) == [m.name for m in expected]
    assert all("Russia" in set(p) | set(h) | set(m)
               for p, h, m in zip(frame["participants"], frame["hosts"], frame["mediators"],
                                  strict=True))
    actors = kg.actors()
    russia = actors.set_index("key").loc["RUS"]
    assert (russia["label"], russia["wikidata"]) == ("Russia", "Q159")


def test_sparql_select_ask_and_construct(kg) -> None:
    frame = kg.sparql(
        "SELECT ?holder (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a dip:Stance ; dip:holder ?holder "
        "} } GROUP BY ?holder ORDER BY DESC(?n)"
    )
    assert list(frame.columns) == ["holder", "n"]
    assert frame["n"].sum() == len(kg.stances())
    assert all(isinstance(n, int) for n in frame["n"])
    assert kg.sparql("ASK { GRAPH ?g { ?s a dip:Stance } }") is True
    empty = kg.sparql("SELECT ?x ?y WHERE { GRAPH ?g { ?x a dip:NoSuchThing ; ?y ?z } }")
    assert empty.empty and list(empty.columns) == ["x", "y"]
    triples = kg.sparql("CONSTRUCT { ?s a dip:Stance } WHERE { GRAPH ?g { ?s a dip:Stance } }")
    assert list(triples.columns) == ["subject", "predicate", "object"]
    assert len(triples) == len(kg.stances())
    with pytest.raises(StoreError):
        kg.sparql("SELECT nonsense")


def test_to_networkx_kinds(kg) -> None:
    signed = kg.to_networkx("stance")
    assert isinstance(signed, nx.DiGraph)
    sochi = [v for v in signed if signed.nodes[v].get("label") == "Congress of National Dialogue"]
    [target] = sochi
    signs = {signed.nodes[u]["label"]: d["sign"] for u, _, d in signed.in_edges(target, data=True)}
    assert signs["Russia"] == 1 and signs["Syrian opposition"] == -1
    met = kg.to_networkx("meeting")
    assert met.has_edge("actor:IRN", "actor:RUS")
    assert isinstance(kg.to_networkx("full"), nx.MultiDiGraph)
    with pytest.raises(DiplographError, match="kind"):
        kg.to_networkx("pie")  # type: ignore[arg-type]


def test_stance_matrix_blocs_and_mediators(kg) -> None:
    matrix = kg.stance_matrix()
    column = matrix["Congress of National Dialogue"]
    assert column["Russia"] == 1 and column["Syrian opposition"] == -1
    blocs = kg.blocs()
    bloc = dict(zip(blocs["actor"], blocs["bloc"], strict=True))
    assert bloc["Russia"] == bloc["Iran"] == bloc["Turkey"] != bloc["Syrian opposition"]
    mediators = kg.mediators()
    assert {"Iran", "Russia", "Turkey"} <= set(mediators["actor"])
    assert kg.alignment()["alignment"].between(-1, 1).all()
    assert not kg.timeline().empty


def test_plots_and_widget(kg, tmp_path: Path) -> None:
    fig = kg.plot_stance_matrix()
    assert fig.axes and fig.axes[0].get_title() == "Who supports or rejects what"
    assert kg.plot_timeline(initiative="Sochi").axes
    assert kg.plot_stance_network(initiative="Sochi").axes
    with pytest.raises(DiplographError, match="no initiative"):
        kg.plot_timeline(initiative="Atlantis accord")
    ipysigma = pytest.importorskip("ipysigma")
    widget = kg.widget(initiative="Sochi")
    assert isinstance(widget, ipysigma.Sigma)
    page = kg.viz(tmp_path / "g.html", initiative="Sochi")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_ingest_then_query_a_fresh_store(tmp_path: Path) -> None:
    with diplograph.open(tmp_path / "store") as kg:
        summary = kg.ingest(SEED)
        assert (summary.new, summary.failed) == (1, 0)
        assert kg.ingest([SEED]).skipped == 1
        assert "Syrian opposition" in set(kg.stances(polarity="reject")["holder"])
        text = kg.export("nquads")
        assert text is not None and "presstv-sochi-rejection" in text


def test_figures_display_as_png_in_ipython(kg) -> None:
    interactive = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactive.InteractiveShell.instance()
    data, _ = shell.display_formatter.format(kg.plot_stance_matrix())
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
