"""The rule machinery: a context to resolve against, and the registry of patterns.

A rule is a compiled pattern plus a handler ``handler(match, ctx) -> Hit | None``;
the handler returns None to reject a match that only looks like a time. Rules are
registered by the ``rules_*`` modules with :func:`rule` and run by
:func:`candidates`. Resolution follows the TimeBank conventions: relative
expressions are resolved against the anchor (the publication date), year-less
months and weekdays by the tense of the governing verb, and anaphoric ones
("that day", "a year earlier") against the last time the text mentioned.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.extract.timex.calendar import at, placeholder, shift

__all__ = ["Ctx", "Hit", "Rule", "RULES", "rule", "candidates", "direction", "rel",
           "month_year", "weekday_date", "with_part"]  # fmt: skip


@dataclass
class Ctx:
    """What a time expression is resolved against.

    ``anchor`` is the publication date (None: relative values stay unresolved);
    ``tense`` is "past", "present" or "future" for the governing verb; ``ref`` is the
    last resolved DATE value the text mentioned (for "that day", "a year earlier").
    """

    anchor: datetime.date | None
    tense: str | None = None
    ref: str | None = None
    notes: dict[str, object] = field(default_factory=dict)

    def ref_day(self) -> datetime.date | None:
        """The day of the last mentioned day-level time, else the anchor."""
        if self.ref and re.match(r"\d{4}-\d{2}-\d{2}", self.ref):
            try:
                return datetime.date.fromisoformat(self.ref[:10])
            except ValueError:
                return self.anchor
        return self.anchor


@dataclass(frozen=True)
class Hit:
    """A rule's normalisation of one match."""

    type: str
    value: str
    mod: str | None = None
    resolved: bool = True
    anaphoric: bool = False


Handler = Callable[[re.Match[str], Ctx], "Hit | None"]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler


RULES: list[Rule] = []
_BOUND = r"(?<![\w'$£€])"


def rule(pattern: str, flags: int = re.IGNORECASE) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``pattern`` (word-bounded on both ends)."""

    def deco(fn: Handler) -> Handler:
        compiled = re.compile(_BOUND + "(?:" + pattern + ")" + r"(?:'s)?(?![\w])", flags)
        RULES.append(Rule(fn.__name__, compiled, fn))
        return fn

    return deco


def candidates(text: str, ctx: Ctx) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Every match of every rule in ``text`` (overlapping; the finder picks)."""
    out = []
    for r in RULES:
        for m in r.pattern.finditer(text):
            out.append((m.start(), m.end(), r, m))
    return out


def direction(ctx: Ctx) -> int:
    """-1 when the expression points back (past tense), +1 forward (future), else 0."""
    return {"past": -1, "future": 1}.get(ctx.tense or "", 0)


def rel(
    ctx: Ctx,
    n: int,
    unit: str,
    gran: str,
    *,
    typ: str = "DATE",
    mod: str | None = None,
    base: datetime.date | None = None,
    anaphoric: bool = False,
) -> Hit:
    """A DATE ``n`` units from the anchor (or ``base``), formatted at ``gran``."""
    day = base or ctx.anchor
    if day is None:
        return Hit(typ, placeholder(gran), mod, resolved=False, anaphoric=anaphoric)
    return Hit(typ, at(shift(day, n, unit), gran), mod, anaphoric=anaphoric)


def month_year(ctx: Ctx, month: int, day: int | None = None) -> int | None:
    """The year of a year-less month (and day), by tense; None without an anchor."""
    a = ctx.anchor
    if a is None:
        return None
    key, now = (month, day or 1), (a.month, a.day if day else 1)
    d = direction(ctx)
    if d > 0:
        return a.year if key >= now else a.year + 1
    if d < 0:
        return a.year if key <= now else a.year - 1
    # unknown tense: the occurrence nearest the anchor, preferring the past on a tie
    gap = (month - a.month) % 12
    if gap == 0:
        return a.year
    return (
        a.year + (1 if month < a.month else 0)
        if gap <= 2
        else (a.year if month <= a.month else a.year - 1)
    )


def weekday_date(ctx: Ctx, weekday: int, relword: str | None = None) -> datetime.date | None:
    """The day a weekday name refers to; "last"/"next" skip today's weekday."""
    a = ctx.anchor
    if a is None:
        return None
    rw = (relword or "").lower()
    back = (a.isoweekday() - weekday) % 7
    ahead = (weekday - a.isoweekday()) % 7
    if rw in ("last", "past", "this past", "previous", "the previous"):
        return a - datetime.timedelta(days=back or 7)
    if rw in ("next", "coming", "this coming", "following", "the following", "the next"):
        return a + datetime.timedelta(days=ahead or 7)
    if direction(ctx) > 0 or (ctx.tense == "present" and ahead and ahead <= 3):
        return a + datetime.timedelta(days=ahead)
    return a - datetime.timedelta(days=back)


def with_part(value: str, part: str | None) -> str:
    """Append a part of day ("TNI") to a day value."""
    return f"{value}T{part}" if part else value
