"""Timelines: the task format, the relations and their closure, temporal awareness,
and kb's timeline of a tiny two-document corpus, all worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kb.errors import EvalError
from kb.eval.semeval import normal_date, read_document, read_task, read_timeline
from kb.eval.temporal import entailed, reduced_relations, temporal_awareness, timeline_graph
from kb.eval.timeline import actor_matches, evaluate_timeline, format_report
from kb.export.semeval import TimelineLine as L
from kb.export.semeval import format_timeline, task_date, timeline_lines

DATA = Path(__file__).parent / "data" / "semeval"
TRIAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "semeval2015-task4-timeline"


# --- the format -----------------------------------------------------------------------


def _date(start, end, basis="stated", granularity=None):
    return {"start": start, "end": end, "basis": basis, "granularity": granularity}


@pytest.mark.parametrize(
    "date, reported, expected",
    [
        (_date("2010-06-07", "2010-06-07"), "unplaced", "2010-06-07"),
        (_date("2010-06-05", "2010-06-05", granularity="part_of_day"), "unplaced", "2010-06-05"),
        (_date("2010-06-01", "2010-06-30", granularity="month"), "unplaced", "2010-06"),
        (_date("2010-06-07", "2010-06-13", granularity="week"), "unplaced", "2010-06"),
        (_date("2010-05-31", "2010-06-06", granularity="week"), "unplaced", "2010"),
        (_date("2010-01-01", "2010-12-31", granularity="year"), "unplaced", "2010"),
        (_date("2010-01-01", "2019-12-31", granularity="decade"), "unplaced", None),
        (_date("2010-06-08", "2010-06-08", "reported"), "unplaced", None),
        (_date("2010-06-08", "2010-06-08", "reported"), "published", "2010-06-08"),
        (None, "published", None),
    ],
)
def test_task_date(date, reported, expected):
    assert task_date(date, reported) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("2010-06-07", "2010-06-07"), ("2008-03-XX", "2008-03"), ("2010-XX-XX", "2010"),
     ("1976", "1976"), ("XXXX-XX-XX", None), ("XXX-XX-XX", None), ("", None)],
)
def test_normal_date(value, expected):
    assert normal_date(value) == expected


def test_timeline_lines_rank_by_date_and_round_trip(tmp_path):
    day = _date("2010-06-07", "2010-06-07")
    recs = [
        {"m": "1-5-said", "date": _date("2010-06-08", "2010-06-08", "reported")},
        {"m": "1-2-unveiled", "date": day},
        {"m": "1-3-launch", "date": _date("2010-06-01", "2010-06-30")},
        {"m": "1-4-shown", "date": day},
        {"m": "1-2-unveiled", "date": day},  # the same word twice: once
        {"m": None, "date": day},  # no task id: left out
    ]
    lines = timeline_lines(recs, lambda r: r["m"])
    # unplaced first; "2010-06" before "2010-06-07"; same date, same rank, text order
    assert lines == [
        L(0, "XXXX-XX-XX", ("1-5-said",)),
        L(1, "2010-06", ("1-3-launch",)),
        L(2, "2010-06-07", ("1-2-unveiled",)),
        L(2, "2010-06-07", ("1-4-shown",)),
    ]
    path = tmp_path / "t.txt"
    path.write_text(format_timeline("iPhone 4", lines), encoding="utf-8")
    back = read_timeline(path)
    assert (back.entity, back.lines) == ("iPhone 4", tuple(lines))


@pytest.mark.parametrize(
    "text, message",
    [("", "first line must name the entity"), ("X\n1\t2010\n", "expected 'rank<TAB>date"),
     ("X\nfirst\t2010\t1-2-a\n", "expected 'rank<TAB>date")],
)
def test_read_timeline_errors_name_the_file(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalError, match=message) as info:
        read_timeline(path)
    assert "bad.txt" in str(info.value)


# --- relations, closure, reduction ------------------------------------------------------


GOLD = read_timeline(DATA / "pairs" / "acme_gold.txt").lines
SYSTEM = read_timeline(DATA / "pairs" / "acme_system.txt").lines


def test_relations_of_the_gold_fixture():
    # rank 0 (9-5-rumoured) dropped; rank 2 holds three mentions and the month 2010-03
    assert reduced_relations(timeline_graph(GOLD)) == [
        ("9-1-founded", "SIMULTANEOUS", "date:2008"),
        ("9-2-filed", "SIMULTANEOUS", "9-2-sued"),
        ("9-2-sued", "SIMULTANEOUS", "9-3-lawsuit"),
        ("9-3-lawsuit", "SIMULTANEOUS", "date:2010-03"),
        ("9-1-founded", "BEFORE", "9-2-filed"),
        ("9-2-filed", "BEFORE", "9-4-settled"),
    ]


@pytest.mark.parametrize(
    "relation, expected",
    [
        (("9-1-founded", "BEFORE", "9-4-settled"), True),  # transitively, through rank 2
        (("9-4-settled", "BEFORE", "9-1-founded"), False),
        (("9-3-lawsuit", "SIMULTANEOUS", "9-2-filed"), True),  # same rank
        (("9-2-sued", "SIMULTANEOUS", "date:2010-03"), True),  # through its line's date
        (("9-2-sued", "BEFORE", "9-2-filed"), False),  # simultaneous, not before
        (("9-1-founded", "SIMULTANEOUS", "9-2-filed"), False),
        (("9-5-rumoured", "BEFORE", "9-4-settled"), False),  # rank 0 is not in the graph
    ],
)
def test_entailed_by_the_gold_closure(relation, expected):
    closure = nx.transitive_closure(timeline_graph(GOLD), reflexive=False)
    assert entailed(closure, relation) is expected


def test_two_ranks_sharing_a_date_are_simultaneous():
    # the gold sometimes ranks events of one day apart; the shared date ties them
    closure = nx.transitive_closure(
        timeline_graph([L(1, "2005-06-06", ("a",)), L(2, "2005-06-06", ("b",))]),
        reflexive=False,
    )
    assert entailed(closure, ("a", "SIMULTANEOUS", "b"))
    assert not entailed(closure, ("a", "BEFORE", "b"))


def test_temporal_awareness_by_hand():
    score = temporal_awareness(GOLD, SYSTEM)
    # system relations after reduction (7): founded=2008 Y, filed=2010-03 Y,
    # sued=2010-03-15 N (no such date in gold), settled=2011 N, founded<filed Y,
    # filed<sued N (gold: simultaneous), sued<settled Y          -> precision 4/7
    # gold relations after reduction (6): founded=2008 Y, filed=sued N (system: before),
    # sued=lawsuit N (no lawsuit), lawsuit=2010-03 N, founded<filed Y,
    # filed<settled Y (filed<sued<settled)                      -> recall 3/6
    # F1 = 2 (4/7)(1/2) / (4/7 + 1/2) = (4/7) / (15/14) = 8/15
    assert (score.precise, score.system, score.recalled, score.gold) == (4, 7, 3, 6)
    assert score.f1 == pytest.approx(8 / 15)


def test_micro_average_sums_the_counts():
    other = temporal_awareness(
        [L(1, "2010", ("a",)), L(2, "2011", ("b",))],
        [L(1, "XXXX-XX-XX", ("a",)), L(2, "XXXX-XX-XX", ("b",))],
    )
    # a<b is entailed (1/1); of a=2010, b=2011, a<b only a<b is recalled (1/3)
    assert (other.precise, other.system, other.recalled, other.gold) == (1, 1, 1, 3)
    total = temporal_awareness(GOLD, SYSTEM) + other
    # P = 5/8, R = 4/9, F1 = 2 (5/8)(4/9) / (5/8 + 4/9) = (40/72) / (77/72) = 40/77
    assert total.f1 == pytest.approx(40 / 77)


@pytest.mark.parametrize(
    "entity, names, expected",
    [
        ("Steve Jobs", ["Steve Jobs", "Jobs"], True),
        ("steve jobs", ["Steve Jobs"], True),
        ("iTunes store", ["iTunes Store"], True),
        ("Beatles Apple Corps", ["Apple Corps"], True),
        ("Beatles Apple Corps", ["Apple"], False),  # one word is not enough
        ("iPod", ["iPod nano"], False),
        ("iPod", ["iPod"], True),
        ("Steve Jobs", ["Steve Wozniak"], False),
    ],
)
def test_actor_matches(entity, names, expected):
    assert actor_matches(entity, names) is expected


# --- the task folder and kb's timeline ------------------------------------------------


def test_read_document_maps_offsets_to_task_ids():
    doc = read_document(DATA / "corpus_raw" / "1-jobs_meets.tml")
    assert doc.docid == "1" and str(doc.dct) == "2010-06-08"
    assert doc.text.split("\n\n")[1] == "On June 7 , Steve Jobs met Bill Gates in Paris ."
    assert doc.mention_id(doc.text.index("met ")) == "1-1-met"
    assert doc.mention_id(doc.text.index("said") + 2) == "1-2-said"
    assert doc.mention_id(doc.text.index("meets")) == "1-0-meets"
    assert doc.mention_id(0) == "1-0-jobs"  # words in lower case, as the gold writes them


def test_read_task_picks_the_raw_text_corpus():
    task = read_task(DATA)
    assert [t.entity for t in task.timelines] == ["Steve Jobs"]
    assert [d.docid for d in task.documents] == ["1", "2"]  # not corpus_events/


def test_read_task_errors(tmp_path):
    with pytest.raises(EvalError, match="one folder of gold timelines"):
        read_task(tmp_path)
    with pytest.raises(EvalError, match="no such folder"):
        read_task(tmp_path / "absent")


def test_kb_timeline_end_to_end(nlp):
    report = evaluate_timeline(DATA, nlp=nlp)
    (jobs,) = report.entities
    # kb finds Jobs's two meetings, dated June 7 and June 15 in the text, and his
    # statement "said", which states no date: not placed (rank 0)
    assert format_timeline("Steve Jobs", jobs.system) == (
        "Steve Jobs\n0\tXXXX-XX-XX\t1-2-said\n1\t2010-06-07\t1-1-met\n2\t2010-06-15\t2-1-met\n"
    )
    # the gold is the same: met=06-07, met=06-15, met<met: 3 of 3 both ways
    assert (jobs.score.precise, jobs.score.system, jobs.score.recalled, jobs.score.gold) == (
        3, 3, 3, 3)
    text = format_report(report, show_errors=True)
    assert "micro average" in text and "1.000" in text
    assert json.loads(json.dumps(report.to_dict()))["micro"]["f1"] == 1.0


def test_placing_undated_events_at_the_published_date_costs_precision(nlp):
    report = evaluate_timeline(DATA, reported="published", nlp=nlp)
    s = report.micro
    # "said" goes to its article's date, 2010-06-08, between the two meetings:
    # system met=06-07 Y, said=06-08 N, met=06-15 Y, met<said N, said<met N -> P 2/5;
    # gold met=06-07, met=06-15 and met<met (through said) all entailed -> R 3/3;
    # F1 = 2 (2/5)(1) / (2/5 + 1) = 4/7
    assert (s.precise, s.system, s.recalled, s.gold) == (2, 5, 3, 3)
    assert s.f1 == pytest.approx(4 / 7)


@pytest.mark.slow
@pytest.mark.skipif(not TRIAL.is_dir(), reason="../shared/eval is not here")
def test_trial_data_reads_and_every_gold_mention_names_a_token():
    task = read_task(TRIAL)
    assert len(task.timelines) == 6 and len(task.documents) == 30
    ids = {d.mention_id(start) for d in task.documents for start, _, _ in d.tokens}
    mentions = [m for t in task.timelines for ln in t.lines for m in ln.mentions]
    # multi-word mentions ("court_case") join words with "_" and name no single token
    single = [m for m in mentions if "_" not in m.split("-", 2)[2]]
    assert len(single) > 150
    missing = [m for m in single if m not in ids]
    # words are written in lower case ("16900-2-pre-orders" for "Pre-orders"); the one
    # id that names no token is a typo of the gold itself: there is no document 9590
    # (9509 is the one whose sentence 10 says "offers access")
    assert missing == ["9590-10-access"]


@pytest.mark.parametrize(
    "args, code, expected",
    [
        (["--format", "json"], 0, '"f1": 1.0'),
        (["--reported", "published"], 0, "0.571"),
        (["--reported", "maybe"], 2, "--reported 'maybe' is not one of"),
    ],
)
def test_command(args, code, expected):
    from typer.testing import CliRunner

    from kb.cli import app

    res = CliRunner().invoke(app, ["eval", "timeline", str(DATA), *args])
    assert res.exit_code == code
    assert expected in res.output


def test_an_unknown_placement_is_refused():
    from kb.errors import ExportError

    with pytest.raises(ExportError, match="'unplaced' or 'published'"):
        task_date(_date("2010-06-08", "2010-06-08", "reported"), "guess")
    with pytest.raises(EvalError, match="--reported 'guess'"):
        evaluate_timeline(DATA, reported="guess", nlp=object())
