"""Properties over random input: the readers and the date resolver fail only with a
KBError, and every offset they report slices the text to exactly the reported text."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import KBError
from kb.extract.dates import find_times, normalise
from kb.extract.types import TimeExpr
from kb.ingest import Article, ReadFailure, parse_plain_text, read_path

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

#: Words and pieces that time expressions are made of, valid and broken, so random
#: sequences of them hit the date rules far more often than random letters would.
DATEISH = (
    "January", "Feb.", "February", "March", "Sept", "December", "Monday", "Sunday",
    "Tues.", "today", "yesterday", "tomorrow", "tonight", "now", "currently", "recently",
    "last", "next", "this", "that", "coming", "past", "ago", "later", "earlier", "since",
    "until", "by", "on", "in", "at", "of", "the", "a", "an", "early", "late", "mid-",
    "end", "beginning", "week", "weeks", "weekend", "fortnight", "month", "months",
    "year", "years", "decade", "century", "quarter", "Q3", "fiscal", "half", "spring",
    "summer", "fall", "winter", "morning", "afternoon", "evening", "night", "noon",
    "midnight", "a.m.", "p.m.", "EST", "GMT", "hour", "hours", "minutes", "day", "days",
    "daily", "every", "each", "annual", "one", "two", "three", "twelve", "dozens",
    "several", "few", "first", "second", "21st", "31st", "1st", "0", "00", "1", "12",
    "29", "30", "31", "32", "99", "1990s", "'90s", "2000", "2022", "2023", "1066",
    "9999", "0000", "2022-02-30", "2022-13-01", "2022-02-21", "12/31/2022", "31/12/2022",
    "2/30", "Feb. 29, 2023", "February 30", "25:61", "10:30", "00:00", "2022-W07",
    "P3D", "about", "around", "nearly", "more than", "less than", "some", "former",
    "said", "met", "will", "was", "Blinken", "UN", "May", "March", "Sun", "Wed", "Jan",
    "-", "–", ",", ".", "/", "'", '"', "(", ")", "\n", "\n\n", "  ", "\t", "é", "’",
)

dateish_text = st.lists(st.sampled_from(DATEISH), min_size=1, max_size=14).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "", "\n", ", "]), min_size=len(words),
                           max_size=len(words)).map(
        lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True))))
anchors = st.none() | st.dates()  # any year 1-9999: resolving must not overflow


def assert_slices(t: TimeExpr, text: str) -> None:
    assert 0 <= t.start <= t.end <= len(text), (t, text)
    assert text[t.start:t.end] == t.text, (t, text)


# -- readers --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("random-files")


def _read_all(path) -> list[Article | ReadFailure]:
    try:
        return list(read_path(path))
    except KBError:
        return []


@pytest.mark.parametrize("suffix", [".txt", ".md", ".jsonl", ".html", ".dat"])
@SETTINGS
@given(data=st.binary(max_size=600) | st.text(max_size=600).map(str.encode))
def test_read_path_on_random_bytes(scratch, suffix, data):
    path = scratch / f"random{suffix}"
    path.write_bytes(data)
    for item in _read_all(path):
        if isinstance(item, ReadFailure):
            assert item.path == str(path) and item.reason
        else:
            assert isinstance(item, Article)
            assert item.text.strip() and item.text == item.text.strip()
            assert len(item.id) == 32


@SETTINGS
@given(lines=st.lists(
    st.fixed_dictionaries({"text": st.text(max_size=80)}, optional={
        "published": st.text(max_size=12) | st.dates().map(str),
        "title": st.text(max_size=20) | st.integers() | st.none()}),
    max_size=5))
def test_read_path_on_random_jsonl(scratch, lines):
    path = scratch / "random.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    items = _read_all(path)
    good = [x for x in items if isinstance(x, Article)]
    bad = [x for x in items if isinstance(x, ReadFailure)]
    assert all(f.line and 1 <= f.line <= len(lines) for f in bad if f.line is not None)
    for article in good:
        assert article.line is not None and article.text.strip()
        # NULs and lone surrogates are stored as U+FFFD, one character for one
        given = re.sub("[\x00\ud800-\udfff]", "\ufffd", lines[article.line - 1]["text"])
        assert article.text in given


@SETTINGS
@given(text=st.text(max_size=400) | dateish_text.map(lambda t: "date 2022-02-21 " + t)
       | st.builds(lambda meta, body: f"---\n{meta}\n---\n{body}",
                   st.text(max_size=60), st.text(max_size=100)))
def test_parse_plain_text_fails_only_with_kberror(text):
    try:
        article = parse_plain_text(text, "random.txt")
    except KBError as exc:
        assert str(exc).startswith("random.txt")
        return
    assert article.text.strip() == article.text and article.text
    assert article.text in text  # the body is a piece of the input, never rewritten
    if article.published:
        dt.date.fromisoformat(article.published)


# -- the date resolver ----------------------------------------------------------------


@SETTINGS
@given(text=dateish_text, anchor=anchors,
       tense=st.sampled_from([None, "past", "present", "future"]))
def test_normalise_fails_only_with_kberror_and_slices(text, anchor, tense):
    try:
        t = normalise(text, anchor, tense=tense)
    except KBError:
        return
    if t is not None:
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        assert_slices(t, text)


@SETTINGS
@given(text=dateish_text, anchor=anchors)
def test_find_times_fails_only_with_kberror_and_slices(nlp, text, anchor):
    doc = nlp(text)
    try:
        times = find_times(doc, anchor)
    except KBError:
        return
    for t in times:
        assert_slices(t, doc.text)
    starts = [t.start for t in times]
    assert starts == sorted(starts)


@pytest.mark.parametrize("text, anchor, value", [
    ("next year", dt.date(2022, 2, 21), "2023"),
    ("three days", None, "P3D"),
    ("February 30", dt.date(2022, 2, 21), None),
])
def test_normalise_examples(text, anchor, value):
    """Known points of the same functions the properties range over."""
    t = normalise(text, anchor)
    assert (t.value if t is not None else None) == value
