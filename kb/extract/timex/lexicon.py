"""Word tables and regular-expression fragments for English time expressions.

Everything here is data: month and weekday names, number words, units and their
TIMEX3 letters, parts of the day, seasons and modifiers. The fragments are plain
strings meant to be combined into the grammar's patterns (compiled once, with
``re.IGNORECASE``).
"""

from __future__ import annotations

import re

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "NUMBER_WORDS",
    "ORDINALS",
    "UNITS",
    "PARTS_OF_DAY",
    "SEASONS",
    "MOD_PREFIXES",
    "APPROX_PREFIXES",
    "MONTH_RE",
    "WEEKDAY_RE",
    "NUM_RE",
    "ORD_RE",
    "UNIT_RE",
    "PART_RE",
    "SEASON_RE",
    "YEAR_RE",
    "DAYNUM_RE",
    "MOD_RE",
    "TZ_RE",
    "SPOKEN_YEAR_RE",
    "parse_number",
    "parse_year",
    "unit_of",
]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5,
    "saturday": 6, "sunday": 7,
}  # fmt: skip
_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMBER_WORDS = {**_UNITS_WORDS, **_TENS_WORDS, "a": 1, "an": 1, "a dozen": 12, "dozen": 12,
                "a couple of": 2, "a couple": 2, "couple of": 2, "a hundred": 100,
                "one hundred": 100, "a thousand": 1000, "two thousand": 2000}  # fmt: skip
#: vague quantities: the TIMEX3 value keeps an X ("several months" -> PXM)
VAGUE = ("a few", "few", "several", "many", "some", "a number of", "numerous", "dozens of",
         "hundreds of", "thousands of", "a couple of", "couple of")  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
    "4th": 4, "last": 4, "final": 4,
}  # fmt: skip
#: unit word -> (TIMEX3 duration letter(s), granularity name)
UNITS = {
    "second": ("TS", "second"), "minute": ("TM", "minute"), "hour": ("TH", "hour"),
    "day": ("D", "day"), "night": ("D", "day"), "week": ("W", "week"),
    "weekend": ("WE", "week"), "fortnight": ("W", "week"), "month": ("M", "month"),
    "quarter": ("Q", "quarter"), "year": ("Y", "year"), "decade": ("DE", "decade"),
    "century": ("CE", "century"),
}  # fmt: skip
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                "overnight": "NI", "midday": "MI", "noon": "MI", "tonight": "NI"}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
#: words before a date that set TIMEX3 mod (the words are part of the expression)
MOD_PREFIXES = {
    "early": "START", "earlier": "START", "the beginning of": "START",
    "the start of": "START", "beginning of": "START", "the early part of": "START",
    "late": "END", "later": "END", "the end of": "END", "end of": "END",
    "the late part of": "END", "the latter part of": "END", "mid": "MID",
    "the middle of": "MID", "middle of": "MID", "the mid": "MID", "the early": "START",
    "the late": "END",
}  # fmt: skip
#: words before a duration or date that widen it (kept in the span)
APPROX_PREFIXES = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS",
    "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "at least": "EQUAL_OR_MORE", "no less than": "EQUAL_OR_MORE",
    "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "within": "EQUAL_OR_LESS", "just over": "MORE_THAN", "well over": "MORE_THAN",
}  # fmt: skip


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=\s+\d)))"
)
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WORDNUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
    r"four|five|six|seven|eight|nine))?|" + _alt(_UNITS_WORDS) + ")"
)
NUM_RE = (
    r"(?:\d+(?:,\d{3})*(?:\.\d+)?(?: 1/2)?|" + _WORDNUM + r"(?: hundred| thousand)?"
    r"(?: and a half)?|" + _alt(VAGUE) + r"|a dozen|an?|a hundred|a thousand)"
)
ORD_RE = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final)"
UNIT_RE = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie))"
PART_RE = r"(?:morning|afternoon|evening|night)"
SEASON_RE = r"(?:spring|summer|fall|autumn|winter)"
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
DAYNUM_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
MOD_RE = r"(?:(?P<mod>" + _alt(MOD_PREFIXES) + r")[- ])"
TZ_RE = r"(?:\s+(?:[ECMP][SD]T|GMT|UTC|local time))"
#: a year read out in a broadcast: "nineteen ninety-four", "two thousand and one"
SPOKEN_YEAR_RE = (
    r"nineteen[- ](?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|"
    r"two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen)|two thousand(?: and (?:one|two|three))?"
)


_NUM_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")


def parse_number(text: str) -> float | None:
    """The value of a number phrase ("twenty-four", "5 1/2", "a") or None when vague.

    >>> parse_number("twenty-four"), parse_number("5 1/2"), parse_number("several")
    (24, 5.5, None)
    """
    t = text.lower().strip().replace(",", "")
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    if any(t == v or t.startswith(v + " ") for v in VAGUE if v not in ("a couple of",)):
        return None
    half = 0.5 if (t.endswith(" 1/2") or t.endswith(" and a half")) else 0.0
    t = t.removesuffix(" 1/2").removesuffix(" and a half")
    total = 0.0
    for tok in _NUM_TOKEN.findall(t):
        if tok[0].isdigit():
            total += float(tok)
        elif tok in _UNITS_WORDS:
            total += _UNITS_WORDS[tok]
        elif tok in _TENS_WORDS:
            total += _TENS_WORDS[tok]
        elif tok == "hundred":
            total = (total or 1) * 100
        elif tok == "thousand":
            total = (total or 1) * 1000
        elif tok in ("a", "an", "and"):
            total += 1 if tok != "and" else 0
        else:
            return None
    total += half
    return int(total) if total == int(total) else total


def parse_year(text: str) -> int:
    """A year in digits or words: "1994", "nineteen ninety-four", "two thousand and one"."""
    if text[0].isdigit():
        return int(text)
    words = text.lower().replace("-", " ").split()
    if words[0] == "nineteen":
        return 1900 + int(parse_number(" ".join(words[1:])) or 0)
    return int(parse_number(" ".join(words).replace(" and ", " ")) or 2000)


def unit_of(word: str) -> str:
    """Normalise a unit word ("Centuries", "yrs") to a key of :data:`UNITS`."""
    w = word.lower().rstrip(".")
    if w.startswith("centur"):
        return "century"
    return w[:-1] if w.endswith("s") and w[:-1] in UNITS else w
