"""Rules for calendar dates: "Feb. 20, 2022", "February", "1990", "the 1990s",
"the 20th century", "10:35 a.m. Friday", "Thanksgiving Day".

A stated year is taken as is; a month or day without a year gets its year from
the anchor and the tense (:func:`~kb.extract.timex.grammar.month_year`).
"""

from __future__ import annotations

import datetime
import re

from kb.extract.timex import lexicon as lx
from kb.extract.timex.calendar import easter, nth_weekday
from kb.extract.timex.grammar import Ctx, Hit, month_year, rule, weekday_date, with_part

__all__: list[str] = []

M, WD, Y, DN = lx.MONTH_RE, lx.WEEKDAY_RE, lx.YEAR_RE, lx.DAYNUM_RE
_SPOKEN_YEAR = lx.SPOKEN_YEAR_RE


def _month(word: str) -> int | None:
    """Month number of a capitalised month word ("may" in lower case is not a month)."""
    if not word[0].isupper():
        return None
    return lx.MONTHS.get(word.lower().rstrip("."))


def _mod(m: re.Match[str]) -> str | None:
    g = m.groupdict().get("mod")
    return lx.MOD_PREFIXES.get(g.lower()) if g else None


def _day(y: int | None, mo: int, d: int, mod: str | None = None) -> Hit | None:
    if y is None:
        return Hit("DATE", f"XXXX-{mo:02d}-{d:02d}", mod, resolved=False)
    try:
        return Hit("DATE", datetime.date(y, mo, d).isoformat(), mod)
    except ValueError:
        return None


def _int(s: str | None) -> int | None:
    return int(re.sub(r"\D", "", s)) if s else None


def _year_of(s: str | None) -> int | None:
    return lx.parse_year(s) if s else None


_DAY_WORDS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
    "twentieth".split())}  # fmt: skip
_DAY_WORDS.update({f"twenty-{w}": 20 + n for w, n in list(_DAY_WORDS.items())[:9]})
_DAY_WORDS.update({"thirtieth": 30, "thirty-first": 31})
_SPOKEN_DAY = "|".join(sorted(_DAY_WORDS, key=len, reverse=True)).replace("-", "[- ]")


def _day_number(s: str | None) -> int | None:
    """A day of the month in digits ("23rd") or spoken ("twenty-third")."""
    if not s:
        return None
    if s[0].isdigit():
        return _int(s)
    return _DAY_WORDS.get(re.sub(r"\s+", "-", s.lower()))


@rule(
    rf"(?:(?P<rel>last|next)\s+)?(?:(?P<wd>{WD})\s?,?\s+)?{lx.MOD_RE}?(?P<mon>{M})\s+(?P<d>{DN}|(?:the\s+)?(?:{_SPOKEN_DAY}))"
    rf"(?:\s?,?\s+(?P<y>{Y}|{_SPOKEN_YEAR}))?"
)
def month_day(m: re.Match[str], ctx: Ctx) -> Hit | None:
    """A day of a month: "Feb. 20, 2022", "Monday, Oct. 26", "March eighth"."""
    mo = _month(m["mon"])
    d = _day_number(re.sub(r"^the\s+", "", m["d"], flags=re.I))
    if mo is None or d is None:
        return None
    y = _year_of(m["y"]) or month_year(ctx, mo, d)
    a = ctx.anchor
    if m["rel"] and a is not None and not m["y"]:
        ahead = (mo, d) > (a.month, a.day)
        if m["rel"].lower() == "last":
            y = a.year - 1 if ahead or (mo, d) == (a.month, a.day) else a.year
        else:
            y = a.year if ahead else a.year + 1
    return _day(y, mo, d, _mod(m))


@rule(rf"(?:(?P<wd>{WD})\s?,?\s+)?(?:the\s+)?(?P<d>{DN})\s+(?:of\s+)?(?P<mon>{M})(?:\s?,?\s+(?P<y>{Y}))?")
def day_month(m: re.Match[str], ctx: Ctx) -> Hit | None:
    mo, d = _month(m["mon"]), _int(m["d"])
    if mo is None or d is None:
        return None
    return _day(_int(m["y"]) or month_year(ctx, mo, d), mo, d)


@rule(
    rf"(?:(?P<rel>last|this past|this coming|this|next|coming)\s+)?{lx.MOD_RE}?(?P<mon>{M})"
    rf"(?:,?\s+(?:of\s+)?(?P<y>{Y}|{_SPOKEN_YEAR})|\s+(?:of\s+)?(?P<ry>this|last|next) year)?"
    r"(?!\s+(?:for|of the)\s+(?-i:[A-Z]))"
)
def month_only(m: re.Match[str], ctx: Ctx) -> Hit | None:
    """A month: "February", "May 1990", "last May", "this September", "July last year".

    "last May" is the latest May before the anchor's month, "next May" the first one
    after it and "this May" the one of the anchor's year. A capitalised "March for"
    or "March of the" is a procession, not a month.
    """
    mo = _month(m["mon"])
    if mo is None:
        return None
    y = _year_of(m["y"]) or month_year(ctx, mo)
    if m["ry"] and ctx.anchor is not None:
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
    elif m["rel"] and ctx.anchor is not None and not m["y"]:
        a, r = ctx.anchor, m["rel"].lower()
        if r in ("last", "this past"):
            # the month just gone is "last month"; "last February" said in March is
            # the February of the year before
            y = a.year if mo < a.month - 1 else a.year - 1
        elif r in ("next", "coming", "this coming"):
            y = a.year if mo > a.month else a.year + 1
        else:
            y = a.year
    if y is None:
        return Hit("DATE", f"XXXX-{mo:02d}", _mod(m), resolved=False)
    return Hit("DATE", f"{y:04d}-{mo:02d}", _mod(m))


@rule(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})|(?P<mo2>\d{1,2})/(?P<d2>\d{1,2})/(?P<y2>\d{2}(?:\d{2})?)"
)
def numeric_date(m: re.Match[str], ctx: Ctx) -> Hit | None:
    if m["y"]:
        return _day(int(m["y"]), int(m["mo"]), int(m["d"]))
    y = int(m["y2"])
    y = y + (1900 if y >= 50 else 2000) if y < 100 else y
    return _day(y, int(m["mo2"]), int(m["d2"]))


@rule(
    rf"(?:(?P<pre>fiscal|calendar|the year|the fiscal year|model year)\s+)?{lx.MOD_RE}?"
    rf"(?P<y>{Y}|{_SPOKEN_YEAR})(?![-/]\d|,\d|\.\d|%| percent)"
)
def year(m: re.Match[str], ctx: Ctx) -> Hit | None:
    return Hit("DATE", f"{_year_of(m['y']):04d}", _mod(m))


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip


@rule(
    rf"(?:the\s+)?{lx.MOD_RE}?(?:(?P<c>1[6-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|"
    r"(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))"
)
def decade(m: re.Match[str], ctx: Ctx) -> Hit | None:
    if m["c"]:
        v = f"{m['c']}{m['d']}"
    else:
        d = int(m["d2"]) if m["d2"] else _DECADE_WORDS[m["w"].lower()]
        if m["w"] and not m.group(0).lower().startswith("the"):
            return None
        v = f"19{d}" if ctx.anchor is None or ctx.anchor.year < 2000 or d > 2 else f"20{d}"
    return Hit("DATE", v, _mod(m))


_CENT = r"(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)"  # noqa: E501
_CENT_WORDS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "twenty-first".split())}  # fmt: skip


@rule(rf"(?:the\s+)?{lx.MOD_RE}?(?:{_CENT})[- ]century")
def century(m: re.Match[str], ctx: Ctx) -> Hit | None:
    n = int(m["n"]) if m["n"] else _CENT_WORDS[m["w"].lower()]
    return Hit("DATE", f"{n - 1:02d}", _mod(m))


_AMPM = r"(?P<ap>a\.m\.?|p\.m\.?|am|pm|o'clock)"
_WHEN = rf"(?P<wd>{WD}|today|yesterday|tomorrow|tonight|(?P<mon>{M})\s+(?P<d>{DN}))"


@rule(
    rf"(?:(?P<wd0>{WD}),?\s+(?:at\s+)?)?(?:(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d\d))?\s*{_AMPM}|"
    rf"(?P<noon>noon|midnight|midday))(?:{lx.TZ_RE})?(?:,?\s+(?:on\s+)?{_WHEN})?"
)
def clock(m: re.Match[str], ctx: Ctx) -> Hit | None:
    if m["noon"]:
        h, mi = (24 if m["noon"].lower() == "midnight" else 12), 0
    else:
        h, mi = int(m["h"]), int(m["mi"] or 0)
        ap = m["ap"].lower()
        if h > 12 or mi > 59:
            return None
        if ap.startswith("p") and h < 12:
            h += 12
        elif ap.startswith("a") and h == 12:
            h = 0
    day = _when(m["wd"] or m["wd0"], m["mon"], m["d"], ctx)
    t = f"T{h:02d}:{mi:02d}"
    if day is None:
        return Hit("TIME", "XXXX-XX-XX" + t, resolved=False)
    return Hit("TIME", day.isoformat() + t)


def _when(word: str | None, mon: str | None, d: str | None, ctx: Ctx) -> datetime.date | None:
    a = ctx.anchor
    if a is None:
        return None
    if word is None and mon is None:
        return ctx.ref_day()
    w = (word or "today").lower()
    if mon:
        mo = lx.MONTHS.get(mon.lower().rstrip("."), 1)
        y = month_year(ctx, mo, _int(d)) or a.year
        try:
            return datetime.date(y, mo, _int(d) or 1)
        except ValueError:
            return None
    if w in ("today", "tonight"):
        return a
    if w == "yesterday":
        return a - datetime.timedelta(days=1)
    if w == "tomorrow":
        return a + datetime.timedelta(days=1)
    return weekday_date(ctx, lx.WEEKDAYS[w])


@rule(
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r" (?:o'clock )?in the (?P<p>morning|afternoon|evening)"
)
def hour_of_part(m: re.Match[str], ctx: Ctx) -> Hit | None:
    h = int(lx.parse_number(m["n"]) or 0)
    if m["p"].lower() != "morning" and h < 12:
        h += 12
    day = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    return Hit("TIME", f"{day}T{h:02d}:00", resolved=ctx.anchor is not None)


_HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "new year's eve": (12, 31), "new year's day": (1, 1), "independence day": (7, 4),
    "halloween": (10, 31), "valentine's day": (2, 14), "veterans day": (11, 11),
}  # fmt: skip


@rule(
    r"(?:(?P<rel>last|this|next)\s+)?(?P<h>Christmas(?: Eve| Day)?|New Year's (?:Eve|Day)|"
    r"Independence Day|Halloween|Valentine's Day|Veterans Day|Thanksgiving(?: Day)?|"
    r"Easter(?: Sunday)?|Memorial Day|Labor Day|Good Friday)(?: (?P<y>" + Y + "))?",
    flags=0,
)
def holiday(m: re.Match[str], ctx: Ctx) -> Hit | None:
    name = m["h"].lower()
    a = ctx.anchor
    if m["y"]:
        years = [int(m["y"])]
    elif a is None:
        return Hit("DATE", "XXXX-XX-XX", resolved=False)
    else:
        years = [a.year - 1, a.year, a.year + 1]

    def day_in(y: int) -> datetime.date:
        if name in _HOLIDAYS:
            return datetime.date(y, *_HOLIDAYS[name])
        if name.startswith("thanksgiving"):
            return nth_weekday(y, 11, 4, 4)
        if name.startswith("easter"):
            return easter(y)
        if name == "good friday":
            return easter(y) - datetime.timedelta(days=2)
        if name == "memorial day":
            return nth_weekday(y, 5, 1, -1)
        return nth_weekday(y, 9, 1, 1)  # Labor Day

    days = [day_in(y) for y in years]
    if len(days) == 1:
        return Hit("DATE", days[0].isoformat())
    assert a is not None
    r = (m["rel"] or "").lower()
    if r == "next" or (not r and ctx.tense == "future"):
        pick = min(d for d in days if d >= a)
    elif r == "this":
        pick = days[1]
    else:
        pick = max(d for d in days if d <= a)
    return Hit("DATE", with_part(pick.isoformat(), None))
