"""Plain, frozen records that the extractors return.

Every ``start``/``end`` pair is a character offset into the article text as given
(Python ``str`` index, end exclusive), so ``text[start:end] == span.text`` always holds.
Nothing here knows about spaCy or the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Span",
    "TimeExpr",
    "Mention",
    "Actor",
    "Quote",
    "EventDate",
    "EventActor",
    "Event",
    "ParsedArticle",
    "TIME_TYPES",
    "GRANULARITIES",
    "DATE_BASES",
    "ACTOR_KINDS",
    "ROLES",
]

TIME_TYPES = ("DATE", "TIME", "DURATION", "SET")
#: How precise a resolved time is, coarsest last.
GRANULARITIES = (
    "minute",
    "hour",
    "part_of_day",
    "day",
    "week",
    "month",
    "season",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
)
#: "stated": the sentence (or its context) gives the time; "reported": the event has no
#: time of its own and carries the article's published date.
DATE_BASES = ("stated", "reported")
ACTOR_KINDS = ("person", "organization", "country", "place", "group", "product",
               "market_index", "currency", "unknown")
ROLES = ("speaker", "agent", "addressee", "recipient", "target", "participant", "topic",
         "location")


@dataclass(frozen=True)
class Span:
    """A piece of the article text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class TimeExpr:
    """A time expression and its TIMEX3 normalisation.

    ``value`` is the ISO-TimeML TIMEX3 value ("2022-02-20", "2022-02-19TNI", "P3D",
    "PRESENT_REF", "XXXX-02" when the year cannot be resolved). ``interval_start`` and
    ``interval_end`` are ISO dates or datetimes bounding a DATE/TIME (None for a
    DURATION or SET, or when unresolved); ``granularity`` is one of GRANULARITIES.
    ``resolved`` is False when the value depends on an anchor that was not known (an
    article with no published date): the value then keeps X placeholders.
    """

    text: str
    start: int
    end: int
    type: str
    value: str | None
    granularity: str | None = None
    interval_start: str | None = None
    interval_end: str | None = None
    resolved: bool = True
    mod: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "value": self.value,
            "granularity": self.granularity,
            "interval": (
                {"start": self.interval_start, "end": self.interval_end}
                if self.interval_start
                else None
            ),
            "resolved": self.resolved,
            "mod": self.mod,
        }


@dataclass(frozen=True)
class Mention:
    """A mention of an actor; ``name`` is the canonical actor it resolves to (or None)."""

    text: str
    start: int
    end: int
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "name": self.name}


@dataclass(frozen=True)
class Actor:
    """A person, organisation, country or group, with everything the article calls it."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "titles": list(self.titles),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class Quote:
    """A statement: who (speaker), the speech verb or phrase (cue), what (content).

    ``direct`` is True for quoted words. ``medium`` is how it was said ("in a letter"),
    ``addressee`` to whom, ``about`` the actors the content names. ``date`` is the
    statement's own time if its sentence or context states one, else None.
    ``speaker`` is the first (main) speaker; ``co_speakers`` are the others of a joint
    subject ("Biden and Putin approved ..."). ``sentence`` covers the cue and the
    whole content (a quotation may run over several sentences).
    """

    content: Span
    direct: bool
    speaker: Mention | None = None
    cue: Span | None = None
    medium: Span | None = None
    addressee: Mention | None = None
    about: tuple[str, ...] = ()
    date: EventDate | None = None
    sentence: tuple[int, int] | None = None
    co_speakers: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "co_speakers": [m.to_dict() for m in self.co_speakers],
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "direct": self.direct,
            "medium": self.medium.to_dict() if self.medium else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "about": list(self.about),
            "date": self.date.to_dict() if self.date else None,
            "sentence": (
                {"start": self.sentence[0], "end": self.sentence[1]} if self.sentence else None
            ),
        }


@dataclass(frozen=True)
class EventDate:
    """When an event happened: a TIMEX3 value with its interval and granularity.

    ``start``/``end`` here are ISO dates (the interval), not text offsets. ``basis`` is
    "stated" (the text gives the time; ``time`` indexes ``ParsedArticle.times``) or
    "reported" (no time is stated: the article's published date, drawn differently).
    """

    value: str
    start: str | None
    end: str | None
    granularity: str | None
    basis: str
    time: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventActor:
    name: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


@dataclass(frozen=True)
class Event:
    """An event in one sentence, with actor roles and a date (or None).

    ``type`` is kb's category (see kb/extract/events.py; "occurrence" for an open-domain
    event no category covers) and ``plover`` the PLOVER category it aligns with, if any.
    ``tml_class`` is the TimeML class of the trigger (OCCURRENCE, REPORTING, ASPECTUAL,
    STATE, I_ACTION, I_STATE, PERCEPTION); ``polarity`` POS or NEG; ``tense`` (PAST,
    PRESENT, FUTURE, NONE), ``aspect`` (PERFECTIVE, PROGRESSIVE, NONE) and ``modality``
    (the modal or intention word governing it) where the parse shows them.
    ``reported_by`` is the index (into ``ParsedArticle.quotes``) of the statement whose
    words contain this event: a claim of that speaker, not a fact the article asserts.
    ``order`` ranks the article's events by when they happened as far as the text says
    (past perfect before simple past, "after"/"before"/"then", dated before undated on
    the same day); equal ranks are not ordered.
    """

    type: str
    predicate: str
    trigger: Span
    sentence: tuple[int, int]
    date: EventDate | None
    actors: tuple[EventActor, ...] = ()
    quote: int | None = None
    negated: bool = False
    hypothetical: bool = False
    tml_class: str | None = None
    polarity: str = "POS"
    tense: str | None = None
    aspect: str | None = None
    modality: str | None = None
    plover: str | None = None
    reported_by: int | None = None
    order: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "predicate": self.predicate,
            "trigger": self.trigger.to_dict(),
            "sentence": {"start": self.sentence[0], "end": self.sentence[1]},
            "date": self.date.to_dict() if self.date else None,
            "actors": [a.to_dict() for a in self.actors],
            "quote": self.quote,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "tml_class": self.tml_class,
            "polarity": self.polarity,
            "tense": self.tense,
            "aspect": self.aspect,
            "modality": self.modality,
            "plover": self.plover,
            "reported_by": self.reported_by,
            "order": self.order,
        }


@dataclass(frozen=True)
class ParsedArticle:
    """Everything kb extracts from one article, with no database involved."""

    text: str
    published: str | None
    sentences: tuple[tuple[int, int], ...] = ()
    times: tuple[TimeExpr, ...] = ()
    actors: tuple[Actor, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "text": self.text,
            "sentences": [{"start": s, "end": e} for s, e in self.sentences],
            "times": [t.to_dict() for t in self.times],
            "actors": [a.to_dict() for a in self.actors],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "warnings": list(self.warnings),
        }
