"""Time expressions: the normalisation table and the finder on real parsed text."""

from __future__ import annotations

import datetime

import pytest

from kb.extract.dates import find_times, normalise

MON = datetime.date(2022, 2, 21)  # a Monday
WSJ = datetime.date(1989, 10, 26)


@pytest.mark.parametrize(
    "text, anchor, tense, expected",
    [
        # (type, value, granularity)
        ("Sunday", MON, "past", ("DATE", "2022-02-20", "day")),
        ("Sunday", MON, "future", ("DATE", "2022-02-27", "day")),
        ("Monday", MON, None, ("DATE", "2022-02-21", "day")),
        ("last Monday", MON, None, ("DATE", "2022-02-14", "day")),
        ("Saturday night", MON, "past", ("TIME", "2022-02-19TNI", "part_of_day")),
        ("Friday morning", MON, None, ("TIME", "2022-02-18TMO", "part_of_day")),
        ("yesterday", MON, None, ("DATE", "2022-02-20", "day")),
        ("tonight", MON, None, ("TIME", "2022-02-21TNI", "part_of_day")),
        ("February", MON, None, ("DATE", "2022-02", "month")),
        ("December", MON, "past", ("DATE", "2021-12", "month")),
        ("Feb. 20, 2022", None, None, ("DATE", "2022-02-20", "day")),
        ("20 February 2022", None, None, ("DATE", "2022-02-20", "day")),
        ("March 5, 1946", MON, None, ("DATE", "1946-03-05", "day")),
        ("last week", MON, None, ("DATE", "2022-W07", "week")),
        ("this year", MON, None, ("DATE", "2022", "year")),
        ("next month", MON, None, ("DATE", "2022-03", "month")),
        ("two months ago", MON, None, ("DATE", "2021-12", "month")),
        ("summer 2012", None, None, ("DATE", "2012-SU", "season")),
        ("last fall", datetime.date(1998, 2, 6), None, ("DATE", "1997-FA", "season")),
        ("the third quarter", WSJ, "past", ("DATE", "1989-Q3", "quarter")),
        ("third-quarter", WSJ, None, ("DATE", "1989-Q3", "quarter")),
        ("the first half of 1990", None, None, ("DATE", "1990-H1", "half")),
        ("the 1990s", None, None, ("DATE", "199", "decade")),
        ("the 20th century", None, None, ("DATE", "19", "century")),
        ("1990", None, None, ("DATE", "1990", "year")),
        ("three days", None, None, ("DURATION", "P3D", None)),
        ("two hours", None, None, ("DURATION", "PT2H", None)),
        ("5 1/2 hours", None, None, ("DURATION", "PT5H30M", None)),
        ("several months", None, None, ("DURATION", "PXM", None)),
        ("the past 20 years", None, None, ("DURATION", "P20Y", None)),
        ("years", None, None, ("DURATION", "PXY", None)),
        ("every week", None, None, ("SET", "P1W", None)),
        ("daily", None, None, ("SET", "P1D", None)),
        ("each Thursday", None, None, ("SET", "XXXX-WXX-4", None)),
        ("now", MON, None, ("DATE", "PRESENT_REF", None)),
        ("currently", MON, None, ("DATE", "PRESENT_REF", None)),
        ("recently", MON, None, ("DATE", "PAST_REF", None)),
        ("the future", MON, None, ("DATE", "FUTURE_REF", None)),
        ("10:35 a.m.", MON, None, ("TIME", "2022-02-21T10:35", "minute")),
        ("Thanksgiving Day", datetime.date(2000, 1, 7), None, ("DATE", "1999-11-25", "day")),
        # a month named relative to the anchor
        ("last May", datetime.date(1998, 2, 27), None, ("DATE", "1997-05", "month")),
        ("last April", datetime.date(1989, 10, 26), None, ("DATE", "1989-04", "month")),
        ("last February", datetime.date(1998, 3, 1), "past", ("DATE", "1997-02", "month")),
        ("this September", datetime.date(1998, 2, 5), "past", ("DATE", "1998-09", "month")),
        ("next March", MON, None, ("DATE", "2022-03", "month")),
        ("next February", MON, None, ("DATE", "2023-02", "month")),
        ("last Oct. 23", datetime.date(1999, 4, 19), None, ("DATE", "1998-10-23", "day")),
        # spoken days and years (broadcast transcripts)
        ("March eighth", datetime.date(1998, 3, 5), None, ("DATE", "1998-03-08", "day")),
        ("March twenty-first", MON, None, ("DATE", "2022-03-21", "day")),
        ("January nineteen ninety-seven", MON, None, ("DATE", "1997-01", "month")),
        ("the winter of nineteen ninety-four", MON, None, ("DATE", "1994-WI", "season")),
        ("mid-afternoon yesterday", WSJ, None, ("TIME", "1989-10-25TAF", "part_of_day")),
        ("early morning", MON, None, ("TIME", "2022-02-21TMO", "part_of_day")),
        # "the year": measured span or the current year
        ("the full year", WSJ, None, ("DATE", "1989", "year")),
        ("the fiscal year", WSJ, None, ("DATE", "1989", "year")),
    ],
)
def test_normalise(text, anchor, tense, expected):
    t = normalise(text, anchor, tense)
    assert t is not None
    assert (t.type, t.value, t.granularity) == expected
    assert (t.text, t.start, t.end) == (text, 0, len(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("early February", ("2022-02", "START", "2022-02-01", "2022-02-28")),
        ("late November", ("2021-11", "END", "2021-11-01", "2021-11-30")),
        ("earlier this year", ("2022", "START", "2022-01-01", "2022-12-31")),
        ("the weekend", ("2022-W07-WE", None, "2022-02-19", "2022-02-20")),
    ],
)
def test_normalise_mod_and_interval(text, expected):
    t = normalise(text, MON, "past")
    assert (t.value, t.mod, t.interval_start, t.interval_end) == expected


@pytest.mark.parametrize(
    "text, value",
    [
        ("Sunday", "XXXX-WXX-7"),
        ("yesterday", "XXXX-XX-XX"),
        ("February", "XXXX-02"),
        ("last year", "XXXX"),
        ("Saturday night", "XXXX-WXX-6TNI"),
        ("the third quarter", "XXXX-Q3"),
    ],
)
def test_no_anchor_stays_unresolved(text, value):
    t = normalise(text, None)
    assert (t.value, t.resolved, t.interval_start) == (value, False, None)


@pytest.mark.parametrize(
    "text",
    ["on Sunday", "the", "Mayor", "", "quarterly results", "March for Life", "three-quarters"],
)
def test_normalise_rejects_non_expressions(text):
    assert normalise(text, MON) is None


@pytest.mark.parametrize(
    "text, published, expected",
    [
        (
            "Blinken on Sunday said Biden is prepared to have talks.",
            MON,
            [("Sunday", "DATE", "2022-02-20")],
        ),
        (
            "On Saturday night, both presidents spoke with Macron separately.",
            MON,
            [("Saturday night", "TIME", "2022-02-19TNI")],
        ),
        (
            "The summit will take place on Thursday.",
            MON,
            [("Thursday", "DATE", "2022-02-24")],
        ),
        # a weekday after "for" is the day something is set for, ahead of the past
        # tense that set it; a possessive names an event that happened
        (
            "The union has called a march in the city for Tuesday.",
            MON,
            [("Tuesday", "DATE", "2022-02-22")],
        ),
        # a past-tense clause of time under "would" is ahead too; on its own, behind
        (
            "The bureau said the storm would weaken as it moved toward Taiwan on Thursday.",
            MON,
            [("Thursday", "DATE", "2022-02-24")],
        ),
        (
            "The storm weakened as it moved toward Taiwan on Thursday.",
            MON,
            [("Thursday", "DATE", "2022-02-17")],
        ),
        (
            "Police arrested two men for Sunday's attack.",
            MON,
            [("Sunday's", "DATE", "2022-02-20")],
        ),
        (
            "Net income rose in the third quarter. A year earlier it had fallen.",
            WSJ,
            [("the third quarter", "DATE", "1989-Q3"), ("A year earlier", "DATE", "1988-Q3")],
        ),
        (
            "The strike began on March 3. Two days later talks collapsed.",
            datetime.date(2022, 3, 10),
            [("March 3", "DATE", "2022-03-03"), ("Two days later", "DATE", "2022-03-05")],
        ),
        (
            "May I ask whether the troops will stay for about three weeks?",
            MON,
            [("about three weeks", "DURATION", "P3W")],
        ),
        ("He has lived there since 1990 with 2000 sheep.", MON, [("1990", "DATE", "1990")]),
        ("The talks happened on Sunday.", None, [("Sunday", "DATE", "XXXX-WXX-7")]),
        # a possessive weekday names a reported event: the latest such day
        (
            "Lawyers will look for ways to get around Wednesday's ruling.",
            datetime.date(2000, 1, 7),
            [("Wednesday's", "DATE", "2000-01-05")],
        ),
        # past perfect: the plan was in the past
        (
            "The offer had been due to expire Friday evening.",
            WSJ,
            [("Friday evening", "TIME", "1989-10-20TEV")],
        ),
        ("The office will be effective Feb. 1.", WSJ, [("Feb. 1", "DATE", "1990-02-01")]),
        ("Mr. Smith, 52 years old, retired.", WSJ, []),
        # "until" points to a deadline ahead, unless told in the past perfect
        (
            "Officials postponed until Tuesday morning any action on the bond.",
            datetime.date(2000, 3, 30),
            [("Tuesday morning", "TIME", "2000-04-04TMO")],
        ),
        (
            "Up until Thursday, he had been described only as a witness.",
            datetime.date(1999, 5, 7),
            [("Thursday", "DATE", "1999-05-06")],
        ),
        (
            "Traders squared positions ahead of the weekend.",
            WSJ,
            [("the weekend", "DATE", "1989-W43-WE")],
        ),
        # a date modifying a noun names a reported event: the past one
        (
            "Investigators have been searching for him since the Oct. 23 slaying.",
            datetime.date(1999, 5, 6),
            [("Oct. 23", "DATE", "1998-10-23")],
        ),
        (
            "It will try to sell itself under a June agreement with holders.",
            datetime.date(1989, 10, 27),
            [("June", "DATE", "1989-06")],
        ),
        # a capitalised unit is the title of a programme
        ('Baker said on ABC\'s "This Week" that talks failed.', WSJ, []),
        (
            "Sales were weak in the third quarter. Five years ago, sales were strong.",
            WSJ,
            [("the third quarter", "DATE", "1989-Q3"), ("Five years ago", "DATE", "1984")],
        ),
        # the part of day before a date is not part of the expression
        (
            "He was shot on the night of Oct. 23 in his kitchen.",
            datetime.date(1999, 5, 6),
            [("Oct. 23", "DATE", "1998-10-23")],
        ),
        (
            "He was shot on the night of Friday, Oct. 23.",
            datetime.date(1998, 11, 21),
            [("Friday, Oct. 23", "DATE", "1998-10-23")],
        ),
        ("About three-quarters of them left.", WSJ, []),
        (
            "Sales for the year ended Aug. 31 rose. Sales for the full year rose.",
            WSJ,
            [
                ("the year", "DURATION", "P1Y"),
                ("Aug. 31", "DATE", "1989-08-31"),
                ("the full year", "DATE", "1989"),
            ],
        ),
        (
            "Net rose in the third quarter. Net for the nine months rose 5% from a year earlier.",
            WSJ,
            [
                ("the third quarter", "DATE", "1989-Q3"),
                ("the nine months", "DURATION", "P9M"),
                ("a year earlier", "DATE", "1988"),
            ],
        ),
        (
            "Net for the nine months rose. The year-earlier period included a gain.",
            WSJ,
            [
                ("the nine months", "DURATION", "P9M"),
                ("The year-earlier period", "DURATION", "P9M"),
            ],
        ),
    ],
)
def test_find_times(nlp, text, published, expected):
    doc = nlp(text)
    found = find_times(doc, published)
    assert [(t.text, t.type, t.value) for t in found] == expected
    for t in found:
        assert doc.text[t.start : t.end] == t.text


def test_find_times_seed_article(nlp, seed_article):
    doc = nlp(seed_article.text)
    published = datetime.date.fromisoformat(seed_article.published)
    values = {t.text: t.value for t in find_times(doc, published)}
    assert values["Saturday night"] == "2022-02-19TNI"
    assert values["Sunday"] == "2022-02-20"
