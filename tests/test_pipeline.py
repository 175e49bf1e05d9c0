"""parse_article end to end on the sample article, and the contract of its output."""

from __future__ import annotations

import pytest

import kb
from kb.jsonschema_util import validate


def _quotes_by(parsed, name):
    return [q for q in parsed.quotes if q.speaker and q.speaker.name == name]


def test_blinken_statements_dated_sunday(seed_parsed):
    quotes = _quotes_by(seed_parsed, "Antony Blinken")
    texts = [q.content.text for q in quotes]
    flag = [q for q in quotes if "false flag operations" in q.content.text]
    assert flag and flag[0].direct, texts
    believe = [q for q in quotes if q.content.text.startswith(
        "We believe President Putin has made the decision")]
    assert believe, texts
    assert believe[0].speaker.text == "he"  # the pronoun, resolved
    for q in flag + believe:
        assert q.date is not None and q.date.value == "2022-02-20", (q.content.text, q.date)


def test_crocker_warning(seed_parsed):
    quotes = _quotes_by(seed_parsed, "Sheba Crocker")
    warning = [q for q in quotes if "human rights catastrophe" in q.content.text]
    assert warning, [q.content.text for q in seed_parsed.quotes]
    assert warning[0].cue.text == "warned"
    events = [e for e in seed_parsed.events if e.quote == seed_parsed.quotes.index(warning[0])]
    assert events[0].type == "warning"


def test_macron_talks_on_saturday_night(seed_parsed):
    talks = [e for e in seed_parsed.events
             if e.type == "meeting" and any(a.name == "Emmanuel Macron" for a in e.actors)
             and e.date and e.date.basis == "stated"]
    assert talks, [(e.type, e.trigger.text) for e in seed_parsed.events]
    t = talks[0]
    assert t.date.value.startswith("2022-02-19") and t.date.start == "2022-02-19"
    names = {a.name for a in t.actors}
    assert {"Joe Biden", "Vladimir Putin", "Emmanuel Macron"} <= names


@pytest.mark.parametrize(
    "phrase, trigger, negated, hypothetical",
    [
        ("if an invasion takes place", "invasion", False, True),
        ("if Russia does not invade Ukraine", "invade", True, True),
        ("Ukrainians to be killed", "killed", False, True),
    ],
)
def test_seed_conditional_events_are_flagged(seed_parsed, phrase, trigger, negated,
                                             hypothetical):
    """'if an invasion takes place' is no invasion; an event inside a statement is the
    speaker's claim: it is kept, with ``reported_by`` naming that statement."""
    text = seed_parsed.text
    at = text.index(phrase) + phrase.index(trigger)
    found = [e for e in seed_parsed.events if e.trigger.start == at]
    assert found, [(e.trigger.text, e.trigger.start) for e in seed_parsed.events]
    holders = [i for i, q in enumerate(seed_parsed.quotes)
               if q.content.start <= at < q.content.end]
    for e in found:
        assert (e.negated, e.hypothetical) == (negated, hypothetical)
        if holders:
            assert e.reported_by in holders
        else:
            assert e.reported_by is None


def test_nothing_from_the_credit_line(seed_parsed):
    assert "AP" not in seed_parsed.text.split()
    assert all(a.name != "AP" for a in seed_parsed.actors)


def test_to_dict_validates_and_offsets_slice(seed_parsed):
    data = seed_parsed.to_dict()
    validate(data, "parsed-article")
    text = seed_parsed.text
    spans = []
    for t in data["times"]:
        spans.append(t)
    for a in data["actors"]:
        spans += a["mentions"]
    for q in data["quotes"]:
        spans += [s for s in (q["speaker"], q["cue"], q["content"], q["medium"],
                              q["addressee"]) if s]
    for e in data["events"]:
        spans.append(e["trigger"])
    assert spans
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"], s


def test_undated_article_gets_no_invented_dates(nlp, seed_article):
    parsed = kb.parse_article(seed_article.text, None, nlp=nlp)
    assert parsed.published is None
    assert parsed.warnings and "--published" in parsed.warnings[0]
    for e in parsed.events:
        assert e.date is None or e.date.basis == "stated"
        if e.date:  # only absolute dates stated in the text may date an event
            t = parsed.times[e.date.time]
            assert t.resolved
    sunday = [t for t in parsed.times if t.text == "Sunday"]
    assert sunday and not sunday[0].resolved


@pytest.mark.parametrize(
    "text, kind, negated, hypothetical",
    [
        ("Russia invaded Ukraine on Thursday.", "military_action", False, False),
        ("Russia did not invade Ukraine.", "military_action", True, False),
        ("Russia would invade Ukraine.", "military_action", False, True),
        ("If Russia invades Ukraine, sanctions will follow.", "military_action", False, True),
        ("The talks fail if a Russian invasion of Ukraine takes place.", "military_action",
         False, True),
        ("Biden met Macron in Paris on Monday.", "meeting", False, False),
        ("The European Union sanctioned Russia on Tuesday.", "sanction", False, False),
    ],
)
def test_event_types_and_flags(nlp, text, kind, negated, hypothetical):
    parsed = kb.parse_article(text, "2022-02-25", nlp=nlp)
    found = [e for e in parsed.events if e.type == kind]
    assert found, [(e.type, e.trigger.text) for e in parsed.events]
    assert (found[0].negated, found[0].hypothetical) == (negated, hypothetical)


@pytest.mark.parametrize(
    "text, trigger, agent",
    [
        ("Putin spoke on Monday. He then signed decrees with the leaders.", "signed", "Putin"),
        ("Linda Thomas-Greenfield spoke for the US. She rejected the plan.", "rejected",
         "Linda Thomas-Greenfield"),
        ("The report came out. It condemned the attack.", "condemned", None),
    ],
)
def test_pronoun_agents(nlp, text, trigger, agent):
    parsed = kb.parse_article(text, "2022-02-22", nlp=nlp)
    found = [e for e in parsed.events if e.trigger.text == trigger]
    agents = [a.name for e in found for a in e.actors if a.role in ("agent", "speaker")]
    assert agents == ([agent] if agent else []), [(e.type, e.actors) for e in parsed.events]
