"""Candidate attributions: a cue token and the stretch of text that could be its content.

Every verb (and adjective, and the "according" of "according to", and the learnt noun
cues and source prepositions, "In a new poll, ...") of a sentence is an anchor. Its
candidate contents come from the dependency parse: the subtree of a clausal complement,
object, attribute or prepositional object; the rest of its head clause when the anchor
is parenthetical ("The plan, he said, is bad.") or a source preposition ("In a new poll,
Clinton leads": "Clinton leads"); or a quotation right next to it ("“...,” he said.").
Each candidate carries sparse string features that
a linear model scores (see :mod:`kb.extract.attribution.model`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kb.extract.attribution.roles import doc_ents, is_medium
from kb.nlp import doc_text

__all__ = [
    "Candidate",
    "anchors",
    "candidates",
    "continues",
    "sentence_bounds",
    "span_features",
    "trim",
]

#: Dependents whose subtree can be what the anchor reports.
CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "attr", "oprd", "advcl", "parataxis", "acomp", "acl")
#: Most characters between a quotation before the cue and one after it that goes on
#: with the same statement ("“A,” he said. “B.”").
CONTINUATION_GAP = 100
#: Anchors whose relation to their head makes the head clause a candidate content.
PARENTHETICAL_DEPS = ("parataxis", "advcl", "ccomp", "conj", "dep", "npadvmod", "relcl")
_PUNCT_EDGE = set(",.;:—–-()[]")
_QUOTE_CHARS = set("“”\"'‘’`")


@dataclass
class Candidate:
    """A cue anchor with one possible content span (character offsets)."""

    anchor: Token
    kind: str
    start: int
    end: int
    features: list[str] = field(default_factory=list)
    quote: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and edge punctuation (not quotation marks) from a char span."""
    while start < end and (text[start].isspace() or text[start] in _PUNCT_EDGE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _PUNCT_EDGE):
        end -= 1
    return start, end


def anchors(
    doc: Doc, nouns: frozenset[str] = frozenset(), preps: frozenset[str] = frozenset()
) -> list[Token]:
    """Tokens that can be a cue: verbs, adjectives, "according" (to), nouns of speech or
    stance (``nouns``: "criticism", "claim") that have a complement, and prepositions
    whose object is a source (``preps``, as "preposition|object lemma": "in|poll" in
    "In a new poll, Clinton leads")."""
    out = []
    for t in doc:
        if t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ == "ROOT"):
            out.append(t)
        elif preps and t.dep_ == "prep" and prep_object(t, preps) is not None:
            out.append(t)
        elif t.pos_ == "NOUN" and t.lemma_.lower() in nouns:
            if any(c.dep_ in ("prep", "acl", "ccomp") for c in t.children):
                out.append(t)
        elif (
            t.pos_ == "ADJ"
            and t.dep_ in ("acomp", "amod")
            and any(c.dep_ in ("prep", "ccomp", "xcomp") for c in t.children)
        ):
            out.append(t)
        elif t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            out.append(t)
    return out


def prep_object(t: Token, preps: frozenset[str]) -> Token | None:
    """The object of a source preposition ("a poll" of "in a poll"), or None."""
    for c in t.children:
        if c.dep_ == "pobj" and t.lower_ + "|" + c.lemma_.lower() in preps:
            return c
    return None


def _subtree_span(tok: Token, exclude: Token | None = None) -> tuple[int, int]:
    """Char span of ``tok``'s subtree, cut before/after ``exclude``'s subtree."""
    doc = tok.doc
    left, right = tok.left_edge.i, tok.right_edge.i
    while right > left and doc[right].is_punct and not doc[right].is_quote:
        right -= 1
    if exclude is not None:
        el, er = exclude.left_edge.i, exclude.right_edge.i
        if el <= tok.i <= er:
            return tok.idx, tok.idx
        if el <= left:
            left = max(left, er + 1)
        elif er >= right:
            right = min(right, el - 1)
    doc = tok.doc
    return doc[left].idx, doc[right].idx + len(doc[right])


def _anchor_context(t: Token, subj: Token | None, lemma: str) -> list[str]:
    """Features of the anchor's surroundings that generalise across rare cue words: the
    governing word, modal, particle and controlled verb, the subject's own word, and the
    lemma's ending."""
    out = ["sfx=" + lemma[-3:]]
    if t.dep_ in ("xcomp", "ccomp", "conj", "advcl", "acl", "relcl", "pcomp") and t.head is not t:
        out.append("gov=" + t.dep_ + "|" + t.head.lemma_.lower())
    for c in t.children:
        if c.tag_ == "MD":
            out.append("modal=" + c.lower_)
        elif c.dep_ == "prt":
            out.append("prt=" + lemma + "|" + c.lower_)
        elif c.dep_ == "xcomp" and c.pos_ == "VERB":
            out.append("xc=" + lemma + "|" + c.lemma_.lower())
        elif c.dep_ == "dobj":
            out.append("obj=" + lemma + "|" + c.lemma_.lower())
    if subj is not None and subj.pos_ in ("NOUN", "PRON", "PROPN"):
        word = subj.lemma_.lower() if subj.pos_ != "PROPN" else "PROPN:" + (subj.ent_type_ or "-")
        out.append("subj_word=" + word)
    return out


#: Dependents of a noun content that a shorter variant of the content leaves out.
_NOUN_TAILS = ("relcl", "appos", "acl")
#: Prepositions after a noun whose object can be the content ("his adulation of Putin").
_NOUN_PREPS = ("of", "about", "on", "for", "against", "over")


def _noun_variants(dep: str, c: Token) -> list[tuple[str, int, int, Token | None, None]]:
    """Shorter contents: the phrase cut before a comma-set relative clause or apposition
    ("the reality of climate change, which ..."), or only the object of a noun's
    preposition ("criticism of the plan")."""
    out: list[tuple[str, int, int, Token | None, None]] = []
    doc = c.doc
    for k in doc[c.i + 1 : c.right_edge.i + 1]:
        # the first comma-set relative clause or apposition anywhere after the head
        if k.dep_ in _NOUN_TAILS and k.head.pos_ in ("NOUN", "PROPN", "PRON"):
            left = k.left_edge.i
            if left - 2 >= c.left_edge.i and doc[left - 1].text in (",", "—", "–", "("):
                s, _ = _subtree_span(c)
                end_tok = doc[left - 2]
                out.append((dep + "+cut", s, end_tok.idx + len(end_tok), c, None))
                break
    if c.pos_ not in ("NOUN", "PROPN", "PRON"):
        return out
    for k in c.children:
        if k.dep_ == "prep" and k.lower_ in _NOUN_PREPS and k.i > c.i:
            objs = [g for g in k.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                s, _ = _subtree_span(objs[0])
                _, e = _subtree_span(k)
                out.append((dep + ">of", s, e, objs[0], None))
    return out


def _medium_clause(obj: Token) -> list[tuple[str, int, int, Token | None, None]]:
    """The clause a medium noun carries in the parse ("in a letter that troops are ..."),
    when it has a subject of its own (a reported clause, not a relative one)."""
    out: list[tuple[str, int, int, Token | None, None]] = []
    for k in obj.children:
        if (
            k.i > obj.i
            and k.dep_ in ("relcl", "acl", "ccomp")
            and any(
                g.dep_ in ("nsubj", "nsubjpass") and g.lower_ not in ("that", "which", "who")
                for g in k.children
            )
        ):
            out.append(("ccomp", *_subtree_span(k), k, None))
    return out


def _after_colon(
    t: Token, bounds: list[tuple[int, int]]
) -> list[tuple[str, int, int, Token | None, None]]:
    """A cue that a colon follows ("He added: ...", "asked:") introduces the rest of the
    colon's sentence (or the next sentence, when the colon ends one)."""
    doc = t.doc
    k = t.i + 1
    while k < len(doc) and doc[k].dep_ in ("prt", "advmod", "npadvmod") and k - t.i < 3:
        k += 1
    if k + 1 >= len(doc) or doc[k].text != ":":
        return []
    start = doc[k + 1].idx
    end = bounds[k + 1][1]
    # a line break between the colon and what follows ends the statement there (read
    # from the tokens: spaCy rebuilds doc.text from every token on each access)
    if "\n" in doc[k].whitespace_ or (doc[k + 1].is_space and "\n" in doc[k + 1].text):
        return []
    return [("colon_next", start, end, None, None)] if end > start else []


def _bucket(n: int) -> str:
    return str(min(6, int(math.log2(n + 1))))


def _subject(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c
    if t.dep_ in ("xcomp", "conj", "advcl") and t.head is not t:
        for c in t.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def _subject_kind(s: Token | None) -> str:
    if s is None:
        return "none"
    if s.pos_ == "PRON":
        return "pron:" + s.lower_
    if s.ent_type_:
        return "ent:" + s.ent_type_
    return "pos:" + s.pos_


def _quote_of(pos: int, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    for q in quotes:
        if q[0] <= pos < q[1]:
            return q
    return None


def continues(text: str, end: int, start: int) -> bool:
    """Whether a quotation at ``start`` goes on with the statement ending at ``end``: only
    a short cue clause closing its sentence stands between ("“A,” he said. “B.”"), or,
    after a quotation, a cue clause set off by commas ("“A,” he said, “B.”")."""
    gap = text[end:start]
    last = gap.rstrip()[-1:]
    return (
        start - end < CONTINUATION_GAP
        and "\n" not in gap
        and (last in (".", ":") or (last == "," and end > 0 and text[end - 1] in _QUOTE_CHARS))
        and not any(ch in gap for ch in '“”"')
    )


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each token's sentence, indexed by token."""
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        out.extend([(sent.start_char, sent.end_char)] * len(sent))
    return out


def _near_quotes(
    t: Token, text: str, quotes: list[tuple[int, int]], sent_start: int
) -> list[tuple[str, tuple[int, int]]]:
    """Quotations adjacent to the anchor's clause, before or after it, same paragraph."""
    out = []
    for q in quotes:
        if q[1] <= t.idx:
            gap = text[q[1] : t.idx]
            if "\n" not in gap and len(gap) < 60 and (q[1] >= sent_start or len(gap) < 3):
                out.append(("quote_before", q))
        elif q[0] >= t.idx + len(t):
            gap = text[t.idx + len(t) : q[0]]
            if "\n" not in gap.strip() and len(gap) < 40 and not any(p in gap for p in ".!?"):
                out.append(("quote_after", q))
    return out


def candidates(
    doc: Doc,
    quotes: list[tuple[int, int]],
    nouns: frozenset[str] = frozenset(),
    shape: bool = True,
    preps: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Every (anchor, content) candidate of ``doc`` with its features; ``shape`` adds
    the :func:`span_features` (left out for a model that has no weights for them, which
    saves their cost); ``nouns`` and ``preps`` are the learnt noun and preposition cues
    (see :func:`anchors`)."""
    text = doc_text(doc)
    bounds = sentence_bounds(doc)
    first_line_end = text.find("\n") if "\n" in text else len(text)
    out: list[Candidate] = []
    for t in anchors(doc, nouns, preps):
        in_quote = _quote_of(t.idx, quotes) is not None
        subj = _subject(t)
        skind = _subject_kind(subj)
        lemma = t.lemma_.lower()
        neg = any(c.dep_ == "neg" for c in t.children)
        base = [
            "bias",
            "lemma=" + lemma,
            "tag=" + t.tag_,
            "dep=" + t.dep_,
            "subj=" + skind,
            "subj_any=" + ("no" if subj is None else "yes"),
            "lemma_subj=" + lemma + "|" + ("no" if subj is None else "yes"),
            "head_pos=" + t.head.pos_,
            "in_quote=" + str(in_quote),
            "title=" + str(t.idx < first_line_end),
            "neg=" + str(neg),
        ]
        base += _anchor_context(t, subj, lemma)
        raw: list[tuple[str, int, int, Token | None, tuple[int, int] | None]] = []
        source_prep = t.pos_ == "ADP"
        for c in t.children if not source_prep else ():
            dep = c.dep_
            if dep in CONTENT_DEPS:
                raw.append((dep, *_subtree_span(c), c, None))
                raw.extend(_noun_variants(dep, c))
            elif dep == "prep":
                objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                if objs and is_medium(c, objs[0]):
                    # "said in an audio message that his men ...": the medium is not
                    # what was said; the clause the parse hangs on it is
                    raw.extend(_medium_clause(objs[0]))
                elif objs and lemma != "accord":
                    s, _ = _subtree_span(objs[0])
                    _, e = _subtree_span(c)
                    raw.append(("prep:" + c.lower_, s, e, objs[0], None))
            elif dep == "nsubjpass" and c.i < t.i:
                # "The nominee has been endorsed by ...": the passive subject is what
                # the (agent) speaker endorses, supports, reports
                raw.append((dep, *_subtree_span(c), c, None))
        raw.extend(_after_colon(t, bounds))
        if lemma == "accord" or source_prep or t.dep_ in PARENTHETICAL_DEPS:
            head = t.head
            if lemma == "accord" or source_prep:
                head = t.head if t.head is not t else t
                while head.dep_ == "prep" and head.head is not head:
                    head = head.head
            if head is not t:
                s, e = _subtree_span(head, exclude=t)
                raw.append(("head:" + t.dep_, s, e, head, None))
        for kind, q in _near_quotes(t, text, quotes, bounds[t.i][0]):
            raw.append((kind, q[0], q[1], None, q))
        more: list[tuple[str, int, int, Token | None, tuple[int, int] | None]] = []
        for kind, s, e, ch, qq in raw:
            s2, e2 = trim(text, s, e)
            if s2 < e2 <= t.idx:
                # a clause inside a quotation ends where the quotation does
                e2 = next((qe for qs, qe in quotes if qs < e2 < qe <= t.idx), e2)
                nxt = [x for x in quotes if x[0] > t.idx and continues(text, e2, x[0])]
                if nxt:
                    more.append((kind + "+cont", s, nxt[0][1], ch, qq))
        for kind, s, e, ch, qq in raw + more:
            s, e = trim(text, s, e)
            if e <= s:
                continue
            if qq is None:
                # a span that runs into a quotation takes the whole quotation
                for qs, qe in quotes:
                    if qs < e < qe and qs >= s:
                        e = qe
                    if qs < s < qe and qe <= e:
                        s = qs
            n_tok = len(text[s:e].split())
            seg = text[s:e]
            first = seg[0] if seg[0] in _QUOTE_CHARS else seg.split(None, 1)[0].lower()
            feats = base + [
                "kind=" + kind,
                "lemma_kind=" + lemma + "|" + kind,
                "dep_kind=" + t.dep_ + "|" + kind,
                "subj_kind=" + skind.split(":")[0] + "|" + kind,
                "len=" + _bucket(n_tok),
                "kind_len=" + kind + "|" + _bucket(n_tok),
                "first=" + (first if first in _FIRST_WORDS else "other"),
                "kind_first=" + kind + "|" + (first if first in _FIRST_WORDS else "other"),
                "side=" + ("before" if e <= t.idx else "after" if s >= t.idx else "around"),
                "has_quote=" + str(any(x in _QUOTE_CHARS for x in seg[:1] + seg[-1:])),
                "tag_kind=" + t.tag_ + "|" + kind,
            ]
            feats += [
                "lemma_skind=" + lemma + "|" + skind.split(":")[0],
                "lemma_inq=" + lemma + "|" + str(in_quote),
                "cont=" + str(kind.endswith("+cont")),
            ]
            fw = first if first in _FIRST_WORDS else "other"
            feats += [
                "lemma_first=" + lemma + "|" + fw,
                "dist=" + _bucket(abs(len(text[min(e, t.idx) : max(s, t.idx)].split()))),
            ]
            if shape:
                feats += span_features(text, s, e, kind, bounds[t.i])
            if ch is not None:
                feats += [
                    "child_tag=" + kind + "|" + ch.tag_,
                    "lemma_ctag=" + lemma + "|" + ch.tag_,
                    "ch_lemma=" + kind.split("+")[0] + "|" + ch.lemma_.lower(),
                    "ch_ent=" + kind.split("+")[0] + "|" + (ch.ent_type_ or "-"),
                ]
            out.append(Candidate(t, kind, s, e, feats, qq))
    out.extend(_colon_candidates(doc, text))
    out.extend(_dash_candidates(doc, text, quotes))
    return out


def _char_class(ch: str) -> str:
    """A character's kind for the span features: quote, punctuation mark, end, word."""
    if not ch:
        return "end"
    if ch in _QUOTE_CHARS:
        return "q"
    if ch.isspace():
        return "nl" if ch == "\n" else "sp"
    if ch.isalnum():
        return "w"
    return ch if ch in ".,;:?!—–-()" else "p"


def span_features(text: str, s: int, e: int, kind: str, sent: tuple[int, int]) -> list[str]:
    """Features of a content span's own shape: the characters at and around its edges,
    whether it is a whole quotation, its commas, whether it reaches past its cue's
    sentence or stops short of the sentence's end.

    >>> span_features("He said “we won”, smiling.", 8, 16, "dobj", (0, 26))[:3]
    ['last=q', 'next=,', 'prev=sp']
    """
    seg = text[s:e]
    nxt = text[e : e + 1]
    k = kind.split("+")[0]
    rest = text[e : sent[1]].strip()
    shape = [
        "last=" + _char_class(seg[-1:]),
        "next=" + _char_class(nxt),
        "prev=" + _char_class(text[s - 1 : s] if s > 0 else ""),
        "quoted=" + str(seg[:1] in _QUOTE_CHARS and seg[-1:] in _QUOTE_CHARS),
        "commas=" + str(min(3, seg.count(","))),
        "past_sent=" + str(s < sent[0] or e > sent[1]),
        "sent_rest=" + ("0" if not rest or rest in ".?!\"”'" else _bucket(len(rest.split()))),
    ]
    return shape + [k + "|" + f for f in shape[:2] + shape[5:]]


_SIGNATURE = re.compile(r"[ \t\u00a0]*([―—–]|--?)[ \t\u00a0]*([^\n]{1,60}?)[ \t\u00a0.]*(?=\n|$)")


def _dash_candidates(doc: Doc, text: str, quotes: list[tuple[int, int]]) -> list[Candidate]:
    """Signed quotations: "“We deserve better.” ― Sonya Herridge"."""
    out = []
    for qs, qe in quotes:
        m = _SIGNATURE.match(text, qe)
        if not m:
            continue
        name = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
        dash = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if name is None or dash is None:
            continue
        words = [x for x in name if not x.is_space and not x.is_punct]
        if not 1 <= len(words) <= 5 or not words[0].text[:1].isupper():
            continue
        ns, ne = trim(text, m.start(2), m.end(2))
        feats = ["bias", "kind=dash", "len=" + _bucket(len(text[qs:qe].split()))]
        out.append(Candidate(dash[0], "dash", qs, qe, feats, (qs, qe), (ns, ne)))
    return out


def _name_words(doc: Doc, skip: tuple[int, int]) -> frozenset[str]:
    """Words of the person and organisation names found outside the line ``skip``."""
    return frozenset(
        w.lower_
        for e in doc_ents(doc)
        if e.label_ in ("PERSON", "ORG") and not skip[0] <= e.start_char < skip[1]
        for w in e
        if not w.is_punct
    )


def _colon_candidates(doc: Doc, text: str) -> list[Candidate]:
    """Headline attributions: "Biden Ready To Talk: Blinken", "Caddell: Voters Worried",
    and transcript lines: "PENCE: Well, look, ...".

    The name must be one the article names elsewhere (every word of it in a person or
    organisation name): "Russia-Ukraine Tensions: What We Know" and "Live Updates:
    Biden Warns Putin" are headlines, not statements.
    """
    out = []
    known: dict[tuple[int, int], frozenset[str]] = {}
    for t in doc:
        if t.text != ":":
            continue
        ls = text.rfind("\n", 0, t.idx) + 1
        le = text.find("\n", t.idx)
        le = len(text) if le < 0 else le
        after = doc.char_span(t.idx + 1, le, alignment_mode="contract")
        before = doc.char_span(ls, t.idx, alignment_mode="contract")
        if after is None or before is None or not len(after) or not len(before):
            continue
        for kind, name, content in (
            ("colon_after", after, before),
            ("colon_before", before, after),
        ):
            names = [x for x in name if not x.is_punct]
            if len(content) < 3 or not names:
                continue
            shaped = len(names) <= 4 and all(
                x.pos_ == "PROPN" or (kind == "colon_after" and x.text[:1].isupper()) for x in names
            )
            loose = kind == "colon_before" and _loose_name(names)
            if not shaped and not loose:
                continue
            if (ls, le) not in known:
                known[(ls, le)] = _name_words(doc, (ls, le))
            if not shaped or not all(x.lower_ in known[(ls, le)] for x in names):
                # a loose opening must name someone the article names elsewhere
                # ("Clinton camp:"); "Russia-Ukraine Tensions: What We Know" names no one
                if loose and any(x.lower_ in known[(ls, le)] for x in names):
                    out.append(_loose_colon(t, text, name, content, names, known[(ls, le)], ls))
                continue
            s, e = trim(text, content.start_char, content.end_char)
            ns, ne = trim(text, name.start_char, name.end_char)
            while ns < ne and text[ns] in _QUOTE_CHARS:
                ns += 1
            n_tok = len(text[s:e].split())
            feats = ["bias", "kind=" + kind, "len=" + _bucket(n_tok), "title=" + str(ls == 0)]
            if len(text[ls:le].split()) <= 25 and "." not in text[s:e].rstrip("."):
                feats.append("headline")
            if kind == "colon_before" and all(x.text.isupper() for x in names):
                feats.append("transcript")  # "PENCE: Well, look, ..."
            out.append(Candidate(t, kind, s, e, feats, None, (ns, ne)))
    return out


def _loose_name(names: list[Token]) -> bool:
    """A line opening that may name a speaker though not every word is a known name
    ("Clinton camp:", "NY Daily News:", "OK Gov Fallin:"): at most five words, the
    first capitalised, none a verb (and, checked by the caller, one of them a word of a
    person or organisation the article names elsewhere)."""
    return (
        len(names) <= 5
        and names[0].text[:1].isupper()
        and not any(x.pos_ in ("VERB", "AUX") for x in names)
    )


def _loose_colon(
    t: Token, text: str, name, content, names: list[Token], known: frozenset[str], ls: int
) -> Candidate:
    """A "Name: content" line whose name is not sure: scored by the model (never the
    fixed headline score), with how much of the name the article names elsewhere."""
    s, e = trim(text, content.start_char, content.end_char)
    ns, ne = trim(text, name.start_char, name.end_char)
    while ns < ne and text[ns] in _QUOTE_CHARS:
        ns += 1
    n_known = sum(x.lower_ in known for x in names)
    propn = sum(x.pos_ == "PROPN" for x in names)
    feats = [
        "bias",
        "kind=colon_loose",
        "len=" + _bucket(len(text[s:e].split())),
        "title=" + str(ls == 0),
        "loose_known=" + ("all" if n_known == len(names) else "some" if n_known else "none"),
        "loose_propn=" + ("all" if propn == len(names) else "some" if propn else "none"),
        "loose_caps=" + str(all(x.text.isupper() for x in names)),
        "loose_words=" + str(len(names)),
        "loose_quoted=" + str(text[s : s + 1] in _QUOTE_CHARS),
    ]
    return Candidate(t, "colon_loose", s, e, feats, None, (ns, ne))


_FIRST_WORDS = {
    "that",
    "to",
    "the",
    "a",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "if",
    "whether",
    "how",
    "what",
    "why",
    "who",
    "when",
    "“",
    '"',
    "''",
}
