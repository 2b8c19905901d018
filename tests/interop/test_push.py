"""Push to a real Oxigraph server through the Graph Store Protocol, then query it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph import Store, actors, meetings, stances
from diplograph.graph.endpoint import Endpoint, EndpointError
from diplograph.graph.push import push

from .conftest import Server, free_port


def local_sizes(store: Store) -> dict[str, int]:
    rows = store.sparql("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows}


def test_push_sends_every_graph_and_pushing_twice_changes_nothing(
    oxigraph: Server, seed: Store
) -> None:
    expected = local_sizes(seed)
    assert len(expected) == 2  # the article graph and the registry

    report = push(seed, oxigraph.gsp)
    assert report.ok, report.failures
    assert report.graphs == 2
    assert report.triples == len(seed)
    assert oxigraph.graph_sizes() == expected

    again = push(seed, oxigraph.gsp)
    assert again.ok
    assert oxigraph.graph_sizes() == expected
    assert sum(oxigraph.graph_sizes().values()) == len(seed)


def test_pushed_store_answers_the_same_rows_through_the_endpoint(
    oxigraph: Server, seed: Store
) -> None:
    assert push(seed, oxigraph.gsp).ok
    with Endpoint(oxigraph.query) as remote:
        assert stances(remote) == stances(seed)
        assert stances(remote, initiative="sochi", polarity="reject") == stances(
            seed, initiative="sochi", polarity="reject"
        )
        assert meetings(remote) == meetings(seed)
        assert meetings(remote, actor="turkey") == meetings(seed, actor="turkey")
        assert actors(remote) == actors(seed)
    assert any(r.polarity == "reject" and r.holder_key == "SYR-OPP" for r in stances(seed))


def test_push_splits_large_graphs_into_batches(oxigraph: Server, seed: Store) -> None:
    report = push(seed, oxigraph.gsp, batch_size=40)
    assert report.ok, report.failures
    sizes = local_sizes(seed)
    # one PUT and then POSTs of at most 40 triples per graph
    assert report.requests == sum(-(-n // 40) for n in sizes.values())
    assert oxigraph.graph_sizes() == sizes
    assert push(seed, oxigraph.gsp, batch_size=40).ok
    assert oxigraph.graph_sizes() == sizes


def test_push_retries_server_errors_with_backoff(oxigraph: Server, seed: Store, front) -> None:
    flaky = front(oxigraph.gsp, status=503, fail=2)
    pauses: list[float] = []
    report = push(seed, flaky.url, backoff=0.25, sleep=pauses.append)
    assert report.ok, report.failures
    assert pauses == [0.25, 0.5]
    assert [method for method, _ in flaky.seen] == ["PUT"] * 4
    assert oxigraph.graph_sizes() == local_sizes(seed)


def test_push_reports_graphs_that_keep_failing(seed: Store, front) -> None:
    broken = front(None, status=500)
    pauses: list[float] = []
    report = push(seed, broken.url, retries=2, backoff=0.1, sleep=pauses.append)
    assert not report.ok
    assert report.graphs == 0
    assert [f.graph for f in report.failures] == [g.value for g in seed.graphs()]
    assert all(f.status == 500 and f.attempts == 3 for f in report.failures)
    assert "500" in report.failures[0].reason
    assert pauses == [0.1, 0.2] * 2


def test_push_does_not_retry_client_errors(seed: Store, front) -> None:
    picky = front(None, status=415)
    report = push(seed, picky.url, sleep=lambda s: None)
    assert [f.attempts for f in report.failures] == [1, 1]
    assert len(picky.seen) == 2


def test_push_stops_after_an_authentication_failure(seed: Store, front) -> None:
    locked = front(None, status=401, headers={"WWW-Authenticate": 'Basic realm="x"'})
    report = push(seed, locked.url, sleep=lambda s: None)
    assert [f.status for f in report.failures] == [401]
    assert report.skipped == [seed.graphs()[1].value]
    assert len(locked.seen) == 1  # no credentials configured: nothing to answer with


def test_push_to_a_closed_port_reports_the_connection_failure(seed: Store) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    pauses: list[float] = []
    report = push(seed, url, retries=1, backoff=0.01, sleep=pauses.append)
    assert not report.ok
    assert {(f.status, f.reason, f.attempts) for f in report.failures} == {
        (None, "connection failed", 2)
    }
    assert pauses == [0.01, 0.01]


@pytest.mark.parametrize("url", [
    pytest.param("http://bob:hunter22@127.0.0.1:1/store", id="userinfo"),
    pytest.param("ftp://127.0.0.1/store", id="scheme"),
])
def test_push_refuses_bad_urls(seed: Store, url: str) -> None:
    with pytest.raises(EndpointError) as info:
        push(seed, url)
    assert "hunter22" not in str(info.value)


def test_cli_push_then_query_with_endpoint(oxigraph: Server, seed_store: Path) -> None:
    runner = CliRunner()
    pushed = runner.invoke(app, ["push", oxigraph.gsp, "--store", str(seed_store)])
    assert pushed.exit_code == 0, pushed.output
    assert "pushed 2 graph(s)" in pushed.output
    local = runner.invoke(app, ["stances", "sochi", "--store", str(seed_store), "-f", "json"])
    remote = runner.invoke(app, ["stances", "sochi", "--endpoint", oxigraph.query, "-f", "json"])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    for command in (["meetings"], ["actors"]):
        here = runner.invoke(app, [*command, "--store", str(seed_store), "-f", "json"])
        there = runner.invoke(app, [*command, "--endpoint", oxigraph.query, "-f", "json"])
        assert there.exit_code == 0, there.output
        assert there.stdout == here.stdout


def test_cli_push_failure_exits_non_zero(seed_store: Path, front) -> None:
    broken = front(None, status=400)
    result = CliRunner().invoke(app, ["push", broken.url, "--store", str(seed_store)])
    assert result.exit_code == 1
    assert "failed:" in result.output and "400" in result.output


def test_endpoint_errors_name_the_status(oxigraph: Server) -> None:
    with Endpoint(oxigraph.query) as remote, pytest.raises(EndpointError, match="400"):
        remote.query("SELEC nothing")


@pytest.mark.parametrize("needle", [
    pytest.param('x")) || true || ((STR("', id="close-literal"),
    pytest.param('sochi" } } UNION { GRAPH ?z { ?s ?p ?o } } #', id="close-group"),
    pytest.param("x\\\" ) ) }\n#", id="escapes-newline"),
    pytest.param("'''\"\"\" ?g <urn:x> \u0000", id="quotes-nul"),
])
def test_bound_values_stay_values_over_http(oxigraph: Server, seed: Store, needle: str) -> None:
    assert push(seed, oxigraph.gsp).ok
    with Endpoint(oxigraph.query) as remote:
        assert stances(remote, initiative=needle) == stances(seed, initiative=needle) == []
        assert stances(remote, holder=needle) == []
        assert meetings(remote, actor=needle) == meetings(seed, actor=needle) == []
    # the same kind of value, harmless, does match: the filter itself works remotely
    with Endpoint(oxigraph.query) as remote:
        assert stances(remote, initiative='Congress of National') != []
