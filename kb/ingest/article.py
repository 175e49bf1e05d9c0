"""The Article: one news article as read from a source file, before any extraction."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

__all__ = ["Article", "article_id", "normalise_text"]

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFC, whitespace folded: the form an article's identity is computed from."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    """A stable identity: the SHA-256 of the normalised text (hex, first 32 digits).

    >>> article_id("A  b\\n") == article_id("A b")
    True
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Article:
    """One article: body text plus what is known about it.

    ``published`` is an ISO date (YYYY-MM-DD) or None when the source does not say.
    ``credit`` is a trailing credit line such as "IMAGE: AP" (metadata, not content).
    ``path`` is where it was read from; ``line`` the line number in a JSON Lines file.
    """

    text: str
    published: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    credit: str | None = None
    path: str | None = None
    line: int | None = None
    format: str = "text"

    @property
    def id(self) -> str:
        return article_id(self.text)

    def with_published(self, published: str | None) -> Article:
        return replace(self, published=published)
