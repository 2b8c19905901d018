"""``diplograph serve`` answers SPARQL from curl; ``--endpoint`` gives the embedded rows."""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph import Store, stances
from diplograph.graph.serve import EXAMPLE_QUERY

from .conftest import free_port, start, stop, wait_until

CURL = shutil.which("curl")


@pytest.fixture(scope="module")
def served(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``diplograph serve`` process on a free port; yields its query URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    binary = str(Path(sys.executable).with_name("diplograph"))
    proc = start([binary, "serve", "--store", str(seed_store), "--port", str(port)], log)
    url = f"http://127.0.0.1:{port}/query"
    wait_until(
        lambda: requests.get(url, params={"query": "ASK {}"}, timeout=2).ok,
        proc, log, 60, "diplograph serve",
    )
    try:
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=20) == 0, log.read_text()
        finally:
            stop(proc)
        text = log.read_text()
        assert f"SPARQL endpoint (read-only) at {url}" in text
        assert "curl" in text and "dip:Stance" in text


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    if CURL is None:
        pytest.skip("curl not installed")
    return subprocess.run(
        [CURL, "--silent", "--show-error", "--write-out", "\n%{http_code}", *args],
        capture_output=True, text=True, timeout=60, check=True,
    )


def split(done: subprocess.CompletedProcess[str]) -> tuple[str, int]:
    body, _, code = done.stdout.rpartition("\n")
    return body, int(code)


def expected_holders(store: Store) -> set[tuple[str, str]]:
    return {(s.holder, s.polarity) for s in stances(store)}


def test_serve_answers_curl_with_json(served: str, seed: Store) -> None:
    body, code = split(curl(
        "-H", "Accept: application/sparql-results+json",
        "--data-urlencode", f"query={EXAMPLE_QUERY}", served,
    ))
    assert code == 200
    bindings = json.loads(body)["results"]["bindings"]
    got = {(b["holder"]["value"], b["polarity"]["value"].rsplit("/", 1)[-1]) for b in bindings}
    assert got and got <= expected_holders(seed)


def test_serve_answers_curl_get_with_csv(served: str, seed: Store) -> None:
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a dip:Stance } }"  # prefixes predeclared
    )
    body, code = split(curl("-G", "-H", "Accept: text/csv", "--data-urlencode",
                            f"query={query}", served))
    assert code == 200
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows == [{"n": str(len(seed.sparql(
        "SELECT ?s WHERE { GRAPH ?g { ?s a dip:Stance } }")))}]


def test_serve_answers_xml_and_ask(served: str) -> None:
    body, code = split(curl("-H", "Accept: application/sparql-results+xml",
                            "--data-urlencode", "query=ASK { GRAPH ?g { ?s a dip:Stance } }",
                            served))
    assert code == 200
    assert "<boolean>true</boolean>" in body


def test_serve_is_read_only(served: str, seed: Store) -> None:
    before = len(seed)
    body, code = split(curl("--data-urlencode", "update=DROP ALL", served))
    assert code == 403
    body, code = split(curl("-H", "Content-Type: application/sparql-update",
                            "--data-binary", "DROP ALL", served))
    assert code == 403
    body, code = split(curl("--data-urlencode", "query=SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
                            served))
    assert code == 200 and len(json.loads(body)["results"]["bindings"]) == before


def test_serve_rejects_a_bad_query_with_400(served: str) -> None:
    body, code = split(curl("--data-urlencode", "query=SELECT WHERE", served))
    assert code == 400
    assert "query rejected" in body


@pytest.mark.parametrize("command", [
    pytest.param(["stances"], id="stances"),
    pytest.param(["stances", "sochi", "--polarity", "support"], id="stances-filtered"),
    pytest.param(["meetings"], id="meetings"),
    pytest.param(["meetings", "--actor", "russia"], id="meetings-actor"),
    pytest.param(["actors"], id="actors"),
    pytest.param(["export", "-f", "plover"], id="plover"),
    pytest.param(["export", "-f", "edges-csv"], id="edges-csv"),
])
def test_endpoint_option_gives_the_embedded_rows(
    served: str, seed_store: Path, command: list[str]
) -> None:
    runner = CliRunner()
    fmt = [] if command[0] == "export" else ["-f", "json"]
    here = runner.invoke(app, [*command, *fmt, "--store", str(seed_store)])
    there = runner.invoke(app, [*command, *fmt, "--endpoint", served])
    assert here.exit_code == 0, here.output
    assert there.exit_code == 0, there.output
    assert there.stdout == here.stdout
    assert len(there.stdout) > 100


def test_actors_json_shows_wikidata_qids(seed_store: Path) -> None:
    result = CliRunner().invoke(app, ["actors", "--store", str(seed_store), "-f", "json"])
    rows = {r["key"]: r for r in json.loads(result.stdout)}
    assert rows["RUS"]["wikidata"] == "Q159"
    assert rows["UN"]["wikidata"] == "Q1065"


def test_endpoint_option_refuses_rdf_exports(served: str) -> None:
    result = CliRunner().invoke(app, ["export", "-f", "turtle", "--endpoint", served])
    assert result.exit_code == 1
    assert "plover or edges-csv" in result.output


def test_endpoint_failure_is_an_error_message(seed_store: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(app, ["stances", "--endpoint", url])
    assert result.exit_code == 1
    assert "error:" in result.output and "ConnectionError" in result.output
