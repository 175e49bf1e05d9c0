"""A static picture of the timeline, for print: an SVG drawn here, no browser needed.

One lane per actor (the busiest ``max_lanes``), time left to right with labelled ticks,
events as circles and statements as squares, filled when the text states the date and
hollow (dashed) when only the article's date is known. Every text is XML-escaped and
each mark carries a ``<title>`` with its date and sentence, so the picture is readable
on paper and inspectable on screen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from html import escape as _html_escape
from typing import Any

from kb.export.html import kind_colour, type_colour
from kb.graph import DOER_ROLES
from kb.safe import xml_text

__all__ = ["timeline_svg", "tick_days"]

def escape(text: Any) -> str:
    """Text for an SVG document: characters XML forbids replaced, markup escaped."""
    return _html_escape(xml_text(str(text)))


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def tick_days(first: date, last: date, max_ticks: int = 10) -> tuple[list[date], str]:
    """Tick dates between ``first`` and ``last`` and the unit (day, week, month, year).

    Works to the ends of the calendar (0001-01-01 to 9999-12-31): ticks are computed by
    day number, and none is placed outside ``first``..``last``.
    """
    span = max((last - first).days, 1)
    for unit, days in (("day", 1), ("day", 2), ("week", 7), ("week", 14)):
        if span / days <= max_ticks:
            start = first.toordinal() - (first.weekday() if unit == "week" else 0)
            numbers = (start + i * days for i in range(span // days + 2))
            return [
                date.fromordinal(n)
                for n in numbers
                if first.toordinal() <= n <= last.toordinal()
            ], unit
    for months in (1, 3, 6, 12, 24, 60, 120):
        if span / (30.4 * months) <= max_ticks:
            break
    unit = "year" if months >= 12 else "month"
    ticks, y, m = [], first.year, 1 if months >= 12 else first.month - (first.month - 1) % months
    current = date(y, m, 1)
    while current <= last:
        if current >= first:
            ticks.append(current)
        m += months
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        if y > 9999:
            break
        current = date(y, m, 1)
    return ticks, unit


def _tick_label(day: date, unit: str) -> str:
    if unit == "year":
        return str(day.year)
    if unit == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def timeline_svg(
    items: dict[str, dict[str, Any]],
    kinds: dict[str, str] | None = None,
    *,
    width: int = 960,
    max_lanes: int = 24,
    title: str = "Timeline",
) -> str:
    """The SVG for these items (as from :func:`kb.export.graph_html.graph_items`)."""
    kinds = kinds or {}
    dated = sorted((i for i in items.values() if i.get("date")), key=lambda i: (i["date"], i["id"]))
    activity: Counter[str] = Counter(n for i in dated for n, _ in i["actors"])
    lanes = [n for n, _ in activity.most_common(max_lanes)]
    hidden = len(activity) - len(lanes)
    left, right, top, lane_h = 190, 30, 56, 30
    height = top + lane_h * max(len(lanes), 1) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    if not dated:
        parts.append('<text x="10" y="46" fill="#666">No dated events.</text></svg>')
        return "\n".join(parts)
    first, last = date.fromisoformat(dated[0]["date"]), date.fromisoformat(dated[-1]["date"])
    span = max((last - first).days, 1)
    plot = width - left - right

    def x_of(day: date) -> float:
        return round(left + (day - first).days / span * plot, 1)

    ticks, unit = tick_days(first, last)
    for day in ticks:
        x = x_of(day)
        parts.append(
            f'<line x1="{x}" y1="{top - 14}" x2="{x}" y2="{height - 30}" stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{x + 3}" y="{top - 18}" fill="#333">{escape(_tick_label(day, unit))}</text>'
        )
    for index, name in enumerate(lanes):
        y = top + index * lane_h + lane_h / 2
        if index % 2:
            parts.append(
                f'<rect x="0" y="{y - lane_h / 2}" width="{width}" height="{lane_h}" '
                'fill="#f5f6f8"/>'
            )
        label = name if len(name) <= 26 else name[:25] + "…"
        parts.append(f'<circle cx="12" cy="{y}" r="4" fill="{kind_colour(kinds.get(name))}"/>')
        parts.append(f'<text x="22" y="{y + 4}" fill="#222">{escape(label)}</text>')
    lane_of = {n: i for i, n in enumerate(lanes)}
    types = sorted({i["type"] for i in dated})
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for item in dated:
        names = [n for n, r in item["actors"] if r in DOER_ROLES] or [n for n, _ in item["actors"]]
        for name in dict.fromkeys(n for n, _ in item["actors"]):
            if name not in lane_of:
                continue
            main = name in names
            row = lane_of[name]
            offset = seen[(row, item["date"])]
            seen[(row, item["date"])] += 1
            x = x_of(date.fromisoformat(item["date"])) + min(offset, 4) * 4
            y = top + row * lane_h + lane_h / 2
            colour = type_colour(item["type"], types)
            fill = colour if item["basis"] == "stated" else "#ffffff"
            dash = "" if item["basis"] == "stated" else ' stroke-dasharray="2 2"'
            size = 5 if main else 3
            tip = f"{item['when']} {item['type']}: {item.get('words') or item['sentence']}"
            if item["type"] == "statement" or item.get("quote"):
                shape = (
                    f'<rect x="{x - size}" y="{y - size}" width="{2 * size}" height="{2 * size}"'
                )
            else:
                shape = f'<circle cx="{x}" cy="{y}" r="{size}"'
            parts.append(
                f'{shape} fill="{fill}" stroke="{colour}" stroke-width="1.5"{dash}>'
                f"<title>{escape(tip)}</title></{shape.split()[0][1:]}>"
            )
    legend_y = height - 12
    x = 10.0
    for kind in types:
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{type_colour(kind, types)}"/>'
        )
        parts.append(f'<text x="{x + 14}" y="{legend_y}" fill="#333">{escape(kind)}</text>')
        x += 24 + 7 * len(kind)
    note = "filled: date stated · hollow: date of the report"
    if hidden:
        note += f" · {hidden} less active actors not shown"
    parts.append(f'<text x="{x + 10}" y="{legend_y}" fill="#666">{escape(note)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
