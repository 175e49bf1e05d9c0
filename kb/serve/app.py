"""The ``kb serve`` application: Starlette routes over one Store.

Read-only unless started with ``--allow-ingest``: the database connections are then
made read-only (SQLite ``PRAGMA query_only``, PostgreSQL read-only transactions), only
GET and HEAD are answered, no request body is accepted, and the upload addresses say
that adding articles is off. With ``--allow-ingest`` (an :class:`IngestOptions`), one
more route takes a POST: the upload form at /ingest, bounded in size, for the holder of
the server's token (:mod:`kb.serve.uploads`, :mod:`kb.serve.access`). Every response
carries a Content-Security-Policy (pages run no script of their own; the live timeline
and graph run only their inline scripts, by nonce) and nothing is loaded from another
host: the stylesheet is served by kb itself from kb/serve/static.

>>> import tempfile
>>> from starlette.testclient import TestClient
>>> from kb.store import Store
>>> with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/kb.sqlite") as store:
...     TestClient(create_app(store)).get("/api/actors").json()["items"]
[]
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import event
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.ingest.limits import megabytes
from kb.serve import api, pages, uploads
from kb.serve.access import Access
from kb.serve.uploads import UPLOAD_PATH, IngestOptions, Jobs, upload_limit

__all__ = ["create_app", "PAGE_CSP", "frame_csp", "LOCAL_HOSTS", "serve", "IngestOptions",
           "read_only"]

STATIC = Path(__file__).with_name("static")
#: The policy of every page kb serve renders itself: no script at all.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)
#: Longest request target (path and query) accepted.
MAX_TARGET = 4_096
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def frame_csp(nonce: str) -> str:
    """The policy of a live timeline or graph page: its own inline scripts only."""
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
        "frame-ancestors 'self'; base-uri 'none'"
    )


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Guard:
    """Refuse what a local server never needs (methods other than GET/HEAD, request
    bodies, overlong URLs) and add the security headers to every response. With
    ``max_upload`` (``--allow-ingest``), a POST to the upload form is let through when
    it says its length (Content-Length) and that is at most ``max_upload`` bytes."""

    def __init__(self, app: ASGIApp, max_upload: int | None = None) -> None:
        self.app = app
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        length = headers.get(b"content-length", b"0")
        upload = scope["method"] == "POST" and scope["path"] == UPLOAD_PATH
        if upload and self.max_upload is None:
            await _refuse(send, 403, uploads.OFF)
        elif upload and target > MAX_TARGET:
            await _refuse(send, 414, f"request URL longer than {MAX_TARGET} bytes")
        elif upload and (b"transfer-encoding" in headers or not length.isdigit()):
            await _refuse(send, 411, "an upload must say its length (Content-Length)")
        elif upload and self.max_upload is not None and int(length) > self.max_upload:
            await _refuse(send, 413, f"upload too large ({megabytes(int(length))}; at most "
                                     f"{megabytes(self.max_upload)} at a time): send fewer "
                                     "files at once, or use kb ingest")
        elif upload:
            await self.app(scope, receive, _secured(send))
        elif scope["method"] not in ("GET", "HEAD"):
            await _refuse(send, 405, "kb serve is read-only: only GET and HEAD", allow=True)
        elif target > MAX_TARGET:
            await _refuse(send, 414, f"request URL longer than {MAX_TARGET} bytes")
        elif length not in (b"0", b"") or b"transfer-encoding" in headers:
            await _refuse(send, 413, "kb serve accepts no request body")
        else:
            await self.app(scope, receive, _secured(send))


def _secured(send: Send) -> Send:
    async def secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            _add_headers(message)
        await send(message)

    return secured


def _add_headers(message: Message) -> None:
    raw = list(message.get("headers") or [])
    names = {k.lower() for k, _ in raw}
    extra = {
        b"content-security-policy": PAGE_CSP.encode(),
        b"x-content-type-options": b"nosniff",
        b"referrer-policy": b"no-referrer",
        b"cross-origin-opener-policy": b"same-origin",
        b"cross-origin-resource-policy": b"same-origin",
    }
    raw += [(k, v) for k, v in extra.items() if k not in names]
    message["headers"] = raw


async def _refuse(send: Send, status: int, text: str, allow: bool = False) -> None:
    body = (text + "\n").encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    if allow:
        headers.append((b"allow", b"GET, HEAD"))
    message: Message = {"type": "http.response.start", "status": status, "headers": headers}
    _add_headers(message)
    await send(message)
    await send({"type": "http.response.body", "body": body})


def read_only(store: Any) -> None:
    """Make every connection of ``store`` refuse to write from now on: SQLite's
    ``PRAGMA query_only``, PostgreSQL's read-only transactions. Connections already
    pooled are closed first (an in-memory SQLite database, which would not survive
    that, keeps its connection and gets the pragma there)."""
    engine = store.engine
    sqlite = engine.dialect.name == "sqlite"
    if event.contains(engine, "connect", _read_only_sqlite if sqlite else _read_only_pg):
        return
    event.listen(engine, "connect", _read_only_sqlite if sqlite else _read_only_pg)
    if sqlite and engine.url.database in (None, "", ":memory:"):
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA query_only = ON")
    else:
        engine.dispose()


def _read_only_sqlite(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA query_only = ON")


def _read_only_pg(dbapi_conn: Any, _record: Any) -> None:
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    dbapi_conn.commit()


def create_app(
    store: Any,
    allowed_hosts: Sequence[str] | None = None,
    ingest: IngestOptions | None = None,
) -> Starlette:
    """The web application over ``store`` (opened by the caller).

    ``allowed_hosts`` are the Host header values answered (a page requested under any
    other name, as a rebinding attack would, gets 400); None answers every name.
    Without ``ingest`` the store is made read-only (:func:`read_only`) and nothing
    writes; with it, the holder of ``ingest.token`` may add articles at /ingest.
    """
    max_upload = upload_limit(ingest.limits) if ingest else None
    middleware = [Middleware(Guard, max_upload=max_upload)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    routes = [
        *pages.routes(),
        *api.routes(),
        *(uploads.routes() if ingest else uploads.disabled_routes()),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=pages.exception_handlers(),
    )
    app.state.store = store
    app.state.ingest = ingest is not None
    if ingest:
        app.state.access = Access(ingest.token)
        app.state.jobs = Jobs(store, ingest.limits)
    else:
        read_only(store)
    return app


def serve(
    store: Any,
    host: str = "127.0.0.1",
    port: int = 8080,
    log_level: str = "warning",
    warn: Callable[[str], None] | None = None,
    ingest: IngestOptions | None = None,
) -> None:
    """Run the application with uvicorn until interrupted (``ingest``: see
    :func:`create_app`).

    Binding to anything but this machine is warned about (``warn``, else a Python
    warning): anyone who can reach the address can then read the whole database.
    """
    import uvicorn

    hosts: list[str] = [*LOCAL_HOSTS]
    if host not in LOCAL_HOSTS:
        message = (
            f"kb serve is listening on {host}: anyone who can reach this address can read "
            "the whole database (there is no login); use --host 127.0.0.1 to keep it "
            "on this machine"
        )
        if warn is not None:
            warn(message)
        else:
            warnings.warn(message, stacklevel=2)
        hosts = ["*"]
    app = create_app(store, allowed_hosts=hosts, ingest=ingest)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        limit_concurrency=64,
        h11_max_incomplete_event_size=16 * 1024,
        server_header=False,
    )
