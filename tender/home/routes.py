"""The home page of each role, and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select, text

from tender import clock
from tender.accounts.models import Role, User
from tender.audit.models import AuditEvent
from tender.evaluation.models import EvaluatorAssignment
from tender.extensions import db
from tender.home import deadlines, readmodel, todo
from tender.jobs import operations as jobs
from tender.mail import operations as mail
from tender.policy import public, require
from tender.rules.calendar import to_jst

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("home.dashboard"))


@bp.route("/home")
@require("home.view")
def dashboard():
    user = current_user
    now = clock.now()
    today = to_jst(now).date()  # the same instant: lists made just before midnight are today's
    ctx: dict = {"now": now, "today": today, "horizon": deadlines.HORIZON_DAYS}
    if user.role is Role.ADMIN:
        ctx["user_counts"] = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
        ctx["locked"] = db.session.execute(select(User).where(User.locked_until > now).order_by(User.email)).scalars().all()
        ctx["failed_mail"] = mail.failed_count()
        ctx["failed_jobs"] = jobs.failed_count()
    if user.role is Role.OFFICER:
        ctx["tasks"], ctx["deadlines"] = readmodel.officer_home(user, now, today)
    if user.role is Role.BIDDER and user.company_id is not None:
        ctx["tasks"], ctx["deadlines"], ctx["card"] = readmodel.company_home(user.company_id, now, today)
    if user.role in (Role.OFFICER, Role.ADMIN):
        ctx["company_count"], ctx["suspensions"] = readmodel.authority_facts(now, today)
    if user.role is Role.AUDITOR:
        ctx["events"] = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(10)).scalars().all()
    if user.role is Role.BIDDER:
        ctx["company"] = user.company
    if user.role is Role.EVALUATOR:
        ctx["tasks"] = todo.evaluator_tasks(user, now)
        ctx["assignments"] = db.session.execute(
            select(EvaluatorAssignment).where(EvaluatorAssignment.user_id == user.id)
            .order_by(EvaluatorAssignment.assigned_at.desc())).scalars().all()
    return render_template(f"home/{user.role.value}.html", **ctx)


@bp.route("/healthz")
@public
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the body says no more than that the database is down
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok", time=clock.now().isoformat())
