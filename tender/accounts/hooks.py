"""Hooks every request passes once the user is known: the session ends when idle or too old, and
a password the administrator set is replaced before anything else."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from tender import clock
from tender.accounts import sessions
from tender.accounts.operations import log_out
from tender.extensions import db


def end_idle_session():
    """before_request: end a session idle for longer than allowed, or older than its absolute
    lifetime (SESSION_MAX_HOURS, issue 14: a 30-hour-old session still worked), on the server too."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
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
