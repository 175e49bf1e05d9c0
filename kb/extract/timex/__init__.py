"""Time expressions: find them in a parsed article and normalise them to TIMEX3.

The public entry points live in :mod:`kb.extract.dates`; this package holds the
parts: word tables (:mod:`.lexicon`), calendar arithmetic on TIMEX3 values
(:mod:`.calendar`), the pattern grammar (:mod:`.grammar`, :mod:`.rules_*`) and the
document-level finder (:mod:`.finder`).
"""

from __future__ import annotations

__all__: list[str] = []
