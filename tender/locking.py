"""Row locks that work the same on PostgreSQL and SQLite.

PostgreSQL honours ``SELECT … FOR UPDATE``; SQLite ignores it, and a transaction that
only read can lose the race to upgrade its lock. Writing to the row first (a no-op UPDATE)
takes the row lock on PostgreSQL and the database write lock on SQLite; it returns the row as it
stands under the lock (RETURNING), the latest committed state, with which no other writer can
interleave.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import update

from tender.extensions import db

T = TypeVar("T")


def lock_row(model: type[T], ident: int) -> T | None:
    """Lock the row and return it freshly loaded (None if it does not exist): one statement, the
    no-op UPDATE returning the row it locked."""
    pk = model.__mapper__.primary_key[0]
    db.session.flush()  # nothing pending is lost by the expiry below
    loaded = db.session.identity_map.get(db.session.identity_key(model, ident))
    if loaded is not None:
        db.session.expire(loaded)  # its collections too (a case's rounds): read again under the lock
    return db.session.execute(
        update(model).where(pk == ident).values({pk.key: pk}).returning(model)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).scalar_one_or_none()
