"""Benchmark corpora: many distinct articles assembled from the seed articles."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

__all__ = ["SEEDS", "build_corpus", "count_words", "read_texts"]

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _split(text: str) -> tuple[str, str]:
    match = _FRONT.match(text)
    if match is None:
        return "", text
    return match.group(1), text[match.end():]


def build_corpus(folder: Path, n: int, *, seeds: Path = SEEDS) -> list[Path]:
    """Write ``n`` Markdown articles to ``folder``: seed texts cycled, each with its own id.

    Copy ``k`` of a seed gets id ``<seed>-<k>``, a numbered title and a first line
    naming the copy, so every article has distinct text (and content hash) while the
    parse work stays that of a real news article. Files are named ``<k>-<seed>.md``: a
    folder is read in name order, so the seeds stay interleaved as in a news stream and
    every batch of a run mixes them alike, whatever the corpus size. (Named by seed, a
    5,000-article run read 161 copies of the longest seed in a row, batches of it alone,
    which a 500-article run never did: the memory benchmark compared batch contents,
    not corpus sizes.)
    """
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(seeds.glob("*.md"))
    if not sources:
        raise FileNotFoundError(f"no seed articles (*.md) in {seeds}")
    parts = [(p.stem, *_split(p.read_text(encoding="utf-8"))) for p in sources]
    paths = []
    for i, (stem, meta, body) in zip(range(n), itertools.cycle(parts)):
        ident = f"{stem}-{i:06d}"
        kept = "\n".join(
            line for line in meta.splitlines() if not line.startswith(("id:", "title:"))
        )
        head = f"---\nid: {ident}\ntitle: \"Dispatch {i} ({stem})\"\n{kept}\n---\n"
        text = f"{head}Dispatch number {i}.\n\n{body.strip()}\n"
        path = folder / f"{i:06d}-{stem}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def read_texts(paths: list[Path]) -> list[str]:
    """Article bodies (front matter removed), as the bare spaCy baseline parses them."""
    return [_split(p.read_text(encoding="utf-8"))[1].strip() for p in paths]


def count_words(texts: list[str]) -> int:
    """Whitespace-separated words: the unit of every words/s figure."""
    return sum(len(t.split()) for t in texts)
