"""How facts read for people: dates at their own granularity, in words, and statements
with quotation marks only around words the article quotes.

Every front end (the command line's tables, the report, the timeline, the graph's
panel, the TimelineJS file) words dates and statements with these two functions, so
a rough date never shows as an exact day and indirect speech never shows as a quote.
TIMEX3 values themselves stay in the JSON records.

>>> date_words("2022-02")
'Feb 2022'
>>> date_words("2022-W07")
'week of 14 Feb 2022'
>>> date_words("2022-02-19TNI")
'19 Feb 2022, night'
>>> statement_words("Antony Blinken", "said", "the invasion could begin", direct=False)
'Antony Blinken said the invasion could begin'
>>> statement_words("Antony Blinken", "said", "We believe it", direct=True)
'Antony Blinken said: “We believe it”'
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["date_words", "statement_words"]

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night",
          "MI": "midday", "DT": "daytime"}
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(.+))?")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})(-WE)?")


def _day(year: int, month: int, day: int) -> str:
    return f"{day} {_MONTHS[month - 1]} {year}"


def date_words(value: str | None) -> str:
    """A TIMEX3 DATE/TIME value as a person writes it, at its own granularity.

    Unknown or unresolved values (with X) are returned as they are, so nothing is
    invented; ``None`` gives "".
    """
    if not value:
        return ""
    if value in _REFS:
        return _REFS[value]
    try:
        if m := _DAY.fullmatch(value):
            y, mo, d, t = int(m[1]), int(m[2]), int(m[3]), m[4]
            day = _day(y, mo, d)
            dt.date(y, mo, d)  # a day that exists
            if t is None:
                return day
            return f"{day}, {_PARTS.get(t, t)}"
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, mo = int(value[:4]), int(value[5:])
            return f"{_MONTHS[mo - 1]} {y}"
        if m := _WEEK.fullmatch(value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                saturday = monday + dt.timedelta(days=5)
                return f"weekend of {_day(saturday.year, saturday.month, saturday.day)}"
            return f"week of {_day(monday.year, monday.month, monday.day)}"
        if m := re.fullmatch(r"(\d{4})-Q(\d)", value):
            return f"Q{m[2]} {m[1]}"
        if m := re.fullmatch(r"(\d{4})-H(\d)", value):
            return f"H{m[2]} {m[1]}"
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            return f"{_SEASONS[m[2]]} {m[1]}"
        if re.fullmatch(r"\d{4}", value):
            return value
        if re.fullmatch(r"\d{3}", value):
            return f"{int(value) * 10}s"
        if re.fullmatch(r"\d{2}", value):
            return f"{int(value) * 100}s"
    except (ValueError, IndexError, OverflowError):
        pass
    return value


def statement_words(speaker: str | None, cue: str | None, content: str, direct: bool) -> str:
    """One statement as a line a reader will not misread: the article's quoted words in
    quotation marks after a colon; reported (indirect) speech as a plain clause with no
    quotation marks. An unknown speaker reads "(unknown)"."""
    who = speaker or "(unknown)"
    verb = cue or "said"
    if direct:
        return f"{who} {verb}: “{content}”"
    return f"{who} {verb} {content}"
