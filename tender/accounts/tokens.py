"""API tokens: made and revoked by their user, kept hashed, scoped, audited (issue 21)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tender.accounts.models import ApiToken, Role, User
from tender.audit.operations import record
from tender.extensions import db
from tender.rules.errors import OperationError

#: What a token may read, each named for the user who grants it.
SCOPES: dict[str, str] = {
    "registrations:read": "自社の参加登録（参加意思確認書・説明会）を読む",
    "questions:read": "自社が提出した質問と回答を読む",
    "bids:read": "自社の入札の受付（受付番号・受付日時・指紋）と結果を読む",
}
#: How long a token may live (days), as offered on the page.
LIFETIMES = (30, 90, 365)
#: Live tokens one user may hold.
MAX_LIVE = 10
PREFIX = "tdr_"


class TokenError(OperationError):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def may_hold_tokens(user: User) -> bool:
    """Tokens are for the companies' own systems: a bidder who belongs to a company."""
    return user.role == Role.BIDDER and user.company_id is not None


def _live_of(user: User, now: datetime):
    """The condition of the user's tokens that still work (ApiToken.is_live, in SQL)."""
    return (ApiToken.user_id == user.id) & ApiToken.revoked_at.is_(None) & (ApiToken.expires_at > now)


def tokens_of(user: User) -> list[ApiToken]:
    return db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()).limit(50)).scalars().all()


def create_token(user: User, *, name: str, scopes: list[str], days: int, now: datetime) -> tuple[ApiToken, str]:
    """A new token for ``user``: the row, and the token itself (shown once, never stored)."""
    if not may_hold_tokens(user):
        raise TokenError("API トークンは、事業者に所属する入札参加者が自社のシステムのために発行できます。")
    name = (name or "").strip()
    if not name:
        raise TokenError("トークンの名前を入力してください（どのシステムで使うか）。", field="name")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise TokenError("許可する範囲を一つ以上選んでください。", field="scopes")
    if days not in LIFETIMES:
        raise TokenError("有効期間を選んでください。", field="days")
    live = db.session.scalar(select(func.count()).select_from(ApiToken).where(_live_of(user, now)))
    if (live or 0) >= MAX_LIVE:
        raise TokenError(f"有効なトークンは {MAX_LIVE} 個までです。使っていないトークンを失効させてください。")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, company_id=user.company_id, name=name[:100], token_hash=token_hash(token),
                   prefix=token[:10], scopes=" ".join(s for s in SCOPES if s in scopes), created_at=now,
                   expires_at=now + timedelta(days=days))
    db.session.add(row)
    record("api_token.created", row, actor=user,
           summary={"name": row.name, "scopes": row.scope_list, "expires_at": row.expires_at.isoformat(),
                    "prefix": row.prefix})
    return row, token


def revoke_token(user: User, token_id: int, now: datetime) -> ApiToken:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise TokenError("そのトークンはありません。")
    if row.revoked_at is None:
        row.revoked_at = now
        record("api_token.revoked", row, actor=user, summary={"name": row.name, "prefix": row.prefix})
    return row


def revoke_all(user: User, now: datetime, reason: str) -> int:
    """Every live token of the user ends (deactivated, moved out of the company, password reset)."""
    rows = db.session.execute(select(ApiToken).where(_live_of(user, now))).scalars().all()
    for row in rows:
        row.revoked_at = now
        record("api_token.revoked", row, actor="system", summary={"name": row.name, "prefix": row.prefix,
                                                                  "reason": reason})
    return len(rows)


def authenticate(token: str, now: datetime) -> ApiToken | None:
    """The live token ``token`` names, whose user is still active and still with the company it was
    made for; None for anything else."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.session.execute(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).scalar_one_or_none()
    if row is None or not row.is_live(now):
        return None
    user = row.user
    if not user.active or user.company_id != row.company_id or not may_hold_tokens(user):
        return None
    return row
