"""An article's text cut into pieces, each with the facts that cover it.

The article page marks statements (speaker, cue, content), events (trigger) and actor
mentions in the text. Spans may nest or overlap, so the text is cut at every span
boundary; each piece carries the kinds of span over it and at most one link (an actor
mention first, then an event trigger, then a statement), since links cannot nest.
The pieces are plain strings: the template escapes them.

>>> [(p.text, p.marks) for p in pieces("Putin said no.", [("speaker", 0, 5, None)])]
[('Putin', ('speaker',)), (' said no.', ())]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Piece", "pieces", "article_spans", "shown"]

#: Control characters (other than tab and newline) shown as U+FFFD: they have no glyph.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINK_ORDER = ("mention", "trigger", "content", "cue", "speaker")


@dataclass(frozen=True)
class Piece:
    text: str
    marks: tuple[str, ...]
    link: str | None
    focus: bool = False


def shown(text: str) -> str:
    """``text`` with control characters replaced by U+FFFD (one for one)."""
    return _CONTROL.sub("\ufffd", text)


def pieces(
    text: str,
    spans: Iterable[tuple[str, int, int, str | None]],
    focus: tuple[int, int] | None = None,
) -> list[Piece]:
    """Cut ``text`` at the boundaries of ``spans`` (``(mark, start, end, link)``) and of
    ``focus`` (the span to highlight as the reader's target)."""
    kept = [
        (mark, max(0, s), min(len(text), e), link)
        for mark, s, e, link in spans
        if s is not None and e is not None and 0 <= s < e
    ]
    cuts = {0, len(text)}
    for _, s, e, _ in kept:
        cuts.update((s, e))
    if focus:
        cuts.update((max(0, focus[0]), min(len(text), focus[1])))
    ordered = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Piece] = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        if start >= end:
            continue
        over = [(m, link) for m, s, e, link in kept if s <= start and end <= e]
        marks = tuple(sorted({m for m, _ in over}))
        link = None
        for wanted in _LINK_ORDER:
            link = next((ln for m, ln in over if m == wanted and ln), None)
            if link:
                break
        inside = bool(focus) and focus[0] <= start and end <= focus[1]  # type: ignore[index]
        out.append(Piece(shown(text[start:end]), marks, link, inside))
    return out


def article_spans(view: dict[str, Any], links: Any) -> list[tuple[str, int, int, str | None]]:
    """Every span of an article view (:meth:`kb.store.Store.article`) with its link;
    ``links`` has ``actor(name)``, ``statement(id)`` and ``event(id)`` URL builders."""
    spans: list[tuple[str, int, int, str | None]] = []
    for st in view["statements"]:
        for part in ("speaker", "cue", "content"):
            span = st["spans"].get(part)
            if span:
                spans.append((part, span[0], span[1], links.statement(st["id"])))
    for ev in view["events"]:
        span = ev["spans"].get("trigger")
        if span:
            spans.append(("trigger", span[0], span[1], links.event(ev["id"])))
    for m in view["mentions"]:
        spans.append(("mention", m["start"], m["end"], links.actor(m["name"])))
    return spans
