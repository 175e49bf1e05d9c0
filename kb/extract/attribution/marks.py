"""Find quoted stretches of text by pairing quotation marks.

Curly double marks (“ ”), straight double marks (") and the doubled apostrophes some
newspapers use ('' ... '') are paired within a paragraph. A paragraph that ends inside
a quote continues it when the next paragraph opens with a quotation mark (the newspaper
convention for a quote running over several paragraphs); otherwise the quote is closed
at the end of its paragraph. Single curly marks are left alone: in news they are mostly
scare quotes or apostrophes, not speech.

>>> find_quote_spans('He said, “We will go.” Then: "Fine."')
[(9, 22), (29, 36)]
"""

from __future__ import annotations

import re

__all__ = ["find_quote_spans", "OPEN_MARKS", "CLOSE_MARKS"]

OPEN_MARKS = ("“", '"', "''", "``")
CLOSE_MARKS = ("”", '"', "''")

_MARK = re.compile(r"“|”|\"|''|``")


def _is_opening(text: str, i: int, mark: str) -> bool:
    """Whether an ambiguous mark at ``i`` opens a quote (by what precedes it)."""
    if mark in ("“", "``"):
        return True
    if mark == "”":
        return False
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([{—–-:;,/"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _starts_with_mark(text: str, start: int, end: int) -> bool:
    stripped = text[start:end].lstrip()
    return stripped.startswith(("“", '"', "''", "``"))


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of quotations, marks included, in text order."""
    spans: list[tuple[int, int]] = []
    paras = _paragraphs(text)
    open_at: int | None = None
    for n, (p_start, p_end) in enumerate(paras):
        for m in _MARK.finditer(text, p_start, p_end):
            mark, i = m.group(), m.start()
            if open_at is None:
                if _is_opening(text, i, mark) or i == _first_char(text, p_start):
                    open_at = i  # (a paragraph may open with a wrongly turned ”)
            elif mark != "”" and i == _first_char(text, p_start) and "\n" in text[open_at:i]:
                continue  # the reopening mark of a quote continued from the last paragraph
            elif mark in ("“", "``"):
                open_at = i  # unbalanced: restart at the newer opening mark
            else:
                spans.append((open_at, m.end()))
                open_at = None
        if open_at is not None:
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            if nxt is None or not _starts_with_mark(text, *nxt):
                end = p_end
                while end > open_at and text[end - 1].isspace():
                    end -= 1
                spans.append((open_at, end))
                open_at = None
    return [s for s in spans if s[1] - s[0] > 2]


def _first_char(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start
