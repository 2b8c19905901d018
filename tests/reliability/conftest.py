"""Fixtures for the reliability tests: a corpus of a few hundred articles and CLI helpers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from diplograph.errors import StoreError
from diplograph.graph.store import Store

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
BAD = REPO / "tests" / "data" / "bad"
CLI = Path(sys.executable).with_name("diplograph")
COPIES = 7
"""Copies of each seed article in the big corpus (31 seeds -> 217 articles)."""


def write_corpus(folder: Path, copies: int = COPIES) -> list[str]:
    """Write ``copies`` renamed copies of every seed article; return the article ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for copy in range(copies):
        for seed in sorted(SEEDS.glob("*.md")):
            ident = f"{seed.stem}-c{copy}"
            text = re.sub(r"^id: .*$", f"id: {ident}", seed.read_text("utf-8"), count=1,
                          flags=re.M)
            (folder / f"{ident}.md").write_text(text, "utf-8")
            ids.append(ident)
    return sorted(ids)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A folder of 217 distinct articles (seed copies) and their sorted ids."""
    folder = tmp_path_factory.mktemp("corpus") / "articles"
    return folder, write_corpus(folder)


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a ``diplograph`` subprocess (no colour, unbuffered)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    env.update(extra)
    return env


def run_cli(*args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``diplograph ARGS…`` to completion."""
    return subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, timeout=timeout, env=cli_env(**env),
        stdin=subprocess.DEVNULL,
    )


def start_cli(*args: str, **env: str) -> subprocess.Popen[str]:
    """Start ``diplograph ARGS…`` in the background, output to pipes."""
    return subprocess.Popen(
        [str(CLI), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=cli_env(**env), stdin=subprocess.DEVNULL,
    )


def stored_articles(path: Path) -> int:
    """Articles in the store at ``path`` as a read-only snapshot (0 if it cannot open yet)."""
    try:
        with Store(path, read_only=True) as store:
            return len(store.article_ids())
    except StoreError:
        return 0


def wait_for(
    condition: Callable[[], bool], *, timeout: float, proc: subprocess.Popen[str] | None = None
) -> bool:
    """Poll ``condition`` until it holds, ``timeout`` passes or ``proc`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc is not None and proc.poll() is not None:
            return condition()
        time.sleep(0.25)
    return False


# Test modules are imported with --import-mode=importlib, so helpers reach them as fixtures.


@pytest.fixture(scope="session")
def cli_run() -> Callable[..., subprocess.CompletedProcess[str]]:
    """:func:`run_cli`: run ``diplograph ARGS…`` in a subprocess to completion."""
    return run_cli


@pytest.fixture(scope="session")
def cli_start() -> Callable[..., subprocess.Popen[str]]:
    """:func:`start_cli`: start ``diplograph ARGS…`` in a background subprocess."""
    return start_cli


@pytest.fixture(scope="session")
def count_stored() -> Callable[[Path], int]:
    """:func:`stored_articles`: articles in a store, read through a read-only snapshot."""
    return stored_articles


@pytest.fixture(scope="session")
def poll() -> Callable[..., bool]:
    """:func:`wait_for`: poll a condition with a timeout."""
    return wait_for


@pytest.fixture(scope="session")
def bad_corpus() -> Path:
    """``tests/data/bad``: one file per kind of bad input, plus a few good ones."""
    return BAD
