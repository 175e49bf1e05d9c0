"""Read queries compiled once and run straight on the driver: the store's hot path.

The record queries (:mod:`kb.store.queries`) are SQLAlchemy Core statements built once
per combination of filters. Running them through ``Connection.execute`` costs about a
millisecond of Python per call (parameter processing, an expanding ``IN`` re-rendered
for every list length, result-row processing), which is as much as the database work
of a small query. So each statement is compiled to its dialect's SQL text once, and
run on the connection's driver cursor, inside the connection's transaction (begun
first when needed, so every step of a query reads one snapshot). Lists of ids or names
travel as one parameter, so the SQL text never changes with the list length (SQLite: a
JSON array read by ``json_each``; PostgreSQL: an array compared with ``= ANY``), and
the database's own statement cache is hit.

Parameters are given as Python values (ints, strings, ``datetime.date``, lists) and
converted here; values come back as the driver returns them (on SQLite: dates as ISO
text, booleans as 0/1), which :func:`kb.store.queries._iso` and ``bool`` accept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ARRAY, Integer, Text, bindparam, cast, func, literal_column, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement

__all__ = ["in_list", "run", "run_many"]

#: (statement, dialect name) -> (SQL text, parameter names in order or None for named)
_COMPILED: dict[tuple[ClauseElement, str], tuple[str, tuple[str, ...] | None]] = {}


def in_list(
    column: Any, param: str, dialect: str, of_text: bool = False, many: bool = False
) -> Any:
    """``column`` is one of the values in the list parameter ``param``.

    One parameter whatever the list's length: on SQLite a JSON array read by
    ``json_each`` (its ``value`` column), on PostgreSQL an ``INTEGER[]``/``TEXT[]``
    array compared with ``= ANY``; both use the column's index. With ``many`` (lists
    of thousands), PostgreSQL reads the array as rows (``IN (SELECT unnest(...))``):
    for ``= ANY`` of twenty thousand ids it chose to scan the whole table (2 million
    rows, 0.18 s) over looking each id up (0.1 s).
    """
    if dialect == "postgresql":
        array = cast(bindparam(param), ARRAY(Text if of_text else Integer))
        if many:
            return column.in_(select(func.unnest(array)))
        return column == func.any(array)
    values: Any = select(literal_column("value")).select_from(func.json_each(bindparam(param)))
    return column.in_(values)


def _compiled(conn: Connection, statement: ClauseElement) -> tuple[str, tuple[str, ...] | None]:
    key = (statement, conn.dialect.name)
    found = _COMPILED.get(key)
    if found is None:
        compiled: Any = statement.compile(dialect=conn.dialect)
        order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else ()
        found = (str(compiled), order if compiled.positional else None)
        if len(_COMPILED) > 2048:
            _COMPILED.clear()
        _COMPILED[key] = found
    return found


def _value(value: Any, sqlite: bool) -> Any:
    if not sqlite:
        return list(value) if isinstance(value, tuple) else value
    if isinstance(value, list | tuple):
        return json.dumps(list(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _cursor(conn: Connection) -> Any:
    if not conn.in_transaction():
        conn.begin()  # the connection's own transaction: one snapshot for every step
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _args(order: tuple[str, ...] | None, params: Mapping[str, Any], sqlite: bool) -> Any:
    if order is None:
        return {k: _value(v, sqlite) for k, v in params.items()}
    return tuple(_value(params[name], sqlite) for name in order)


def run(
    conn: Connection, statement: ClauseElement, params: Mapping[str, Any], fetch: bool = True
) -> Sequence[Any]:
    """Every row of ``statement`` with ``params`` (lists for :func:`in_list` parameters).

    Rows are the driver's tuples-like rows, in the statement's column order; with
    ``fetch`` false (a statement that returns no rows) nothing is read.
    """
    sql, order = _compiled(conn, statement)
    args = _args(order, params, conn.dialect.name == "sqlite")
    cursor = _cursor(conn)
    try:
        cursor.execute(sql, args)
        return cursor.fetchall() if fetch else ()
    finally:
        cursor.close()


def run_many(
    conn: Connection, statement: ClauseElement, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Execute ``statement`` (no result rows) once per parameter set in ``rows``, in one
    driver call. Values go to the driver as they are (as :func:`run` returns them)."""
    if not rows:
        return
    sql, order = _compiled(conn, statement)
    if order is None:
        args: Any = [dict(r) for r in rows]
    else:
        args = [tuple(r[name] for name in order) for r in rows]
    cursor = _cursor(conn)
    try:
        cursor.executemany(sql, args)
    finally:
        cursor.close()
