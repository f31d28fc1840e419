"""Row locks that work the same on PostgreSQL and SQLite.

PostgreSQL honours ``SELECT … FOR UPDATE``; SQLite ignores it, and a transaction that
only read can lose the race to upgrade its lock. Writing to the row first (a no-op UPDATE)
takes the row lock on PostgreSQL and the database write lock on SQLite, so the read that
follows sees the latest committed state and no other writer can interleave.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select, update

from tender.extensions import db

T = TypeVar("T")


def lock_row(model: type[T], ident: int) -> T | None:
    """Lock the row and return it freshly loaded (None if it does not exist)."""
    pk = model.__mapper__.primary_key[0]
    db.session.flush()  # nothing pending is lost by the expiry below
    db.session.execute(update(model).where(pk == ident).values({pk.key: pk}).execution_options(synchronize_session=False))
    loaded = db.session.identity_map.get(db.session.identity_key(model, ident))
    if loaded is not None:
        db.session.expire(loaded)  # its collections too (a case's rounds): read again under the lock
    return db.session.execute(
        select(model).where(pk == ident).execution_options(populate_existing=True)
    ).scalar_one_or_none()
