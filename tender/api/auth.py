"""Who is calling the API: a bearer token made by its user (tender.accounts.tokens), its scope, and the
access policy — the same rules as the pages (tender.policy), asked about the token's user.

A token is not a log-in: it never opens a page, a session or a form, and a page's session cookie does
not open the API's own endpoints (so a page cannot be made to call them for a logged-in user).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import g, request
from flask_limiter.util import get_remote_address

from tender import clock, policy
from tender.accounts import tokens
from tender.accounts.models import ApiToken
from tender.extensions import db


class ApiRefused(Exception):
    """Answered as a JSON error: ``status``, a stable ``code`` and a Japanese ``message``."""

    def __init__(self, status: int, message: str | None = None, code: str | None = None) -> None:
        super().__init__(message or str(status))
        self.status, self.message, self.code = status, message, code


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _authenticated() -> ApiToken | None:
    """The live token of this request, looked up once (the limiter's key and the view both ask)."""
    if "api_token_checked" not in g:
        token = bearer_token()
        g.api_token_checked = tokens.authenticate(token, clock.now()) if token else None
    return g.api_token_checked


def rate_key() -> str:
    """Requests are counted per token once it authenticates (its hash: the token itself is never
    kept), else per address — a made-up token is no way around the limit, nor a new counter."""
    row = _authenticated()
    if row is not None:
        return "api-token:" + row.token_hash[:32]
    return "api-ip:" + (get_remote_address() or "")


#: last_used_at is written at most this often per token (not a write per request).
TOUCH_EVERY = timedelta(minutes=1)


def token_required(action: str, scope: str | None) -> Callable:
    """Mark an API view: a live token (401 otherwise), holding ``scope`` (403), whose user the policy
    allows ``action`` (403). The view finds the token as ``g.api_token``."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if bearer_token() is None:
                raise ApiRefused(401)
            now = clock.now()
            row = _authenticated()
            if row is None:
                raise ApiRefused(401, "API トークンが無効です（失効・期限切れ・所属の変更のいずれか）。", "invalid_token")
            if scope is not None and scope not in row.scope_list:
                raise ApiRefused(403, f"このトークンには「{tokens.SCOPES[scope]}」の範囲が許可されていません。",
                                 "insufficient_scope")
            if not policy.can(row.user, action, None, now):
                raise ApiRefused(403)
            _touch(row, now)
            g.api_token = row
            return view(*args, **kwargs)

        wrapper._policy = action
        wrapper._api_scope = scope
        return wrapper

    return decorate


def _touch(row: ApiToken, now) -> None:
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = now
        row.last_used_ip = (request.remote_addr or "")[:45] or None
        db.session.commit()
