"""The ``diplograph`` command line: thin wrappers over the library."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from diplograph.errors import DiplographError
from diplograph.settings import settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Build a knowledge graph of diplomatic actors, meetings and stances from news articles.",
)
err = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    jsonld = "jsonld"
    plover = "plover"
    edges_csv = "edges-csv"


StoreOpt = Annotated[
    Path, typer.Option("--store", "-s", help="Store directory (embedded Oxigraph).")
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people, json/csv for scripts.")
]
EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="Query this SPARQL endpoint (e.g. http://127.0.0.1:7878/query) instead of the "
        "store; credentials from $DIPLOGRAPH_PUSH_USER/$DIPLOGRAPH_PUSH_PASSWORD or ~/.netrc.",
    ),
]


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    return typer.Exit(code=1)


def _open(path: Path, *, read_only: bool = True):
    from diplograph.graph.store import Store

    if read_only and not path.exists():
        raise DiplographError(f"store {str(path)!r} does not exist; run 'diplograph ingest' first")
    return Store(path, read_only=read_only)


def _emit(rows: list[dict[str, Any]], fmt: OutputFormat, columns: list[str], title: str) -> None:
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        fields = list(rows[0]) if rows else columns
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        typer.echo(buf.getvalue(), nl=False)
        return
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(
            *(", ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
              for v in (row.get(c) for c in columns))
        )
    Console().print(table)


def _input_files(path: Path) -> list[Path]:
    """The files under ``path`` (itself if a file), hidden entries skipped."""
    import os

    if not path.is_dir():
        return [path]
    files: list[Path] = []
    for root, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += (Path(root, n) for n in names if not n.startswith("."))
    return files


def _count_inputs(paths: list[Path]) -> int | None:
    """Articles the inputs hold, counted cheaply (files, JSONL lines); ``None`` with feeds."""
    from diplograph.ingest.sources import SUFFIXES

    total = 0
    for file in (f for p in paths for f in _input_files(p)):
        kind = SUFFIXES.get(file.suffix.lower())
        if kind == "feed":
            return None
        if kind != "jsonl":
            total += kind is not None or file in paths  # a named bad file is one error
            continue
        try:
            with file.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            total += 1
    return total


def _progress(total: int | None) -> tuple[Any, Any]:
    """A stderr progress bar: done/total, articles/s, ETA, skipped and failed counts."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        """Mean articles/s since the start (results arrive in bursts from workers)."""

        def render(self, task: Task) -> Text:
            elapsed = task.finished_time or task.elapsed
            if not elapsed or not task.completed:
                return Text("-- articles/s")
            return Text(f"{task.completed / elapsed:,.1f} articles/s")

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if total is not None else TextColumn("{task.completed} articles"),
        Rate(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[skipped]} skipped, {task.fields[failed]} failed"),
        console=err,
        speed_estimate_period=600.0,  # ETA from the mean rate, not the last burst
    )
    return progress, progress.add_task("ingesting", total=total, skipped=0, failed=0)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
    store: StoreOpt = settings.store,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) where a source has none.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model package name.")] = settings.model,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", "-w", min=1,
            help="Worker processes parsing in parallel (each loads the model once); "
            "with --scheduler local, the number of Dask workers.",
        ),
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Run the NLP on Dask: a scheduler address (tcp://HOST:8786) or 'local' "
            "to start a local cluster. Needs pip install 'diplograph\\[dask]'.",
        ),
    ] = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop at the first item that fails.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read articles, extract actors, meetings and stances, and store one graph per article.

    Unchanged articles (same text, same extractor version) are skipped; changed ones
    replace their graph. Exits 1 when any item failed.
    """
    from diplograph.api import ingest as run
    from diplograph.ingest.records import Article, ArticleError

    try:
        pub = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise _fail(DiplographError(f"--published {published!r}: expected YYYY-MM-DD")) from None
    progress: Any = None
    task: Any = None
    if not quiet and sys.stderr.isatty():
        progress, task = _progress(_count_inputs(paths))
    counts = {"skipped": 0, "failed": 0}

    def tick(item: object) -> None:
        if progress is None:
            return
        if isinstance(item, ArticleError):
            counts["failed"] += 1
        elif isinstance(item, Article):
            counts["skipped"] += 1
        progress.update(task, advance=1, **counts)

    try:
        with _open(store, read_only=False) as st:
            if progress is not None:
                progress.start()
            try:
                summary = run(
                    paths, st, published=pub, model=model, workers=workers,
                    scheduler=scheduler, fail_fast=fail_fast, on_item=tick,
                )
            finally:
                if progress is not None:
                    progress.stop()
            total = len(st)
    except DiplographError as exc:
        raise _fail(exc) from exc
    for e in summary.errors:
        err.print(f"[red]failed:[/] {e.origin}: {e.reason}", highlight=False)
    if fail_fast and summary.failed:
        err.print("stopped at the first failure (--fail-fast)", highlight=False)
    err.print(
        f"{summary.new} new, {summary.changed} changed, {summary.skipped} skipped, "
        f"{summary.failed} failed; store holds {total} quads",
        highlight=False,
    )
    if summary.failed:
        raise typer.Exit(code=1)


@app.command()
def stances(
    initiative: Annotated[
        str | None, typer.Argument(help="Initiative name or alias (substring, any case).")
    ] = None,
    holder: Annotated[str | None, typer.Option(help="Holder name or mention (substring).")] = None,
    polarity: Annotated[str | None, typer.Option(help="support or reject.")] = None,
    explain: Annotated[bool, typer.Option(help="Show the evidence sentence and the rule.")] = False,
    store: StoreOpt = settings.store,
    fmt: FormatOpt = OutputFormat.table,
    endpoint: EndpointOpt = None,
) -> None:
    """Who supports or rejects which initiative, with the sentence behind each answer."""
    from diplograph.graph.queries import stances as query

    if polarity not in {None, "support", "reject"}:
        raise _fail(DiplographError(f"--polarity {polarity!r}: expected support or reject"))
    try:
        with _source(store, endpoint) as st:
            found = query(st, initiative=initiative, holder=holder, polarity=polarity)
            rows = [r.as_dict() for r in found]
    except DiplographError as exc:
        raise _fail(exc) from exc
    cols = ["holder", "polarity", "target", "conditional", "date", "article"]
    if explain:
        cols += ["sentence", "rule", "confidence"]
    _emit(rows, fmt, cols, "Stances")


@app.command()
def meetings(
    actor: Annotated[str | None, typer.Option(help="Only meetings with this actor.")] = None,
    store: StoreOpt = settings.store,
    fmt: FormatOpt = OutputFormat.table,
    endpoint: EndpointOpt = None,
) -> None:
    """Meetings: type, participants, hosts, mediators, place, dates, round and status."""
    from diplograph.graph.queries import meetings as query

    try:
        with _source(store, endpoint) as st:
            rows = [r.as_dict() for r in query(st, actor=actor)]
    except DiplographError as exc:
        raise _fail(exc) from exc
    cols = ["name", "type", "status", "location", "start_date", "end_date", "round",
            "participants", "hosts", "mediators", "article"]
    _emit(rows, fmt, cols, "Meetings")


@app.command()
def actors(
    store: StoreOpt = settings.store,
    fmt: FormatOpt = OutputFormat.table,
    endpoint: EndpointOpt = None,
) -> None:
    """Canonical actors with country, sector and Wikidata id (QID)."""
    from diplograph.graph.queries import actors as query

    try:
        with _source(store, endpoint) as st:
            rows = [r.as_dict() for r in query(st)]
    except DiplographError as exc:
        raise _fail(exc) from exc
    _emit(rows, fmt, ["label", "kind", "country", "sector", "wikidata", "articles"], "Actors")


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL query; '-' reads it from stdin.")],
    store: StoreOpt = settings.store,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Run a SPARQL query against the store (name graphs explicitly: GRAPH ?g { … })."""
    text = sys.stdin.read() if query == "-" else query
    try:
        with _open(store) as st:
            result = st.sparql(text)
    except DiplographError as exc:
        raise _fail(exc) from exc
    if isinstance(result, bool):
        typer.echo(json.dumps(result))
        return
    if result and isinstance(result[0], tuple):
        for s, p, o in result:
            typer.echo(f"{s} {p} {o} .")
        return
    rows = [{k: (None if v is None else v.value) for k, v in row.items()} for row in result]
    _emit(rows, fmt, list(rows[0]) if rows else [], "Results")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.turtle,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    store: StoreOpt = settings.store,
    endpoint: EndpointOpt = None,
) -> None:
    """Export the graph: Turtle (union of graphs), TriG / N-Quads (graphs kept), JSON-LD,
    PLOVER-style JSONL events (plover) or an actor-relation-target CSV (edges-csv).

    --endpoint reads a remote SPARQL endpoint instead of the store (plover and
    edges-csv only).
    """
    from diplograph.graph.export import edge_rows_csv, plover_jsonl
    from diplograph.graph.export import export as run

    try:
        if endpoint is not None:
            if fmt not in (ExportFormat.plover, ExportFormat.edges_csv):
                raise DiplographError(
                    f"--endpoint works with --format plover or edges-csv, not {fmt.value}"
                )
            with _source(store, endpoint) as src:
                text = plover_jsonl(src) if fmt is ExportFormat.plover else edge_rows_csv(src)
            if output is not None:
                output.write_text(text, encoding="utf-8")
                text = None
        else:
            with _open(store) as st:
                text = run(st, fmt.value, output)
    except DiplographError as exc:
        raise _fail(exc) from exc
    if text is not None:
        sys.stdout.write(text)
    else:
        err.print(f"wrote {output}", highlight=False)


@app.command()
def validate(store: StoreOpt = settings.store) -> None:
    """Check the store against the SHACL shapes; exit 1 on violations."""
    from diplograph.graph.validate import validate as run

    try:
        with _open(store) as st:
            report = run(st)
    except DiplographError as exc:
        raise _fail(exc) from exc
    if report.conforms:
        typer.echo("conforms: the store passes every SHACL shape")
        return
    typer.echo(report.text)
    err.print(f"[red]{report.results} violation(s)[/]", highlight=False)
    raise typer.Exit(code=1)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (dev corpus format).")],
    articles: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    model: Annotated[str | None, typer.Option(help="spaCy model package name.")] = settings.model,
    errors: Annotated[
        bool, typer.Option("--errors", help="List every false positive/negative.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Precision/recall/F1 of stances and meetings against gold annotations (alias-aware)."""
    from diplograph.api import extract_paths
    from diplograph.ingest.evaluation import evaluate as run
    from diplograph.ingest.evaluation import load_gold
    from diplograph.ingest.records import ArticleError

    try:
        gold_set = load_gold(gold)
        wanted = set(gold_set)
        preds = []
        for item in extract_paths(articles, model=model):
            if isinstance(item, ArticleError):
                err.print(f"[red]failed:[/] {item.origin}: {item.reason}", highlight=False)
            elif item.article.id in wanted:
                preds.append(item)
        # score only the articles given: gold for articles not passed is not a miss
        given = {p.article.id for p in preds}
        subset = {k: v for k, v in gold_set.items() if k in given}
        report = run(subset, preds, actors=gold_set.actors, initiatives=gold_set.initiatives)
    except DiplographError as exc:
        raise _fail(exc) from exc
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    rows = [{"measure": m, "value": v} for m, v in report.table()]
    _emit(rows, fmt, ["measure", "value"], "Evaluation")
    if errors:
        for e in report.errors:
            typer.echo(f"{e.article}\t{e.kind}\t{e.description}\t{e.sentence}")


# --- interoperability commands: push, serve (issue 5) ---


def _source(store: Path, endpoint: str | None):
    """The remote endpoint when one is given, else the store opened read-only."""
    if endpoint is None:
        return _open(store)
    from diplograph.graph.endpoint import Endpoint

    return Endpoint(endpoint)


@app.command()
def push(
    url: Annotated[
        str,
        typer.Argument(
            help="Graph Store Protocol endpoint: Oxigraph http://HOST:7878/store, Virtuoso "
            "http://HOST:8890/sparql-graph-crud-auth. No credentials in the URL."
        ),
    ],
    store: StoreOpt = settings.store,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Most triples per request (larger graphs are split).")
    ] = 50_000,
    retries: Annotated[
        int, typer.Option(min=0, help="Retries on 5xx and connection errors.")
    ] = 4,
    backoff: Annotated[
        float, typer.Option(min=0.0, help="Seconds before the first retry (doubles).")
    ] = 0.5,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request.")] = False,
) -> None:
    """Send every graph (one per article, plus the registry) to a SPARQL 1.1 store.

    Each graph is PUT to URL?graph=IRI, replacing it: pushing twice changes nothing.
    Credentials come from $DIPLOGRAPH_PUSH_USER / $DIPLOGRAPH_PUSH_PASSWORD or
    ~/.netrc, never from the command line. TLS certificates are verified.
    """
    import logging

    from diplograph.graph.push import push as run

    if verbose:
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
        logging.getLogger("diplograph.graph.push").setLevel(logging.DEBUG)

    def tick(graph: str, ok: bool) -> None:
        if verbose:
            err.print(f"{'sent' if ok else '[red]failed[/]'} {graph}", highlight=False)

    try:
        with _open(store) as st:
            report = run(
                st, url, batch_size=batch_size, retries=retries, backoff=backoff, on_graph=tick
            )
    except DiplographError as exc:
        raise _fail(exc) from exc
    err.print(
        f"pushed {report.graphs} graph(s), {report.triples} triples to {report.url} "
        f"in {report.requests} request(s)",
        highlight=False,
    )
    for failure in report.failures:
        err.print(
            f"[red]failed:[/] {failure.graph}: {failure.reason or 'no response'} "
            f"({failure.attempts} attempt(s))",
            highlight=False,
        )
    if report.skipped:
        err.print(
            f"[red]not sent:[/] {len(report.skipped)} graph(s) after the authentication failure",
            highlight=False,
        )
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def serve(
    store: StoreOpt = settings.store,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 7878,
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback exposes the store.")
    ] = "127.0.0.1",
) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint (Ctrl-C stops it)."""
    from diplograph.graph.serve import EXAMPLE_QUERY, make_server

    try:
        server = make_server(store, host=host, port=port)
    except (DiplographError, OSError) as exc:
        raise _fail(exc) from exc
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: reachable from other machines")
    example = " ".join(EXAMPLE_QUERY.split())
    err.print(
        f"SPARQL endpoint (read-only) at {server.url}\n"
        f"try: curl -H 'Accept: text/csv' --data-urlencode 'query={example}' {server.url}",
        highlight=False, soft_wrap=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# --- visualisation commands: viz (issue 6) ---


@app.command()
def viz(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    initiative: Annotated[
        str | None, typer.Option(help="Only this initiative's neighbourhood (name or alias).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Page title.")] = None,
    store: StoreOpt = settings.store,
) -> None:
    """Write the graph as one self-contained HTML page that opens offline (hover for evidence)."""
    from diplograph.graph.viz import write_html

    try:
        with _open(store) as st:
            shown = write_html(st, output, initiative=initiative, title=title)
    except DiplographError as exc:
        raise _fail(exc) from exc
    err.print(f"wrote {output}: {shown.number_of_nodes()} nodes, "
              f"{shown.number_of_edges()} edges", highlight=False)


@app.command()
def pictures(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the PNG files.")],
    store: StoreOpt = settings.store,
) -> None:
    """Draw the stance matrix, the timeline and the stance network as PNG files."""
    from diplograph.graph.network import to_networkx
    from diplograph.graph.pictures import save_pictures

    try:
        with _open(store) as st:
            graph = to_networkx(st)
        paths = save_pictures(graph, output)
    except DiplographError as exc:
        raise _fail(exc) from exc
    for path in paths:
        err.print(f"wrote {path}", highlight=False)


def main() -> None:  # pragma: no cover - console entry point
    app()
