"""The store: parsed articles in SQLite or PostgreSQL, and the queries over them.

One :class:`Store` wraps one database. Writing is per article and atomic; reading
returns the plain dicts of docs/records.md, so the command line, the graph and the
exports never see the ORM. The store never imports spaCy.

>>> store = Store.open("sqlite://")
>>> store.actors()
[]
>>> store.close()
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url

from kb.collector import collecting_later
from kb.config import database_url
from kb.errors import StoreError
from kb.extract import EXTRACTOR_VERSION
from kb.extract.types import ParsedArticle
from kb.ingest.article import Article
from kb.store.actors import (
    actor_activity,
    actor_profile,
    actor_records,
    article_records,
    article_summary,
    require_actor_names,
    resolve_actor_names,
)
from kb.store.article_view import article_view, fact_article
from kb.store.articles import article_count, load_article, stale_articles
from kb.store.consolidate import Rebuilt, rebuild
from kb.store.counts import recount
from kb.store.curation import add_rule, rule_records
from kb.store.engine import make_engine, run_write
from kb.store.errors import translated
from kb.store.graph_rows import GraphFacts, graph_facts, graph_records
from kb.store.migrate import ensure_schema, upgrade
from kb.store.queries import event_ids, event_records, statement_ids, statement_records
from kb.store.reports import group_reports
from kb.store.write import AddResult, add_article, delete_article

__all__ = ["Store", "AddResult", "PAGE_SIZE", "upgrade"]

#: The page size for interactive listings (``kb said``, ``kb events``): the newest
#: PAGE_SIZE facts come back in milliseconds even from millions.
PAGE_SIZE = 100

F = TypeVar("F", bound=Callable[..., Any])


def _database_errors(method: F) -> F:
    """Driver and SQLAlchemy errors raised by ``method`` become one-line StoreErrors."""

    @functools.wraps(method)
    def run(self: Store, *args: Any, **kwargs: Any) -> Any:
        with translated(self.url):
            return method(self, *args, **kwargs)

    return run  # type: ignore[return-value]


class Store:
    """A kb database. Create with :meth:`Store.open`; usable as a context manager."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string()
        with translated(self.url):
            self._fts = self._has_fulltext()

    @classmethod
    def open(cls, url: str | None = None, create: bool = True) -> Store:
        """Open the database at ``url`` (flag > ``$KB_DATABASE_URL`` > ``kb.sqlite``).

        With ``create`` a new or older database is migrated to the current schema;
        without (what read-only commands use), nothing is created or changed: a missing
        SQLite file or a database that is not current raises
        :class:`kb.errors.StoreError` saying what to run. Every database failure is a
        StoreError naming the database and the likely fix.
        """
        full = database_url(url)
        shown = make_url(full).render_as_string(hide_password=True)
        if not create:
            _require_sqlite_file(full, shown)
        with translated(shown):
            engine = make_engine(full)
            try:
                ensure_schema(engine, create=create)
                return cls(engine)
            except BaseException:
                engine.dispose()
                raise

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _has_fulltext(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            return True
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                return inspect(conn).has_table("statements_fts")
        return False

    # -- writing -------------------------------------------------------------------

    @_database_errors
    def add_article(
        self,
        article: Article,
        parsed: ParsedArticle,
        replace: bool = False,
        extractor: str = EXTRACTOR_VERSION,
    ) -> AddResult:
        """Store one article and its facts in one transaction (all rows or none).

        An article already stored (same :attr:`Article.id`) is left alone and reported
        "unchanged", unless ``replace`` is set: then its rows are replaced atomically
        (used when re-ingesting with a different published date, and by ``kb
        reprocess``). ``extractor`` is the version of the extractor that produced
        ``parsed`` (recorded with the article). Transient lock and serialization
        failures are retried.
        """
        return run_write(
            self.engine, lambda conn: add_article(conn, article, parsed, replace, extractor)
        )

    @_database_errors
    def delete_article(self, article_id: str) -> bool:
        """Delete the stored article whose identity (:attr:`Article.id`) is
        ``article_id`` and every fact of it, in one transaction; claims, events and the
        actors' counts are kept right (:func:`kb.store.write.delete_article`). False
        when no such article is stored."""
        return run_write(self.engine, lambda conn: delete_article(conn, article_id))

    @_database_errors
    def reconsolidate(self, progress: Callable[[int, int], None] | None = None) -> Rebuilt:
        """Group every stored report into claims and consolidated events again, from
        the reports alone (:func:`kb.store.consolidate.rebuild`), and count every
        actor's reports again (:func:`kb.store.counts.recount`), in one transaction."""

        def work(conn: Any) -> Rebuilt:
            done = rebuild(conn, progress)
            recount(conn)
            return done

        return run_write(self.engine, work)

    # -- reading -------------------------------------------------------------------

    @_database_errors
    def statements(
        self,
        who: str | Iterable[str] | None = None,
        about: str | Iterable[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        contains: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        reports: bool = False,
        min_sources: int = 1,
    ) -> list[dict[str, Any]]:
        """Statement records: by speaker (``who``), topic actor (``about``), date window,
        words in the content (``contains``, full-text), claims carried by at least
        ``min_sources`` outlets. One record per claim (the first report of a statement,
        with ``reports`` and ``sources``), or with ``reports`` one per report.

        Ordered by date, oldest first (``newest_first`` reverses it), undated last;
        ``limit`` and ``offset`` select one page of that order (``limit=None``: all).
        A page costs about the same however many statements match; see
        :data:`PAGE_SIZE` for the page size interactive callers should use.
        """
        with self.engine.connect() as conn:
            return statement_records(
                conn,
                self._fts,
                who=_as_list(who),
                about=_as_list(about),
                since=since,
                until=until,
                contains=contains,
                limit=limit,
                offset=offset,
                newest_first=newest_first,
                reports=reports,
                min_sources=min_sources,
            )

    @_database_errors
    def events(
        self,
        actors: str | Iterable[str] | None = None,
        types: str | Iterable[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sources: str | Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        plover: str | Iterable[str] | None = None,
        reports: bool = False,
        min_sources: int = 1,
    ) -> list[dict[str, Any]]:
        """Event records involving any of ``actors``, of any of ``types`` and of any of
        the PLOVER categories ``plover``, overlapping the date window, from any of
        ``sources`` (article ids or paths), reported by at least ``min_sources``
        outlets; ordered and paged like :meth:`statements`,
        events of one day in the order their article gives them. One record per
        consolidated event (with ``reports`` and ``sources``), or with ``reports`` one
        per report."""
        with self.engine.connect() as conn:
            return event_records(
                conn,
                actors=_as_list(actors),
                types=_as_list(types),
                since=since,
                until=until,
                sources=_as_list(sources),
                plover=_as_list(plover),
                limit=limit,
                offset=offset,
                newest_first=newest_first,
                reports=reports,
                min_sources=min_sources,
            )

    @_database_errors
    def statement_ids(self, **filters: Any) -> list[int]:
        """The ids of the statements :meth:`statements` lists for the same ``filters``,
        in its order: an index-only query, for callers that count or aggregate over a
        view (kb serve's facets) without its records."""
        with self.engine.connect() as conn:
            return statement_ids(conn, self._fts, **_listed(filters, ("who", "about")))

    @_database_errors
    def event_ids(self, **filters: Any) -> list[int]:
        """The ids of the events :meth:`events` lists for the same ``filters``, in its
        order (see :meth:`statement_ids`)."""
        with self.engine.connect() as conn:
            return event_ids(
                conn, **_listed(filters, ("actors", "types", "sources", "plover")))

    @_database_errors
    def actors(self) -> list[dict[str, Any]]:
        """Every actor record, ordered by name."""
        with self.engine.connect() as conn:
            return actor_records(conn)

    @_database_errors
    def actor_profile(self, name: str, limit: int | None = None) -> dict[str, Any]:
        """``{"actor", "statements", "events", "counterparts"}`` for the actor ``name``
        names; :class:`kb.errors.StoreError` when it names none or several.

        With ``limit``, only the newest ``limit`` statements and events are listed (still
        oldest first); the actor record's counts always count them all.
        """
        with self.engine.connect() as conn:
            return actor_profile(conn, self._fts, name, limit)

    @_database_errors
    def actor_activity(self, name: str) -> list[dict[str, Any]]:
        """``{"day", "statements", "events"}`` per day the actor ``name`` names was
        active, oldest first, counting every report (kept at write time): what a
        histogram of its activity over time is drawn from."""
        with self.engine.connect() as conn:
            return actor_activity(conn, name)

    @_database_errors
    def graph_records(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        names: Iterable[str] = (),
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """``(events, statements, actors)``: what the graph of the period ``[since,
        until]`` is built from, read lean, as records (:meth:`graph_facts`, the same
        facts as tuples; ``names``: the actors an ``--actor`` filter names).
        ``kb.graph.build_graph`` of them with the period's filters is the graph built
        from every record."""
        with collecting_later(), self.engine.connect() as conn:
            return graph_records(conn, since, until, list(names))

    @_database_errors
    def graph_facts(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        names: Iterable[str] = (),
    ) -> GraphFacts:
        """What the graph of the period ``[since, until]`` is built from, read lean
        (:func:`kb.store.graph_rows.graph_facts`), as the tuples of :mod:`kb.facts`:
        what :func:`kb.graph.period_graph` builds the graph from."""
        with collecting_later(), self.engine.connect() as conn:  # tens of thousands of
            return graph_facts(conn, since, until, list(names))  # tuples (kb.collector)

    @_database_errors
    def resolve_actor(self, name: str) -> list[str]:
        """Canonical names of actors whose name or alias is ``name`` (case-insensitive)."""
        with self.engine.connect() as conn:
            return resolve_actor_names(conn, name)

    @_database_errors
    def require_actors(self, names: Iterable[str]) -> None:
        """Raise :class:`kb.errors.NotFoundError`, with the nearest names, when one of
        ``names`` names no actor (by name or alias, case-insensitive)."""
        with self.engine.connect() as conn:
            require_actor_names(conn, names)

    @_database_errors
    def add_actor_rule(self, action: str, actor: str, name: str) -> dict[str, Any]:
        """Record a curation rule and apply it now and to every later ingest
        (:mod:`kb.store.curation`): "merge" (``name`` joins ``actor``), "split"
        (``actor``'s mentions written ``name`` go to an actor of that name), "rename"
        (``actor`` is now called ``name``) or "alias" (``name`` is another name of
        ``actor``). Returns the rule's record."""
        return run_write(self.engine, lambda conn: add_rule(conn, action, actor, name))

    @_database_errors
    def actor_rules(self) -> list[dict[str, Any]]:
        """Every curation rule, oldest first: ``{id, action, actor, name, created}``."""
        with self.engine.connect() as conn:
            return rule_records(conn)

    @_database_errors
    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """``{"id", "published", "title", "path"}`` of the stored article whose identity
        (:attr:`Article.id`) is ``article_id``, or None: lets ingest skip unchanged
        articles before parsing them."""
        with self.engine.connect() as conn:
            return article_summary(conn, article_id)

    @_database_errors
    def article_count(self) -> int:
        """How many articles are stored."""
        with self.engine.connect() as conn:
            return article_count(conn)

    @_database_errors
    def stale_articles(self, current: str | None) -> list[dict[str, Any]]:
        """``{"row", "id", "path", "line", "extractor"}`` of the articles whose facts
        extractor version ``current`` did not produce (all of them for None), in the
        order they were stored: what ``kb reprocess`` re-extracts."""
        with self.engine.connect() as conn:
            return stale_articles(conn, current)

    @_database_errors
    def load_article(self, row: int) -> Article | None:
        """The stored article with row id ``row`` (from :meth:`stale_articles`), text and
        published date as they were parsed, or None if it is no longer stored."""
        with self.engine.connect() as conn:
            return load_article(conn, row)

    @_database_errors
    def articles(self) -> list[dict[str, Any]]:
        """Every stored article with its counts, by published date."""
        with self.engine.connect() as conn:
            return article_records(conn)

    @_database_errors
    def article(self, article_id: str) -> dict[str, Any] | None:
        """The article ``article_id`` with its text and every fact found in it, each with
        its offsets in the text (:func:`kb.store.article_view.article_view`), or None."""
        with self.engine.connect() as conn:
            return article_view(conn, article_id)

    @_database_errors
    def fact_reports(self, kind: str, fact_id: int) -> list[dict[str, Any]]:
        """Every article's report of the claim or event (``kind`` "statement" or
        "event") that the report ``fact_id`` belongs to, oldest first."""
        with self.engine.connect() as conn:
            return group_reports(conn, kind, fact_id)

    @_database_errors
    def fact_article(self, kind: str, fact_id: int) -> str | None:
        """The id of the article the statement or event (``kind``) ``fact_id`` is from."""
        with self.engine.connect() as conn:
            return fact_article(conn, kind, fact_id)


def _require_sqlite_file(url: str, shown: str) -> None:
    """A read-only command must not create an empty SQLite file where none was."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    if not Path(database).exists():
        hint = ""
        if Path("kb-demo.sqlite").exists() and database == "kb.sqlite":
            hint = " (kb demo wrote kb-demo.sqlite: pass --db sqlite:///kb-demo.sqlite)"
        raise StoreError(
            f"{shown}: no database here; ingest articles first (kb ingest PATH) or pass "
            f"--db with the database to read{hint}"
        )


def _listed(filters: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """``filters`` with the name filters among ``names`` made lists (a string is one)."""
    return {k: _as_list(v) if k in names else v for k, v in filters.items()}


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)
