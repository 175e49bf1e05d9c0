"""Order: rank an article's events by when they happened, as far as the text says.

Three things order events: their dates (an earlier day first); on the same day, the
verb form (past perfect before simple past before the future) and whether the date is
stated (a dated event before one that carries only the published date); and the words
"after", "before" and "then" between two events, where they do not contradict the dates
and verb forms (the surer evidence). Events with no date at all are not ranked (None).
Equal ranks are not ordered against each other.

>>> from kb import parse_article
>>> p = parse_article("The board had met in May. It then announced the merger.",
...                   published="2021-06-01")
>>> [(e.trigger.text, e.order) for e in p.events]
[('met', 0), ('announced', 1), ('merger', 1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from graphlib import TopologicalSorter

from spacy.tokens import Doc, Token

from kb.extract.triggers import _columns
from kb.extract.types import Event

__all__ = ["event_order", "textual_before", "same_day_tier"]

_AFTER = frozenset({"after", "following", "since"})
_BEFORE = frozenset({"before", "until", "prior"})
_CUES = _AFTER | _BEFORE | {"then"}


def same_day_tier(e: Event) -> tuple[int, int]:
    """Where an event stands among the events of its day: (verb form, date basis).

    Past perfect ("had met") 0, other forms 1, the future ("will buy") 2; a stated date
    0, the published date 1.
    """
    if e.tense == "PAST" and e.aspect in ("PERFECTIVE", "PERFECTIVE_PROGRESSIVE"):
        form = 0
    elif e.tense == "FUTURE":
        form = 2
    else:
        form = 1
    return form, 0 if e.date is not None and e.date.basis == "stated" else 1


def _event_below(tok: Token, at: dict[int, int]) -> int | None:
    """The event a phrase names: its head word's, or the nearest event word inside."""
    if tok.i in at:
        return at[tok.i]
    found = [t for t in tok.subtree if t.i in at]
    return at[min(found, key=lambda t: abs(t.i - tok.i)).i] if found else None


def _event_above(tok: Token, at: dict[int, int]) -> int | None:
    for a in tok.ancestors:
        if a.i in at:
            return at[a.i]
    return None


def textual_before(doc: Doc, tokens: Sequence[int | None]) -> list[tuple[int, int]]:
    """Pairs (a, b) of event indexes where the text says a happened before b.

    ``tokens[i]`` is the Doc index of event i's trigger word (or None). "After the
    board met, it announced the merger": (met, announced); "sold the unit before the
    merger": (sold, merger); "then announced": the event before it in the text first.
    """
    at = {t: i for i, t in enumerate(tokens) if t is not None}
    pairs: list[tuple[int, int]] = []
    lower = _columns(doc).lower
    for k in [k for k, w in enumerate(lower) if w in _CUES]:
        tok, word = doc[k], lower[k]
        if word in _AFTER or word in _BEFORE:
            if tok.dep_ not in ("prep", "mark"):
                continue
            head = tok.head if tok.dep_ == "prep" else tok.head.head
            inner_tok = tok.head if tok.dep_ == "mark" else next(
                (c for c in tok.children if c.dep_ in ("pobj", "pcomp")), None)
            if inner_tok is None:
                continue
            inner = _event_below(inner_tok, at)
            outer = at.get(head.i) if head.i in at else _event_above(tok, at)
            if inner is None or outer is None or inner == outer:
                continue
            pairs.append((inner, outer) if word in _AFTER else (outer, inner))
        elif word == "then" and tok.dep_ == "advmod" and tok.head.i in at:
            later = at[tok.head.i]
            earlier = [i for t, i in at.items() if t < tok.head.i and i != later
                       and doc[t].sent.start >= tok.sent.start - 60]
            if earlier:
                pairs.append((max(earlier, key=lambda i: tokens[i] or -1), later))
    return pairs


def _reaches(succ: dict[int, set[int]], a: int, b: int) -> bool:
    seen, stack = {a}, [a]
    while stack:
        for n in succ.get(stack.pop(), ()):
            if n == b:
                return True
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return False


def event_order(
    events: Sequence[Event], before: Iterable[tuple[int, int]] = ()
) -> tuple[int | None, ...]:
    """The rank of each event (0 first), or None for an event with no date.

    Events are grouped by day (the start of their date's interval); within a day by
    :func:`same_day_tier`; ``before`` pairs (a, b) of the same day then put a before b
    where that contradicts neither the groups nor an earlier pair.
    """
    dated = [i for i, e in enumerate(events) if e.date is not None and e.date.start]
    keys = {i: (str(events[i].date.start), *same_day_tier(events[i])) for i in dated}  # type: ignore[union-attr]
    days = {i: keys[i][0] for i in dated}
    groups = sorted(set(keys.values()))
    # Nodes: events (their index) and one barrier per pair of consecutive groups (-k-1).
    succ: dict[int, set[int]] = {i: set() for i in dated}
    members: dict[tuple[str, int, int], list[int]] = {}
    for i in dated:
        members.setdefault(keys[i], []).append(i)
    for k in range(len(groups) - 1):
        barrier = -k - 1
        succ[barrier] = set(members[groups[k + 1]])
        for i in members[groups[k]]:
            succ[i].add(barrier)
    for a, b in before:
        if a in days and b in days and days[a] == days[b] and not _reaches(succ, b, a):
            succ[a].add(b)
    level: dict[int, int] = {}
    preds: dict[int, set[int]] = {n: set() for n in succ}
    for n, outs in succ.items():
        for m in outs:
            preds[m].add(n)
    for n in TopologicalSorter({n: preds[n] for n in succ}).static_order():
        level[n] = max((level[p] + (1 if n >= 0 else 0) for p in preds[n]), default=0)
    ranks = sorted({level[i] for i in dated})
    dense = {v: k for k, v in enumerate(ranks)}
    return tuple(dense[level[i]] if i in level else None for i in range(len(events)))
