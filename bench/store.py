"""Store load and query latency: ≥ 1M triples of diplograph-shaped data, Oxigraph vs rdflib.

Synthetic articles (actors, initiatives, meetings, stances with evidence) are built as
the frozen records of ingest/records.py and turned into quads by graph/build.py, so the
data has exactly the shape of an ingested corpus: one named graph per article plus the
registry graph. They are written as N-Quads, bulk-loaded with Oxigraph's native loader
into an on-disk store, and queried with the library's own query functions
(graph/queries.py). The same calls then run on an in-memory rdflib Dataset holding the
same quads (the library's SPARQL text answered by rdflib).

    .venv/bin/python bench/store.py --articles 3000
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


class _RdflibStore:
    """Duck-typed store: runs the library's SPARQL on an in-memory rdflib Dataset.

    ``graph.queries`` calls ``store.ox.query(text, use_default_graph_as_union=False)``;
    this answers like pyoxigraph (a bool for ASK, else solutions mapping each variable
    to a pyoxigraph term or ``None``), so the same library calls run on both stores.
    """

    def __init__(self, dataset: Any) -> None:
        self.ox = self
        self._ds = dataset

    def query(self, text: str, **_: Any) -> Any:
        result = self._ds.query(text)
        if result.type == "ASK":
            return bool(result.askAnswer)
        names = [str(v) for v in result.vars]
        return [_Solution({n: _ox_term(row[n]) for n in names}) for row in result]


class _Solution(dict):
    """A solution: unbound variables read as ``None``, like a pyoxigraph solution."""

    def __missing__(self, key: str) -> None:
        return None


def _ox_term(term: Any) -> Any:
    """The pyoxigraph term for an rdflib term (``None`` stays ``None``)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected rdflib term {term!r}")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


OPS: dict[str, Callable[[Any], Any]] = {
    "stances (initiative filter)": lambda s: queries.stances(s, initiative="sochi congress"),
    "stances (one initiative)": lambda s: queries.stances(s, initiative="Sochi congress 0"),
    "actor profile (stances by holder)": lambda s: queries.stances(s, holder="Turkey"),
    "meetings (actor filter)": lambda s: queries.meetings(s, actor="Iran"),
    "actors (all, with counts)": lambda s: queries.actors(s),
}
"""The library calls timed; the synthetic labels make "sochi congress" match 38 of the
300 initiatives ("Sochi congress 0", "… 8", …), "Sochi congress 0" exactly one."""


def _emit(event: dict[str, Any]) -> None:
    print(json.dumps(event), flush=True)


def _time_ops(store: Any, side: str, runs: int, budget: float) -> None:
    """Run each library call up to ``runs`` times (``budget`` seconds), emitting timings."""
    for name, op in OPS.items():
        spent = time.perf_counter()
        for _ in range(runs):
            begin = time.perf_counter()
            rows = len(op(store))
            _emit({"op": name, "side": side, "seconds": time.perf_counter() - begin,
                   "rows": rows})
            if time.perf_counter() - spent > budget:
                break


def _ox_child(store: Path, runs: int, budget: float) -> None:
    """Child mode: time the library calls on the on-disk Oxigraph store (read-only)."""
    with Store(store, read_only=True) as st:
        _time_ops(st, "oxigraph", runs, budget)


def _rdflib_child(data: Path, runs: int, budget: float) -> None:
    """Child mode: load the N-Quads into an in-memory rdflib Dataset, time the same calls."""
    from rdflib import Dataset

    start = time.perf_counter()
    ds = Dataset(default_union=False)
    ds.parse(str(data), format="ox-nquads")
    _emit({"load": time.perf_counter() - start})
    _time_ops(_RdflibStore(ds), "rdflib", runs, budget)


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


def _rows(events: list[dict[str, Any]], op: str) -> str:
    return str(next((e["rows"] for e in events if e.get("op") == op), "—"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20, help="runs per query (max)")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per query (max)")
    parser.add_argument("--ox-timeout", type=float, default=600.0)
    parser.add_argument("--rdflib-runs", type=int, default=3)
    parser.add_argument("--rdflib-timeout", type=float, default=900.0)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--ox-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--rdflib-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ox_child:
        store, runs, budget = args.ox_child
        _ox_child(Path(store), int(runs), float(budget))
        return
    if args.rdflib_child:
        data, runs, budget = args.rdflib_child
        _rdflib_child(Path(data), int(runs), float(budget))
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="diplograph-bench-store-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data.nq"

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

    ox_events, ox_wall, ox_done = _child(
        [sys.executable, __file__, "--ox-child", str(work / "store"), str(args.runs),
         str(args.budget)], args.ox_timeout)
    print(f"oxigraph child: {ox_wall:.0f} s{'' if ox_done else ' (timed out)'}", flush=True)
    rd_events, rd_wall, rd_done = _child(
        [sys.executable, __file__, "--rdflib-child", str(data), str(args.rdflib_runs),
         str(args.budget)], args.rdflib_timeout)
    rload = next((e["load"] for e in rd_events if "load" in e), None)
    print(f"rdflib child: {rd_wall:.0f} s{'' if rd_done else ' (timed out)'}", flush=True)

    print(f"\nstore: {stored:,} quads from {args.articles} synthetic articles; "
          f"Oxigraph bulk load {load:.1f} s ({stored / load:,.0f} quads/s); "
          f"rdflib in-memory load {'n/a' if rload is None else f'{rload:.0f} s'}\n")
    print("| library call | rows | Oxigraph p50 ms (p95, runs) | rdflib p50 ms (runs) "
          "| rdflib ÷ Oxigraph |")
    print("|---|---:|---:|---:|---:|")
    rd_spent = sum(e["seconds"] for e in rd_events if "seconds" in e) + (rload or 0.0)
    left = rd_wall - rd_spent if not rd_done else 0.0
    for name in OPS:
        o50, o95, on, osec = _cell(ox_events, name, "oxigraph")
        oxi = f"{o50} ({o95}, {on})" if on else ("> timeout" if not ox_done else "—")
        r50, _, rn, rsec = _cell(rd_events, name, "rdflib")
        if rn and osec:
            rd, ratio = f"{r50} ({rn})", f"{rsec / osec:,.0f}×"
        elif left > 0 and osec:
            rd, ratio = f"> {_ms(left)} (timed out)", f"> {left / osec:,.0f}×"
            left = 0.0
        else:
            rd, ratio = "not reached", "n/a"
        print(f"| {name} | {_rows(ox_events, name)} | {oxi} | {rd} | {ratio} |")
    print("\n(the same graph.queries calls on both stores, row building included; Oxigraph "
          "on disk, opened read-only; rdflib runs the library's SPARQL text on an in-memory "
          "Dataset of the same quads.)")
    print("reproduce: " + shlex.join([".venv/bin/python", "bench/store.py",
                                      "--articles", str(args.articles)]))


if __name__ == "__main__":
    main()
