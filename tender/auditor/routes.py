"""The audit trail as auditors search it."""
from __future__ import annotations

import json
import unicodedata
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from tender import clock
from tender.audit.models import AuditEvent
from tender.audit.operations import record, verify_chain
from tender.auditor import casefile
from tender.auditor.models import CaseFileExport
from tender.documents.downloads import send_stored
from tender.extensions import db
from tender.jobs import operations as jobs
from tender.notices import search
from tender.notices.models import ProcurementCase
from tender.notices.routes import load_case
from tender.policy import require
from tender.rules.calendar import JST
from tender.web.forms import ConfirmForm
from tender.web.input import DATE_RANGE
from tender.web.pages import keyset

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.context_processor
def _labels():
    """The auditor reads Japanese: object, role and summary labels for every page here (issue 19)."""
    return {"object_label": casefile.object_label, "role_label": casefile.role_label,
            "lines": casefile.summary_lines}


def _date(value: str):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return day if DATE_RANGE[0] <= day <= DATE_RANGE[1] else None


@bp.route("")
@require("audit.view")
def index():
    args = request.args
    stmt = select(AuditEvent).where(casefile.visible(clock.now()))
    if args.get("actor", "").strip():
        # Full and half width alike (issue 19): the actor (an e-mail address, or a label such as
        # 「（未認証）」) as typed or NFKC-folded — ｏｆｆｉｃｅｒ＠… finds officer@….
        typed = args["actor"].strip()
        folded = unicodedata.normalize("NFKC", typed)
        stmt = stmt.where(or_(AuditEvent.actor_name.icontains(typed, autoescape=True),
                              AuditEvent.actor_name.icontains(folded, autoescape=True)))
    if args.get("action"):
        stmt = stmt.where(AuditEvent.action.startswith(unicodedata.normalize("NFKC", args["action"]).strip(),
                                                       autoescape=True))
    if args.get("object_type"):
        stmt = stmt.where(AuditEvent.object_type == args["object_type"].strip())
    if args.get("object_id"):
        stmt = stmt.where(AuditEvent.object_id == args["object_id"].strip())
    case = _case_named(args.get("case", ""))
    if args.get("case", "").strip():
        if case is None:
            stmt = stmt.where(AuditEvent.id.is_(None))  # no such case: nothing matches
        else:
            stmt = stmt.where(casefile.about(casefile.case_objects(case)))
    start, end = _date(args.get("from", "")), _date(args.get("to", ""))
    if start:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(start, time(), JST))
    if end:
        stmt = stmt.where(AuditEvent.occurred_at < datetime.combine(end + timedelta(days=1), time(), JST))
    seq = AuditEvent.seq
    if case is not None and args.get("case", "").strip():
        stmt, event = casefile.fenced(stmt)  # a case's events: found by their objects, then sorted
        seq = event.seq
    page = keyset(stmt, (seq,), per_page=50)
    return render_template("audit/index.html", page=page, args=args, loads=json.loads, label=casefile.label,
                           case=case)


def _case_named(text: str) -> ProcurementCase | None:
    """A case by its 案件番号 (e.g. 2026-0007, or ２０２６－０００７ typed full width) or its id."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    case = db.session.execute(select(ProcurementCase).where(ProcurementCase.reference == text)).scalar_one_or_none()
    if case is None and text.isdigit() and len(text) < 10:
        case = db.session.get(ProcurementCase, int(text))
    return case


@bp.route("/cases")
@require("audit.view")
def cases():
    q = request.args.get("q", "").strip()
    stmt = search.matching(select(ProcurementCase), q)
    return render_template("audit/cases.html", page=keyset(stmt, (ProcurementCase.id,), per_page=50), q=q)


@bp.route("/cases/<int:case_id>")
@require("audit.view", load=load_case)
def case_record(case_id: int, obj):
    objects = casefile.case_objects(obj)
    events, event = casefile.fenced(casefile.case_events_statement(obj, objects=objects))
    page = keyset(events, (event.seq,), per_page=100, descending=False)
    found = casefile.decisions(obj)
    # The events the decisions link to (each evaluator's marks, the consensus), in one statement.
    linked = casefile.case_events(obj, ("evaluation.marks_submitted", "consensus."), objects)
    marks_event = {e.object_id: e for e in linked if e.action.startswith("evaluation.marks_submitted")}
    return render_template("audit/case.html", case=obj, page=page, events=page.items, found=found,
                           label=casefile.label, lines=casefile.summary_lines, intact=casefile.event_intact,
                           marks_event=marks_event, consensus_events=[e for e in linked if e.action.startswith("consensus.")],
                           exports=db.session.execute(select(CaseFileExport).where(CaseFileExport.case_id == obj.id)
                                                      .order_by(CaseFileExport.id.desc()).limit(10)).scalars().all(),
                           confirm=ConfirmForm())


def _exported(case: ProcurementCase, kind: str, count: int) -> None:
    record("audit.case_exported", case, summary={"format": kind, "events": count})
    db.session.commit()


@bp.route("/cases/<int:case_id>/events.<ext>")
@require("audit.view", load=load_case)
def case_events(case_id: int, ext: str, obj):
    events = casefile.case_events(obj)
    name = f"audit-{obj.reference}"
    if ext == "csv":
        body, mimetype = casefile.events_csv(events), "text/csv; charset=utf-8"
    elif ext == "xlsx":
        body = casefile.events_xlsx(obj, events)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    _exported(obj, ext, len(events))
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}.{ext}"})


@bp.route("/cases/<int:case_id>/summary.pdf")
@require("audit.view", load=load_case)
def case_summary(case_id: int, obj):
    events = casefile.case_events(obj)
    chain = verify_chain()
    body = casefile.summary_pdf(obj, events, casefile.decisions(obj), chain.ok, chain.count)
    _exported(obj, "pdf", len(events))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=audit-{obj.reference}.pdf"})


@bp.route("/events/<int:seq>")
@require("audit.view")
def event(seq: int):
    row = db.session.execute(select(AuditEvent).where(AuditEvent.seq == seq, casefile.visible(clock.now()))
                             ).scalar_one_or_none()
    if row is None:
        abort(404)  # no such event, or one about a bid whose submission period is still open
    previous = db.session.execute(select(AuditEvent).where(AuditEvent.seq == seq - 1)).scalar_one_or_none()
    linked = previous is None and seq == 1 or (previous is not None and previous.hash == row.prev_hash)
    return render_template("audit/event.html", e=row, lines=casefile.summary_lines(row), label=casefile.label,
                           intact=casefile.event_intact(row), linked=linked, loads=json.loads,
                           pretty=lambda text: json.dumps(json.loads(text or "{}"), ensure_ascii=False, indent=2))


@bp.route("/verify", methods=["POST"])
@require("audit.view")
def verify():
    result = verify_chain()
    return render_template("audit/verify.html", result=result)


@bp.route("/cases/<int:case_id>/file-exports", methods=["POST"])
@require("audit.view", load=load_case)
def request_case_file(case_id: int, obj):
    """The whole record as one ZIP, made by a worker (the chain's verification takes minutes at a
    ministry's volume); the auditor is told when it is ready."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    export = CaseFileExport(case_id=obj.id, requested_by_id=current_user.id, requested_at=clock.now())
    db.session.add(export)
    db.session.commit()
    run = jobs.enqueue("audit.case_file", export_id=export.id)
    export = db.session.get(CaseFileExport, export.id)
    export.run_id = run.id
    db.session.commit()
    flash("記録一式（ZIP）の作成を依頼しました。できあがるとお知らせします。" if export.file_id is None
          else "記録一式（ZIP）を作成しました。", "success")
    return redirect(url_for("audit.case_record", case_id=obj.id) + "#exports")


@bp.route("/cases/<int:case_id>/file-exports/<int:export_id>.zip")
@require("audit.view", load=load_case)
def case_file(case_id: int, export_id: int, obj):
    export = db.session.get(CaseFileExport, export_id)
    if export is None or export.case_id != obj.id or export.file is None:
        abort(404)
    return send_stored(export.file)
