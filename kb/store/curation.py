"""Moving facts between actors, and the curation rules that do it on purpose.

:func:`move_facts` is the one place where facts change actor: late merging at ingest
("Blinken" joins Antony Blinken), undoing a merge that lost its evidence (a second
"... Smith" arrived), and the user's rules all call it, so whatever else must follow a
fact (claims, consolidated events) hooks in there.

Curation rules are rows of ``actor_rules``, applied in order to every later ingest and
re-extraction (``kb reprocess``), so deleting and re-ingesting an article gives the
same actors:

- ``merge A B``: B and its facts join A; a later article's "B" is A.
- ``split A --name X``: A's mentions written X (and any article whose own name for the
  actor is X) go to the actor X; later ones too.
- ``rename A N``: A is now called N (A stays an alias); a later "A" is N.
- ``alias add A L``: L is another name of A; a later "L" is A.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, delete, exists, func, insert, select, text, true, update
from sqlalchemy.engine import Connection

from kb.errors import InputError, NotFoundError
from kb.store.consolidate import regroup
from kb.store.counts import actor_articles, recounted
from kb.store.engine import insert_ignore
from kb.store.models import (
    ActorAliasRow,
    ActorRow,
    ActorRuleRow,
    ActorTitleRow,
    ArticleActorRow,
    EventActorRow,
    EventRow,
    MentionRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.names import index_names, match_actor_ids, name_key

__all__ = [
    "ACTIONS",
    "lock_actors",
    "table_of",
    "move_facts",
    "delete_orphans",
    "load_rules",
    "redirects",
    "rule_aliases",
    "add_rule",
    "rule_records",
    "apply_splits",
]

ACTIONS = ("merge", "split", "rename", "alias")
_PG_LOCK_KEY = 0x6B62_5F61  # "kb_a": serialises changes to actors on PostgreSQL


def lock_actors(conn: Connection) -> None:
    """Hold, until the transaction ends, the lock that serialises actor resolution and
    curation on PostgreSQL (SQLite serialises every writer already)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
def table_of(model: Any) -> Table:
    """A model's table, typed as one."""
    return cast(Table, model.__table__)


_ALIASES = table_of(ActorAliasRow)
_TITLES = table_of(ActorTitleRow)


def move_facts(
    conn: Connection,
    from_id: int,
    to_id: int,
    article_ids: Sequence[int] | None = None,
    written: str | None = None,
) -> None:
    """Give every fact of actor ``from_id`` (only those of ``article_ids`` when given) to
    actor ``to_id``: mentions, statements as speaker and addressee, statements about
    it, event roles and the articles' own names for it. A pair already held by
    ``to_id`` (the same event and role, the same statement's topic) is kept once. The
    actors' counts follow (:func:`kb.store.counts.recounted`).

    With ``written`` (a name key), only the mentions, speakers and addressees written
    so move (a split inside an article). The claims and consolidated events that held
    a moved fact are grouped again (:func:`kb.store.consolidate.regroup`): "Blinken"'s
    quotation can now be the same claim as Antony Blinken's.

    Moving everything (no ``article_ids``, no ``written``) also moves the names and
    titles and deletes ``from_id``; a partial move deletes it only when nothing refers
    to it any more.
    """
    if from_id == to_id:
        return
    arts = list(article_ids) if article_ids is not None else None
    claims, clusters = _groups(conn, from_id, arts)
    # the actors' counts (kb.store.counts): the moved articles' share is taken out
    # before and put back after
    with recounted(conn, arts if arts is not None else actor_articles(conn, from_id)):
        if written is not None:
            _move_written(conn, from_id, to_id, written, arts)
            delete_orphans(conn, {from_id})
        else:
            _move_all(conn, from_id, to_id, arts)
    # the moved reports may now be the same claim or event as the new actor's
    regroup(conn, claims, clusters)


def _groups(conn: Connection, actor_id: int, arts: list[int] | None) -> tuple[set[int],
                                                                              set[int]]:
    """The claims and consolidated events holding a fact of ``actor_id``."""
    s, about, ea, e = StatementRow, StatementAboutRow, EventActorRow, EventRow
    scope_s: Any = true() if arts is None else s.article_id.in_(arts)
    scope_e: Any = true() if arts is None else e.article_id.in_(arts)
    topics = select(about.statement_id).where(about.actor_id == actor_id)
    claims = conn.execute(select(s.claim_id).where(
        scope_s, s.claim_id.is_not(None),
        (s.speaker_id == actor_id) | (s.addressee_id == actor_id) | s.id.in_(topics))
    ).scalars()
    clusters = conn.execute(select(e.cluster_id).join(ea, ea.event_id == e.id).where(
        scope_e, ea.actor_id == actor_id, e.cluster_id.is_not(None))).scalars()
    return {c for c in claims if c is not None}, {c for c in clusters if c is not None}


def _move_all(conn: Connection, from_id: int, to_id: int, arts: list[int] | None) -> None:
    def of_articles(column: Any) -> Any:
        return True if arts is None else column.in_(arts)

    m, s = MentionRow, StatementRow
    conn.execute(update(m).where(m.actor_id == from_id, of_articles(m.article_id))
                 .values(actor_id=to_id))
    conn.execute(update(s).where(s.speaker_id == from_id, of_articles(s.article_id))
                 .values(speaker_id=to_id))
    conn.execute(update(s).where(s.addressee_id == from_id, of_articles(s.article_id))
                 .values(addressee_id=to_id))
    about = StatementAboutRow
    statements = select(s.id).where(of_articles(s.article_id))
    moved = select(about.statement_id).where(
        about.actor_id == from_id, about.statement_id.in_(statements))
    rows = [{"statement_id": sid, "actor_id": to_id} for sid in conn.execute(moved).scalars()]
    if rows:
        insert_ignore(conn, table_of(about), rows, ["statement_id", "actor_id"])
        conn.execute(delete(about).where(
            about.actor_id == from_id, about.statement_id.in_([r["statement_id"] for r in rows])))
    ea = EventActorRow
    events = select(EventRow.id).where(of_articles(EventRow.article_id))
    roles = conn.execute(select(ea.event_id, ea.role).where(
        ea.actor_id == from_id, ea.event_id.in_(events))).all()
    if roles:
        insert_ignore(conn, table_of(ea),
                      [{"event_id": e, "actor_id": to_id, "role": r} for e, r in roles],
                      ["event_id", "actor_id", "role"])
        for event_id, role in roles:
            conn.execute(delete(ea).where(ea.actor_id == from_id, ea.event_id == event_id,
                                          ea.role == role))
    aa = ArticleActorRow
    conn.execute(update(aa).where(aa.actor_id == from_id, of_articles(aa.article_id))
                 .values(actor_id=to_id))
    if arts is None:
        _move_names(conn, from_id, to_id)
        conn.execute(delete(ActorRow).where(ActorRow.id == from_id))
        index_names(conn, [to_id])
    else:
        delete_orphans(conn, {from_id})


def _move_names(conn: Connection, from_id: int, to_id: int) -> None:
    """``from_id``'s name, aliases and titles become ``to_id``'s; its kind too when
    ``to_id``'s is unknown."""
    name, kind = conn.execute(
        select(ActorRow.name, ActorRow.kind).where(ActorRow.id == from_id)).one()
    aliases = {name_key(name): name}
    for alias, key in conn.execute(
            select(ActorAliasRow.alias, ActorAliasRow.key).where(
                ActorAliasRow.actor_id == from_id)):
        aliases.setdefault(key, alias)
    insert_ignore(conn, _ALIASES, [{"actor_id": to_id, "key": k, "alias": v}
                                   for k, v in sorted(aliases.items())], ["actor_id", "key"])
    titles = conn.execute(select(ActorTitleRow.title, ActorTitleRow.key).where(
        ActorTitleRow.actor_id == from_id)).all()
    if titles:
        insert_ignore(conn, _TITLES, [{"actor_id": to_id, "key": k, "title": t}
                                      for t, k in titles], ["actor_id", "key"])
    if kind != "unknown":
        conn.execute(update(ActorRow).where(ActorRow.id == to_id, ActorRow.kind == "unknown")
                     .values(kind=kind))


def delete_orphans(conn: Connection, actor_ids: Iterable[int]) -> None:
    """Delete actors (of ``actor_ids``) that no stored fact or article refers to."""
    ids = sorted(set(actor_ids))
    if not ids:
        return
    a = ActorRow
    used = (
        exists().where(MentionRow.actor_id == a.id),
        exists().where(EventActorRow.actor_id == a.id),
        exists().where(StatementAboutRow.actor_id == a.id),
        exists().where(StatementRow.speaker_id == a.id),
        exists().where(StatementRow.addressee_id == a.id),
        exists().where(ArticleActorRow.actor_id == a.id),
    )
    orphan: Any = a.id.in_(ids)
    for clause in used:
        orphan = orphan & ~clause
    conn.execute(delete(a).where(orphan))


# -- rules -------------------------------------------------------------------------


def load_rules(conn: Connection) -> list[dict[str, Any]]:
    """Every rule, oldest first, as ``{id, action, actor, actor_key, name, key}``."""
    r = ActorRuleRow
    rows = conn.execute(
        select(r.id, r.action, r.actor, r.actor_key, r.name, r.key, r.created_at)
        .order_by(r.id)).all()
    return [dict(row._mapping) for row in rows]


def redirects(rules: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Name key -> the canonical name an article's actor of that key resolves to,
    following chains (merge B into A, then rename A to N: "B" is N)."""
    direct: dict[str, str] = {}
    for rule in rules:
        if rule["action"] == "rename":
            direct[rule["actor_key"]] = rule["name"]
            direct.pop(rule["key"], None)
        elif rule["action"] == "split":
            direct[rule["key"]] = rule["name"]
        else:  # merge, alias: the name is another name of the actor
            direct[rule["key"]] = rule["actor"]
            direct.pop(rule["actor_key"], None)
    out: dict[str, str] = {}
    for key in direct:
        seen = {key}
        target = direct[key]
        while name_key(target) in direct and name_key(target) not in seen:
            seen.add(name_key(target))
            target = direct[name_key(target)]
        out[key] = target
    return out


def rule_aliases(rules: Sequence[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Target key -> {alias key: alias} that rules give an actor (a merged actor's name,
    a renamed actor's old name, an added alias)."""
    targets = redirects(rules)
    out: dict[str, dict[str, str]] = {}
    for rule in rules:
        if rule["action"] in ("merge", "alias"):
            alias = rule["name"]
        elif rule["action"] == "rename":
            alias = rule["actor"]
        else:
            continue
        target = targets.get(name_key(alias))
        if target is not None and name_key(target) != name_key(alias):
            out.setdefault(name_key(target), {})[name_key(alias)] = alias
    return out


def rule_records(conn: Connection) -> list[dict[str, Any]]:
    """The rules as records: ``{id, action, actor, name, created}``, oldest first."""
    return [
        {"id": r["id"], "action": r["action"], "actor": r["actor"], "name": r["name"],
         "created": r["created_at"].isoformat() if r["created_at"] else None}
        for r in load_rules(conn)
    ]


def _pick(conn: Connection, name: str) -> tuple[int, str, str]:
    """(id, name, kind) of the one actor ``name`` names."""
    exact = conn.execute(select(ActorRow.id, ActorRow.name, ActorRow.kind)
                         .where(ActorRow.key == name_key(name))).first()
    if exact is not None:
        return exact[0], exact[1], exact[2]
    ids = match_actor_ids(conn, [name])
    if len(ids) != 1:
        from kb.store.actors import not_found  # the one "did you mean" message

        if not ids:
            raise not_found(conn, name)
        names = conn.execute(select(ActorRow.name).where(ActorRow.id.in_(ids))
                             .order_by(ActorRow.name)).scalars()
        raise NotFoundError(f"{name!r} names several actors ({', '.join(names)}); "
                            "give the full name")
    row = conn.execute(select(ActorRow.id, ActorRow.name, ActorRow.kind)
                       .where(ActorRow.id == ids[0])).one()
    return row[0], row[1], row[2]


def _get_or_create(conn: Connection, name: str, kind: str) -> int:
    found = conn.execute(select(ActorRow.id).where(ActorRow.key == name_key(name))).scalar()
    if found is not None:
        return found
    created = conn.execute(insert(ActorRow).values(
        name=name.strip(), kind=kind, key=name_key(name)).returning(ActorRow.id)).scalar_one()
    index_names(conn, [created])
    return created


def add_rule(conn: Connection, action: str, actor: str, name: str) -> dict[str, Any]:
    """Record one rule and apply it to the stored facts now; returns its record.

    ``actor`` must name one actor (by name or alias); for "merge", so must ``name``.
    Raises :class:`kb.errors.NotFoundError` (with the nearest names) or
    :class:`kb.errors.InputError` for a rule that would do nothing.
    """
    if action not in ACTIONS:
        raise InputError(f"rule {action!r} is not one of: {', '.join(ACTIONS)}")
    if not name.strip():
        raise InputError(f"{action}: the name is empty; give a name")
    lock_actors(conn)
    actor_id, actor_name, kind = _pick(conn, actor)
    key = name_key(name)
    affected = [actor_id]
    if action == "merge":
        other_id, other_name, _ = _pick(conn, name)
        if other_id == actor_id:
            raise InputError(f"{actor!r} and {name!r} are already one actor ({actor_name})")
        move_facts(conn, other_id, actor_id)
        name = other_name
    elif action == "rename":
        taken = conn.execute(select(ActorRow.id).where(
            ActorRow.key == key, ActorRow.id != actor_id)).scalar()
        if taken is not None:
            raise InputError(f"an actor is already called {name!r}; use `kb actors merge "
                             f"{name!r} {actor_name!r}` to join them")
        conn.execute(update(ActorRow).where(ActorRow.id == actor_id)
                     .values(name=name.strip(), key=key))
        insert_ignore(conn, _ALIASES, {"actor_id": actor_id, "key": name_key(actor_name),
                                       "alias": actor_name}, ["actor_id", "key"])
    elif action == "alias":
        other = conn.execute(select(ActorRow.id).where(ActorRow.key == key)).scalar()
        if other is not None and other != actor_id:
            move_facts(conn, other, actor_id)
        insert_ignore(conn, _ALIASES, {"actor_id": actor_id, "key": key,
                                       "alias": name.strip()}, ["actor_id", "key"])
    else:  # split
        if key == name_key(actor_name):
            raise InputError(f"split: {name!r} is {actor_name}'s own name; give the name "
                             "its mentions to move are written with")
        target = _get_or_create(conn, name, kind)
        affected.append(target)
        _split(conn, actor_id, target, key)
        conn.execute(delete(ActorAliasRow).where(ActorAliasRow.actor_id == actor_id,
                                                 ActorAliasRow.key == key))
    conn.execute(insert(ActorRuleRow).values(
        action=action, actor=actor_name, actor_key=name_key(actor_name), name=name.strip(),
        key=key, created_at=dt.datetime.now(dt.UTC)))
    index_names(conn, affected)
    from kb.store.resolve import reconsider  # resolution builds on this module

    # a merge can leave a short form one candidate, a split give it a second
    reconsider(conn, affected)
    return rule_records(conn)[-1]


def _split(conn: Connection, actor_id: int, target_id: int, key: str,
           article_ids: Sequence[int] | None = None) -> None:
    """``actor_id``'s facts written ``key`` go to ``target_id``: every fact of the
    articles whose only own name for the actor has that key, and elsewhere the
    mentions, speakers and addressees written so."""
    aa = ArticleActorRow
    query = select(aa.article_id, aa.key).where(aa.actor_id == actor_id)
    if article_ids is not None:
        query = query.where(aa.article_id.in_(article_ids))
    names: dict[int, set[str]] = {}
    for article_id, local in conn.execute(query):
        names.setdefault(article_id, set()).add(local)
    whole = sorted(a for a, keys in names.items() if keys == {key})
    if whole:
        move_facts(conn, actor_id, target_id, whole)
    rest = [a for a in names if a not in whole] if article_ids is not None else None
    if article_ids is None or rest:
        move_facts(conn, actor_id, target_id, rest, written=key)


def _move_written(conn: Connection, from_id: int, to_id: int, key: str,
                  arts: list[int] | None) -> None:
    # keys fold accents, so texts are compared here rather than in SQL
    m, s = MentionRow, StatementRow

    def scope(column: Any) -> Any:
        return True if arts is None else column.in_(arts)

    mentions = [i for i, text in conn.execute(
        select(m.id, m.text).where(m.actor_id == from_id, scope(m.article_id)))
        if name_key(text) == key]
    if mentions:
        conn.execute(update(m).where(m.id.in_(mentions)).values(actor_id=to_id))
    for column, written_as in ((s.speaker_id, s.speaker_text), (s.addressee_id, s.addressee_text)):
        ids = [i for i, t in conn.execute(select(s.id, written_as).where(
            column == from_id, scope(s.article_id))) if t and name_key(t) == key]
        if ids:
            conn.execute(update(s).where(s.id.in_(ids)).values({column.key: to_id}))


def apply_splits(conn: Connection, rules: Sequence[dict[str, Any]], article_id: int) -> None:
    """Apply the split rules to one newly written article's mentions."""
    if not any(rule["action"] == "split" for rule in rules):
        return
    targets = redirects(rules)
    for rule in rules:
        if rule["action"] != "split":
            continue
        current = name_key(targets.get(rule["actor_key"], rule["actor"]))
        source = conn.execute(select(ActorRow.id).where(ActorRow.key == current)).scalar()
        if source is None:
            continue
        has = conn.execute(select(func.count()).select_from(MentionRow).where(
            and_(MentionRow.actor_id == source, MentionRow.article_id == article_id))).scalar()
        if not has:
            continue
        target = _get_or_create(conn, rule["name"], conn.execute(
            select(ActorRow.kind).where(ActorRow.id == source)).scalar_one())
        _split(conn, source, target, rule["key"], [article_id])
