"""Score time-expression extraction against TimeML gold (TempEval-3 conventions).

For each document the real pipeline runs (``kb.nlp.get_nlp()`` then
:func:`kb.extract.dates.find_times` anchored at the document creation time) and the
predictions are matched to the gold TIMEX3:

- strict span: identical character span;
- relaxed span: any character overlap, one-to-one (largest overlap first);
- type / value: a relaxed match whose TIMEX3 type / value is identical.

Every measure is precision over all predictions, recall over all gold and their F1,
summed over documents (micro average).

Usage::

    report = evaluate_timex([Path("../shared/eval/tempeval3/TBAQ-cleaned")])
    print(format_report(report))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.eval.common import PRF, SpanError, match_overlaps
from kb.eval.timeml import GoldTimex, TimeMLDocument, read_timeml, timeml_paths

__all__ = ["TimexError", "TimexReport", "evaluate_timex", "score_document", "format_report"]

MEASURES = ("strict", "relaxed", "type", "value")


#: One disagreement: ``kind`` is "missed", "spurious", "type" or "value".
TimexError = SpanError


@dataclass
class TimexReport:
    """Counts per measure, every error, and where the time went."""

    documents: int = 0
    scores: dict[str, PRF] = field(default_factory=lambda: {m: PRF(0, 0, 0) for m in MEASURES})
    errors: list[TimexError] = field(default_factory=list)
    nlp_seconds: float = 0.0
    find_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "scores": {m: s.to_dict() for m, s in self.scores.items()},
            "errors": [e.to_dict() for e in self.errors],
            "seconds": {
                "nlp": round(self.nlp_seconds, 3),
                "find_times": round(self.find_seconds, 3),
            },
        }


def score_document(
    name: str, gold: Sequence[GoldTimex], pred: Sequence[Any]
) -> tuple[dict[str, PRF], list[TimexError]]:
    """Score one document's predictions (anything with text/start/end/type/value)."""
    ng, np_ = len(gold), len(pred)
    gspans = [(g.start, g.end) for g in gold]
    pspans = [(p.start, p.end) for p in pred]
    strict = len(set(gspans) & set(pspans))
    pairs = match_overlaps(gspans, pspans)
    typ = sum(1 for i, j in pairs.items() if gold[i].type == pred[j].type)
    val = sum(1 for i, j in pairs.items() if gold[i].value == pred[j].value)
    scores = {
        "strict": PRF(strict, np_, ng),
        "relaxed": PRF(len(pairs), np_, ng),
        "type": PRF(typ, np_, ng),
        "value": PRF(val, np_, ng),
    }
    errors = []
    matched = set(pairs.values())
    for i, g in enumerate(gold):
        if i not in pairs:
            errors.append(
                TimexError(name, "missed", g.text, g.start, g.end, f"{g.type} {g.value}", None)
            )
            continue
        p = pred[pairs[i]]
        if g.value != p.value or g.type != p.type:
            kind = "value" if g.value != p.value else "type"
            errors.append(
                TimexError(
                    name,
                    kind,
                    g.text,
                    g.start,
                    g.end,
                    f"{g.type} {g.value}",
                    f"{p.type} {p.value} [{p.text}]",
                )
            )
    for j, p in enumerate(pred):
        if j not in matched:
            errors.append(
                TimexError(name, "spurious", p.text, p.start, p.end, None, f"{p.type} {p.value}")
            )
    return scores, errors


def evaluate_timex(
    paths: list[Path],
    nlp: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> TimexReport:
    """Run the pipeline over TimeML files or folders (recursive ``*.tml``) and score it."""
    from kb.extract.dates import find_times

    if nlp is None:
        from kb.nlp import get_nlp

        nlp = get_nlp()
    files = timeml_paths(paths)
    report = TimexReport()
    docs: list[TimeMLDocument] = [read_timeml(f) for f in files]
    for k, doc in enumerate(docs):
        t0 = time.perf_counter()
        parsed = nlp(doc.text)
        t1 = time.perf_counter()
        pred = find_times(parsed, doc.dct)
        t2 = time.perf_counter()
        report.nlp_seconds += t1 - t0
        report.find_seconds += t2 - t1
        scores, errors = score_document(doc.name, doc.timexes, pred)
        report.documents += 1
        for m in MEASURES:
            report.scores[m] = report.scores[m] + scores[m]
        report.errors.extend(errors)
        if progress is not None:
            progress(k + 1, len(docs))
    return report


def format_report(report: TimexReport, show_errors: bool = False) -> str:
    """A text table of P/R/F1 per measure; with ``show_errors`` every error below it."""
    lines = [
        f"time expressions: {report.documents} documents, "
        f"{report.scores['relaxed'].gold} gold, {report.scores['relaxed'].predicted} predicted",
        "",
        f"{'measure':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'correct':>10}",
    ]
    labels = {"strict": "strict span", "relaxed": "relaxed span", "type": "type",
              "value": "value"}  # fmt: skip
    for m in MEASURES:
        s = report.scores[m]
        lines.append(
            f"{labels[m]:<14}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.correct:>10d}"
        )
    if report.documents:
        per = report.documents
        lines += [
            "",
            f"spaCy {per / report.nlp_seconds if report.nlp_seconds else 0:.1f} docs/s, "
            f"find_times {per / report.find_seconds if report.find_seconds else 0:.1f} docs/s",
        ]
    if show_errors and report.errors:
        lines += ["", f"{'document':<28}{'error':<10}{'text':<32}{'gold':<24}predicted"]
        for e in report.errors:
            lines.append(
                f"{e.doc:<28}{e.kind:<10}{e.text!r:<32}{e.gold or '-':<24}{e.predicted or '-'}"
            )
    return "\n".join(lines)
