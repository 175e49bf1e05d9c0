"""Score who-said-what extraction against brat-annotated attributions (PolNeAR).

The scoring follows the project's evaluation conventions (shared/eval/README.md):

- a predicted quote matches a gold attribution when their content spans overlap with a
  character Dice coefficient >= 0.5, one-to-one, greedily (best Dice first);
  discontinuous gold content counts as the union of its fragments;
- content precision/recall/F1 count matched pairs over all predicted / gold;
- a matched pair is *right* when the predicted speaker mention overlaps the gold source
  span, or neither has one; source accuracy is right pairs over matched pairs;
- pair precision/recall/F1 count right pairs over all predicted / gold.

Usage::

    from kb.eval.attribution import evaluate_attribution, format_report
    report = evaluate_attribution(Path("../shared/eval/polnear/dev"))
    print(format_report(report))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.eval.brat import BratDocument, GoldAttribution, read_split
from kb.extract.types import Quote

__all__ = [
    "MIN_DICE",
    "AttributionError",
    "DocumentScore",
    "AttributionReport",
    "dice",
    "score_document",
    "evaluate_attribution",
    "format_report",
]

#: The least character Dice of two content spans for them to count as the same.
MIN_DICE = 0.5


def dice(a: set[int], b: set[int]) -> float:
    """Character Dice coefficient of two sets of offsets: 2|a∩b| / (|a|+|b|)."""
    if not a and not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass(frozen=True)
class AttributionError:
    """One disagreement with the gold data.

    ``kind`` is "missed" (a gold attribution no prediction matched), "spurious" (a
    prediction that matched no gold attribution) or "wrong_source" (matched content
    but the speaker does not overlap the gold source).
    """

    kind: str
    document: str
    content: str
    offset: int
    gold_source: str | None = None
    predicted_source: str | None = None
    cue: str | None = None
    dice: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "document": self.document,
            "content": self.content,
            "offset": self.offset,
            "gold_source": self.gold_source,
            "predicted_source": self.predicted_source,
            "cue": self.cue,
            "dice": self.dice,
        }


@dataclass(frozen=True)
class DocumentScore:
    """Counts for one document plus its errors."""

    document: str
    gold: int
    predicted: int
    matched: int
    right: int
    errors: tuple[AttributionError, ...] = ()


def _prf(hit: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = hit / predicted if predicted else 0.0
    r = hit / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class AttributionReport:
    """Totals over a split, with every error kept for ``--show-errors``."""

    path: str
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: int = 0
    errors: list[AttributionError] = field(default_factory=list)
    spacy_seconds: float = 0.0
    extract_seconds: float = 0.0

    def add(self, score: DocumentScore) -> None:
        self.documents += 1
        self.gold += score.gold
        self.predicted += score.predicted
        self.matched += score.matched
        self.right += score.right
        self.errors.extend(score.errors)

    @property
    def content(self) -> tuple[float, float, float]:
        """Content (precision, recall, F1)."""
        return _prf(self.matched, self.predicted, self.gold)

    @property
    def pair(self) -> tuple[float, float, float]:
        """End-to-end (content and source) (precision, recall, F1)."""
        return _prf(self.right, self.predicted, self.gold)

    @property
    def source_accuracy(self) -> float:
        """Right sources among matched contents."""
        return self.right / self.matched if self.matched else 0.0

    def to_dict(self) -> dict[str, Any]:
        cp, cr, cf = self.content
        pp, pr, pf = self.pair
        return {
            "path": self.path,
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "right": self.right,
            "content": {"precision": cp, "recall": cr, "f1": cf},
            "source_accuracy": self.source_accuracy,
            "pair": {"precision": pp, "recall": pr, "f1": pf},
            "seconds": {"spacy": self.spacy_seconds, "find_quotes": self.extract_seconds},
            "errors": [e.to_dict() for e in self.errors],
        }


def _quote_chars(q: Quote) -> set[int]:
    return set(range(q.content.start, q.content.end))


def _source_right(q: Quote, g: GoldAttribution) -> bool:
    if q.speaker is None or g.source is None:
        return q.speaker is None and g.source is None
    return any(s < q.speaker.end and q.speaker.start < e for s, e in g.source.fragments)


def score_document(doc: BratDocument, quotes: Sequence[Quote]) -> DocumentScore:
    """Match ``quotes`` to the gold attributions of ``doc`` and count."""
    golds = doc.attributions
    gchars = [g.content.chars() for g in golds]
    qchars = [_quote_chars(q) for q in quotes]
    cands = []
    for i, qc in enumerate(qchars):
        for j, gc in enumerate(gchars):
            if qc & gc:
                d = dice(qc, gc)
                if d >= MIN_DICE:
                    cands.append((-d, i, j))
    cands.sort()
    q_used: dict[int, int] = {}
    g_used: set[int] = set()
    dices: dict[int, float] = {}
    for neg, i, j in cands:
        if i not in q_used and j not in g_used:
            q_used[i] = j
            g_used.add(j)
            dices[i] = -neg
    errors: list[AttributionError] = []
    right = 0
    for i, j in sorted(q_used.items()):
        q, g = quotes[i], golds[j]
        if _source_right(q, g):
            right += 1
        else:
            errors.append(
                AttributionError(
                    "wrong_source",
                    doc.name,
                    g.content.text,
                    g.content.start,
                    g.source.text if g.source else None,
                    q.speaker.text if q.speaker else None,
                    q.cue.text if q.cue else None,
                    dices[i],
                )
            )
    for j, g in enumerate(golds):
        if j not in g_used:
            errors.append(
                AttributionError(
                    "missed",
                    doc.name,
                    g.content.text,
                    g.content.start,
                    gold_source=g.source.text if g.source else None,
                    cue=g.cue.text if g.cue else None,
                )
            )
    for i, q in enumerate(quotes):
        if i not in q_used:
            errors.append(
                AttributionError(
                    "spurious",
                    doc.name,
                    q.content.text,
                    q.content.start,
                    predicted_source=q.speaker.text if q.speaker else None,
                    cue=q.cue.text if q.cue else None,
                )
            )
    errors.sort(key=lambda e: e.offset)
    return DocumentScore(doc.name, len(golds), len(quotes), len(q_used), right, tuple(errors))


def evaluate_attribution(
    path: Path,
    nlp: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> AttributionReport:
    """Run :func:`kb.extract.quotes.find_quotes` over a brat split and score it.

    ``path`` is a split folder (e.g. ``polnear/dev``); ``nlp`` a loaded spaCy pipeline
    (default :func:`kb.nlp.get_nlp`); ``progress(done, total)`` is called after each
    document.
    """
    from kb.extract.quotes import find_quotes
    from kb.nlp import get_nlp

    docs = read_split(Path(path))
    nlp = nlp or get_nlp()
    report = AttributionReport(path=str(path))
    for n, doc in enumerate(docs, 1):
        t0 = time.perf_counter()
        sdoc = nlp(doc.text)
        t1 = time.perf_counter()
        quotes = find_quotes(sdoc)
        t2 = time.perf_counter()
        report.spacy_seconds += t1 - t0
        report.extract_seconds += t2 - t1
        report.add(score_document(doc, quotes))
        if progress:
            progress(n, len(docs))
    return report


def _clip(text: str | None, width: int = 110) -> str:
    if text is None:
        return "-"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_report(report: AttributionReport, show_errors: bool = False) -> str:
    """A plain-text summary; with ``show_errors`` every error, grouped by document."""
    cp, cr, cf = report.content
    pp, pr, pf = report.pair
    lines = [
        f"attribution: {report.path}",
        f"documents {report.documents}  gold {report.gold}  predicted {report.predicted}  "
        f"matched {report.matched}  right {report.right}",
        f"content  P {cp:.3f}  R {cr:.3f}  F1 {cf:.3f}",
        f"source accuracy given content {report.source_accuracy:.3f}",
        f"pair     P {pp:.3f}  R {pr:.3f}  F1 {pf:.3f}",
    ]
    if report.documents and report.extract_seconds + report.spacy_seconds > 0:
        sp = report.documents / report.spacy_seconds if report.spacy_seconds else 0.0
        fq = report.documents / report.extract_seconds if report.extract_seconds else 0.0
        lines.append(f"speed    spaCy {sp:.1f} docs/s  find_quotes {fq:.1f} docs/s")
    if show_errors:
        counts: dict[str, int] = {}
        for e in report.errors:
            counts[e.kind] = counts.get(e.kind, 0) + 1
        lines.append(
            "errors   "
            + "  ".join(f"{k} {counts.get(k, 0)}" for k in ("missed", "spurious", "wrong_source"))
        )
        current = None
        for e in report.errors:
            if e.document != current:
                current = e.document
                lines.append(f"\n== {current}")
            if e.kind == "wrong_source":
                gold, pred = _clip(e.gold_source, 40), _clip(e.predicted_source, 40)
                detail = f"gold source {gold} / predicted {pred}"
            elif e.kind == "missed":
                detail = f"gold source {_clip(e.gold_source, 40)}  cue {_clip(e.cue, 30)}"
            else:
                detail = f"speaker {_clip(e.predicted_source, 40)}  cue {_clip(e.cue, 30)}"
            lines.append(f"{e.kind:<12} @{e.offset:<6} {detail}\n    {_clip(e.content)}")
    return "\n".join(lines)
