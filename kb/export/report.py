"""The written report: day by day, who said and did what, with sources.

``write_report(events, statements, actors, out)`` writes Markdown (``.md``) or HTML
(``.html``, ``.htm``) by the suffix of ``out``. Both hold:

- a static timeline picture (:func:`kb.export.svg.timeline_svg`): inlined in the HTML,
  written beside the Markdown as ``<stem>.svg`` and linked from it;
- the timeline, the story as a chronology: one heading per day in date order (events
  dated only to a month or a year get their own heading, e.g. ``2022-02 (month)``, at
  the start of that period; undated items come last); within a day the facts most
  outlets carry first, then those with most actors; each line saying who did or said
  what, the source sentence, a citation (title, publisher, date) and, for a fact
  several articles report, how many sources carry it and every other report with its
  sentence; a date known only from the article is marked "(date of the report)"
  (events inside a statement's words, and events with no actor, are left out: the
  statement is listed, and the story is about its actors);
- a table of the actors: kind, titles, events, statements, articles, first and last day.

Article text is escaped: HTML by Jinja's autoescaping, Markdown by escaping HTML
characters and Markdown punctuation, so a hostile quote shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from kb.display import date_words
from kb.errors import ExportError
from kb.export.graph_html import graph_items
from kb.export.html import jinja_environment, write_text
from kb.export.svg import timeline_svg
from kb.graph import DOER_ROLES, build_graph
from kb.graph.records import Record

__all__ = ["write_report", "report_days", "actor_rows", "md_escape"]

_FINE = {None, "minute", "hour", "part_of_day", "day"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: Any) -> str:
    """Text safe to put in Markdown: HTML characters as entities, punctuation escaped."""
    value = str(text if text is not None else "")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = " ".join(value.split())  # also folds U+2028/9 and newlines
    return _MD_SPECIAL.sub(r"\\\1", value)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _heading(item: dict[str, Any]) -> tuple[str, str]:
    if not item.get("date"):
        return "9999-99-99", "Undated"
    if item.get("granularity") in _FINE:
        day = date.fromisoformat(item["date"])
        return item["date"], f"{day.strftime('%A')} {date_words(item['date'])}"
    return item["date"], date_words(item.get("date_value") or item["date"][:7])


def _line(item: dict[str, Any]) -> dict[str, Any]:
    doers = [n for n, r in item["actors"] if r in DOER_ROLES]
    others = [(n, r) for n, r in item["actors"] if r not in DOER_ROLES]
    who = ", ".join(doers) or item.get("speaker")
    if not who:
        mention = item.get("speaker_mention")
        who = f"{mention} (unresolved)" if mention else "Unknown speaker"
    if item.get("quote"):
        verb = item["label"] or "said"
        what = f"{verb}{' ' + item['medium'] if item.get('medium') else ''}"
    else:
        what = f"{item['label'] or item['predicate']} ({item['type']})"
    if item.get("negated"):
        what = f"did not {what}"
    if item.get("hypothetical"):
        what += " (hypothetical)"
    return {
        "who": who,
        "what": what,
        "others": "; ".join(f"{r}: {n}" for n, r in others),
        "quote": item.get("quote"),
        "direct": bool(item.get("direct")),
        "sentence": item["sentence"],
        "source": item["source"],
        "reported": item["basis"] == "reported",
        "type": item["type"],
        "sources": item.get("sources") or 1,
        "reports": [
            {**r, "cited": ", ".join(str(v) for v in (r.get("title") or r.get("source"),
                                                       r.get("source"), r.get("published"))
                                     if v)}
            for r in item.get("reports") or ()
        ],
    }


def report_days(items: dict[str, dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """``[(heading, [line, ...]), ...]`` in date order, undated last; within a day the
    story's order: the facts most sources carry first, then those with most actors."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    ranked = sorted(items.values(), key=lambda i: (
        i.get("date") or "9999", -(i.get("sources") or 1), -len(i.get("actors") or ()),
        i["id"]))
    for item in ranked:
        groups.setdefault(_heading(item), []).append(_line(item))
    return [(heading, lines) for (_, heading), lines in sorted(groups.items())]


def actor_rows(G: Any) -> list[dict[str, Any]]:
    """One row per actor of the graph, busiest first."""
    rows = []
    for node, d in G.nodes(data=True):
        if d.get("node_type") != "actor":
            continue
        days = [
            G.nodes[n]["date"]
            for n in set(G.successors(node)) | set(G.predecessors(node))
            if G.nodes[n].get("date")
        ]
        rows.append(
            {
                "name": d["name"],
                "kind": d.get("kind") or "unknown",
                "titles": "; ".join(d.get("titles") or ()),
                "events": d.get("events", 0),
                "statements": d.get("statements", 0),
                "articles": d.get("articles", 0),
                "first": min(days) if days else "",
                "last": max(days) if days else "",
                "activity": d.get("activity", 0),
            }
        )
    rows.sort(key=lambda r: (-r["activity"], r["name"]))
    return rows


def _markdown(title: str, summary: str, svg_name: str, days, actors) -> str:
    out = [
        f"# {md_escape(title)}",
        "",
        md_escape(summary),
        "",
        f"![Timeline of events by actor]({svg_name})",
        "",
        "## Timeline",
        "",
    ]
    for heading, lines in days:
        out += [f"### {md_escape(heading)}", ""]
        for line in lines:
            text = f"- **{md_escape(line['who'])}** {md_escape(line['what'])}"
            if line["quote"] and line["direct"]:
                text += f": “{md_escape(line['quote'])}”"  # the article's own words
            elif line["quote"]:
                text += f" {md_escape(line['quote'])}"  # reported speech: no marks
            if line["others"]:
                text += f" ({md_escape(line['others'])})"
            if line["reported"]:
                text += " *(date of the report)*"
            if line["sources"] > 1:
                text += f" — {line['sources']} sources"
            out.append(text)
            out.append(f"  > {md_escape(line['sentence'])}")
            out.append(f"  — Source: {md_escape(line['source'])}")
            for report in line["reports"][1:] if len(line["reports"]) > 1 else ():
                out.append(f"  - Also: {md_escape(report['cited'])}: "
                           f"{md_escape(report['sentence'])}")
        out.append("")
    out += [
        "## Actors",
        "",
        "| Actor | Kind | Titles | Events | Statements | Articles | First | Last |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for row in actors:
        cells = [
            row["name"],
            row["kind"],
            row["titles"],
            row["events"],
            row["statements"],
            row["articles"],
            row["first"],
            row["last"],
        ]
        out.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


def write_report(
    events: Sequence[Record],
    statements: Sequence[Record],
    actors: Sequence[Record],
    out: Path,
    *,
    title: str = "kb report: who said and did what, day by day",
    min_sources: int = 1,
) -> Path:
    """Write the report to ``out`` (.md or .html); returns ``out``. Only facts that
    ``min_sources`` outlets or more carry are listed."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".md", ".markdown", ".html", ".htm"):
        raise ExportError(f"{out}: a report is written as .md or .html; change the suffix")
    # The story is what happened and who said what: an event inside a statement's words
    # is that statement (listed), and an event with no actor tells no one's story.
    told = [e for e in events if e.get("reported_by") is None and e.get("actors")]
    G = build_graph(told, statements, actors)
    items = {k: i for k, i in graph_items(G).items() if i["sources"] >= min_sources}
    days = report_days(items)
    rows = actor_rows(G)
    dated = sorted(i["date"] for i in items.values() if i.get("date"))
    sources = {G.nodes[n].get("source_id") for n in items}
    n_quotes = sum(1 for i in items.values() if i.get("quote"))
    summary = (
        f"{_count(len(items) - n_quotes, 'event')} and {_count(n_quotes, 'statement')}"
        f" from {_count(len(sources), 'article')}"
    )
    if dated:
        summary += f", {dated[0]} to {dated[-1]}"
    kinds = {r["name"]: r["kind"] for r in rows}
    svg = timeline_svg(items, kinds, title="Timeline by actor")
    if suffix in (".md", ".markdown"):
        svg_path = write_text(out.with_suffix(".svg"), svg)
        return write_text(out, _markdown(title, summary, svg_path.name, days, rows))
    page = (
        jinja_environment()
        .get_template("report.html")
        .render(title=title, summary=summary, svg=Markup(svg), days=days, actors=rows)
    )
    return write_text(out, page)
