"""Limits on what one article may be: every reader checks them before it holds the data.

``max_chars`` is the longest article text kb parses (default 1,000,000 characters, the
length spaCy's pipeline accepts by default; about 150,000 words, longer than any news
article). A file is refused before it is read when it is larger than ``max_bytes``
(16 bytes per allowed character: room for HTML markup around the text), and so is any
one line of a JSON Lines archive; an archive as a whole has no size limit, it is read
line by line. Only regular files are read: a device (/dev/zero), a FIFO or a socket is
refused by name, so no read can hang or exhaust memory.

>>> Limits(max_chars=1000).max_bytes
1048576
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits", "DEFAULT_MAX_CHARS"]

DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How large an article may be. ``max_bytes`` follows from ``max_chars``."""

    max_chars: int = DEFAULT_MAX_CHARS

    @property
    def max_bytes(self) -> int:
        return max(16 * self.max_chars, 1 << 20)


def megabytes(n: int) -> str:
    """``n`` bytes in MB with one decimal, for messages."""
    return f"{n / 1_000_000:.1f} MB"
