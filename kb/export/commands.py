"""The export commands: ``kb graph``, ``kb timeline``, ``kb report``, ``kb export``,
``kb screenshots``, registered on the root Typer app by kb/cli.py.

Each command opens the store (``--db`` on the root app, read from ``ctx.obj["db"]``),
reads all events, statements and actors, and calls one library function; filters are
applied by :func:`kb.graph.records.filter_records`, so every export filters the same way.
:func:`write_all` writes the graph, timeline and report for ``kb demo``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kb.errors import ExportError, KBError
from kb.export.formats import FORMATS, export_data
from kb.graph.records import canonical_names, filter_records
from kb.safe import visible

__all__ = ["register", "write_all", "load_records"]

ActorOpt = Annotated[list[str] | None, typer.Option("--actor", help="Keep this actor (repeat).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this day (YYYY-MM-DD).")]
TypeOpt = Annotated[list[str] | None, typer.Option("--type", help="Keep this event type (repeat).")]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option("--source", help="Keep this source: id, title, publisher, path or URL (repeat)."),
]


F = TypeVar("F", bound=Callable[..., Any])


def _one_line_errors(command: F) -> F:
    """Turn a KBError into one ``error:`` line on stderr (control characters made
    visible) and the exit status of its kind."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KBError as exc:
            typer.echo(f"error: {visible(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None

    return run  # type: ignore[return-value]


def load_records(store: Any) -> tuple[list[dict], list[dict], list[dict]]:
    """All events, statements and actors of an open store."""
    return (
        list(store.events(limit=None)),
        list(store.statements(limit=None)),
        list(store.actors()),
    )


def _open_store(ctx: typer.Context) -> Any:
    from kb.store import Store

    return Store.open((ctx.obj or {}).get("db"), create=False)


def _records(ctx: typer.Context) -> tuple[list[dict], list[dict], list[dict]]:
    store = _open_store(ctx)
    try:
        return load_records(store)
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


def write_all(store: Any, out_dir: Path) -> dict[str, Path]:
    """Write graph.html, timeline.html, report.html and report.md (+ .svg) to ``out_dir``."""
    from kb.export.graph_html import write_graph_html
    from kb.export.report import write_report
    from kb.export.timeline_html import write_timeline_html
    from kb.graph.build import build_graph

    out_dir = Path(out_dir)
    events, statements, actors = load_records(store)
    return {
        "graph": write_graph_html(build_graph(events, statements, actors), out_dir / "graph.html"),
        "timeline": write_timeline_html(events, statements, out_dir / "timeline.html", actors),
        "report": write_report(events, statements, actors, out_dir / "report.html"),
        "report_md": write_report(events, statements, actors, out_dir / "report.md"),
    }


def graph(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path(
        "exports/graph.html"
    ),
    actor: ActorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    source: SourceOpt = None,
    title: Annotated[str, typer.Option(help="Page title.")] = "kb: who is linked to whom",
) -> None:
    """Write the interactive relationship graph (one self-contained HTML file)."""
    from kb.export.graph_html import write_graph_html
    from kb.graph.period import period_graph

    store = _open_store(ctx)
    try:  # only the period's records are read (the same graph as from every record)
        G = period_graph(store, actors_filter=actor, since=since, until=until, types=type_,
                         sources=source)
    finally:
        store.close()
    path = write_graph_html(G, out, title=title)
    typer.echo(f"wrote {path} ({G.number_of_nodes()} nodes)")


TIMELINE_FORMATS = ("html", "semeval")


_TIMELINE_TITLE = "kb: timeline"


def timeline(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="File to write (exports/timeline.html, or "
                     "exports/timeline.semeval.txt with --format semeval)."),
    ] = None,
    actor: ActorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    source: SourceOpt = None,
    title: Annotated[str, typer.Option(help="Page title.")] = _TIMELINE_TITLE,
    story: Annotated[bool, typer.Option(
        "--story", help="The story day by day instead: each day's facts, those most "
        "sources carry first, each with every report's sentence.")] = False,
    min_sources: Annotated[int, typer.Option(
        min=1, help="Only facts at least this many outlets carry (with --story).")] = 1,
    fmt: Annotated[
        str,
        typer.Option("--format", help="html (interactive page) or semeval (one --actor's "
                     "events in the SemEval-2015 Task 4 TimeLine format)."),
    ] = "html",
    reported: Annotated[
        str,
        typer.Option(help="semeval: events with no stated date are 'unplaced' (rank 0) "
                     "or placed at their article's date ('published')."),
    ] = "unplaced",
) -> None:
    """Write the interactive timeline, one lane per actor (one self-contained HTML file);
    with --story, the story's chronology (the report's page); or one actor's timeline
    in the SemEval-2015 Task 4 format (--format semeval)."""
    from kb.export.report import write_report
    from kb.export.timeline_html import write_timeline_html

    if fmt not in TIMELINE_FORMATS:
        raise ExportError(f"--format {fmt!r} is not one of: {', '.join(TIMELINE_FORMATS)}")
    if fmt == "semeval":
        _semeval_timeline(ctx, out or Path("exports/timeline.semeval.txt"), actor, reported,
                          since=since, until=until, types=type_, sources=source)
        return
    out = out or Path("exports/timeline.html")
    events, statements, actors = _records(ctx)
    kept_events, kept_statements = filter_records(
        events,
        statements,
        actors,
        actors_filter=actor,
        since=since,
        until=until,
        types=type_,
        sources=source,
    )
    if story:
        if out.suffix.lower() not in (".html", ".htm"):
            raise typer.BadParameter("the story is an HTML page: give --out a .html name")
        if title == _TIMELINE_TITLE:
            title = "The story, day by day"
        path = write_report(kept_events, kept_statements, actors, out,
                            min_sources=min_sources, title=title)
        typer.echo(f"wrote {path}")
        return
    lanes: list[Any] = [*canonical_names(actor or (), actors), *actors]
    path = write_timeline_html(kept_events, kept_statements, out, lanes, title=title)
    typer.echo(f"wrote {path}")


def _semeval_timeline(ctx: typer.Context, out: Path, actor: list[str] | None,
                      reported: str, **filters: Any) -> None:
    from kb.export.html import write_text
    from kb.export.semeval import REPORTED, store_timeline

    if len(actor or ()) != 1:
        raise ExportError("--format semeval writes one actor's timeline: pass one --actor")
    if reported not in REPORTED:
        raise ExportError(f"--reported {reported!r} is not one of: {', '.join(REPORTED)}")
    store = _open_store(ctx)
    try:
        text = store_timeline(store, actor[0], reported, **filters)  # type: ignore[index]
    finally:
        store.close()
    write_text(out, text)
    typer.echo(f"wrote {out} ({len(text.splitlines()) - 1} events)")


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Report to write: .md or .html.")] = Path(
        "exports/report.md"
    ),
    actor: ActorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    source: SourceOpt = None,
    min_sources: Annotated[int, typer.Option(
        min=1, help="Only facts at least this many outlets carry.")] = 1,
) -> None:
    """Write the story day by day: each day's facts, those most sources carry first,
    with every report's sentence, and an actor table (.md or .html)."""
    from kb.export.report import write_report

    events, statements, actors = _records(ctx)
    kept_events, kept_statements = filter_records(
        events,
        statements,
        actors,
        actors_filter=actor,
        since=since,
        until=until,
        types=type_,
        sources=source,
    )
    path = write_report(kept_events, kept_statements, actors, out, min_sources=min_sources)
    typer.echo(f"wrote {path}")


def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")],
    out: Annotated[Path | None, typer.Option("--out", help="File to write.")] = None,
) -> None:
    """Export the events, statements and actors as json, csv, graphml, gexf or timelinejs."""
    suffix = {"timelinejs": "timeline.json"}.get(fmt.lower(), fmt.lower())
    events, statements, actors = _records(ctx)
    paths = export_data(fmt, events, statements, actors, out or Path(f"exports/kb.{suffix}"))
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


def screenshots(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Folder of the HTML exports.")] = Path(
        "exports"
    ),
) -> None:
    """Screenshot graph.html and timeline.html to PNG in headless Chromium.

    Pages missing from --out-dir are written from the store first.
    """
    from kb.export.graph_html import write_graph_html
    from kb.export.screenshots import take_screenshots
    from kb.export.timeline_html import write_timeline_html
    from kb.graph.build import build_graph

    pages = {"graph": out_dir / "graph.html", "timeline": out_dir / "timeline.html"}
    if not all(p.is_file() for p in pages.values()):
        events, statements, actors = _records(ctx)
        if not pages["graph"].is_file():
            write_graph_html(build_graph(events, statements, actors), pages["graph"])
        if not pages["timeline"].is_file():
            write_timeline_html(events, statements, pages["timeline"], actors)
    for name, path in take_screenshots(pages, out_dir).items():
        typer.echo(f"wrote {path} ({name})")


def register(app: typer.Typer) -> None:
    """Add the export commands to ``app``."""
    app.command("graph")(_one_line_errors(graph))
    app.command("timeline")(_one_line_errors(timeline))
    app.command("report")(_one_line_errors(report))
    app.command("export")(_one_line_errors(export))
    app.command("screenshots")(_one_line_errors(screenshots))
