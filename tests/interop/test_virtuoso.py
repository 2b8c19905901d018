"""A second real store: Debian's Virtuoso 7, pushed to with Digest authentication."""

from __future__ import annotations

import pytest

from diplograph.graph import Store, actors, meetings, stances
from diplograph.graph.endpoint import PASSWORD_ENV, USER_ENV, Endpoint
from diplograph.graph.export import plover_records
from diplograph.graph.push import push

from .conftest import Server


def local_sizes(store: Store) -> dict[str, int]:
    rows = store.sparql("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows}


@pytest.fixture
def dba(virtuoso: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Virtuoso with the dba credentials in the environment, as a user would set them."""
    monkeypatch.setenv(USER_ENV, virtuoso.user or "")
    monkeypatch.setenv(PASSWORD_ENV, virtuoso.password or "")
    return virtuoso


def test_push_to_virtuoso_with_digest_auth_is_idempotent(dba: Server, seed: Store) -> None:
    report = push(seed, dba.gsp)
    assert report.ok, report.failures
    assert report.graphs == 2
    expected = local_sizes(seed)
    assert dba.graph_sizes() == expected
    assert push(seed, dba.gsp, batch_size=100).ok  # PUT then POSTs: same graphs again
    assert dba.graph_sizes() == expected


def test_virtuoso_answers_the_same_rows_as_the_embedded_store(dba: Server, seed: Store) -> None:
    assert push(seed, dba.gsp).ok
    with Endpoint(dba.query) as remote:
        assert stances(remote) == stances(seed)
        assert stances(remote, holder="opposition") == stances(seed, holder="opposition")
        assert meetings(remote) == meetings(seed)
        assert meetings(remote, actor="iran") == meetings(seed, actor="iran")
        assert actors(remote) == actors(seed)
        assert plover_records(remote) == plover_records(seed)


def test_virtuoso_refuses_a_push_without_credentials(
    virtuoso: Server, seed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent")
    report = push(seed, virtuoso.gsp, sleep=lambda s: None)
    assert not report.ok
    assert report.failures[0].status == 401
    assert report.skipped


def test_virtuoso_refuses_a_wrong_password(
    virtuoso: Server, seed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    report = push(seed, virtuoso.gsp, sleep=lambda s: None)
    assert [f.status for f in report.failures] == [401]
    assert all("not-the-password" not in f.reason for f in report.failures)
