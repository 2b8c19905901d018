"""Peak memory of an ingest: 500 vs 5,000 articles, each in a fresh process.

Each size runs ``diplograph.api.ingest`` (serial, the default) into a fresh store in
its own Python process, which then reports its peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``). Streaming ingest should keep the
ratio near 1: memory must not grow with the corpus.

    .venv/bin/python bench/memory.py --sizes 500 5000
    .venv/bin/python bench/memory.py --sizes 500 5000 --paragraphs 2   # shorter articles
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import build_corpus, count_words, read_texts  # noqa: E402


def _trim(paths: list[Path], paragraphs: int) -> None:
    """Keep the front matter and the first ``paragraphs`` paragraphs of each article."""
    for path in paths:
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        kept = "\n\n".join(body.strip().split("\n\n")[: paragraphs + 1])  # + the dispatch line
        path.write_text(f"{head}\n---\n{kept}\n", encoding="utf-8")


def _child(folder: Path, store: Path) -> None:
    """Child mode: ingest ``folder`` into ``store``, print counts and peak RSS as JSON."""
    from diplograph.api import ingest
    from diplograph.graph.store import Store

    start = time.perf_counter()
    with Store(store) as st:
        summary = ingest([folder], st)
        seconds = time.perf_counter() - start
        # the ingest's peak, before counting the quads (a scan of the whole store)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        quads = len(st)
    print(json.dumps({"new": summary.new, "failed": summary.failed, "quads": quads,
                      "seconds": seconds, "peak_mib": peak_kib / 1024}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--paragraphs", type=int, help="trim articles to N paragraphs")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--child", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diplograph-bench-mem-"))
    results = []
    for n in args.sizes:
        corpus = work / f"corpus-{n}"
        paths = build_corpus(corpus, n)
        if args.paragraphs:
            _trim(paths, args.paragraphs)
        words = count_words(read_texts(paths))
        cmd = [sys.executable, __file__, "--child", str(corpus), str(work / f"store-{n}")]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"failed: {shlex.join(cmd)}\n{done.stderr[-2000:]}")
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row.update(articles=n, words=words)
        results.append(row)
        print(f"  {n} articles ({words} words): peak RSS {row['peak_mib']:.0f} MiB, "
              f"{row['quads']:,} quads, {row['seconds']:.0f} s", flush=True)
    print("\n| articles | words | quads stored | peak RSS MiB | wall s |")
    print("|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['articles']:,} | {r['words']:,} | {r['quads']:,} | {r['peak_mib']:.0f} "
              f"| {r['seconds']:.0f} |")
    if len(results) >= 2:
        ratio = results[-1]["peak_mib"] / results[0]["peak_mib"]
        print(f"\npeak RSS {results[-1]['articles']:,} ÷ {results[0]['articles']:,} articles: "
              f"{ratio:.2f} (target ≤ 1.3)")
    cmd = [".venv/bin/python", "bench/memory.py", "--sizes", *map(str, args.sizes)]
    if args.paragraphs:
        cmd += ["--paragraphs", str(args.paragraphs)]
    print("reproduce: " + shlex.join(cmd))


if __name__ == "__main__":
    main()
