"""One stored article as a reader opens it: its text and every fact found in it, with
the character offsets that place each fact in that text.

``kb serve`` shows an article with its statements, cues, contents, events and actor
mentions highlighted; the record queries (:mod:`kb.store.queries`) return the facts
without their offsets, so this module adds them, by article, in one query per kind of
fact.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kb.store.event_queries import _event_rows
from kb.store.event_queries import _records as _event_records
from kb.store.filters import SOURCE_COLUMNS, fetch_by_ids, source_record
from kb.store.models import ActorRow, ArticleRow, EventRow, MentionRow, SentenceRow, StatementRow
from kb.store.queries import _records as _statement_records
from kb.store.queries import _statement_rows

__all__ = ["article_view", "fact_article"]


def _span(start: int | None, end: int | None) -> list[int] | None:
    return None if start is None or end is None else [start, end]


def article_view(conn: Connection, article_hash: str) -> dict[str, Any] | None:
    """``{"source", "credit", "text", "statements", "events", "mentions"}`` of the
    article whose identity is ``article_hash``, or None.

    ``statements`` and ``events`` are the records of docs/records.md, in text order,
    each with ``spans``: ``{name: [start, end] | None}`` (statements: speaker, cue,
    content, medium, sentence; events: trigger, sentence); ``mentions`` are
    ``{"name", "kind", "start", "end"}`` of the actors named in the text.
    """
    a = ArticleRow
    found = conn.execute(
        select(a.id, a.text, a.credit, *SOURCE_COLUMNS).where(a.hash == article_hash)
    ).first()
    if found is None:
        return None
    row_id, text, credit = found[0], found[1], found[2]
    dialect = conn.dialect.name
    s, e, sent = StatementRow, EventRow, SentenceRow

    statement_spans = {
        r[0]: {
            "speaker": _span(r[1], r[2]),
            "cue": _span(r[3], r[4]),
            "content": _span(r[5], r[6]),
            "medium": _span(r[7], r[8]),
            "sentence": _span(r[9], r[10]),
        }
        for r in conn.execute(
            select(
                s.id, s.speaker_start, s.speaker_end, s.cue_start, s.cue_end,
                s.content_start, s.content_end, s.medium_start, s.medium_end,
                sent.start, sent.end,
            )
            .outerjoin(sent, sent.id == s.sentence_id)
            .where(s.article_id == row_id)
            .order_by(s.content_start, s.id)
        )
    }
    statements = _statement_records(
        fetch_by_ids(conn, _statement_rows(dialect), list(statement_spans))
    )
    for record in statements:
        record["spans"] = statement_spans[record["id"]]

    event_spans = {
        r[0]: {"trigger": _span(r[1], r[2]), "sentence": _span(r[3], r[4])}
        for r in conn.execute(
            select(e.id, e.trigger_start, e.trigger_end, sent.start, sent.end)
            .outerjoin(sent, sent.id == e.sentence_id)
            .where(e.article_id == row_id)
            .order_by(e.trigger_start, e.id)
        )
    }
    events = _event_records(fetch_by_ids(conn, _event_rows(dialect), list(event_spans)))
    for record in events:
        record["spans"] = event_spans[record["id"]]

    m = MentionRow
    mentions = [
        {"name": r.name, "kind": r.kind, "start": r.start, "end": r.end}
        for r in conn.execute(
            select(ActorRow.name, ActorRow.kind, m.start, m.end)
            .join(ActorRow, ActorRow.id == m.actor_id)
            .where(m.article_id == row_id)
            .order_by(m.start, m.id)
        )
    ]
    return {
        "source": source_record(found[3:]),
        "credit": credit,
        "text": text,
        "statements": statements,
        "events": events,
        "mentions": mentions,
    }


def fact_article(conn: Connection, kind: str, fact_id: int) -> str | None:
    """The identity (hash) of the article a statement or event (``kind``) was found in,
    or None when no such fact is stored."""
    model: Any = {"statement": StatementRow, "event": EventRow}[kind]
    query = (
        select(ArticleRow.hash)
        .join(model, model.article_id == ArticleRow.id)
        .where(model.id == fact_id)
    )
    return conn.execute(query).scalar()
