"""The HTML pages of ``kb serve``: search, a statement or event, an actor, an article,
the live timeline and graph, and downloads of the current view.

Every route reads the Store and kb's own functions (kb.display for how dates and
statements read, kb.export for the timeline and graph, kb.output for CSV and JSON);
templates in kb/serve/templates are rendered with autoescaping, so article text is
always escaped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kb.display import date_words, statement_words
from kb.errors import InputError, KBError, NotFoundError, StoreError
from kb.extract.categories import PLOVER
from kb.output import to_csv, to_json
from kb.serve import query as views
from kb.serve.highlight import article_spans, pieces, shown

__all__ = ["routes", "exception_handlers", "links", "render"]

TEMPLATES = Path(__file__).with_name("templates")
ARTICLE_ID = re.compile(r"[0-9a-f]{8,64}")


class Links:
    """URL builders shared by templates and the API."""

    @staticmethod
    def actor(name: str) -> str:
        return "/actor/" + quote(name, safe="")

    @staticmethod
    def statement(fact_id: int) -> str:
        return f"/statement/{int(fact_id)}"

    @staticmethod
    def event(fact_id: int) -> str:
        return f"/event/{int(fact_id)}"

    @staticmethod
    def article(article_id: str) -> str:
        return "/article/" + quote(article_id, safe="")


links = Links()


def when(record: dict[str, Any]) -> str:
    """A statement's or event's date in words at its granularity, "reported" when the
    text states none (the article's date stands in)."""
    if "content" in record:
        if record.get("date_basis") == "stated" and record.get("date_value"):
            return date_words(record["date_value"])
        reported = record.get("reported")
        return f"reported {date_words(reported)}" if reported else "undated"
    date = record.get("date") or {}
    if not date:
        return "undated"
    words = date_words(date.get("value") or date.get("start"))
    return words if date.get("basis") == "stated" else f"reported {words}"


def said(record: dict[str, Any]) -> str:
    return statement_words(
        record.get("speaker"), record.get("cue"), record["content"], bool(record.get("direct"))
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
    )
    env.globals.update(links=links, when=when, said=said, date_words=date_words, shown=shown)
    return env


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    page = environment().get_template(name).render(**context)
    return HTMLResponse(page, status_code=status)


def _store(request: Request) -> Any:
    return request.app.state.store


def _suggestion(store: Any, f: views.Filters) -> str | None:
    """The NotFoundError message (with the nearest names) for an actor filter that names
    no actor, else None."""
    try:
        store.require_actors(f.names)
    except NotFoundError as exc:
        return str(exc)
    return None


async def search(request: Request) -> Response:
    store = _store(request)
    f = views.parse_filters(request.query_params)
    if f.kind == "all":
        f = views.replace_kind(f, "statements")
    missing = _suggestion(store, f) if f.names else None
    rows: list[dict[str, Any]] = []
    facets: dict[str, Any] = {
        "counted": 0, "people": [], "types": [], "plover": [], "sources": [],
        "histogram": [], "bin": "day",
    }
    more = False
    if missing is None:
        fetch = views.statements if f.kind == "statements" else views.events
        rows = fetch(store, f, f.size + 1, f.offset)
        more = len(rows) > f.size
        rows = rows[: f.size]
        facets = views.facets(store, f)
    return render(
        "search.html",
        f=f,
        rows=rows,
        more=more,
        facets=facets,
        missing=missing,
        cap=views.FACET_CAP,
        plover_categories=PLOVER,
    )


async def statement(request: Request) -> Response:
    return _fact(request, "statement")


async def event(request: Request) -> Response:
    return _fact(request, "event")


def _fact(request: Request, kind: str) -> Response:
    store = _store(request)
    fact_id = request.path_params["fact_id"]
    article_id = store.fact_article(kind, fact_id)
    view = store.article(article_id) if article_id else None
    found = None
    if view is not None:
        found = next((r for r in view[f"{kind}s"] if r["id"] == fact_id), None)
    if view is None or found is None:
        raise NotFoundError(f"no {kind} has the number {fact_id}")
    focus = found["spans"].get("sentence") or found["spans"].get(
        "content" if kind == "statement" else "trigger"
    )
    reports = [_marked(r) for r in store.fact_reports(kind, fact_id)]
    return render(
        "fact.html",
        kind=kind,
        record=found,
        view=view,
        reports=reports,
        outlets=len({r["source"] for r in reports}),
        text=pieces(view["text"], article_spans(view, links), focus and tuple(focus)),
    )


def _marked(report: dict[str, Any]) -> dict[str, Any]:
    """A report with its sentence cut around its words, to show them highlighted."""
    sentence, words = report["sentence"], report["text"]
    at = sentence.find(words) if words else -1
    if at < 0:
        return {**report, "before": sentence, "words": "", "after": ""}
    return {**report, "before": sentence[:at], "words": words,
            "after": sentence[at + len(words):]}


async def actor(request: Request) -> Response:
    store = _store(request)
    name = request.path_params["name"]
    if not name or len(name) > views.MAX_VALUE:
        raise NotFoundError("no actor has an empty or overlong name")
    size = request.query_params.get("bin") or "auto"
    if size not in views.BINS:
        raise InputError(f"bin={size!r}: must be one of {', '.join(views.BINS)}")
    profile = store.actor_profile(name, limit=50)
    canonical = profile["actor"]["name"]
    about = store.statements(about=[canonical], limit=50, newest_first=True)
    f = views.Filters(kind="all", actor=(canonical,))
    days = views.activity_days(store.actor_activity(canonical))
    return render(
        "actor.html",
        profile=profile,
        about=about,
        f=f,
        bin=views.bin_size(days, size),
        histogram=views.histogram(days, size),
    )


async def actors(request: Request) -> Response:
    store = _store(request)
    f = views.parse_filters(request.query_params)
    everyone = store.actors()
    wanted = f.q.casefold()
    if wanted:
        everyone = [
            a for a in everyone
            if wanted in a["name"].casefold() or any(wanted in x.casefold() for x in a["aliases"])
        ]
    everyone.sort(key=lambda a: (-(a["statements"] + a["events"]), a["name"]))
    page = everyone[f.offset : f.offset + f.size]
    return render(
        "actors.html", f=f, actors=page, total=len(everyone),
        more=f.offset + f.size < len(everyone),
    )


async def article(request: Request) -> Response:
    store = _store(request)
    article_id = request.path_params["article_id"]
    view = store.article(article_id) if ARTICLE_ID.fullmatch(article_id) else None
    if view is None:
        raise NotFoundError(f"no article has the id {article_id!r}")
    focus, focused = None, None
    for kind in ("statement", "event"):
        wanted = request.query_params.get(kind)
        if wanted:
            number = views._int(kind, wanted, 0, 0, 2**62)
            focused = next((r for r in view[f"{kind}s"] if r["id"] == number), None)
            if focused is None:
                raise NotFoundError(f"article {article_id} has no {kind} {number}")
            focus = focused["spans"].get("sentence")
    text = pieces(view["text"], article_spans(view, links), focus and tuple(focus))
    return render("article.html", view=view, text=text, focused=focused)


async def articles(request: Request) -> Response:
    f = views.parse_filters(request.query_params)
    everything = _store(request).articles()
    page = everything[f.offset : f.offset + f.size]
    return render(
        "articles.html", f=f, articles=page, total=len(everything),
        more=f.offset + f.size < len(everything),
    )


def _live(request: Request, page: str) -> Response:
    f = views.parse_filters(request.query_params)
    f = views.replace_kind(f, request.query_params.get("kind") or "all")
    missing = _suggestion(_store(request), f) if f.names else None
    return render("live.html", f=f, page=page, missing=missing, cap=views.VIEW_CAP)


async def timeline(request: Request) -> Response:
    return _live(request, "timeline")


async def graph(request: Request) -> Response:
    return _live(request, "graph")


async def frame(request: Request) -> Response:
    from kb.export.graph_html import graph_html
    from kb.export.timeline_html import timeline_html
    from kb.graph import build_graph
    from kb.serve.app import frame_csp, new_nonce

    store = _store(request)
    page = request.path_params["page"]
    f = views.parse_filters(request.query_params)
    f = views.replace_kind(f, request.query_params.get("kind") or "all")
    found_events, found_statements = views.records(store, f)
    nonce = new_nonce()
    if page == "timeline":
        title = "kb: timeline"
        html = timeline_html(
            found_events, found_statements, [*f.actor, *store.actors()], title=title, nonce=nonce
        )
    elif page == "graph":
        G = build_graph(found_events, found_statements, store.actors())
        html = graph_html(G, title="kb: who is linked to whom", nonce=nonce)
    else:
        raise HTTPException(404)
    return HTMLResponse(html, headers={"Content-Security-Policy": frame_csp(nonce)})


async def download(request: Request) -> Response:
    store = _store(request)
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise HTTPException(404)
    f = views.parse_filters(request.query_params)
    f = views.replace_kind(f, request.query_params.get("kind") or "statements")
    missing = _suggestion(store, f) if f.names else None
    if missing:
        raise NotFoundError(missing)
    found_events, found_statements = views.records(store, f)
    rows: list[dict[str, Any]]
    if f.kind == "statements":
        rows = found_statements
    elif f.kind == "events":
        rows = found_events
    else:
        rows = [{"record": "statement", **s} for s in found_statements]
        rows += [{"record": "event", **e} for e in found_events]
    name = f"kb-{f.kind}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8", headers=disposition)
    return Response(to_json(rows), media_type="application/json", headers=disposition)


def routes() -> list[Route]:
    return [
        Route("/", search),
        Route("/search", search),
        Route("/statement/{fact_id:int}", statement),
        Route("/event/{fact_id:int}", event),
        Route("/actor/{name:path}", actor),
        Route("/actors", actors),
        Route("/article/{article_id}", article),
        Route("/articles", articles),
        Route("/timeline", timeline),
        Route("/graph", graph),
        Route("/view/{page}", frame),
        Route("/download.{fmt:str}", download),
    ]


def _status(exc: Exception) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, StoreError):
        return 503
    return 400


async def _kb_error(request: Request, exc: Exception) -> Response:
    status = _status(exc)
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": str(exc), "status": status}, status_code=status)
    return render("error.html", status=status, message=str(exc), code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    message = "no such page" if status == 404 else getattr(exc, "detail", "error")
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render("error.html", status=status, message=message, code=status)


def exception_handlers() -> dict[Any, Any]:
    return {KBError: _kb_error, HTTPException: _http_error}
