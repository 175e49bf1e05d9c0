"""Events: typed happenings in one sentence, with actor roles, a trigger and a date.

Event types (the ``type`` field):

================  =====================================================================
statement         something said, written or believed (every statement found is one)
warning           warn, caution
accusation        accuse, blame, condemn, criticise
denial            deny, reject, dismiss, refute
threat            threaten
appeal            urge, appeal, call on, demand
meeting           meet, talk, speak with, call, visit; talks, summit, meeting
agreement         agree, approve, sign, accept, endorse; agreement, deal, treaty
military_action   invade, attack, strike, shell, bomb, deploy, occupy; invasion, attack
sanction          sanction, impose sanctions, freeze assets; sanctions
recognition       recognise (a state, a region)
cancellation      cancel, call off, suspend, halt
================  =====================================================================

Roles: ``speaker`` (who said it), ``agent`` (who acted), ``addressee`` (to whom it was
said), ``recipient``, ``target`` (whom it was against), ``participant`` (with whom),
``topic`` (whom a statement is about).

An event in a conditional ("if an invasion takes place"), under a modal ("would create")
under a verb of prevention ("to prevent a war") or of intent ("is prepared to have
talks"), or in the infinitive ("to be killed") is flagged ``hypothetical``; one under
a negation ("did not meet") is flagged ``negated``. Events are not read from inside
what a statement reports (direct or indirect): those words are the speaker's claims,
kept as the statement.

>>> from kb import parse_article
>>> p = parse_article("On Saturday, Biden met Macron in Paris.", published="2022-02-21")
>>> [(e.type, e.date.value, [(a.name, a.role) for a in e.actors]) for e in p.events]
[('meeting', '2022-02-19', [('Biden', 'agent'), ('Macron', 'participant')])]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Token

from kb.extract.actors import ActorIndex
from kb.extract.ranges import Ranges
from kb.extract.types import Event, EventActor, EventDate, Quote, Span, TimeExpr

__all__ = ["EVENT_TYPES", "attached_times", "find_events", "statement_type", "event_date"]

_VERBS = {
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
}
_NOUNS = {
    "meeting": {"talks", "meeting", "summit", "call", "visit", "negotiations", "conversation"},
    "agreement": {"agreement", "deal", "accord", "treaty", "ceasefire"},
    "military_action": {"invasion", "attack", "offensive", "strike", "assault", "bombardment",
                        "incursion", "shelling", "airstrike"},
    "sanction": {"sanctions", "sanction", "embargo"},
    "warning": {"warning"},
    "threat": {"threat"},
    "accusation": {"accusation", "condemnation"},
    "denial": {"denial"},
}
Resolver = Callable[[str, int, int], "str | None"]
EVENT_TYPES = ("statement", *sorted(set(_VERBS) | set(_NOUNS)))
_VERB_TYPE = {lemma: t for t, lemmas in _VERBS.items() for lemma in lemmas}
_NOUN_TYPE = {word: t for t, words in _NOUNS.items() for word in words}
_CUE_TYPE = {
    **{k: v for k, v in _VERB_TYPE.items() if v in
       ("warning", "accusation", "denial", "threat", "appeal")},
}
_MODALS = {"would", "could", "might", "may", "should"}
_PREVENT = {"prevent", "avoid", "deter", "stop", "avert", "forestall"}
#: Heads under which an event is only intended, offered or feared ("is prepared to have
#: talks", "plans to invade").
_IRREALIS = {"prepare", "prepared", "ready", "willing", "want", "plan", "hope", "offer",
             "propose", "seek", "intend", "expect", "aim", "try", "threaten", "fear",
             "consider", "idea", "possibility", "risk", "plot"}
_SPEECH_ONLY = {"speak", "talk"}  # are meetings only with a partner ("spoke with Macron")
_TARGET_TYPES = {"military_action", "accusation", "sanction", "threat", "warning",
                 "recognition", "appeal"}


def statement_type(cue_lemma: str | None) -> str:
    """The event type a statement's cue gives: 'warned' is a warning, 'said' a statement."""
    return _CUE_TYPE.get((cue_lemma or "").lower(), "statement")


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


def _names(index: ActorIndex, tokens: list[Token]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        start = tok.left_edge.idx
        right = tok.right_edge
        for n in index.names_within(start, right.idx + len(right.text)):
            if n not in out:
                out.append(n)
    return out


def _head_names(index: ActorIndex, tok: Token) -> list[str]:
    """Actors a noun phrase refers to: its own mention and those of its conjuncts,
    not actors nested in its modifiers ("the leader of France" is the leader)."""
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        names = index.names_overlapping(t.idx, t.idx + len(t.text))
        if not names:
            names = tuple(_names(index, [t]))
        out.extend(n for n in names if n not in out)
    return out


def _flags(tok: Token) -> tuple[bool, bool]:
    negated = any(c.dep_ == "neg" for c in tok.children)
    hypothetical = any(c.lower_ in _MODALS for c in tok.children if c.dep_ == "aux")
    # An infinitive states no actual event ("lists of Ukrainians to be killed").
    hypothetical = hypothetical or any(c.tag_ == "TO" for c in tok.children
                                       if c.dep_ in ("aux", "auxpass"))
    node = tok
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
            hypothetical = True
        if node is not tok and (node.lemma_ in _PREVENT or node.lemma_ in _IRREALIS
                                or node.lower_ in _IRREALIS):
            hypothetical = True
        if node.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "xcomp", "advcl", "ccomp",
                         "acomp", "prep"):
            if node.head is node:
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                negated = negated or (tok.pos_ == "NOUN" and any(
                    c.dep_ == "neg" for c in node.children))
                hypothetical = hypothetical or any(
                    c.lower_ in _MODALS for c in node.children if c.dep_ == "aux")
            continue
        break
    return negated, hypothetical


def _subject_names(index: ActorIndex, subj: Token, resolve: Resolver | None) -> list[str]:
    """The actors a subject refers to; a pronoun subject through ``resolve``."""
    names = _head_names(index, subj)
    if not names and resolve is not None and subj.pos_ == "PRON":
        found = resolve(subj.text, subj.idx, subj.idx + len(subj.text))
        names = [found] if found else []
    return names


def _verb_roles(
    index: ActorIndex, tok: Token, etype: str, resolve: Resolver | None = None
) -> list[EventActor]:
    roles: list[EventActor] = []

    def add(names: list[str], role: str) -> None:
        for n in names:
            if not any(r.name == n for r in roles):
                roles.append(EventActor(n, role))

    subj = [c for c in tok.children if c.dep_ in ("nsubj",)]
    if not subj and tok.dep_ in ("conj", "xcomp") and tok.head.pos_ in ("VERB", "AUX"):
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
    by = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    add(_subject_names(index, subj[0], resolve) if subj else [], "agent")
    add([n for t in by for n in _head_names(index, t)], "agent")
    obj_role = "target" if etype in _TARGET_TYPES else "participant"
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            add(_head_names(index, c), obj_role)
        elif c.dep_ == "prep":
            pobj = [g for g in c.children if g.dep_ == "pobj"]
            role = {"with": "participant", "to": "recipient", "against": "target",
                    "on": "target", "between": "participant"}.get(c.lower_)
            if role and pobj:
                add([n for p in pobj for n in _head_names(index, p)], role)
    return roles


def _noun_roles(index: ActorIndex, tok: Token, etype: str) -> list[EventActor]:
    roles: list[EventActor] = []
    agent_role = "participant" if etype == "meeting" else "agent"
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            # the whole modifier: "the Biden-Putin summit" names both
            for n in _names(index, [c]) or _head_names(index, c):
                roles.append(EventActor(n, agent_role))
        elif c.dep_ == "prep":
            role = {"of": "target" if etype in _TARGET_TYPES else "participant",
                    "with": "participant", "between": "participant", "against": "target",
                    "on": "target", "by": "agent"}.get(c.lower_)
            for g in c.children:
                if role and g.dep_ == "pobj":
                    roles.extend(EventActor(n, role) for n in _head_names(index, g))
    unique: dict[str, EventActor] = {}
    for r in roles:
        unique.setdefault(r.name, r)
    return list(unique.values())


def _inside(ranges: Ranges, pos: int) -> bool:
    return pos in ranges


def find_events(
    doc: Doc,
    index: ActorIndex,
    times: Sequence[TimeExpr],
    quotes: Sequence[Quote],
    published: str | None,
    resolve: Resolver | None = None,
) -> list[Event]:
    """Statement events from ``quotes`` and typed events from verbs and nouns.

    ``resolve(text, start, end)`` names the actor a pronoun subject refers to (or None).
    """
    events: list[Event] = []
    cue_starts = set()
    for qi, q in enumerate(quotes):
        trigger = q.cue or q.content
        cue_starts.add(trigger.start)
        actors: list[EventActor] = []
        if q.speaker and q.speaker.name:
            actors.append(EventActor(q.speaker.name, "speaker"))
        if q.addressee and q.addressee.name:
            actors.append(EventActor(q.addressee.name, "addressee"))
        actors += [EventActor(n, "topic") for n in q.about if all(a.name != n for a in actors)]
        cue_tok = doc.char_span(trigger.start, trigger.end, alignment_mode="expand")
        lemma = "say"
        if cue_tok is not None and q.cue:
            lemma = cue_tok.root.lemma_.lower() if len(cue_tok) == 1 else q.cue.text.lower()
        where = q.sentence or (trigger.start, trigger.end)
        date = q.date or event_date(times, [], published)
        neg, hyp = _flags(cue_tok.root) if cue_tok is not None and q.cue else (False, False)
        events.append(Event(statement_type(lemma), lemma, trigger, where, date, tuple(actors),
                            qi, neg, hyp))

    # Reported speech is the speaker's claim, kept as the statement: no events from inside.
    quoted = Ranges((q.content.start, q.content.end) for q in quotes)
    for sent in doc.sents:
        sent_times = [i for i, t in enumerate(times) if sent.start_char <= t.start
                      < sent.end_char and not _inside(quoted, t.start)]
        for tok in sent:
            if tok.idx in cue_starts or _inside(quoted, tok.idx):
                continue
            if tok.pos_ == "VERB" and tok.lemma_.lower() in _VERB_TYPE:
                etype = _VERB_TYPE[tok.lemma_.lower()]
                roles = _verb_roles(index, tok, etype, resolve)
                if tok.lemma_.lower() in _SPEECH_ONLY and not any(
                        r.role == "participant" for r in roles):
                    continue
                predicate = tok.lemma_.lower() + (
                    " with" if any(c.lower_ == "with" for c in tok.children) else "")
            elif tok.pos_ == "NOUN" and tok.lower_ in _NOUN_TYPE:
                etype = _NOUN_TYPE[tok.lower_]
                roles = _noun_roles(index, tok, etype)
                predicate = tok.lemma_.lower()
            else:
                continue
            if not roles:
                continue
            neg, hyp = _flags(tok)
            date = event_date(times, attached_times(doc, times, sent_times, tok), published)
            events.append(Event(etype, predicate, Span(tok.text, tok.idx, tok.idx + len(tok.text)),
                                (sent.start_char, sent.end_char), date, tuple(roles), None,
                                neg, hyp))
    events.sort(key=lambda e: e.trigger.start)
    return events


def _clause(tok: Token) -> Token:
    """The verb whose clause ``tok`` belongs to (itself if it is one)."""
    node = tok
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            return node
        node = node.head
    return node


def attached_times(
    doc: Doc, times: Sequence[TimeExpr], candidates: Sequence[int], trigger: Token
) -> list[int]:
    """The candidate times that belong to the trigger's own clause, nearest first.

    "Blinken on Sunday said", "On Saturday night, both presidents spoke", "talks on
    Monday" attach; "described the calls as reports multiplied over the weekend" does not
    date the description. A trigger coordinated with a dated verb shares its time.
    """
    clause = _clause(trigger)
    heads = {clause, trigger}
    if clause.dep_ == "conj":
        heads.add(_clause(clause.head))
    out = []
    for i in candidates:
        span = doc.char_span(times[i].start, times[i].end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if _clause(root.head if root.head is not root else root) in heads or any(
                a is trigger for a in root.ancestors):
            out.append(i)
    return sorted(out, key=lambda i: abs(times[i].start - trigger.idx))
