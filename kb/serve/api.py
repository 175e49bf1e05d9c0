"""The JSON API of ``kb serve`` under /api: the records of docs/records.md, paginated.

Lists answer ``{"items", "limit", "offset", "next"}`` (``next`` is the URL of the next
page, or null); filters are the query parameters of the search page. The OpenAPI 3.1
description is at /api/openapi.json, its record shapes taken from schemas/.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kb.errors import InputError, NotFoundError
from kb.serve import query as views
from kb.serve.pages import ARTICLE_ID

__all__ = ["routes", "openapi", "MAX_LIMIT"]

MAX_LIMIT = 500


def _page(request: Request, items: list[Any], limit: int, offset: int, more: bool) -> Response:
    following = None
    if more:
        pairs = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")
        ]
        pairs += [("limit", str(limit)), ("offset", str(offset + limit))]
        following = f"{request.url.path}?{urlencode(pairs)}"
    return JSONResponse({"items": items, "limit": limit, "offset": offset, "next": following})


def _limits(request: Request) -> tuple[int, int]:
    params = request.query_params
    limit = views._int("limit", params.get("limit"), 100, 1, MAX_LIMIT)
    offset = views._int("offset", params.get("offset"), 0, 0, 10_000_000)
    return limit, offset


def _listing(request: Request, kind: str) -> Response:
    store = request.app.state.store
    f = views.parse_filters(request.query_params, kind=kind)
    if kind == "statements" and f.plover:
        raise InputError("plover: PLOVER categories are of events; ask /api/events")
    if f.names:
        store.require_actors(f.names)
    limit, offset = _limits(request)
    fetch = views.statements if kind == "statements" else views.events
    found = fetch(store, f, limit + 1, offset)
    return _page(request, found[:limit], limit, offset, len(found) > limit)


async def statements(request: Request) -> Response:
    return _listing(request, "statements")


async def events(request: Request) -> Response:
    return _listing(request, "events")


async def actors(request: Request) -> Response:
    limit, offset = _limits(request)
    everyone = request.app.state.store.actors()
    items = everyone[offset : offset + limit]
    return _page(request, items, limit, offset, offset + limit < len(everyone))


async def actor(request: Request) -> Response:
    store = request.app.state.store
    name = request.path_params["name"]
    limit = views._int("limit", request.query_params.get("limit"), 100, 1, MAX_LIMIT)
    profile = store.actor_profile(name, limit=limit)
    return JSONResponse(profile)


async def article(request: Request) -> Response:
    article_id = request.path_params["article_id"]
    view = request.app.state.store.article(article_id) if ARTICLE_ID.fullmatch(article_id) else None
    if view is None:
        raise NotFoundError(f"no article has the id {article_id!r}")
    return JSONResponse(view)


_COMPONENTS = {
    "Statement": "statement.schema.json",
    "Event": "event.schema.json",
    "Actor": "actor.schema.json",
    "ActorProfile": "actor-profile.schema.json",
}


def _components() -> dict[str, Any]:
    """The record schemas of schemas/ as OpenAPI components: references to another file
    or to a file's own ``$defs`` rewritten to point into the components."""
    by_file = {file: name for name, file in _COMPONENTS.items()}
    out: dict[str, Any] = {}

    def rewrite(node: Any, owner: str) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref.startswith("#/$defs/"):
                    node = {**node, "$ref": f"#/components/schemas/{owner}_{ref[8:]}"}
                elif ref in by_file:
                    node = {**node, "$ref": f"#/components/schemas/{by_file[ref]}"}
            return {k: rewrite(v, owner) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v, owner) for v in node]
        return node

    for name, file in _COMPONENTS.items():
        text = resources.files("kb").joinpath("schemas", file).read_text(encoding="utf-8")
        schema = json.loads(text)
        for key in ("$schema", "$id"):
            schema.pop(key, None)
        for sub, body in schema.pop("$defs", {}).items():
            out[f"{name}_{sub}"] = rewrite(body, name)
        out[name] = rewrite(schema, name)
    return out


_FILTERS = [
    ("q", "words in a statement's content (full text)", "string"),
    ("actor", "speaker (statements) or any role (events); name or alias; repeatable", "string"),
    ("about", "an actor the statement is about; repeatable", "string"),
    ("type", "event type; repeatable", "string"),
    ("plover", "PLOVER category of an event (ASSAULT, CONSULT, ...); repeatable", "string"),
    ("min_sources", "only claims or events that at least this many outlets carry "
     "(default 1)", "integer"),
    ("since", "first day, YYYY-MM-DD", "string"),
    ("until", "last day, YYYY-MM-DD", "string"),
    ("sort", "newest (default) or oldest first", "string"),
    ("limit", f"page size, 1 to {MAX_LIMIT} (default 100)", "integer"),
    ("offset", "records to skip", "integer"),
]


def _parameters(names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"name": n, "in": "query", "description": d, "schema": {"type": t}}
        for n, d, t in _FILTERS
        if n in names
    ]


def _list_of(ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "limit", "offset", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next": {"type": ["string", "null"]},
        },
    }


def _ok(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "200": {"description": text, "content": {"application/json": {"schema": schema}}},
        "400": {"description": "a bad filter, named in `error`"},
        "404": {"description": "no such actor or article; `error` suggests the nearest names"},
    }


@lru_cache(maxsize=1)
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API."""
    by_name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
    by_id = {"name": "article_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kb",
            "version": "1",
            "description": "Statements, events and actors of a kb database, read-only.",
        },
        "paths": {
            "/api/statements": {"get": {
                "summary": "Statements: who said what, newest first",
                "parameters": _parameters(("q", "actor", "about", "min_sources", "since",
                                           "until", "sort", "limit", "offset")),
                "responses": _ok(_list_of("Statement"), "one page of statement records"),
            }},
            "/api/events": {"get": {
                "summary": "Events, newest first",
                "parameters": _parameters(("actor", "type", "plover", "min_sources", "since",
                                           "until", "sort", "limit", "offset")),
                "responses": _ok(_list_of("Event"), "one page of event records"),
            }},
            "/api/actors": {"get": {
                "summary": "Actors by name",
                "parameters": _parameters(("limit", "offset")),
                "responses": _ok(_list_of("Actor"), "one page of actor records"),
            }},
            "/api/actor/{name}": {"get": {
                "summary": "One actor's profile: statements, events, counterparts",
                "parameters": [by_name, *_parameters(("limit",))],
                "responses": _ok({"$ref": "#/components/schemas/ActorProfile"}, "the profile"),
            }},
            "/api/article/{article_id}": {"get": {
                "summary": "One article: text, and its facts with their offsets in it",
                "parameters": [by_id],
                "responses": _ok({"type": "object", "required": [
                    "source", "text", "statements", "events", "mentions"]}, "the article"),
            }},
        },
        "components": {"schemas": _components()},
    }


async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi())


def routes() -> list[Route]:
    return [
        Route("/api/statements", statements),
        Route("/api/events", events),
        Route("/api/actors", actors),
        Route("/api/actor/{name:path}", actor),
        Route("/api/article/{article_id}", article),
        Route("/api/openapi.json", openapi_json),
    ]
