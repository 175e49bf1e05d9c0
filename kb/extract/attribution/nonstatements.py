"""Cue-like words that do not report a statement, refused before any content is kept.

- A question put to someone is not their statement: "Asked how he knew, Biden
  pointed to ...", "Asked about the denial, ..." (the answer, if any, is the
  statement; the asker is not named).
- The writer's own aside: "It is pertinent to note that ...", "it is worth noting
  that ..." has no speaker but the article itself.
- An action named by a particle verb that the training data counts against being a
  cue ("called off his planned meeting": the ``prt=`` weight of the verb and its
  particle is negative) taking a noun object stays an event (a cancellation).

>>> from kb.nlp import get_nlp
>>> from kb.extract.quotes import find_quotes
>>> [q.cue.text for q in find_quotes(get_nlp()("It is worth noting that talks stalled."))]
[]
"""

from __future__ import annotations

from spacy.tokens import Token

from kb.extract.attribution.candidates import Candidate

__all__ = ["not_statement", "is_question", "is_aside", "is_particle_action", "is_act"]

#: Verbs whose clausal object is a question, not a claim.
QUESTION_VERBS = frozenset(("ask", "wonder", "inquire", "enquire"))
_QUESTION_WORDS = frozenset("how what why who whom whose which when where whether if".split())
#: Contents that are a noun phrase (an action's object), not a clause or quotation.
_NOMINAL = ("dobj", "nsubjpass", "attr", "oprd", "prep:")


def is_question(c: Candidate) -> bool:
    """ "Asked how he knew, Biden said ...", "he was asked whether ...": a question put to
    the subject, who did not say it (a question someone asks, "she asked whether
    ...", is what that person said, and stays a statement)."""
    a = c.anchor
    if a.lemma_.lower() not in QUESTION_VERBS or a.tag_ != "VBN":
        return False
    if any(k.dep_ == "nsubj" for k in a.children):
        return False  # "she has asked whether ...": her question
    if any(k.dep_ in ("nsubjpass", "auxpass") for k in a.children):
        return True  # "the question has had to be asked of ...": its subject never asked
    if any(k.dep_ == "prep" and k.lower_ == "about" for k in a.children):
        return True  # "Asked about the denial, Marchetti said ...": the topic of a question
    doc = c.anchor.doc
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].lower_ in _QUESTION_WORDS


def _it_subject(t: Token) -> bool:
    return any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in t.children)


def is_aside(anchor: Token) -> bool:
    """ "It is pertinent to note that", "it is worth noting": a cue governed by an
    adjective predicated of an empty "it"."""
    if anchor.dep_ not in ("xcomp", "ccomp", "advcl", "pcomp") or anchor.head is anchor:
        return False
    h = anchor.head
    if h.pos_ == "ADJ" and h.dep_ == "acomp":
        return _it_subject(h.head)
    if h.pos_ == "AUX":
        return _it_subject(h) and any(c.dep_ == "acomp" for c in h.children)
    return False


def is_particle_action(c: Candidate, weights: dict[str, float]) -> bool:
    """A particle verb with a noun object that the data counts against being a cue."""
    if not c.kind.startswith(_NOMINAL):
        return False
    lemma = c.anchor.lemma_.lower()
    return any(
        weights.get("prt=" + lemma + "|" + p.lower_, 0.0) < 0
        for p in c.anchor.children
        if p.dep_ == "prt"
    )


#: Verbs that do something to their noun object rather than say it: "Putin signed the
#: decrees", "ordered troops". Their object is the thing acted on, not words; the act
#: stays an event. (Voting for someone and dismissing a charge take a stance: kept.)
ACTION_VERBS = frozenset(
    "sign order ratify impose lift deploy send convene adopt pass veto cancel suspend "
    "halt ban appoint sack arrest grant pause resume freeze postpone delay".split()
)
#: Verbs that report words with one object and do a deed with another: "called for
#: calm" is said, "called a meeting" is done, as are "recalled 1 million vehicles",
#: "requested the session",
#: "agreed its own package", "declared martial law", "recognised the independence".
DEED_VERBS = frozenset(
    "call request agree declare hold seek organise organize recognise recognize recall"
    .split()
)
#: Nouns that name a happening or a measure, not words: the object of a deed.
DEED_NOUNS = frozenset(
    "meeting session summit election vote referendum strike march rally talks ceasefire "
    "truce package deal agreement emergency war independence holiday mobilisation "
    "mobilization call-up evacuation curfew exercise exercises drill drills sovereignty "
    "annexation vehicles cars trucks products units models devices phones batteries "
    "aircraft planes jets".split()
)


#: Contents that are words said whatever the verb: a clause or a quotation.
_CLAUSE_KINDS = ("ccomp", "quote_before", "quote_after", "head:parataxis")


def is_act(c: Candidate) -> bool:
    """An action done to a noun object, not a statement: "signed the decrees" (and
    whatever else the verb governs: "signed decrees with the separatist leaders"),
    "called a meeting", "recognised the independence of ..." (what it names stays an
    event). A clause or a quotation is never one, nor a call "for" something."""
    if c.kind.startswith(_CLAUSE_KINDS):
        return False
    lemma = c.anchor.lemma_.lower()
    if lemma in ACTION_VERBS:
        return True
    if lemma not in DEED_VERBS or any(k.dep_ in ("oprd", "xcomp", "ccomp")
                                      for k in c.anchor.children):
        return False  # "called the vote a farce": a judgement of it, said
    return any(
        k.dep_ in ("dobj", "nsubjpass") and (k.lemma_.lower() in DEED_NOUNS
                                             or k.lower_ in DEED_NOUNS
                                             or (k.lower_ == "law" and k.i > 0
                                                 and k.doc[k.i - 1].lower_ == "martial"))
        for k in c.anchor.children
    )


#: Passives that say what is planned or likely, not who said it: "Harris is expected to
#: meet Zelensky", "the vote is scheduled for Friday".
_AGENTLESS = frozenset("expect schedule slate set plan due".split())
#: What follows "is" in a plan told in the article's voice: "is due to", "is set to".
_PLAN_WORDS = _AGENTLESS | frozenset("about poised scheduled expected".split())


def is_agentless_plan(c: Candidate) -> bool:
    """ "X is expected to meet Y" with no "by whom", "Kovel is due to travel": a plan or
    a forecast in the article's own voice, not a statement."""
    a = c.anchor
    if a.lemma_.lower() == "be":
        span = a.doc.char_span(c.start, c.end, alignment_mode="expand")
        return (span is not None and len(span) > 1 and span[0].lower_ in _PLAN_WORDS
                and span[1].lower_ == "to")
    if a.lemma_.lower() not in _AGENTLESS:
        return False
    kids = list(a.children)
    return any(k.dep_ == "auxpass" for k in kids) and not any(k.dep_ == "agent" for k in kids)


#: Subordinators of a clause that sets the scene of what was said, never its words:
#: "said as the two leaders shook hands", "said after the meeting ended".
_CIRCUMSTANCE = frozenset("as when while after before until since because once".split())


def is_circumstance(c: Candidate) -> bool:
    """An adverbial clause of time, cause or manner is when or why something was said."""
    if not c.kind.startswith("advcl"):
        return False
    span = c.anchor.doc.char_span(c.start, c.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].lower_ in _CIRCUMSTANCE


def is_negotiation(c: Candidate) -> bool:
    """ "talks on a deal giving ...": the plural noun names a negotiation, an event, not
    something said ("talk of a third party" is)."""
    a = c.anchor
    return a.pos_ == "NOUN" and a.lower_ == "talks"


def not_statement(c: Candidate, weights: dict[str, float]) -> bool:
    """Whether a candidate is refused whatever its score."""
    return (is_question(c) or is_aside(c.anchor) or is_particle_action(c, weights)
            or is_act(c) or is_agentless_plan(c) or is_circumstance(c)
            or is_negotiation(c))
