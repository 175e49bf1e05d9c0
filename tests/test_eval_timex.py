"""The TimeML reader and the time-expression scorer, on hand-written fixtures."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from kb.errors import EvalError
from kb.eval.common import PRF
from kb.eval.timeml import GoldTimex, read_timeml, timeml_paths
from kb.eval.timex import evaluate_timex, format_report, score_document
from kb.extract.types import TimeExpr

DATA = Path(__file__).parent / "data" / "timeml"
SIMPLE = DATA / "simple.tml"


def test_reader_text_offsets_and_dct():
    doc = read_timeml(SIMPLE)
    assert doc.dct == datetime.date(2022, 2, 21)
    assert doc.text.startswith("The ministers met on Sunday for three hours & talked now.")
    assert [(g.text, g.type, g.value) for g in doc.timexes] == [
        ("Sunday", "DATE", "2022-02-20"),
        ("three hours", "DURATION", "PT3H"),
        ("now", "DATE", "PRESENT_REF"),
        ("March", "DATE", "2022-03"),
    ]
    for g in doc.timexes:
        assert doc.text[g.start : g.end] == g.text


@pytest.mark.parametrize(
    "name, message",
    [("broken.tml", "not well-formed"), ("notext.tml", "no <TEXT>"), ("absent.tml", "no such")],
)
def test_reader_errors_name_the_file(name, message):
    with pytest.raises(EvalError, match=message) as info:
        read_timeml(DATA / name) if name != "absent.tml" else timeml_paths([DATA / name])
    assert name in str(info.value)


def test_paths_expand_folders():
    assert [p.name for p in timeml_paths([DATA])] == ["broken.tml", "notext.tml", "simple.tml"]


def _g(text, start, type_, value):
    return GoldTimex(text, start, start + len(text), type_, value)


def _p(text, start, type_, value):
    return TimeExpr(text, start, start + len(text), type_, value)


# gold: "Sunday"@0 DATE, "three hours"@20 DURATION, "now"@40 PRESENT_REF
GOLD = [
    _g("Sunday", 0, "DATE", "2022-02-20"),
    _g("three hours", 20, "DURATION", "PT3H"),
    _g("now", 40, "DATE", "PRESENT_REF"),
]


@pytest.mark.parametrize(
    "pred, expected",
    [
        # all identical: every measure 3/3
        (
            [
                _p("Sunday", 0, "DATE", "2022-02-20"),
                _p("three hours", 20, "DURATION", "PT3H"),
                _p("now", 40, "DATE", "PRESENT_REF"),
            ],
            {"strict": (3, 3, 3), "relaxed": (3, 3, 3), "type": (3, 3, 3), "value": (3, 3, 3)},
        ),
        # "on Sunday" overlaps (relaxed, not strict) with the right value; "hours" overlaps
        # with a wrong value; "now" missed; one spurious prediction
        (
            [
                _p("on Sunday", -3, "DATE", "2022-02-20"),
                _p("hours", 26, "DURATION", "PTXH"),
                _p("later", 60, "DATE", "FUTURE_REF"),
            ],
            {"strict": (0, 3, 3), "relaxed": (2, 3, 3), "type": (2, 3, 3), "value": (1, 3, 3)},
        ),
        # two predictions overlap one gold: one-to-one, the larger overlap wins
        (
            [_p("Sun", 0, "DATE", "XXXX"), _p("Sunday", 0, "DATE", "2022-02-20")],
            {"strict": (1, 2, 3), "relaxed": (1, 2, 3), "type": (1, 2, 3), "value": (1, 2, 3)},
        ),
        ([], {"strict": (0, 0, 3), "relaxed": (0, 0, 3), "type": (0, 0, 3), "value": (0, 0, 3)}),
    ],
)
def test_score_document_counts(pred, expected):
    scores, _ = score_document("d", GOLD, pred)
    assert {m: (s.correct, s.predicted, s.gold) for m, s in scores.items()} == expected


def test_score_document_prf_by_hand():
    pred = [
        _p("on Sunday", -3, "DATE", "2022-02-20"),
        _p("hours", 26, "DURATION", "PTXH"),
        _p("later", 60, "DATE", "FUTURE_REF"),
    ]
    scores, errors = score_document("d", GOLD, pred)
    # relaxed: 2 of 3 predicted, 2 of 3 gold -> P = R = F1 = 2/3
    assert scores["relaxed"].f1 == pytest.approx(2 / 3)
    # value: 1 correct -> P = R = 1/3
    assert scores["value"].precision == pytest.approx(1 / 3)
    assert sorted(e.kind for e in errors) == ["missed", "spurious", "value"]


@pytest.mark.parametrize(
    "counts, p, r, f1",
    [((3, 4, 6), 0.75, 0.5, 0.6), ((0, 0, 5), 0.0, 0.0, 0.0), ((2, 2, 0), 1.0, 0.0, 0.0)],
)
def test_prf(counts, p, r, f1):
    s = PRF(*counts)
    assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f1))


def test_evaluate_fixture_end_to_end(nlp):
    done = []
    report = evaluate_timex([SIMPLE], nlp=nlp, progress=lambda i, n: done.append((i, n)))
    assert done == [(1, 1)]
    assert report.documents == 1
    # the real pipeline finds all four, with the values a reader would give them
    assert report.scores["relaxed"].correct == 4
    assert report.scores["value"].correct == 4
    assert report.scores["strict"].f1 == 1.0
    text = format_report(report, show_errors=True)
    assert "relaxed span" in text and "1.000" in text
    assert json.loads(json.dumps(report.to_dict()))["scores"]["value"]["f1"] == 1.0
