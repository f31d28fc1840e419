"""The audit trail as auditors search it."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select

from tender.audit.models import AuditEvent
from tender.audit.operations import verify_chain
from tender.web.pages import paginate
from tender.policy import require
from tender.rules.calendar import JST

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date(value: str):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2999 else None


@bp.route("")
@require("audit.view")
def index():
    args = request.args
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if args.get("actor"):
        stmt = stmt.where(AuditEvent.actor_name.icontains(args["actor"].strip(), autoescape=True))
    if args.get("action"):
        stmt = stmt.where(AuditEvent.action.startswith(args["action"].strip(), autoescape=True))
    if args.get("object_type"):
        stmt = stmt.where(AuditEvent.object_type == args["object_type"].strip())
    if args.get("object_id"):
        stmt = stmt.where(AuditEvent.object_id == args["object_id"].strip())
    start, end = _date(args.get("from", "")), _date(args.get("to", ""))
    if start:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(start, time(), JST))
    if end:
        stmt = stmt.where(AuditEvent.occurred_at < datetime.combine(end + timedelta(days=1), time(), JST))
    page = paginate(stmt, per_page=50)
    return render_template("audit/index.html", page=page, args=args, loads=json.loads)


@bp.route("/verify", methods=["POST"])
@require("audit.view")
def verify():
    result = verify_chain()
    return render_template("audit/verify.html", result=result)
