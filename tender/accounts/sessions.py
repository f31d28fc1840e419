"""Server-side log-in sessions: started at log-in, ended by log-out, idle time-out,
password change or deactivation. The cookie only carries a random token."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from tender.accounts.models import LoginSession, User
from tender.extensions import db

#: last_seen_at is written at most this often, not on every request.
TOUCH_INTERVAL = timedelta(seconds=30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start(user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    row = LoginSession(token_hash=_hash(token), user_id=user.id, started_at=now, last_seen_at=now)
    if has_request_context():
        row.ip = request.remote_addr
        row.user_agent = request.user_agent.string[:300] or None
    db.session.add(row)
    return token


#: Values read in the same statement as the user, by name: each a function making a scalar
#: column (correlated to ``User`` where it needs the user). The application registers them
#: (``read_with_user``) for what every page of a logged-in user shows (the unread notifications,
#: the page cache's key), so that they cost no statement of their own.
_ALSO: dict[str, Callable[[], ColumnElement]] = {}
#: The statement, built once (and again when the columns change); user and token bound at execution.
_FIND: list[Any] = []


def read_with_user(**columns: Callable[[], ColumnElement]) -> None:
    _ALSO.update(columns)
    _FIND.clear()


def _find_statement():
    names = tuple(sorted(_ALSO))
    if not _FIND:
        _FIND.append(
            select(User, LoginSession, *(_ALSO[name]().label(f"also_{name}") for name in names))
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(User.id == bindparam("user_id"), User.active.is_(True),
                   LoginSession.token_hash == bindparam("token_hash"), LoginSession.ended_at.is_(None))
            # The nav names a bidder's company on every page.
            .options(joinedload(User.company)))
    return names, _FIND[0]


def find(token: str | None, user_id: int) -> tuple[User, LoginSession, dict[str, Any]] | None:
    """The active user and the live session the token names, if it is theirs, with the values
    registered by ``read_with_user``: one statement, since every request of a logged-in user asks it."""
    if not token or not isinstance(token, str):
        return None
    names, stmt = _find_statement()
    row = db.session.execute(stmt, {"user_id": user_id, "token_hash": _hash(token)}).one_or_none()
    if row is None:
        return None
    return row[0], row[1], {name: row[2 + i] for i, name in enumerate(names)}


def known(name: str, otherwise: Callable[[], Any]) -> Any:
    """A value read with this request's user (``read_with_user``); ``otherwise()`` when it was not,
    or when this request has committed a change since (the value may have moved)."""
    values = g.get("read_with_user") if has_app_context() else None
    return values[name] if values and name in values else otherwise()


@event.listens_for(Session, "after_commit")
def _forget_known(_session) -> None:
    if has_app_context() and g.get("read_with_user"):
        g.read_with_user = {}


def is_idle(row: LoginSession, now: datetime, idle: timedelta) -> bool:
    return now - row.last_seen_at > idle


def touch(row: LoginSession, now: datetime) -> bool:
    """Note activity; True when the row was written (the caller commits)."""
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        return True
    return False


def end(row: LoginSession, reason: str, now: datetime) -> None:
    row.ended_at = now
    row.end_reason = reason


def end_all(user: User, reason: str, now: datetime, *, keep: LoginSession | None = None) -> int:
    stmt = (update(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason)
            .execution_options(synchronize_session=False))
    if keep is not None:
        stmt = stmt.where(LoginSession.id != keep.id)
    return db.session.execute(stmt).rowcount
