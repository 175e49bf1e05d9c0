#!/usr/bin/env python3
"""Checks gold.json against the articles beside it (plain Python, no kb needed).

Run: python3 tests/data/stories/check_gold.py   (exit 0 when every check passes)

Checks: every article named exists; each claim "text" and each event "sentence"
occurs exactly once in its article; each event "trigger" occurs inside its
sentence; ids are unique; no two gold reports overlap in one article (each
statement and each event mention belongs to exactly one group); speakers and
"different" names are gold actors; every article starts with a `date YYYY-MM-DD`
line and a headline and has 150-400 words of body.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    gold = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
    errors = []
    texts = {}

    def article(name):
        if name not in texts:
            path = HERE / "articles" / name
            if not path.is_file():
                errors.append(f"missing article {name}")
                texts[name] = None
            else:
                texts[name] = path.read_text(encoding="utf-8")
        return texts[name]

    def locate(where, name, needle):
        text = article(name)
        if text is None:
            return None
        count = text.count(needle)
        if count != 1:
            errors.append(f"{where}: {needle!r} occurs {count} times in {name}")
            return None
        start = text.index(needle)
        return start, start + len(needle)

    actors = {a["name"] for a in gold["actors"]}
    for a in gold["actors"]:
        if a["kind"] not in {"person", "organization", "country", "place", "group"}:
            errors.append(f"actor {a['name']}: bad kind {a['kind']}")
    ids = set()
    spans = {}  # article -> list of (start, end, group id)

    for c in gold["claims"]:
        if c["id"] in ids:
            errors.append(f"duplicate id {c['id']}")
        ids.add(c["id"])
        if c["speaker"] not in actors:
            errors.append(f"{c['id']}: speaker {c['speaker']!r} is not a gold actor")
        for r in c["reports"]:
            span = locate(c["id"], r["article"], r["text"])
            if span:
                spans.setdefault(r["article"], []).append((*span, c["id"]))

    for e in gold["events"]:
        if e["id"] in ids:
            errors.append(f"duplicate id {e['id']}")
        ids.add(e["id"])
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["date"]):
            errors.append(f"{e['id']}: bad date {e['date']}")
        for r in e["reports"]:
            if r["trigger"] not in r["sentence"]:
                errors.append(f"{e['id']}: trigger {r['trigger']!r} not in {r['sentence']!r}")
            span = locate(e["id"], r["article"], r["sentence"])
            if span:
                spans.setdefault(r["article"], []).append((*span, e["id"]))

    for name, items in spans.items():
        claims = sorted(s for s in items if s[2].startswith("c"))
        events = sorted(s for s in items if s[2].startswith("e"))
        for group in (claims, events):
            for (_s1, e1, g1), (s2, _e2, g2) in zip(group, group[1:], strict=False):
                if s2 < e1:
                    errors.append(f"{name}: reports of {g1} and {g2} overlap")

    for pair in gold["different"]:
        for n in pair:
            if n not in actors:
                errors.append(f"different: {n!r} is not a gold actor")

    for path in sorted((HERE / "articles").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if not re.fullmatch(r"date \d{4}-\d{2}-\d{2}", lines[0]) or not lines[1].strip():
            errors.append(f"{path.name}: no `date YYYY-MM-DD` line and headline")
        words = len(" ".join(lines[2:]).split())
        if not 150 <= words <= 400:
            errors.append(f"{path.name}: {words} words in the body")
        if path.name not in texts:
            errors.append(f"{path.name}: not used by the gold")

    for e in errors:
        print("ERROR", e)
    multi_c = sum(len({r["article"] for r in c["reports"]}) > 1 for c in gold["claims"])
    multi_e = sum(len({r["article"] for r in e["reports"]}) > 1 for e in gold["events"])
    outlets = {p.name.split("_")[0] for p in (HERE / "articles").glob("*.txt")}
    count = len(list((HERE / "articles").glob("*.txt")))
    print(f"{count} articles, {len(outlets)} outlets, "
          f"{len(gold['claims'])} claims ({multi_c} from 2+ articles), "
          f"{len(gold['events'])} events ({multi_e} from 2+ articles), "
          f"{len(gold['actors'])} actors, {len(gold['different'])} pairs kept apart")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
