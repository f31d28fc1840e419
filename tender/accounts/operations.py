"""Account operations: log-in with lock-out, passwords, user management.

Each operation validates, changes, records the audit event and flushes; the caller
(a route or a command) commits once.
"""
from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tender import clock, signals
from tender.accounts import sessions, tokens
from tender.accounts.mails import send_failures_notice
from tender.accounts.models import LoginThrottle, PasswordReset, ResetPurpose, Role, User
from tender.audit.operations import changes, record, snapshot
from tender.config import PASSWORD_ARGON2
from tender.extensions import db
from tender.locking import lock_row
from tender.rules.errors import OperationError
from tender.rules.passwords import password_problems


def _hasher() -> PasswordHasher:
    """The application's hasher, built once from PASSWORD_HASH_PARAMS (time, memory KiB, lanes)."""
    found = current_app.extensions.get("tender_password_hasher")
    if found is None:
        t, m, p = current_app.config.get("PASSWORD_HASH_PARAMS", PASSWORD_ARGON2)
        found = current_app.extensions["tender_password_hasher"] = PasswordHasher(time_cost=t, memory_cost=m,
                                                                                  parallelism=p)
        # Verified against when the e-mail is unknown, so that timing does not reveal accounts.
        current_app.extensions["tender_dummy_hash"] = found.hash("tender-dummy-password")
    return found

USER_FIELDS = ["email", "name", "role", "title", "phone", "company_id", "acts_as_agent",
               "department_id", "active"]


class AccountError(OperationError):
    """An account change refused; the address is what it is about."""

    field = "email"


class PasswordPolicyError(OperationError):
    """A new password the policy refuses: each problem is said beside the field."""

    def __init__(self, problems: list[str], field: str = "new"):
        super().__init__(" ".join(problems), field=field)
        self.problems = problems


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _rehash_if_needed(user: User, password: str) -> None:
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)


def takes_password(user: User, password: str) -> bool:
    """Whether the password is the user's (no log-in, no rehash, nothing recorded)."""
    return _verifies(user.password_hash, password)


def check_password(user: User, password: str) -> bool:
    if not _verifies(user.password_hash, password):
        return False
    _rehash_if_needed(user, password)
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
    #: This e-mail address from this client address must wait (``retry_at``).
    THROTTLED = "throttled"


@dataclass
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    retry_at: datetime | None = None


#: Shown in the audit trail instead of an address typed at a failed log-in that matches no account.
UNKNOWN_ACCOUNT = "（登録のないアドレス）"


def _throttle_key(email: str, address: str) -> str:
    return hashlib.sha256(f"{normalise_email(email)}|{address}".encode()).hexdigest()


def _throttle(email: str, address: str, now: datetime) -> LoginThrottle:
    key = _throttle_key(email, address)
    row = db.session.execute(select(LoginThrottle).where(LoginThrottle.key == key)).scalar_one_or_none()
    if row is None:
        row = LoginThrottle(key=key, failures=0, last_failure_at=now)
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:  # another worker made it at the same moment
            db.session.rollback()
            row = db.session.execute(select(LoginThrottle).where(LoginThrottle.key == key)).scalar_one()
    return lock_row(LoginThrottle, row.id)


def _delay(failures: int) -> timedelta | None:
    """Nothing for the first failures; then 1, 2, 4, 8 … minutes, at most LOGIN_LOCK_MINUTES."""
    free = current_app.config["LOGIN_MAX_FAILURES"]
    if failures < free:
        return None
    return timedelta(minutes=min(2 ** (failures - free), current_app.config["LOGIN_LOCK_MINUTES"]))


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
        _hasher().verify(current_app.extensions["tender_dummy_hash"], password)
    except VerificationError:
        pass


def register_failure(user: User, now: datetime, reason: str, action: str = "login.failed") -> bool:
    """A wrong current password typed on the password-change form, from a live session: whoever holds
    the session is guessing. The caller holds the user's row lock. True when this locked the account
    (the session then ends; the administrator or time releases the lock)."""
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


#: Failed log-ins to one account (from anywhere) after which its owner is told.
NOTIFY_AFTER = 5


def attempt_login(email: str, password: str, now: datetime, address: str = "") -> LoginResult:
    """Check a log-in. Failures slow down the pair (typed address, client address) with growing
    delays; the same answer is given whether or not the account exists. Every attempt is
    recorded, under the account it matched (a typed address that matches none is not kept). The
    caller commits, whatever the outcome."""
    throttle = _throttle(email, address, now)
    found = find_user(email)
    if throttle.blocked_until is not None and throttle.blocked_until > now:
        user = lock_row(User, found.id) if found is not None else None
        _dummy_verify(password)
        record("login.refused", user, actor=user.email if user else UNKNOWN_ACCOUNT, summary={"reason": "throttled"})
        return LoginResult(LoginOutcome.THROTTLED, user, throttle.blocked_until)
    # Argon2 runs before the account's row is locked (the pair's throttle row is, so that attempts
    # from one address are counted one after another): the account's lock is held for the writes
    # alone, not for the hashing, and parallel log-ins to one account are still counted exactly
    # below. Every attempt hashes once, whether the account exists, is inactive or locked.
    checked = found.password_hash if found is not None else None
    if checked is None:
        _dummy_verify(password)
    matches = checked is not None and _verifies(checked, password)
    user = lock_row(User, found.id) if found is not None else None
    if user is not None and user.password_hash != checked:  # changed meanwhile: the new one decides
        matches = _verifies(user.password_hash, password)
    if user is not None:
        _release_expired_lock(user, now)
    ok = user is not None and user.active and not user.is_locked(now) and matches
    if ok:
        _rehash_if_needed(user, password)
    if not ok:
        throttle.failures += 1
        throttle.last_failure_at = now
        delay = _delay(throttle.failures)
        throttle.blocked_until = now + delay if delay else None
        if user is None:
            record("login.failed", actor=UNKNOWN_ACCOUNT, summary={"reason": "unknown_email"})
        else:
            reason = "inactive" if not user.active else ("locked" if user.is_locked(now) else "wrong_password")
            user.failed_logins += 1
            record("login.failed", user, actor=user.email, summary={
                "reason": reason, "failures": user.failed_logins, "delay_minutes":
                    int(delay.total_seconds() // 60) if delay else 0})
            if user.failed_logins == NOTIFY_AFTER:
                send_failures_notice(user, user.failed_logins)
                signals.login_failures.send(user, count=user.failed_logins, when=now)
        if throttle.blocked_until:
            return LoginResult(LoginOutcome.THROTTLED, user, throttle.blocked_until)
        return LoginResult(LoginOutcome.INVALID, user)
    db.session.delete(throttle)
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


SAME_AS_CURRENT = "新しいパスワードが現在のパスワードと同じです。別のパスワードにしてください。"


def _check_policy(password: str, email: str, user: User | None = None) -> None:
    problems = password_problems(password, email=email)
    if not problems and user is not None and check_password(user, password):
        problems.append(SAME_AS_CURRENT)
    if problems:
        raise PasswordPolicyError(problems)


def set_password(user: User, password: str, *, keep=None) -> None:
    """The user replaces their own password; their other sessions end. Nobody sets another user's
    password: the administrator sends a one-time link instead (``issue_reset``)."""
    _check_policy(password, user.email, user)
    now = clock.now()
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.must_change_password = False
    sessions.end_all(user, "password_changed", now, keep=keep)
    record("password.changed", user, actor=user, summary={"by": "self"})


def create_user(*, email: str, name: str, role: Role, password: str | None, by: User | None = None,
                **attrs) -> User:
    """A user. ``password`` None: an invited user, who sets it through the link (see ``invite``).
    A bidder's company is assigned by ``assign_company``: when the administrator adds someone to a
    company that has members, a member approves first."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError("このメールアドレスは既に登録されています。")
    if password is None:  # an invitation: the user sets the first password through the link
        password_hash = hash_password(secrets.token_urlsafe(32))
    else:
        _check_policy(password, email)
        password_hash = hash_password(password)
    attrs.setdefault("active", True)
    company_id = attrs.pop("company_id", None)
    user = User(email=email, name=name, role=role, password_hash=password_hash,
                failed_logins=0, must_change_password=False, **attrs)
    if role is not Role.BIDDER:
        user.acts_as_agent = False
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same e-mail registered at the same moment
        raise AccountError("このメールアドレスは既に登録されています。") from exc
    after = snapshot(user, USER_FIELDS)
    record("user.created", user, actor=by, summary={"changes": changes({}, after, {"phone"})})
    if role is Role.BIDDER:
        assign_company(user, company_id, by=by)
    return user


def update_user(user: User, values: dict, *, by: User) -> dict:
    before = snapshot(user, USER_FIELDS)
    values = dict(values)
    company_id = values.pop("company_id", user.company_id or user.pending_company_id)
    if "email" in values and by.id != user.id and normalise_email(values["email"]) != user.email:
        # The address is where password links go: an administrator who could change it could take
        # the account over (issue 13 item 8). Only the user changes it, from their profile.
        raise AccountError("メールアドレスは本人だけが変更できます（プロフィール画面）。")
    if "email" in values:
        values["email"] = normalise_email(values["email"])
        other = find_user(values["email"])
        if other is not None and other.id != user.id:
            raise AccountError("このメールアドレスは既に登録されています。")
    for key, value in values.items():
        setattr(user, key, value)
    if user.role is not Role.BIDDER:
        company_id, user.acts_as_agent = None, False
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise AccountError("このメールアドレスは既に登録されています。") from exc
    assign_company(user, company_id, by=by)
    after = snapshot(user, USER_FIELDS)
    diff = changes(before, after, {"phone"})
    if before["active"] and not after["active"]:
        sessions.end_all(user, "deactivated", clock.now())  # logged out everywhere at once
        tokens.revoke_all(user, clock.now(), "deactivated")  # and its API tokens end, not merely pause
    if diff:
        record("user.updated", user, actor=by, summary={"changes": diff})
    return diff


# --- a bidder's company ------------------------------------------------------------------

def company_members(company_id: int, *, besides: User | None = None) -> list[User]:
    """The users confirmed in a company, active or not (deactivating every member must not open the
    company to whoever the administrator adds next)."""
    stmt = select(User).where(User.company_id == company_id)
    if besides is not None:
        stmt = stmt.where(User.id != besides.id)
    return db.session.execute(stmt.order_by(User.id)).scalars().all()


def assign_company(user: User, company_id: int | None, *, by: User | None) -> None:
    """Put a bidder in a company, or take them out of one.

    A user moved out of a company loses everything of it at once: their sessions end and what
    they were told about it goes (issue 13 item 8). An administrator cannot place a user in a
    company that has members: the user waits, with no company, until one of its members approves
    (tender.companies.operations.approve_member) — otherwise an administrator could read any
    company's receipts by joining it. The first user of a company, and users set up by the
    system itself (``by`` None: the demo, commands), need no approval.
    """
    current = user.company_id or user.pending_company_id
    if company_id == current:
        return
    left = user.company_id
    needs_approval = (company_id is not None and by is not None and by.role is Role.ADMIN
                      and bool(company_members(company_id, besides=user)))
    user.company_id = None if needs_approval else company_id
    user.pending_company_id = company_id if needs_approval else None
    db.session.flush()
    if left is not None:
        sessions.end_all(user, "company_changed", clock.now())
        tokens.revoke_all(user, clock.now(), "company_changed")  # made for the company left: revoked for good
        signals.company_left.send(user, company_id=left)
    if needs_approval:
        signals.membership_requested.send(user, company_id=company_id)
    record("user.company_assigned", user, actor=by, summary={
        "left": left, "company_id": user.company_id, "pending_company_id": user.pending_company_id})


# --- passwords set by the user through a one-time link ------------------------------------

RESET_VALID = timedelta(hours=24)
INVITATION_VALID = timedelta(days=3)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_reset(user: User, *, by: User | None, now: datetime, purpose: str = ResetPurpose.RESET) -> str:
    """A one-time link for the user to set their own password; earlier unused links stop working.
    The caller mails it to the user's own address: nobody else ever sees it."""
    for old in db.session.execute(select(PasswordReset).where(PasswordReset.user_id == user.id,
                                                              PasswordReset.used_at.is_(None))).scalars():
        old.used_at = now
    token = secrets.token_urlsafe(32)
    valid = INVITATION_VALID if purpose == ResetPurpose.INVITATION else RESET_VALID
    row = PasswordReset(user_id=user.id, token_hash=_token_hash(token), purpose=purpose, created_at=now,
                        expires_at=now + valid, requested_by_id=getattr(by, "id", None))
    db.session.add(row)
    record("password.link_issued", user, actor=by, summary={"purpose": purpose, "expires_at": row.expires_at.isoformat()})
    return token


def reset_for(token: str, now: datetime) -> PasswordReset | None:
    """The live link of this token, or None (unknown, used, expired, or the account deactivated)."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token))
                             ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now or not row.user.active:
        return None
    return row


def complete_reset(row: PasswordReset, password: str, *, now: datetime) -> User:
    """The user's own new password: every session ends, the lock is lifted, the link is spent."""
    user = row.user
    _check_policy(password, user.email, user)
    user.password_hash = hash_password(password)
    user.password_changed_at, user.must_change_password = now, False
    user.failed_logins, user.locked_until = 0, None
    row.used_at = now
    sessions.end_all(user, "password_changed", now)
    # A reset is how an account taken over is taken back: tokens the intruder may have made end too.
    tokens.revoke_all(user, now, "password_reset")
    record("password.changed", user, actor=user, summary={"by": "self", "through": row.purpose})
    return user
