"""Precision, recall and F1: the counting every kb evaluation shares.

One place for the arithmetic so that every scorer (time expressions, attributions)
rounds and treats empty sets the same way: with nothing predicted precision is 0.0,
with nothing to find recall is 0.0, and F1 is 0.0 when both are 0.

>>> PRF(correct=3, predicted=4, gold=6).f1
0.6
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PRF", "SpanError", "match_overlaps", "ratio"]


@dataclass(frozen=True)
class SpanError:
    """One disagreement between gold and prediction over a span of a document: ``kind``
    is "missed", "spurious", or the measure the matched pair disagrees on ("type",
    "value", "class"); ``gold``/``predicted`` say what each side has there."""

    doc: str
    kind: str
    text: str
    start: int
    end: int
    gold: str | None
    predicted: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def ratio(numerator: int | float, denominator: int | float) -> float:
    """``numerator / denominator``, or 0.0 when the denominator is 0."""
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class PRF:
    """Counts of one measure: ``correct`` matches out of ``predicted`` and ``gold``."""

    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.correct, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return ratio(2 * p * r, p + r)

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.correct + other.correct,
            self.predicted + other.predicted,
            self.gold + other.gold,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def match_overlaps(
    gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """One-to-one overlap matching of character spans, largest overlap first (ties: the
    earlier gold, then the earlier prediction): ``{gold index: prediction index}``.

    >>> match_overlaps([(0, 6), (10, 15)], [(0, 3), (2, 8), (20, 22)])
    {0: 1}
    """
    pairs = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ps, pe) in enumerate(pred):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                pairs.append((-ov, i, j))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out
