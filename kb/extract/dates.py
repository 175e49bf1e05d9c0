"""Time expressions: find them in an article and normalise them to TIMEX3 values.

``find_times`` reads a parsed article (a spaCy ``Doc``) and returns every time
expression with its ISO-TimeML TIMEX3 ``type`` (DATE, TIME, DURATION, SET) and
``value``, resolved against the publication date the way TimeBank annotates news:

>>> import datetime
>>> t = normalise("Saturday night", datetime.date(2022, 2, 21), tense="past")
>>> t.value, t.type, t.granularity
('2022-02-19TNI', 'TIME', 'part_of_day')
>>> normalise("February", datetime.date(2022, 2, 21)).interval_end
'2022-02-28'

Without a publication date relative expressions stay unresolved (``resolved`` is
False and the value keeps X placeholders such as "XXXX-WXX-7"): a date is never
guessed. The work is done by the :mod:`kb.extract.timex` package; this module is the
public entry point.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from kb.extract.timex import lexicon as lx
from kb.extract.timex.finder import find_in_doc, to_expr, widen
from kb.extract.timex.grammar import RULES, Ctx, Hit
from kb.extract.types import TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["find_times", "normalise"]

_PREFIX = re.compile(
    r"(?:" + "|".join(sorted(lx.APPROX_PREFIXES, key=len, reverse=True)) + r")\s+", re.I
)


def find_times(doc: Doc, published: datetime.date | None) -> list[TimeExpr]:
    """Every time expression of ``doc`` (offsets into ``doc.text``), in text order.

    ``published`` anchors relative expressions ("yesterday", "last week", "on
    Sunday"); with None they keep X placeholders and ``resolved=False``.
    """
    return find_in_doc(doc, published)


def normalise(text: str, anchor: datetime.date | None, tense: str | None = None) -> TimeExpr | None:
    """Normalise one whole time expression (no parse needed), or None if it is not one.

    ``tense`` ("past", "present", "future") picks the direction of year-less months
    and bare weekdays, as the governing verb would in a sentence.

    >>> normalise("three days", None).value
    'P3D'
    >>> normalise("on Sunday", datetime.date(2022, 2, 21)) is None
    True
    """
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    best = None
    for r in RULES:
        m = r.pattern.fullmatch(stripped)
        if m is None:
            continue
        hit = r.handler(m, Ctx(anchor, tense))
        if hit is not None:
            best = hit
            break
    if best is None:
        m = _PREFIX.match(stripped)
        if m is None:
            return None
        inner = normalise(stripped[m.end() :], anchor, tense)
        if inner is None:
            return None
        _, hit = widen(stripped, m.end(), Hit(inner.type, inner.value or "", None, inner.resolved))
        best = hit
    return to_expr(text, lead, lead + len(stripped), best)
