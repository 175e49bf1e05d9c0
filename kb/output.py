"""Writing records as a table, JSON or CSV: the three formats every listing offers.

CSV cells go through :func:`kb.safe.csv_cell` (no cell a spreadsheet would evaluate).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from kb.safe import csv_cell

__all__ = ["FORMATS", "render", "to_json", "to_csv", "flatten"]

FORMATS = ("table", "json", "csv")


def to_json(records: Any) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2, default=str)


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted columns; lists of names are joined with '; ', and a
    fact's reports (dicts with an "article") become their outlets and dates, so CSV
    keeps one row per claim or event."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            parts = []
            for v in value:
                if isinstance(v, dict) and "article" in v:
                    parts.append(f"{v.get('source')} ({v.get('published') or 'undated'})")
                elif isinstance(v, dict):
                    parts.append(":".join(str(x) for x in v.values() if x is not None))
                else:
                    parts.append(str(v))
            out[name] = "; ".join(parts)
        else:
            out[name] = value
    return out


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    rows = [flatten(r) for r in records]
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def render(
    records: Sequence[dict[str, Any]],
    fmt: str,
    table: Callable[[Sequence[dict[str, Any]]], Any],
) -> str | Any:
    """JSON or CSV text, or (for "table") whatever ``table`` builds (a Rich Table)."""
    if fmt == "json":
        return to_json(list(records))
    if fmt == "csv":
        return to_csv(records)
    return table(records)
