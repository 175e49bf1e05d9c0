"""Readers: every input format, and bad input reported by name without losing the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.errors import InputError
from kb.ingest import Article, ReadFailure, article_id, expand_paths, parse_plain_text, read_path
from kb.jsonschema_util import validate

from .conftest import ROOT, SEED


def _read(path: Path, **kw) -> list:
    return list(read_path(path, **kw))


def test_seed_form_date_line_and_credit():
    (a,) = _read(SEED)
    assert a.published == "2022-02-21"
    assert a.credit == "IMAGE: AP"
    assert a.text.startswith("In the latest revelation")
    assert "IMAGE" not in a.text and "date 2022" not in a.text
    assert a.text.endswith('carrying this forward," he said.')


@pytest.mark.parametrize(
    "text, published, credit, body",
    [
        ("date 2022-02-21 Body here.", "2022-02-21", None, "Body here."),
        (" date 2022-02-21 Body.\n\nPHOTO: AFP\n", "2022-02-21", "PHOTO: AFP", "Body."),
        ("No date line.\n\nIMAGE: Reuters", None, "IMAGE: Reuters", "No date line."),
        ("Image: the photo shows a street and lots more words than a credit line would "
         "ever hold, so it is content.", None, None, None),
        ("---\ntitle: T\npublished: 2022-02-20\npublisher: P\nurl: https://x.org/a\n---\n"
         "The body.", "2022-02-20", None, "The body."),
    ],
)
def test_plain_text_forms(text, published, credit, body):
    a = parse_plain_text(text, "x.txt")
    assert a.published == published
    assert a.credit == credit
    if body is not None:
        assert a.text == body


def test_front_matter_metadata():
    a = parse_plain_text("---\ntitle: T\npublisher: P\nurl: https://x.org/a\n---\nBody.", "a.md")
    assert (a.title, a.publisher, a.url, a.published) == ("T", "P", "https://x.org/a", None)


def test_jsonl_good_and_bad_lines(tmp_path):
    f = tmp_path / "a.jsonl"
    good = {"text": "Blinken spoke.", "title": "T", "published": "2022-02-20",
            "publisher": "P", "url": "https://x.org"}
    validate(good, "article")
    f.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n"
                 + json.dumps({"text": "Second.", "published": "20 Feb"}) + "\n")
    items = _read(f)
    assert isinstance(items[0], Article) and items[0].title == "T" and items[0].line == 1
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert [(x.line, "JSON" in x.reason or "text" in x.reason or "date" in x.reason)
            for x in failures] == [(2, True), (3, True), (4, True)]
    assert all(x.path == str(f) for x in failures)


def test_html_page():
    (a,) = _read(ROOT / "sources" / "007_russia_invades_ukraine.html")
    assert a.published == "2022-02-24"
    assert a.title and a.title.startswith("Russia launches invasion")
    assert not a.text.startswith(a.title)
    assert a.credit == "PHOTO: Reuters" and "PHOTO" not in a.text
    assert a.publisher == "kb demo desk"
    assert "\n\n" in a.text


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20, "binary file"),
        ("latin1.txt", "Caf\u00e9 news said".encode("latin-1"), "not UTF-8 text (byte 0xe9"),
        ("onlymeta.txt", b"date 2022-02-21 \n\nIMAGE: AP\n", "no article text"),
        ("baddate.txt", b"date 2022-02-31 Text.", "not a real date"),
    ],
)
def test_bad_files_are_reported_by_name(tmp_path, name, data, reason):
    f = tmp_path / name
    f.write_bytes(data)
    (failure,) = _read(f)
    assert isinstance(failure, ReadFailure)
    assert failure.path == str(f)
    assert reason in failure.reason


def test_encoding_option_reads_latin1(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Caf\u00e9 owners said so.".encode("latin-1"))
    (a,) = _read(f, encoding="latin-1")
    assert a.text == "Caf\u00e9 owners said so."


def test_published_override(tmp_path):
    (a,) = _read(SEED, published="2022-03-01")
    assert a.published == "2022-03-01"


def test_identity_ignores_whitespace():
    assert article_id("A  b\n c") == article_id("A b c")
    assert article_id("A b") != article_id("A c")


def test_expand_paths(tmp_path):
    (tmp_path / "d" / ".hidden").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text("x")
    (tmp_path / "d" / "README.md").write_text("about")
    (tmp_path / "d" / ".hidden" / "b.txt").write_text("x")
    (tmp_path / "d" / "c.bin").write_text("x")
    found = expand_paths([str(tmp_path / "d"), str(tmp_path / "d" / "*.txt")]).files
    assert [p.name for p in found] == ["a.txt"]
    with pytest.raises(InputError, match="no such file"):
        expand_paths([str(tmp_path / "missing")])
    with pytest.raises(InputError, match="no file matches"):
        expand_paths([str(tmp_path / "*.nothing")])


def test_demo_corpus_reads_cleanly():
    items = [i for p in expand_paths([str(ROOT / "sources")]).files for i in read_path(p)]
    assert all(isinstance(i, Article) for i in items), [str(i) for i in items]
    assert len(items) >= 8
    assert all(i.published and "2022-02-18" <= i.published <= "2022-02-24" for i in items)


def test_jsonl_streams_and_a_bad_line_loses_nothing_else(tmp_path):
    f = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": "Macron spoke.", "published": "2022-02-20"}).encode()
    f.write_bytes(good + b"\n" + '{"text": "caf\u00e9"}'.encode("latin-1") + b"\n" + good
                  .replace(b"Macron", b"Biden") + b"\n")
    items = _read(f)
    assert [type(i).__name__ for i in items] == ["Article", "ReadFailure", "Article"]
    assert items[1].line == 2 and "not UTF-8" in items[1].reason
    (failure,) = _read(tmp_path / "missing.jsonl")
    assert "cannot read file" in failure.reason
