"""The technical evaluation: evaluators, 一次評価, marks, consensus, sign-off."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from tender import clock
from tender.accounts.models import Role, User
from tender.audit.operations import record
from tender.bidding.models import Bid, BidFile
from tender.criteria import operations as criteria_ops
from tender.documents import storage
from tender.documents.downloads import send_stored
from tender.evaluation import panel
from tender.evaluation.forms import AssignForm, DeclareForm, HearingForm
from tender.evaluation.models import EvaluatorAssignment, HearingNote
from tender.extensions import db
from tender.notices.routes import load_case
from tender.policy import can, require
from tender.rules.criteria import mark_label
from tender.web.forms import ConfirmForm, options
from tender.web.pages import act, apply_form, get_or_404

bp = Blueprint("evaluation", __name__)


# --- the technical evaluation: evaluators, 一次評価, marks, consensus, sign-off ----------------

def _page(case, endpoint: str = "evaluation.panel_page") -> str:
    return url_for(endpoint, case_id=case.id)


@bp.route("/cases/<int:case_id>/panel")
@require("panel.view", load=load_case)
def panel_page(case_id: int, obj):
    assign_form = AssignForm()
    taken = {a.user_id for a in panel.assignments(obj)}
    assign_form.evaluator.choices = options((u.id, f"{u.name}（{u.email}）") for u in db.session.execute(
        select(User).where(User.role == Role.EVALUATOR, User.active.is_(True)).order_by(User.name)).scalars()
        if u.id not in taken)
    hearing = HearingForm()
    hearing.bid.choices = options((b.id, f"{b.receipt_number} {b.company.name}") for b in panel.proposals(obj))
    return render_template(
        "evaluation/panel.html", case=obj, assignments=panel.assignments(obj), proposals=panel.proposals(obj),
        screening=lambda b: panel.screening(obj, b), results=panel.technical_results(obj),
        signoff=panel.signoff_of(obj), notes=panel.hearing_notes(obj), assign_form=assign_form, hearing=hearing,
        confirm=ConfirmForm(), manage=can(current_user, "panel.manage", obj),
        may_hearing=can(current_user, "panel.hearing", obj), now=clock.now())


@bp.route("/cases/<int:case_id>/panel/assign", methods=["POST"])
@require("panel.manage", load=load_case)
def panel_assign(case_id: int, obj):
    form = AssignForm()

    def change(f):
        user = db.session.get(User, f.evaluator.data or 0)
        if user is None:
            raise panel.PanelError("審査員を選んでください。")
        panel.assign(obj, user, chair=f.chair.data, by=current_user, now=clock.now())

    return act(_page(obj), change, "審査員を指名しました。", form)


@bp.route("/cases/<int:case_id>/panel/<int:assignment_id>/remove", methods=["POST"])
@require("panel.manage", load=load_case)
def panel_remove(case_id: int, assignment_id: int, obj):
    row = get_or_404(EvaluatorAssignment, assignment_id)
    if row.case_id != obj.id:
        abort(404)
    return act(_page(obj), lambda f: panel.unassign(obj, row, by=current_user), "審査員の指名を取り消しました。")


@bp.route("/cases/<int:case_id>/panel/hearing", methods=["POST"])
@require("panel.hearing", load=load_case)
def panel_hearing(case_id: int, obj):
    form = HearingForm()

    def change(f):
        bid = panel.proposal_of(obj, f.bid.data or 0)
        panel.add_hearing_note(obj, bid, f.text.data, f.upload.data or None, by=current_user, now=clock.now())

    endpoint = "evaluation.panel_page" if can(current_user, "panel.view", obj) else "evaluation.review"
    return act(_page(obj, endpoint), change, "ヒアリングの記録を追加しました。", form)


@bp.route("/cases/<int:case_id>/review")
@require("panel.review", load=load_case)
def review(case_id: int, obj):
    row = panel.assignment_of(obj, current_user)
    now = clock.now()
    allowed = panel.may_review(row, now)
    have = panel.marks_of(row) if allowed else {}
    items = len(criteria_ops.engine_criteria(obj))
    progress = {b.id: sum(1 for (bid_id, _) in have if bid_id == b.id) for b in panel.scored_proposals(obj)}
    return render_template(
        "evaluation/review.html", case=obj, row=row, allowed=allowed, declare_form=DeclareForm(),
        statement=panel.COI_STATEMENT, bidders=sorted({b.company.name for b in panel.proposals(obj)}),
        deadline_passed=panel.deadline_passed(obj, now), proposals=panel.scored_proposals(obj) if allowed else [],
        progress=progress, items=items, confirm=ConfirmForm(), signoff=panel.signoff_of(obj),
        missing=panel.missing_marks(row) if allowed and row.submitted_at is None else [])


@bp.route("/cases/<int:case_id>/review/declare", methods=["POST"])
@require("panel.review", load=load_case)
def review_declare(case_id: int, obj):
    row = panel.assignment_of(obj, current_user)
    message = "利害関係の申告を記録しました。"
    return act(_page(obj, "evaluation.review"), lambda f: panel.declare(
        row, conflict=f.conflict.data == "yes", detail=f.detail.data, by=current_user, now=clock.now()),
        message, DeclareForm())


def _posted(count: int, prefix: str) -> dict[int, dict]:
    """What was typed, to show it again when the form is refused (nothing is lost)."""
    return {n: {"value": request.form.getlist(f"value_{n}"), "reason": request.form.get(f"{prefix}_{n}", "")}
            for n in range(count)}


def _entries(kinds: dict[str, str], prefix: str) -> dict[str, tuple]:
    """Marks posted as value_<n>/comment_<n> (certifications as several value_<n>)."""
    out = {}
    for n, (item_id, kind) in enumerate(kinds.items()):
        raw = request.form.getlist(f"value_{n}") if kind == "certification" else request.form.get(f"value_{n}", "")
        out[item_id] = (raw, request.form.get(f"{prefix}_{n}", ""))
    return out


@bp.route("/cases/<int:case_id>/review/<int:bid_id>", methods=["GET", "POST"])
@require("panel.review", load=load_case)
def review_proposal(case_id: int, bid_id: int, obj):
    row = panel.assignment_of(obj, current_user)
    now = clock.now()
    if not panel.may_review(row, now):
        flash("利害関係がない旨の申告の後に、提案書を審査できます。", "error")
        return redirect(url_for("evaluation.review", case_id=obj.id))
    bid = get_or_404(Bid, bid_id)
    if bid.id not in {b.id for b in panel.scored_proposals(obj)}:
        abort(404)
    criteria = criteria_ops.engine_criteria(obj)
    form = ConfirmForm()
    posted = None
    if request.method == "POST":
        entries = _entries({c.id: c.kind for c in criteria}, "comment")
        if apply_form(form, lambda f: panel.save_marks(row, bid, entries, by=current_user, now=now),
                      "評価を保存しました（提出するまでは変更できます）。"):
            return redirect(url_for("evaluation.review", case_id=obj.id))
        posted = _posted(len(criteria), "comment")
    marks = panel.marks_of(row)
    specs = {s.item_id: s for s in criteria_ops.specs(obj)}
    return render_template("evaluation/review_proposal.html", case=obj, bid=bid, row=row, criteria=criteria,
                           specs=specs, marks={item: m for (b, item), m in marks.items() if b == bid.id},
                           pages=(bid.sheet or {}).get("pages") or {}, form=form,
                           locked=row.submitted_at is not None or panel.signoff_of(obj) is not None,
                           notes=panel.hearing_notes(obj, bid), posted=posted)


@bp.route("/cases/<int:case_id>/review/submit", methods=["POST"])
@require("panel.review", load=load_case)
def review_submit(case_id: int, obj):
    row = panel.assignment_of(obj, current_user)
    return act(_page(obj, "evaluation.review"), lambda f: panel.submit_marks(row, by=current_user, now=clock.now()),
               "評価を提出しました。他の審査員の評価と並べて確認できます。")


@bp.route("/cases/<int:case_id>/consensus")
@require("panel.consensus_view", load=load_case)
def consensus(case_id: int, obj):
    return render_template("evaluation/consensus.html", case=obj, results=panel.technical_results(obj),
                           assignments=panel.active_assignments(obj), all_submitted=panel.all_submitted(obj),
                           signoff=panel.signoff_of(obj), chair=can(current_user, "panel.chair", obj),
                           confirm=ConfirmForm())


@bp.route("/cases/<int:case_id>/consensus/<int:bid_id>", methods=["GET", "POST"])
@require("panel.consensus_view", load=load_case)
def consensus_proposal(case_id: int, bid_id: int, obj):
    bid = get_or_404(Bid, bid_id)
    if bid.id not in {b.id for b in panel.scored_proposals(obj)}:
        abort(404)
    chair = can(current_user, "panel.chair", obj)
    form = ConfirmForm()
    posted = None
    if request.method == "POST":
        if not chair:
            abort(403)
        criteria = criteria_ops.engine_criteria(obj)
        entries = _entries({c.id: c.kind for c in criteria}, "reason")
        if apply_form(form, lambda f: panel.record_consensus(obj, bid, entries, by=current_user, now=clock.now()),
                      "合議の結果を記録しました。"):
            return redirect(url_for("evaluation.consensus", case_id=obj.id))
        posted = _posted(len(criteria), "reason")
    return render_template("evaluation/consensus_proposal.html", case=obj, bid=bid,
                           views=panel.side_by_side(obj, bid), chair=chair, form=form,
                           editable=chair and panel.all_submitted(obj) and panel.signoff_of(obj) is None,
                           notes=panel.hearing_notes(obj, bid), label=mark_label,
                           posted=posted)


@bp.route("/cases/<int:case_id>/consensus/signoff", methods=["GET", "POST"])
@require("panel.chair", load=load_case)
def consensus_signoff(case_id: int, obj):
    """GET: the confirmation page — the technical points as they will be frozen."""
    back = _page(obj, "evaluation.consensus")
    if request.method == "POST":
        return act(back, lambda f: panel.sign_off(obj, by=current_user, now=clock.now()),
                   "合議を確定しました。技術点は変更できなくなりました。")
    if panel.signoff_of(obj) is not None or not panel.all_submitted(obj):
        flash("いまは合議を確定できません。" if panel.signoff_of(obj) is None else "合議は確定済みです。", "error")
        return redirect(back)
    rows = [(r.bid.receipt_number, r.bid.company.name, "合格" if r.screening.passed else "不合格",
             "—" if r.technical is None else f"{r.technical}{'（必須項目不合格）' if r.failed_mandatory else ''}")
            for r in panel.technical_results(obj)]
    return render_template(
        "_confirm.html", title="合議の確定", lead="次の技術点で合議（二次評価）を確定し、審査委員長として署名します。",
        facts=[("案件", obj.title), ("審査員", f"{len(panel.active_assignments(obj))}人（全員が評価を提出済み）")],
        table={"caption": "確定する技術点", "headers": ["受理番号", "提案者", "一次評価", "技術点（合議）"], "rows": rows},
        irreversible=["確定した技術点は、審査委員長を含め誰も変更できません。",
                      "担当職員に通知し、価格点と合わせた総合評価（落札者の決定）に進みます。"],
        form=ConfirmForm(), action=url_for("evaluation.consensus_signoff", case_id=obj.id), submit="合議を確定する",
        back=back)


@bp.route("/cases/<int:case_id>/hearing/<int:note_id>/file")
@require("proposals.download", load=load_case)
def hearing_file(case_id: int, note_id: int, obj):
    """The document attached to a hearing note: whoever may read the proposals."""
    note = get_or_404(HearingNote, note_id)
    if note.case_id != obj.id or note.file is None:
        abort(404)
    record("hearing.file_viewed", note, actor=current_user, summary={"case_id": obj.id, "sha256": note.file.sha256})
    db.session.commit()
    return send_stored(note.file)


@bp.route("/cases/<int:case_id>/proposals/<int:bid_id>/files/<int:file_id>")
@require("proposals.download", load=load_case)
def proposal_file(case_id: int, bid_id: int, file_id: int, obj):
    """A file of a proposal (never a price: amounts and breakdowns are sealed, not files)."""
    row = get_or_404(BidFile, file_id)
    bid = row.bid
    if bid.id != bid_id or bid.case_id != obj.id or bid.round.number != 1:
        abort(404)
    if current_user.role is Role.EVALUATOR and row.label == "委任状":
        abort(404)  # an agent's power of attorney is not part of the proposal
    if not storage.is_readable(row.file):
        return send_stored(row.file)  # still sealed: says so, and nothing was viewed
    record("proposal.file_viewed", row, actor=current_user, summary={"case_id": obj.id, "bid_id": bid.id,
                                                                    "sha256": row.file.sha256})
    db.session.commit()
    return send_stored(row.file)
