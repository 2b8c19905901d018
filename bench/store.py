"""Store load and query latency: ≥ 1M triples of diplograph-shaped data, Oxigraph vs rdflib.

Synthetic articles (actors, initiatives, meetings, stances with evidence) are built as
the frozen records of ingest/records.py and turned into quads by graph/build.py, so the
data has exactly the shape of an ingested corpus: one named graph per article plus the
registry graph. They are written as N-Quads, bulk-loaded with Oxigraph's native loader
into an on-disk store, and queried with the library's own query functions
(graph/queries.py). The same SPARQL text is then run on an in-memory rdflib Dataset
holding the same quads.

    .venv/bin/python bench/store.py --articles 4000
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from diplograph.graph import queries
from diplograph.graph.build import extraction_to_quads
from diplograph.graph.store import Store
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)

STATES = [
    ("RUS", "Russia"), ("TUR", "Turkey"), ("IRN", "Iran"), ("SYR", "Syria"),
    ("USA", "United States"), ("FRA", "France"), ("DEU", "Germany"), ("GBR", "United Kingdom"),
    ("CHN", "China"), ("SAU", "Saudi Arabia"), ("QAT", "Qatar"), ("EGY", "Egypt"),
    ("JOR", "Jordan"), ("ISR", "Israel"), ("LBN", "Lebanon"), ("IRQ", "Iraq"),
    ("UKR", "Ukraine"), ("KAZ", "Kazakhstan"),
]
SECTORS = [("GOV", "government"), ("OPP", "opposition")]
KINDS = ["congress", "talks", "conference", "agreement", "ceasefire", "plan", "summit", "process"]
PLACES = ["Sochi", "Geneva", "Astana", "Vienna", "Riyadh", "Ankara", "Tehran", "Cairo"]
MEETING_TYPES = ["talks", "summit", "conference", "congress", "visit", "call"]
STATUSES = ["held", "planned", "postponed", "cancelled"]


def _actors(rng: random.Random) -> list[Actor]:
    out = [Actor(key=k, label=n, kind="state", country=k, wikidata=f"Q{1000 + i}")
           for i, (k, n) in enumerate(STATES)]
    for k, n in STATES:
        for sec, word in SECTORS:
            out.append(Actor(key=f"{k}-{sec}", label=f"{n} {word}", kind=word if word ==
                             "government" else "opposition", country=k, sector=sec))
    out += [Actor(key="UN", label="United Nations", kind="igo", wikidata="Q1065"),
            Actor(key="EU", label="European Union", kind="igo", wikidata="Q458")]
    out += [Actor(key=f"person:envoy-{i}", label=f"Envoy {i}", kind="person",
                  role="envoy", affiliation=rng.choice(STATES)[0]) for i in range(30)]
    return out


def _initiatives(n: int) -> list[tuple[str, str, str]]:
    return [(f"{PLACES[i % len(PLACES)].lower()}-{KINDS[i % len(KINDS)]}-{i}",
             f"{PLACES[i % len(PLACES)]} {KINDS[i % len(KINDS)]} {i}", KINDS[i % len(KINDS)])
            for i in range(n)]


def synthetic_article(i: int, rng: random.Random, actors: list[Actor],
                      initiatives: list[tuple[str, str, str]]) -> ArticleExtraction:
    """One article's extraction: 8 actors, 4 initiatives, 2 meetings, 10 stances."""
    aid = f"syn-{i:07d}"
    sentences = [f"Sentence {j} of article {i}: officials spoke about the talks at length."
                 for j in range(12)]
    text = " ".join(sentences)
    offsets, pos = [], 0
    for s in sentences:
        offsets.append((pos, pos + len(s)))
        pos += len(s) + 1

    def ev(j: int) -> Evidence:
        return Evidence(aid, sentences[j], *offsets[j])

    cast = rng.sample(actors, 8)
    picked = rng.sample(initiatives, 4)
    inits = tuple(Initiative(key=k, label=label, kind=kind, aliases=(f"the {kind}",),
                             evidence=(ev(rng.randrange(12)),)) for k, label, kind in picked)
    meetings = tuple(
        Meeting(key=picked[j][0], label=picked[j][1], text=f"the {picked[j][2]}",
                type=rng.choice(MEETING_TYPES), status=rng.choice(STATUSES),  # type: ignore[arg-type]
                participants=tuple(a.key for a in cast[:4]), hosts=(cast[0].key,),
                mediators=("UN",), location=rng.choice(PLACES),
                start_date=f"2018-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                round=rng.randint(1, 9), evidence=(ev(j), ev(j + 1)), confidence=0.7,
                rule="synthetic")
        for j in range(2))
    stances = tuple(
        Stance(holder=cast[j % 8].key, holder_text=cast[j % 8].label,
               polarity=rng.choice(("support", "reject")), target=picked[j % 4][0],
               target_text=picked[j % 4][1], evidence=ev(j), conditional=j == 3,
               date=f"2018-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               confidence=0.8, rule="synthetic")
        for j in range(10))
    article = Article(id=aid, text=text, title=f"Synthetic dispatch {i}",
                      published=None, source="Bench Wire", url=f"https://example.org/{aid}")
    return ArticleExtraction(article=article, actors=tuple(cast), initiatives=inits,
                             meetings=meetings, stances=stances, extractor_version="bench",
                             content_hash=f"{i:064x}")


def write_nquads(path: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` synthetic articles as N-Quads (registry quads deduplicated); quad count."""
    rng = random.Random(seed)
    actors, initiatives = _actors(rng), _initiatives(max(50, n // 10))
    seen_registry: set[ox.Quad] = set()
    count = 0
    with path.open("wb") as out:
        for i in range(n):
            quads = []
            for q in extraction_to_quads(synthetic_article(i, rng, actors, initiatives)):
                if q.graph_name.value.endswith("/registry"):
                    if q in seen_registry:
                        continue
                    seen_registry.add(q)
                quads.append(q)
            out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
            count += len(quads)
    return count


class _Recorder:
    """Duck-typed store: runs queries on ``store.ox`` and records their SPARQL text."""

    def __init__(self, store: Store) -> None:
        self.ox = self
        self._store = store.ox
        self.queries: list[str] = []

    def query(self, text: str, **kw: Any) -> Any:
        self.queries.append(text)
        return self._store.query(text, **kw)


def _latencies(fn: Callable[[], Any], runs: int, budget: float = 60.0) -> list[float]:
    out: list[float] = []
    spent = time.perf_counter()
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
        if time.perf_counter() - spent > budget:
            break
    return out


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


OPS: dict[str, Callable[[Any], Any]] = {
    "stances (initiative filter)": lambda s: queries.stances(s, initiative="sochi congress"),
    "actor profile (stances by holder)": lambda s: queries.stances(s, holder="Turkey"),
    "meetings (actor filter)": lambda s: queries.meetings(s, actor="Iran"),
    "actors (all, with counts)": lambda s: queries.actors(s),
}


def fixed(query: str) -> str:
    """The proposed fix of the stance template: read each key from the stance's own graph.

    ``GRAPH ?hkg { ?holder dip:key ?k }`` matches every article graph that mentions the
    holder, multiplying each stance row by that count (rows grow with the square of the
    corpus); the key is also in the stance's own graph ``?g``.
    """
    return query.replace("GRAPH ?hkg", "GRAPH ?g").replace("GRAPH ?tkg", "GRAPH ?g")


def _record(n: int = 60) -> dict[str, list[str]]:
    """The SPARQL text each library call sends (data-independent), recorded on a small store."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.nq"
        write_nquads(small, n)
        with Store() as st:
            st.ox.load(path=str(small), format=ox.RdfFormat.N_QUADS)
            rec = _Recorder(st)
            texts = {}
            for name, op in OPS.items():
                rec.queries.clear()
                op(rec)
                texts[name] = list(rec.queries)
    return texts


def _emit(event: dict[str, Any]) -> None:
    print(json.dumps(event), flush=True)


def _ox_child(store: Path, qfile: Path, runs: int, budget: float) -> None:
    """Child mode: time library calls, their raw SPARQL and the fixed SPARQL on the store."""
    texts = json.loads(qfile.read_text(encoding="utf-8"))
    with Store(store, read_only=True) as st:
        for name, op in OPS.items():
            sides: list[tuple[str, Callable[[], Any]]] = [
                ("fixed", lambda t=texts[name]: [list(st.ox.query(
                    fixed(q), use_default_graph_as_union=False)) for q in t]),
                ("library", lambda op=op: op(st)),
            ]
            for side, fn in sides:
                spent = time.perf_counter()
                for _ in range(runs):
                    begin = time.perf_counter()
                    out = fn()
                    rows = len(out) if side == "library" else sum(len(r) for r in out)
                    _emit({"op": name, "side": side, "seconds": time.perf_counter() - begin,
                           "rows": rows})
                    if time.perf_counter() - spent > budget:
                        break


def _rdflib_child(data: Path, qfile: Path, runs: int) -> None:
    """Child mode: load the N-Quads into an in-memory rdflib Dataset, time the fixed SPARQL."""
    from rdflib import Dataset

    texts = json.loads(qfile.read_text(encoding="utf-8"))
    start = time.perf_counter()
    ds = Dataset()
    ds.parse(str(data), format="ox-nquads")
    _emit({"load": time.perf_counter() - start})
    for name, t in texts.items():
        for _ in range(runs):
            begin = time.perf_counter()
            for q in t:
                list(ds.query(fixed(q)))
            _emit({"op": name, "side": "rdflib", "seconds": time.perf_counter() - begin})


def _child(cmd: list[str], timeout: float) -> tuple[list[dict[str, Any]], float, bool]:
    """Run a child for at most ``timeout`` s; its JSON events, wall time, whether it finished."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    finished = True
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        finished = False
    return [json.loads(line) for line in out.splitlines()], time.perf_counter() - start, finished


def _ms(value: float) -> str:
    return f"{value * 1e3:,.1f}"


def _cell(events: list[dict[str, Any]], op: str, side: str) -> tuple[str, str, int, float | None]:
    lat = [e["seconds"] for e in events if e.get("op") == op and e.get("side") == side]
    if not lat:
        return "—", "—", 0, None
    return _ms(_pct(lat, .5)), _ms(_pct(lat, .95)), len(lat), _pct(lat, .5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20, help="runs per query (max)")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per query side")
    parser.add_argument("--ox-timeout", type=float, default=600.0)
    parser.add_argument("--rdflib-runs", type=int, default=1)
    parser.add_argument("--rdflib-timeout", type=float, default=600.0)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--ox-child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--rdflib-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ox_child:
        store, qfile, runs, budget = args.ox_child
        _ox_child(Path(store), Path(qfile), int(runs), float(budget))
        return
    if args.rdflib_child:
        data, qfile, runs = args.rdflib_child
        _rdflib_child(Path(data), Path(qfile), int(runs))
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diplograph-bench-store-"))
    work.mkdir(parents=True, exist_ok=True)
    data, qfile = work / "data.nq", work / "queries.json"

    start = time.perf_counter()
    quads = write_nquads(data, args.articles)
    gen = time.perf_counter() - start
    print(f"generated {args.articles} articles, {quads:,} quads ({data.stat().st_size >> 20} MiB)"
          f" in {gen:.1f} s (records -> graph.build -> N-Quads)", flush=True)
    with Store(work / "store") as st:
        start = time.perf_counter()
        st.ox.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        load = time.perf_counter() - start
        stored = len(st)
    print(f"oxigraph bulk_load: {load:.1f} s, {stored / load:,.0f} quads/s, "
          f"{stored:,} quads stored", flush=True)
    qfile.write_text(json.dumps(_record()), encoding="utf-8")

    ox_events, ox_wall, ox_done = _child(
        [sys.executable, __file__, "--ox-child", str(work / "store"), str(qfile),
         str(args.runs), str(args.budget)], args.ox_timeout)
    print(f"oxigraph child: {ox_wall:.0f} s{'' if ox_done else ' (timed out)'}", flush=True)
    rd_events, rd_wall, rd_done = _child(
        [sys.executable, __file__, "--rdflib-child", str(data), str(qfile),
         str(args.rdflib_runs)], args.rdflib_timeout)
    rload = next((e["load"] for e in rd_events if "load" in e), None)
    print(f"rdflib child: {rd_wall:.0f} s{'' if rd_done else ' (timed out)'}", flush=True)

    print(f"\nstore: {stored:,} quads from {args.articles} synthetic articles; "
          f"Oxigraph bulk load {load:.1f} s ({stored / load:,.0f} quads/s); "
          f"rdflib in-memory load {'n/a' if rload is None else f'{rload:.0f} s'}\n")
    print("| query | library call p50 ms (p95, runs) | fixed SPARQL p50 ms (p95, runs) "
          "| rows (fixed) | rdflib, fixed SPARQL, ms | rdflib ÷ Oxigraph |")
    print("|---|---:|---:|---:|---:|---:|")
    rd_spent = sum(e["seconds"] for e in rd_events if "seconds" in e) + (rload or 0.0)
    left = rd_wall - rd_spent if not rd_done else 0.0
    for name in OPS:
        l50, l95, ln, _ = _cell(ox_events, name, "library")
        f50, f95, fn, fsec = _cell(ox_events, name, "fixed")
        rows = next((e["rows"] for e in ox_events if e.get("op") == name), "—")
        lib = f"{l50} ({l95}, {ln})" if ln else ("> timeout" if not ox_done else "—")
        r50, _, rn, rsec = _cell(rd_events, name, "rdflib")
        if rn and fsec:
            rd, ratio = r50, f"{rsec / fsec:,.0f}×"
        elif left > 0 and fsec:
            rd, ratio = f"> {_ms(left)} (timed out)", f"> {left / fsec:,.0f}×"
            left = 0.0
        else:
            rd, ratio = "not reached", "n/a"
        print(f"| {name} | {lib} | {f50} ({f95}, {fn}) | {rows} | {rd} | {ratio} |")
    print("\n(library call: graph.queries as shipped, incl. row building; fixed SPARQL: the "
          "same text with keys read from the stance's own graph, see fixed(); rdflib runs "
          "the fixed text on an in-memory Dataset of the same quads.)")
    print("reproduce: " + shlex.join([".venv/bin/python", "bench/store.py",
                                      "--articles", str(args.articles)]))


if __name__ == "__main__":
    main()
