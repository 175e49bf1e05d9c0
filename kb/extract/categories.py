"""Event categories: kb's type of an event predicate and the PLOVER category it aligns with.

An event's ``type`` is decided by its predicate's lemma (and, for a few lemmas that
name different things in different company, by the word they govern): kb's twelve
political types where they apply, six types for business and markets, "statement" for
what is said, and "occurrence" for every other event. ``plover`` is the PLOVER category
(AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST, ACCUSE, REJECT,
THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT) the predicate aligns with, or
None; docs/events.md gives the whole table and the reasons.

The lists are short on purpose: each holds the words that name the category plainly.
What the trigger tagger learnt from data decides which words are events at all; these
lists only say which kind an event is.

>>> category("purchase", "VERB")
Category(type='transaction', plover=None)
>>> category("invade", "VERB")
Category(type='military_action', plover='ASSAULT')
>>> category("file", "VERB", ("bankruptcy",))
Category(type='legal_action', plover=None)
>>> category("send", "VERB", ("aid",))
Category(type='occurrence', plover='AID')
>>> category("walk", "VERB")
Category(type='occurrence', plover=None)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Category", "category", "VERB_TYPES", "NOUN_TYPES", "EVENT_TYPES", "PLOVER",
           "TYPE_PLOVER", "LEMMA_PLOVER"]

#: Verbs (lemmas) per type.
VERB_TYPES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "warning": {"warn", "caution"},
    "accusation": {"accuse", "blame", "condemn", "criticize", "criticise", "denounce"},
    "denial": {"deny", "reject", "dismiss", "refute"},
    "threat": {"threaten"},
    "appeal": {"urge", "appeal", "demand", "implore"},
    "meeting": {"meet", "talk", "speak", "confer", "visit", "host", "phone", "negotiate"},
    "agreement": {"agree", "approve", "sign", "accept", "endorse", "ratify"},
    "military_action": {"invade", "attack", "strike", "shell", "bomb", "deploy", "occupy",
                        "mobilize", "mobilise", "bombard", "shoot", "kill", "capture"},
    "sanction": {"sanction", "freeze", "embargo"},
    "recognition": {"recognize", "recognise"},
    "cancellation": {"cancel", "suspend", "halt", "postpone"},
    # business and markets
    "transaction": {"buy", "sell", "purchase", "acquire", "merge", "invest", "pay"},
    "financial_change": {"rise", "fall", "drop", "gain", "lose", "climb", "decline",
                         "increase", "decrease", "plunge", "soar", "jump", "slip", "tumble",
                         "surge", "slump", "grow", "shrink", "dip"},
    "product_launch": {"launch", "unveil", "introduce", "release", "debut"},
    "legal_action": {"sue", "charge", "indict", "convict", "sentence", "settle"},
    "delivery": {"deliver", "ship"},
    "production": {"produce", "manufacture", "build", "assemble"},
}.items()}
#: Nouns (lemmas) per type.
NOUN_TYPES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "meeting": {"talk", "talks", "meeting", "summit", "call", "visit", "negotiation",
                "negotiations", "conversation"},
    "agreement": {"agreement", "deal", "accord", "treaty", "ceasefire", "cease-fire"},
    "military_action": {"invasion", "attack", "offensive", "strike", "assault", "bombardment",
                        "incursion", "shelling", "airstrike", "war", "fighting"},
    "sanction": {"sanctions", "sanction", "embargo"},
    "warning": {"warning"},
    "threat": {"threat"},
    "accusation": {"accusation", "condemnation"},
    "denial": {"denial"},
    "transaction": {"purchase", "acquisition", "sale", "merger", "takeover", "buyout",
                    "investment", "order"},
    "financial_change": {"rise", "fall", "drop", "gain", "loss", "decline", "increase",
                         "decrease", "growth", "slump", "plunge", "surge"},
    "product_launch": {"launch", "unveiling", "introduction", "release", "debut"},
    "legal_action": {"lawsuit", "suit", "trial", "ruling", "verdict", "indictment",
                     "bankruptcy", "settlement", "conviction"},
    "delivery": {"delivery", "shipment"},
    "production": {"production", "output", "manufacturing"},
}.items()}
#: "filed for bankruptcy", "filed a lawsuit", "sent aid": a verb whose category is that of
#: the noun it governs, when the noun has one.
_LIGHT = frozenset({"file", "make", "hold", "have", "take", "launch", "complete",
                    "finalize", "seal", "reach", "strike", "win", "face",
                    "send", "provide", "give", "offer"})

#: The PLOVER categories.
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
          "ASSAULT")
#: The PLOVER category of a kb type, when the type as a whole aligns with one.
TYPE_PLOVER = {
    "agreement": "AGREE", "meeting": "CONSULT", "appeal": "REQUEST", "accusation": "ACCUSE",
    "denial": "REJECT", "threat": "THREATEN", "warning": "THREATEN", "sanction": "SANCTION",
    "military_action": "ASSAULT",
}
#: Lemmas whose PLOVER category is their own (before the type's): the words PLOVER's
#: definitions name, and those of a type that splits across categories.
LEMMA_PLOVER = {
    **dict.fromkeys(("deploy", "mobilize", "mobilise", "mobilization"), "MOBILIZE"),
    **dict.fromkeys(("occupy", "capture", "arrest", "detain", "seize", "expel", "ban",
                     "blockade"), "COERCE"),
    **dict.fromkeys(("support", "back", "praise", "endorse", "recognize", "recognise",
                     "welcome"), "SUPPORT"),
    **dict.fromkeys(("concede", "yield", "compromise", "release", "ease", "lift"), "CONCEDE"),
    **dict.fromkeys(("cooperate", "collaborate", "partner", "cooperation", "partnership",
                     "alliance"), "COOPERATE"),
    **dict.fromkeys(("aid", "help", "assist", "donate", "assistance"), "AID"),
    **dict.fromkeys(("withdraw", "retreat", "withdrawal", "evacuate"), "RETREAT"),
    **dict.fromkeys(("ask", "request", "urge", "demand", "appeal", "call"), "REQUEST"),
    **dict.fromkeys(("refuse", "reject", "veto", "deny", "rebuff"), "REJECT"),
    **dict.fromkeys(("protest", "demonstrate", "rally", "boycott", "demonstration"),
                    "PROTEST"),
}
#: Types whose words are not PLOVER's (markets, products, courts): their lemmas' political
#: sense is not the one meant ("release a phone", "shares rally").
_NOT_POLITICAL = frozenset({"transaction", "financial_change", "product_launch", "legal_action",
                            "delivery", "production"})
EVENT_TYPES = ("statement", *sorted(set(VERB_TYPES) | set(NOUN_TYPES)), "occurrence")

_VERB_TYPE = {lemma: t for t, lemmas in VERB_TYPES.items() for lemma in lemmas}
_NOUN_TYPE = {lemma: t for t, lemmas in NOUN_TYPES.items() for lemma in lemmas}


@dataclass(frozen=True)
class Category:
    """kb's type of an event and its PLOVER category (or None)."""

    type: str
    plover: str | None


def category(lemma: str, pos: str, governed: Iterable[str] = ()) -> Category:
    """The category of an event predicate ``lemma`` of part of speech ``pos``.

    ``governed`` are the lemmas of the nouns it governs (its object, the object of its
    preposition): "filed for bankruptcy" is a legal action, "made a deal" an agreement,
    though "file" and "make" say nothing by themselves.
    """
    lemma = lemma.lower()
    table = _NOUN_TYPE if pos in ("NOUN", "PROPN") else _VERB_TYPE
    etype = plover = None
    if pos not in ("NOUN", "PROPN") and lemma in _LIGHT:
        nouns = [x.lower() for x in governed]
        etype = next((_NOUN_TYPE[g] for g in nouns if g in _NOUN_TYPE), None)
        plover = next((LEMMA_PLOVER[g] for g in nouns if g in LEMMA_PLOVER), None)
    etype = etype or table.get(lemma)
    if etype is None:
        return Category("occurrence", plover or LEMMA_PLOVER.get(lemma))
    if etype in _NOT_POLITICAL:
        return Category(etype, None)
    return Category(etype, LEMMA_PLOVER.get(lemma) or TYPE_PLOVER.get(etype))
