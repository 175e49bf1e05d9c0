"""Who may add articles to a ``kb serve --allow-ingest``: the holder of its token.

The server makes a random token when it starts and prints a URL that carries it, as a
notebook server does. The first request with ``?token=`` trades it for a session: a
cookie (HttpOnly, SameSite=Strict) naming a random session, and a redirect to the same
page without the token, so it leaves neither the address bar nor the history. Each
session has its own CSRF token, written into every form that writes; a write (POST)
must come with the session cookie *and* that form field, and from this origin when the
browser says where it comes from. Reading pages needs none of this.

>>> access = Access("s3cret")
>>> session = access.open_session("s3cret")
>>> access.session_of(session.id) is session and access.open_session("guess") is None
True
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

__all__ = ["Access", "Session", "COOKIE", "CSRF_FIELD", "new_token"]

COOKIE = "kb_session"
CSRF_FIELD = "csrf"
#: Sessions kept; the oldest is forgotten beyond this (its holder opens the URL again).
MAX_SESSIONS = 64


def new_token() -> str:
    """A token nobody can guess: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Session:
    id: str = field(default_factory=new_token)
    csrf: str = field(default_factory=new_token)


class Access:
    """The token of one server and the sessions it has opened."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, token: str) -> Session | None:
        """A new session for the holder of the token, or None for any other value."""
        if not secrets.compare_digest(token.encode(), self.token.encode()):
            return None
        session = Session()
        with self._lock:
            self._sessions[session.id] = session
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return session

    def session_of(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        with self._lock:
            return self._sessions.get(cookie)

    def session(self, request: Request) -> Session | None:
        """The session of the request's cookie, if it is one this server opened."""
        return self.session_of(request.cookies.get(COOKIE))

    def trade_token(self, request: Request) -> Response | None:
        """For a GET carrying ``?token=``: the redirect that sets the session cookie (or
        None when the token is wrong: the caller refuses the request)."""
        session = self.open_session(request.query_params.get("token", ""))
        if session is None:
            return None
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, session.id, httponly=True, samesite="strict", path="/")
        return response

    @staticmethod
    def same_origin(request: Request) -> bool:
        """False when the browser names another origin than this server's (an Origin
        or, lacking it, a Referer header of another host); True when it names none
        (kb's pages send no referrer, so a browser may say ``Origin: null``)."""
        claimed = request.headers.get("origin") or request.headers.get("referer")
        if not claimed or claimed == "null":
            return True
        parts = urlsplit(claimed)
        return parts.netloc == request.headers.get("host", "")

    @staticmethod
    def csrf_ok(session: Session, submitted: object) -> bool:
        return isinstance(submitted, str) and secrets.compare_digest(
            submitted.encode(), session.csrf.encode()
        )
