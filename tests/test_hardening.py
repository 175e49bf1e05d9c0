"""The findings of attacking kb as an adversarial user would, each reproduced as it was
found (the same input, the same command) and now closed. Numbers are the findings'.

Where a database is involved the test runs on SQLite and PostgreSQL (``db_url``).
Permission findings need an unprivileged process: as root (CI), the test forks and
drops to ``nobody`` in the child, which runs the real command line in-process.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kb
from kb.store import Store

from .conftest import run

KB = str(Path(sys.executable).with_name("kb"))
ESC = "\x1b"


def ingest(db: str, *paths: Path | str, check: int | None = 0, extra: tuple = ()) -> Any:
    return run("ingest", *extra, *map(str, paths), db=db, check=check)


def contents(db: str) -> list[str]:
    with Store.open(db, create=False) as store:
        return sorted(s["content"] for s in store.statements())


def texts(db: str) -> list[str]:
    with Store.open(db, create=False) as store:
        return sorted(a["path"] + ":" + str(a.get("line")) for a in store.articles())


def no_traceback(*outputs: str) -> None:
    for out in outputs:
        assert "Traceback" not in out and "╭" not in out, out


# -- 1. JSON Lines: one bad line loses nothing after it --------------------------------


def test_1_bad_jsonl_lines_are_reported_alone_and_the_rest_stored(db_url, tmp_path):
    archive = tmp_path / "a.jsonl"
    lines = [
        {"text": "Biden said on Monday that talks would go on.", "published": "2022-02-21"},
        {"text": "date 2022-02-21"},
        {"text": "date 2022-13-01 Putin said nothing."},
        {"text": "Macron said on Monday that talks would resume.", "published": "2022-02-21"},
        {"text": "Scholz said on Monday that he would travel.", "published": "2022-02-21"},
    ]
    archive.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    res = ingest(db_url, archive, check=1)
    assert f"{archive}:2: no article text" in res.stderr
    assert f"{archive}:3: first line date '2022-13-01' is not a real date" in res.stderr
    assert "3 new" in res.stdout and "2 failed" in res.stdout
    assert [t.rsplit(":", 1)[1] for t in texts(db_url)] == ["1", "4", "5"]


# -- 2. unreadable folders and files ----------------------------------------------------


def as_nobody(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``work`` in a forked child with the privileges of ``nobody`` (when this process
    is root; otherwise as this user) and return what it returned."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            payload = json.dumps(work())
        except BaseException as exc:  # report, never return into pytest in the child
            payload = json.dumps({"crash": repr(exc)})
        with os.fdopen(write, "w") as out:
            out.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as got:
        data = json.loads(got.read() or '{"crash": "no output"}')
    os.waitpid(pid, 0)
    assert "crash" not in data, data["crash"]
    return data


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder that ``nobody`` may write to (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="kb-perm-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_2_unreadable_folder_and_file_are_reported_by_name(nlp, open_dir):
    corpus = open_dir / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "good.txt").write_text("date 2022-02-21 Biden said on Sunday that talks go on.")
    (corpus / "locked" / "inside.txt").write_text("date 2022-02-21 Putin said so.")
    corpus.chmod(0o755)
    (corpus / "locked").chmod(0o000)
    db = f"sqlite:///{open_dir / 'kb.sqlite'}"

    def work() -> dict[str, Any]:
        whole = run("ingest", str(corpus), db=db, check=None)
        named = run("ingest", str(corpus / "locked" / "inside.txt"), db=db, check=None)
        return {"whole": whole.__dict__, "named": named.__dict__}

    try:
        out = as_nobody(work)
    finally:
        (corpus / "locked").chmod(0o755)
    whole, named = out["whole"], out["named"]
    assert whole["returncode"] == 1, whole
    assert f"{corpus / 'locked'}: cannot read folder (Permission denied)" in whole["stderr"]
    assert "1 new" in whole["stdout"]
    assert named["returncode"] == 1, named
    assert "inside.txt: cannot read" in named["stderr"]
    no_traceback(whole["stderr"], named["stderr"])


# -- 3. NUL characters ------------------------------------------------------------------


def test_3_nul_characters_are_stored_on_every_database(db_url, tmp_path):
    body = "Biden said on Monday that talks would go on. " * 200  # over 8 KiB
    (tmp_path / "a.txt").write_text("date 2022-02-21 " + body + "Putin said\x00 no.")
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"text": "Macron said on Monday that\u0000 talks resume.", "published": "2022-02-21",
         "title": "a\u0000b"}) + "\n")
    (tmp_path / "c.txt").write_text("date 2022-02-21 Scholz said on Monday that he agrees.")
    res = ingest(db_url, tmp_path)
    assert "3 new" in res.stdout
    stored = contents(db_url)
    assert "that\ufffd talks resume" in stored
    assert any(c.startswith("that he agrees") for c in stored)
    with Store.open(db_url, create=False) as store:
        assert "a\ufffdb" in {a["title"] for a in store.articles()}


# -- 4. the edges of the calendar ---------------------------------------------------------


@pytest.mark.parametrize("published, text, expected", [
    ("9999-12-31", "Biden said tomorrow he will meet Putin.", "XXXX-XX-XX"),
    ("9999-12-31", "Putin said talks begin next month.", "XXXX-XX"),
    ("9999-06-01", "Macron said talks end next year.", "XXXX"),
    ("0001-01-01", "Biden said yesterday he met Putin.", "XXXX-XX-XX"),
    ("0001-06-01", "Putin said that 5000 years ago it began.", "XXXX"),
    ("9999-12-25", "Biden said tomorrow he will meet Putin.", "9999-12-26"),
])
def test_4_relative_dates_past_the_calendar_stay_unresolved(nlp, published, text, expected):
    parsed = kb.parse_article(text, published, nlp=nlp)
    assert [t.value for t in parsed.times] == [expected]


def test_4_edge_years_ingest_query_and_report(db_url, tmp_path):
    for n in range(3):
        (tmp_path / f"good{n}.txt").write_text(
            f"date 2022-02-2{n} Biden said on Monday that talks go on {n}.")
    (tmp_path / "edge.txt").write_text(
        "date 9999-12-31 Biden said tomorrow he will meet Putin. Putin said on Friday that "
        "the talks start next week.")
    res = ingest(db_url, tmp_path, extra=("--workers", "2"))
    assert "4 new" in res.stdout, res.stderr
    listed = run("said", "--since", "0001", "--until", "9999-12", "--all", "-f", "json",
                 db=db_url)
    assert len(json.loads(listed.stdout)) == 5
    report = run("report", "--out", str(tmp_path / "r.md"), db=db_url)
    no_traceback(report.stderr)
    xml.dom.minidom.parse(str(tmp_path / "r.svg"))
    run("report", "--out", str(tmp_path / "r.html"), db=db_url)
    run("timeline", "--out", str(tmp_path / "t.html"), db=db_url)


# -- 5. huge and special files --------------------------------------------------------


def test_5_overlong_article_is_skipped_and_the_batch_stored(db_url, tmp_path):
    (tmp_path / "huge.txt").write_text("date 2022-02-21 " + "Biden spoke. " * 80_000)
    for n in range(3):
        (tmp_path / f"good{n}.txt").write_text(
            f"date 2022-02-21 Biden said on Monday that talks go on {n}.")
    for extra in ((), ("--workers", "2")):
        res = ingest(db_url, tmp_path, check=1, extra=extra)
        assert "huge.txt: article too long (1,039,999 characters; the limit is 1,000,000)" \
            in res.stderr
        no_traceback(res.stderr)
    assert len(texts(db_url)) == 3


def test_5_large_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50_000_000)  # 50 MB (sparse)
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    res = ingest(db, big, check=1)
    assert "big.txt: file too large (50.0 MB; the limit for one article is 16.0 MB)" in res.stderr
    res = ingest(db, big, check=1, extra=("--max-chars", "4000000"))
    assert "big.txt: binary file" in res.stderr  # read now: it is all NULs


def test_5_devices_and_fifos_are_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    env = {k: v for k, v in os.environ.items() if k != "KB_DATABASE_URL"}
    proc = subprocess.run([KB, "--db", db, "ingest", "/dev/zero", str(fifo)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "/dev/zero: not a regular file" in proc.stderr
    assert "pipe.txt: not a regular file" in proc.stderr


# -- 6, 7. markup and escape sequences reach no terminal ----------------------------------


HOSTILE = ('date 2022-02-21 Blinken said on Sunday: "[/] is a closing tag".\n\n'
           'Blinken said on Sunday: "[link=http://evil.example]click[/link]".\n\n'
           'Blinken said on Sunday: "[white on white]hidden[/] words".\n\n'
           'Blinken said on Sunday: "\x1b[2J cleared \x1b]8;;http://x\x07 here".')


@pytest.fixture
def hostile_db(db_url, tmp_path):
    (tmp_path / "hostile.txt").write_text(HOSTILE)
    ingest(db_url, tmp_path / "hostile.txt")
    return db_url


def test_6_7_article_text_is_printed_as_written(hostile_db):
    for args in (("said", "--who", "Blinken"), ("show", "Blinken"), ("events",)):
        res = run(*args, db=hostile_db)
        assert ESC not in res.stdout and "\x07" not in res.stdout
        assert "[/]" in res.stdout, args
    said = run("said", "--who", "Blinken", db=hostile_db).stdout
    assert "[link=http://evil.example]click[/link]" in said
    assert "[white on white]hidden[/]" in said
    assert "\\x1b[2J cleared" in said


def test_6_7_failure_lines_are_printed_as_written(tmp_path):
    bad = tmp_path / "[red]evil\x1b[2J.md"
    bad.write_text("---\n[/] \x1b[2J not a key\n---\nBiden said so.\n")
    res = ingest(f"sqlite:///{tmp_path / 'kb.sqlite'}", bad, check=1)
    assert "[red]evil\\x1b[2J.md: front matter line '[/] \\x1b[2J not a key'" in res.stderr
    assert ESC not in res.stderr


# -- 8. CSV formula injection -------------------------------------------------------------


FORMULAS = ('date 2022-02-21 =HYPERLINK("http://evil.example","x") said: "+1+1 and more".\n\n'
            'Biden said on Monday: "@SUM(A1:A2) is what it costs".\n\n'
            'Putin said on Monday: "-2+3 is the answer".')


def test_8_csv_cells_are_never_formulas(db_url, tmp_path):
    (tmp_path / "f.txt").write_text(FORMULAS)
    ingest(db_url, tmp_path / "f.txt")
    said = run("said", "--all", "-f", "csv", db=db_url).stdout
    run("export", "--format", "csv", "--out", str(tmp_path / "x.csv"), db=db_url)
    for text in (said, (tmp_path / "x.csv").read_text(), (tmp_path / "x.actors.csv").read_text()):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert cells, text
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], text
    assert "'@SUM(A1:A2) is what it costs" in said and "'-2+3 is the answer" in said


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _spreadsheet_formulas(csv_path: Path, out_dir: Path) -> list[str]:
    """Open ``csv_path`` headless in LibreOffice Calc (its default CSV import) and
    return the formulas of the sheet it made."""
    profile = out_dir / "profile"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "fods", "--outdir", str(out_dir), str(csv_path)],
        capture_output=True, text=True, timeout=180)
    made = out_dir / (csv_path.stem + ".fods")
    assert made.exists(), proc.stderr + proc.stdout
    doc = xml.dom.minidom.parse(str(made))
    return [c.getAttribute("table:formula") for c in doc.getElementsByTagName("table:table-cell")
            if c.hasAttribute("table:formula")]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed")
def test_8_libreoffice_shows_no_formula(tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    (tmp_path / "f.txt").write_text(FORMULAS)
    ingest(db, tmp_path / "f.txt")
    run("export", "--format", "csv", "--out", str(tmp_path / "x.csv"), db=db)
    (tmp_path / "said.csv").write_text(run("said", "--all", "-f", "csv", db=db).stdout)
    # The check can fail: the same cells written raw are read as formulas.
    raw = tmp_path / "raw.csv"
    raw.write_text('content\n"=HYPERLINK(""http://evil.example"",""x"")"\n')
    assert _spreadsheet_formulas(raw, tmp_path / "raw")
    assert _spreadsheet_formulas(tmp_path / "x.csv", tmp_path / "x") == []
    assert _spreadsheet_formulas(tmp_path / "said.csv", tmp_path / "said") == []


# -- 9. control characters in XML exports ------------------------------------------------


def test_9_control_characters_leave_xml_exports_well_formed(db_url, tmp_path):
    (tmp_path / "c.txt").write_text(
        "date 2022-02-21 Biden\x0c said on Monday that \x01talks\x0b go on.\n\n"
        "Putin said on Monday: \"the \x1ftalks\x0c fail\".")
    ingest(db_url, tmp_path / "c.txt")
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"kb.{fmt}"
        run("export", "--format", fmt, "--out", str(out), db=db_url)
        graph = read(str(out))
        assert graph.number_of_nodes() > 0
        assert any("\ufffd" in str(v) for _, d in graph.nodes(data=True) for v in d.values())
    run("report", "--out", str(tmp_path / "r.md"), db=db_url)
    xml.dom.minidom.parse(str(tmp_path / "r.svg"))


# -- 10. database errors: one line, the database named, a fix, exit 3 ------------------


def _one_line(res: Any, *words: str) -> None:
    no_traceback(res.stderr, res.stdout)
    assert res.stderr.count("\n") == 1, res.stderr
    for w in words:
        assert w in res.stderr, res.stderr


def test_10_text_file_and_foreign_sqlite_file(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("hello\n" * 100)
    for command in (("said",), ("ingest", str(text))):
        res = run(*command, db=f"sqlite:///{text}", check=3)
        _one_line(res, "notes.sqlite", "not an SQLite database")
    import sqlite3

    foreign = tmp_path / "other.sqlite"
    with contextlib.closing(sqlite3.connect(foreign)) as conn:
        conn.execute("create table articles (x)")
        conn.commit()
    res = run("ingest", str(text), db=f"sqlite:///{foreign}", check=3)
    _one_line(res, "other.sqlite", "not a kb database", "articles")


@pytest.mark.parametrize("url, code, words", [
    ("mysql://user@host/db", 2, ("SQLite or PostgreSQL", "'mysql'")),
    ("postgresql+psycopg2://user@host/db", 2, ("driver is not installed",)),
    ("postgresql://postgres@127.0.0.1:1/test", 3, ("cannot connect", "127.0.0.1:1")),
])
def test_10_unusable_urls(url, code, words):
    _one_line(run("said", db=url, check=code), *words)


def test_10_missing_postgresql_database(postgres_url):
    if not postgres_url:
        pytest.skip("KB_TEST_POSTGRES_URL is not set")
    url = postgres_url.rsplit("/", 1)[0] + "/kb_no_such_database"
    _one_line(run("said", db=url, check=3), "does not exist", "createdb")


def test_10_read_only_database(tmp_path):
    db_file = tmp_path / "kb.sqlite"
    (tmp_path / "a.txt").write_text("date 2022-02-21 Biden said on Monday that talks go on.")
    (tmp_path / "b.txt").write_text("date 2022-02-21 Putin said on Monday that talks end.")
    ingest(f"sqlite:///{db_file}", tmp_path / "a.txt")
    read_only = f"sqlite:///file:{db_file}?mode=ro&uri=true"
    res = ingest(read_only, tmp_path / "b.txt", check=3)
    _one_line(res, "read-only")
    assert len(texts(f"sqlite:///{db_file}")) == 1  # what was stored stays intact


def test_10_read_only_file_for_an_unprivileged_user(nlp, open_dir):
    (open_dir / "a.txt").write_text("date 2022-02-21 Biden said on Monday that talks go on.")
    (open_dir / "b.txt").write_text("date 2022-02-21 Putin said on Monday that talks end.")
    db_dir = open_dir / "db"
    db_dir.mkdir()
    db = f"sqlite:///{db_dir / 'kb.sqlite'}"
    ingest(db, open_dir / "a.txt")
    with Store.open(db) as store:  # checkpoint: the file alone holds everything
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db_dir.chmod(0o555)
    for f in db_dir.iterdir():
        f.chmod(0o444)
    try:
        out = as_nobody(lambda: run("ingest", str(open_dir / "b.txt"), db=db,
                                    check=None).__dict__)
    finally:
        db_dir.chmod(0o755)
    assert out["returncode"] == 3, out
    _one_line(type("R", (), out), "kb.sqlite")
    assert "read-only" in out["stderr"] or "cannot open" in out["stderr"], out
    assert len(texts(db)) == 1


@contextlib.contextmanager
def tiny_disk(path: Path) -> Iterator[Path]:
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small disk here ({proc.stderr.strip()})")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root")
def test_10_full_disk(tmp_path):
    (tmp_path / "many.jsonl").write_text("".join(
        json.dumps({"text": f"Biden said on Monday that talks go on, number {n}. " * 40,
                    "published": "2022-02-21"}) + "\n" for n in range(400)))
    with tiny_disk(tmp_path / "disk") as disk:
        res = ingest(f"sqlite:///{disk / 'kb.sqlite'}", tmp_path / "many.jsonl", check=3)
        _one_line(res, "disk is full")


def test_10_read_commands_create_no_database(tmp_path):
    missing = tmp_path / "typo.sqlite"
    for command in (("said",), ("events",), ("actors",), ("show", "X"),
                    ("graph", "--out", str(tmp_path / "g.html"))):
        res = run(*command, db=f"sqlite:///{missing}", check=3)
        _one_line(res, "typo.sqlite", "no database here")
    assert not missing.exists()


# -- 11. wide encodings ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_11_wide_encodings_are_read(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes("date 2022-02-21 Biden said on Monday that talks go on.".encode(encoding))
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    res = ingest(db, path, check=1)
    assert "pass --encoding utf-16" in res.stderr
    ingest(db, path, extra=("--encoding", encoding))
    assert contents(db) == ["that talks go on"]


# -- 12. atomic exports ---------------------------------------------------------------


def test_12_a_failed_export_leaves_the_previous_one(tmp_path, corpus):
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    ingest(db, corpus)
    out = tmp_path / "out"
    targets = {"graph": out / "g.html", "report": out / "r.html"}
    for command, path in targets.items():
        run(command, "--out", str(path), db=db)
    run("export", "--format", "graphml", "--out", str(out / "k.graphml"), db=db)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def small_files() -> None:  # a disk on which no file may grow past 40 KB
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    env = {k: v for k, v in os.environ.items() if k != "KB_DATABASE_URL"}
    failing = [["graph", "--out", str(targets["graph"])],
               ["report", "--out", str(targets["report"])]]
    for args in failing:
        proc = subprocess.run([KB, "--db", db, *args], capture_output=True, text=True,
                              env=env, timeout=120, preexec_fn=small_files)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "cannot write" in proc.stderr and "Traceback" not in proc.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # nothing truncated, no temporary file left


# -- 13. smaller findings -----------------------------------------------------------------


def test_13_published_must_be_a_whole_date(tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    (tmp_path / "a.txt").write_text("Biden said on Monday that talks go on.")
    res = ingest(db, tmp_path / "a.txt", check=2,
                 extra=("--published", "2022-02-19; DROP TABLE articles"))
    assert "is not a date" in res.stderr
    ingest(db, tmp_path / "a.txt", extra=("--published", "2022-02-19T10:00:00+00:00"))


def test_13_front_matter_value_with_a_line_separator(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: One\u2028Two\npublished: 2022-02-21\n---\nBiden said on Monday that "
        "talks go on.\n")
    (article,) = list(kb.ingest.read_path(tmp_path / "a.md"))
    assert article.title == "One\u2028Two" and article.published == "2022-02-21"


def test_13_html_publisher_entities_are_decoded(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><title>Talks</title><meta property="og:site_name" content="Smith &amp; '
        'Sons &#8211; News"></head><body><article><p>Biden said on Monday that talks would go '
        "on, and that a meeting with Putin in Geneva was planned for the coming week, "
        "according to officials who spoke to reporters.</p></article></body></html>")
    (article,) = list(kb.ingest.read_path(page))
    assert article.publisher == "Smith & Sons – News"


def test_13_small_command_line_findings(tmp_path):
    assert run("--version").stdout.strip() == f"kb {kb.__version__}"
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    (tmp_path / "empty").mkdir()
    res = ingest(db, tmp_path / "empty")
    assert "no article files found" in res.stderr and "already stored" not in res.stdout
    (tmp_path / "a.txt").write_text("date 2022-02-21 Blinken said on Monday that talks go on.")
    ingest(db, tmp_path / "a.txt")
    for args in (("said", "--who", "Nobody"), ("show", "Nobody"), ("events", "--actor", "Nobody")):
        _one_line(run(*args, db=db, check=2), "no actor is called 'Nobody'")
    res = run("said", "--who", "Blinkne", db=db, check=2)
    assert "did you mean 'Blinken'" in res.stderr
    res = run("said", "--until", "9999-12", db=db)
    assert "talks go on" in res.stdout
