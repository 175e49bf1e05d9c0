"""Who a speaker mention refers to: names, pronouns ("he"), nominals ("the official").

A light, rule-based resolver for the one job kb needs: turning a statement's speaker
mention into a canonical actor of the same article. It refuses rather than guesses: a
mention it cannot tie to an actor stays unresolved (None).

>>> from kb import parse_article
>>> p = parse_article('Antony Blinken spoke on Sunday. "We are ready," he said.')
>>> p.quotes[-1].speaker.name
'Antony Blinken'
"""

from __future__ import annotations

from collections.abc import Sequence

from kb.extract.actors import ActorIndex
from kb.extract.gazetteer import PRONOUNS, TITLE_HEADS
from kb.extract.types import Actor

__all__ = ["resolve_mention"]

_SYNONYMS = {
    "diplomat": ("secretary of state", "foreign minister", "foreign secretary", "ambassador",
                 "envoy", "diplomat"),
    "official": ("official", "secretary", "minister", "spokes", "adviser", "director",
                 "ambassador"),
    "spokesman": ("spokes",), "spokeswoman": ("spokes",), "spokesperson": ("spokes",),
    "leader": ("president", "prime minister", "chancellor", "leader", "king", "premier"),
}
_GROUP_KINDS = ("organization", "country", "group")


def _kind_ok(pronoun_kind: str, actor_kind: str) -> bool:
    if pronoun_kind == "person":
        return actor_kind == "person"
    if pronoun_kind == "thing":
        return actor_kind in _GROUP_KINDS
    if pronoun_kind == "plural":
        return actor_kind in _GROUP_KINDS
    return False


def resolve_mention(
    text: str,
    start: int,
    end: int,
    index: ActorIndex,
    quoted: Sequence[tuple[int, int]] = (),
    previous_speaker: str | None = None,
) -> str | None:
    """The canonical actor a mention at [start, end) refers to, or None.

    ``quoted`` are spans of direct quotes: names inside them are someone else's words and
    are not antecedents. ``previous_speaker`` is the speaker of the statement just
    before, preferred for a pronoun when compatible.
    """
    names = index.names_overlapping(start, end)
    if names:
        return names[0]
    words = text.lower().split()
    if not words:
        return None
    kinds = index.kinds
    if len(words) == 1 and words[0] in PRONOUNS:
        pk = PRONOUNS[words[0]]
        if pk == "self":
            return None
        if pk == "thing":
            # "it" is as often a letter, a report or nothing at all ("it is pertinent to
            # note"): left unresolved rather than guessed.
            return None
        if previous_speaker and _kind_ok(pk, kinds.get(previous_speaker, "")):
            last = _last_compatible(index, start, quoted, pk)
            if last is None or last == previous_speaker or pk == "person":
                return previous_speaker if last is None or _recent(
                    index, previous_speaker, start, quoted) else last
        return _last_compatible(index, start, quoted, pk)
    head = words[-1]
    if head in TITLE_HEADS or head in _SYNONYMS:
        wanted = _SYNONYMS.get(head, (head,))
        by_name = {a.name: a for a in index.actors}
        for s, e, found in reversed(index.mentions_before(start)):
            if _inside(quoted, s):
                continue
            for n in found:
                actor: Actor | None = by_name.get(n)
                if actor and actor.kind == "person" and any(
                        w in t.lower() for t in actor.titles for w in wanted):
                    return n
    return None


def _inside(ranges: Sequence[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _last_compatible(
    index: ActorIndex, pos: int, quoted: Sequence[tuple[int, int]], pk: str
) -> str | None:
    for s, _e, names in reversed(index.mentions_before(pos)):
        if _inside(quoted, s):
            continue
        ok = [n for n in names if _kind_ok(pk, index.kinds.get(n, ""))]
        if len(ok) == 1 or (ok and pk == "plural"):
            return ok[0]
    return None


def _recent(index: ActorIndex, name: str, pos: int, quoted: Sequence[tuple[int, int]]) -> bool:
    """Whether ``name`` is the latest person mentioned outside quotes before ``pos``."""
    return _last_compatible(index, pos, quoted, "person") == name
