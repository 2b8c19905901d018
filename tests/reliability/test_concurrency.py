"""Concurrency: one writer per store, refused cleanly; readers keep working during an ingest."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.errors import StoreError
from diplograph.graph.store import Store

# A second process that opens the store for writing, adds one article, and holds the
# store until its standard input closes.
_HOLDER = """
import sys
from diplograph.graph.store import Store
from diplograph.ingest.records import Article, ArticleExtraction
with Store(sys.argv[1]) as store:
    store.add(ArticleExtraction(
        article=Article("held", "Iran backed the Astana talks."),
        extractor_version="test", content_hash="held",
    ))
    print("holding", flush=True)
    sys.stdin.read()
print("released", flush=True)
"""


@pytest.fixture
def held_store(tmp_path: Path):
    """A store directory held open for writing by another process (released on exit)."""
    path = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    yield path, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _release(proc: subprocess.Popen[str]) -> None:
    out, _ = proc.communicate(input="", timeout=60)
    assert proc.returncode == 0 and "released" in out


def test_second_writer_gets_a_clear_in_use_error_at_once(held_store) -> None:
    path, proc = held_store
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"store '.*store' is in use by another process"):
        Store(path)
    assert time.monotonic() - started < 5  # refused, not waiting for the lock
    # a reader is not refused, and sees what the writer committed
    with Store(path, read_only=True) as reader:
        assert reader.article_ids() == ["held"]
    _release(proc)
    with Store(path) as store:  # the writer is gone: writable again, nothing lost
        assert store.article_ids() == ["held"]


def test_second_ingest_exits_non_zero_with_the_message_and_changes_nothing(
    held_store, bad_corpus: Path, cli_run
) -> None:
    path, proc = held_store
    result = cli_run("ingest", str(bad_corpus / "good.md"), "--store", str(path), "--quiet",
                     timeout=120)
    assert result.returncode == 1
    assert "is in use by another process" in result.stderr
    assert "Traceback" not in result.stderr
    _release(proc)
    with Store(path, read_only=True) as store:
        assert store.article_ids() == ["held"]
    # the store is intact: the refused ingest can now run and the result validates
    again = cli_run("ingest", str(bad_corpus / "good.md"), "--store", str(path), "--quiet")
    assert again.returncode == 0, again.stderr
    checked = cli_run("validate", "--store", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with Store(path, read_only=True) as store:
        assert store.article_ids() == ["bad-corpus-good", "held"]


def test_readers_work_while_an_ingest_runs(
    corpus, tmp_path: Path, cli_start, count_stored, poll
) -> None:
    folder, all_ids = corpus
    store_dir = tmp_path / "store"
    proc = cli_start("ingest", str(folder), "--store", str(store_dir), "--quiet")
    runner = CliRunner()
    try:
        assert poll(lambda: count_stored(store_dir) > 0, timeout=420, proc=proc)
        assert proc.poll() is None, "the ingest finished before the readers ran"
        store = str(store_dir)

        stances = runner.invoke(app, ["stances", "--store", store, "--format", "json"])
        assert stances.exit_code == 0, stances.output
        assert len(json.loads(stances.stdout)) > 0

        meetings = runner.invoke(app, ["meetings", "--store", store, "--format", "json"])
        assert meetings.exit_code == 0, meetings.output

        actors = runner.invoke(app, ["actors", "--store", store, "--format", "csv"])
        assert actors.exit_code == 0 and "Russia" in actors.stdout

        exported = runner.invoke(app, ["export", "--store", store, "--format", "nquads"])
        assert exported.exit_code == 0, exported.output
        quads = list(ox.parse(exported.stdout.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
        assert len(quads) > 0

        assert _served_stances(cli_start, store) > 0

        still_running = proc.poll() is None
    finally:
        out, errors = proc.communicate(timeout=900)
    assert still_running, "the ingest ended while the readers ran: nothing was concurrent"
    assert proc.returncode == 0, errors
    assert f"{len(all_ids)} new" in errors
    with Store(store_dir, read_only=True) as final:
        assert final.article_ids() == all_ids


_STANCE_COUNT = (
    "PREFIX dip: <https://w3id.org/diplograph/ns#> "
    "SELECT (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a dip:Stance } }"
)


def _served_stances(cli_start, store: str) -> int:
    """Start ``diplograph serve`` on the store, count stances over HTTP, stop it."""
    server = cli_start("serve", "--store", store, "--port", "0")
    try:
        assert server.stderr is not None
        url = None
        for _ in range(20):
            line = server.stderr.readline()
            found = re.search(r"(http://127\.0\.0\.1:\d+/query)", line)
            if found:
                url = found.group(1)
                break
            if not line:
                break
        assert url, "diplograph serve printed no endpoint URL"
        query = urllib.parse.urlencode({"query": _STANCE_COUNT})
        request = urllib.request.Request(f"{url}?{query}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            assert response.status == 200
            rows = response.read().decode("utf-8").split()
        return int(rows[1])
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
