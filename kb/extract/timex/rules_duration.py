"""Rules for durations, sets and the vague references of TimeML.

"three days" (P3D), "the past 20 years" (P20Y), "several months" (PXM),
"5 1/2 hours" (PT5H30M), "every week" / "weekly" (SET P1W), "each Thursday"
(SET XXXX-WXX-4), "now" (PRESENT_REF), "recently" (PAST_REF), "the future"
(FUTURE_REF).
"""

from __future__ import annotations

import re

from kb.extract.timex import lexicon as lx
from kb.extract.timex.grammar import Ctx, Hit, rule

__all__: list[str] = []

_LETTER = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
           "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "Y",
           "century": "Y"}  # fmt: skip
_SCALE = {"decade": 10, "century": 100, "fortnight": 2}


def duration_value(n: float | None, unit: str) -> str:
    """The TIMEX3 value of ``n`` units ("P3D", "PT2H", "P2Y6M", "PXM" when n is None)."""
    letter = _LETTER[unit]
    t = "T" if unit in ("second", "minute", "hour") else ""
    if n is None:
        return f"P{t}X{letter}"
    n = n * _SCALE.get(unit, 1)
    if n == int(n):
        return f"P{t}{int(n)}{letter}"
    whole, frac = int(n), n - int(n)
    sub = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "H": (60, "M"), "W": (7, "D"),
           "Q": (3, "M")}.get(letter)  # fmt: skip
    if sub is None:
        return f"P{t}{whole}{letter}"
    k, sl = sub
    st = "T" if (t or sl == "H" or (letter == "H" and sl == "M")) and not t else ""
    return f"P{t}{whole}{letter}{st}{round(frac * k)}{sl}"


_REL = (
    r"(?:(?P<the>the|a|an)\s+)?(?:(?P<rel>past|last|next|coming|first|previous|following|"
    r"latest|final|same|initial|remaining|other|additional|further|entire|full|whole)\s+)?"
)
_NUMR = rf"(?P<num>{lx.NUM_RE})(?:\s*(?P<rng>to|or|-)\s*(?P<num2>{lx.NUM_RE}))?"
_QUAL = r"(?:\s+(?:more|additional|straight|consecutive|full|trading|business|calendar|long))?"


@rule(
    rf"{_REL}{_NUMR}{_QUAL}[- ](?P<u>{lx.UNIT_RE})s?(?P<old>[- ]old)?(?P<long>[- ]long)?"
    r"(?:[- ](?P<per>period|span|stretch))?(?P<so>\s+or so)?"
)
def duration(m: re.Match[str], ctx: Ctx) -> Hit | None:
    if m["old"]:
        return None
    if m["u"].lower() == "quarter" and re.search(r"\w-quarters?$", m.group(0), re.I):
        return None  # "three-quarters" is a fraction
    u = lx.unit_of(m["u"])
    num = m["num"].lower()
    if u == "second" and not num[0].isdigit() and num not in lx.NUMBER_WORDS:
        return None
    if u == "second" and num in ("a", "an"):
        return None
    n = lx.parse_number(num)
    if m["num2"]:
        n = None
    if num in ("a", "an") and m["the"]:
        return None  # "a a year"
    if re.fullmatch(r"1[6-9]\d\d|20\d\d", num):
        return None  # "the 1988 quarter" is a year, not 1988 quarters
    mod = "APPROX" if m["so"] else None
    return Hit("DURATION", duration_value(n, u), mod)


@rule(
    r"(?:(?P<pre>recent|coming|past|the past|the last|the coming|the next|the early|the|"
    r"these|future|previous|the previous|the following|the first)\s+)?"
    r"(?P<u>years|months|weeks|days|decades|centuries|hours|minutes|quarters)"
    r"(?:\s+(?:or|and)\s+(?P<u2>months|weeks|years|days))?(?P<ago>\s+ago)?"
)
def vague_duration(m: re.Match[str], ctx: Ctx) -> Hit | None:
    pre = (m["pre"] or "").lower()
    u = lx.unit_of(m["u"])
    before, after = m.string[: m.start()], m.string[m.end() :]
    if before.endswith("-") or re.match(r"\s+old\b", after):
        return None  # "three-quarters" is a fraction, "52 years old" an age
    if pre == "these" and u == "day":
        return Hit("DATE", "PRESENT_REF")
    if pre == "these":
        return None
    if m["ago"]:
        return Hit("DATE", "PAST_REF")
    if pre in ("recent", "past", "previous") and u == "year":
        return Hit("DATE", "PAST_REF")
    if pre == "future":
        return Hit("DATE", "FUTURE_REF")
    return Hit("DURATION", duration_value(None, u), "APPROX" if m["u2"] else None)


_SETU = {"day": "P1D", "night": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y",
         "quarter": "P1Q", "hour": "PT1H", "minute": "PT1M", "weekend": "P1W"}  # fmt: skip


@rule(
    rf"(?P<q>every|each|per|a|an)\s+(?:other\s+|single\s+)?(?P<u>day|night|week|weekend|month|"
    rf"year|quarter|hour|minute|{lx.WEEKDAY_RE}|{lx.MONTH_RE}|{lx.SEASON_RE}|morning|evening)"
)
def every(m: re.Match[str], ctx: Ctx) -> Hit | None:
    q, u = m["q"].lower(), m["u"]
    ul = u.lower().rstrip(".")
    if q in ("a", "an"):
        before = m.string[max(0, m.start() - 30) : m.start()].lower()
        if not re.search(
            r"(\d|million|billion|cents?|dollars?|percent|%|times|twice|once|"
            r"hours?|days?|miles?|tons?|barrels?|pounds?)\s*$",
            before,
        ):
            return None
        if ul not in _SETU:
            return None
    if ul in _SETU:
        return Hit("SET", _SETU[ul])
    if ul in lx.WEEKDAYS:
        return Hit("SET", f"XXXX-WXX-{lx.WEEKDAYS[ul]}")
    if ul in lx.MONTHS:
        return Hit("SET", f"XXXX-{lx.MONTHS[ul]:02d}")
    if ul in lx.SEASONS:
        return Hit("SET", f"XXXX-{lx.SEASONS[ul]}")
    if ul in lx.PARTS_OF_DAY:
        return Hit("SET", f"XXXX-XX-XXT{lx.PARTS_OF_DAY[ul]}")
    return None


_FREQ = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "monthly": "P1M",
    "bimonthly": "P2M",
    "quarterly": "P1Q",
    "annually": "P1Y",
    "yearly": "P1Y",
    "semiannually": "P6M",
    "semi-annually": "P6M",
    "hourly": "PT1H",
}


@rule(r"(?P<w>daily|nightly|weekly|biweekly|monthly|bimonthly|yearly|hourly)")
def frequency(m: re.Match[str], ctx: Ctx) -> Hit | None:
    return Hit("SET", _FREQ[m["w"].lower()])


_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "the current": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "the present": "PRESENT_REF", "at present": "PRESENT_REF", "presently": "PRESENT_REF",
    "the present time": "PRESENT_REF", "the present day": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "earlier": "PAST_REF", "once": "PAST_REF", "in the past": "PAST_REF",
    "the future": "FUTURE_REF", "future": "FUTURE_REF", "soon": "FUTURE_REF",
    "the near future": "FUTURE_REF", "a later date": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "later": "FUTURE_REF",
}  # fmt: skip


@rule(
    r"(?P<w>now|right now|currently|current|nowadays|the present(?: time| day)?|presently|"
    r"recently|formerly|lately|the past|the (?:near )?future|a later date)"
)
def reference(m: re.Match[str], ctx: Ctx) -> Hit | None:
    w = m["w"].lower()
    return Hit("DATE", _REFS[w])


@rule(r"the (?:full |fiscal |entire |whole |calendar )?year(?!-)")
def the_year(m: re.Match[str], ctx: Ctx) -> Hit | None:
    """ "the year": a year-long stretch when it is measured ("the year ended June 30",
    "throughout the year"), else the current year ("sales for the full year")."""
    before = m.string[max(0, m.start() - 12) : m.start()].lower()
    after = m.string[m.end() : m.end() + 12].lower()
    if re.match(r"\s+(?:ended|ending|to\b|through)", after) or re.search(
        r"\b(?:throughout|during|over)\s+$", before
    ):
        return Hit("DURATION", "P1Y")
    if ctx.anchor is None:
        return Hit("DATE", "XXXX", resolved=False)
    return Hit("DATE", f"{ctx.anchor.year:04d}")
