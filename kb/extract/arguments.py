"""Event arguments: which of the article's actors take which part in an event.

Read from the dependency parse around the event's trigger, and only for mentions that
resolve to an actor of the article (:class:`~kb.extract.actors.ActorIndex`):

- ``agent``: the subject ("Boeing delivered"), a passive's "by" phrase, the subject of
  the verb an infinitive depends on ("Airbus agreed to buy"); for a noun, a possessor or
  a modifier ("Russia's invasion", "the Airbus order"), or "by X";
- ``target`` / ``participant``: the object, or a passive's subject, or a noun's "of X";
  ``target`` for hostile types (an attack, an accusation), ``participant`` otherwise;
  "with X" and "between X" are participants, "against X" and "on X" targets;
- ``recipient``: "to X" and the indirect object ("sold Delta 20 jets");
- ``location``: "in X", "at X" where X is an actor of kind country (a place).

>>> from kb.nlp import get_nlp
>>> from kb.extract.actors import find_actors
>>> doc = get_nlp()("Boeing sold Delta Air Lines 20 jets at a show in France.")
>>> index = find_actors(doc)
>>> [(a.name, a.role) for a in event_arguments(index, doc[1], "transaction")]
[('Boeing', 'agent'), ('Delta Air Lines', 'recipient'), ('France', 'location')]
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kb.extract.actors import ActorIndex
from kb.extract.categories import category
from kb.extract.types import EventActor

__all__ = ["HOSTILE_TYPES", "Resolver", "event_arguments", "head_names", "it_subject",
           "placeholder_it"]

Resolver = Callable[[str, int, int], "str | None"]
#: Types whose object is the one acted against.
HOSTILE_TYPES = frozenset({"military_action", "accusation", "sanction", "threat", "warning",
                           "recognition", "appeal", "legal_action"})
_VERB_PREP = {"with": "participant", "to": "recipient", "against": "target", "on": "target",
              "between": "participant"}
_PLACE_PREP = frozenset({"in", "at"})
_PLACE_KINDS = frozenset({"country", "place"})
_CLAUSES = frozenset({"acl", "relcl", "advcl", "ccomp", "xcomp", "csubj", "pcomp"})
#: Verbs that only carry a noun naming the event ("held talks", "staged a march", "paid
#: a visit"): their subject, partners and place are the noun's.
_SUPPORT = frozenset({"hold", "have", "open", "begin", "start", "resume", "conclude",
                      "continue", "stage", "make", "pay", "give", "take", "conduct"})


def _names(index: ActorIndex, tok: Token) -> list[str]:
    right = tok.right_edge
    return list(index.names_within(tok.left_edge.idx, right.idx + len(right.text)))


def _own_names(index: ActorIndex, tok: Token) -> tuple[str, ...]:
    return index.names_overlapping(tok.idx, tok.idx + len(tok.text))


def head_names(index: ActorIndex, tok: Token) -> list[str]:
    """Actors a noun phrase refers to: its own mention and those of its conjuncts, or
    the actor its apposition names ("Marvessa's foreign minister, Elena Marchetti" is
    Marchetti, not Marvessa), not actors nested in its modifiers ("the leader of
    France" is the leader)."""
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        names = _own_names(index, t) or tuple(
            n for c in t.children if c.dep_ == "appos" for n in _own_names(index, c)
        ) or index.names_within(t.left_edge.idx, t.idx + len(t.text))
        out.extend(n for n in names if n not in out)
    return out


def _refer(
    index: ActorIndex, tok: Token, resolve: Resolver | None, depth: int = 0
) -> list[str]:
    """The actors a subject or an object refers to: its names; else, through
    ``resolve``, a pronoun ("He then signed") or a definite description ("the company
    delivered", "the store sells"); "it" as a subject is the thing the sentence before
    was about (:func:`it_subject`)."""
    names = head_names(index, tok)
    if names or resolve is None:
        return names
    if tok.lower_ == "it" and tok.dep_ in ("nsubj", "nsubjpass"):
        return it_subject(index, tok, resolve, depth)
    if tok.pos_ == "PRON":
        found = resolve(tok.text, tok.idx, tok.idx + len(tok.text))
    else:
        found = _description(tok, resolve)
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if found is None and owner is not None:
            if owner.lower_ == "its":  # "GM recalled 1 million vehicles. Its shares fell"
                return it_subject(index, owner, resolve, depth)
            found = _description(owner, resolve)  # "the planemaker's shares fell"
    return [found] if found else []


def _description(tok: Token, resolve: Resolver) -> str | None:
    """The actor a definite description headed by ``tok`` stands for ("the company")."""
    det = next((c for c in tok.children if c.dep_ == "det" and c.i < tok.i), None)
    if tok.pos_ != "NOUN" or det is None or det.lower_ not in ("the", "this"):
        return None
    return resolve(tok.doc[det.i:tok.i + 1].text, det.idx, tok.idx + len(tok.text))


#: Kinds of actor "it" can stand for.
_THING_KINDS = frozenset({"product", "organization", "country", "group"})


#: Verbs whose "it" holds the place of a clause ("it seems that ...", "it is clear").
_PLACEHOLDER_VERBS = frozenset({"be", "seem", "appear", "happen", "remain", "matter"})
_CLAUSE_DEPS = ("ccomp", "csubj", "xcomp")


def placeholder_it(it: Token) -> bool:
    """Whether "it" only holds a clause's place: "it is expected that ...", "it seems
    that ...", "it is clear how ..."; "It said that ..." and "it has a screen" refer."""
    verb = it.head
    if it.dep_ == "expl":
        return True
    clause = any(c.dep_ in _CLAUSE_DEPS for c in verb.children)
    if clause and any(c.dep_ == "auxpass" for c in verb.children):
        return True  # "it is expected that", "it was reported that"
    if verb.lemma_.lower() not in _PLACEHOLDER_VERBS:
        return False
    return clause or any(c.dep_ in _CLAUSE_DEPS for a in verb.children
                         if a.dep_ in ("acomp", "attr") for c in a.children)


def it_subject(index: ActorIndex, it: Token, resolve: Resolver, depth: int = 0) -> list[str]:
    """What "it" as a subject stands for: the named subject of the main clause before
    it in the same sentence, else of the sentence before ("iPhone 4 has a steel frame.
    It also has a new screen"), when that is a thing (a product, an organisation, a
    country), itself resolved as a subject is ("The plane made its first flight in
    December. It carries 250 passengers": up to three sentences back); not "it" that
    only holds a clause's place ("it is expected that ...", "it is clear how ...") and
    not past a person ("Jobs demoed it. It ...": unknown)."""
    if placeholder_it(it):
        return []
    sent = it.sent
    root = sent.root
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < it.i]
    if not subjects and sent.start > 0:
        before = it.doc[sent.start - 1].sent
        subjects = [c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or depth >= 3:
        return []
    names = _refer(index, subjects[0], resolve, depth + 1)
    return names[:1] if names and index.kinds.get(names[0]) in _THING_KINDS else []


def _places(index: ActorIndex, tok: Token) -> list[str]:
    """The places a phrase names ("at a show in France" is in France, "talks in
    Aldmouth" in Aldmouth): countries, cities and regions."""
    out: list[str] = []
    for t in _phrase(tok):
        out.extend(n for n in _own_names(index, t)
                   if index.kinds.get(n) in _PLACE_KINDS and n not in out)
    return out


def _nested_places(index: ActorIndex, tok: Token) -> list[str]:
    """Places a participant phrase locates the event in: "talks between A and B in
    Aldmouth" are in Aldmouth, wherever the parse hangs "in Aldmouth"."""
    return [n for t in _phrase(tok) if t.dep_ == "prep" and t.lower_ in _PLACE_PREP
            for g in t.children if g.dep_ == "pobj" for n in _places(index, g)]


def _phrase(tok: Token) -> list[Token]:
    """The words of the phrase ``tok`` heads, without the clauses nested in it ("in
    protest at the deal being negotiated between A and B" is not in A or B)."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ not in _CLAUSES)
    return out


def _verb_arguments(
    index: ActorIndex, tok: Token, etype: str, resolve: Resolver | None
) -> list[EventActor]:
    roles: list[EventActor] = []

    def add(names: list[str], role: str) -> None:
        roles.extend(EventActor(n, role) for n in names if all(r.name != n for r in roles))

    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    if not subj and tok.dep_ in ("conj", "xcomp") and tok.head.pos_ in ("VERB", "AUX"):
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
    add(_refer(index, subj[0], resolve) if subj else [], "agent")
    add([n for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
         for n in head_names(index, g)], "agent")
    obj_role = "target" if etype in HOSTILE_TYPES else "participant"
    for c in tok.children:
        if c.dep_ == "dative":  # "sold Delta 20 jets", "sold 20 jets to Delta"
            nps = [g for g in c.children if g.dep_ == "pobj"] if c.pos_ == "ADP" else [c]
            add([n for p in nps for n in head_names(index, p)], "recipient")
        elif c.dep_ in ("dobj", "nsubjpass"):
            add(_refer(index, c, resolve), obj_role)
        elif c.dep_ == "prep":
            pobj = [g for g in c.children if g.dep_ == "pobj"]
            if c.lower_ in _PLACE_PREP:
                add([n for p in pobj for n in _places(index, p)], "location")
            elif c.lower_ in _VERB_PREP:
                add([n for p in pobj for n in head_names(index, p)], _VERB_PREP[c.lower_])
    return roles


def _support_verb(tok: Token) -> Token | None:
    """The verb that carries the event noun ``tok``, if one does: the object of a
    support verb ("held talks", "held three hours of talks", "staged a march"), or the
    purpose of a verb of its own kind ("met for a second round of talks")."""
    node = tok
    if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
        node = node.head.head  # "three hours of talks", "a round of talks"
    head = node.head
    if head.pos_ != "VERB":
        if node.dep_ == "pobj" and head.lower_ == "for" and head.head.pos_ == "VERB":
            verb = head.head  # "met for talks": the talks are the meeting
            return verb if category(verb.lemma_.lower(), "VERB").type == category(
                tok.lemma_.lower(), "NOUN").type != "occurrence" else None
        return None
    return head if node.dep_ == "dobj" and head.lemma_.lower() in _SUPPORT else None


def _noun_arguments(
    index: ActorIndex, tok: Token, etype: str, resolve: Resolver | None = None
) -> list[EventActor]:
    roles: list[EventActor] = []
    agent_role = "participant" if etype == "meeting" else "agent"
    of_role = "target" if etype in HOSTILE_TYPES else "participant"
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            # the whole modifier: "the Biden-Putin summit" names both
            roles.extend(EventActor(n, agent_role) for n in _names(index, c) or
                         head_names(index, c))
        elif c.dep_ == "prep":
            role = {"of": of_role, "with": "participant", "between": "participant",
                    "against": "target", "on": "target", "by": "agent", "to": "recipient",
                    "in": "location", "at": "location"}.get(c.lower_)
            for g in c.children:
                if role and g.dep_ == "pobj":
                    names = _places(index, g) if role == "location" else head_names(index, g)
                    roles.extend(EventActor(n, role) for n in names)
                    if role == "participant":
                        roles.extend(EventActor(n, "location") for n in _nested_places(index, g))
    verb = _support_verb(tok)
    if verb is not None:
        roles.extend(_verb_arguments(index, verb, etype, resolve))
    unique: dict[str, EventActor] = {}
    for r in roles:
        unique.setdefault(r.name, r)
    return list(unique.values())


def event_arguments(
    index: ActorIndex, tok: Token, etype: str, resolve: Resolver | None = None
) -> tuple[EventActor, ...]:
    """The actors of the event whose trigger is ``tok`` and whose kb type is ``etype``.

    ``resolve(text, start, end)`` names the actor a pronoun subject refers to (or None).
    """
    if tok.pos_ in ("NOUN", "PROPN"):
        return tuple(_noun_arguments(index, tok, etype, resolve))
    return tuple(_verb_arguments(index, tok, etype, resolve))
