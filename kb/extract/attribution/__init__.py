"""Attribution extraction: who said (or thinks) what, from a parsed article.

The public entry point is :func:`kb.extract.quotes.find_quotes`; this package holds its
parts: quotation-mark pairing (``marks``), candidate cue/content pairs from the
dependency parse (``candidates``), the trained linear scorer (``model``), speaker,
medium and addressee rules (``roles``), the speaker model (``speakers``), the cue-like
words that report no statement (``nonstatements``), and the assembly (``extract``).
"""

from __future__ import annotations

from kb.extract.attribution.extract import find_quotes

__all__ = ["find_quotes"]
