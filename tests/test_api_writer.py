"""Ingest writes from a background thread: same store, counts, and failures surface."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diplograph.api import ingest
from diplograph.errors import StoreError
from diplograph.graph.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("d01.md", "d02.md", "d03.md"):
        shutil.copy(SEEDS / name, folder / name)
    return folder


def test_small_batches_write_every_article_in_its_own_transaction(
    nlp, corpus: Path, tmp_path: Path
) -> None:
    with Store(tmp_path / "one") as one, Store(tmp_path / "all") as whole:
        a = ingest([corpus], one, batch_size=1)
        b = ingest([corpus], whole, batch_size=64)
        assert (a.new, a.failed) == (b.new, b.failed) == (3, 0)
        assert set(one) == set(whole)
        assert one.article_ids() == ["d01", "d02", "d03"]


def test_once_all_is_read_extractions_are_written_a_chunk_at_a_time(
    nlp, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-process parser reads all three articles (one nlp.pipe batch) before the
    first extraction comes out: each is then written on arrival, not as one last batch."""
    written: list[list[str]] = []
    add_many = Store.add_many

    def recording(self: Store, exs, *, batch_size: int = 100) -> int:
        exs = list(exs)
        written.append([ex.article.id for ex in exs])
        return add_many(self, exs, batch_size=batch_size)

    monkeypatch.setattr(Store, "add_many", recording)
    with Store(tmp_path / "chunks") as st:
        summary = ingest([corpus], st, batch_size=64, chunk_size=1)
        assert (summary.new, summary.failed) == (3, 0)
        assert written == [["d01"], ["d02"], ["d03"]]
        assert st.article_ids() == ["d01", "d02", "d03"]
    written.clear()
    with Store(tmp_path / "whole") as st:
        ingest([corpus], st, batch_size=64, chunk_size=16)
    assert written == [["d01", "d02", "d03"]]


def test_a_failing_write_is_raised_by_ingest(nlp, corpus: Path, tmp_path: Path) -> None:
    Store(tmp_path / "store").close()  # create it, then open it read-only: writes fail
    with Store(tmp_path / "store", read_only=True) as st:
        with pytest.raises(StoreError, match="read-only"):
            ingest([corpus], st, batch_size=1)


def test_the_writer_thread_is_gone_after_ingest(nlp, corpus: Path, tmp_path: Path) -> None:
    import threading

    with Store(tmp_path / "store") as st:
        ingest([corpus], st, batch_size=2)
        assert not [t for t in threading.enumerate() if t.name == "diplograph-writer"]
        assert len(st.article_ids()) == 3
