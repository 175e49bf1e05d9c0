"""Score event extraction against TimeML EVENT gold (TBAQ-cleaned conventions).

For each document the real pipeline runs (:func:`kb.parse_article` anchored at the
document creation time) and every event trigger kb emits is a prediction, statements
included: a statement's cue ("said", "warned") is a trigger whose TimeML class is
REPORTING, as TimeML marks reporting verbs as events. A statement found without a cue
has only its content as "trigger": that is not a predicate, so it is left out and
counted (``uncued``). Two events on the same trigger span count once.

- strict: identical character span;
- relaxed: any character overlap, one to one (largest overlap first);
- class: a relaxed match whose TimeML class (:func:`predicted_class`) is the gold one.

Every measure is precision over all predictions, recall over all gold and their F1,
summed over documents (micro average). The project's target is measured on the
held-out fifth (``split="heldout"``, see :mod:`kb.eval.splits`).

>>> predicted_class({"type": "statement", "quote": 0})
'REPORTING'
>>> predicted_class({"type": "meeting", "quote": None})
'OCCURRENCE'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.eval.common import PRF, SpanError, match_overlaps
from kb.eval.splits import select
from kb.eval.timeml import EVENT_CLASSES, GoldEvent, TimeMLDocument, read_timeml, timeml_paths

__all__ = [
    "EventError",
    "EventReport",
    "PredictedEvent",
    "evaluate_events",
    "format_report",
    "predicted_class",
    "predicted_events",
    "score_document",
]

MEASURES = ("strict", "relaxed", "class")


def _field(event: Any, name: str) -> Any:
    return event.get(name) if isinstance(event, Mapping) else getattr(event, name, None)


def predicted_class(event: Any) -> str:
    """The TimeML class kb gives an event (an :class:`~kb.extract.types.Event` or its
    dict): its own ``tml_class`` when the record carries one, else REPORTING for a
    statement (an event that reports a quote, or of type "statement") and OCCURRENCE
    for every other type. The one place that decides it."""
    own = _field(event, "tml_class")
    if own:
        return str(own)
    if _field(event, "quote") is not None or _field(event, "type") == "statement":
        return "REPORTING"
    return "OCCURRENCE"


@dataclass(frozen=True)
class PredictedEvent:
    """One prediction: the trigger's span, kb's event type and its TimeML class."""

    text: str
    start: int
    end: int
    type: str
    tml_class: str


def predicted_events(parsed: Any) -> tuple[list[PredictedEvent], int]:
    """The triggers of a :class:`~kb.extract.types.ParsedArticle` as predictions, one
    per span in text order, and the number of cueless statements left out."""
    out: dict[tuple[int, int], PredictedEvent] = {}
    uncued = 0
    for e in parsed.events:
        if e.quote is not None and parsed.quotes[e.quote].cue is None:
            uncued += 1
            continue
        span = (e.trigger.start, e.trigger.end)
        if span not in out:
            out[span] = PredictedEvent(e.trigger.text, *span, e.type, predicted_class(e))
    return [out[s] for s in sorted(out)], uncued


#: One disagreement: ``kind`` is "missed", "spurious" or "class".
EventError = SpanError


@dataclass
class EventReport:
    """Counts per measure, gold recall per TimeML class, every error, the time taken."""

    split: str = "all"
    documents: int = 0
    uncued: int = 0
    scores: dict[str, PRF] = field(default_factory=lambda: {m: PRF(0, 0, 0) for m in MEASURES})
    by_class: dict[str, PRF] = field(
        default_factory=lambda: {c: PRF(0, 0, 0) for c in EVENT_CLASSES}
    )
    errors: list[EventError] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "documents": self.documents,
            "uncued_statements_left_out": self.uncued,
            "scores": {m: s.to_dict() for m, s in self.scores.items()},
            "by_class": {c: s.to_dict() for c, s in self.by_class.items()},
            "errors": [e.to_dict() for e in self.errors],
            "seconds": round(self.seconds, 3),
        }


def score_document(
    name: str, gold: Sequence[GoldEvent], pred: Sequence[PredictedEvent]
) -> tuple[dict[str, PRF], dict[str, PRF], list[EventError]]:
    """Score one document: counts per measure, per gold class (correct = class right,
    predicted = predictions of that class), and the errors."""
    gspans = [(g.start, g.end) for g in gold]
    pspans = [(p.start, p.end) for p in pred]
    pairs = match_overlaps(gspans, pspans)
    right = {i for i, j in pairs.items() if gold[i].tml_class == pred[j].tml_class}
    scores = {
        "strict": PRF(len(set(gspans) & set(pspans)), len(pred), len(gold)),
        "relaxed": PRF(len(pairs), len(pred), len(gold)),
        "class": PRF(len(right), len(pred), len(gold)),
    }
    by_class = {
        c: PRF(
            sum(1 for i in right if gold[i].tml_class == c),
            sum(1 for p in pred if p.tml_class == c),
            sum(1 for g in gold if g.tml_class == c),
        )
        for c in EVENT_CLASSES
    }
    errors = []
    for i, g in enumerate(gold):
        if i not in pairs:
            errors.append(EventError(name, "missed", g.text, g.start, g.end, g.tml_class, None))
        elif i not in right:
            p = pred[pairs[i]]
            errors.append(EventError(name, "class", g.text, g.start, g.end, g.tml_class,
                                     f"{p.tml_class} ({p.type}) [{p.text}]"))
    matched = set(pairs.values())
    for j, p in enumerate(pred):
        if j not in matched:
            errors.append(EventError(name, "spurious", p.text, p.start, p.end, None,
                                     f"{p.tml_class} ({p.type})"))
    return scores, by_class, errors


def evaluate_events(
    paths: Sequence[str | Path],
    split: str = "all",
    nlp: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> EventReport:
    """Run :func:`kb.parse_article` over TimeML files or folders (recursive ``*.tml``)
    of ``split`` ("heldout", "train" or "all") and score its event triggers."""
    from kb.extract.pipeline import parse_article

    if nlp is None:
        from kb.nlp import get_nlp

        nlp = get_nlp()
    files = select(timeml_paths(paths), split)
    docs: list[TimeMLDocument] = [read_timeml(f) for f in files]
    report = EventReport(split=split)
    for k, doc in enumerate(docs):
        t0 = time.perf_counter()
        parsed = parse_article(doc.text, doc.dct, nlp=nlp)
        report.seconds += time.perf_counter() - t0
        pred, uncued = predicted_events(parsed)
        scores, by_class, errors = score_document(doc.name, doc.events, pred)
        report.documents += 1
        report.uncued += uncued
        for m in MEASURES:
            report.scores[m] = report.scores[m] + scores[m]
        for c in EVENT_CLASSES:
            report.by_class[c] = report.by_class[c] + by_class[c]
        report.errors.extend(errors)
        if progress is not None:
            progress(k + 1, len(docs))
    return report


def format_report(report: EventReport, show_errors: bool = False) -> str:
    """A text table of P/R/F1 per measure and per gold class; with ``show_errors``
    every error below it."""
    relaxed = report.scores["relaxed"]
    lines = [
        f"events (split {report.split}): {report.documents} documents, {relaxed.gold} gold, "
        f"{relaxed.predicted} predicted ({report.uncued} statements without a cue left out)",
        "",
        f"{'measure':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'correct':>10}",
    ]
    labels = {"strict": "strict span", "relaxed": "relaxed span", "class": "class"}
    for m in MEASURES:
        s = report.scores[m]
        lines.append(
            f"{labels[m]:<14}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.correct:>10d}"
        )
    lines += ["", f"{'gold class':<14}{'gold':>8}{'predicted':>10}{'right':>8}{'recall':>10}"]
    for c, s in report.by_class.items():
        lines.append(f"{c:<14}{s.gold:>8d}{s.predicted:>10d}{s.correct:>8d}{s.recall:>10.3f}")
    if report.documents and report.seconds:
        lines += ["", f"parse_article {report.documents / report.seconds:.1f} docs/s"]
    if show_errors and report.errors:
        lines += ["", f"{'document':<28}{'error':<10}{'text':<28}{'gold':<12}predicted"]
        for e in report.errors:
            lines.append(
                f"{e.doc:<28}{e.kind:<10}{e.text!r:<28}{e.gold or '-':<12}{e.predicted or '-'}"
            )
    return "\n".join(lines)
