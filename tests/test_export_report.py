"""The written report: days in order, citations, the SVG picture, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kb.errors import ExportError
from kb.export.report import md_escape, write_report
from kb.export.svg import tick_days

from .conftest import load_records

EXPECTED_HEADINGS = [  # dates at their own granularity, in words
    "Friday 21 Jan 2022",
    "Feb 2022",
    "Friday 18 Feb 2022",
    "Monday 21 Feb 2022",
    "Thursday 24 Feb 2022",
    "Friday 25 Feb 2022",
]


def test_markdown_report_days_in_order_with_citations(tmp_path):
    out = write_report(*load_records("ukraine"), tmp_path / "report.md")
    text = out.read_text(encoding="utf-8")
    headings = [h.replace("\\", "") for h in re.findall(r"^### (.+)$", text, re.M)]
    assert headings == EXPECTED_HEADINGS
    assert "![Timeline of events by actor](report.svg)" in text
    ET.fromstring((tmp_path / "report.svg").read_text(encoding="utf-8"))  # well-formed
    day = text.split("### Thursday 24 Feb 2022")[1].split("###")[0]
    assert "**Russia** launched an invasion (attack) (target: Ukraine)" in day
    assert "> Russian forces launched an invasion of Ukraine on Thursday, February 24." in day
    assert "Source: Russia launches invasion of Ukraine, Example Wire, 2022-02-24" in day
    crocker = text.split("### Monday 21 Feb 2022")[1].split("###")[0]
    assert crocker.count("*(date of the report)*") == 2
    assert "| Russia | country |" in text


def test_html_report_has_inline_svg_table_and_citations(tmp_path):
    out = write_report(*load_records("ukraine"), tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    headings = re.findall(r"<h3>(.+?)</h3>", page)
    assert headings == EXPECTED_HEADINGS
    assert page.count("<svg") == 1 and "<script" not in page
    assert (
        "<cite>Source: Zelensky turns down evacuation offer, Example Wire, 2022-02-26</cite>"
        in page
    )
    assert re.search(r"<td>Sheba Crocker</td><td>person</td><td>US ambassador to the UN</td>", page)
    assert not (tmp_path / "report.svg").exists()


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_hostile_text_is_escaped(tmp_path, suffix):
    out = write_report(*load_records("hostile"), tmp_path / f"report{suffix}")
    text = out.read_text(encoding="utf-8")
    assert "<img" not in text and "<script>" not in text and "</script>" not in text
    assert "&lt;img src=x onerror=window." in text
    if suffix == ".md":
        svg = (tmp_path / "report.svg").read_text(encoding="utf-8")
        assert "<img" not in svg and "<script" not in svg
        ET.fromstring(svg)


def test_report_suffix_must_be_md_or_html(tmp_path):
    with pytest.raises(ExportError, match="report.pdf"):
        write_report(*load_records("ukraine"), tmp_path / "report.pdf")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a <b> & c", "a &lt;b&gt; &amp; c"),
        ("*bold* [link](x) | pipe", r"\*bold\* \[link\](x) \| pipe"),
        ("line\u2028break", "line break"),
    ],
)
def test_md_escape(text, expected):
    assert md_escape(text) == expected


@pytest.mark.parametrize(
    "first, last, unit, expected",
    [
        (
            "2022-02-01",
            "2022-02-05",
            "day",
            ["2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04", "2022-02-05"],
        ),
        (
            "2022-01-21",
            "2022-02-25",
            "week",
            ["2022-01-24", "2022-01-31", "2022-02-07", "2022-02-14", "2022-02-21"],
        ),
        (
            "2021-11-15",
            "2022-06-01",
            "month",
            [
                "2021-12-01",
                "2022-01-01",
                "2022-02-01",
                "2022-03-01",
                "2022-04-01",
                "2022-05-01",
                "2022-06-01",
            ],
        ),
        (
            "2010-03-01",
            "2022-06-01",
            "year",
            ["2012-01-01", "2014-01-01", "2016-01-01", "2018-01-01", "2020-01-01", "2022-01-01"],
        ),
    ],
)
def test_tick_days(first, last, unit, expected):
    from datetime import date

    ticks, got_unit = tick_days(date.fromisoformat(first), date.fromisoformat(last))
    assert got_unit == unit
    assert [t.isoformat() for t in ticks] == expected


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            {"id": "a1", "title": "T", "publisher": "P", "published": "2022-02-21"},
            "T, P, 2022-02-21",
        ),
        (
            {
                "id": "a1",
                "title": None,
                "publisher": None,
                "published": "2022-02-19",
                "path": "sources/001_biden_convinced.txt",
            },
            "001_biden_convinced.txt, 2022-02-19",
        ),
        (
            {
                "id": "a1",
                "title": None,
                "publisher": None,
                "published": None,
                "path": None,
                "url": "https://example.org/x",
            },
            "https://example.org/x",
        ),
        ({"id": "a1"}, "a1"),
        (None, "unknown source"),
    ],
)
def test_citations(source, expected):
    from kb.graph import source_label

    assert source_label(source) == expected


def test_unresolved_speaker_is_named_by_its_mention(tmp_path):
    events, statements, actors = load_records("ukraine")
    anonymous = dict(
        statements[4], id=99, speaker=None, speaker_kind=None, speaker_mention="separatist leaders"
    )
    out = write_report([], [anonymous], actors, tmp_path / "r.md")
    text = out.read_text(encoding="utf-8")
    # reported (indirect) speech: no quotation marks around words the article did not quote
    assert "**separatist leaders (unresolved)** said Russia is planning" in text
    assert "“Russia" not in text
