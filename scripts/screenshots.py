"""Write PNG screenshots of the graph and timeline exports (headless Chromium).

    python scripts/screenshots.py [--records FILE.json | --db URL] [--out-dir exports/]

With ``--records`` (a JSON file holding "events", "statements" and "actors" lists, like
tests/data/records/ukraine.json) the pages are written from those records; otherwise
they are written from the store (``--db`` or the configured database). The PNGs go
beside the pages: graph.png, timeline.png.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kb.errors import KBError
from kb.export.graph_html import write_graph_html
from kb.export.screenshots import take_screenshots
from kb.export.timeline_html import write_timeline_html
from kb.graph import build_graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, help="JSON file of events/statements/actors")
    parser.add_argument("--db", help="database URL (default: the configured store)")
    parser.add_argument("--out-dir", type=Path, default=Path("exports"))
    args = parser.parse_args(argv)
    try:
        if args.records:
            data = json.loads(args.records.read_text(encoding="utf-8"))
            events, statements, actors = data["events"], data["statements"], data["actors"]
        else:
            from kb.export.commands import load_records
            from kb.store import Store

            with Store.open(args.db) as store:
                events, statements, actors = load_records(store)
        pages = {
            "graph": write_graph_html(
                build_graph(events, statements, actors), args.out_dir / "graph.html"
            ),
            "timeline": write_timeline_html(
                events, statements, args.out_dir / "timeline.html", actors
            ),
        }
        for name, path in take_screenshots(pages, args.out_dir).items():
            print(f"{name}: {path}")
    except KBError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
