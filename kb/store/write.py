"""Writing one parsed article into the store: all its rows in one transaction, or none.

The article row is claimed first with ``INSERT ... ON CONFLICT DO NOTHING`` on its hash:
a second writer of the same article (another process, a re-run) finds it claimed and
reports "unchanged", and on PostgreSQL waits for the first writer's commit before doing
so. Actors are resolved by :mod:`kb.store.resolve` (in name-key order, under an advisory
lock on PostgreSQL), and the curation rules that split mentions are applied to the new
rows (:mod:`kb.store.curation`), so a re-ingested article gets the actors it had.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, union, update
from sqlalchemy.engine import Connection

from kb.errors import StoreError
from kb.extract import EXTRACTOR_VERSION
from kb.extract.types import EventDate, ParsedArticle, Span
from kb.ingest.article import Article
from kb.store.consolidate import article_groups, consolidate_article, regroup
from kb.store.counts import tally, tidy
from kb.store.curation import apply_splits, delete_orphans, load_rules, lock_actors
from kb.store.engine import insert_ignore
from kb.store.models import (
    LONG_INTERVAL_DAYS,
    ArticleActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    MentionRow,
    SentenceRow,
    StatementAboutRow,
    StatementRow,
    TimeExpressionRow,
)
from kb.store.names import name_key
from kb.store.resolve import resolve_article_actors

__all__ = ["AddResult", "add_article", "delete_article", "parse_iso_date"]

_ARTICLES = ArticleRow.__table__


@dataclass(frozen=True)
class AddResult:
    """What :meth:`kb.store.Store.add_article` did.

    ``status`` is "new", "unchanged" (the article was already stored; nothing written)
    or "replaced" (``replace=True`` and its rows were rewritten). Counts are rows
    written by this call; ``actors_added`` counts actors that did not exist before.
    """

    article: str
    status: str
    events: int = 0
    statements: int = 0
    actors_added: int = 0
    mentions: int = 0
    sentences: int = 0
    times: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_iso_date(value: str | None) -> dt.date | None:
    """The calendar day an ISO date or datetime string starts on (None if not one)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def add_article(
    conn: Connection,
    article: Article,
    parsed: ParsedArticle,
    replace: bool = False,
    extractor: str = EXTRACTOR_VERSION,
    consolidate: bool = True,
) -> AddResult:
    """Write ``article`` and everything ``parsed`` found in it, inside ``conn``'s transaction.

    ``extractor`` is the version of the extractor that produced ``parsed``, recorded
    with the article so ``kb reprocess`` can find facts an older extractor wrote.
    ``consolidate=False`` leaves the new reports alone, ungrouped: only for measuring
    what grouping costs (benchmarks/consolidation.py); ``kb reconsolidate`` mends it.
    """
    if parsed.text != article.text:
        where = article.path or article.id
        raise StoreError(
            f"{where}: the parsed text differs from the article text, so offsets would not "
            "match; parse exactly Article.text"
        )
    published = parse_iso_date(article.published or parsed.published)
    fields = {
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "credit": article.credit,
        "path": article.path,
        "line": article.line,
        "published": published,
        "format": article.format,
        "text": article.text,
        "ingested_at": dt.datetime.now(dt.UTC),
        "extractor": extractor,
    }
    claimed = insert_ignore(
        conn, _ARTICLES, {"hash": article.id, **fields}, ["hash"], [_ARTICLES.c.id]
    ).first()
    status = "new"
    old_actors: set[int] = set()
    counted: set[int] = set()
    if claimed is None:
        if not replace:
            return AddResult(article=article.id, status="unchanged")
        article_id = conn.execute(
            select(ArticleRow.id).where(ArticleRow.hash == article.id)
        ).scalar_one()
        # moves of facts (late merging, curation) recount the articles they touch: wait
        # for them, so this article's counts are not taken away twice
        lock_actors(conn)
        touched = article_groups(conn, article_id)
        counted = tally(conn, [article_id], -1)
        old_actors = _clear_article(conn, article_id)
        regroup(conn, *touched)
        conn.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(**fields))
        status = "replaced"
    else:
        article_id = claimed[0]
    result = _write_rows(conn, article_id, article.id, status, parsed, published)
    if consolidate:
        consolidate_article(conn, article_id)
    if old_actors:
        delete_orphans(conn, old_actors)
    tidy(conn, counted)
    return result


def delete_article(conn: Connection, article_hash: str) -> bool:
    """Delete the article whose identity is ``article_hash`` and every fact of it,
    inside ``conn``'s transaction: the claims and events it was part of are grouped
    again from their other reports, the actors' counts lose what it gave them, and
    actors nothing refers to any more are deleted. False when no such article is
    stored."""
    article_id = conn.execute(
        select(ArticleRow.id).where(ArticleRow.hash == article_hash)
    ).scalar()
    if article_id is None:
        return False
    lock_actors(conn)
    touched = article_groups(conn, article_id)
    counted = tally(conn, [article_id], -1)
    old_actors = _clear_article(conn, article_id)
    conn.execute(delete(ArticleRow).where(ArticleRow.id == article_id))
    regroup(conn, *touched)
    delete_orphans(conn, old_actors)
    tidy(conn, counted)
    return True


def _write_rows(
    conn: Connection,
    article_id: int,
    article_hash: str,
    status: str,
    parsed: ParsedArticle,
    published: dt.date | None,
) -> AddResult:
    text = parsed.text
    bounds = sorted(set(parsed.sentences))
    # A quotation over several sentences cites them all: one passage row spanning them.
    passages = sorted({q.sentence for q in parsed.quotes if q.sentence} - set(bounds))
    rows = [{"article_id": article_id, "start": s, "end": e, "text": text[s:e],
             "passage": False} for s, e in bounds]
    rows += [{"article_id": article_id, "start": s, "end": e, "text": text[s:e],
              "passage": True} for s, e in passages]
    row_ids = _insert_returning(conn, SentenceRow, rows)
    sentence_ids = row_ids[: len(bounds)]
    starts = [s for s, _ in bounds]
    by_bounds = dict(zip([*bounds, *passages], row_ids, strict=True))

    def sentence_of(offset: int | None, span: tuple[int, int] | None = None) -> int | None:
        if span is not None and span in by_bounds:
            return by_bounds[span]
        if offset is None or not starts:
            return None
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and bounds[i][0] <= offset < max(bounds[i][1], bounds[i][0] + 1):
            return sentence_ids[i]
        return None

    rules = load_rules(conn)
    actor_ids, added = resolve_article_actors(conn, article_id, parsed, rules)

    mentions = [
        {
            "actor_id": actor_ids[name_key(actor.name)],
            "article_id": article_id,
            "sentence_id": sentence_of(m.start),
            "start": m.start,
            "end": m.end,
            "text": m.text,
        }
        for actor in parsed.actors
        for m in actor.mentions
    ]
    if mentions:
        conn.execute(insert(MentionRow), mentions)
    times = [
        {
            "article_id": article_id,
            "text": t.text,
            "start": t.start,
            "end": t.end,
            "type": t.type,
            "value": t.value,
            "granularity": t.granularity,
            "interval_start": t.interval_start,
            "interval_end": t.interval_end,
            "resolved": t.resolved,
            "mod": t.mod,
        }
        for t in parsed.times
    ]
    if times:
        conn.execute(insert(TimeExpressionRow), times)

    def actor_of(name: str | None) -> int | None:
        return actor_ids.get(name_key(name)) if name else None

    statement_rows = []
    for q in parsed.quotes:
        speaker, addressee = q.speaker, q.addressee
        row = {
            "article_id": article_id,
            "sentence_id": sentence_of(q.content.start, q.sentence),
            "speaker_id": actor_of(speaker.name) if speaker else None,
            "speaker_text": speaker.text if speaker else None,
            "speaker_start": speaker.start if speaker else None,
            "speaker_end": speaker.end if speaker else None,
            **_span("cue", q.cue),
            **_span("content", q.content),
            "direct": q.direct,
            **_span("medium", q.medium),
            "addressee_id": actor_of(addressee.name) if addressee else None,
            "addressee_text": addressee.text if addressee else None,
            **_date_columns(q.date, published, fallback=True),
        }
        statement_rows.append(row)
    statement_ids = _insert_returning(conn, StatementRow, statement_rows)
    about = {
        (sid, actor_ids[name_key(name)])
        for sid, q in zip(statement_ids, parsed.quotes, strict=True)
        for name in q.about
        if name and name.strip()
    }
    if about:
        conn.execute(
            insert(StatementAboutRow), [{"statement_id": s, "actor_id": a} for s, a in about]
        )

    event_rows = []
    for e in parsed.events:
        statement_id = None
        if e.quote is not None and 0 <= e.quote < len(statement_ids):
            statement_id = statement_ids[e.quote]
        reported_by = None
        if e.reported_by is not None and 0 <= e.reported_by < len(statement_ids):
            reported_by = statement_ids[e.reported_by]
        event_rows.append(
            {
                "article_id": article_id,
                "sentence_id": sentence_of(e.trigger.start, tuple(e.sentence)),
                "statement_id": statement_id,
                "type": e.type,
                "predicate": e.predicate,
                "trigger_text": e.trigger.text,
                "trigger_start": e.trigger.start,
                "trigger_end": e.trigger.end,
                "negated": e.negated,
                "hypothetical": e.hypothetical,
                **_date_columns(e.date, published, fallback=False),
                "tml_class": e.tml_class,
                "polarity": e.polarity or ("NEG" if e.negated else "POS"),
                "tense": e.tense,
                "aspect": e.aspect,
                "modality": e.modality,
                "plover": e.plover,
                "reported_by_statement_id": reported_by,
                "order_key": e.order,
            }
        )
    event_ids = _insert_returning(conn, EventRow, event_rows)
    roles = {
        (eid, actor_ids[name_key(a.name)], a.role)
        for eid, e in zip(event_ids, parsed.events, strict=True)
        for a in e.actors
        if a.name and a.name.strip()
    }
    if roles:
        conn.execute(
            insert(EventActorRow),
            [{"event_id": e, "actor_id": a, "role": r} for e, a, r in sorted(roles)],
        )
    # counted before the split rules move any of its facts (they recount what they move)
    tally(conn, [article_id], 1)
    apply_splits(conn, rules, article_id)
    return AddResult(
        article=article_hash,
        status=status,
        events=len(event_ids),
        statements=len(statement_ids),
        actors_added=added,
        mentions=len(mentions),
        sentences=len(sentence_ids),
        times=len(times),
    )


def _insert_returning(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert one article's rows of ``model`` (the only rows of that article in the
    table: new, or its old ones deleted) and return their ids in the order of ``rows``.

    SQLite cannot keep RETURNING in parameter order for a batch, so SQLAlchemy would
    send one INSERT per row; there the rows go in one executemany, and since the one
    writer's rows take ids in the order they are inserted, reading the article's ids
    back in id order gives the same ids as row by row."""
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        add, ids = _inserts(model)
        conn.execute(add, rows)
        return list(conn.execute(ids, {"article": rows[0]["article_id"]}).scalars())
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return [row[0] for row in conn.execute(stmt, rows)]


@lru_cache(maxsize=8)
def _inserts(model: Any) -> tuple[Any, Any]:
    """The insert of ``model``'s rows and the read of one article's ids in id order,
    built once per table."""
    return insert(model), select(model.id).where(
        model.article_id == bindparam("article")).order_by(model.id)


def _span(prefix: str, span: Span | None) -> dict[str, Any]:
    return {
        f"{prefix}_text": span.text if span else None,
        f"{prefix}_start": span.start if span else None,
        f"{prefix}_end": span.end if span else None,
    }


def _date_columns(date: EventDate | None, published: dt.date | None, fallback: bool) -> dict:
    """Date columns; with ``fallback`` an undated fact is filed at the published date."""
    if date is not None:
        start = parse_iso_date(date.start)
        end = parse_iso_date(date.end) or start
        return {
            "date_value": date.value,
            "date_start": start,
            "date_end": end,
            "date_granularity": date.granularity,
            "date_basis": date.basis,
            "date_long": bool(start and end and (end - start).days > LONG_INTERVAL_DAYS),
        }
    if fallback:
        return {
            "date_value": published.isoformat() if published else None,
            "date_start": published,
            "date_end": published,
            "date_granularity": "day" if published else None,
            "date_basis": "reported",
            "date_long": False,
        }
    return {
        "date_value": None,
        "date_start": None,
        "date_end": None,
        "date_granularity": None,
        "date_basis": None,
        "date_long": False,
    }


def _clear_article(conn: Connection, article_id: int) -> set[int]:
    """Delete every row hanging off one article; return the actors it referenced."""
    events = select(EventRow.id).where(EventRow.article_id == article_id)
    statements = select(StatementRow.id).where(StatementRow.article_id == article_id)
    referenced = set(
        conn.execute(
            union(
                select(MentionRow.actor_id).where(MentionRow.article_id == article_id),
                select(EventActorRow.actor_id).where(EventActorRow.event_id.in_(events)),
                select(StatementAboutRow.actor_id).where(
                    StatementAboutRow.statement_id.in_(statements)
                ),
                select(StatementRow.speaker_id).where(StatementRow.article_id == article_id),
                select(StatementRow.addressee_id).where(StatementRow.article_id == article_id),
                select(ArticleActorRow.actor_id).where(ArticleActorRow.article_id == article_id),
            )
        ).scalars()
    )
    conn.execute(delete(ArticleActorRow).where(ArticleActorRow.article_id == article_id))
    conn.execute(delete(EventActorRow).where(EventActorRow.event_id.in_(events)))
    conn.execute(delete(EventRow).where(EventRow.article_id == article_id))
    conn.execute(delete(StatementAboutRow).where(StatementAboutRow.statement_id.in_(statements)))
    conn.execute(delete(StatementRow).where(StatementRow.article_id == article_id))
    conn.execute(delete(MentionRow).where(MentionRow.article_id == article_id))
    conn.execute(delete(TimeExpressionRow).where(TimeExpressionRow.article_id == article_id))
    conn.execute(delete(SentenceRow).where(SentenceRow.article_id == article_id))
    return {a for a in referenced if a is not None}
