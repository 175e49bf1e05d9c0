"""The JSON Schemas kb reads and writes (schemas/ at the project root, shipped in kb/)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.errors import KBError

__all__ = ["SCHEMA_DIR", "load_schema", "validate"]

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """The schema called ``name`` ("parsed-article" or "parsed-article.schema.json")."""
    file = name if name.endswith(".json") else f"{name}.schema.json"
    path = SCHEMA_DIR / file
    if not path.is_file():
        raise KBError(f"no schema {file} in {SCHEMA_DIR}")
    return json.loads(path.read_text(encoding="utf-8"))


def validate(instance: Any, name: str) -> None:
    """Raise jsonschema.ValidationError if ``instance`` does not fit schema ``name``."""
    import jsonschema

    jsonschema.validate(instance, load_schema(name),
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
