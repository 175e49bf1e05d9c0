"""The database schema: one SQLAlchemy declarative model per table.

Everything here is portable SQL (SQLite and PostgreSQL behave the same); the only
dialect-specific objects, the full-text indexes and PostgreSQL's statistics on the
head-report condition (migration 0010), are created by the migrations.
Constraint and index names come from one naming convention so migrations can refer to
them. Every fact keeps its provenance: the article, the sentence and the character
offsets of its words in the article text.

Dates are stored as ``DATE`` intervals (first and last day, both inclusive) next to the
TIMEX3 value they were resolved from; ``date_basis`` says whether the text stated the
time ("stated") or the article's published date stands in for it ("reported");
``date_long`` marks intervals longer than 31 days (see :data:`LONG_INTERVAL_DAYS`), so
window queries can use an index range on ``date_start`` for all the others.

Each article records the extractor version that produced its facts (``extractor``;
null for facts stored before versions were recorded), so ``kb reprocess`` can find the
articles an older extractor read.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "NAMING_CONVENTION",
    "LONG_INTERVAL_DAYS",
    "Base",
    "ArticleRow",
    "SentenceRow",
    "ActorRow",
    "ActorAliasRow",
    "ActorTitleRow",
    "MentionRow",
    "EventRow",
    "EventActorRow",
    "StatementRow",
    "StatementAboutRow",
    "TimeExpressionRow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_CASCADE = "CASCADE"
#: Intervals up to this many days are "short": found by an index range on date_start.
LONG_INTERVAL_DAYS = 31


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    """One source article; ``hash`` is :attr:`kb.ingest.article.Article.id`."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    format: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: kb.extract.EXTRACTOR_VERSION of the extractor that produced the article's facts.
    extractor: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_articles_extractor", "extractor", "id"),)


class SentenceRow(Base):
    __tablename__ = "sentences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete=_CASCADE))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: A passage spans several sentences: the source of a quotation that runs over them.
    passage: Mapped[bool] = mapped_column(Boolean, server_default=false())

    __table_args__ = (Index("ix_sentences_article_start", "article_id", "start"),)


class ActorRow(Base):
    """A global actor: the same person in two articles is one row (unique ``key``)."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(400), unique=True)


class ActorAliasRow(Base):
    __tablename__ = "actor_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete=_CASCADE))
    alias: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(400), index=True)

    __table_args__ = (UniqueConstraint("actor_id", "key"),)


class ActorTitleRow(Base):
    __tablename__ = "actor_titles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete=_CASCADE))
    title: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(400))

    __table_args__ = (UniqueConstraint("actor_id", "key"),)


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete=_CASCADE))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete=_CASCADE), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id", ondelete=_CASCADE))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_mentions_actor_article", "actor_id", "article_id"),
        Index("ix_mentions_sentence_id", "sentence_id", "actor_id"),
    )


class StatementRow(Base):
    """A quote or reported statement.

    ``date_start``/``date_end`` always hold the interval the statement is filed under:
    its own stated time, or (``date_basis`` "reported") the article's published date.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete=_CASCADE), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id", ondelete=_CASCADE))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"))
    speaker_text: Mapped[str | None] = mapped_column(Text)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    cue_text: Mapped[str | None] = mapped_column(Text)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    content_text: Mapped[str] = mapped_column(Text)
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)
    direct: Mapped[bool] = mapped_column(Boolean)
    medium_text: Mapped[str | None] = mapped_column(Text)
    medium_start: Mapped[int | None] = mapped_column(Integer)
    medium_end: Mapped[int | None] = mapped_column(Integer)
    addressee_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    addressee_text: Mapped[str | None] = mapped_column(Text)
    date_value: Mapped[str | None] = mapped_column(String(64))
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_granularity: Mapped[str | None] = mapped_column(String(32))
    date_basis: Mapped[str] = mapped_column(String(16))
    date_long: Mapped[bool] = mapped_column(Boolean, server_default=false())
    #: The claim this report belongs to: the id of its head report (kb.store.consolidate).
    claim_id: Mapped[int | None] = mapped_column(Integer)
    #: How many outlets carry the claim (the same on each of its reports), kept by
    #: kb.store.consolidate whenever the claim gains or loses reports.
    sources: Mapped[int] = mapped_column(Integer, server_default="1")

    __table_args__ = (
        Index("ix_statements_speaker_date", "speaker_id", "date_start", "id", "claim_id"),
        Index("ix_statements_date", "date_long", "date_start", "date_end", "id", "claim_id"),
        Index("ix_statements_date_order", "date_start", "id", "claim_id"),
        Index("ix_statements_claim_id", "claim_id", "id"),
    )


class StatementAboutRow(Base):
    __tablename__ = "statement_about"

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete=_CASCADE), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), primary_key=True)

    __table_args__ = (Index("ix_statement_about_actor", "actor_id", "statement_id"),)


class EventRow(Base):
    """A typed event; the date interval is null when neither stated nor reported.

    ``tml_class``, ``polarity``, ``tense``, ``aspect``, ``modality`` and ``plover`` are
    those of :class:`kb.extract.types.Event`; ``reported_by_statement_id`` is the
    statement whose words contain the event (a claim of its speaker), ``order_key`` the
    event's rank in its article by when it happened (equal or null: not ordered).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete=_CASCADE), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id", ondelete=_CASCADE))
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL")
    )
    type: Mapped[str] = mapped_column(String(64))
    predicate: Mapped[str] = mapped_column(Text)
    trigger_text: Mapped[str] = mapped_column(Text)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    negated: Mapped[bool] = mapped_column(Boolean)
    hypothetical: Mapped[bool] = mapped_column(Boolean)
    date_value: Mapped[str | None] = mapped_column(String(64))
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_granularity: Mapped[str | None] = mapped_column(String(32))
    date_basis: Mapped[str | None] = mapped_column(String(16))
    date_long: Mapped[bool] = mapped_column(Boolean, server_default=false())
    tml_class: Mapped[str | None] = mapped_column(String(32))
    polarity: Mapped[str] = mapped_column(String(8), server_default="POS")
    tense: Mapped[str | None] = mapped_column(String(32))
    aspect: Mapped[str | None] = mapped_column(String(32))
    modality: Mapped[str | None] = mapped_column(Text)
    plover: Mapped[str | None] = mapped_column(String(64))
    reported_by_statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL")
    )
    order_key: Mapped[int | None] = mapped_column(Integer)
    #: The consolidated event this report belongs to: the id of its head report.
    cluster_id: Mapped[int | None] = mapped_column(Integer)
    #: How many outlets report the event (the same on each of its reports), kept by
    #: kb.store.consolidate whenever the event gains or loses reports.
    sources: Mapped[int] = mapped_column(Integer, server_default="1")

    __table_args__ = (
        Index("ix_events_type_date", "type", "date_start"),
        Index("ix_events_plover_order", "plover", "date_start", "order_key", "id", "cluster_id",
              "sources"),
        Index("ix_events_date", "date_long", "date_start", "date_end", "id", "cluster_id"),
        Index("ix_events_date_order", "date_start", "order_key", "id", "cluster_id"),
        Index("ix_events_cluster_id", "cluster_id", "id"),
        Index("ix_events_predicate_date", "predicate", "date_start", "id"),
        Index("ix_events_statement_id", "statement_id"),
    )


class EventActorRow(Base):
    __tablename__ = "event_actors"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete=_CASCADE), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_event_actors_actor", "actor_id", "event_id"),)


class TimeExpressionRow(Base):
    __tablename__ = "time_expressions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete=_CASCADE), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str | None] = mapped_column(String(64))
    granularity: Mapped[str | None] = mapped_column(String(32))
    interval_start: Mapped[str | None] = mapped_column(String(32))
    interval_end: Mapped[str | None] = mapped_column(String(32))
    resolved: Mapped[bool] = mapped_column(Boolean)
    mod: Mapped[str | None] = mapped_column(String(32))


class ArticleActorRow(Base):
    """One article's own actor (its name as the article resolved it, e.g. "Blinken") and
    the global actor it belongs to: what lets a later article move every fact of that
    name at once (late merging, curation rules) without parsing the article again.

    ``aliases`` and ``titles`` are the article's other names and titles for it, one per
    line; ``alias_keys`` their keys, each line wrapped in newlines so one key can be
    looked up with LIKE.
    """

    __tablename__ = "article_actors"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete=_CASCADE), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    aliases: Mapped[str] = mapped_column(Text, server_default="")
    alias_keys: Mapped[str] = mapped_column(Text, server_default="")
    titles: Mapped[str] = mapped_column(Text, server_default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"))

    __table_args__ = (
        Index("ix_article_actors_actor", "actor_id", "article_id"),
        Index("ix_article_actors_key", "key"),
    )


class ActorRuleRow(Base):
    """A curation rule (``kb actors merge|split|rename|alias``), applied in ``id`` order
    to every later ingest and re-extraction.

    ``action`` is "merge" (``name`` joins ``actor``), "split" (mentions written
    ``name`` leave ``actor`` for an actor of that name), "rename" (``actor`` is now
    called ``name``) or "alias" (``name`` is another name of ``actor``); ``key`` is the
    key of ``name``, ``actor_key`` that of ``actor``.
    """

    __tablename__ = "actor_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(Text)
    actor_key: Mapped[str] = mapped_column(String(400))
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActorSuffixRow(Base):
    """Index rows for short forms, so resolving one needs no scan of every actor: each
    proper word suffix of an actor's name and aliases (``form`` "tail": "blinken" of
    Antony Blinken, "security council" of UN Security Council, with the words before it
    as written in ``lead``) and their initials (``form`` "initials": "un" of United
    Nations). Kept by :func:`kb.store.names.index_names`."""

    __tablename__ = "actor_suffixes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete=_CASCADE))
    form: Mapped[str] = mapped_column(String(8))
    suffix: Mapped[str] = mapped_column(String(400))
    lead: Mapped[str] = mapped_column(String(400))

    __table_args__ = (
        UniqueConstraint("actor_id", "form", "suffix", "lead"),
        Index("ix_actor_suffixes_suffix", "suffix", "form"),
    )


class ActorCountRow(Base):
    """One actor's counts, kept at write time by :mod:`kb.store.counts` (so a profile
    need not count every fact): reports it spoke (``statements``), reports about it
    (``about``), events it takes part in, its mentions, and the articles it is in (as a
    mention, a speaker or an event's actor). Counts are of reports: a claim carried by
    three articles counts three."""

    __tablename__ = "actor_counts"

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete=_CASCADE), primary_key=True
    )
    mentions: Mapped[int] = mapped_column(Integer)
    statements: Mapped[int] = mapped_column(Integer)
    about: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    articles: Mapped[int] = mapped_column(Integer)


class ActorDayRow(Base):
    """How many of an actor's statements (as speaker) and events start on each day: its
    first and last day, and its activity over time (:mod:`kb.store.counts`)."""

    __tablename__ = "actor_days"

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete=_CASCADE), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    statements: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)


class ActorEventKindRow(Base):
    """How many events an actor takes part in, by ``facet``: "role" (``value`` the role:
    agent, target, ...) or "type" (``value`` kb's category: meeting, warning, ...)."""

    __tablename__ = "actor_event_kinds"

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete=_CASCADE), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    events: Mapped[int] = mapped_column(Integer)


class ActorPairRow(Base):
    """Two actors that share events or statements (an actor's counterparts), both ways
    round: ``events`` they both take part in, ``statements`` linking them (one spoke
    to or about the other), ``total`` the two together, indexed to read an actor's most
    frequent counterparts first."""

    __tablename__ = "actor_pairs"

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete=_CASCADE), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete=_CASCADE), primary_key=True
    )
    events: Mapped[int] = mapped_column(Integer)
    statements: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_actor_pairs_total", "actor_id", "total", "other_id"),
        Index("ix_actor_pairs_other_id", "other_id"),
    )


__all__ += [
    "ArticleActorRow",
    "ActorRuleRow",
    "ActorSuffixRow",
    "ActorCountRow",
    "ActorDayRow",
    "ActorEventKindRow",
    "ActorPairRow",
]
