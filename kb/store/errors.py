"""Database failures as one line that names the database and the likely fix.

The drivers report the same few problems in many words (a 400-line traceback for a
database server that is down). :func:`database_error` turns any SQLAlchemy or driver
error into a :class:`kb.errors.StoreError` saying which database, what went wrong and
what to do; :func:`translated` does it for a block of code.

>>> from sqlalchemy.exc import OperationalError
>>> err = OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))
>>> str(database_error(err, "sqlite:///kb.sqlite"))  # doctest: +ELLIPSIS
'sqlite:///kb.sqlite: the database is read-only...'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy.exc import SQLAlchemyError

from kb.errors import DatabaseError, StoreError

__all__ = ["database_error", "translated"]

#: (words in the driver's message, what kb says) — first match wins.
_KNOWN: tuple[tuple[tuple[str, ...], str], ...] = (
    (('database "', "does not exist"),
     "the database does not exist on the server; create it (createdb NAME) or fix the "
     "name in the URL"),
    (("readonly database", "read-only", "read only"),
     "the database is read-only; check the permissions of the file and its folder "
     "(SQLite writes a -wal and -shm file beside it), or use another --db"),
    (("database or disk is full", "no space left", "disk full", "could not extend file"),
     "the disk is full; free space or use a database on another disk"),
    (("file is not a database", "file is encrypted"),
     "this file is not an SQLite database; pass the kb database with --db, "
     "or a new file name to create one"),
    (("unable to open database file",),
     "cannot open the database file; check that its folder exists and is writable"),
    (("connection refused", "could not connect", "connection to server", "timeout expired",
      "name or service not known", "could not translate host name"),
     "cannot connect to the database server; is it running, and are host and port right?"),
    (("password authentication failed", "authentication failed", "no password supplied"),
     "the server refused the login; check the user and password in the URL"),
    (("permission denied",),
     "permission denied; check the database user's rights or the file permissions"),
    (("disk i/o error",),
     "a disk I/O error; check the disk and the database file"),
    (("no such table", "no such column", "undefinedtable", "undefinedcolumn",
      "relation \"", "column \""),
     "the database does not have the tables this kb expects; run `kb db upgrade`, "
     "or use a database kb created"),
)


def database_error(exc: BaseException, url: str) -> StoreError:
    """A :class:`kb.errors.DatabaseError` for ``exc`` raised while using the database
    at ``url``. A pattern's words must all occur (the first entry) or any one of them."""
    if isinstance(exc, StoreError):
        return exc
    orig = getattr(exc, "orig", None) or exc
    message = " ".join(str(orig).split())
    lowered = message.lower()
    for number, (words, advice) in enumerate(_KNOWN):
        hit = all(w in lowered for w in words) if number == 0 else any(
            w in lowered for w in words)
        if hit:
            return DatabaseError(f"{url}: {advice} ({_first_line(message)})")
    return DatabaseError(f"{url}: database error: {_first_line(message)}")


def _first_line(message: str, limit: int = 200) -> str:
    text = message.split("[SQL:")[0].split("(Background on this error")[0].strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@contextlib.contextmanager
def translated(url: str) -> Iterator[None]:
    """Turn SQLAlchemy and driver errors raised in the block into StoreError."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise database_error(exc, url) from exc
    except OSError as exc:  # e.g. the SQLite file's folder vanished
        raise database_error(exc, url) from exc
