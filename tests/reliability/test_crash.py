"""Crash safety: SIGKILL during ``diplograph ingest`` leaves only complete articles behind."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from diplograph.errors import StoreError
from diplograph.graph.iris import article_graph_iri, registry_graph
from diplograph.graph.store import Store
from diplograph.ingest.records import Article, ArticleExtraction, Evidence, Stance
from diplograph.ontology.namespace import PREFIXES

_REGISTRY_ARTICLES = f"""
PREFIX schema: <{PREFIXES["schema"]}> PREFIX dip: <{PREFIXES["dip"]}>
SELECT ?a ?id ?hash ?version WHERE {{
  GRAPH {registry_graph()} {{
    ?a a schema:NewsArticle ; schema:identifier ?id .
    OPTIONAL {{ ?a dip:contentHash ?hash }} OPTIONAL {{ ?a dip:extractorVersion ?version }}
  }}
}}"""


def _graph_sizes(store: Store) -> dict[str, int]:
    """Quads per article graph, keyed by graph IRI (the registry left out)."""
    sizes: dict[str, int] = defaultdict(int)
    registry = registry_graph()
    for quad in store.ox:
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name != registry:
            sizes[quad.graph_name.value] += 1
    return dict(sizes)


def _check_complete(store: Store) -> tuple[list[str], dict[str, int]]:
    """Assert every article graph has one full registry entry and vice versa.

    Returns:
        The stored article ids and the quad count of each article's graph, by id.
    """
    rows = list(store.ox.query(_REGISTRY_ARTICLES, use_default_graph_as_union=False))
    ids = [row["id"].value for row in rows]
    assert len(ids) == len(set(ids)), "an article is registered twice"
    for row in rows:
        assert row["hash"] is not None and row["version"] is not None, row["id"]
    sizes = _graph_sizes(store)
    expected = {article_graph_iri(ident).value: ident for ident in ids}
    assert set(sizes) == set(expected), (
        f"graphs without registry entry: {sorted(set(sizes) - set(expected))[:5]}; "
        f"registry entries without graph: {sorted(set(expected) - set(sizes))[:5]}"
    )
    return sorted(ids), {expected[iri]: n for iri, n in sizes.items()}


def _seed_of(article_id: str) -> str:
    return re.sub(r"-c\d+$", "", article_id)


def test_sigkill_leaves_only_complete_articles(
    corpus, tmp_path: Path, cli_start, cli_run, count_stored, poll
) -> None:
    folder, all_ids = corpus
    store_dir = tmp_path / "store"
    args = ("ingest", str(folder), "--store", str(store_dir), "--quiet")
    proc = cli_start(*args)
    try:
        started = poll(lambda: count_stored(store_dir) > 0, timeout=420, proc=proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
    assert started, "the ingest stored nothing before it ended"
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"

    # the killed writer's lock is gone: the store opens for writing and is consistent
    with Store(store_dir) as store:
        partial_ids, partial_sizes = _check_complete(store)
    assert 0 < len(partial_ids) < len(all_ids)
    assert set(partial_ids) <= set(all_ids)

    checked = cli_run("validate", "--store", str(store_dir))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    rerun = cli_run(*args)
    assert rerun.returncode == 0, rerun.stderr
    rest = len(all_ids) - len(partial_ids)
    assert f"{rest} new, 0 changed, {len(partial_ids)} skipped, 0 failed" in rerun.stderr

    with Store(store_dir, read_only=True) as store:
        final_ids, final_sizes = _check_complete(store)
    assert final_ids == all_ids
    # what survived the kill was whole: unchanged by the re-run
    assert {i: final_sizes[i] for i in partial_ids} == partial_sizes
    # copies of one seed article have graphs of one size: none partial, none doubled
    by_seed: dict[str, set[int]] = defaultdict(set)
    for ident, size in final_sizes.items():
        by_seed[_seed_of(ident)].add(size)
    assert all(len(sizes) == 1 for sizes in by_seed.values()), by_seed


def test_a_failing_batch_writes_nothing(tmp_path: Path) -> None:
    def extraction(ident: str, polarity: str) -> ArticleExtraction:
        text = "Iran backed the Astana talks."
        evidence = Evidence(ident, text, 0, len(text))
        stance = Stance("IRN", "Iran", "support", "astana-talks", "the Astana talks", evidence)
        return ArticleExtraction(
            article=Article(ident, text), stances=(replace(stance, polarity=polarity),),
            extractor_version="test", content_hash=ident,
        )

    with Store(tmp_path / "store") as store:
        store.add(extraction("first", "support"))
        before = set(store.ox)
        with pytest.raises((ValueError, StoreError), match="maybe"):
            store.add_many([extraction("second", "support"), extraction("third", "maybe")])
        assert set(store.ox) == before
        _check_complete(store)


# Writes synthetic articles as fast as it can, 50 per transaction, printing each commit.
_WRITER = """
import sys
from diplograph.graph.store import Store
from diplograph.ingest.records import Actor, Article, ArticleExtraction, Evidence, Stance

def extraction(n):
    ident = f"w{n:05d}"
    text = f"Actor {n} backed plan {n}."
    ev = Evidence(ident, text, 0, len(text))
    return ArticleExtraction(
        article=Article(ident, text),
        actors=(Actor(f"person:a{n}", f"Actor {n}", "person", mentions=(f"Actor {n}",)),),
        stances=(Stance(f"person:a{n}", f"Actor {n}", "support", f"plan-{n}", f"plan {n}", ev),),
        extractor_version="test", content_hash=ident,
    )

with Store(sys.argv[1]) as store:
    for start in range(0, 100_000, 50):
        store.add_many([extraction(n) for n in range(start, start + 50)], batch_size=50)
        print(start + 50, flush=True)
"""


@pytest.mark.parametrize("delay", [1.0, 2.5, 4.0])
def test_sigkill_during_writes_never_splits_a_batch(tmp_path: Path, delay: float) -> None:
    store_dir = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(store_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first batch is committed: writing is under way
    assert first.strip() == "50"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    committed = int(([first] + out.split())[-1])
    with Store(store_dir) as store:
        ids, sizes = _check_complete(store)
    # whole transactions only: every reported commit survived, no batch is split
    assert len(ids) % 50 == 0 and committed <= len(ids) <= committed + 50
    assert set(sizes.values()) == {next(iter(sizes.values()))}
