"""The TimeML EVENT reader, the predicted class and the event scorer, on hand-made data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.errors import EvalError
from kb.eval.events import (
    PredictedEvent,
    evaluate_events,
    format_report,
    predicted_class,
    score_document,
)
from kb.eval.timeml import GoldEvent, read_timeml

DATA = Path(__file__).parent / "data" / "timeml_events"
EVENTS = DATA / "events.tml"
TBAQ = Path(__file__).resolve().parents[2] / "shared" / "eval" / "tempeval3" / "TBAQ-cleaned"


def test_reader_reads_events_with_their_class():
    doc = read_timeml(EVENTS)
    assert [(e.text, e.tml_class) for e in doc.events] == [
        ("met", "OCCURRENCE"),
        ("said", "REPORTING"),
        ("talks", "OCCURRENCE"),
        ("continue", "ASPECTUAL"),
        ("believe", "I_STATE"),
        ("plans", "I_ACTION"),
        ("invasion", "OCCURRENCE"),
    ]
    for e in doc.events:
        assert doc.text[e.start : e.end] == e.text
    # the TIMEX3 beside them is still read the same way
    assert [(t.text, t.value) for t in doc.timexes] == [("Sunday", "2022-02-20")]


def test_reader_refuses_an_unknown_class(tmp_path):
    bad = tmp_path / "bad.tml"
    bad.write_text(EVENTS.read_text().replace('class="ASPECTUAL"', 'class="HAPPENING"'))
    with pytest.raises(EvalError, match="bad.tml: EVENT e4 .*'HAPPENING'"):
        read_timeml(bad)


@pytest.mark.parametrize(
    "event, expected",
    [
        ({"type": "statement", "quote": 0}, "REPORTING"),
        ({"type": "warning", "quote": 3}, "REPORTING"),  # a cue "warned": still a statement
        ({"type": "statement", "quote": None}, "REPORTING"),
        ({"type": "meeting", "quote": None}, "OCCURRENCE"),
        ({"type": "meeting", "quote": None, "tml_class": "I_ACTION"}, "I_ACTION"),
        ({"type": "statement", "quote": 0, "tml_class": "I_STATE"}, "I_STATE"),
    ],
)
def test_predicted_class(event, expected):
    assert predicted_class(event) == expected


def _g(text, start, cls):
    return GoldEvent(text, start, start + len(text), cls)


def _p(text, start, cls, type_="meeting"):
    return PredictedEvent(text, start, start + len(text), type_, cls)


GOLD = [_g("met", 0, "OCCURRENCE"), _g("said", 10, "REPORTING"), _g("believe", 20, "I_STATE")]


@pytest.mark.parametrize(
    "pred, expected",
    [
        # all three exact with the right class: 3/3 everywhere
        (
            [_p("met", 0, "OCCURRENCE"), _p("said", 10, "REPORTING"),
             _p("believe", 20, "I_STATE")],
            {"strict": (3, 3, 3), "relaxed": (3, 3, 3), "class": (3, 3, 3)},
        ),
        # "met" exact; "said in" overlaps "said" (relaxed, not strict, class right);
        # "believe" exact but REPORTING for I_STATE; "war" at 40 spurious
        (
            [_p("met", 0, "OCCURRENCE"), _p("said in", 10, "REPORTING"),
             _p("believe", 20, "REPORTING"), _p("war", 40, "OCCURRENCE")],
            {"strict": (2, 4, 3), "relaxed": (3, 4, 3), "class": (2, 4, 3)},
        ),
        # two predictions overlap "said": one to one, the larger overlap ("said") wins
        (
            [_p("sa", 10, "OCCURRENCE"), _p("said", 10, "REPORTING")],
            {"strict": (1, 2, 3), "relaxed": (1, 2, 3), "class": (1, 2, 3)},
        ),
        ([], {"strict": (0, 0, 3), "relaxed": (0, 0, 3), "class": (0, 0, 3)}),
    ],
)
def test_score_document_counts(pred, expected):
    scores, _, _ = score_document("d", GOLD, pred)
    assert {m: (s.correct, s.predicted, s.gold) for m, s in scores.items()} == expected


def test_score_document_by_hand():
    pred = [_p("met", 0, "OCCURRENCE"), _p("said in", 10, "REPORTING"),
            _p("believe", 20, "REPORTING"), _p("war", 40, "OCCURRENCE")]
    scores, by_class, errors = score_document("d", GOLD, pred)
    # relaxed: 3 matched of 4 predicted and 3 gold -> P 3/4, R 3/3, F1 = 2*.75*1/1.75 = 6/7
    assert scores["relaxed"].f1 == pytest.approx(6 / 7)
    # class: 2 right -> P 2/4, R 2/3, F1 = 2*(1/2)(2/3)/(1/2+2/3) = (2/3)/(7/6) = 4/7
    assert scores["class"].f1 == pytest.approx(4 / 7)
    # per gold class: I_STATE found but classed REPORTING; REPORTING predicted twice
    assert (by_class["I_STATE"].correct, by_class["I_STATE"].gold) == (0, 1)
    assert by_class["REPORTING"].predicted == 2
    assert sorted((e.kind, e.text) for e in errors) == [("class", "believe"),
                                                         ("spurious", "war")]


def test_evaluate_fixture_end_to_end(nlp):
    done = []
    report = evaluate_events([DATA], nlp=nlp, progress=lambda i, n: done.append((i, n)))
    assert done == [(1, 1)]
    # kb emits an event for each of the 7 gold triggers (the trigger tagger finds them
    # all, the cues "said" and "believe" among them): strict = relaxed = 7 of 7.
    # class: the tagger calls "plans" I_STATE (gold I_ACTION) -> 6 right: F1 = 6/7
    s = report.scores
    assert (s["strict"].correct, s["strict"].predicted, s["strict"].gold) == (7, 7, 7)
    assert s["relaxed"].f1 == pytest.approx(1.0)
    assert s["class"].f1 == pytest.approx(6 / 7)
    text = format_report(report, show_errors=True)
    assert "class" in text and "I_STATE" in text and "'plans'" in text
    assert json.loads(json.dumps(report.to_dict()))["scores"]["class"]["correct"] == 6


def test_split_selects_by_file_name(nlp):
    from kb.eval.splits import split_of

    report = evaluate_events([EVENTS], split="heldout", nlp=nlp)
    assert report.documents == (1 if split_of(EVENTS.name) == "heldout" else 0)
    other = "train" if split_of(EVENTS.name) == "heldout" else "heldout"
    assert evaluate_events([EVENTS], split=other, nlp=nlp).documents == 0


@pytest.mark.slow
@pytest.mark.skipif(not TBAQ.is_dir(), reason="../shared/eval is not here")
def test_reader_over_tbaq():
    from kb.eval.timeml import timeml_paths

    docs = [read_timeml(p) for p in timeml_paths([TBAQ])]
    assert len(docs) == 256
    assert all(d.text[e.start : e.end] == e.text for d in docs for e in d.events)
    assert sum(len(d.events) for d in docs) > 10000


@pytest.mark.parametrize(
    "args, code, expected",
    [
        (["--format", "json"], 0, '"correct": 6'),
        (["--show-errors"], 0, "'plans'"),
        (["--split", "nope"], 2, "--split 'nope' is not one of"),
    ],
)
def test_command(args, code, expected):
    from typer.testing import CliRunner

    from kb.cli import app

    res = CliRunner().invoke(app, ["eval", "events", str(DATA), *args])
    assert res.exit_code == code
    assert expected in res.output
