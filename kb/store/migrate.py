"""Schema migrations (Alembic, shipped inside the package).

:func:`upgrade` is what ``kb db upgrade`` runs; :func:`ensure_schema` is what
:meth:`kb.store.Store.open` runs: it brings a new or older database to the head
revision under a lock (SQLite: the write lock of ``BEGIN IMMEDIATE``; PostgreSQL: a
transaction-level advisory lock), so two processes opening one new database at once
migrate it exactly once. DDL is transactional on both databases, so a migration killed
half way leaves the previous revision intact.

Opening a database that is already at head reads its revision with one query and
loads no Alembic module (a query command starts faster); Alembic is imported only to
migrate. :data:`HEAD` names the newest revision shipped, checked against the
migrations by the tests.

>>> from kb.store.migrate import HEAD, head_revision
>>> head_revision() == HEAD
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from kb.config import database_url
from kb.errors import StoreError
from kb.store.engine import make_engine, run_write

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "HEAD",
    "MIGRATIONS_DIR",
    "alembic_config",
    "head_revision",
    "current_revision",
    "ensure_schema",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x6B62_5F6D  # "kb_m": the advisory lock serialising migrations
#: The newest revision in migrations/versions (a new migration changes it; a test
#: compares it with what Alembic reads from the files).
HEAD = "0010"


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision this version of kb ships, as Alembic reads the migrations."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError(f"{MIGRATIONS_DIR}: no migrations found; reinstall kb")
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise StoreError(f"database has {len(rows)} schema revisions ({', '.join(rows)}); "
                         "kb keeps one: run `kb db upgrade` with the kb that wrote it")
    return rows[0] if rows else None


def ensure_schema(engine: Engine, create: bool = True) -> None:
    """Bring the database behind ``engine`` to the head revision.

    With ``create=False`` nothing is changed: a database that is not at head raises
    :class:`kb.errors.StoreError` telling the user to run ``kb db upgrade``.
    """
    head = HEAD
    with engine.connect() as conn:
        current = current_revision(conn)
        foreign = _foreign_tables(conn) if current is None else []
    if current == head:
        return
    where = engine.url.render_as_string()
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise StoreError(
            f"{where}: not a kb database (it holds other tables: {shown}); "
            "pass --db with a new file or an empty database"
        )
    if not create:
        state = "has no kb tables" if current is None else f"is at revision {current}"
        raise StoreError(f"{where}: database {state}, kb needs {head}; run `kb db upgrade`")
    _check_known(current, where)

    def migrate(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
        from alembic import command

        if current_revision(conn) != head:  # someone else may have migrated meanwhile
            command.upgrade(alembic_config(connection=conn), "head")

    run_write(engine, migrate)


def _foreign_tables(conn: Connection) -> list[str]:
    """Tables in a database that has no kb schema version: another program's data,
    which kb must neither migrate over nor mix with its own."""
    return sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")


def _check_known(current: str | None, where: str) -> None:
    if current is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception:
        raise StoreError(
            f"{where}: database is at revision {current}, which this kb does not know "
            "(written by a newer kb?); upgrade kb"
        ) from None


def upgrade(url: str | None = None) -> str:
    """Migrate the database at ``url`` (flag/env/default precedence) to head.

    Returns the revision the database is at afterwards.
    """
    engine = make_engine(database_url(url))
    try:
        ensure_schema(engine, create=True)
        return HEAD
    finally:
        engine.dispose()
