"""Ingest throughput: bare spaCy ``nlp.pipe`` vs ``diplograph ingest``, 1 and 2 workers.

Every run is a fresh process timed wall-clock from start to exit (imports and model
load included, the same for every row), on the same corpus of distinct articles
assembled from seeds/. Prints words/s, the ratios of the issue's targets, and the
command that reproduces the table.

Every run is repeated ``--rounds`` times, interleaved; each ratio is taken within a round
(bare and diplograph minutes apart, not tens of minutes) and the median round reported.

    .venv/bin/python bench/throughput.py --articles 2000 --rounds 3
    .venv/bin/python bench/throughput.py --articles 200 --rounds 1 --profile 100
    .venv/bin/python bench/throughput.py --articles 400 --paired 400 --rounds 4
    .venv/bin/python bench/throughput.py --articles 2000 --split --rounds 3

``--split`` times only the 2-process runs and splits their CPU between the parent process
(which reads the corpus and, for diplograph, writes the store) and its worker processes.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import build_corpus, count_words, read_texts  # noqa: E402

BATCH_SIZE = 64  # diplograph's default store batch and in-process nlp.pipe batch
BIN = Path(sys.executable).parent


def _bare(folder: Path, processes: int, batch_size: int) -> None:
    """Child mode: parse the corpus bodies with the bare model (no diplograph component).

    The same components as :func:`load_pipeline` minus diplograph's two (paragraph
    boundaries, reader): tok2vec, tagger, parser, attribute_ruler, lemmatizer and ner,
    ``senter`` excluded. diplograph reads every one of them (tags, POS, lemmas,
    dependencies, entities), so none is disabled on either side.
    """
    import spacy

    from diplograph.ingest.pipeline import default_model

    texts = read_texts(sorted(folder.glob("*.md")))
    nlp = spacy.load(default_model(), exclude=["senter"])  # the model load_pipeline uses
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
        pass
    _report_own_cpu()


def _ingest(folder: Path, store: Path, workers: int) -> None:
    """Child mode: ``diplograph ingest`` run in this process, which reports its own CPU.

    The spawned workers import this file as their main module instead of the command's
    entry script: a few milliseconds each.
    """
    from diplograph.cli import app

    try:
        app(["ingest", str(folder), "--store", str(store), "--quiet", "--workers", str(workers)])
    except SystemExit as done:
        if done.code:
            raise
    _report_own_cpu()


def _report_own_cpu() -> None:
    """Print, as the last stdout line, this process's CPU seconds (its workers excluded)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"own_cpu": usage.ru_utime + usage.ru_stime}), flush=True)


def _cpu_of_children() -> float:
    """CPU seconds (user and system) of every waited-for descendant so far.

    A run's worker processes are waited for by the run itself, so their time is in it.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``cmd`` (its worker processes included), and its stdout;
    echoes its last stderr line (ingest's counts)."""
    cpu = _cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {shlex.join(cmd)}\n{done.stderr[-2000:]}")
    if done.stderr.strip():
        print(f"    {done.stderr.strip().splitlines()[-1]}", flush=True)
    return elapsed, _cpu_of_children() - cpu, done.stdout


def _bare_cmd(folder: Path, processes: int) -> list[str]:
    return [sys.executable, __file__, "--bare", str(folder), "--processes", str(processes)]


def _ingest_cmd(folder: Path, store: Path, workers: int) -> list[str]:
    return [str(BIN / "diplograph"), "ingest", str(folder), "--store", str(store), "--quiet",
            "--workers", str(workers)]


def _profile(folder: Path, n: int) -> None:
    """cProfile a serial in-process ingest of the first ``n`` articles; print where time goes."""
    from diplograph.api import ingest
    from diplograph.graph.store import Store
    from diplograph.ingest.pipeline import load_pipeline

    load_pipeline()  # model load is not ingest work
    paths = sorted(folder.glob("*.md"))[:n]
    words = count_words(read_texts(paths))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "store") as st:
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        ingest(paths, st)
        prof.disable()
        wall = time.perf_counter() - start
    stats = pstats.Stats(prof)
    print(f"\nprofile: serial ingest of {n} articles ({words} words), "
          f"{wall:.1f} s under cProfile\n")
    print("component (cumulative s)                        seconds  share")
    parts = [
        ("spaCy nlp.pipe incl. diplograph reader", "spacy/language.py", "pipe"),
        ("  diplograph reader component (ArticleContext)", "ingest/pipeline.py", "__call__"),
        ("  spaCy tagger/parser/ner (thinc predict)", "thinc/model.py", "predict"),
        ("extract() records from the doc", "ingest/extract.py", "extract"),
        ("reading sources (iter_articles)", "ingest/sources.py", "_unique"),
        ("  language detection (langdetect)", "ingest/sources.py", "detect_language"),
        ("store writes (Store.add_many)", "graph/store.py", "add_many"),
        ("  graph.build (quads)", "graph/build.py", "build_article"),
        ("  SPARQL update", "graph/store.py", "_run_update"),
        ("skip check (stored hashes)", "diplograph/api.py", "_stored_hashes"),
    ]
    for label, file, func in parts:
        cum = _cumulative(stats, file, func)
        print(f"{label:<48}{cum:8.2f}  {cum / wall:5.1%}")
    print()
    stats.sort_stats("cumulative").print_stats(30)


def _paired(folder: Path, n: int, rounds: int) -> None:
    """In this process, time bare ``nlp.pipe`` and a serial ``ingest`` back to back.

    Both models are loaded first, so start-up is left out of both sides; each pair runs
    within a minute or two, which leaves less room for the machine's drift than runs
    minutes apart. Each ingest writes a fresh on-disk store.
    """
    import spacy

    from diplograph.api import ingest
    from diplograph.graph.store import Store
    from diplograph.ingest.pipeline import default_model, load_pipeline

    paths = sorted(folder.glob("*.md"))[:n]
    texts = read_texts(paths)
    words = count_words(texts)
    bare = spacy.load(default_model(), exclude=["senter"])
    load_pipeline()
    print(f"\npaired in one process: {len(paths)} articles, {words} words, 1 process")
    print("| pair | bare words/s | ingest words/s | ratio |\n|---|---:|---:|---:|")
    ratios = []
    for r in range(1, rounds + 1):
        start = time.perf_counter()
        for _ in bare.pipe(texts, batch_size=BATCH_SIZE):
            pass
        bare_s = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "store") as st:
            start = time.perf_counter()
            ingest(paths, st, batch_size=BATCH_SIZE)
            ingest_s = time.perf_counter() - start
        ratios.append(bare_s / ingest_s)
        print(f"| {r} | {words / bare_s:,.0f} | {words / ingest_s:,.0f} | {ratios[-1]:.2f} |",
              flush=True)
    print(f"median ratio {_median(ratios):.2f}")


def _split(folder: Path, work: Path, rounds: int) -> None:
    """Time the 2-process runs only, splitting each run's CPU into parent and workers."""
    n = len(list(folder.glob("*.md")))
    runs: dict[str, list[tuple[float, float, float]]] = {}
    for r in range(1, rounds + 1):
        print(f"round {r}/{rounds}", flush=True)
        for label, cmd in [
            ("bare nlp.pipe, n_process=2", _bare_cmd(folder, 2)),
            ("diplograph ingest --workers 2",
             [sys.executable, __file__, "--ingest", str(folder), "--store",
              str(work / f"split-{r}"), "--processes", "2"]),
        ]:
            wall, cpu, out = _timed(cmd)
            own = json.loads(out.strip().splitlines()[-1])["own_cpu"]
            parent, workers = own / n * 1000, (cpu - own) / n * 1000
            runs.setdefault(label, []).append((wall, parent, workers))
            print(f"  {label:<30} {wall:6.1f} s  parent {parent:5.1f} ms/article  "
                  f"workers {workers:5.1f} ms/article", flush=True)
    print("\n| run (median of rounds) | wall s | parent ms/article | workers ms/article |\n"
          "|---|---:|---:|---:|")
    for label, rows in runs.items():
        wall, parent, workers = (_median([row[k] for row in rows]) for k in range(3))
        print(f"| {label} | {wall:.1f} | {parent:.1f} | {workers:.1f} |")


def _cumulative(stats: pstats.Stats, file: str, func: str) -> float:
    """Cumulative seconds of ``func`` in ``file`` (its outermost calls)."""
    return max(
        (ct for (path, _, name), (_, _, _, ct, _) in stats.stats.items()  # type: ignore[attr-defined]
         if path.endswith(file) and name == func),
        default=0.0,
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of every run; ratios are paired per round")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and stores here")
    parser.add_argument("--profile", type=int, metavar="N", help="also cProfile N articles")
    parser.add_argument("--paired", type=int, metavar="N",
                        help="only time bare and serial ingest back to back in one process "
                             "on N articles, --rounds pairs")
    parser.add_argument("--split", action="store_true",
                        help="only time the 2-process runs, --rounds pairs, splitting their "
                             "CPU into parent and workers")
    parser.add_argument("--bare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ingest", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare:
        _bare(args.bare, args.processes, BATCH_SIZE)
        return
    if args.ingest:
        _ingest(args.ingest, args.store, args.processes)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diplograph-bench-"))
    corpus = work / "corpus"
    paths = build_corpus(corpus, args.articles)
    words = count_words(read_texts(paths))
    print(f"corpus: {len(paths)} articles, {words} words, in {corpus}", flush=True)
    if args.paired:
        _paired(corpus, args.paired, args.rounds)
        cmd = [".venv/bin/python", "bench/throughput.py", "--articles", str(args.articles),
               "--paired", str(args.paired), "--rounds", str(args.rounds)]
        print(f"\nreproduce: {shlex.join(cmd)}")
        return
    if args.split:
        _split(corpus, work, args.rounds)
        cmd = [".venv/bin/python", "bench/throughput.py", "--articles", str(args.articles),
               "--split", "--rounds", str(args.rounds)]
        print(f"\nreproduce: {shlex.join(cmd)}")
        return

    # The machine's speed drifts by ±20% over minutes (shared VM), so one run of each is
    # not enough: every round runs bare and diplograph side by side, each ratio is taken
    # within its round, and the table reports the median round.
    rows: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    ratios: dict[str, list[float]] = {}
    for r in range(1, args.rounds + 1):
        print(f"round {r}/{args.rounds}", flush=True)
        runs = [
            ("bare nlp.pipe, 1 process", _bare_cmd(corpus, 1)),
            ("diplograph ingest --workers 1", _ingest_cmd(corpus, work / f"store1-{r}", 1)),
            ("bare nlp.pipe, n_process=2", _bare_cmd(corpus, 2)),
            ("diplograph ingest --workers 2", _ingest_cmd(corpus, work / f"store2-{r}", 2)),
        ]
        if r == 1:
            runs.insert(2, ("re-ingest unchanged, --workers 1",
                            _ingest_cmd(corpus, work / "store1-1", 1)))
        took: dict[str, float] = {}
        for label, cmd in runs:
            took[label], cpu, _ = _timed(cmd)
            rows.setdefault(label, []).append(took[label])
            cpus.setdefault(label, []).append(cpu)
            print(f"  {label:<34} {took[label]:8.1f} s  {words / took[label]:9.0f} words/s  "
                  f"CPU {cpu / len(paths) * 1000:6.1f} ms/article ({cpu / took[label]:.2f} "
                  f"cores)", flush=True)
        bare1, bare2 = took["bare nlp.pipe, 1 process"], took["bare nlp.pipe, n_process=2"]
        w1, w2 = took["diplograph ingest --workers 1"], took["diplograph ingest --workers 2"]
        for name, value in [
            ("end-to-end ÷ bare nlp.pipe, 1 process", bare1 / w1),
            ("end-to-end ÷ bare nlp.pipe, 2 processes", bare2 / w2),
            ("--workers 2 ÷ --workers 1", w1 / w2),
            ("bare n_process=2 ÷ 1 (the machine's own scaling)", bare1 / bare2),
        ]:
            ratios.setdefault(name, []).append(value)
        if r == 1:
            ratios["re-ingest unchanged ÷ first ingest, wall"] = [
                took["re-ingest unchanged, --workers 1"] / w1]

    # CPU per article (all processes of a run) tells a CPU-bound gap from idle cores:
    # a 2-process run that keeps both cores busy is as slow as its CPU is large
    print("\n| run (median of rounds) | wall s | words/s | CPU ms/article | cores busy |\n"
          "|---|---:|---:|---:|---:|")
    for label, secs in rows.items():
        cpu = _median(cpus[label])
        busy = _median([c / s for c, s in zip(cpus[label], secs, strict=True)])
        print(f"| {label} | {_median(secs):.1f} | {words / _median(secs):,.0f} | "
              f"{cpu / len(paths) * 1000:.1f} | {busy:.2f} |")
    targets = {
        "end-to-end ÷ bare nlp.pipe, 1 process": "≥ 0.80",
        "end-to-end ÷ bare nlp.pipe, 2 processes": "≥ 0.80",
        "--workers 2 ÷ --workers 1": "≥ 1.6",
        "bare n_process=2 ÷ 1 (the machine's own scaling)": "",
        "re-ingest unchanged ÷ first ingest, wall": "≤ 0.05",
    }
    print("\n| measure | median | each round | target |\n|---|---:|---|---|")
    for name, target in targets.items():
        each = ", ".join(f"{v:.2f}" for v in ratios[name])
        print(f"| {name} | {_median(ratios[name]):.2f} | {each} | {target} |")
    cmd = [".venv/bin/python", "bench/throughput.py", "--articles", str(args.articles),
           "--rounds", str(args.rounds)]
    if args.profile:
        cmd += ["--profile", str(args.profile)]
        _profile(corpus, args.profile)
    print(f"\nreproduce: {shlex.join(cmd)}")


if __name__ == "__main__":
    main()
