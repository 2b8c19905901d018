"""Store write cost per article: pyoxigraph's write calls side by side, each in a fresh process.

``--extract`` articles assembled from seeds/ are extracted once (serially); their records
are copied under new ids up to ``--articles`` articles. Each method then runs in its own
process: it builds the quads of every batch of 64 articles first (not timed), then writes
them into a fresh on-disk store (or an in-memory one), flushing every
``FLUSH_AFTER_QUADS`` quads as the store does. It reports the CPU of the writes, every
thread of the process included (RocksDB's flushes and compactions), after a final flush
and a pause for the compactions to settle.

- ``update``: what ``Store.add_many`` does, the batch's difference against the stored
  registry as one SPARQL update (one transaction);
- ``update-memory``: the same updates into an in-memory store (no RocksDB);
- ``extend``: every quad of the batch through ``Store.extend`` (one transaction);
- ``load``: the batch as N-Quads through ``Store.load`` (one transaction);
- ``bulk_extend``: ``Store.bulk_extend``, which is not atomic (not usable for ingest).

``extend``, ``load`` and ``bulk_extend`` only add: a registry description an article
replaces keeps its old quads there, so they store a few more quads than ``update``.

    .venv/bin/python bench/writes.py --articles 2000
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import build_corpus  # noqa: E402

BATCH = 64
METHODS = {  # write method: whether it is atomic
    "update": "yes",
    "update-memory": "yes",
    "extend": "yes",
    "load": "yes",
    "bulk_extend": "no",
}
SETTLE_S = 5.0  # RocksDB compacts in background threads after the last flush


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def _records(path: Path, articles: int) -> list:
    """The extracted records, copied under new ids up to ``articles`` records."""
    base = pickle.loads(path.read_bytes())
    return [_copy(base[k % len(base)], k) for k in range(articles)]


def _copy(ex: object, k: int) -> object:
    return replace(ex, article=replace(ex.article, id=f"{ex.article.id}-copy{k}"))


def _child(method: str, records: Path, articles: int, workdir: Path) -> None:
    """Child mode: write the records with ``method``; print its figures as JSON."""
    import pyoxigraph as ox

    from diplograph.graph.build import build_article
    from diplograph.graph.store import FLUSH_AFTER_QUADS, _batch_update

    exs = _records(records, articles)
    batches = [[build_article(ex) for ex in exs[i:i + BATCH]] for i in range(0, len(exs), BATCH)]
    quads = sum(len(q) for batch in batches for _, q, _ in batch)
    store = ox.Store() if method == "update-memory" else ox.Store(str(workdir / method))
    start_cpu, start = _cpu(), time.perf_counter()
    unflushed = 0
    for built in batches:
        if method.startswith("update"):
            store.update(" ;\n".join(_batch_update(store, built)))
        elif method == "extend":
            store.extend(q for _, qs, _ in built for q in qs)
        elif method == "load":
            text = "\n".join(f"{q} ." for _, qs, _ in built for q in qs)
            store.load(text, format=ox.RdfFormat.N_QUADS)
        else:
            store.bulk_extend([q for _, qs, _ in built for q in qs])
        unflushed += sum(len(qs) for _, qs, _ in built)
        if method != "update-memory" and unflushed >= FLUSH_AFTER_QUADS:
            store.flush()
            unflushed = 0
    if method != "update-memory":
        store.flush()
    wall = time.perf_counter() - start
    time.sleep(SETTLE_S)
    cpu = _cpu() - start_cpu
    print(json.dumps({"cpu_ms": cpu / len(exs) * 1000, "wall": wall, "built": quads / len(exs),
                      "stored": len(store)}))


def _extract(folder: Path, out: Path) -> int:
    from diplograph.api import extract_paths
    from diplograph.ingest.records import ArticleExtraction

    exs = [ex for ex in extract_paths(sorted(folder.glob("*.md")))
           if isinstance(ex, ArticleExtraction)]
    out.write_bytes(pickle.dumps(exs))
    return len(exs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles written")
    parser.add_argument("--extract", type=int, default=200, help="distinct articles extracted")
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), default=list(METHODS))
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        method, records, workdir = args.child
        _child(method, Path(records), args.articles, Path(workdir))
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diplograph-writes-"))
    work.mkdir(parents=True, exist_ok=True)
    records = work / "records.pickle"
    n = _extract(build_corpus(work / "corpus", args.extract)[0].parent, records)
    print(f"{n} articles extracted, written as {args.articles} articles in batches of {BATCH}",
          flush=True)
    print("\n| method | atomic | CPU ms/article | wall s | quads built/article | quads stored |\n"
          "|---|---|---:|---:|---:|---:|")
    for method in args.methods:
        cmd = [sys.executable, __file__, "--articles", str(args.articles),
               "--child", method, str(records), str(work)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"failed: {shlex.join(cmd)}\n{done.stderr[-2000:]}")
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {method} | {METHODS[method]} | {row['cpu_ms']:.1f} | {row['wall']:.1f} | "
              f"{row['built']:.0f} | {row['stored']:,} |", flush=True)
    cmd = [".venv/bin/python", "bench/writes.py", "--articles", str(args.articles),
           "--extract", str(args.extract)]
    if args.methods != list(METHODS):
        cmd += ["--methods", *args.methods]
    print(f"\nreproduce: {shlex.join(cmd)}")


if __name__ == "__main__":
    main()
