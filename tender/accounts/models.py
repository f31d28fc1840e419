"""Users and their roles."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender import clock
from tender.extensions import db
from tender.rules.labels import Labelled
from tender.types import EncryptedText, UTCDateTime, enum_column


class Role(str, enum.Enum):
    OFFICER = "officer"
    BIDDER = "bidder"
    EVALUATOR = "evaluator"
    AUDITOR = "auditor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OFFICER: "調達担当者",
    Role.BIDDER: "入札参加者",
    Role.EVALUATOR: "審査員",
    Role.AUDITOR: "監査担当者",
    Role.ADMIN: "システム管理者",
}


class MailMode(Labelled):
    """How a user hears of their お知らせ by e-mail (the in-app list always has them)."""

    IMMEDIATE = "immediate", "その都度メールで受け取る"
    DIGEST = "digest", "1日1回まとめて受け取る（毎朝、前日からのお知らせ）"
    OFF = "off", "メールでは受け取らない（画面のお知らせだけ）"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Log-in name; stored lower-case, unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: 氏名
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: False when the administrator has deactivated the account (it can no longer log in).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: 役職
    title: Mapped[str | None] = mapped_column(String(100))
    #: 電話番号 — personal data, encrypted at rest.
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    #: For bidders: the company (事業者) the user belongs to.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    #: For bidders: a company the administrator assigned, waiting for a member of that company to
    #: approve (until then the user has no company and sees none of its records).
    pending_company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    #: For bidders: acts as the company's agent (代理人) rather than its representative.
    acts_as_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: For officers: the department of the contracting authority.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    #: Consecutive failed log-ins since the last success or lock.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    #: Set while the account is locked after too many failures.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Set when the administrator chose the password: the user must replace it before
    #: doing anything else, so that nobody else knows a working password of theirs.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: How お知らせ reach the user by e-mail (tender.notifications): each at once, a daily digest, or not.
    mail_mode: Mapped[MailMode] = mapped_column(enum_column(MailMode, 12), default=MailMode.IMMEDIATE,
                                                server_default=MailMode.IMMEDIATE.value)

    company = relationship("Company", back_populates="users", foreign_keys=[company_id])
    pending_company = relationship("Company", foreign_keys=[pending_company_id])
    department = relationship("Department")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    def get_id(self) -> str:  # Flask-Login
        return str(self.id)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"


class LoginSession(db.Model):
    """A log-in session kept on the server, so that log-out, idle time-out, a password
    change or deactivation really ends it: a copied session cookie is worth nothing after."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random token held in the (signed) session cookie; a reader of the
    #: database cannot turn it back into a cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: logout, idle_timeout, password_changed, deactivated, locked
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()


class ResetPurpose:
    RESET = "reset"
    INVITATION = "invitation"


class PasswordReset(db.Model):
    """A one-time link by which a user sets their own password: a reset or the first password of an
    invited account. Only its SHA-256 is kept; the link goes to the user's own address, never to
    the administrator who asked for it (issue 13 item 8)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class LoginThrottle(db.Model):
    """Failed log-ins of one typed e-mail address from one client address (issue 14: lock-out as a
    weapon). After a few failures that pair must wait, longer each time; the account itself is
    never locked by failures, so an outsider can slow only their own guesses, not keep the owner
    out. The key is a SHA-256 of both: no typed address is kept."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(db.Model):
    """A token a user made for their own system to call the API as them (issue 21). Only its SHA-256
    is kept (the token is 256 random bits: a hash that cannot be reversed is enough, and lets each
    request be checked in one index look-up); the user sees the token once, when made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The company the user acted for when it was made: a token stops working when the user leaves it.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, shown in the list so that the user can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    #: Space-separated scopes (tender.accounts.tokens.SCOPES).
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
