"""Security of every response and session: headers, idle time-out, no caching."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from tender import clock

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
    if current_user.is_authenticated and request.endpoint != "static":
        # Pages of a logged-in user may hold confidential data: keep them out of caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def end_idle_session():
    """before_request: end a session idle for longer than allowed, or older than its absolute
    lifetime (SESSION_MAX_HOURS, issue 14: a 30-hour-old session still worked), on the server too."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    from tender.accounts import sessions
    from tender.accounts.operations import log_out
    from tender.extensions import db

    row = g.login_session
    now = clock.now()
    expired = row.started_at + current_app.config["PERMANENT_SESSION_LIFETIME"] <= now
    if expired or sessions.is_idle(row, now, timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])):
        log_out(current_user._get_current_object(), row, "expired" if expired else "idle_timeout", now)
        db.session.commit()
        logout_user()
        session.clear()
        flash("ログインしてから長時間が経ったため、ログアウトしました。もう一度ログインしてください。" if expired else
              "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。", "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    if sessions.touch(row, now):
        db.session.commit()
    return None


#: What a user who must replace an administrator-set password may still reach.
_PASSWORD_CHANGE_ENDPOINTS = {"accounts.change_password", "accounts.logout", "static"}


def require_password_change():
    """before_request: a password set by the administrator is replaced before anything else."""
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in _PASSWORD_CHANGE_ENDPOINTS):
        return redirect(url_for("accounts.change_password"))
    return None
