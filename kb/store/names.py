"""Actor name keys and lookups: how "antony  Blinken", "Secretary Blinken" and
"Jose" find Antony Blinken and José.

An actor's ``key`` is its name folded for comparison: compatibility-decomposed (NFKD)
with the combining marks dropped (so "José" and "Jose" are one key), case-folded,
whitespace collapsed, surrounding punctuation dropped. Actors are unique on it, and
aliases and titles are unique per actor on theirs.

Lookups by name match canonical names and aliases. A name that matches neither matches
the actors whose name ends with it as whole words, so "Blinken" finds Antony Blinken
and "Security Council" the UN Security Council even when no article wrote the short
form (two actors ending so are both found: a lookup never guesses between them); a name
led by title words ("Secretary Blinken", "President Putin") is looked up without them.
No match at all gives the nearest names (:func:`nearest_names`) for a "did you mean".

>>> name_key("  Antony\\tBLINKEN. ")
'antony blinken'
>>> name_key("José Pérez") == name_key("jose perez")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import delete, select, union
from sqlalchemy.engine import Connection

from kb.extract.gazetteer import TITLE_HEADS
from kb.store.engine import insert_ignore
from kb.store.models import ActorAliasRow, ActorRow, ActorSuffixRow

__all__ = ["name_key", "initials", "suffixes", "index_names", "match_actor_ids",
           "expand_names", "nearest_names"]

_WS = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_KEY_LENGTH = 400
#: Words that may lead a name as a title or honorific, besides kb's title heads.
_TITLE_WORDS = TITLE_HEADS | {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor",
    "of", "state", "foreign", "defence", "defense", "the", "us", "u.s", "uk", "un",
    "vice", "prime", "deputy", "former", "acting",
}


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """The comparison form of an actor name, alias or title (kept for the names met
    last: one article looks up each of its names several times)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = _WS.sub(" ", unicodedata.normalize("NFKC", bare).casefold()).strip()
    stripped = _EDGE.sub("", folded)
    return (stripped or folded)[:_KEY_LENGTH]


_MINOR = {"of", "the", "and", "for", "on", "in", "de", "&"}


def initials(name: str) -> str:
    """The initials of a name's words, small words left out ("un" of United Nations)."""
    return "".join(name_key(w)[:1] for w in name.split() if name_key(w) not in _MINOR)


def suffixes(name: str) -> list[tuple[str, str, str]]:
    """``(form, suffix key, lead as written)`` rows of :class:`ActorSuffixRow` for one
    name or alias.

    >>> suffixes("UN Security Council")[:2]
    [('tail', 'security council', 'UN'), ('tail', 'council', 'UN Security')]
    """
    words = name.split()
    out = [("tail", name_key(" ".join(words[i:])), " ".join(words[:i])[:400])
           for i in range(1, len(words))]
    letters = initials(name)
    if len(words) >= 2 and len(letters) >= 2:
        out.append(("initials", letters[:400], ""))
    return [row for row in out if row[1]]


def index_names(conn: Connection, actor_ids: Iterable[int]) -> None:
    """Rebuild the suffix rows of ``actor_ids`` from their names and aliases (after an
    actor is created or renamed, or its aliases change)."""
    ids = sorted(set(actor_ids))
    if not ids:
        return
    conn.execute(delete(ActorSuffixRow).where(ActorSuffixRow.actor_id.in_(ids)))
    names = [*conn.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(ids))),
             *conn.execute(select(ActorAliasRow.actor_id, ActorAliasRow.alias)
                           .where(ActorAliasRow.actor_id.in_(ids)))]
    rows = sorted({(actor_id, *row) for actor_id, name in names for row in suffixes(name)})
    if rows:
        insert_ignore(conn, ActorSuffixRow.__table__,  # type: ignore[arg-type]
                      [{"actor_id": a, "form": f, "suffix": x, "lead": lead}
                       for a, f, x, lead in rows], ["actor_id", "form", "suffix", "lead"])


def match_actor_ids(conn: Connection, names: Iterable[str]) -> list[int]:
    """Ids of actors whose canonical name or any alias matches one of ``names``; for a
    name that matches none, those whose canonical name ends with it as whole words, and
    failing that those the name finds without its leading title words."""
    ids: set[int] = set()
    for key in sorted({name_key(n) for n in names if n and n.strip()}):
        found = _exact(conn, key) or _ending_with(conn, key)
        words = key.split(" ")
        for cut in range(1, len(words)):
            if found or words[cut - 1] not in _TITLE_WORDS:
                break
            rest = " ".join(words[cut:])
            found = _exact(conn, rest) or _ending_with(conn, rest)
        ids |= found
    return sorted(ids)


def _exact(conn: Connection, key: str) -> set[int]:
    query = union(
        select(ActorRow.id).where(ActorRow.key == key),
        select(ActorAliasRow.actor_id).where(ActorAliasRow.key == key),
    )
    return set(conn.execute(query).scalars())


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


def nearest_names(conn: Connection, name: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` canonical names of the actors whose name or an alias is nearest to
    ``name`` (fuzzy, on keys), best first: the "did you mean" of a lookup that found
    nothing. An alias that is near gives its actor's name ("Secrity Council": UN
    Security Council, once)."""
    from rapidfuzz import fuzz, process

    known: dict[str, str] = {}
    for value in conn.execute(select(ActorRow.name)).scalars():
        known.setdefault(name_key(value), value)
    for alias, value in conn.execute(select(ActorAliasRow.alias, ActorRow.name).join(
            ActorRow, ActorRow.id == ActorAliasRow.actor_id)):
        known.setdefault(name_key(alias), value)
    found = process.extract(
        name_key(name), list(known), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=70
    )
    out: list[str] = []
    for key, _score, _index in found:
        if known[key] not in out:
            out.append(known[key])
    return out[:limit]
