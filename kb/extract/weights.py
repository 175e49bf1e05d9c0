"""Reading a learnt component's weights file: one place for the error a user sees when
the shipped JSON is missing or damaged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kb.errors import ModelError

__all__ = ["read_weights"]


def read_weights(path: Path, what: str, script: str) -> dict[str, Any]:
    """The JSON document of the weights file ``path``; a :class:`kb.errors.ModelError`
    naming it, ``what`` it holds and the ``script`` that retrains it, when it cannot be
    read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path}: cannot read the {what} ({exc}); reinstall kb or run {script}"
        ) from exc
