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

from kb.extract.timex.calendar import at, bounds, placeholder, shift

__all__ = ["Ctx", "Hit", "Rule", "RULES", "rule", "candidates", "direction", "rel",
           "month_year", "weekday_date", "with_part", "quarter_ref"]  # fmt: skip


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
    ref_d: str | None = None
    notes: dict[str, object] = field(default_factory=dict)

    def ref_day(self) -> datetime.date | None:
        """The day of the last mentioned day-level time, else the anchor."""
        if self.ref_d:
            return datetime.date.fromisoformat(self.ref_d[:10])
        return self.anchor

    def ref_start(self) -> datetime.date | None:
        """The first day of the last mentioned time (a day, month, year...), else the anchor."""
        if self.ref:
            _, first, _ = bounds(self.ref)
            if first:
                return datetime.date.fromisoformat(first)
        return self.anchor

    def remember(self, value: str) -> None:
        """Note a resolved time the text mentioned, for the anaphora after it."""
        gran, first, _ = bounds(value)
        if gran is None or first is None:
            return
        self.ref = value
        if gran in ("day", "part_of_day", "hour", "minute"):
            self.ref_d = value


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


def candidates(text: str) -> list[tuple[int, int, Rule, re.Match[str]]]:
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
    gap = month - a.month  # months ahead of the anchor (negative: behind)
    d = direction(ctx)
    if d < 0 and (gap > 2 or (gap > 0 and day is None and gap > 1)):
        return a.year - 1
    if d > 0 and gap < -2:
        return a.year + 1
    if d == 0 and gap > 6:
        return a.year - 1
    if d == 0 and gap < -8:
        return a.year + 1
    return a.year


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


def quarter_ref(ctx: Ctx) -> str | None:
    """The quarter a financial text is about: the last one named, else the last completed.

    Only texts that speak of quarters have one ("a year earlier" in an earnings report
    is the same quarter a year before); elsewhere None. Right after a span of several
    months ("the nine months") there is none: the comparison is with the year before.
    """
    last = ctx.notes.get("last")
    if isinstance(last, str) and re.fullmatch(r"P(?:[4-9]|1[01])M", last):
        return None  # "the nine months ... a year earlier": the year before, not a quarter
    known = ctx.notes.get("quarter")
    if isinstance(known, str):
        return known
    if not ctx.notes.get("quarter_doc") or ctx.anchor is None:
        return None
    a = ctx.anchor
    done = (a.month - 1) // 3
    return f"{a.year:04d}-Q{done}" if done else f"{a.year - 1:04d}-Q4"


def with_part(value: str, part: str | None) -> str:
    """Append a part of day ("TNI") to a day value."""
    return f"{value}T{part}" if part else value
