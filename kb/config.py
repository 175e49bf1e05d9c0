"""Settings: where the database is.

Precedence is command-line flag > environment (``KB_DATABASE_URL``) > default (an
SQLite file ``kb.sqlite`` in the working directory). Any SQLAlchemy URL is accepted;
``postgresql://`` (and ``postgres://``) mean PostgreSQL through psycopg 3, the driver kb
ships with.

>>> database_url("postgresql://postgres@127.0.0.1:5432/test")
'postgresql+psycopg://postgres@127.0.0.1:5432/test'
"""

from __future__ import annotations

import os

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from kb.errors import ConfigError

__all__ = ["DATABASE_ENV", "DEFAULT_DATABASE_URL", "database_url", "parse_database_url"]

DATABASE_ENV = "KB_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///kb.sqlite"

_EXAMPLES = "e.g. sqlite:///kb.sqlite or postgresql://user@host:5432/dbname"


def database_url(flag: str | None = None) -> str:
    """The database URL to use: ``flag``, else ``$KB_DATABASE_URL``, else the default.

    Raises :class:`kb.errors.ConfigError` naming the setting when the URL is unusable.
    """
    if flag is not None and flag.strip():
        return _render(parse_database_url(flag, origin="--db"))
    env = os.environ.get(DATABASE_ENV)
    if env is not None and env.strip():
        return _render(parse_database_url(env, origin=DATABASE_ENV))
    return DEFAULT_DATABASE_URL


def parse_database_url(value: str, origin: str = "database URL") -> URL:
    """Parse and check one URL; map plain PostgreSQL URLs to the psycopg 3 driver."""
    text = value.strip()
    if "://" not in text:
        raise ConfigError(
            f"{origin}: {value!r} is not a database URL; give a SQLAlchemy URL ({_EXAMPLES})"
        )
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(
            f"{origin}: cannot parse {value!r} as a database URL ({exc}); {_EXAMPLES}"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    try:
        url.get_dialect()
    except NoSuchModuleError:
        raise ConfigError(
            f"{origin}: unknown database kind {url.drivername!r} in {value!r}; "
            f"use sqlite or postgresql ({_EXAMPLES})"
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"{origin}: kb stores its data in SQLite or PostgreSQL, not "
            f"{url.get_backend_name()!r} ({_EXAMPLES})"
        )
    return url


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)
