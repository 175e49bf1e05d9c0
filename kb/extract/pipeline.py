"""parse_article: one article's text in, its times, actors, statements and events out.

No database is involved: this is the function behind ``kb extract`` and the first half
of ``kb ingest``.

>>> p = parse_article("On Sunday, Blinken said talks could go on.", published="2022-02-21")
>>> p.quotes[0].speaker.name, p.quotes[0].date.value
('Blinken', '2022-02-20')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from kb.errors import DateError
from kb.extract.actors import ActorIndex, find_actors
from kb.extract.arguments import it_subject
from kb.extract.coref import SPEAKS_FOR_OWNER, infer_genders, resolve_mention
from kb.extract.dates import find_times
from kb.extract.events import attached_times, event_date, find_events
from kb.extract.quotes import find_quotes
from kb.extract.ranges import Ranges
from kb.extract.triggers import find_triggers
from kb.extract.types import (
    Event,
    EventActor,
    EventDate,
    Mention,
    ParsedArticle,
    Quote,
    Span,
    TimeExpr,
)
from kb.nlp import doc_text

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = ["parse_article", "parse_doc", "coerce_date"]

#: How far back (in paragraphs) a statement may take its date from an earlier statement
#: of the same speaker ("Blinken on Sunday said ..." then "In an interview, Blinken said").
CONTEXT_PARAGRAPHS = 2
_PARA = re.compile(r"\n\s*\n")


def coerce_date(value: str | dt.date | None) -> dt.date | None:
    """A published date given as a date or as YYYY-MM-DD text; None stays None."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise DateError(f"published date {value!r} is not a date; write it as YYYY-MM-DD") from None


def parse_article(
    text: str, published: str | dt.date | None = None, *, nlp: Language | None = None
) -> ParsedArticle:
    """Parse one article: times, actors, statements (quotes) and events.

    ``published`` anchors relative dates ("on Sunday"); without it they stay unresolved
    and no event gets a date it does not state.
    """
    from kb.nlp import get_nlp

    pub = coerce_date(published)
    doc = (nlp or get_nlp())(text)
    return parse_doc(doc, pub)


def parse_doc(doc: Doc, published: dt.date | None) -> ParsedArticle:
    """The extraction proper, over an already parsed spaCy Doc (see nlp.pipe)."""
    pub_iso = published.isoformat() if published else None
    times = find_times(doc, published)
    index = find_actors(doc)
    found = find_quotes(doc)
    quoted = Ranges((q.content.start, q.content.end) for q in found if q.direct)
    genders = infer_genders(doc, index, quoted)
    subjects = _subjects(doc)
    quotes = _resolve_quotes(doc, found, index, times, quoted, genders, subjects)

    def resolve(text: str, start: int, end: int) -> str | None:
        """An event's pronoun or description ("He then signed", "the company said"),
        resolved like a speaker."""
        return resolve_mention(text, start, end, index, quoted, None, genders, subjects,
                               event=True)

    events = _with_co_speakers(
        find_events(doc, index, times, quotes, pub_iso, resolve, find_triggers(doc)), quotes
    )
    warnings = []
    if published is None:
        unresolved = sum(1 for t in times if not t.resolved)
        warnings.append(
            "no published date: "
            + (f"{unresolved} relative time expression(s) stay unresolved and " if unresolved
               else "")
            + "undated events carry no date; re-ingest with --published YYYY-MM-DD"
        )
    return ParsedArticle(
        text=doc_text(doc),
        published=pub_iso,
        sentences=tuple((s.start_char, s.end_char) for s in doc.sents),
        times=tuple(times),
        actors=index.actors,
        quotes=tuple(quotes),
        events=tuple(events),
        warnings=tuple(warnings),
    )


def _subjects(doc: Doc) -> frozenset[int]:
    return frozenset(t.idx for t in doc if t.dep_ in ("nsubj", "nsubjpass") or (
        t.dep_ == "conj" and t.head.dep_ in ("nsubj", "nsubjpass")))


def _paragraph_of(text: str) -> list[int]:
    """Start offsets of paragraphs, for paragraph-distance lookups."""
    return [0] + [m.end() for m in _PARA.finditer(text)]


def _para_index(starts: list[int], pos: int) -> int:
    i = 0
    while i + 1 < len(starts) and starts[i + 1] <= pos:
        i += 1
    return i


def _resolve_quotes(
    doc: Doc,
    quotes: Sequence[Quote],
    index: ActorIndex,
    times: Sequence[TimeExpr],
    quoted: Ranges,
    genders: dict[str, str],
    subjects: frozenset[int],
) -> list[Quote]:
    text = doc_text(doc)  # spaCy rebuilds this string on every read
    paras = _paragraph_of(text)
    out: list[Quote] = []
    previous: tuple[str | None, int, int] = (None, -10, -1)
    for q in sorted(quotes, key=lambda q: (q.cue or q.content).start):
        q = replace(q, content=_unquote(text, q.content))
        speaker = q.speaker
        para = _para_index(paras, (q.cue or q.content).start)
        if speaker is not None:
            near = previous[0] if para - previous[1] <= 1 else None
            start, end = _antecedent(doc, speaker)
            name = resolve_mention(text[start:end], start, end, index, quoted,
                                   near, genders, subjects, previous[2])
            if name is None and speaker.text.lower() == "it":
                name = _it_speaker(doc, speaker, index, quoted, genders, subjects)
            speaker = Mention(speaker.text, speaker.start, speaker.end, name)
        co = tuple(
            Mention(m.text, m.start, m.end,
                    resolve_mention(m.text, m.start, m.end, index, quoted, None, genders,
                                    subjects))
            for m in q.co_speakers)
        addressee = q.addressee
        if addressee is not None:
            addressee = Mention(addressee.text, addressee.start, addressee.end,
                                resolve_mention(addressee.text, addressee.start,
                                                addressee.end, index, quoted))
        who = speaker.name if speaker else None
        whose = {who, *(m.name for m in co)}
        about = tuple(n for n in index.names_within(q.content.start, q.content.end)
                      if n not in whose)
        date = _stated_date(doc, q, times) or _context_date(q, who, out, paras)
        out.append(replace(q, speaker=speaker, co_speakers=co, addressee=addressee,
                           about=about, date=date))
        previous = (who, para, (q.cue or q.content).start)
    return out


def _it_speaker(doc: Doc, speaker: Mention, index: ActorIndex, quoted: Ranges,
                genders: dict[str, str], subjects: frozenset[int]) -> str | None:
    """"Alaska Airlines grounded its fleet. It said ...": the organisation, product or
    country the sentence before was about, as for an event's "it" (never a person)."""
    span = doc.char_span(speaker.start, speaker.end)
    if span is None or len(span) != 1 or span[0].dep_ not in ("nsubj", "nsubjpass"):
        return None

    def resolve(text: str, start: int, end: int) -> str | None:
        return resolve_mention(text, start, end, index, quoted, None, genders, subjects)

    found = it_subject(index, span[0], resolve)
    return found[0] if found else None


_RELATIVE = frozenset(("who", "which", "that"))
_NAME_DEPS = frozenset(("compound", "det", "amod", "flat", "nmod"))


def _antecedent(doc: Doc, mention: Mention) -> tuple[int, int]:
    """Where to resolve a speaker mention: a relative pronoun ("Darrow, who said ...",
    "the ministry, which said ...") stands for the noun phrase its clause modifies; a
    body named by its possessor ("Dravonia's foreign ministry") for the possessor with
    it, as "the Kenyan government" is Kenya's; any other mention for itself."""
    span = doc.char_span(mention.start, mention.end)
    if span is None or len(span) == 0:
        return mention.start, mention.end
    if mention.text.lower() not in _RELATIVE:
        return _owner_start(span, mention.start), mention.end
    if len(span) != 1:
        return mention.start, mention.end
    clause = span[0].head
    if clause.dep_ != "relcl" or clause.head.i >= span[0].i:
        return mention.start, mention.end
    noun = clause.head
    left = noun.i  # the noun with its determiner and name words, not its possessor
    while left > 0 and doc[left - 1].head.i == noun.i and doc[left - 1].dep_ in _NAME_DEPS:
        left -= 1
    return doc[left].idx, noun.idx + len(noun)


def _owner_start(span: SpacySpan, start: int) -> int:
    """Where a body's mention starts once its named possessor is taken in ("Dravonia's"
    of "Dravonia's foreign ministry"); ``start`` for anything else."""
    root = span.root
    if root.lemma_.lower() not in SPEAKS_FOR_OWNER:
        return start
    owner = next((k for k in root.children
                  if k.dep_ == "poss" and k.i < span.start and k.pos_ == "PROPN"), None)
    return owner.left_edge.idx if owner is not None else start


def _with_co_speakers(events: list[Event], quotes: Sequence[Quote]) -> list[Event]:
    """Every speaker of a joint subject ("Biden and Putin approved ...") takes part in
    the statement's event in the role of the first: "speaker" for what was said,
    "agent" when the event is typed as the act itself (an agreement, a delivery)."""
    out = []
    for e in events:
        q = quotes[e.quote] if e.quote is not None else None
        if q is not None and q.co_speakers:
            main = q.speaker.name if q.speaker else None
            role = next((a.role for a in e.actors if a.name == main), "speaker")
            names = [a.name for a in e.actors if a.role == role]
            extra = [m.name for m in q.co_speakers if m.name and m.name not in names]
            if extra:
                rest = tuple(a for a in e.actors if a.name not in extra)
                first = tuple(a for a in rest if a.role == role)
                others = tuple(a for a in rest if a.role != role)
                added = tuple(EventActor(n, role) for n in dict.fromkeys(extra))
                e = replace(e, actors=first + added + others)
        out.append(e)
    return out


def _unquote(text: str, span: Span) -> Span:
    """The words of a quote without its outer quotation marks, spaces and a trailing comma
    that belongs to the sentence ("…forward," he said). Marks are taken off only in
    pairs: a content keeps every mark whose partner it keeps ("“A,” he said. “B.”" and
    'that ... including “targeted killings”' stay balanced)."""
    s, e = span.start, span.end
    while True:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        pair = next((p for p in _PAIRS if text.startswith(p[0], s)
                     and text.endswith(p[1], s, e)), None)
        if pair is None or e - s <= len(pair[0]) + len(pair[1]) or not _balanced(
                text[s + len(pair[0]) : e - len(pair[1])]):
            break
        s, e = s + len(pair[0]), e - len(pair[1])
    if e > s and text[e - 1] == "," and _balanced(text[s : e - 1]):
        e -= 1
    return span if (s, e) == (span.start, span.end) or s >= e else Span(text[s:e], s, e)


#: Opening and closing quotation marks taken off a quote's ends together.
_PAIRS = (("“", "”"), ("``", "''"), ("''", "''"), ('"', '"'), ("‘", "’"), ("«", "»"))


def _balanced(seg: str) -> bool:
    """Whether every opening double quotation mark in ``seg`` has its closing one."""
    depth = 0
    for ch in seg:
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and seg.count('"') % 2 == 0


def _stated_date(doc: Doc, q: Quote, times: Sequence[TimeExpr]) -> EventDate | None:
    """A time of the statement's own clause, outside its content, nearest the cue."""
    if q.sentence is None or q.cue is None:
        return None
    s, e = q.sentence
    inside = [i for i, t in enumerate(times)
              if s <= t.start < e and not (q.content.start <= t.start < q.content.end)]
    cue = doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand")
    if not inside or cue is None:
        return None
    found = event_date(times, attached_times(doc, times, inside, cue.root), None)
    return found if found and found.basis == "stated" else None


def _context_date(
    q: Quote, who: str | None, earlier: Sequence[Quote], paras: list[int]
) -> EventDate | None:
    """The date of an earlier statement by the same speaker a paragraph or two before."""
    if who is None:
        return None
    here = _para_index(paras, (q.cue or q.content).start)
    for prev in reversed(earlier):
        if prev.speaker is None or prev.speaker.name != who or prev.date is None:
            continue
        if here - _para_index(paras, (prev.cue or prev.content).start) <= CONTEXT_PARAGRAPHS:
            return prev.date
        break
    return None
