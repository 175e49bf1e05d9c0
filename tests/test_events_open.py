"""Open-domain events (kb.extract.events and its siblings): the sentences are the
specification. Every row runs the real model; published dates are a Thursday
(2009-12-17), so "Tuesday" is 2009-12-15 and "Monday" 2009-12-14."""

from __future__ import annotations

import pytest

import kb
from kb.extract.categories import PLOVER, category
from kb.extract.order import event_order
from kb.extract.types import Event, EventDate, Span
from kb.jsonschema_util import validate

PUBLISHED = "2009-12-17"


def _parse(nlp, text):
    return kb.parse_article(text, PUBLISHED, nlp=nlp)


def _event(parsed, word):
    found = [e for e in parsed.events if e.trigger.text == word]
    assert len(found) == 1, [(e.trigger.text, e.type) for e in parsed.events]
    return found[0]


@pytest.mark.parametrize(
    "text, word, etype, tml_class, date, basis, actors",
    [
        # a model number and a name after "the" is a product (no brand needed)
        ("The 787 Dreamliner made its first test flight Tuesday.", "made", "occurrence",
         "OCCURRENCE", "2009-12-15", "stated", [("787 Dreamliner", "agent")]),
        ("GM filed for bankruptcy.", "filed", "legal_action", "OCCURRENCE", PUBLISHED,
         "reported", [("GM", "agent")]),
        ("Shares fell 3%.", "fell", "financial_change", "OCCURRENCE", PUBLISHED, "reported",
         []),
        ("Boeing delivered the final 717.", "delivered", "delivery", None, PUBLISHED,
         "reported", [("Boeing", "agent")]),
        ("Apple launched the iPhone on Monday.", "launched", "product_launch", "OCCURRENCE",
         "2009-12-14", "stated", [("Apple", "agent"), ("iPhone", "participant")]),
        ("Boeing sold Delta Air Lines 20 jets at a show in France.", "sold", "transaction",
         "OCCURRENCE", PUBLISHED, "reported",
         [("Boeing", "agent"), ("Delta Air Lines", "recipient"), ("France", "location")]),
        ("Russia invaded Ukraine.", "invaded", "military_action", "OCCURRENCE", PUBLISHED,
         "reported", [("Russia", "agent"), ("Ukraine", "target")]),
        # a time that names when a noun's thing was made does not date the clause
        ("The countries that signed the Budapest Memorandum of 1994 met.", "signed",
         "agreement", "OCCURRENCE", PUBLISHED, "reported", None),
    ],
)
def test_every_trigger_is_a_typed_dated_event(nlp, text, word, etype, tml_class, date, basis,
                                              actors):
    e = _event(_parse(nlp, text), word)
    assert e.type == etype
    if tml_class is not None:
        assert e.tml_class == tml_class
    assert (e.date.value, e.date.basis) == (date, basis)
    if actors is not None:
        assert [(a.name, a.role) for a in e.actors] == actors
    assert (e.negated, e.polarity, e.hypothetical, e.reported_by) == (False, "POS", False, None)


@pytest.mark.parametrize(
    "text, word, polarity, tense, aspect",
    [
        ("Boeing did not deliver the jets.", "deliver", "NEG", "PAST", "NONE"),
        ("Russia did not invade Ukraine.", "invade", "NEG", "PAST", "NONE"),
        ("Russia invaded Ukraine.", "invaded", "POS", "PAST", "NONE"),
        ("Toyota had met the union.", "met", "POS", "PAST", "PERFECTIVE"),
        ("Ford is selling the unit.", "selling", "POS", "PRESENT", "PROGRESSIVE"),
    ],
)
def test_polarity_tense_aspect(nlp, text, word, polarity, tense, aspect):
    e = _event(_parse(nlp, text), word)
    assert (e.polarity, e.negated, e.tense, e.aspect) == (polarity, polarity == "NEG", tense,
                                                          aspect)


@pytest.mark.parametrize(
    "text, word, hypothetical, modality",
    [
        ("Officials agreed to purchase 60 aircraft.", "purchase", True, "agree"),
        ("Officials agreed to purchase 60 aircraft.", "agreed", False, None),
        ("Exxon plans to buy the refinery.", "buy", True, "plan"),
        ("Ford may sell the unit.", "sell", True, "may"),
        ("Ford will sell the unit.", "sell", False, "will"),
        # an aspectual verb's complement is as real as the verb
        ("On Monday, Ford began to sell the unit.", "sell", False, None),
        ("If Russia invades Ukraine, sanctions will follow.", "invades", True, None),
    ],
)
def test_hypothetical_and_modality(nlp, text, word, hypothetical, modality):
    e = _event(_parse(nlp, text), word)
    assert (e.hypothetical, e.modality) == (hypothetical, modality)


@pytest.mark.parametrize(
    "text, word, cue",
    [
        ("Robert Gates said the army would invade Iran.", "invade", "said"),
        ('"We will buy the plant," the Ford spokesman said.', "buy", "said"),
        ("Officials agreed to purchase 60 aircraft.", "purchase", "agreed"),
    ],
)
def test_events_in_reported_speech(nlp, text, word, cue):
    """An event inside what a statement reports is that speaker's claim: kept, with
    ``reported_by`` the statement whose content holds it (or none, when the statement
    extractor finds no statement there)."""
    parsed = _parse(nlp, text)
    e = _event(parsed, word)
    holders = [i for i, q in enumerate(parsed.quotes)
               if q.content.start <= e.trigger.start < q.content.end]
    if holders:
        assert e.reported_by in holders
        assert parsed.quotes[e.reported_by].cue.text == cue
    else:
        assert e.reported_by is None
    # the cue is the statement's own event, not a second one
    cues = [x for x in parsed.events if x.trigger.text == cue]
    assert len(cues) == 1


def test_said_the_army_would_invade(nlp):
    parsed = _parse(nlp, "Robert Gates said the army would invade Iran.")
    said, invade = _event(parsed, "said"), _event(parsed, "invade")
    assert said.quote is not None and said.type == "statement" and said.tml_class == "REPORTING"
    assert invade.reported_by == said.quote
    assert (invade.type, invade.plover, invade.hypothetical, invade.modality) == (
        "military_action", "ASSAULT", True, "would")


@pytest.mark.parametrize(
    "text, word, plover",
    [
        ("Biden met Macron.", "met", "CONSULT"),
        ("Russia invaded Ukraine.", "invaded", "ASSAULT"),
        ("NATO deployed troops.", "deployed", "MOBILIZE"),
        ("Israel withdrew from Gaza.", "withdrew", "RETREAT"),
        ("Protesters rallied in Cairo.", "rallied", "PROTEST"),
        ("The United Nations sent aid to Haiti.", "sent", "AID"),
        ("The European Union sanctioned Russia on Tuesday.", "sanctioned", "SANCTION"),
        ("Shares fell 3%.", "fell", None),
        ("Apple launched the iPhone.", "launched", None),
    ],
)
def test_plover_in_context(nlp, text, word, plover):
    assert _event(_parse(nlp, text), word).plover == plover


@pytest.mark.parametrize(
    "lemma, pos, governed, etype, plover",
    [
        ("agree", "VERB", (), "agreement", "AGREE"),
        ("meet", "VERB", (), "meeting", "CONSULT"),
        ("urge", "VERB", (), "appeal", "REQUEST"),
        ("accuse", "VERB", (), "accusation", "ACCUSE"),
        ("reject", "VERB", (), "denial", "REJECT"),
        ("threaten", "VERB", (), "threat", "THREATEN"),
        ("sanction", "VERB", (), "sanction", "SANCTION"),
        ("invade", "VERB", (), "military_action", "ASSAULT"),
        ("deploy", "VERB", (), "military_action", "MOBILIZE"),
        ("occupy", "VERB", (), "military_action", "COERCE"),
        ("arrest", "VERB", (), "occurrence", "COERCE"),
        ("endorse", "VERB", (), "agreement", "SUPPORT"),
        ("concede", "VERB", (), "occurrence", "CONCEDE"),
        ("cooperate", "VERB", (), "occurrence", "COOPERATE"),
        ("withdraw", "VERB", (), "occurrence", "RETREAT"),
        ("protest", "VERB", (), "occurrence", "PROTEST"),
        ("donate", "VERB", (), "occurrence", "AID"),
        ("invasion", "NOUN", (), "military_action", "ASSAULT"),
        ("talk", "NOUN", (), "meeting", "CONSULT"),
        ("buy", "VERB", (), "transaction", None),
        ("release", "VERB", (), "product_launch", None),  # a phone, not prisoners
        ("file", "VERB", ("bankruptcy",), "legal_action", None),
        ("strike", "VERB", ("deal",), "agreement", "AGREE"),
        ("file", "VERB", ("report",), "occurrence", None),
        ("walk", "VERB", (), "occurrence", None),
    ],
)
def test_category_table(lemma, pos, governed, etype, plover):
    cat = category(lemma, pos, governed)
    assert (cat.type, cat.plover) == (etype, plover)
    assert cat.plover is None or cat.plover in PLOVER


@pytest.mark.parametrize(
    "text, first, then",
    [
        ("Toyota had met the union. It then announced a deal.", "met", "announced"),
        ("The board met. Then it announced the merger.", "met", "announced"),
        ("After the board met, Ford announced the merger.", "met", "announced"),
        ("Ford sold the unit before the merger.", "sold", "merger"),
        ("Ford announced the merger on Thursday. It sold the unit.", "announced", "sold"),
        ("Ford sold the unit on Monday. It had bought it in May.", "bought", "sold"),
    ],
)
def test_order_within_an_article(nlp, text, first, then):
    parsed = _parse(nlp, text)
    a, b = _event(parsed, first), _event(parsed, then)
    assert a.order is not None and b.order is not None
    assert a.order < b.order


def test_order_not_invented_without_dates(nlp):
    parsed = kb.parse_article("The board met. Then it announced the merger.", None, nlp=nlp)
    assert parsed.events and all(e.order is None for e in parsed.events)


def _ev(day, basis="reported", tense="PAST", aspect="NONE"):
    date = EventDate(day, day, day, "day", basis) if day else None
    return Event("occurrence", "x", Span("x", 0, 1), (0, 1), date, tense=tense, aspect=aspect)


@pytest.mark.parametrize(
    "events, before, expected",
    [
        # days first, then past perfect before simple past, stated before reported
        ([_ev("2009-12-17"), _ev("2009-12-14")], [], (1, 0)),
        ([_ev("2009-12-17"), _ev("2009-12-17", aspect="PERFECTIVE")], [], (1, 0)),
        ([_ev("2009-12-17"), _ev("2009-12-17", basis="stated")], [], (1, 0)),
        ([_ev("2009-12-17"), _ev("2009-12-17")], [], (0, 0)),
        # "after"/"before"/"then" order events the verb forms leave equal
        ([_ev("2009-12-17"), _ev("2009-12-17")], [(1, 0)], (1, 0)),
        # ... but do not override a day
        ([_ev("2009-12-14"), _ev("2009-12-17")], [(1, 0)], (0, 1)),
        # no date, no rank
        ([_ev(None), _ev("2009-12-17")], [(0, 1)], (None, 0)),
    ],
)
def test_event_order_table(events, before, expected):
    assert event_order(events, before) == expected


def test_parsed_events_validate(nlp):
    parsed = _parse(nlp, "Boeing sold Delta Air Lines 20 jets at a show in France. "
                         "Robert Gates said the army would invade Iran.")
    data = parsed.to_dict()
    validate(data, "parsed-article")
    roles = {a["role"] for e in data["events"] for a in e["actors"]}
    assert "location" in roles
    for e in data["events"]:
        assert parsed.text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]


@pytest.mark.parametrize(
    "text, word, actors",
    [
        # a description of the company or the product the article names
        ("Boeing unveiled the jet on Monday. The company delivered it to ANA on Tuesday.",
         "delivered", [("Boeing", "agent"), ("ANA", "recipient")]),
        ("Apple opened the iTunes Music Store in 2003. The store sells songs.", "sells",
         [("iTunes Music Store", "agent")]),
        # "it" goes on with the thing the sentence before was about ...
        ("Structure-wise, iPhone 4 has a new frame. It also has a new screen.", "also", None),
        ("iPhone 4 will be available on June 24. It comes in two colors.", "comes",
         [("iPhone 4", "agent")]),
        # ... not past a person, and not when it only holds a clause's place
        ("Jobs demoed iPhone 4. It comes in two colors.", "comes", []),
        ("Apple cut the price. It is expected that sales will rise.", "expected", []),
        # "It said": the organisation the sentence before was about
        ("Alaska Airlines grounded its fleet. It said inspections found loose bolts.", "said",
         [("Alaska Airlines", "speaker")]),
        # a share price falls for the company a description names
        ("Boeing delivered 27 jets in February. The planemaker's shares fell 4%.", "fell",
         [("Boeing", "agent")]),
        # "the 737 Max 9" is a product, not a person called Max; "the 1990 Act" no product
        ("Boeing delivered the 737 Max 9. The 1990 Act was repealed.", "delivered",
         [("Boeing", "agent"), ("737 Max 9", "participant")]),
        ("Boeing delivered the 737 Max 9. The 1990 Act was repealed.", "repealed", []),
        # "its shares": the company the sentence before was about; "the central bank" is
        # the one named as such, not the organisation named last
        ("GM recalled 1 million vehicles. Its shares fell 2%.", "fell",
         [("GM", "agent")]),
        ("The Federal Reserve held rates. Treasury Secretary Janet Yellen spoke. The central "
         "bank last raised rates in July.", "raised", [("Federal Reserve", "agent")]),
        # the one a typed statement is about: "accused the carmaker"
        ("GM recalled 1 million vehicles. A lawsuit accused the carmaker of fraud.",
         "accused", [("GM", "target")]),
        # "we" in a quotation is the company the article is about, not the one named last
        ("Microsoft rose. Microsoft's chief executive spoke. Microsoft grew. Apple fell. "
         "\"We are seeing real demand,\" he said.", "seeing", [("Microsoft", "agent")]),
        ("Microsoft rose. Apple fell. \"We are seeing real demand,\" he said.", "seeing", []),
        # a description of another product than the one named is not it
        ("iPhone 4 has a new frame. The previous phone had none.", "had", []),
    ],
)
def test_descriptions_and_it_as_event_actors(nlp, text, word, actors):
    if actors is None:  # the "has" of the second sentence
        parsed = _parse(nlp, text)
        second = [e for e in parsed.events if e.trigger.text == "has"][-1]
        assert [(a.name, a.role) for a in second.actors] == [("iPhone 4", "agent")]
        return
    event = _event(_parse(nlp, text), word)
    assert [(a.name, a.role) for a in event.actors] == actors
