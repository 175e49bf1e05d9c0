"""Assemble statements: choose the best candidates, attach speaker, cue, medium, addressee.

Each anchor keeps its best-scoring candidate content when the score is positive; the
chosen candidates are then taken best first, skipping any that overlaps one already
taken (a word belongs to at most one statement, as in the PolNeAR annotation). A
quotation left over is attached to the statement just before it when only its cue
clause stands between them ("“A,” he said. “B.”"), else returned as a direct quote
with no speaker and no cue: a speaker that cannot be found stays unknown.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kb.extract.attribution.candidates import Candidate, candidates, continues, sentence_bounds
from kb.extract.attribution.marks import find_quote_spans
from kb.extract.attribution.model import load_weights, noun_cues, prep_cues, score, uses_shape
from kb.extract.attribution.nonstatements import not_statement
from kb.extract.attribution.roles import (
    addressed_name,
    addressed_subject,
    addressee_of,
    conjoined,
    doc_ents,
    medium_of,
    mention_of,
)
from kb.extract.attribution.speakers import choose_speaker
from kb.extract.gazetteer import SPEECH_VERBS
from kb.extract.types import Mention, Quote, Span
from kb.nlp import doc_text

__all__ = ["find_quotes", "assemble", "choose", "THRESHOLD_KEY", "BONUS_KEY"]

_QUOTE_OPEN = ("“", '"', "''", "``", "‘")
#: Nouns that, set after a comma at the end of reported words, name what the writer
#: makes of them ("said Kerrin would stay Marvessan, an assurance aimed at critics";
#: "..., a swipe at ..."; "..., a claim not recognised internationally"): the writer's
#: words, not the speaker's, so the content stops before the comma.
COMMENTARY_HEADS = frozenset(
    "assurance claim swipe dig jab reference nod allusion promise pledge warning threat "
    "signal sign message remark comment charge allegation accusation admission "
    "acknowledgment acknowledgement concession rebuke retort rebuttal criticism attack "
    "reversal departure echo hint suggestion indication result".split()
)


def choose(
    doc: Doc, cands: list[Candidate], weights: dict[str, float]
) -> list[tuple[float, Candidate]]:
    """Best candidate per anchor (score above the threshold), then non-overlapping,
    best first."""
    threshold = weights.get(THRESHOLD_KEY, THRESHOLD)
    bonus = weights.get(BONUS_KEY, SPEECH_BONUS)
    best: dict[int, tuple[float, Candidate]] = {}
    for c in cands:
        s = score(weights, c.features)
        if c.anchor.lemma_.lower() in SPEECH_VERBS and c.kind.split("+")[0] in SPEECH_KINDS:
            s += bonus
        if c.kind == "dash" or (
            c.kind.startswith("colon_") and ("headline" in c.features or "transcript" in c.features)
        ):
            s = max(s, HEADLINE_SCORE)
        if s <= threshold or (c.anchor.i in best and s <= best[c.anchor.i][0]):
            continue
        if s <= NOMINAL_THRESHOLD and c.kind in NOMINAL_KINDS and _names_only(doc, c):
            continue
        if not_statement(c, weights) or (c.kind in PLACE_KINDS and _names_only(doc, c)):
            continue
        if c.kind.startswith("dobj") and _is_addressee(c):
            continue  # "warned Vladimir Putin": whom it was said to, not what
        best[c.anchor.i] = (s, c)
    taken: list[tuple[float, Candidate]] = []
    for s, c in sorted(best.values(), key=lambda x: -x[0]):
        a0, a1 = c.anchor.idx, c.anchor.idx + len(c.anchor)
        ok = True
        for _, o in taken:
            if c.start < o.end and o.start < c.end:
                ok = False
            elif (o.start <= a0 < o.end and not _wraps(o)) or (
                c.start <= o.anchor.idx < c.end and not _wraps(c)
            ):
                ok = False
            if not ok:
                break
        inside = c.start <= a0 < c.end or c.start < a1 <= c.end
        if ok and (not inside or _wraps(c)):
            taken.append((s, c))
    taken.sort(key=lambda x: x[1].start)
    return taken


def _is_addressee(c: Candidate) -> bool:
    a = addressee_of(c.anchor)
    return a is not None and c.start <= a.start and a.end >= c.end - 1


def _names_only(doc: Doc, c: Candidate) -> bool:
    """Whether a candidate's content is one named actor and nothing else."""
    return any(
        e.end_char == c.end
        and c.start <= e.start_char <= c.start + 4  # "the" may precede the name
        and e.label_ in ("PERSON", "ORG", "GPE", "NORP")
        for e in doc_ents(doc)
    )


def _wraps(c: Candidate) -> bool:
    """Whether a candidate's content may hold its own cue ("A, he said, B")."""
    return c.kind.endswith("+cont") or c.kind.startswith("head:")


def _cue_span(t: Token, text: str) -> Span:
    doc = t.doc
    toks = [t]
    if t.lower_ == "according" and t.i + 1 < len(doc):
        toks.append(doc[t.i + 1])
    toks += [c for c in t.children if c.dep_ == "prt"]
    s = min(x.idx for x in toks)
    e = max(x.idx + len(x) for x in toks)
    return Span(text[s:e], s, e)


#: Least score for a candidate to be kept (the perceptron's "none" scores 0); the
#: weights file may carry its own, chosen on held-out training articles.
THRESHOLD = -1.0
#: A content that is only a name ("sanctioned Russia", "met Macron") makes its verb a
#: statement only when the model is sure: such verbs are mostly actions on the named,
#: which the event extractor types (sanction, meeting) only when they are not statements.
NOMINAL_KINDS = frozenset(("dobj", "nsubjpass", "attr", "oprd"))
NOMINAL_THRESHOLD = 0.0
#: A name after these prepositions is where it was said, not what ("made a similar case
#: at the UN Security Council").
PLACE_KINDS = frozenset(("prep:at", "prep:in", "prep:from", "prep:during", "prep:near"))
#: Keys of the weights table that hold the threshold and the speech-verb prior.
THRESHOLD_KEY = "@threshold"
BONUS_KEY = "@speech_bonus"
SPEECH_KINDS = frozenset(("ccomp", "dobj", "quote_before", "quote_after", "head:parataxis"))
SPEECH_BONUS = 2.0
#: Score given to a headline attribution "Statement: Name" and to a signed quotation
#: "“...” ― Name" (rules, not learned: both forms are rare in the training data).
HEADLINE_SCORE = 5.0


def _speaker(c: Candidate, text: str, weights: dict[str, float]) -> Mention | None:
    if c.speaker is not None:
        ns, ne = c.speaker
        return Mention(text[ns:ne], ns, ne)
    return choose_speaker(c.anchor, weights, None if _wraps(c) else (c.start, c.end))


def _roles(
    c: Candidate, text: str, weights: dict[str, float]
) -> tuple[Mention | None, tuple[Mention, ...], Mention | None]:
    """Speaker, co-speakers and addressee of a chosen candidate. The one addressed is
    never the speaker: "US to UN human rights chief, Michelle Bachelet has said in a
    letter" is the United States writing to Bachelet (or, with no sender named, an
    unknown speaker)."""
    speaker = _speaker(c, text, weights)
    if c.speaker is not None:
        return speaker, (), None
    doc = c.anchor.doc
    addressee = addressee_of(c.anchor)
    addressed = addressed_subject(c.anchor)
    if addressed is not None:
        addressee = mention_of(addressed[0])
    span = None
    if speaker is not None:
        span = doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        found = addressed_name(span.root) if span is not None else None
        if found is not None:
            addressee = mention_of(span.root)  # type: ignore[union-attr]
            speaker, span = None, None
            if found[0] is not None:
                speaker, span = mention_of(found[0]), doc[found[0].i : found[0].i + 1]
    if speaker is not None and addressee is not None and _overlaps(speaker, addressee):
        speaker, span = None, None
    co = tuple(mention_of(t) for t in conjoined(span.root)) if span is not None else ()
    return speaker, co, addressee


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _sentences_of(sents: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The sentences from the one holding ``start`` to the one holding ``end``: a
    statement's source is the whole of its cue and content."""
    inside = [b for b in sents if b[0] < end and start < b[1]]
    return (inside[0][0], inside[-1][1]) if inside else None


def _standalone(text: str, qs: int, qe: int) -> bool:
    """A quotation that is speech, not a quoted phrase: it opens its sentence (or
    follows a colon) or closes with sentence punctuation, and has a few words."""
    if len(text[qs:qe].split()) < 4:
        return False
    before = text[:qs].rstrip()
    opens = not before or before[-1] in ".!?:\n" or text[qs - 1 : qs] == "\n"
    inner = text[qs:qe].rstrip("”\"'’ ")
    closes = bool(inner) and inner[-1] in ".!?,"
    return opens or closes


def _previous_speaker(
    text: str, qs: int, taken: list[Candidate], speakers: dict[int, Mention | None]
) -> Mention | None:
    """The speaker of the nearest statement before a free-standing quotation, when it is
    in the same or the previous paragraph (the quotation goes on with its speech)."""
    before = [c for c in taken if c.anchor.idx < qs and speakers[id(c)] is not None]
    if not before:
        return None
    c = max(before, key=lambda c: c.anchor.idx)
    if text.count("\n\n", c.anchor.idx, qs) + text.count("\n", c.anchor.idx, qs) > 3:
        return None
    return speakers[id(c)]


def _trailing_cue(doc: Doc, start: int, end: int, anchors: set[int]) -> Token | None:
    """A speech verb right after the quotation [start, end), with only its subject
    between them ("” President Kovel said"), that no statement has taken: its cue."""
    quote = doc.char_span(start, end, alignment_mode="expand")
    if quote is None:
        return None
    i = quote.end
    while i < len(doc) and doc[i].is_punct:
        i += 1
    for verb in doc[i : i + 6]:
        if verb.lemma_.lower() not in SPEECH_VERBS or verb.pos_ != "VERB" or verb.i in anchors:
            continue
        subjects = [k for k in verb.children if k.dep_ == "nsubj" and k.i < verb.i]
        if subjects and subjects[0].left_edge.i == i:
            return verb
        return None
    return None


def _before_commentary(doc: Doc, start: int, end: int, quotes: list[tuple[int, int]]) -> int:
    """Where reported words end when the writer's own gloss follows them after a comma
    (", an assurance aimed at ...", :data:`COMMENTARY_HEADS`), outside quotation marks;
    else ``end``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 6:
        return end
    for tok in span[4:-1]:
        if tok.text != "," or any(qs <= tok.idx < qe for qs, qe in quotes):
            continue
        det, head = doc[tok.i + 1], tok.nbor(2) if tok.i + 2 < len(doc) else None
        if det.lower_ in ("a", "an") and head is not None and head.i < span.end and (
                head.lower_ in COMMENTARY_HEADS or (
                    head.pos_ == "ADJ" and head.i + 1 < span.end
                    and doc[head.i + 1].lower_ in COMMENTARY_HEADS)):
            return doc[tok.i - 1].idx + len(doc[tok.i - 1].text)
    return end


def _is_direct(
    text: str, start: int, end: int, quotes: list[tuple[int, int]], cue: Span | None = None
) -> bool:
    """Whether the content is (nearly) all quotation; a cue clause between two of its
    quotations ("“A,” he said, “B.”") is not part of what was said."""
    covered = sum(max(0, min(end, qe) - max(start, qs)) for qs, qe in quotes)
    length = end - start
    if cue is not None and start < cue.start < end:
        before = max((qe for qs, qe in quotes if start <= qs and qe <= cue.start), default=None)
        after = min((qs for qs, qe in quotes if cue.end <= qs and qe <= end), default=None)
        if before is not None and after is not None:
            length -= after - before
    return covered >= 0.8 * length


def find_quotes(doc: Doc, weights: dict[str, float] | None = None) -> list[Quote]:
    """Statements (direct and indirect speech, beliefs) in a parsed article, text order.

    ``doc`` is a spaCy Doc of the whole article (titles and paragraphs as in the text).
    Every span's text equals ``doc.text[start:end]``.
    """
    weights = weights if weights is not None else load_weights()
    quotes = find_quote_spans(doc_text(doc))
    cands = candidates(doc, quotes, noun_cues(weights), uses_shape(weights), prep_cues(weights))
    return assemble(doc, quotes, cands, weights)


def assemble(
    doc: Doc, quotes: list[tuple[int, int]], cands: list[Candidate], weights: dict[str, float]
) -> list[Quote]:
    """Statements from ``doc``'s scored candidates and quotation spans (the second half
    of :func:`find_quotes`, kept apart so that training can try thresholds quickly)."""
    text = doc_text(doc)
    doc_ents(doc, refresh=True)
    bounds = sentence_bounds(doc)
    taken = [c for _, c in choose(doc, cands, weights)]
    spans = {id(c): [c.start, c.end] for c in taken}
    roles = {id(c): _roles(c, text, weights) for c in taken}
    speakers = {k: v[0] for k, v in roles.items()}
    used = [(c.start, c.end) for c in taken]
    anchors = {c.anchor.i for c in taken}
    loose: list[tuple[int, int, Token | None]] = []  # with the cue clause after it
    for qs, qe in quotes:
        if any(s < qe and qs < e for s, e in used):
            continue
        # "“A,” he said. “B.”": B continues the statement whose cue follows A
        prev = [
            c
            for c in taken
            if spans[id(c)][1] <= c.anchor.idx < qs and continues(text, spans[id(c)][1], qs)
        ]
        if prev:
            p = max(prev, key=lambda c: spans[id(c)][1])
            spans[id(p)][1] = qe
            used.append((qs, qe))
            continue
        trailing = _trailing_cue(doc, qs, qe, anchors)
        if trailing is not None or _standalone(text, qs, qe):
            loose.append((qs, qe, trailing))
    out: list[Quote] = []
    sents = sorted(set(bounds))
    for c in taken:
        s, e = spans[id(c)]
        e = _before_commentary(doc, s, e, quotes)
        cue = _cue_span(c.anchor, text)
        speaker, co, addressee = roles[id(c)]
        out.append(
            Quote(
                content=Span(text[s:e], s, e),
                direct=_is_direct(text, s, e, quotes, cue),
                speaker=speaker,
                cue=cue,
                medium=medium_of(c.anchor),
                addressee=addressee,
                sentence=_sentences_of(sents, min(s, cue.start), max(e, cue.end)),
                co_speakers=co,
            )
        )
    for qs, qe, verb in loose:
        if verb is not None:
            # "“... harbour!” President Kovel said as ...": the parser ended the
            # sentence at the quotation, so its cue clause stands alone after it
            c = Candidate(verb, "quote_before", qs, qe)
            cue = _cue_span(verb, text)
            speaker, co, addressee = _roles(c, text, weights)
            out.append(Quote(
                content=Span(text[qs:qe], qs, qe), direct=True, speaker=speaker, cue=cue,
                medium=medium_of(verb), addressee=addressee,
                sentence=_sentences_of(sents, qs, cue.end), co_speakers=co))
            continue
        out.append(
            Quote(
                content=Span(text[qs:qe], qs, qe),
                direct=True,
                speaker=_previous_speaker(text, qs, taken, speakers),
                sentence=_sentences_of(sents, qs, qe),
            )
        )
    out.sort(key=lambda q: q.content.start)
    return out
