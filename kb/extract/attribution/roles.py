"""Who said it, how and to whom: the speaker, medium and addressee of a cue.

The speaker is the subject of the cue verb (following conjoined and controlled verbs
up to the verb that has one, keeping a relative pronoun, "who", as the annotation does), or the
object of "according to". The returned mention is the smallest span that names it: a
named entity inside the subject phrase ("US ambassador to the UN, Sheba Crocker" ->
"Sheba Crocker"), else the noun phrase of the subject's head ("the official", "he").
Nothing is invented: no subject, no speaker.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as Span_

from kb.extract.gazetteer import TITLE_HEADS
from kb.extract.types import Mention, Span

__all__ = [
    "speaker_token",
    "mention_of",
    "medium_of",
    "addressee_of",
    "addressed_subject",
    "addressed_name",
    "conjoined",
    "is_medium",
    "doc_ents",
]

_NAME_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_SPOKES = frozenset(("spokesman", "spokeswoman", "spokesperson", "representative"))
MEDIA = {
    "letter",
    "interview",
    "statement",
    "tweet",
    "post",
    "speech",
    "email",
    "e-mail",
    "memo",
    "op-ed",
    "editorial",
    "report",
    "press",
    "conference",
    "briefing",
    "video",
    "message",
    "remarks",
    "appearance",
    "article",
    "column",
    "blog",
    "podcast",
    "broadcast",
    "call",
    "filing",
    "testimony",
    "hearing",
    "book",
    "essay",
    "note",
    "release",
    "address",
    "announcement",
    "communique",
    "communiqué",
    "sermon",
    "newsletter",
}
#: Prepositions that introduce a medium ("in a letter", "on Twitter", "via a statement").
MEDIUM_PREPS = ("in", "on", "during", "via", "through")
_TELL = {"tell", "inform", "assure", "warn", "remind", "urge", "ask", "advise", "promise"}
_SAY_TO = {"say", "write", "speak", "explain", "complain", "talk", "announce", "declare"}


def speaker_token(cue: Token) -> Token | None:
    """The token heading the speaker phrase of ``cue``, or None."""
    if cue.lower_ == "according":
        for c in cue.children:
            if c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    if cue.pos_ == "ADP":  # a source preposition: "In a new poll, ..."
        for c in cue.children:
            if c.dep_ == "pobj":
                return c
        return None
    if cue.pos_ == "NOUN":  # "Trump's criticism of", "a claim by the campaign"
        for c in cue.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    t = cue
    for _ in range(4):
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                if c.ent_type_ in ("DATE", "TIME"):
                    return None  # a dateline ("5:45 p.m.: Trump says ..."), not a speaker
                if c.dep_ == "nsubjpass":
                    for a in t.children:
                        if a.dep_ == "agent":
                            for g in a.children:
                                if g.dep_ == "pobj":
                                    return g
                return c
            if c.dep_ == "expl":
                return None
        if t.dep_ == "relcl":
            return t.head
        if t.dep_ in ("xcomp", "conj", "advcl") and t.head is not t:
            t = t.head
            continue
        break
    return None


_ENTS_CACHE: list = [None, ()]
_NAMES_CACHE: tuple[object, tuple[tuple[int, int, Span_], ...]] = (None, ())


def _name_ents(doc: Doc) -> tuple[tuple[int, int, Span_], ...]:
    """``(start, last token, entity)`` of the entities of ``doc_ents(doc)`` labelled as
    names (:data:`_NAME_ENTS`), in order: read once per tuple of entities, not once
    per mention looked up."""
    global _NAMES_CACHE
    ents = doc_ents(doc)
    cached = _NAMES_CACHE
    if cached[0] is not ents:
        cached = (ents, tuple((e.start, e.end - 1, e) for e in ents if e.label_ in _NAME_ENTS))
        _NAMES_CACHE = cached
    return cached[1]


def doc_ents(doc: Doc, refresh: bool = False) -> tuple[Span_, ...]:
    """``doc.ents``, built once per document (spaCy rebuilds the tuple on every access,
    which made entity look-ups the slowest part of extraction); ``refresh`` rebuilds it
    (extraction starts so, in case the entities were changed since)."""
    if refresh or _ENTS_CACHE[0] is not doc:
        _ENTS_CACHE[0], _ENTS_CACHE[1] = doc, tuple(doc.ents)
    return _ENTS_CACHE[1]


def mention_of(tok: Token) -> Mention:
    """The smallest span that names the phrase headed by ``tok``."""
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    ents = [e for s, last, e in _name_ents(doc) if lo <= s and last <= hi]
    if ents:
        on_head = [e for e in ents if e.start <= tok.i < e.end]
        appos = [
            e for e in ents for c in tok.children if c.dep_ == "appos" and e.start <= c.i < e.end
        ]
        pick = (on_head or appos or [])[:1]
        if pick and pick[0].label_ != "NORP":
            e = pick[0]
            return Mention(e.text, e.start_char, e.end_char)
    if tok.pos_ == "PRON":
        return Mention(tok.text, tok.idx, tok.idx + len(tok))
    left = tok.i
    while left > lo and doc[left - 1].dep_ in ("compound", "det", "amod", "poss", "nummod"):
        if doc[left - 1].head.i not in range(left - 1, tok.i + 1):
            break
        left -= 1
        if doc[left].dep_ == "poss":
            left = doc[left].left_edge.i
    right = tok.i
    if tok.lower_ in _SPOKES:
        # "a spokesman for Acme": speaks for Acme, who is named in the mention
        for c in tok.children:
            if (
                c.dep_ == "prep"
                and c.lower_ == "for"
                and any(g.dep_ == "pobj" and g.ent_type_ in _NAME_ENTS for g in c.children)
            ):
                right = c.right_edge.i
    sp = doc[left : right + 1]
    return Mention(sp.text, sp.start_char, sp.end_char)


def medium_of(cue: Token) -> Span | None:
    """The channel stated with the cue: "in a letter", "In an interview with CNN"."""
    owners = (cue, cue.head) if cue.dep_ in ("xcomp", "conj", "parataxis", "advcl") else (cue,)
    for owner in owners:
        for c in owner.children:
            if c.dep_ != "prep" or c.lower_ not in MEDIUM_PREPS:
                continue
            if owner is not cue and c.i > cue.i:
                continue  # a phrase of the reported clause, not of the cue
            for g in c.children:
                if g.dep_ == "pobj" and g.lemma_.lower() in MEDIA:
                    # the phrase up to its noun and any "with/on/by X", not a clause
                    right = g.i
                    for k in g.children:
                        if k.i > g.i and k.dep_ in ("prep", "compound", "nummod"):
                            right = max(right, k.right_edge.i)
                    sp = cue.doc[c.i : right + 1]
                    return Span(sp.text, sp.start_char, sp.end_char)
    return None


def _party(tok: Token) -> bool:
    """Whether an object names someone who can be addressed ("warned Putin", "urged
    them"), not what was urged or promised ("promised a firm response")."""
    return (
        tok.ent_type_ in _NAME_ENTS
        or (tok.pos_ == "PRON" and tok.lower_ not in ("it", "this", "that", "what"))
        or tok.lemma_.lower() in TITLE_HEADS
    )


def addressee_of(cue: Token) -> Mention | None:
    """Whom the cue addresses: "told reporters", "said to X", "wrote to X"."""
    lemma = cue.lemma_.lower()
    for c in cue.children:
        if c.dep_ == "prep" and c.lower_ in MEDIUM_PREPS:
            # "said in a letter to Michelle Bachelet"
            for g in c.children:
                if g.dep_ == "pobj" and g.lemma_.lower() in MEDIA:
                    for k in g.children:
                        if k.dep_ == "prep" and k.lower_ == "to":
                            for o in k.children:
                                if o.dep_ == "pobj":
                                    return mention_of(o)
        if (
            lemma in _TELL
            and c.dep_ in ("dobj", "dative")
            and (
                lemma == "tell"
                or _party(c)
                or any(k.dep_ in ("xcomp", "ccomp") for k in cue.children)
            )
        ):
            return mention_of(c)  # "urged Western partners to ...", not "promised a response"
        if lemma in _SAY_TO | _TELL and c.dep_ in ("prep", "dative") and c.lower_ == "to":
            for g in c.children:
                if g.dep_ == "pobj":
                    return mention_of(g)
    return None


def is_medium(prep: Token, obj: Token) -> bool:
    """Whether ``prep`` + ``obj`` states a medium ("in a letter", "in an audio message")."""
    return prep.lower_ in MEDIUM_PREPS and obj.lemma_.lower() in MEDIA


def addressed_subject(cue: Token) -> tuple[Token, Token | None] | None:
    """A subject of the cue that names whom the statement was addressed to, with the
    sender if one is named.

    "US to UN human rights chief, Michelle Bachelet has said in a letter ...": the name
    set off by a comma right after "<sender> to <title>" is the one written to, which
    the parse takes for a subject ("US ambassador to the UN, Sheba Crocker, warned" is
    not such a case: the UN is no title). Returns (addressee, sender or None).
    """
    t = cue
    for _ in range(4):
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                found = addressed_name(c)
                if found is not None:
                    return c, found[0]
        if t.dep_ in ("xcomp", "conj", "advcl") and t.head is not t:
            t = t.head
            continue
        break
    return None


def addressed_name(tok: Token) -> tuple[Token | None] | None:
    """(sender or None,) when ``tok`` heads the name after "<sender> to <title>,"."""
    doc = tok.doc
    left = tok.left_edge.i
    if left < 3 or doc[left - 1].text != ",":
        return None
    end = doc[left - 2]
    for a in (end, *end.ancestors):
        if a.i >= left or a.right_edge.i != left - 2:
            break
        if a.dep_ == "pobj" and a.head.lower_ == "to":
            prep = a.head
            if a.pos_ != "NOUN" or a.lemma_.lower() not in TITLE_HEADS:
                return None
            sender = prep.head if prep.head.i < prep.i and prep.head.pos_ == "PROPN" else None
            return (sender,)
    return None


def conjoined(tok: Token) -> list[Token]:
    """The phrases conjoined with a speaker ("Biden and his Russian counterpart Vladimir
    Putin approved ..."): each is a speaker too."""
    return [c for c in tok.conjuncts if c.pos_ in ("PROPN", "NOUN", "PRON") and c.i > tok.i]
