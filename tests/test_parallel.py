"""Parallel, Dask and incremental ingest write the same store as a serial ingest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from diplograph.api import ingest
from diplograph.cli import app
from diplograph.graph.export import export
from diplograph.graph.iris import article_graph_iri
from diplograph.graph.store import Store
from diplograph.ingest.parallel import chunked, extract_pool, screen
from diplograph.ingest.records import Article, ArticleError, ArticleExtraction

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
NAMES = ("d01.md", "d02.md", "d03.md", "d04.md")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A folder holding a copy of four seed articles."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def _nquads(path: Path) -> set[str]:
    with Store(path, read_only=True) as st:
        return set(export(st, "nquads").splitlines())


def _dataset(lines: set[str]) -> Dataset:
    ds = Dataset()
    ds.parse(data="\n".join(sorted(lines)) + "\n", format="nquads")
    return ds


def _assert_same_graph(expected: set[str], got: set[str]) -> None:
    """Same quads, and every named graph isomorphic after an N-Quads round trip."""
    assert got == expected, sorted(got ^ expected)[:10]
    a, b = _dataset(expected), _dataset(got)
    names = {g.identifier for g in a.graphs()}
    assert names == {g.identifier for g in b.graphs()}
    for name in names:
        assert isomorphic(a.graph(name), b.graph(name)), name


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """N-Quads of a serial, in-process ingest of the four seeds."""
    path = tmp_path_factory.mktemp("serial") / "store"
    with Store(path) as st:
        summary = ingest([SEEDS / n for n in NAMES], st)
    assert (summary.new, summary.failed) == (len(NAMES), 0), summary.errors
    return _nquads(path)


def _ingest(tmp_path: Path, paths: list[Path], **options) -> tuple[Path, object]:
    path = tmp_path / "store"
    with Store(path) as st:
        summary = ingest(paths, st, **options)
    return path, summary


def test_workers_2_store_equals_serial_ingest(tmp_path: Path, serial: set[str]) -> None:
    path, summary = _ingest(tmp_path, [SEEDS / n for n in NAMES], workers=2, chunk_size=1)
    assert (summary.new, summary.changed, summary.skipped, summary.failed) == (4, 0, 0, 0)
    _assert_same_graph(serial, _nquads(path))


def test_a_pool_ingest_never_imports_spacy_in_the_parent(tmp_path: Path, corpus: Path) -> None:
    """The parent only reads, skips and writes: without spaCy's import (over a second)
    it hands the workers their first chunk that much sooner."""
    script = (
        "import sys\n"
        "from diplograph.api import ingest\n"
        "from diplograph.graph.store import Store\n"
        "with Store(sys.argv[2]) as st:\n"
        "    summary = ingest([sys.argv[1]], st, workers=2, chunk_size=1)\n"
        "print(summary.new, summary.failed, 'spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(corpus), str(tmp_path / "store")],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(len(NAMES)), "0", "False"]


def test_dask_local_cluster_store_equals_serial_ingest(tmp_path: Path, serial: set[str]) -> None:
    pytest.importorskip("distributed")
    path, summary = _ingest(
        tmp_path, [SEEDS / n for n in NAMES], scheduler="local", workers=2, chunk_size=1
    )
    assert (summary.new, summary.failed) == (4, 0), summary.errors
    _assert_same_graph(serial, _nquads(path))


def test_pool_keeps_input_order_and_passes_errors_through() -> None:
    items: list[Article | ArticleError] = [
        Article(id=f"a{i}", text=f"Russia and Turkey met in Sochi on day {i}.") for i in range(5)
    ]
    items.insert(2, ArticleError("broken.txt", "binary file"))
    out = list(extract_pool(items, workers=2, chunk_size=2))
    ids = [r.article.id if isinstance(r, ArticleExtraction) else r.origin for r in out]
    assert ids == ["a0", "a1", "broken.txt", "a2", "a3", "a4"]


FRENCH = (
    "La Russie, l'Iran et la Turquie ont annoncé mardi à Sotchi la création d'un comité "
    "chargé de rédiger une nouvelle constitution pour la Syrie, malgré le boycott de "
    "l'opposition. Les délégués ont salué un accord qui, selon eux, ouvrira la voie à des "
    "élections libres sous la supervision des Nations unies."
)


def test_other_language_article_fails_in_the_worker_not_the_reader(
    tmp_path: Path, corpus: Path
) -> None:
    (corpus / "d00-fr.txt").write_text(FRENCH, encoding="utf-8")
    assert list(screen([Article(id="fr", text=FRENCH)], "any"))[0].id == "fr"
    [error] = list(screen([Article(id="fr", text=FRENCH)], "en"))
    assert isinstance(error, ArticleError) and "language 'fr'" in error.reason
    _, summary = _ingest(tmp_path, [corpus])
    assert (summary.new, summary.failed) == (4, 1)
    assert summary.errors[0].article == "d00-fr"


def test_chunked_streams_bounded_lists() -> None:
    assert [len(c) for c in chunked(iter(range(7)), 3)] == [3, 3, 1]
    with pytest.raises(ValueError, match="chunk size"):
        next(chunked([], 0))


def test_reingest_skips_unchanged_and_replaces_changed(tmp_path: Path, corpus: Path) -> None:
    store = tmp_path / "store"
    with Store(store) as st:
        first = ingest([corpus], st)
    assert (first.new, first.changed, first.skipped, first.failed) == (4, 0, 0, 0)
    before = _nquads(store)

    with Store(store) as st:
        again = ingest([corpus], st, workers=2)
    assert (again.new, again.changed, again.skipped, again.failed) == (0, 0, 4, 0)
    assert _nquads(store) == before

    edited = corpus / "d02.md"
    text = edited.read_text(encoding="utf-8")
    addition = "\n\nThe European Union rejected the Astana talks on Friday.\n"
    edited.write_text(text + addition, encoding="utf-8")
    with Store(store) as st:
        third = ingest([corpus], st)
    assert (third.new, third.changed, third.skipped, third.failed) == (0, 1, 3, 0)
    after = _nquads(store)

    graph = str(article_graph_iri("d02"))
    assert any("European Union rejected the Astana talks" in q and graph in q for q in after)
    untouched = {q for q in before if graph not in q and "/graph/registry>" not in q}
    assert untouched <= after
    # the replaced store is exactly what a fresh ingest of the edited corpus gives
    fresh, summary = _ingest(tmp_path / "fresh", [corpus])
    assert summary.new == 4
    _assert_same_graph(_nquads(fresh), after)


def test_reingest_of_a_new_article_counts_it_new(tmp_path: Path, corpus: Path) -> None:
    (corpus / "d04.md").unlink()
    store, first = _ingest(tmp_path, [corpus])
    assert first.new == 3
    shutil.copy(SEEDS / "d04.md", corpus / "d04.md")
    with Store(store) as st:
        second = ingest([corpus], st)
    assert (second.new, second.changed, second.skipped) == (1, 0, 3)


def test_fail_fast_stops_at_the_first_failed_item(tmp_path: Path, corpus: Path) -> None:
    (corpus / "a-broken.txt").write_bytes(b"\x00\x01binary")
    _, keep_going = _ingest(tmp_path / "a", [corpus])
    assert (keep_going.new, keep_going.failed) == (4, 1)
    seen: list[object] = []
    _, stopped = _ingest(tmp_path / "b", [corpus], fail_fast=True, on_item=seen.append)
    assert (stopped.new, stopped.failed) == (0, 1)
    assert len(seen) == 1 and isinstance(seen[0], ArticleError)


@pytest.fixture()
def run_cli() -> Callable[..., object]:
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_cli_ingest_workers_reports_counts_on_stderr_only(
    tmp_path: Path, corpus: Path, run_cli
) -> None:
    store = tmp_path / "store"
    result = run_cli("ingest", corpus, "--store", store, "--workers", "2")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert result.stdout == ""
    assert "4 new, 0 changed, 0 skipped, 0 failed" in result.stderr
    again = run_cli("ingest", corpus, "--store", store, "--workers", "2", "--quiet")
    assert again.exit_code == 0
    assert "0 new, 0 changed, 4 skipped, 0 failed" in again.stderr


def test_cli_fail_fast_exits_non_zero(tmp_path: Path, corpus: Path, run_cli) -> None:
    (corpus / "a-broken.txt").write_bytes(b"\x00\x01binary")
    result = run_cli("ingest", corpus, "--store", tmp_path / "s", "--fail-fast", "-q")
    assert result.exit_code == 1
    assert "stopped at the first failure" in result.stderr
    assert "0 new, 0 changed, 0 skipped, 1 failed" in result.stderr


def test_cli_unreachable_scheduler_is_a_clear_error(tmp_path: Path, corpus: Path, run_cli) -> None:
    pytest.importorskip("distributed")
    result = run_cli(
        "ingest", corpus, "--store", tmp_path / "s", "--scheduler", "tcp://127.0.0.1:9", "-q"
    )
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.stderr
