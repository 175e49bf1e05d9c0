"""Database URL precedence: flag > KB_DATABASE_URL > sqlite:///kb.sqlite."""

from __future__ import annotations

import pytest

from kb.config import DATABASE_ENV, DEFAULT_DATABASE_URL, database_url
from kb.errors import ConfigError

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.mark.parametrize(
    "flag, env, expected",
    [
        (None, None, DEFAULT_DATABASE_URL),
        ("", "", DEFAULT_DATABASE_URL),
        (None, "sqlite:///env.sqlite", "sqlite:///env.sqlite"),
        ("sqlite:///flag.sqlite", "sqlite:///env.sqlite", "sqlite:///flag.sqlite"),
        ("sqlite://", None, "sqlite://"),
        ("postgresql://postgres@127.0.0.1:5432/test", None, PG),
        ("postgres://postgres@127.0.0.1:5432/test", None, PG),
        (None, "postgresql://postgres@127.0.0.1:5432/test", PG),
        (PG, None, PG),
        ("postgresql://u:p%40ss@h/db", None, "postgresql+psycopg://u:p%40ss@h/db"),
    ],
)
def test_precedence_and_driver_mapping(
    monkeypatch: pytest.MonkeyPatch, flag: str | None, env: str | None, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv(DATABASE_ENV, raising=False)
    else:
        monkeypatch.setenv(DATABASE_ENV, env)
    assert database_url(flag) == expected


@pytest.mark.parametrize(
    "flag, env, message",
    [
        ("kb.sqlite", None, "--db: 'kb.sqlite' is not a database URL"),
        (None, "nonsense", f"{DATABASE_ENV}: 'nonsense' is not a database URL"),
        ("oracle9://x/y", None, "unknown database kind 'oracle9'"),
        ("postgresql://h:notaport/db", None, "cannot parse"),
    ],
)
def test_bad_urls_raise_config_error_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, flag: str | None, env: str | None, message: str
) -> None:
    if env is None:
        monkeypatch.delenv(DATABASE_ENV, raising=False)
    else:
        monkeypatch.setenv(DATABASE_ENV, env)
    with pytest.raises(ConfigError, match=message):
        database_url(flag)
