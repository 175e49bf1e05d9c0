"""The command line: a thin layer over the library.

Every command parses its options, calls one function of kb and prints the result.
Errors the library raises on purpose (KBError) become one line on stderr and the exit
status of their kind (see kb/errors.py: 2 bad input or name, 3 database); a run that
skipped bad input exits 1. Everything printed from article text goes through
kb.safe (markup escaped, control characters made visible).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from kb import __version__
from kb.display import date_words
from kb.errors import KBError
from kb.output import FORMATS, render
from kb.safe import terminal, terminal_text, visible

__all__ = ["app"]

app = typer.Typer(
    help="kb: who said what, when, to whom and about whom, from news articles.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure extraction on annotated data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(eval_app, name="eval")

# Piped output is read by other programs and people alike: wide enough not to wrap names.
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)  # one message, one line: easy to grep
T = TypeVar("T")

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
SinceOpt = Annotated[
    str | None, typer.Option(help="Only on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
]
UntilOpt = Annotated[
    str | None, typer.Option(help="Only on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")
]
PAGE = 100
LimitOpt = Annotated[
    int, typer.Option(min=1, help="Show the newest this many (in date order).")
]
AllOpt = Annotated[bool, typer.Option("--all", help="Show every one, not only the newest.")]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {terminal(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


def _run(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except KBError as exc:
        _fail(str(exc), exc.exit_code)
        raise  # unreachable: _fail exits


def _report(label: str, style: str, message: object) -> None:
    """One ``failed:``/``warning:``/``note:`` line on stderr; the message is untrusted."""
    err.print(f"[{style}]{label}:[/] {terminal(message)}", highlight=False)


def _day(value: str | None, end: bool, option: str) -> dt.date | None:
    """--since/--until: YYYY, YYYY-MM or YYYY-MM-DD; an --until month means its last day."""
    from kb.graph.records import parse_day

    return parse_day(value, option, end=end)


def _check_choice(option: str, value: str, allowed: Sequence[str]) -> str:
    """``value`` of ``option`` when it is one of ``allowed``; else one error line."""
    if value not in allowed:
        _fail(f"{option} {value!r} is not one of: {', '.join(allowed)}")
    return value


def _check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    return _check_choice("--format", fmt, allowed)


def _store(ctx: typer.Context, create: bool = False) -> Any:
    """The store ``--db`` names; only commands that write pass ``create`` (a read
    command never creates or migrates a database)."""
    from kb.store import Store

    return Store.open((ctx.obj or {}).get("db"), create=create)


def _print(value: Any) -> None:
    """Print a string as it is (control characters made visible on a terminal: JSON and
    CSV may carry article text) or a Rich renderable."""
    if isinstance(value, str):
        if sys.stdout.isatty():
            value = visible(value)
        sys.stdout.write(value if value.endswith("\n") else value + "\n")
    else:
        out.print(value)


def _version(value: bool) -> None:
    if value:
        _print(f"kb {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="KB_DATABASE_URL",
            help="Database URL (any SQLAlchemy URL). Default: sqlite:///kb.sqlite here.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """kb reads news articles and answers who said what, when, to whom and about whom.

    Exit status: 0 done; 1 done but some input was skipped (each named on stderr);
    2 bad command line, input or name; 3 database error.
    """
    ctx.obj = {"db": db}


# --- ingest and extract -------------------------------------------------------------


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders or glob patterns.")],
    published: Annotated[
        str | None, typer.Option(help="Published date for every article (YYYY-MM-DD).")
    ] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of the files.")] = "utf-8",
    workers: Annotated[int, typer.Option(min=1, help="Parser processes.")] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(
            envvar="KB_CLUSTER",
            help="Parse on a Dask cluster: a scheduler address (tcp://host:8786) or "
            "local:N for N local worker processes. Writing stays in this process.",
        ),
    ] = None,
    max_chars: Annotated[
        int | None,
        typer.Option(
            min=1,
            envvar="KB_MAX_CHARS",
            help="Longest article read, in characters (default 1,000,000); a longer one is "
            "skipped with its reason.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json summary.")] = "text",
) -> None:
    """Read articles into the knowledge base (one transaction per article).

    Each bad file (or JSON Lines line) is reported by name with its reason and skipped;
    everything else is stored. Exit status 1 when anything was skipped.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kb.ingest.limits import Limits
    from kb.ingest.run import ingest as run_ingest

    _check_format(fmt, ("text", "json"))
    limits = Limits() if max_chars is None else Limits(max_chars=max_chars)
    store = _run(lambda: _store(ctx, create=True))
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("files", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = _run(
            lambda: run_ingest(
                store,
                paths,
                published=published,
                encoding=encoding,
                workers=workers,
                limits=limits,
                cluster=cluster,
                progress=progress,
            )
        )
    store.close()
    for failure in summary.failed:
        _report("failed", "red", failure)
    for warning in summary.warnings:
        _report("warning", "yellow", warning)
    if fmt == "json":
        _print(json.dumps(summary.to_dict(), indent=2))
    else:
        _print(
            f"articles: {summary.new} new, {summary.unchanged} unchanged"
            + (f", {summary.replaced} replaced" if summary.replaced else "")
            + f", {len(summary.failed)} failed; added {summary.events} events, "
            f"{summary.statements} statements, {summary.actors_added} actors"
            + (f"; skipped {summary.skipped} archive records that are not articles"
               if summary.skipped else "")
        )
        if summary.files == 0:
            _report("note", "yellow", "no article files found under " + ", ".join(paths)
                    + " (read: .txt .md .markdown .jsonl .html .htm, or name a file)")
        elif summary.new == 0 and summary.replaced == 0 and not summary.failed:
            _print("nothing new: every article was already stored")
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def reprocess(
    ctx: typer.Context,
    all_: Annotated[
        bool, typer.Option("--all", help="Re-extract every article, current or not.")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="Parser processes.")] = 1,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json summary.")] = "text",
) -> None:
    """Re-extract stored articles whose facts an older extractor produced.

    Each article is parsed again from its stored text and date and its rows replaced in
    one transaction; an interrupted run continues where it stopped. Exit status 1 when
    an article failed (each named on stderr; it keeps its old facts).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kb.ingest.reprocess import reprocess as run_reprocess

    _check_format(fmt, ("text", "json"))
    store = _run(lambda: _store(ctx, create=True))
    with Progress(TextColumn("re-extracting"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("articles", total=None)
        summary = _run(lambda: run_reprocess(
            store, everything=all_, workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total)))
    store.close()
    for failure in summary.failed:
        _report("failed", "red", failure)
    for warning in summary.warnings:
        _report("warning", "yellow", warning)
    if fmt == "json":
        _print(json.dumps(summary.to_dict(), indent=2))
    else:
        held = (f"; they now hold {summary.events} events, {summary.statements} "
                "statements" if summary.reprocessed else "")
        _print(f"articles: {summary.reprocessed} re-extracted, {summary.current} already "
               f"current, {len(summary.failed)} failed{held} (extractor {summary.version})")
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def reconsolidate(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json summary.")] = "text",
) -> None:
    """Group every stored report into claims and events again, from the reports alone,
    and count every actor's reports again.

    Ingest groups the reports of one statement (and of one event) across articles as it
    goes, and keeps each actor's counts; this rebuilds both for the whole database in
    one transaction: after `kb db upgrade` from a version without them, or to check
    that ingest order did not matter.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    _check_format(fmt, ("text", "json"))
    store = _run(lambda: _store(ctx, create=True))
    with Progress(TextColumn("grouping"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("articles", total=None)
        done = _run(lambda: store.reconsolidate(
            progress=lambda n, total: bar.update(task, completed=n, total=total)))
    store.close()
    if fmt == "json":
        _print(json.dumps(asdict(done), indent=2))
    else:
        _print(f"statements: {done.statements} reports in {done.claims} claims; events: "
               f"{done.events} reports in {done.event_groups} events")


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article files (any reader format).")],
    published: Annotated[
        str | None, typer.Option(help="Published date (YYYY-MM-DD), overriding the file's.")
    ] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of the files.")] = "utf-8",
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or jsonl.")] = "json",
) -> None:
    """Parse articles and print what kb finds, without touching a database.

    Prints a JSON array with one object per article (schemas/parsed-article.schema.json,
    plus a "source" object naming the file).
    """
    from kb.extract.pipeline import parse_article
    from kb.ingest.article import Article
    from kb.ingest.readers import ReadFailure, parse_date, read_path

    _check_format(fmt, ("json", "jsonl"))
    if published is not None:
        given = published
        published = _run(lambda: parse_date(given, "--published"))
    results: list[dict[str, Any]] = []
    failed = 0
    for path in files:
        for item in read_path(path, encoding=encoding, published=published):
            if isinstance(item, ReadFailure):
                _report("failed", "red", item)
                failed += 1
                continue
            if not isinstance(item, Article):  # an archive's records that are not articles
                _report("note", "yellow", item)
                continue
            try:
                parsed = parse_article(item.text, item.published)
            except KBError as exc:
                _report("failed", "red", f"{item.path}: {exc}")
                failed += 1
                continue
            obj = parsed.to_dict()
            obj["source"] = {
                "path": item.path,
                "line": item.line,
                "title": item.title,
                "publisher": item.publisher,
                "url": item.url,
                "credit": item.credit,
            }
            for w in parsed.warnings:
                _report("warning", "yellow", f"{item.path}: {w}")
            results.append(obj)
    if fmt == "jsonl":
        for obj in results:
            _print(json.dumps(obj, ensure_ascii=False))
    else:
        _print(json.dumps(results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)


# --- queries --------------------------------------------------------------------------


ReportsOpt = Annotated[bool, typer.Option(
    "--reports", help="One row per article's report, not one per fact with its sources.")]
MinSourcesOpt = Annotated[int, typer.Option(
    min=1, help="Only what at least this many outlets carry (two copies from one outlet "
    "are one source).")]


def _sources(r: dict[str, Any]) -> str:
    """The source column: the first report's article, and how many outlets carry it."""
    src = r["source"]
    name = src.get("title") or src.get("path") or ""
    more = (r.get("sources") or 1) - 1
    return f"{name} (+{more} more source{'s' if more > 1 else ''})" if more else name


def _said_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table("date", "speaker", "cue", "statement", "source", show_lines=True)
    for r in rows:
        if r.get("date"):
            date = date_words(r.get("date_value") or r["date"])
        else:
            date = f"({date_words(r.get('reported')) or '?'}, date of the report)"
        # quotation marks only around the article's own words
        content = f"“{r['content']}”" if r["direct"] else r["content"]
        table.add_row(*map(terminal_text, (
            date,
            r.get("speaker") or r.get("speaker_mention") or "(unknown)",
            r.get("cue") or "",
            content,
            _sources(r),
        )))
    return table


@app.command()
def said(
    ctx: typer.Context,
    who: Annotated[str | None, typer.Option(help="Speaker (name or alias).")] = None,
    about: Annotated[str | None, typer.Option(help="Actor the statement is about.")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    contains: Annotated[str | None, typer.Option(help="Full-text search in the words.")] = None,
    limit: LimitOpt = PAGE,
    all_: AllOpt = False,
    reports: ReportsOpt = False,
    min_sources: MinSourcesOpt = 1,
    fmt: FormatOpt = "table",
) -> None:
    """Who said what, when: statements with their speaker, date and source sentence.

    One row per claim: the words of one statement, however many articles carry them,
    with its first report and the number of sources (--reports: one row per article's
    report; --min-sources N: only claims N outlets or more carry). Shows the newest 100
    that match, in date order (--limit N, or --all).
    """
    _listing(ctx, "statements", _said_table, fmt, since, until, None if all_ else limit,
             who=who, about=about, contains=contains, reports=reports,
             min_sources=min_sources)


def _events_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table("date", "type", "actors", "sentence", "source", show_lines=True)
    for r in rows:
        d = r.get("date")
        when = (
            ""
            if d is None
            else date_words(d["value"]) if d["basis"] == "stated"
            else f"({date_words(d['value'])}, date of the report)"
        )
        flags = " (negated)" if r.get("negated") else ""
        flags += " (hypothetical)" if r.get("hypothetical") else ""
        actors = ", ".join(f"{a['name']} [{a['role']}]" for a in r["actors"])
        if r.get("disputed_dates"):
            when += "\n(reports differ: " + ", ".join(
                date_words(d) or d for d in r["disputed_dates"]) + ")"
        table.add_row(*map(terminal_text, (
            when, r["type"] + flags, actors, r["sentence"], _sources(r))))
    return table


@app.command()
def events(
    ctx: typer.Context,
    actor: Annotated[list[str] | None, typer.Option(help="Involving this actor (repeat).")] = None,
    type_: Annotated[list[str] | None, typer.Option("--type", help="Event type (repeat).")] = None,
    plover: Annotated[
        list[str] | None, typer.Option(help="PLOVER category, e.g. ASSAULT (repeat).")
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = PAGE,
    all_: AllOpt = False,
    reports: ReportsOpt = False,
    min_sources: MinSourcesOpt = 1,
    fmt: FormatOpt = "table",
) -> None:
    """Dated events with their actors and roles.

    One row per event however many articles report it, with its most precise stated
    date and the number of sources (--reports: one row per article's report;
    --min-sources N: only events N outlets or more report). Shows the newest 100 that
    match, in date order (--limit N, or --all for every one).
    """
    _listing(ctx, "events", _events_table, fmt, since, until, None if all_ else limit,
             actors=actor or None, types=type_ or None, plover=plover or None,
             reports=reports, min_sources=min_sources)


def _listing(
    ctx: typer.Context,
    records: str,
    table: Callable[[Sequence[dict[str, Any]]], Table],
    fmt: str,
    since: str | None,
    until: str | None,
    limit: int | None,
    **filters: Any,
) -> None:
    """Print one page of the store's ``records`` ("statements" or "events")."""
    _check_format(fmt)
    window = _run(lambda: (_day(since, False, "--since"), _day(until, True, "--until")))
    store = _run(lambda: _store(ctx))
    named = [n for key in ("who", "about", "actors") for n in _as_names(filters.get(key))]
    if named:
        _run(lambda: store.require_actors(named))
    query = partial(getattr(store, records), since=window[0], until=window[1], **filters)
    rows = _run(lambda: _page(query, limit))
    store.close()
    _print(render(rows, fmt, table))


def _as_names(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _page(query: Callable[..., list[dict[str, Any]]], limit: int | None) -> list[dict[str, Any]]:
    """All rows (limit None), or the newest ``limit`` in date order with a note on stderr
    when more match: a page costs milliseconds however large the knowledge base."""
    if limit is None:
        return query()
    rows = query(limit=limit + 1, newest_first=True)
    if len(rows) > limit:
        rows = rows[:limit]
        _report("note", "yellow", f"showing the newest {limit}; --limit N for more, --all "
                "for every one")
    return rows[::-1]


def _actors_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table(
        "name", "kind", "aliases", "titles", "mentions", "statements", "events", "articles"
    )
    for r in rows:
        table.add_row(*map(terminal_text, (
            r["name"],
            r["kind"],
            "; ".join(r["aliases"]),
            "; ".join(r["titles"]),
            r["mentions"],
            r["statements"],
            r["events"],
            r["articles"],
        )))
    return table


actors_app = typer.Typer(
    help="Every actor (no subcommand), and curation rules that survive re-ingest.",
    no_args_is_help=False,
)
alias_app = typer.Typer(help="Names an actor is also called.", no_args_is_help=True)
actors_app.add_typer(alias_app, name="alias")
app.add_typer(actors_app, name="actors")


@actors_app.callback(invoke_without_command=True)
def actors(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Every actor: kind, aliases, titles and counts.

    The subcommands curate actors; each is kept as a rule in the database and applied
    to every later ingest and re-extraction (list them with `kb actors rules`).
    """
    if ctx.invoked_subcommand is not None:
        return
    _check_format(fmt)
    store = _run(lambda: _store(ctx))
    rows = _run(store.actors)
    store.close()
    _print(render(rows, fmt, _actors_table))


def _add_rule(ctx: typer.Context, action: str, actor: str, name: str) -> None:
    store = _run(lambda: _store(ctx, create=True))
    rule = _run(lambda: store.add_actor_rule(action, actor, name))
    store.close()
    _print(f"rule {rule['id']}: {_rule_words(rule)}")


def _rule_words(rule: dict[str, Any]) -> str:
    actor, name = terminal_text(rule["actor"]), terminal_text(rule["name"])
    return {
        "merge": f"{name} is merged into {actor}",
        "split": f"mentions of {actor} written {name} are the actor {name}",
        "rename": f"{actor} is renamed {name}",
        "alias": f"{name} is another name of {actor}",
    }[rule["action"]]


@actors_app.command("merge")
def actors_merge(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="The actor that stays (name or alias).")],
    other: Annotated[str, typer.Argument(help="The actor merged into it, with its facts.")],
) -> None:
    """Merge OTHER into ACTOR: every fact of OTHER, now and in later articles."""
    _add_rule(ctx, "merge", actor, other)


@actors_app.command("split")
def actors_split(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="The actor to split (name or alias).")],
    name: Annotated[str, typer.Option("--name", help="Mentions written so go to a new "
                                      "actor of this name.")],
) -> None:
    """Move ACTOR's mentions written NAME to the actor NAME, now and later.

    Articles that call the actor only NAME move whole.
    """
    _add_rule(ctx, "split", actor, name)


@actors_app.command("rename")
def actors_rename(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="The actor (name or alias).")],
    new_name: Annotated[str, typer.Argument(help="Its new canonical name.")],
) -> None:
    """Give ACTOR a new canonical name (the old one stays an alias)."""
    _add_rule(ctx, "rename", actor, new_name)


@alias_app.command("add")
def actors_alias_add(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="The actor (name or alias).")],
    alias: Annotated[str, typer.Argument(help="Another name it goes by.")],
) -> None:
    """ALIAS is another name of ACTOR: lookups find it, later articles' ALIAS is it."""
    _add_rule(ctx, "alias", actor, alias)


def _rules_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table("id", "action", "actor", "name", "created", "meaning")
    for r in rows:
        table.add_row(str(r["id"]), r["action"], terminal_text(r["actor"]),
                      terminal_text(r["name"]), r["created"] or "", _rule_words(r))
    return table


@actors_app.command("rules")
def actors_rules(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """The curation rules, oldest first (the order they are applied in)."""
    _check_format(fmt)
    store = _run(lambda: _store(ctx))
    rows = _run(store.actor_rules)
    store.close()
    _print(render(rows, fmt, _rules_table))


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Actor name or alias.")],
    limit: LimitOpt = PAGE,
    all_: AllOpt = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """An actor's profile: aliases, titles, counts, statements, events and counterparts.

    Lists the newest 100 statements and events and the 100 most frequent counterparts
    (--limit N, or --all); the counts always count everything, in reports (a quotation
    carried by three articles counts three).
    """
    _check_format(fmt, ("text", "json"))
    store = _run(lambda: _store(ctx))
    profile = _run(lambda: store.actor_profile(name, limit=None if all_ else limit))
    store.close()
    if fmt == "json":
        _print(json.dumps(profile, ensure_ascii=False, indent=2, default=str))
        return
    actor, counts = profile["actor"], profile.get("counts") or {}
    out.print(f"[bold]{terminal(actor['name'])}[/] ({terminal(actor['kind'])})")
    if actor.get("aliases"):
        out.print("aliases: " + terminal("; ".join(actor["aliases"])))
    if actor.get("titles"):
        out.print("titles: " + terminal("; ".join(actor["titles"])))
    out.print(
        f"mentions {actor['mentions']}, statements {actor['statements']} "
        f"(about them {counts.get('about', 0)}), events {actor['events']}, "
        f"articles {actor['articles']} (counting {counts.get('of', 'reports')}: one per "
        "article that reports it)"
    )
    if counts.get("first"):
        out.print(f"first {counts['first']}, last {counts['last']}")
    for key in ("roles", "types"):
        if counts.get(key):
            out.print(f"{key}: " + terminal(", ".join(f"{k} {n}" for k, n in counts[key].items())))
    counterparts = profile.get("counterparts") or []
    if counterparts:
        total = counts.get("counterparts", len(counterparts))
        shown = "" if total <= len(counterparts) else f" (the {len(counterparts)} most of {total})"
        out.print(
            f"counterparts{shown}: "
            + terminal(", ".join(f"{c['name']} ({c['count']})" for c in counterparts))
        )
    if profile.get("statements"):
        out.print(_said_table(profile["statements"]))
    if profile.get("events"):
        out.print(_events_table(profile["events"]))


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but 127.0.0.1 is warned about.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8080,
    allow_ingest: Annotated[
        bool,
        typer.Option(
            "--allow-ingest",
            help="Let the holder of a token printed at start add articles from the browser "
            "(/ingest); without it the database is opened read-only.",
        ),
    ] = False,
    max_chars: Annotated[
        int | None,
        typer.Option(
            min=1,
            envvar="KB_MAX_CHARS",
            help="With --allow-ingest: the longest article read, in characters (default "
            "1,000,000), as for kb ingest; an upload may hold four times that in bytes.",
        ),
    ] = None,
) -> None:
    """A local web application over the database: search, facets, actor and article
    pages, live timeline and graph, CSV/JSON downloads, a JSON API under /api.

    Read-only unless --allow-ingest: then it prints a URL carrying a random token; the
    browser that opens it may upload article files (any format kb ingest reads) and
    see each file stored, found a duplicate, or skipped with the reason. Stop it with
    Ctrl-C.
    """
    from kb.ingest.limits import Limits
    from kb.serve import serve as run_server
    from kb.serve.access import new_token
    from kb.serve.app import IngestOptions

    store = _run(lambda: _store(ctx, create=allow_ingest))
    ingest = None
    if allow_ingest:
        limits = Limits() if max_chars is None else Limits(max_chars=max_chars)
        ingest = IngestOptions(token=new_token(), limits=limits)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"kb serve: http://{shown}:{port}/ (Ctrl-C stops it)", highlight=False)
    if ingest is not None:
        err.print(
            f"adding articles: open http://{shown}:{port}/ingest?token={ingest.token} "
            "(the token lets this browser upload; keep it to yourself)",
            highlight=False, soft_wrap=True,
        )
    try:
        run_server(store, host=host, port=port, warn=partial(_report, "warning", "yellow"),
                   ingest=ingest)
    finally:
        store.close()


# --- demo and maintenance -------------------------------------------------------------


@app.command()
def demo(
    sources: Annotated[Path, typer.Option(help="Folder of articles to ingest.")] = Path("sources"),
    db_file: Annotated[Path, typer.Option("--db-file", help="The fresh SQLite file.")] = Path(
        "kb-demo.sqlite"
    ),
    out_dir: Annotated[Path, typer.Option(help="Where exports are written.")] = Path("exports"),
) -> None:
    """The main job: ingest sources/ into a fresh SQLite file and write the exports.

    Prints who said what, then writes the relationship graph, the timeline and the
    report into exports/ and says where they are.
    """
    from kb.ingest.run import ingest as run_ingest
    from kb.store import Store

    if not sources.is_dir():
        _fail(f"{sources}: no such folder; run kb demo from the project folder or pass --sources")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_file}"
    store = _run(lambda: Store.open(url))
    summary = _run(lambda: run_ingest(store, [str(sources)]))
    for failure in summary.failed:
        _report("failed", "red", failure)
    _print(
        f"ingested {summary.new} articles from {sources}/ into {db_file}: "
        f"{summary.statements} statements, {summary.events} events, "
        f"{summary.actors_added} actors"
    )
    rows = _run(lambda: store.statements())
    out.print(_said_table(rows))
    written = _demo_exports(store, out_dir)
    store.close()
    for label, path in written.items():
        _print(f"{label}: {path}")
    _print(f"explore further: kb --db {url} said --who Blinken")


def _demo_exports(store: Any, out_dir: Path) -> dict[str, Path]:
    try:
        from kb.export import write_all
    except ImportError:  # exports not installed in this build
        return {}
    return _run(lambda: write_all(store, out_dir))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the newest version (Alembic migrations)."""
    from kb.config import database_url
    from kb.store.migrate import upgrade

    url = _run(lambda: database_url((ctx.obj or {}).get("db")))
    before = _run(lambda: _revision(url))
    revision = _run(lambda: upgrade(url))
    _print(f"database at revision {revision}")
    if before is not None and before < _CONSOLIDATION_REVISION <= revision:
        _report("note", "yellow", "reports stored before are not grouped into claims and "
                "events yet; run `kb reconsolidate`")


#: The schema revision that brought claims and consolidated events.
_CONSOLIDATION_REVISION = "0008"


def _revision(url: str) -> str | None:
    from kb.store.engine import make_engine
    from kb.store.migrate import current_revision

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    finally:
        engine.dispose()


# --- evaluation -----------------------------------------------------------------------


def _print_evaluation(
    label: str,
    fmt: str,
    show_errors: bool,
    format_report: Callable[..., str],
    evaluate: Callable[[Callable[[int, int], None]], Any],
) -> None:
    """Run ``evaluate(progress)`` under a progress bar and print its report as text or
    JSON: what every ``kb eval`` command does once its options are checked."""
    bar, progress = _eval_progress(label)
    with bar:
        report = _run(lambda: evaluate(progress))
    _print(
        json.dumps(report.to_dict(), indent=2)
        if fmt == "json"
        else format_report(report, show_errors=show_errors)
    )


def _eval_progress(label: str) -> tuple[Any, Callable[[int, int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task(label, total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


@eval_app.command("timex")
def eval_timex(
    paths: Annotated[list[Path], typer.Argument(help="TimeML .tml files or folders.")],
    show_errors: Annotated[bool, typer.Option(help="List every error.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Score time expressions (span, type, TIMEX3 value) against TimeML gold."""
    from kb.eval.timex import evaluate_timex, format_report

    _check_format(fmt, ("text", "json"))
    _print_evaluation(
        label="scoring", fmt=fmt, show_errors=show_errors, format_report=format_report,
        evaluate=lambda progress: evaluate_timex(list(paths), progress=progress),
    )


@eval_app.command("consolidation")
def eval_consolidation(
    folder: Annotated[Path, typer.Argument(
        help="A folder with gold.json and articles/ (e.g. tests/data/stories).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Score consolidation across sources: pairwise P/R of claims and events.

    Ingests the folder's articles into a new temporary database and compares the
    claims and events kb groups with the gold's. Given the SemEval-2015 Task 4 trial
    folder instead (no gold.json), scores kb's events against the cross-document
    coreference of its timelines (mentions one gold line lists together).
    """
    from kb.eval.consolidation import (
        Pairwise,
        evaluate_consolidation,
        event_coreference,
        format_report,
    )

    _check_format(fmt, ("text", "json"))
    if not (folder / "gold.json").exists():

        def coreference_text(p: Pairwise, show_errors: bool = False) -> str:
            return (f"event mentions found: {p.reports}\n"
                    f"pairwise P {p.precision:.3f}  R {p.recall:.3f}  F1 {p.f1:.3f}")

        _print_evaluation(
            label="parsing", fmt=fmt, show_errors=False, format_report=coreference_text,
            evaluate=lambda progress: event_coreference(folder, progress),
        )
        return
    _print_evaluation(
        label="ingesting", fmt=fmt, show_errors=False, format_report=format_report,
        evaluate=lambda progress: evaluate_consolidation(folder, progress=progress),
    )


@eval_app.command("attribution")
def eval_attribution(
    path: Annotated[Path, typer.Argument(help="A brat split folder (e.g. polnear/dev).")],
    show_errors: Annotated[bool, typer.Option(help="List every error.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Score statements (content, source, pairs) against brat standoff gold."""
    from kb.eval.attribution import evaluate_attribution, format_report

    _check_format(fmt, ("text", "json"))
    _print_evaluation(
        label="scoring", fmt=fmt, show_errors=show_errors, format_report=format_report,
        evaluate=lambda progress: evaluate_attribution(path, progress=progress),
    )


@eval_app.command("events")
def eval_events(
    paths: Annotated[list[Path], typer.Argument(help="TimeML .tml files or folders.")],
    split: Annotated[
        str,
        typer.Option(help="heldout, train or all; the project's target is measured on heldout."),
    ] = "all",
    show_errors: Annotated[bool, typer.Option(help="List every error.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Score event triggers (span, TimeML class) against TimeML EVENT gold."""
    from kb.eval.events import evaluate_events, format_report
    from kb.eval.splits import SPLITS

    _check_format(fmt, ("text", "json"))
    _check_choice("--split", split, SPLITS)
    _print_evaluation(
        label="scoring", fmt=fmt, show_errors=show_errors, format_report=format_report,
        evaluate=lambda progress: evaluate_events(list(paths), split=split, progress=progress),
    )


@eval_app.command("timeline")
def eval_timeline(
    path: Annotated[Path, typer.Argument(help="A SemEval-2015 Task 4 TimeLine data folder.")],
    reported: Annotated[
        str,
        typer.Option(
            help="Events with no stated date: unplaced (rank 0, nothing invented) or "
            "published (at their article's date)."
        ),
    ] = "unplaced",
    show_errors: Annotated[
        bool, typer.Option(help="Print kb's timelines and every relation not matched.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Score per-entity timelines (temporal awareness) against TimeLine gold."""
    from kb.eval.timeline import evaluate_timeline, format_report
    from kb.export.semeval import REPORTED

    _check_format(fmt, ("text", "json"))
    _check_choice("--reported", reported, REPORTED)
    _print_evaluation(
        label="parsing", fmt=fmt, show_errors=show_errors, format_report=format_report,
        evaluate=lambda progress: evaluate_timeline(path, reported=reported, progress=progress),
    )


def _register_exports() -> None:
    try:
        from kb.export.commands import register
    except ImportError:
        return
    register(app)


_register_exports()

if __name__ == "__main__":  # pragma: no cover
    app()
