"""Statements: who said (or believes) what, to whom, how.

``find_quotes(doc)`` returns :class:`kb.extract.types.Quote` records for direct quotes
(curly, straight and doubled-apostrophe marks, over several sentences or paragraphs),
indirect speech ("X said that ...", "X told Y ...", "..., according to X"), reported
beliefs ("X believes ...") and headline attributions ("Title: Speaker"). The speaker is
the mention in the text ("he", "Blinken"); resolving it to a canonical actor happens
later. A quote whose speaker cannot be found has ``speaker=None``.

>>> from kb.nlp import get_nlp
>>> doc = get_nlp()("“We will go,” the minister said.")
>>> [(q.speaker.text, q.cue.text, q.content.text) for q in find_quotes(doc)]
[('the minister', 'said', '“We will go,”')]
"""

from __future__ import annotations

from kb.extract.attribution.extract import find_quotes

__all__ = ["find_quotes"]
