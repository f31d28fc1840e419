"""Security of every response and session: headers, idle time-out, no caching."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, redirect, request, session, url_for
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
    """before_request: log out a session that has been idle longer than allowed."""
    if request.endpoint == "static":
        return None
    now = clock.now()
    if current_user.is_authenticated:
        last = session.get("last_seen")
        idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
        if last is not None and now - datetime.fromisoformat(last) > idle:
            from tender.accounts.operations import record_logout
            from tender.extensions import db

            record_logout(current_user._get_current_object(), reason="idle_timeout")
            db.session.commit()
            logout_user()
            session.clear()
            flash("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。", "info")
            return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
        session["last_seen"] = now.isoformat()
    return None
