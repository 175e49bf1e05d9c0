"""The JSON Schemas kb reads and writes (schemas/ at the project root, shipped in kb/).

Schemas refer to one another by file name (``{"$ref": "event.schema.json"}``): every
schema is registered under its ``$id`` (or ``https://kb.invalid/schemas/<file>``), so
references resolve to the file next to it, never to the network.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from kb.errors import KBError

__all__ = ["SCHEMA_DIR", "load_schema", "first_error", "validate"]

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
BASE_URI = "https://kb.invalid/schemas/"


def _file(name: str) -> str:
    return name if name.endswith(".json") else f"{name}.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema called ``name`` ("parsed-article" or "parsed-article.schema.json")."""
    path = SCHEMA_DIR / _file(name)
    if not path.is_file():
        raise KBError(f"no schema {_file(name)} in {SCHEMA_DIR}; reinstall kb")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _registry() -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = load_schema(path.name)
        uri = contents.get("$id") or BASE_URI + path.name
        resources.append((uri, Resource.from_contents(contents,
                                                      default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def _validator(name: str) -> Any:
    import jsonschema

    schema = dict(load_schema(name))
    schema.setdefault("$id", BASE_URI + _file(name))
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def first_error(instance: Any, name: str) -> str | None:
    """Where and how ``instance`` breaks schema ``name`` ("events/3/date: ..."), or None."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator(name).iter_errors(instance))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(top)"
    return f"{where}: {error.message}"


def validate(instance: Any, name: str) -> None:
    """Raise jsonschema.ValidationError if ``instance`` does not fit schema ``name``."""
    _validator(name).validate(instance)
