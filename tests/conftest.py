"""Shared fixtures: the spaCy model (loaded once), the seed article, database URLs."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = ROOT / "sources" / "000_b100f5f8ab4f4713.txt"
EVAL = SHARED / "eval"
RECORDS = Path(__file__).resolve().parent / "data" / "records"


def load_records(name: str) -> tuple[list, list, list]:
    """(events, statements, actors) of a fixture file in tests/data/records/."""
    data = json.loads((RECORDS / f"{name}.json").read_text(encoding="utf-8"))
    return data["events"], data["statements"], data["actors"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, db: str | None = None, check: int | None = 0) -> Result:
    """Run the command line in this process (the spaCy model stays loaded); with
    ``check``, assert the exit status."""
    from kb.cli import app

    cmd = [*(["--db", db] if db else []), *args]
    res = CliRunner().invoke(app, cmd, env={"KB_DATABASE_URL": None})
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    out = Result(res.exit_code, res.stdout, res.stderr)
    if check is not None:
        assert out.returncode == check, (cmd, out.stdout, out.stderr)
    return out


def migrate(db_url: str, revision: str) -> None:
    """Take the database down to an older ``revision`` (an older base, as a user
    would have it), or up to "head" as `kb db upgrade` does, in one transaction."""
    from alembic import command

    from kb.store.engine import make_engine
    from kb.store.migrate import alembic_config

    step = command.upgrade if revision == "head" else command.downgrade
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            step(alembic_config(connection=conn), revision)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def nlp():
    from kb.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seed_article():
    from kb.ingest import read_path

    (article,) = list(read_path(SEED))
    return article


@pytest.fixture(scope="session")
def seed_parsed(seed_article, nlp):
    import kb

    return kb.parse_article(seed_article.text, seed_article.published, nlp=nlp)


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    return os.environ.get("KB_TEST_POSTGRES_URL") or None


def _db_params() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    params.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return params


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path, postgres_url: str | None):
    """A new, empty database: an SQLite file in ``folder``, or a PostgreSQL schema of
    its own (dropped afterwards) on the server KB_TEST_POSTGRES_URL names."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'kb.sqlite'}"
        return
    if not postgres_url:
        pytest.skip("KB_TEST_POSTGRES_URL is not set")
    import uuid

    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=_db_params())
def db_url(request, tmp_path, postgres_url):
    """A fresh, empty database for one test, on SQLite and on PostgreSQL."""
    with fresh_database(request.param, tmp_path, postgres_url) as url:
        yield url


@pytest.fixture(scope="module", params=_db_params())
def module_db_url(request, tmp_path_factory, postgres_url):
    """A fresh database shared by the tests of one module (for read-only tests)."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db"), postgres_url) as url:
        yield url


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A copy of the demo corpus in a temporary folder."""
    target = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", target)
    return target


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole session, driven by Playwright (only one
    Playwright instance may run per process)."""
    from kb.export.screenshots import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
