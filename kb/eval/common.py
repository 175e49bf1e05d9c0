"""Precision, recall and F1: the counting every kb evaluation shares.

One place for the arithmetic so that every scorer (time expressions, attributions)
rounds and treats empty sets the same way: with nothing predicted precision is 0.0,
with nothing to find recall is 0.0, and F1 is 0.0 when both are 0.

>>> PRF(correct=3, predicted=4, gold=6).f1
0.6
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PRF", "ratio"]


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
