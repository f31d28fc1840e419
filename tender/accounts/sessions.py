"""Server-side log-in sessions: started at log-in, ended by log-out, idle time-out,
password change or deactivation. The cookie only carries a random token."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import has_request_context, request
from sqlalchemy import select, update

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


def find(token: str | None, user_id: int) -> tuple[User, LoginSession] | None:
    """The active user and the live session the token names, if it is theirs: one statement,
    since every request of a logged-in user asks it."""
    if not token or not isinstance(token, str):
        return None
    row = db.session.execute(
        select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == user_id, User.active.is_(True), LoginSession.token_hash == _hash(token),
               LoginSession.ended_at.is_(None))
    ).one_or_none()
    return None if row is None else (row[0], row[1])


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
