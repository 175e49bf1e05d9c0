"""Rules for times relative to the anchor or to the last mentioned time.

"yesterday", "Saturday night", "last week", "this summer", "earlier this year",
"two months ago", "a year earlier", "that day", "the following year".
"""

from __future__ import annotations

import datetime
import re

from kb.extract.timex import lexicon as lx
from kb.extract.timex.calendar import at, placeholder, season_of, shift
from kb.extract.timex.grammar import (
    Ctx,
    Hit,
    direction,
    quarter_ref,
    rel,
    rule,
    weekday_date,
    with_part,
)

__all__: list[str] = []

WD, PART, SEASON = lx.WEEKDAY_RE, lx.PART_RE, lx.SEASON_RE
_DAY_MOD = r"(?:(?P<mod>early|late|earlier|later|mid|the end of|the morning of)[- ]?\s*)"


def _part(word: str | None) -> str | None:
    return lx.PARTS_OF_DAY.get(word.lower().rstrip("s")) if word else None


def _mod(word: str | None) -> str | None:
    if not word:
        return None
    return lx.MOD_PREFIXES.get(word.lower(), "START" if "morning" in word.lower() else None)


@rule(
    rf"{_DAY_MOD}?(?P<w>today|yesterday|tomorrow|tonight)(?:\s+(?P<p>{PART}))?|"
    rf"(?P<w2>this|last|tomorrow|yesterday)\s+(?P<p2>{PART})|(?P<p3>overnight)"
)
def deictic(m: re.Match[str], ctx: Ctx) -> Hit | None:
    w = (m["w"] or m["w2"] or "today").lower()
    part = _part(m["p"] or m["p2"] or m["p3"]) or ("NI" if w == "tonight" else None)
    offset = {"yesterday": -1, "tomorrow": 1}.get(w, 0)
    if w == "last" or (m["p3"] and direction(ctx) <= 0):
        offset = -1
    typ = "TIME" if part else "DATE"
    if ctx.anchor is None:
        return Hit(typ, with_part("XXXX-XX-XX", part), _mod(m["mod"]), resolved=False)
    day = ctx.anchor + datetime.timedelta(days=offset)
    return Hit(typ, with_part(day.isoformat(), part), _mod(m["mod"]))


_REL_WD = (
    r"(?P<rel>last|this|next|coming|this coming|this past|past|previous|the previous|"
    r"following|the following|the next)"
)


@rule(
    rf"(?:{_REL_WD}\s+)?{_DAY_MOD}?(?P<wd>{WD})(?:'s)?(?:\s+(?P<p>{PART}s?))?|"
    rf"(?P<p2>{PART}|the (?:morning|afternoon|evening|night)) of (?P<wd2>{WD})"
    rf"(?!,?\s+{lx.MONTH_RE}\s*\d)",
    flags=0,
)
def weekday(m: re.Match[str], ctx: Ctx) -> Hit | None:
    name = (m["wd"] or m["wd2"]).lower()
    n = lx.WEEKDAYS[name]
    p = m["p"] or m["p2"]
    part = _part(p.split()[-1]) if p else None
    if p and p.endswith("s") and m["p"]:
        return Hit("SET", f"XXXX-WXX-{n}T{part}")
    relword = m["rel"]
    if relword and relword.lower() in ("the previous", "the following", "the next"):
        base = ctx.ref_day()
        sub = Ctx(base, ctx.tense)
        day = weekday_date(sub, n, relword.split()[-1])
    elif m.group(0).endswith("'s"):
        # "Wednesday's ruling": a possessive weekday names an event the news reports,
        # so it is the latest such day whatever the tense of the sentence
        day = weekday_date(Ctx(ctx.anchor, "past"), n, relword)
    else:
        day = weekday_date(ctx, n, relword)
    typ = "TIME" if part else "DATE"
    if day is None:
        return Hit(typ, with_part(f"XXXX-WXX-{n}", part), _mod(m["mod"]), resolved=False)
    return Hit(typ, with_part(day.isoformat(), part), _mod(m["mod"]))


_UNIT_GRAN = {"week": "week", "weekend": "week", "month": "month", "quarter": "quarter",
              "year": "year", "decade": "decade", "century": "century", "day": "day",
              "season": "season"}  # fmt: skip
_PREV = ("last", "past", "previous", "this past")
_NEXT = ("next", "coming", "this coming", "following")


@rule(
    rf"{lx.MOD_RE}?(?P<rel>this|last|next|coming|past|previous|current|the current|"
    r"this past|this coming|the past|the last|the next|the coming|that|the same|the previous|"
    r"the following|the prior|the preceding|the)\s+(?:fiscal\s+|calendar\s+)?"
    rf"(?P<u>week|weekend|month|quarter|year|decade|century|day|{SEASON}|{PART})"
)
def relative_unit(m: re.Match[str], ctx: Ctx) -> Hit | None:
    r, u = m["rel"].lower(), m["u"].lower()
    if m["u"][0].isupper():
        return None  # "This Week", "Next Month": the title of a programme or a column
    mod = lx.MOD_PREFIXES.get((m["mod"] or "").lower())
    if u in lx.SEASONS:
        return _season(ctx, lx.SEASONS[u], r, mod)
    if u in ("morning", "afternoon", "evening", "night"):
        if m.string.startswith(" of ", m.end()):
            return None  # "the night of Oct. 23": the date is the time expression
        if r not in ("that", "the", "the same", "the next", "the following", "the previous"):
            return None
        base = ctx.ref_day() or ctx.anchor
        off = 1 if r in ("the next", "the following") else -1 if r == "the previous" else 0
        if base is None:
            return Hit("TIME", f"XXXX-XX-XXT{_part(u)}", mod, resolved=False, anaphoric=True)
        return Hit(
            "TIME",
            with_part((base + datetime.timedelta(days=off)).isoformat(), _part(u)),
            mod,
            anaphoric=True,
        )
    gran = _UNIT_GRAN[u]
    if r in ("the past", "the last", "the next", "the coming") and not mod:
        if u == "weekend":
            return None
        letter = lx.UNITS[u][0]
        if letter == "DE":
            return Hit("DURATION", "P10Y")
        if letter == "CE":
            return Hit("DURATION", "P100Y")
        return Hit("DURATION", f"P1{letter}" if len(letter) == 1 else f"PT1{letter[1]}")
    if u == "weekend":
        return _weekend(ctx, r, mod)
    if r in ("that", "the same", "the previous", "the following", "the prior", "the preceding"):
        off = (
            -1
            if r in ("the previous", "the prior", "the preceding")
            else (1 if r == "the following" else 0)
        )
        base = ctx.ref_day() if u in ("day", "week") else ctx.ref_start()
        return rel(ctx, off, u, gran, mod=mod, base=base, anaphoric=True)
    if r == "the":
        if u == "day":
            return rel(ctx, 0, "day", "day", mod=mod, base=ctx.ref_day(), anaphoric=True)
        if mod is None:
            return None  # "the year", "the week": a duration rule decides
        return rel(ctx, 0, u, gran, mod=mod)
    if u == "day":
        return None
    off = -1 if r in _PREV else 1 if r in _NEXT else 0
    return rel(ctx, off, u, gran, mod=mod)


def _weekend(ctx: Ctx, r: str, mod: str | None) -> Hit:
    a = ctx.anchor
    if a is None:
        return Hit("DATE", "XXXX-WXX-WE", mod, resolved=False)
    sat = a + datetime.timedelta(days=6 - a.isoweekday())  # this week's Saturday
    if r in _PREV or (r in ("this", "the") and direction(ctx) < 0 and sat > a):
        sat -= datetime.timedelta(weeks=1)
    elif r in _NEXT and sat <= a:
        sat += datetime.timedelta(weeks=1)
    return Hit("DATE", at(sat, "week") + "-WE", mod)


def _season(ctx: Ctx, code: str, r: str, mod: str | None, year: int | None = None) -> Hit:
    if year is not None:
        return Hit("DATE", f"{year:04d}-{code}", mod)
    a = ctx.anchor
    if a is None:
        return Hit("DATE", f"XXXX-{code}", mod, resolved=False)
    cy, cs = season_of(a)
    order = ["SP", "SU", "FA", "WI"]
    cur = cy * 4 + order.index(cs)
    target = cy * 4 + order.index(code)
    if r in _PREV:
        while target >= cur:
            target -= 4
    elif r in _NEXT:
        while target <= cur:
            target += 4
    elif r in ("this", "the", "the current", "current"):
        d = direction(ctx)
        if d < 0 and target > cur:
            target -= 4
        elif d > 0 and target < cur:
            target += 4
    y, i = divmod(target, 4)
    return Hit("DATE", f"{y:04d}-{order[i]}", mod)


@rule(
    rf"(?:the\s+)?{lx.MOD_RE}?(?P<s>{SEASON})"
    rf"(?:\s+(?:of\s+)?(?P<y>{lx.YEAR_RE}|{lx.SPOKEN_YEAR_RE}))?"
)
def season(m: re.Match[str], ctx: Ctx) -> Hit | None:
    code = lx.SEASONS[m["s"].lower()]
    if m["s"].lower() == "fall" and not m["y"] and not m["mod"]:
        return None  # "fall" alone is mostly the verb; "last fall" is caught above
    y = lx.parse_year(m["y"]) if m["y"] else None
    return _season(ctx, code, "the", lx.MOD_PREFIXES.get((m["mod"] or "").lower()), y)


@rule(
    rf"(?P<num>{lx.NUM_RE})[- ](?P<u>{lx.UNIT_RE})s?(?:\s+or so)?\s+(?P<dir>ago|earlier|"
    r"later|before|after|from now|hence|back)(?!\s+(?:the|a|an|his|her|its|their|this)\b)"
)
def ago(m: re.Match[str], ctx: Ctx) -> Hit | None:
    n = lx.parse_number(m["num"])
    u = lx.unit_of(m["u"])
    d = m["dir"].lower()
    sign = -1 if d in ("ago", "earlier", "before", "back") else 1
    if (
        d in ("before", "after")
        and m.end() < len(m.string)
        and m.string[m.end() : m.end() + 1] not in ".,;)\"'"
    ):
        return None
    if u in ("hour", "minute", "second"):
        return None
    gran = _UNIT_GRAN.get(u, "year")
    anaphoric = d in ("earlier", "later", "before", "after")
    if n is None:
        return Hit("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if n != int(n):
        n = round(n)
    base = ctx.anchor
    if anaphoric or u == "year":
        ref = quarter_ref(ctx)
        if u == "year" and n == 1 and ref and ctx.anchor:  # "five years ago" is a year
            return Hit("DATE", f"{int(ref[:4]) + sign * int(n):04d}{ref[4:]}", anaphoric=True)
        if anaphoric:
            base = ctx.ref_day() if u in ("day", "week") else ctx.ref_start()
    if u == "decade":
        return rel(ctx, sign * int(n) * 10, "year", "year", base=base, anaphoric=anaphoric)
    if u == "century":
        return rel(ctx, sign * int(n) * 100, "year", "year", base=base, anaphoric=anaphoric)
    if u == "quarter":
        return rel(ctx, sign * int(n), "quarter", "quarter", base=base, anaphoric=anaphoric)
    return rel(ctx, sign * int(n), u, gran, base=base, anaphoric=anaphoric)


@rule(r"(?P<w>earlier|later) (?:that|the same) (?P<u>day|week|month|year|morning|night|evening)")
def earlier_that(m: re.Match[str], ctx: Ctx) -> Hit | None:
    u = m["u"].lower()
    mod = "START" if m["w"].lower() == "earlier" else "END"
    if u in ("morning", "night", "evening"):
        base = ctx.ref_day()
        if base is None:
            return Hit("TIME", "XXXX-XX-XXT" + (_part(u) or ""), mod, resolved=False)
        return Hit("TIME", with_part(base.isoformat(), _part(u)), None, anaphoric=True)
    base = ctx.ref_day() if u in ("day", "week") else ctx.ref_start()
    hit = rel(ctx, 0, u, u, base=base, anaphoric=True)
    return Hit(hit.type, hit.value, None if u == "day" else mod, hit.resolved, True)


@rule(
    rf"(?P<mod>early|late|mid)[- ]?(?P<p>morning|afternoon|evening)"
    rf"(?:\s+(?P<d>today|yesterday|tomorrow|{WD}))?"
)
def part_of_day(m: re.Match[str], ctx: Ctx) -> Hit | None:
    """ "mid-afternoon yesterday", "by mid afternoon": that part of the day talked about."""
    part = _part(m["p"])
    mod = {"early": "START", "late": "END", "mid": "MID"}[m["mod"].lower()]
    d = (m["d"] or "").lower()
    if ctx.anchor is None:
        return Hit("TIME", f"XXXX-XX-XXT{part}", mod, resolved=False)
    if d in lx.WEEKDAYS:
        day = weekday_date(ctx, lx.WEEKDAYS[d])
    elif d:
        day = ctx.anchor + datetime.timedelta(days={"yesterday": -1, "tomorrow": 1}.get(d, 0))
    else:
        day = ctx.ref_day()
    assert day is not None
    return Hit("TIME", with_part(day.isoformat(), part), mod, anaphoric=not d)


@rule(
    r"the (?P<w>next|following|previous|preceding|prior) (?P<u>day|morning|night|evening)|"
    r"the (?P<u2>day) (?P<w2>before|after)"
)
def day_after(m: re.Match[str], ctx: Ctx) -> Hit | None:
    w = (m["w"] or m["w2"]).lower()
    u = (m["u"] or m["u2"]).lower()
    off = 1 if w in ("next", "following", "after") else -1
    base = ctx.ref_day()
    part = _part(u) if u != "day" else None
    if base is None:
        return Hit(
            "TIME" if part else "DATE",
            with_part(placeholder("day"), part),
            resolved=False,
            anaphoric=True,
        )
    day = shift(base, off, "day")
    return Hit("TIME" if part else "DATE", with_part(day.isoformat(), part), anaphoric=True)


@rule(r"(?P<w>earlier|later) in the (?P<u>year|month|week)")
def earlier_in_the(m: re.Match[str], ctx: Ctx) -> Hit | None:
    mod = "START" if m["w"].lower() == "earlier" else "END"
    return rel(ctx, 0, m["u"].lower(), m["u"].lower(), mod=mod)
