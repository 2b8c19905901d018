"""Behaviour of the ``diplograph`` command line on a store built from the seed article."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "presstv-sochi-rejection.md"
GOLD = REPO / "tests" / "data" / "dev" / "gold.jsonl"

STANCE_KEYS = {
    "article", "holder", "holder_text", "polarity", "conditional", "target", "target_text",
    "sentence", "date", "confidence", "holder_country", "holder_sector",
}
SUPPORTERS = {"SYR-GOV", "RUS", "IRN", "TUR"}


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _ok(runner: CliRunner, *args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def _json(runner: CliRunner, *args: str) -> list[dict]:
    return json.loads(_ok(runner, *args, "--format", "json").stdout)


# --------------------------------------------------------------- stances


def test_stances_json_rows_carry_the_documented_keys(runner, seed_store: Path) -> None:
    rows = _json(runner, "stances", "--store", seed_store)
    assert rows
    for row in rows:
        assert STANCE_KEYS <= set(row), STANCE_KEYS - set(row)
        assert row["polarity"] in {"support", "reject"}
        assert isinstance(row["conditional"], bool)
        assert row["sentence"]


def test_stances_json_holds_the_seed_facts(runner, seed_store: Path) -> None:
    rows = _json(runner, "stances", "--store", seed_store)
    facts = {(r["holder_key"], r["polarity"], r["target_key"]) for r in rows}
    assert ("SYR-OPP", "reject", "sochi-congress") in facts
    for key in SUPPORTERS:
        assert (key, "support", "sochi-congress") in facts, key
    parties = {h for h, p, t in facts if h.startswith("SYR-PTY") and p == "support"
               and t == "sochi-congress"}
    assert len(parties) >= 2, facts
    opp = next(r for r in rows if r["holder_key"] == "SYR-OPP")
    assert (opp["holder_country"], opp["holder_sector"]) == ("SYR", "OPP")
    assert "rejected" in opp["sentence"]


def test_stances_filtered_by_initiative_and_reject_lists_only_the_opposition(
    runner, seed_store: Path
) -> None:
    rows = _json(runner, "stances", "Sochi", "--polarity", "reject", "--store", seed_store)
    holders = {r["holder_key"] for r in rows}
    assert "SYR-OPP" in holders
    assert not holders & SUPPORTERS
    assert not [h for h in holders if h.startswith("SYR-PTY")]
    assert {r["polarity"] for r in rows} == {"reject"}


def test_stances_table_names_the_opposition(runner, seed_store: Path) -> None:
    result = _ok(runner, "stances", "Sochi", "--polarity", "reject", "--store", seed_store)
    assert "opposition" in result.stdout
    assert "Turkey" not in result.stdout


def test_stances_csv_starts_with_a_header(runner, seed_store: Path) -> None:
    out = _ok(runner, "stances", "--store", seed_store, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    assert STANCE_KEYS <= set(rows[0])
    assert out.splitlines()[0].startswith("article,")


def test_bad_polarity_exits_non_zero_with_a_message_on_stderr(runner, seed_store: Path) -> None:
    result = runner.invoke(app, ["stances", "--polarity", "maybe", "--store", str(seed_store)])
    assert result.exit_code != 0
    assert "maybe" in result.stderr
    assert result.stdout == ""


def test_stances_on_a_missing_store_exits_non_zero_naming_it(runner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-store"
    result = runner.invoke(app, ["stances", "--store", str(missing)])
    assert result.exit_code != 0
    assert "no-such-store" in result.stderr
    assert not missing.exists()


# --------------------------------------------------------------- meetings, sparql


def test_meetings_json_has_the_planned_sochi_congress(runner, seed_store: Path) -> None:
    rows = _json(runner, "meetings", "--store", seed_store)
    sochi = [r for r in rows if r["key"] == "sochi-congress"]
    assert len(sochi) == 1, [r["key"] for r in rows]
    m = sochi[0]
    assert (m["status"], m["location"]) == ("planned", "Sochi")
    assert (m["start_date"], m["end_date"]) == ("2018-01-29", "2018-01-30")


def test_sparql_select_over_named_graphs_returns_stances(runner, seed_store: Path) -> None:
    query = "SELECT ?s ?g WHERE { GRAPH ?g { ?s a dip:Stance } }"
    rows = _json(runner, "sparql", query, "--store", seed_store)
    assert len(rows) >= 7
    assert all(r["g"].endswith("presstv-sochi-rejection") for r in rows)


# --------------------------------------------------------------- export, validate


def test_export_turtle_parses_with_rdflib_and_pyoxigraph(
    runner, seed_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kg.ttl"
    result = _ok(runner, "export", "-o", out, "--store", seed_store)
    assert result.stdout == ""
    assert out.is_file()
    g = rdflib.Graph()
    g.parse(out, format="turtle")
    stance = rdflib.URIRef("https://w3id.org/diplograph/ns#Stance")
    assert len(set(g.subjects(rdflib.RDF.type, stance))) >= 7
    g2 = rdflib.Graph()
    g2.parse(out, format="ox-turtle")
    assert len(g2) == len(g)
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(g)


def test_validate_passes_on_the_seed_store(runner, seed_store: Path) -> None:
    result = _ok(runner, "validate", "--store", seed_store)
    assert "conforms" in result.stdout


# --------------------------------------------------------------- ingest


def test_ingesting_the_same_file_twice_skips_it_and_keeps_the_quads(
    runner, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = _ok(runner, "ingest", SEED, "--store", store, "--quiet")
    assert "1 new" in first.stderr
    with Store(store, read_only=True) as st:
        before = len(st)
    assert before > 0
    second = _ok(runner, "ingest", SEED, "--store", store, "--quiet")
    assert "1 skipped" in second.stderr
    assert "0 new" in second.stderr
    with Store(store, read_only=True) as st:
        assert len(st) == before


def test_ingest_with_a_bad_published_date_exits_non_zero(runner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(SEED), "--store", str(tmp_path / "s"),
                                 "--published", "yesterday"])
    assert result.exit_code != 0
    assert "yesterday" in result.stderr


def test_ingest_creates_missing_parent_folders_of_the_store(runner, tmp_path: Path) -> None:
    store = tmp_path / "deep" / "store"
    _ok(runner, "ingest", SEED, "--store", store, "--quiet")
    assert store.is_dir()


# --------------------------------------------------------------- eval


def test_eval_on_two_dev_articles_prints_stance_f1(runner) -> None:
    result = _ok(runner, "eval", GOLD, REPO / "seeds" / "d01.md", REPO / "seeds" / "d02.md")
    assert "stances F1" in result.stdout


def test_eval_scores_only_the_articles_given(runner) -> None:
    gold = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        gold[rec["id"]] = len(rec["stances"])
    report = json.loads(_ok(runner, "eval", GOLD, REPO / "seeds" / "d01.md",
                            REPO / "seeds" / "d02.md", "--format", "json").stdout)
    s = report["stances"]
    assert s["tp"] + s["fn"] == gold["d01"] + gold["d02"]
