"""Consolidation across sources: pairwise precision and recall of claims and events.

The gold (a JSON file beside the articles, as in tests/data/stories/gold.json) lists
claims and events, each with its reports: ``{"article": file name, "text": words of
the statement}`` or ``{"article", "trigger", "sentence"}`` for an event. A gold report
is found among kb's reports of the same article: the statement whose words contain
the gold words or are contained in them (compared without case, accents and
punctuation), the event whose trigger is the gold trigger in a sentence holding the
gold sentence. Over the gold reports kb found, every pair of reports is scored:
kb puts them in one group or not, the gold does or not.

Precision is the share of kb's same-group pairs that the gold groups together too,
recall the share of the gold's same-group pairs kb groups together; ``found`` says how
many gold reports kb extracted at all (extraction, not consolidation).

>>> pairwise({"a": 1, "b": 1, "c": 2}, {"a": 1, "b": 1, "c": 1})
Pairwise(reports=3, precision=0.3333333333333333, recall=1.0, f1=0.5)
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from kb.errors import InputError
from kb.store.sameness import words

__all__ = [
    "Pairwise",
    "ConsolidationScore",
    "pairwise",
    "score_consolidation",
    "load_gold",
    "evaluate_consolidation",
    "event_coreference",
    "format_report",
]


@dataclass(frozen=True)
class Pairwise:
    """Pairwise scores over ``reports`` gold reports that kb found."""

    reports: int
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConsolidationScore:
    claims: Pairwise
    events: Pairwise
    claim_reports: int  # gold statement reports
    claim_found: int  # ... of which kb extracted
    event_reports: int
    event_found: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pairwise(gold: Mapping[Any, Hashable], found: Mapping[Any, Hashable]) -> Pairwise:
    """Pairwise P/R/F1 of the grouping ``found`` (item -> group) against ``gold``,
    over the items both hold."""
    items = sorted((i for i in gold if i in found), key=repr)
    same_gold = {p for p in combinations(items, 2) if gold[p[0]] == gold[p[1]]}
    same_found = {p for p in combinations(items, 2) if found[p[0]] == found[p[1]]}
    both = len(same_gold & same_found)
    precision = both / len(same_found) if same_found else 1.0
    recall = both / len(same_gold) if same_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Pairwise(len(items), precision, recall, f1)


def load_gold(path: Path) -> dict[str, Any]:
    """The gold file, or :class:`kb.errors.InputError` naming what is wrong."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable gold JSON file ({exc})") from None
    if not isinstance(gold, dict) or not {"claims", "events"} <= gold.keys():
        raise InputError(f"{path}: a gold file needs 'claims' and 'events' lists")
    return gold


def _article(record: Mapping[str, Any]) -> str:
    path = (record.get("source") or {}).get("path") or ""
    return Path(path).name


def _joined(text: str) -> str:
    return f" {' '.join(words(text))} "


def _find_statement(gold: Mapping[str, Any], reports: Sequence[tuple[str, str, Any]]) -> Any:
    want = _joined(gold["text"])
    for article, text, group in reports:
        if article == gold["article"]:
            have = _joined(text)
            if want in have or (len(have.split()) >= 4 and have in want):
                return group
    return None


def _find_event(gold: Mapping[str, Any], reports: Sequence[tuple[str, str, str, Any]]) -> Any:
    want, trigger = _joined(gold["sentence"]), words(gold["trigger"])
    for article, text, sentence, group in reports:
        if article == gold["article"] and words(text) == trigger and want in _joined(sentence):
            return group
    return None


def _groupings(
    facts: Iterable[Mapping[str, Any]], find: Callable[[Mapping[str, Any]], Any]
) -> tuple[dict[tuple[str, int], str], dict[tuple[str, int], Any]]:
    """Every gold report (fact id, its number) -> its gold fact, and -> the group kb
    put the report it found for it in (reports kb did not extract are left out)."""
    gold: dict[tuple[str, int], str] = {}
    found: dict[tuple[str, int], Any] = {}
    for fact in facts:
        for i, report in enumerate(fact["reports"]):
            gold[(fact["id"], i)] = fact["id"]
            group = find(report)
            if group is not None:
                found[(fact["id"], i)] = group
    return gold, found


def score_consolidation(
    gold: Mapping[str, Any],
    statements: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
) -> ConsolidationScore:
    """Score kb's statement and event reports (records of ``--reports`` listings, each
    with its ``claim``/``group``) against ``gold``."""
    said = [(_article(r), r["content"], r["claim"]) for r in statements]
    happened = [(_article(r), r["trigger"], r["sentence"], r["group"]) for r in events]
    claim_gold, claim_found = _groupings(gold["claims"], lambda r: _find_statement(r, said))
    event_gold, event_found = _groupings(gold["events"], lambda r: _find_event(r, happened))
    return ConsolidationScore(
        claims=pairwise(claim_gold, claim_found),
        events=pairwise(event_gold, event_found),
        claim_reports=len(claim_gold),
        claim_found=len(claim_found),
        event_reports=len(event_gold),
        event_found=len(event_found),
    )


def evaluate_consolidation(
    folder: Path,
    db: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ConsolidationScore:
    """Ingest ``folder``/articles into ``db`` (a new SQLite file in a temporary folder
    when None) and score its claims and events against ``folder``/gold.json."""
    from kb.ingest.run import ingest
    from kb.store import Store

    gold = load_gold(folder / "gold.json")
    articles = folder / "articles"
    if not articles.is_dir():
        raise InputError(f"{articles}: no articles folder beside gold.json")
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as tmp:
        url = db or f"sqlite:///{Path(tmp) / 'kb.sqlite'}"
        with Store.open(url) as store:
            summary = ingest(store, [str(articles)], progress=progress)
            if summary.failed:
                raise InputError(f"{articles}: {len(summary.failed)} articles failed to ingest: "
                                 f"{summary.failed[0]}")
            return score_consolidation(
                gold, store.statements(limit=None, reports=True),
                store.events(limit=None, reports=True),
            )


def format_report(score: ConsolidationScore, show_errors: bool = False) -> str:
    """The text report of ``kb eval consolidation``."""
    lines = [
        f"statement reports found: {score.claim_found}/{score.claim_reports}; "
        f"event reports found: {score.event_found}/{score.event_reports}",
        f"{'':8}{'reports':>8}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for name, p in (("claims", score.claims), ("events", score.events)):
        lines.append(f"{name:8}{p.reports:>8}{p.precision:>8.3f}{p.recall:>8.3f}{p.f1:>8.3f}")
    return "\n".join(lines)


def event_coreference(
    folder: Path, progress: Callable[[int, int], None] | None = None
) -> Pairwise:
    """Pairwise P/R of kb's consolidated events against the cross-document coreference
    of the SemEval-2015 Task 4 timelines: mentions one gold line lists together (in any
    entity's timeline) are one event. The task's documents are stored in a new
    temporary SQLite database, each dated by its creation time; every kb event report
    is named by the task id of its trigger's first token."""
    import kb
    from kb.eval.semeval import read_task
    from kb.ingest.article import Article
    from kb.nlp import get_nlp
    from kb.store import Store

    task = read_task(folder)
    # one node per gold line and per mention: a mention on two entities' lines joins them
    lines = [line.mentions for t in task.timelines for line in t.lines if line.mentions]
    graph = nx.Graph((("line", n), m) for n, mentions in enumerate(lines) for m in mentions)
    gold = {m: n for n, part in enumerate(nx.connected_components(graph))
            for m in part if isinstance(m, str)}
    nlp = get_nlp()
    found: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as tmp:
        with Store.open(f"sqlite:///{Path(tmp) / 'kb.sqlite'}") as store:
            by_hash = {}
            for done, doc in enumerate(task.documents, 1):
                published = doc.dct.isoformat() if doc.dct else None
                article = Article(text=doc.text, published=published, path=doc.name)
                by_hash[article.id] = doc
                store.add_article(article, kb.parse_article(doc.text, published, nlp=nlp))
                if progress is not None:
                    progress(done, len(task.documents))
            for event in store.events(limit=None, reports=True):
                source = by_hash.get(event["source"]["id"])
                for report in event["reports"]:
                    if report["id"] == event["id"] and source is not None:
                        named = source.mention_id(report["start"])
                        if named is not None and named in gold:
                            found.setdefault(named, event["group"])
    return pairwise(gold, found)
