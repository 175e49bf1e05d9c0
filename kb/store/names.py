"""Actor name keys and actor resolution: how "antony  Blinken" finds Antony Blinken.

An actor's ``key`` is its name folded for comparison (Unicode NFKC, case-folded,
whitespace collapsed, surrounding punctuation dropped); actors are unique on it, and
aliases and titles are unique per actor on theirs. Lookups by name match canonical
names and aliases, case-insensitively; a name that matches neither matches the actors
whose name ends with it as whole words, so "Blinken" finds Antony Blinken and
"Security Council" the UN Security Council even when no article wrote the short form
(two actors ending so are both found: a lookup never guesses between them).

>>> name_key("  Antony\\tBLINKEN. ")
'antony blinken'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import select, union
from sqlalchemy.engine import Connection

from kb.store.engine import insert_ignore
from kb.store.models import ActorAliasRow, ActorRow

__all__ = ["name_key", "match_actor_ids", "expand_names", "resolve_or_create_actor"]

_WS = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_KEY_LENGTH = 400

_ACTORS = ActorRow.__table__
_ALIASES = ActorAliasRow.__table__


def name_key(name: str) -> str:
    """The comparison form of an actor name, alias or title."""
    folded = _WS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    stripped = _EDGE.sub("", folded)
    return (stripped or folded)[:_KEY_LENGTH]


def match_actor_ids(conn: Connection, names: Iterable[str]) -> list[int]:
    """Ids of actors whose canonical name or any alias matches one of ``names``, or,
    for a name that matches none, whose canonical name ends with it as whole words."""
    keys = sorted({name_key(n) for n in names if n and n.strip()})
    if not keys:
        return []
    query = union(
        select(ActorRow.id, ActorRow.key).where(ActorRow.key.in_(keys)),
        select(ActorAliasRow.actor_id, ActorAliasRow.key).where(ActorAliasRow.key.in_(keys)),
    )
    found: dict[str, set[int]] = {}
    for actor_id, key in conn.execute(query):
        found.setdefault(key, set()).add(actor_id)
    ids = set().union(*found.values()) if found else set()
    for key in keys:
        if key not in found:
            ids |= _ending_with(conn, key)
    return sorted(ids)


def _ending_with(conn: Connection, key: str) -> set[int]:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(ActorRow.id).where(ActorRow.key.like(f"% {escaped}", escape="\\"))
    return set(conn.execute(query).scalars())


def expand_names(conn: Connection, names: Iterable[str]) -> list[str]:
    """The canonical names of the actors :func:`match_actor_ids` finds for ``names``,
    plus the names themselves (so an unknown name still matches nothing)."""
    names = [n for n in names if n and n.strip()]
    ids = match_actor_ids(conn, names)
    if not ids:
        return names
    found = conn.execute(select(ActorRow.name).where(ActorRow.id.in_(ids))).scalars()
    return sorted({*names, *found})


def resolve_or_create_actor(conn: Connection, name: str, kind: str) -> tuple[int, bool]:
    """The id of the global actor ``name`` refers to, creating it if needed.

    Order: the actor whose canonical key equals the name's; else the single actor of the
    same kind (any kind when ``kind`` is "unknown") having the name as an alias; else a
    new actor. Returns ``(id, created)``. An existing actor of kind "unknown" takes the
    more specific ``kind``. Safe under concurrency: the insert is ``ON CONFLICT DO
    NOTHING`` on the key, and a lost race reads the winner's row.
    """
    key = name_key(name)
    row = conn.execute(select(ActorRow.id, ActorRow.kind).where(ActorRow.key == key)).first()
    if row is None:
        query = (
            select(ActorRow.id, ActorRow.kind)
            .join(ActorAliasRow, ActorAliasRow.actor_id == ActorRow.id)
            .where(ActorAliasRow.key == key)
            .distinct()
        )
        if kind != "unknown":
            query = query.where(ActorRow.kind == kind)
        found = conn.execute(query.limit(2)).all()
        if len(found) == 1:
            row = found[0]
    if row is not None:
        actor_id, current_kind = row
        if current_kind == "unknown" and kind != "unknown":
            conn.execute(_ACTORS.update().where(_ACTORS.c.id == actor_id).values(kind=kind))
        return actor_id, False
    inserted = insert_ignore(
        conn, _ACTORS, {"name": name.strip(), "kind": kind, "key": key}, ["key"], [_ACTORS.c.id]
    ).first()
    if inserted is not None:
        return inserted[0], True
    return conn.execute(select(ActorRow.id).where(ActorRow.key == key)).scalar_one(), False
