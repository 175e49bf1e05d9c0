"""Fast membership of a character offset in a set of text ranges (quoted speech, say)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

__all__ = ["Ranges"]


class Ranges:
    """Half-open ranges [start, end), merged; ``pos in ranges`` is a binary search.

    >>> r = Ranges([(5, 10), (0, 3), (8, 12)])
    >>> [p in r for p in (0, 3, 9, 11, 12)]
    [True, False, True, True, False]
    """

    __slots__ = ("_starts", "_ends")

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(r for r in ranges if r[0] < r[1]):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]

    def __bool__(self) -> bool:
        return bool(self._starts)
