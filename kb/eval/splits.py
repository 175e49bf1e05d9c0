"""Fixed development splits of evaluation data: what training may see, what it may not.

The TimeML events target is measured on a fixed fifth of the TBAQ-cleaned documents
that no training ever sees. The fifth is chosen by document name, not by position in
a folder listing, so it is the same on every machine and whatever the folder layout:
a document is held out when the SHA-1 of its file name (e.g. ``APW19980807.0261.tml``)
is divisible by five.

>>> is_heldout("wsj_0006.tml") in (True, False)
True
>>> [split_of(n) for n in ("a.tml", "a.tml")] == [split_of("a.tml")] * 2
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SPLITS", "is_heldout", "split_of", "select"]

#: The names a split can be selected by: ``heldout`` (never trained on), ``train``
#: (the other four fifths) and ``all``.
SPLITS = ("heldout", "train", "all")


def is_heldout(name: str) -> bool:
    """True when the document named ``name`` (a file name; folders are ignored) is in
    the held-out fifth."""
    base = Path(name).name
    return int(hashlib.sha1(base.encode("utf-8")).hexdigest(), 16) % 5 == 0


def split_of(name: str) -> str:
    """``"heldout"`` or ``"train"`` for the document named ``name``."""
    return "heldout" if is_heldout(name) else "train"


def select(paths: Iterable[Path], split: str) -> list[Path]:
    """The paths of ``split`` (one of :data:`SPLITS`), in the order given."""
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not one of: {', '.join(SPLITS)}")
    return [p for p in paths if split == "all" or split_of(p.name) == split]
