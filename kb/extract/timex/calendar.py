"""Calendar arithmetic on TIMEX3 values: format, shift and bound them.

A resolved value names a calendar unit ("2022-02" is a month, "2022-W07" a week,
"2022-SU" a season); :func:`bounds` turns it into the granularity and the inclusive
first and last day, which is what a timeline draws. :func:`at` formats a day at a
given granularity and :func:`shift` moves a day by whole units, keeping month ends.

>>> bounds("2022-02")
('month', '2022-02-01', '2022-02-28')
>>> at(datetime.date(2022, 2, 20), "week")
'2022-W07'
"""

from __future__ import annotations

import calendar as _cal
import datetime
import re

__all__ = ["at", "shift", "bounds", "placeholder", "season_of", "easter", "nth_weekday"]

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
_PARTS = {"MO", "AF", "EV", "NI", "MI", "DT"}
_PLACEHOLDERS = {
    "day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX",
    "half": "XXXX-HX", "season": "XXXX-XX", "year": "XXXX", "decade": "XXX",
    "century": "XX", "part_of_day": "XXXX-XX-XX", "hour": "XXXX-XX-XX", "minute": "XXXX-XX-XX",
}  # fmt: skip


def season_of(day: datetime.date) -> tuple[int, str]:
    """The (year, season code) a day falls in; December counts to the next winter."""
    m = day.month
    if m in (3, 4, 5):
        return day.year, "SP"
    if m in (6, 7, 8):
        return day.year, "SU"
    if m in (9, 10, 11):
        return day.year, "FA"
    return (day.year if m == 12 else day.year - 1), "WI"


def at(day: datetime.date, granularity: str) -> str:
    """Format ``day`` as the TIMEX3 value of the unit of ``granularity`` containing it."""
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        y, w, _ = day.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "half":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if granularity == "season":
        y, s = season_of(day)
        return f"{y:04d}-{s}"
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    raise ValueError(f"unknown granularity {granularity!r}")


def shift(day: datetime.date, n: int, unit: str) -> datetime.date:
    """Move ``day`` by ``n`` units (day, week, month, quarter, half, year, decade, century).

    Months clamp to the month end: Jan 31 + 1 month is Feb 28 (or 29).
    """
    if unit == "day":
        return day + datetime.timedelta(days=n)
    if unit in ("week", "weekend"):
        return day + datetime.timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12, "decade": 120,
              "century": 1200}.get(unit)  # fmt: skip
    if months is None:
        raise ValueError(f"cannot shift by {unit!r}")
    total = day.year * 12 + day.month - 1 + n * months
    y, m = divmod(total, 12)
    if not 1 <= y <= 9999:
        raise OverflowError(f"{day} moved by {n} {unit} leaves years 1-9999")
    last = _cal.monthrange(y, m + 1)[1]
    return datetime.date(y, m + 1, min(day.day, last))


def placeholder(granularity: str) -> str:
    """The unresolved value of a granularity: "XXXX-XX-XX" for a day, "XXXX" a year."""
    return _PLACEHOLDERS.get(granularity, "XXXX-XX-XX")


def easter(year: int) -> datetime.date:
    """Western Easter Sunday of ``year`` (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The ``n``-th ISO ``weekday`` (1=Monday) of a month; ``n=-1`` is the last one."""
    if n > 0:
        first = datetime.date(year, month, 1)
        delta = (weekday - first.isoweekday()) % 7
        return first + datetime.timedelta(days=delta + 7 * (n - 1))
    last = datetime.date(year, month, _cal.monthrange(year, month)[1])
    return last - datetime.timedelta(days=(last.isoweekday() - weekday) % 7)


def _d(y: int, m: int, d: int) -> str:
    return datetime.date(y, m, d).isoformat()


def _month_end(y: int, m: int) -> str:
    return _d(y, m, _cal.monthrange(y, m)[1])


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}(?::\d{2})?|[A-Z]{2}))?$")


def bounds(value: str | None) -> tuple[str | None, str | None, str | None]:
    """(granularity, first day, last day) of a resolved DATE/TIME value.

    Unresolved values (with X), references (PRESENT_REF) and durations give
    ``(None, None, None)`` unless their granularity alone is known.
    """
    if not value or "X" in value or value.endswith("_REF") or value.startswith("P"):
        return None, None, None
    try:
        m = _DAY.match(value)
        if m:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            day = _d(y, mo, d)
            t = m[4]
            gran = (
                "day"
                if t is None
                else "part_of_day"
                if t in _PARTS
                else ("minute" if ":" in t else "hour")
            )
            return gran, day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, mo = int(value[:4]), int(value[5:])
            return "month", _d(y, mo, 1), _month_end(y, mo)
        m2 = re.fullmatch(r"(\d{4})-W(\d{1,2})(-WE)?", value)
        if m2:
            monday = datetime.date.fromisocalendar(int(m2[1]), int(m2[2]), 1)
            if m2[3]:
                sat = monday + datetime.timedelta(days=5)
                return "week", sat.isoformat(), (sat + datetime.timedelta(days=1)).isoformat()
            return "week", monday.isoformat(), (monday + datetime.timedelta(days=6)).isoformat()
        m2 = re.fullmatch(r"(\d{4})-([QH])(\d)", value)
        if m2:
            y, n = int(m2[1]), int(m2[3])
            span = 3 if m2[2] == "Q" else 6
            first = (n - 1) * span + 1
            return (
                ("quarter" if span == 3 else "half"),
                _d(y, first, 1),
                _month_end(y, first + span - 1),
            )
        m2 = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        if m2:
            y = int(m2[1])
            a, b = _SEASON_MONTHS[m2[2]]
            return "season", _d(y, a, 1), _month_end(y + (1 if b < a else 0), b)
        if re.fullmatch(r"\d{4}", value):
            y = int(value)
            return "year", _d(y, 1, 1), _d(y, 12, 31)
        if re.fullmatch(r"\d{3}", value):
            y = int(value) * 10
            return "decade", _d(max(1, y), 1, 1), _d(y + 9, 12, 31)
        if re.fullmatch(r"\d{2}", value):
            y = int(value) * 100
            return "century", _d(max(1, y), 1, 1), _d(y + 99, 12, 31)
    except (ValueError, OverflowError):  # a day that does not exist, or past year 9999
        return None, None, None
    return None, None, None
