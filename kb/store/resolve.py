"""Actor resolution at write time: one article's actors -> the base's global actors.

Each article's own actors (its names for them, "Blinken", "Security Council") are kept
in ``article_actors`` with the global actor each resolved to, so a name can move later
with every fact the article gave it. A name resolves, in this order:

1. by a curation rule (:mod:`kb.store.curation`) that names its actor;
2. to the actor the article itself links it to ("Singapore Airlines (SIA)");
3. as a short form, to the one actor it can be short for: a bare surname to the one
   person whose full name ends with it ("Blinken" -> Antony Blinken); an organisation
   to the one organisation that is it with a known leading qualifier ("Security
   Council" -> UN Security Council), whose initials it is ("UN" -> United Nations) or
   that another article named so. Two candidates are no evidence: "Smith" stays its
   own actor when the base holds John Smith and Adam Smith, unless its title clearly
   belongs to one of them ("President Kovel");
4. to the actor of the same name key, created when there is none. Its kind and the
   writing of its name are those most articles give it.

Whenever an article brings a new full name or alias, the short forms it could stand
for are looked at again, in every article: "Blinken" stored before "Antony Blinken"
arrived joins him then, and a "Smith" that joined John Smith leaves him when Adam
Smith arrives. So the result does not depend on the order articles came in. On
PostgreSQL resolution holds a transaction-scoped advisory lock, so concurrent writers
resolve one after the other (SQLite serialises writers already).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, literal_column, or_, select, update
from sqlalchemy.engine import Connection

from kb.extract.gazetteer import ACRONYMS, DEMONYMS, TITLE_HEADS
from kb.extract.types import ParsedArticle
from kb.store.curation import (
    load_rules,
    lock_actors,
    move_facts,
    redirects,
    rule_aliases,
    table_of,
)
from kb.store.engine import insert_ignore
from kb.store.models import (
    ActorAliasRow,
    ActorRow,
    ActorSuffixRow,
    ActorTitleRow,
    ArticleActorRow,
)
from kb.store.names import index_names, initials, name_key
from kb.store.readsql import run

__all__ = ["resolve_article_actors", "reconsider"]

#: When two articles give one name key different kinds, the first of these wins.
_KIND_ORDER = ("person", "organization", "country", "place", "group", "product")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
_QUALIFIERS = {k.replace(".", "").lower() for k in ACRONYMS} | set(DEMONYMS)


@dataclass
class _Local:
    key: str
    name: str
    kind: str
    aliases: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    linked: str | None = None  # key of the actor the article links this name to


def resolve_article_actors(
    conn: Connection,
    article_id: int,
    parsed: ParsedArticle,
    rules: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, int], int]:
    """Resolve every actor name ``parsed`` uses; returns ``({name key: actor id}, number
    of actors created)``. Records the article's own names and re-resolves the short
    forms elsewhere that this article's names bear on. ``rules``: the curation rules
    (:func:`kb.store.curation.load_rules`), read here when not given."""
    lock_actors(conn)
    locals_ = _locals(parsed)
    if rules is None:
        rules = load_rules(conn)
    targets = redirects(rules)
    before = conn.execute(select(ActorRow.id).order_by(ActorRow.id.desc()).limit(1)).scalar()
    ids: dict[str, int] = {}
    changed: set[int] = set()  # actors new, of a new kind or with new names: see _reconsider
    order = sorted(locals_, key=lambda k: (locals_[k].linked is not None, k))
    for key in order:
        ids[key] = _resolve(conn, locals_[key], targets, ids, changed)
    if not locals_:
        return {}, 0
    conn.execute(insert(ArticleActorRow), [
        {"article_id": article_id, "key": loc.key, "name": loc.name, "kind": loc.kind,
         "aliases": "\n".join(loc.aliases[k] for k in sorted(loc.aliases)),
         "alias_keys": "".join(f"\n{k}\n" for k in sorted(loc.aliases)),
         "titles": "\n".join(loc.titles.values()), "actor_id": ids[loc.key]}
        for loc in (locals_[k] for k in sorted(locals_))
    ])
    given = rule_aliases(rules)
    touched = sorted(set(ids.values()))
    keys = {i: k for i, k in conn.execute(
        select(ActorRow.id, ActorRow.key).where(ActorRow.id.in_(touched)))}
    aliases: dict[tuple[int, str], str] = {}
    titles: dict[tuple[int, str], str] = {}
    for loc in locals_.values():
        actor_id = ids[loc.key]
        for key, alias in ((loc.key, loc.name), *loc.aliases.items()):
            # a name a rule gives another actor is not this one's alias
            if key not in targets or name_key(targets[key]) == keys[actor_id]:
                aliases.setdefault((actor_id, key), alias)
        for key, title in loc.titles.items():
            titles.setdefault((actor_id, key), title)
    for actor_id in touched:
        for key, alias in given.get(keys[actor_id], {}).items():
            aliases.setdefault((actor_id, key), alias)
    changed |= _add(conn, ActorAliasRow, "alias", aliases)
    _add(conn, ActorTitleRow, "title", titles)
    added = [i for i in touched if i > (before or 0)]
    kinds, names = {}, {}
    for actor_id, kind, written in conn.execute(
            select(ActorRow.id, ActorRow.kind, ActorRow.name).where(ActorRow.id.in_(touched))):
        kinds[actor_id], names[actor_id] = kind, written
    changed |= _vote_kinds(conn, sorted({
        ids[loc.key] for loc in locals_.values()
        if loc.kind != "unknown" and loc.kind != kinds[ids[loc.key]]}))
    fixed = {name_key(t) for t in targets.values()}
    changed |= _vote_names(conn, sorted({ids[loc.key] for loc in locals_.values()
                              if loc.key == keys[ids[loc.key]] and loc.key not in fixed
                              and loc.name != names[ids[loc.key]]}))
    index_names(conn, changed)
    # a full name given a title may now be the one a titled surname elsewhere means,
    # where several people share the surname
    surnames = sorted({loc.key.rsplit(" ", 1)[-1] for loc in locals_.values()
                       if loc.titles and " " in loc.key and loc.kind == "person"})
    shared = {k for k in surnames if len(_people_called(conn, k)) > 1}
    _reconsider(conn, sorted(changed | set(added)), targets, shared)
    final = {k: i for k, i in conn.execute(select(
        ArticleActorRow.key, ArticleActorRow.actor_id).where(
        ArticleActorRow.article_id == article_id))}
    return final, len(added)


def _locals(parsed: ParsedArticle) -> dict[str, _Local]:
    found: dict[str, _Local] = {}
    for actor in parsed.actors:
        if not (actor.name and actor.name.strip()):
            continue
        loc = found.setdefault(name_key(actor.name), _Local(
            name_key(actor.name), actor.name.strip(), actor.kind))
        for alias in actor.aliases:
            if alias and alias.strip() and name_key(alias) != loc.key:
                loc.aliases.setdefault(name_key(alias), alias.strip())
        for title in actor.titles:
            if title and title.strip():
                loc.titles.setdefault(name_key(title), title.strip())
    for name in _referenced_names(parsed):
        found.setdefault(name_key(name), _Local(name_key(name), name.strip(), "unknown"))
    _link_acronyms(parsed, found)
    return found


def _referenced_names(parsed: ParsedArticle) -> Iterable[str]:
    for q in parsed.quotes:
        for mention in (q.speaker, q.addressee):
            if mention is not None and mention.name and mention.name.strip():
                yield mention.name
        yield from (n for n in q.about if n and n.strip())
    for e in parsed.events:
        yield from (a.name for a in e.actors if a.name and a.name.strip())


def _link_acronyms(parsed: ParsedArticle, found: dict[str, _Local]) -> None:
    """"Singapore Airlines (SIA)": the article itself says SIA is Singapore Airlines."""
    text = parsed.text
    orgs = [a for a in parsed.actors if a.kind == "organization" and a.name.strip()]
    for short in orgs:
        if not _ACRONYM.match(short.name.replace(".", "")):
            continue
        for long in orgs:
            if long is short:
                continue
            if any(text[m.end:s.start].strip() == "(" and text[s.end:s.end + 1] == ")"
                   for m in long.mentions for s in short.mentions if s.start > m.end):
                loc, target = found[name_key(short.name)], found[name_key(long.name)]
                loc.linked = target.key
                target.aliases.setdefault(loc.key, loc.name)
                break


def _resolve(conn: Connection, loc: _Local, targets: dict[str, str],
             done: dict[str, int], changed: set[int]) -> int:
    if loc.key in targets:
        return _actor(conn, targets[loc.key], loc.kind, changed=changed)
    if loc.linked is not None and loc.linked in done:
        return done[loc.linked]
    found = _candidates(conn, loc.key, loc.name, loc.kind, "\n".join(loc.titles.values()))
    if len(found) == 1:
        return found.pop()
    return _actor(conn, loc.name, loc.kind, changed=changed)


def _actor(conn: Connection, name: str, kind: str, changed: set[int] | None = None) -> int:
    """The actor keyed as ``name``, created if needed (an unknown kind takes ``kind``).
    Disagreements on the kind or the writing of the name are settled by the votes of
    all the articles (:func:`_vote_kinds`, :func:`_vote_names`), not by which came
    first. New actors and new kinds join ``changed`` (else they are indexed here)."""
    key = name_key(name)
    found = run(conn, _by_key(), {"key": key})
    row = found[0] if found else None
    if row is None:
        inserted = insert_ignore(conn, table_of(ActorRow),
                                 {"name": name.strip(), "kind": kind, "key": key}, ["key"],
                                 [table_of(ActorRow).c.id]).first()
        if inserted is not None:
            if changed is None:
                index_names(conn, [inserted[0]])
            else:  # indexed with the article's other changes
                changed.add(inserted[0])
            return inserted[0]
        (row,) = run(conn, _by_key(), {"key": key})
    actor_id, current_kind = row
    if current_kind == "unknown" and kind != "unknown":
        conn.execute(update(ActorRow).where(ActorRow.id == actor_id).values(kind=kind))
        if changed is not None:
            changed.add(actor_id)
    return actor_id


def _vote_kinds(conn: Connection, actor_ids: list[int]) -> set[int]:
    """Articles disagree on these actors' kinds ("Kerrin" a place in twelve, a person in
    three): each takes the kind most of its articles give it (ties: the first in
    _KIND_ORDER), whatever order they came in. Returns the actors whose kind changed."""
    if not actor_ids:
        return set()
    aa = ArticleActorRow
    votes: dict[int, dict[str, int]] = {}
    for actor_id, kind, count in conn.execute(
            select(aa.actor_id, aa.kind, func.count()).where(
                aa.actor_id.in_(actor_ids), aa.kind != "unknown")
            .group_by(aa.actor_id, aa.kind)):
        votes.setdefault(actor_id, {})[kind] = count
    changed = set()
    for actor_id, counts in sorted(votes.items()):
        kind = min(counts, key=lambda k: (-counts[k], _kind_rank(k)))
        done = conn.execute(update(ActorRow).where(ActorRow.id == actor_id,
                                                   ActorRow.kind != kind).values(kind=kind))
        if done.rowcount:
            changed.add(actor_id)
    return changed


def _vote_names(conn: Connection, actor_ids: list[int]) -> set[int]:
    """Each actor is written the way most articles write its name ("Kerrin", not a
    dateline's "KERRIN"; ties: :func:`_writing`), whatever order they came in. Returns
    the actors whose name changed."""
    if not actor_ids:
        return set()
    aa, a = ArticleActorRow, ActorRow
    votes: dict[int, dict[str, int]] = {}
    for actor_id, written, count in conn.execute(
            select(aa.actor_id, aa.name, func.count()).join(a, a.id == aa.actor_id)
            .where(aa.actor_id.in_(actor_ids), aa.key == a.key)
            .group_by(aa.actor_id, aa.name)):
        votes.setdefault(actor_id, {})[written] = count
    changed = set()
    for actor_id, counts in sorted(votes.items()):
        top = max(counts.values())
        best = min((n for n, c in counts.items() if c == top), key=_writing)
        done = conn.execute(update(a).where(a.id == actor_id, a.name != best)
                            .values(name=best))
        if done.rowcount:
            changed.add(actor_id)
    return changed


def _kind_rank(kind: str) -> int:
    if kind == "unknown":
        return len(_KIND_ORDER) + 1
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def _writing(name: str) -> tuple[int, str]:
    """Of two writings of one key the smaller is better: more accents (more
    information), then the first in code-point order."""
    return (-sum(not c.isascii() for c in name), name)


def _better(new: str, old: str) -> bool:
    return _writing(new) < _writing(old)


#: Words before a surname that make it no less a short form ("Ms Marchetti").
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})


def _candidates(conn: Connection, key: str, name: str, kind: str, titles: str = "") -> set[int]:
    """The actors ``name`` (key ``key``, kind ``kind``, the article's ``titles`` for it,
    one per line) can be a short form of, found by index (``actor_suffixes``, aliases
    by key). Of several people with the surname, the title decides when it is clearly
    one's (:func:`_by_title`)."""
    out: set[int] = set()
    words = key.split(" ")

    def suffixed(form: str, suffix: str, of_kind: str) -> list[tuple[int, str]]:
        rows = run(conn, _suffixed(), {"suffix": suffix, "form": form, "kind": of_kind})
        return [(i, lead) for i, lead in rows]

    key_as_written = key
    if len(words) == 2 and words[0] in _HONORIFICS:  # "Ms Marchetti": her surname
        words, key = words[1:], words[1]
        name = name.split(None, 1)[-1]
    own = next((r[0] for r in run(conn, _by_key(), {"key": key_as_written})), None)
    if kind in ("person", "unknown") and len(words) == 1 and name[:1].isupper():
        people = _people_called(conn, key) - {own}
        out |= _by_title(conn, people, titles) if len(people) > 1 else people
    if kind in ("organization", "unknown"):
        out |= {r[0] for r in run(conn, _organisation_aliased(), {"key": key})}
        letters = name.replace(".", "")
        if len(words) == 1 and _ACRONYM.match(letters):
            out |= {i for i, _ in suffixed("initials", letters.lower(), "organization")}
        if len(words) >= 2:
            out |= {i for i, lead in suffixed("tail", key, "organization")
                    if " " not in lead and _qualifier(conn, lead)}
    out.discard(own)
    return out


# The look-ups above run once per name of every article: each statement is built once
# and run on the driver (kb.store.readsql), not built and compiled for every call.


@lru_cache(maxsize=1)
def _by_key() -> Any:
    return select(ActorRow.id, ActorRow.kind).where(ActorRow.key == bindparam("key"))


@lru_cache(maxsize=1)
def _suffixed() -> Any:
    a, x = ActorRow, ActorSuffixRow
    return select(x.actor_id, x.lead).join(a, a.id == x.actor_id).where(
        x.suffix == bindparam("suffix"), x.form == bindparam("form"),
        a.kind == bindparam("kind"))


@lru_cache(maxsize=1)
def _organisation_aliased() -> Any:
    a, al = ActorRow, ActorAliasRow
    return select(al.actor_id).join(a, a.id == al.actor_id).where(
        a.kind == literal_column("'organization'"), al.key == bindparam("key"),
        a.key != bindparam("key"))


@lru_cache(maxsize=1)
def _titled() -> Any:
    aa = ArticleActorRow
    return select(aa.titles).where(aa.actor_id == bindparam("actor"),
                                   aa.key.like(literal_column("'% %'")),
                                   aa.titles != literal_column("''"))


@lru_cache(maxsize=1)
def _named_body() -> Any:
    """Organisations and countries keyed ``key``, by name or alias."""
    a, al = ActorRow, ActorAliasRow
    kinds = or_(a.kind == literal_column("'organization'"), a.kind == literal_column("'country'"))
    return select(a.id).where(a.key == bindparam("key"), kinds).union_all(
        select(a.id).join(al, a.id == al.actor_id).where(al.key == bindparam("key"), kinds))


def _people_called(conn: Connection, surname: str) -> set[int]:
    """The people whose name or an alias ends with the word ``surname`` (a key)."""
    return {i for i, _ in run(conn, _suffixed(),
                              {"suffix": surname, "form": "tail", "kind": "person"})}


def _heads(titles: str) -> set[str]:
    """The title words in ``titles`` (one per line): {"president"} of "Dravonia's
    President"."""
    return {w for t in titles.split("\n") for w in name_key(t).split(" ") if w in TITLE_HEADS}


def _by_title(conn: Connection, people: set[int], titles: str) -> set[int]:
    """Of several people sharing a surname, the one the title points to: the one whose
    full name the articles give that title at least twice and three times as often as
    any other's (a stray "President" from a misread sentence does not make two
    presidents); otherwise all of them (no evidence, no choice)."""
    heads = _heads(titles)
    if not heads:
        return people
    support = {}
    for actor_id in sorted(people):
        rows = run(conn, _titled(), {"actor": actor_id})
        support[actor_id] = sum(1 for (t,) in rows if _heads(t) & heads)
    ranked = sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))
    best, count = ranked[0]
    if count >= 2 and count >= 3 * ranked[1][1]:
        return {best}
    return people


def _qualifier(conn: Connection, word: str) -> bool:
    """Whether ``word`` leading an organisation's name is a known qualifier: an acronym
    or nationality kb knows, or a name of an organisation or country in the base."""
    key = name_key(word)
    if not _ACRONYM.match(word.replace(".", "")) and key not in DEMONYMS:
        return False
    if key.replace(".", "") in _QUALIFIERS:
        return True
    return bool(run(conn, _named_body(), {"key": key}))


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _short_keys(conn: Connection, actor_ids: list[int]) -> set[str]:
    """The short forms the actors ``actor_ids`` could stand for."""
    out: set[str] = set()
    rows = conn.execute(select(ActorRow.id, ActorRow.name, ActorRow.key, ActorRow.kind)
                        .where(ActorRow.id.in_(actor_ids))).all()
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in conn.execute(select(ActorAliasRow.actor_id, ActorAliasRow.alias)
                                        .where(ActorAliasRow.actor_id.in_(actor_ids))):
        aliases.setdefault(actor_id, []).append(alias)
    for actor_id, name, key, kind in rows:
        names = [name, *aliases.get(actor_id, [])]
        if kind == "person":
            surnames = {name_key(n).split(" ")[-1] for n in names if " " in name_key(n)}
            out |= surnames | {f"{h} {s}" for s in surnames for h in _HONORIFICS}
        elif kind == "organization":
            out |= {name_key(n) for n in names} - {key}
            out.add(initials(name))
            words = name.split()
            if len(words) >= 3:
                out.add(name_key(" ".join(words[1:])))
    return out


def reconsider(conn: Connection, actor_ids: Iterable[int]) -> None:
    """Resolve again the short forms the actors ``actor_ids`` bear on (after a rule
    changed them), under the current rules."""
    ids = sorted(set(actor_ids))
    existing = list(conn.execute(select(ActorRow.id).where(ActorRow.id.in_(ids))).scalars())
    if existing:
        _reconsider(conn, existing, redirects(load_rules(conn)))


def _reconsider(conn: Connection, actor_ids: list[int], targets: dict[str, str],
                more: Iterable[str] = ()) -> None:
    """Resolve again, in every article, the short forms these actors bear on (and the
    names ``more``); only the articles whose name now means another actor are
    touched."""
    keys = sorted(k for k in _short_keys(conn, actor_ids) | set(more)
                  if k and k not in targets)
    if not keys:
        return
    aa = ArticleActorRow
    specs = conn.execute(
        select(aa.key, aa.kind, aa.titles, func.min(aa.name)).where(aa.key.in_(keys))
        .group_by(aa.key, aa.kind, aa.titles).order_by(aa.key, aa.kind, aa.titles)).all()
    for key, kind, titles, name in specs:
        found = _candidates(conn, key, name, kind, titles)
        target = found.pop() if len(found) == 1 else conn.execute(
            select(ActorRow.id).where(ActorRow.key == key)).scalar()
        query = select(aa.article_id, aa.actor_id).where(
            aa.key == key, aa.kind == kind, aa.titles == titles)
        if target is not None:
            query = query.where(aa.actor_id != target)
        for article_id, current in conn.execute(query.order_by(aa.article_id)).all():
            linked = conn.execute(select(aa.actor_id).where(
                aa.article_id == article_id, aa.key != key,
                aa.alias_keys.like(f"%\n{_escape(key)}\n%", escape="\\")).limit(1)).scalar()
            if linked is None and target is None:
                target = _actor(conn, name, kind)
            to = linked if linked is not None else target
            if to is not None and to != current:
                _repoint(conn, article_id, key, current, to)


def _repoint(conn: Connection, article_id: int, key: str, from_id: int, to_id: int) -> None:
    """One article's name ``key`` now means actor ``to_id``: its facts move there."""
    aa = ArticleActorRow
    row = conn.execute(select(aa.name, aa.aliases, aa.alias_keys, aa.titles).where(
        aa.article_id == article_id, aa.key == key)).one()
    shared = conn.execute(select(aa.key).where(
        aa.article_id == article_id, aa.actor_id == from_id, aa.key != key).limit(1)).first()
    if shared is None:
        move_facts(conn, from_id, to_id, [article_id])
    else:
        move_facts(conn, from_id, to_id, [article_id], written=key)
        conn.execute(update(aa).where(aa.article_id == article_id, aa.key == key)
                     .values(actor_id=to_id))
    names = {key: row.name}
    names.update(zip([k for k in row.alias_keys.split("\n") if k],
                     [a for a in row.aliases.split("\n") if a], strict=False))
    _add(conn, ActorAliasRow, "alias", {(to_id, k): v for k, v in names.items()})
    _unalias(conn, from_id, set(names))
    index_names(conn, [to_id, from_id])


def _unalias(conn: Connection, actor_id: int, keys: set[str]) -> None:
    """Drop aliases ``keys`` of ``actor_id`` that no article of it and no rule gives."""
    own = conn.execute(select(ActorRow.key).where(ActorRow.id == actor_id)).scalar()
    if own is None:
        return
    aa = ArticleActorRow
    given = rule_aliases(load_rules(conn)).get(own, {})
    for key in sorted(keys - {own} - set(given)):
        held = conn.execute(select(aa.article_id).where(aa.actor_id == actor_id, or_(
            aa.key == key, aa.alias_keys.like(f"%\n{_escape(key)}\n%", escape="\\")))
            .limit(1)).first()
        if held is None:
            conn.execute(delete(ActorAliasRow).where(
                ActorAliasRow.actor_id == actor_id, ActorAliasRow.key == key))


def _add(conn: Connection, model: Any, column: str,
         names: dict[tuple[int, str], str]) -> set[int]:
    """Insert names (aliases or titles) per (actor, key); of two writings of one key
    the :func:`_better` one is kept, whichever article came first. Returns the actors
    that got a name they did not have."""
    if not names:
        return set()
    rows = [{"actor_id": a, "key": k, column: v} for (a, k), v in sorted(names.items())]
    table = table_of(model)
    new = {r[0] for r in insert_ignore(conn, table, rows, ["actor_id", "key"],
                                       [table.c.actor_id])}
    value = getattr(model, column)
    stored = conn.execute(select(model.id, model.actor_id, model.key, value).where(
        model.actor_id.in_(sorted({a for a, _ in names})),
        model.key.in_(sorted({k for _, k in names})))).all()
    for row_id, actor_id, key, kept in stored:
        written = names.get((actor_id, key))
        if written is not None and written != kept and _better(written, kept):
            conn.execute(update(model).where(model.id == row_id).values({column: written}))
    return new
