"""Security headers of every response, and no caching of a logged-in user's pages."""
from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import inspect

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def set_security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint != "static" and request_user_id() is not None:
        # Pages of a logged-in user may hold confidential data: keep them out of caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def request_user_id() -> str | None:
    """The id of the user this request was made by, as the session knew them when the request
    began, never read again: a page that committed its record has expired the user's row, and
    ``current_user.is_authenticated`` would read it once more. A visitor (no mapped row): None."""
    if not has_request_context():
        return None
    if "_login_user" not in g:  # nothing asked yet: ask the session
        return current_user.get_id() if current_user.is_authenticated else None
    user = g._login_user
    state = inspect(user, raiseerr=False) if user is not None else None
    return None if state is None or state.identity is None else str(state.identity[0])
