"""Events: every event predicate of an article, typed, with actor roles and a date.

Every trigger the trigger tagger finds (:func:`kb.extract.triggers.find_triggers`: verbs,
nouns and adjectives that name something that happens, holds or is reported) is an
event, and so is every statement the quote extractor finds; a trigger that is a
statement's cue is that statement's event, not a second one. Each event has:

- ``type``, kb's category, and ``plover`` (:mod:`kb.extract.categories`, docs/events.md):
  "statement", kb's twelve political types, six for business and markets, "occurrence";
- ``tml_class``, ``polarity`` (``negated`` is polarity NEG), ``tense``, ``aspect`` and
  ``modality`` from the tagger and the parse;
- ``actors``: the article's actors in their roles (:mod:`kb.extract.arguments`);
- ``reported_by``: the statement whose words hold it ("he said the army would invade":
  the invasion is that speaker's claim, not a fact the article asserts);
- ``hypothetical``: an event in a conditional ("if an invasion takes place"), under a
  modal or a verb of intention ("would invade", "plans to buy"), of prevention ("to
  prevent a war") or in an infinitive ("agreed to purchase");
- ``date``: a time of its own clause, else its governing event's (the "flight" of "made
  a test flight Tuesday"), else the published date as "reported"; never invented;
- ``order``: its rank among the article's events (:mod:`kb.extract.order`).

>>> from kb import parse_article
>>> p = parse_article("On Saturday, Biden met Macron in Paris.", published="2022-02-21")
>>> [(e.type, e.plover, e.date.value) for e in p.events]
[('meeting', 'CONSULT', '2022-02-19')]
>>> [(a.name, a.role) for a in p.events[0].actors]  # Paris: a place, the capital of France
[('Biden', 'agent'), ('Macron', 'participant'), ('France', 'location')]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kb.extract.actors import ActorIndex
from kb.extract.arguments import Resolver, event_arguments
from kb.extract.categories import EVENT_TYPES, NOUN_TYPES, VERB_TYPES, category
from kb.extract.order import event_order, textual_before
from kb.extract.ranges import Ranges
from kb.extract.triggers import Trigger, _columns, find_triggers, grammar
from kb.extract.types import Event, EventActor, EventDate, Quote, Span, TimeExpr

__all__ = ["EVENT_TYPES", "attached_times", "find_events", "statement_type", "event_date"]

_MODALS = {"would", "could", "might", "may", "should"}
#: Modalities that do not make an event hypothetical: the plain future.
_FACTUAL = frozenset({"will", "shall"})
_PREVENT = {"prevent", "avoid", "deter", "stop", "avert", "forestall"}
#: Heads under which an event is only intended, offered or feared ("is prepared to have
#: talks", "plans to invade").
_IRREALIS = {"prepare", "prepared", "ready", "willing", "want", "plan", "hope", "offer",
             "propose", "seek", "intend", "expect", "aim", "try", "threaten", "fear",
             "consider", "idea", "possibility", "risk", "plot"}
_SPEECH_ONLY = {"speak", "talk"}  # are meetings only with a partner ("spoke with Macron")
#: TimeML classes whose complement happens at a time of its own, not theirs.
_OWN_TIME = frozenset({"REPORTING", "I_ACTION", "I_STATE"})
_RULE_VERBS = frozenset(x for v in VERB_TYPES.values() for x in v)
_RULE_NOUNS = frozenset(x for v in NOUN_TYPES.values() for x in v)
_CUE_TYPES = ("warning", "accusation", "denial", "threat", "appeal")
#: Dependencies along which a word's modal and conditional context is looked for above it.
_CLIMB = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "xcomp", "advcl", "ccomp", "acomp",
                    "prep"})


def statement_type(cue_lemma: str | None) -> str:
    """The event type a statement's cue gives: 'warned' is a warning, 'said' a statement."""
    t = category(cue_lemma or "say", "VERB").type
    return t if t in _CUE_TYPES else "statement"


def event_date(
    times: Sequence[TimeExpr], candidates: Sequence[int], published: str | None
) -> EventDate | None:
    """The first usable stated time among ``candidates`` (indexes into times), else the
    published date as ``reported``, else None. Dates are never invented."""
    for i in candidates:
        t = times[i]
        if t.type in ("DATE", "TIME") and t.interval_start and t.value and t.value[:1].isdigit():
            return EventDate(t.value, t.interval_start[:10], (t.interval_end or
                             t.interval_start)[:10], t.granularity, "stated", i)
    if published:
        return EventDate(published, published, published, "day", "reported", None)
    return None



def _flags(tok: Token) -> tuple[bool, bool]:
    """(negated, hypothetical) of the event word ``tok``, from its dependents and the
    words it depends on (up to six steps)."""
    c = _columns(tok.doc)
    dep, lower, kids = c.dep, c.lower, c.children
    i = tok.i
    negated = any(dep[k] == "neg" for k in kids[i])
    hypothetical = any(lower[k] in _MODALS for k in kids[i] if dep[k] == "aux")
    # An infinitive states no actual event ("lists of Ukrainians to be killed").
    hypothetical = hypothetical or any(c.tag[k] == "TO" for k in kids[i]
                                       if dep[k] in ("aux", "auxpass"))
    node = i
    adjunct = False  # a noun in a verb's phrase ("during the talks") is not its object
    for _ in range(6):
        if any(dep[k] == "mark" and lower[k] in ("if", "unless", "whether") for k in kids[node]):
            hypothetical = True
        if node != i and (c.raw_lemma[node] in _PREVENT or c.raw_lemma[node] in _IRREALIS
                          or lower[node] in _IRREALIS):
            hypothetical = True
        if dep[node] in _CLIMB:
            adjunct = adjunct or dep[node] == "prep"
            node = c.head[node]
            if c.pos[node] in ("VERB", "AUX"):
                # "did not hold talks": no talks; "was not discussed during the talks":
                # talks all the same
                negated = negated or (c.pos[i] == "NOUN" and not adjunct and any(
                    dep[k] == "neg" for k in kids[node]))
                hypothetical = hypothetical or any(
                    lower[k] in _MODALS for k in kids[node] if dep[k] == "aux")
            continue
        break
    return negated, hypothetical


def _innermost(quotes: Sequence[Quote], pos: int, skip: int | None = None) -> int | None:
    """The statement whose content holds ``pos`` (the shortest, if nested)."""
    inside = [(q.content.end - q.content.start, i) for i, q in enumerate(quotes)
              if i != skip and q.content.start <= pos < q.content.end]
    return min(inside)[1] if inside else None


def _governed(tok: Token) -> list[str]:
    """Lemmas of the nouns a verb governs: its object and its prepositions' objects."""
    out = [c.lemma_ for c in tok.children if c.dep_ in ("dobj", "attr")]
    out += [g.lemma_ for c in tok.children if c.dep_ == "prep" for g in c.children
            if g.dep_ == "pobj"]
    return out


def _statement_events(
    doc: Doc, quotes: Sequence[Quote], published: str | None, at_cue: dict[int, Trigger],
    index: ActorIndex, resolve: Resolver | None,
) -> list[tuple[Event, int | None]]:
    out = []
    for qi, q in enumerate(quotes):
        trigger = q.cue or q.content
        actors: list[EventActor] = []
        if q.speaker and q.speaker.name:
            actors.append(EventActor(q.speaker.name, "speaker"))
        if q.addressee and q.addressee.name:
            actors.append(EventActor(q.addressee.name, "addressee"))
        actors += [EventActor(n, "topic") for n in q.about if all(a.name != n for a in actors)]
        cue = doc.char_span(trigger.start, trigger.end, alignment_mode="expand") if q.cue else None
        lemma = "say"
        if cue is not None and q.cue:
            lemma = cue.root.lemma_.lower() if len(cue) == 1 else q.cue.text.lower()
        date = q.date or event_date([], [], published)
        neg, hyp = _flags(cue.root) if cue is not None else (False, False)
        found = next((t for i, t in at_cue.items() if trigger.start <= i < trigger.end), None)
        if cue is not None:
            polarity, tense, aspect, modality = (
                (found.polarity, found.tense, found.aspect, found.modality) if found
                else grammar(cue.root))
        else:
            polarity, tense, aspect, modality = "POS", None, None, None
        etype, plover = statement_type(lemma), None
        if etype != "statement":
            plover = category(lemma, "VERB").plover
            if cue is not None:  # "accused the carmaker of ...": the one accused
                actors += [a for a in event_arguments(index, cue.root, etype, resolve)
                           if a.role != "agent" and all(a.name != b.name for b in actors)]
        elif cue is not None and lemma not in _SPEECH_ONLY:
            # "GM filed for bankruptcy", "Boeing delivered the 717": an act whose words
            # name its kind, found as a statement; its doer is the agent, not a speaker
            acts = found is not None and found.event_class != "REPORTING"
            cat = category(lemma, "VERB", _governed(cue.root) if acts else ())
            if cat.type != "occurrence":
                etype, plover = cat.type, cat.plover
                actors = list(event_arguments(index, cue.root, etype, resolve)) or [
                    replace(a, role="agent") if a.role == "speaker" else a for a in actors]
        event = Event(etype, lemma, trigger, q.sentence or (trigger.start, trigger.end), date,
                      tuple(actors), qi, neg or polarity == "NEG",
                      hyp or (modality is not None and modality not in _FACTUAL),
                      found.event_class if found else "REPORTING", polarity, tense, aspect,
                      modality, plover, _innermost(quotes, trigger.start, skip=qi))
        out.append((event, cue.root.i if cue is not None else None))
    return out


def _open_event(
    doc: Doc, tok: Token, trig: Trigger | None, index: ActorIndex, times: Sequence[TimeExpr],
    quotes: Sequence[Quote], published: str | None, resolve: Resolver | None, sent: SpacySpan,
    governor_class: str | None = None, regions: Sequence[tuple[int, int] | None] | None = None,
) -> Event | None:
    """The event of one trigger word (``trig``), or of a word of kb's own type lists that
    the tagger passed over (None: kept only when it has an actor, as kb always did).
    ``governor_class`` is the TimeML class of the trigger ``tok`` depends on, if any;
    ``regions[i]``, the statement content that holds time i (:func:`_region`)."""
    lemma = trig.lemma if trig else tok.lemma_.lower()
    cat = category(lemma, tok.pos_, _governed(tok))
    etype = cat.type
    roles = event_arguments(index, tok, etype, resolve)
    if tok.pos_ == "VERB" and lemma in _SPEECH_ONLY and not any(
            r.role == "participant" for r in roles):
        etype = "occurrence"
    if trig is None and not roles:
        return None
    polarity, tense, aspect, modality = (
        (trig.polarity, trig.tense, trig.aspect, trig.modality) if trig else grammar(tok))
    neg, hyp = _flags(tok)
    head = tok.head
    if tok.dep_ == "xcomp" and governor_class == "ASPECTUAL":
        hyp = _flags(head)[1]  # "began to sell", "stopped producing": as real as the verb
    elif (modality is None and tok.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX")
            and hyp and head.lemma_.lower() not in _MODALS):
        modality = head.lemma_.lower()  # "agreed to purchase": a purchase agreed to
    hyp = hyp or (modality is not None and modality not in _FACTUAL)
    reporter = _innermost(quotes, tok.idx)
    region = (quotes[reporter].content.start, quotes[reporter].content.end) if (
        reporter is not None) else None
    if regions is None:
        regions = [_region(quotes, t.start) for t in times]
    lo, hi = sent.start_char, sent.end_char
    sent_times = [i for i, t in enumerate(times) if lo <= t.start < hi and regions[i] == region]
    date = event_date(times, attached_times(doc, times, sent_times, tok), published)
    start, end = (trig.start, trig.end) if trig else (tok.idx, tok.idx + len(tok.text))
    predicate = lemma + (" with" if tok.pos_ == "VERB" and etype == "meeting" and any(
        c.lower_ == "with" for c in tok.children) else "")
    return Event(etype, predicate, Span(tok.text if trig is None else trig.text, start, end),
                 (sent.start_char, sent.end_char), date, roles, None, neg or polarity == "NEG",
                 hyp, trig.event_class if trig else "OCCURRENCE", polarity, tense, aspect,
                 modality, cat.plover, reporter)


def _region(quotes: Sequence[Quote], pos: int) -> tuple[int, int] | None:
    i = _innermost(quotes, pos)
    return None if i is None else (quotes[i].content.start, quotes[i].content.end)


def _governor(tok: Token, at: dict[int, int]) -> int | None:
    """The event whose clause or phrase holds the word ``tok`` (by the parse)."""
    for a in tok.ancestors:
        if a.i in at:
            return at[a.i]
    return None


def _inherit_dates(
    events: list[Event], tokens: list[int | None], doc: Doc
) -> list[Event]:
    """An event with no time of its own takes its governing event's stated date, unless
    that event reports, intends or believes it (its complement has its own time) or the
    event is hypothetical."""
    at = {t: i for i, t in enumerate(tokens) if t is not None}
    words = {i: doc[t] for i, t in enumerate(tokens) if t is not None}
    out = list(events)
    for i in sorted(words, key=lambda k: len(list(words[k].ancestors))):  # governors first
        e, tok = out[i], words[i]
        if e.hypothetical or (e.date is not None and e.date.basis == "stated"):
            continue
        g = _governor(tok, at)
        if g is None or out[g].tml_class in _OWN_TIME:
            continue
        gdate = out[g].date
        if gdate is not None and gdate.basis == "stated":
            out[i] = replace(e, date=gdate)
    return out


def find_events(
    doc: Doc,
    index: ActorIndex,
    times: Sequence[TimeExpr],
    quotes: Sequence[Quote],
    published: str | None,
    resolve: Resolver | None = None,
    triggers: Sequence[Trigger] | None = None,
) -> list[Event]:
    """Statement events from ``quotes`` and an event for every trigger, in text order.

    ``triggers`` are :func:`~kb.extract.triggers.find_triggers` of ``doc`` (found here
    when not given); ``resolve(text, start, end)`` names the actor a pronoun subject
    refers to (or None).
    """
    if triggers is None:
        triggers = find_triggers(doc)
    by_token = {t.token: t for t in triggers}
    cue_spans = [(q.cue.start, q.cue.end) for q in quotes if q.cue]
    cued = Ranges(cue_spans)
    at_cue = {idx: t for t in triggers if (idx := doc[t.token].idx) in cued}
    pairs = _statement_events(doc, quotes, published, at_cue, index, resolve)
    sents = list(doc.sents)
    ends = [sent.end for sent in sents]
    regions = [_region(quotes, t.start) for t in times]
    c = _columns(doc)
    # the event words: the triggers, and the words of kb's own type lists
    words = sorted(set(by_token) | {
        i for i, p in enumerate(c.pos)
        if (p == "VERB" and c.lemma[i] in _RULE_VERBS)
        or (p == "NOUN" and c.lower[i] in _RULE_NOUNS)
    })
    for i in words:
        tok = doc[i]
        if tok.idx in cued:
            continue
        trig = by_token.get(i)
        head = c.head[i]
        gov = by_token.get(head) if head != i else None
        event = _open_event(doc, tok, trig, index, times, quotes, published, resolve,
                            sents[bisect_right(ends, i)], gov.event_class if gov else None,
                            regions)
        if event is not None:
            pairs.append((event, tok.i))
    pairs.sort(key=lambda p: (p[0].trigger.start, p[0].quote is None))
    events = [e for e, _ in pairs]
    tokens = [t for _, t in pairs]
    events = _inherit_dates(events, tokens, doc)
    order = event_order(events, textual_before(doc, tokens))
    return [replace(e, order=o) for e, o in zip(events, order, strict=True)]


def _clause(tok: Token) -> Token:
    """The verb whose clause ``tok`` belongs to (itself if it is one)."""
    node = tok
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            return node
        node = node.head
    return node


def _modified_noun(root: Token) -> Token | None:
    """The noun a time expression modifies ("Memorandum of 1994", "its 2009 report"), if
    it modifies one."""
    head = root.head
    if root.dep_ in ("compound", "nmod", "amod", "poss") and head.pos_ in ("NOUN", "PROPN"):
        return head
    if (root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN")):
        return head.head
    return None


def attached_times(
    doc: Doc, times: Sequence[TimeExpr], candidates: Sequence[int], trigger: Token
) -> list[int]:
    """The candidate times that belong to the trigger's own clause, nearest first.

    "Blinken on Sunday said", "On Saturday night, both presidents spoke", "talks on
    Monday" attach; "described the calls as reports multiplied over the weekend" does not
    date the description. A trigger coordinated with a dated verb shares its time, when
    its own clause states none ("started in 1976, and launched the store in 2003"). A
    time that modifies a noun dates what the noun names, not the clause: "signed the
    Memorandum of 1994" and "praised its 2009 report" say when the memorandum and the
    report were made, not when they were signed or praised.
    """
    clause = _clause(trigger)
    heads = {clause, trigger}
    shared = _clause(clause.head) if clause.dep_ == "conj" else None
    own, theirs = [], []
    for i in candidates:
        span = doc.char_span(times[i].start, times[i].end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        noun = _modified_noun(root)
        if noun is not None and noun.i != trigger.i:  # tokens are views: compare positions
            continue
        where = _clause(root.head if root.head is not root else root)
        if where in heads or any(a.i == trigger.i for a in root.ancestors):
            own.append(i)
        elif shared is not None and where.i == shared.i:
            theirs.append(i)
    # "was started in 1976, and launched the store in 2003": its own time first
    return sorted(own or theirs, key=lambda i: abs(times[i].start - trigger.idx))
