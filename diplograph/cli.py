"""The ``diplograph`` command line: thin wrappers over the library."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from enum import Enum
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


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    jsonld = "jsonld"


StoreOpt = Annotated[
    Path, typer.Option("--store", "-s", help="Store directory (embedded Oxigraph).")
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people, json/csv for scripts.")
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


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
    store: StoreOpt = settings.store,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) where a source has none.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model package name.")] = settings.model,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read articles, extract actors, meetings and stances, and store one graph per article."""
    from diplograph.api import ingest as run

    try:
        pub = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise _fail(DiplographError(f"--published {published!r}: expected YYYY-MM-DD")) from None
    try:
        with _open(store, read_only=False) as st:
            progress = None
            if not quiet and sys.stderr.isatty():
                from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

                progress = Progress(
                    SpinnerColumn(), TextColumn("{task.description}"),
                    TextColumn("{task.completed} articles"), TimeElapsedColumn(), console=err,
                )
                task = progress.add_task("ingesting", total=None)
                progress.start()

            def tick(_item) -> None:
                if progress is not None:
                    progress.advance(task)

            try:
                summary = run(paths, st, published=pub, model=model, on_item=tick)
            finally:
                if progress is not None:
                    progress.stop()
            total = len(st)
    except DiplographError as exc:
        raise _fail(exc) from exc
    for e in summary.errors:
        err.print(f"[red]failed:[/] {e.origin}: {e.reason}", highlight=False)
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
) -> None:
    """Who supports or rejects which initiative, with the sentence behind each answer."""
    from diplograph.graph.queries import stances as query

    if polarity not in {None, "support", "reject"}:
        raise _fail(DiplographError(f"--polarity {polarity!r}: expected support or reject"))
    try:
        with _open(store) as st:
            rows = [r.as_dict() for r in query(st, initiative=initiative, holder=holder, polarity=polarity)]
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
) -> None:
    """Meetings: type, participants, hosts, mediators, place, dates, round and status."""
    from diplograph.graph.queries import meetings as query

    try:
        with _open(store) as st:
            rows = [r.as_dict() for r in query(st, actor=actor)]
    except DiplographError as exc:
        raise _fail(exc) from exc
    cols = ["name", "type", "status", "location", "start_date", "end_date", "round",
            "participants", "hosts", "mediators", "article"]
    _emit(rows, fmt, cols, "Meetings")


@app.command()
def actors(store: StoreOpt = settings.store, fmt: FormatOpt = OutputFormat.table) -> None:
    """Canonical actors with country, sector and Wikidata id."""
    from diplograph.graph.queries import actors as query

    try:
        with _open(store) as st:
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
) -> None:
    """Export the graph: Turtle (union of graphs), TriG / N-Quads (graphs kept), JSON-LD."""
    from diplograph.graph.export import export as run

    try:
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
    errors: Annotated[bool, typer.Option("--errors", help="List every false positive/negative.")] = False,
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
    _emit([{"measure": m, "value": v} for m, v in report.table()], fmt, ["measure", "value"], "Evaluation")
    if errors:
        for e in report.errors:
            typer.echo(f"{e.article}\t{e.kind}\t{e.description}\t{e.sentence}")


# --- interoperability commands: push, serve (issue 5) ---


# --- visualisation commands: viz (issue 6) ---


def main() -> None:  # pragma: no cover - console entry point
    app()
