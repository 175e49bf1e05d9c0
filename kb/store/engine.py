"""Engines and transactions that behave the same on SQLite and PostgreSQL.

SQLite: WAL journal (readers never block the writer), ``busy_timeout`` (a writer waits
for the lock instead of failing), foreign keys on, and ``BEGIN IMMEDIATE`` for write
transactions so two writers serialise at the start instead of dead-locking half way.
PostgreSQL: READ COMMITTED plus ``INSERT ... ON CONFLICT DO NOTHING`` on the natural
keys. On both, :func:`run_write` retries a whole transaction when the database reports
a lock, a serialization failure or a deadlock, with jittered exponential backoff.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.sql.dml import Insert

from kb.config import parse_database_url
from kb.errors import ConfigError, StoreError
from kb.store.reports import outlet

__all__ = ["make_engine", "run_write", "insert_ignore", "is_retryable", "BUSY_TIMEOUT_MS"]

T = TypeVar("T")

#: How long an SQLite writer waits for the lock before the retry loop takes over.
BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "kb_begin"
_RETRY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock n/a


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with kb's connection settings applied."""
    parsed = parse_database_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(engine)
        else:
            engine = create_engine(parsed)
            _configure_postgresql(engine)
    except ImportError as exc:
        raise ConfigError(
            f"{parsed.render_as_string()}: the database driver is not installed ({exc}); "
            "for PostgreSQL install kb with `pip install 'kb[postgres]'` and write "
            "postgresql://user@host/dbname"
        ) from None
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # kb's reads are short, index-driven pages; a filter whose selectivity the
        # planner cannot guess (a correlated count) inflates the estimated cost past
        # jit_above_cost, and compiling the plan then took 1.4 s of a 10 ms query
        with dbapi_conn.cursor() as cur:
            cur.execute("SET jit = off")
        dbapi_conn.commit()


def _configure_sqlite(engine: Engine) -> None:
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide when transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # the source an article counts as, for queries that count a fact's sources
        dbapi_conn.create_function("kb_outlet", 3, outlet, deterministic=True)
        if not memory:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))


def is_retryable(exc: BaseException) -> bool:
    """True when ``exc`` is a transient lock, serialization or deadlock failure."""
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        if sqlstate in _RETRY_SQLSTATES:
            return True
        if isinstance(exc, OperationalError):
            message = str(orig).lower()
            return "locked" in message or "busy" in message
    return False


def run_write(
    engine: Engine,
    work: Callable[[Connection], T],
    attempts: int = 12,
    base_delay: float = 0.05,
    max_delay: float = 2.0,
) -> T:
    """Run ``work(conn)`` in one write transaction, retrying transient failures.

    The transaction commits when ``work`` returns and rolls back when it raises, so a
    retry always starts from a clean state. After ``attempts`` failures a
    :class:`kb.errors.StoreError` names the database and the last error.
    """
    options = {_BEGIN_OPTION: "BEGIN IMMEDIATE"} if engine.dialect.name == "sqlite" else {}
    delay = base_delay
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(**options)
                with conn.begin():
                    return work(conn)
        except DBAPIError as exc:
            if not is_retryable(exc) or attempt == attempts:
                if is_retryable(exc):
                    raise StoreError(
                        f"{engine.url.render_as_string()}: database stayed busy after "
                        f"{attempts} attempts ({exc.orig}); retry when other writers finish"
                    ) from exc
                raise
            time.sleep(min(max_delay, delay) * (0.5 + random.random()))
            delay *= 2
    raise AssertionError("unreachable")


def insert_ignore(
    conn: Connection,
    table: Table,
    rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    conflict: Iterable[str],
    returning: Sequence[Any] = (),
) -> Any:
    """``INSERT ... ON CONFLICT (conflict) DO NOTHING`` on either dialect.

    With ``returning`` columns, the result yields a row only for rows actually inserted.
    """
    stmt = _dialect_insert(conn, table).on_conflict_do_nothing(index_elements=list(conflict))
    if returning:
        stmt = stmt.returning(*returning)
    return conn.execute(stmt, rows)


def _dialect_insert(conn: Connection, table: Table) -> Insert:
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise StoreError(f"database kind {name!r} is not supported; use SQLite or PostgreSQL")
