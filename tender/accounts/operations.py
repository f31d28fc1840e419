"""Account operations: log-in with lock-out, passwords, user management.

Each operation validates, changes, records the audit event and flushes; the caller
(a route or a command) commits once.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tender import clock
from tender.accounts import sessions
from tender.accounts.models import Role, User
from tender.audit.operations import changes, record, snapshot
from tender.extensions import db
from tender.locking import lock_row
from tender.rules.passwords import password_problems

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("tender-dummy-password")

USER_FIELDS = ["email", "name", "role", "title", "phone", "company_id", "acts_as_agent",
               "department_id", "active"]


class PasswordPolicyError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


class LoginOutcome(enum.Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    locked_until: datetime | None = None


def _release_expired_lock(user: User, now: datetime) -> None:
    # Released lazily, at the first attempt after the lock ran out; the event names
    # when the lock ended (locked_until) as well as when the release was noticed.
    if user.locked_until is not None and user.locked_until <= now:
        until = user.locked_until
        user.locked_until = None
        user.failed_logins = 0
        record("account.unlocked", user, actor=user.email,
               summary={"reason": "lock_expired", "locked_until": until.isoformat()})


def _dummy_verify(password: str) -> None:
    """Spend the time of a real check, so that timing reveals neither accounts nor locks."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


def register_failure(user: User, now: datetime, reason: str, action: str = "login.failed") -> bool:
    """Count one failed proof of the password; lock the account at the threshold.

    The caller holds the user's row lock (``lock_row``), so that failures arriving in
    parallel are all counted. Returns True when this failure locked the account.
    """
    user.failed_logins += 1
    record(action, user, actor=user.email,
           summary={"reason": reason, "consecutive_failures": user.failed_logins})
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        record("account.locked", user, actor=user.email,
               summary={"consecutive_failures": user.failed_logins,
                        "locked_until": user.locked_until.isoformat()})
        return True
    return False


def attempt_login(email: str, password: str, now: datetime) -> LoginResult:
    """Check a log-in; count failures and lock the account after too many in a row.

    Every attempt is recorded, successful or not. The caller commits, whatever the outcome.
    """
    found = find_user(email)
    if found is None:
        _dummy_verify(password)
        record("login.failed", actor=normalise_email(email)[:254], summary={"reason": "unknown_email"})
        return LoginResult(LoginOutcome.INVALID)

    user = lock_row(User, found.id)
    _release_expired_lock(user, now)
    if user.is_locked(now):
        _dummy_verify(password)
        record("login.refused", user, actor=user.email, summary={"reason": "locked"})
        return LoginResult(LoginOutcome.LOCKED, user, user.locked_until)

    if not check_password(user, password) or not user.active:
        reason = "inactive" if not user.active else "wrong_password"
        if register_failure(user, now, reason):
            return LoginResult(LoginOutcome.LOCKED, user, user.locked_until)
        return LoginResult(LoginOutcome.INVALID, user)

    user.failed_logins = 0
    user.last_login_at = now
    record("login.succeeded", user, actor=user)
    return LoginResult(LoginOutcome.OK, user)


def log_out(user: User, row, reason: str, now: datetime) -> None:
    """End one session (log-out, idle time-out) and record it."""
    if row is not None:
        sessions.end(row, reason, now)
    record("logout", user, actor=user, summary={"reason": reason})


def unlock(user: User, by: User) -> None:
    if user.locked_until is None and user.failed_logins == 0:
        return
    user.locked_until = None
    user.failed_logins = 0
    record("account.unlocked", user, actor=by, summary={"reason": "administrator"})


def _check_policy(password: str, email: str) -> None:
    problems = password_problems(password, email=email)
    if problems:
        raise PasswordPolicyError(problems)


def set_password(user: User, password: str, *, by: User | None = None, keep=None) -> None:
    """Replace the password and end the user's other sessions.

    A password chosen by somebody else (the administrator) must be replaced by the user
    at the next log-in, so that nobody else keeps a working password.
    """
    _check_policy(password, user.email)
    now = clock.now()
    by_other = by is not None and by.id != user.id
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.must_change_password = by_other
    sessions.end_all(user, "password_changed", now, keep=keep)
    record("password.changed", user, actor=by or user, summary={"by": "administrator" if by_other else "self"})


def create_user(*, email: str, name: str, role: Role, password: str, by: User | None = None,
                **attrs) -> User:
    email = normalise_email(email)
    if find_user(email) is not None:
        raise ValueError("このメールアドレスは既に登録されています。")
    _check_policy(password, email)
    attrs.setdefault("active", True)
    user = User(email=email, name=name, role=role, password_hash=hash_password(password),
                failed_logins=0, must_change_password=by is not None, **attrs)
    if role is not Role.BIDDER:
        user.company_id, user.acts_as_agent = None, False
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same e-mail registered at the same moment
        raise ValueError("このメールアドレスは既に登録されています。") from exc
    after = snapshot(user, USER_FIELDS)
    record("user.created", user, actor=by, summary={"changes": changes({}, after, {"phone"})})
    return user


def update_user(user: User, values: dict, *, by: User) -> dict:
    before = snapshot(user, USER_FIELDS)
    if "email" in values:
        values["email"] = normalise_email(values["email"])
        other = find_user(values["email"])
        if other is not None and other.id != user.id:
            raise ValueError("このメールアドレスは既に登録されています。")
    for key, value in values.items():
        setattr(user, key, value)
    if user.role is not Role.BIDDER:
        user.company_id, user.acts_as_agent = None, False
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise ValueError("このメールアドレスは既に登録されています。") from exc
    after = snapshot(user, USER_FIELDS)
    diff = changes(before, after, {"phone"})
    if before["active"] and not after["active"]:
        sessions.end_all(user, "deactivated", clock.now())  # logged out everywhere at once
    if diff:
        record("user.updated", user, actor=by, summary={"changes": diff})
    return diff
