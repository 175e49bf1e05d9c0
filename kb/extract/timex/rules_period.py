"""Rules for business periods: quarters, halves, "year-earlier" comparisons.

"the third quarter", "third-quarter", "the fiscal first quarter of 1990", "the
quarter", "the year-ago period", "a year earlier" (after a quarter was named: the
same quarter a year before, as financial news means it), "year-end".
"""

from __future__ import annotations

import datetime
import re

from kb.extract.timex import lexicon as lx
from kb.extract.timex.calendar import at
from kb.extract.timex.grammar import Ctx, Hit, direction, quarter_ref, rule

__all__: list[str] = []

_YEAR_OF = (
    r"(?:\s+of\s+(?:fiscal\s+)?(?P<y>" + lx.YEAR_RE + r"|this year|last year|next year|"
    r"the year|the (?:'|19)\d0s))"
)
_PRE = (
    r"(?P<pre>(?:the\s+)?(?:comparable\s+|corresponding\s+)?(?:year-ago|year-earlier|"
    r"year-before|prior-year|latest|current|most recent|same)|this year's|last year's|"
    r"next year's|(?:fiscal\s+)?" + lx.YEAR_RE + r"(?:'s)?|the|this|last|next|that|its|"
    r"a|fiscal)"
)


def _quarter_year(ctx: Ctx, n: int, pre: str, y: str | None, half: bool = False) -> int | None:
    a = ctx.anchor
    pre = pre.lower()
    if y:
        yl = y.lower()
        if yl[:4].isdigit():
            return int(yl[:4])
        if a is None:
            return None
        return a.year + {"this year": 0, "the year": 0, "last year": -1, "next year": 1}.get(yl, 0)
    m = re.search(lx.YEAR_RE, pre)
    if m:
        return int(m.group(0))
    if a is None:
        return None
    if "year-" in pre or "prior-year" in pre or pre.startswith("last year"):
        return a.year - 1
    if pre.startswith("next year"):
        return a.year + 1
    current = (a.month - 1) // (6 if half else 3) + 1
    if n <= current or direction(ctx) > 0 or pre in ("this", "the current", "current"):
        return a.year
    return a.year - 1


@rule(
    rf"(?:{_PRE}\s+)?(?:(?:fiscal|calendar)[- ])?(?P<o>{lx.ORD_RE}|last)[- ]"
    rf"(?:(?:fiscal|calendar)[- ])?(?P<u>quarter|half)(?P<pl>s)?{_YEAR_OF}?"
    r"(?P<ago>\s+(?:a year (?:ago|earlier)|of last year))?"
)
def quarter(m: re.Match[str], ctx: Ctx) -> Hit | None:
    half = m["u"].lower() == "half"
    o = m["o"].lower()
    n = lx.ORDINALS.get(o, 4)
    if half:
        n = 2 if o in ("second", "2nd", "last", "final") else 1 if o in ("first", "1st") else 0
        if n == 0:
            return None
    if m["pl"]:
        return Hit("SET", f"XXXX-{'H' if half else 'Q'}{n}")
    pre = m["pre"] or ""
    y = _quarter_year(ctx, n, pre, m["y"], half)
    if m["ago"] and y is not None:
        y -= 1
    letter = "H" if half else "Q"
    if y is None:
        return Hit("DATE", f"XXXX-{letter}{n}", resolved=False)
    value = f"{y:04d}-{letter}{n}"
    if not half:
        ctx.notes["quarter"] = value
    return Hit("DATE", value)


@rule(
    r"(?P<pre>the (?:comparable |corresponding |same )?(?:year-ago|year-earlier|year-before|"
    r"prior-year)|the (?:latest|current|most recent|recent|comparable|corresponding|same)|"
    r"last year's|year-ago|year-earlier|the)\s+(?:fiscal\s+)?(?P<u>quarter|period)"
    r"(?P<ago>\s+(?:a year (?:ago|earlier)|last year|of last year))?"
)
def the_quarter(m: re.Match[str], ctx: Ctx) -> Hit | None:
    pre = m["pre"].lower()
    last_year = bool(m["ago"]) or "year-" in pre or "prior-year" in pre or "last year" in pre
    if m["u"].lower() == "period" and not (
        last_year or "latest" in pre or "recent" in pre or "comparable" in pre or "same" in pre
    ):
        return None
    last = ctx.notes.get("last")
    if m["u"].lower() == "period" and isinstance(last, str) and re.fullmatch(r"P\d+M", last):
        return Hit("DURATION", last)  # "the nine months ... the year-earlier period"
    a = ctx.anchor
    if a is None:
        return Hit("DATE", "XXXX-QX", resolved=False)
    if "current" in pre:
        return Hit("DATE", at(a, "quarter"))
    if "latest" in pre or "recent" in pre:
        done = (a.month - 1) // 3
        value = f"{a.year:04d}-Q{done}" if done else f"{a.year - 1:04d}-Q4"
        if m["u"].lower() == "quarter":
            ctx.notes["quarter"] = value
        return Hit("DATE", value)
    known = quarter_ref(ctx) or at(a, "quarter")
    y, q = int(known[:4]), int(known[-1])
    if last_year and y >= a.year:
        y -= 1
    return Hit("DATE", f"{y:04d}-Q{q}")


@rule(rf"(?:the\s+)?(?P<y>{lx.YEAR_RE})\s+(?P<u>period|quarter|first half|second half)")
def year_period(m: re.Match[str], ctx: Ctx) -> Hit | None:
    y = int(m["y"])
    u = m["u"].lower()
    if "half" in u:
        return Hit("DATE", f"{y:04d}-H{1 if u.startswith('first') else 2}")
    known = quarter_ref(ctx)
    if known:
        return Hit("DATE", f"{y:04d}-Q{known[-1]}")
    return Hit("DATE", f"{y:04d}")


@rule(r"(?P<y>year)[- ](?P<w>ago|earlier|before)")
def year_ago_adj(m: re.Match[str], ctx: Ctx) -> Hit | None:
    a = ctx.anchor
    if a is None:
        return Hit("DATE", "XXXX", resolved=False)
    known = quarter_ref(ctx)
    if known:
        return Hit("DATE", f"{int(known[:4]) - 1:04d}{known[4:]}", anaphoric=True)
    return Hit("DATE", f"{a.year - 1:04d}")


@rule(r"(?:(?P<pre>the|this|last|next)\s+)?year[- ]end|(?:this\s+)?year's end")
def year_end(m: re.Match[str], ctx: Ctx) -> Hit | None:
    a = ctx.anchor
    if a is None:
        return Hit("DATE", "XXXX-12-31", resolved=False)
    pre = (m["pre"] or "").lower()
    y = a.year + (-1 if pre == "last" else 1 if pre == "next" else 0)
    if "-" in m.group(0):
        return Hit("DATE", datetime.date(y, 12, 31).isoformat())
    return Hit("DATE", f"{y:04d}", "END")
