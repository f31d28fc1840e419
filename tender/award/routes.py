"""The ranking and the award decision (officers), the results (bidders), and the exports."""
from __future__ import annotations

import io
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from tender import clock
from tender.award import exports
from tender.award import operations as ops
from tender.award.forms import (
    AwardLotteryForm,
    AwardRebidForm,
    ConcludeForm,
    DecideForm,
    GroundsForm,
)
from tender.bidding.models import BidRound, RoundState
from tender.bidding.operations import rounds_of
from tender.documents.downloads import send_form
from tender.notices.routes import load_case, load_public_case
from tender.policy import can, require
from tender.rules import evaluation as engine
from tender.rules.bids import contract_submission_deadline
from tender.rules.money import format_yen
from tender.rules.wareki import format_wareki
from tender.web.pages import act, apply_form, get_or_404

bp = Blueprint("award", __name__)


@bp.route("/cases/<int:case_id>/award")
@require("award.view", load=load_case)
def show(case_id: int, obj):
    s, blockers = ops.assess(obj)
    return render_template(
        "award/show.html", case=obj, s=s, blockers=blockers, decisions=ops.decisions_of(obj),
        investigations=s.investigations if s else ops.investigations_of(obj), manage=can(current_user, "award.decide", obj),
        hold_form=GroundsForm(grounds="調査基準価格に満たない価格の入札のため、落札決定を保留し、"
                                                             "低入札価格調査を行う（入札心得第13条、第14条第2項）。"),
        conclude_form=ConcludeForm(), lottery_form=AwardLotteryForm(),
        rebid_form=AwardRebidForm(grounds="予定価格の制限に達した価格の入札がないため、直ちに再度の入札を行う（入札心得第15条）。"),
        no_award_form=GroundsForm(grounds="落札の対象となる有効な入札がないため、落札者なし（不調）とする。"),
        status_labels=ops.STATUS_LABELS, award_labels=ops.AWARD_LABELS, engine=engine,
        contract_deadline=contract_submission_deadline(clock.today_jst()), award_in_force=ops.award_of(obj),
        revoke_form=GroundsForm(prefix="revoke"),
        company_of={b.id: b.company.name for b in s.round.bids} if s else {})


def _page(case) -> str:
    return url_for("award.show", case_id=case.id)


@bp.route("/cases/<int:case_id>/award/decide", methods=["GET", "POST"])
@require("award.decide", load=load_case)
def decide(case_id: int, obj):
    """GET: the confirmation page — who wins, at what price, the grounds, and what follows."""
    s = ops.standing(obj)
    if s is None or not s.may_award or s.proposed is None:
        if request.method == "POST":  # the operation says why
            return act(_page(obj), lambda f: ops.decide_award(obj, f.grounds.data, by=current_user, now=clock.now()),
                       "落札者を決定し、落札者と入札者全員に通知しました。", GroundsForm())
        flash("いまは落札者を決定できません。順位と判定を確認してください。", "error")
        return redirect(_page(obj))
    form = DecideForm(grounds=ops.default_grounds(s), bid_id=str(s.proposed.id)) if request.method == "GET" \
        else DecideForm()

    def decide_confirmed(f):
        if f.bid_id.data and f.bid_id.data != str(s.proposed.id):
            raise ops.AwardError("確認した後に順位が変わりました（入札の無効・落札の失効など）。内容を確かめ直してください。")
        return ops.decide_award(obj, f.grounds.data, by=current_user, now=clock.now())

    if apply_form(form, decide_confirmed, "落札者を決定し、落札者と入札者全員に通知しました。", inline=True):
        return redirect(_page(obj))
    form.bid_id.data = str(s.proposed.id)  # what this page now restates is what the button decides
    bid = s.proposed
    result = s.result_of(bid)
    deadline = contract_submission_deadline(clock.today_jst())
    facts = [("案件", obj.title), ("落札者", bid.company.name), ("受理番号", bid.receipt_number),
             ("入札金額（税抜）", format_yen(bid.amount) if bid.amount is not None else "—")]
    if result.total is not None and s.case_input.method != "lowest_price":
        facts.append(("総合評価点" if s.case_input.method == "weighted_sum" else "評価値", str(result.total)))
    facts += [("入札者数", f"{len(s.round.bids)}者"), ("契約書の提出期限", format_wareki(deadline, weekday=True))]
    return render_template("_confirm.html", title="落札者の決定",
                           lead=f"{bid.company.name}を落札者に決定します。決定の理由を確かめてください。",
                           facts=facts, irreversible=[
                               "落札者に、次いで入札者全員に直ちに通知します。入札結果は公表されます。",
                               "決定は取り消せません。取り消せるのは入札心得第19条に当たる場合だけで、その理由とともに記録されます。",
                               f"落札者は{format_wareki(deadline)}までに記名押印した契約書を提出します（入札心得第17条）。"],
                           form=form, action=url_for("award.decide", case_id=obj.id), submit="落札者を決定する",
                           back=_page(obj))


@bp.route("/cases/<int:case_id>/award/hold", methods=["POST"])
@require("award.decide", load=load_case)
def hold(case_id: int, obj):
    return act(_page(obj), lambda f: ops.hold(obj, f.grounds.data, by=current_user, now=clock.now()),
               "落札決定を保留し、低入札価格調査を開始しました。", GroundsForm())


@bp.route("/cases/<int:case_id>/award/conclude", methods=["POST"])
@require("award.decide", load=load_case)
def conclude(case_id: int, obj):
    return act(_page(obj), lambda f: ops.conclude(obj, f.conclusion.data == "passed", f.findings.data, by=current_user,
                                           now=clock.now()), "低入札価格調査の結論を記録しました。", ConcludeForm())


@bp.route("/cases/<int:case_id>/award/lottery", methods=["POST"])
@require("award.decide", load=load_case)
def lottery(case_id: int, obj):
    return act(_page(obj), lambda f: ops.lottery(obj, f.witness_name.data, by=current_user, now=clock.now()),
               "電子くじを実施しました。", AwardLotteryForm())


@bp.route("/cases/<int:case_id>/award/rebid", methods=["POST"])
@require("award.decide", load=load_case)
def rebid(case_id: int, obj):
    return act(_page(obj), lambda f: ops.rebid(obj, f.minutes.data, f.grounds.data, by=current_user, now=clock.now()),
               "再度入札を開始しました。", AwardRebidForm())


@bp.route("/cases/<int:case_id>/award/no-award", methods=["POST"])
@require("award.decide", load=load_case)
def no_award(case_id: int, obj):
    return act(_page(obj), lambda f: ops.no_award(obj, f.grounds.data, by=current_user, now=clock.now()),
               "落札者なし（不調）と記録しました。", GroundsForm())


@bp.route("/cases/<int:case_id>/award/score-sheet.<ext>")
@require("award.view", load=load_case)
def score_sheet(case_id: int, ext: str, obj):
    """総合評価点一覧 from the records (XLSX, PDF, DOCX)."""
    s = ops.standing(obj)
    if s is None or s.case_input.method != "weighted_sum":
        abort(404)
    return send_form("score_sheet", exports.score_sheet_data(obj, s), ext, f"{obj.reference}-score-sheet")


@bp.route("/cases/<int:case_id>/award/evaluation-case.json")
@require("award.view", load=load_case)
def evaluation_case(case_id: int, obj):
    """The round as the JSON case of the recomputation contract (flask evaluate-case)."""
    s = ops.standing(obj)
    if s is None or s.case_input.method not in ("weighted_sum", "lowest_price"):
        abort(404)
    body = json.dumps(exports.case_json(s), ensure_ascii=False, indent=2) + "\n"
    return send_file(io.BytesIO(body.encode()), mimetype="application/json", as_attachment=True,
                     download_name=f"{obj.reference}-round{s.round.number}-evaluation-case.json")


@bp.route("/cases/<int:case_id>/award/notice.<ext>")
@require("award.view", load=load_case)
def notice(case_id: int, ext: str, obj):
    """落札者決定通知書 for the winner."""
    decision = ops.award_of(obj)
    if decision is None:
        abort(404)
    return send_form("award_notice", exports.award_notice_data(obj, decision), ext, f"{obj.reference}-award-notice")


@bp.route("/notices/<int:case_id>/results")
@require("award.results", load=load_public_case)
def results(case_id: int, obj):
    if not any(b.company_id == current_user.company_id for r in rounds_of(obj) for b in r.bids):
        abort(404)  # only the case's bidders see its results
    return render_template("award/results.html", case=obj, data=ops.results_for(obj, current_user.company_id))


@bp.route("/cases/<int:case_id>/opening/<int:round_id>/record.<ext>")
@require("bids.view_opening", load=load_case)
def opening_record(case_id: int, round_id: int, ext: str, obj):
    bid_round = get_or_404(BidRound, round_id)
    if bid_round.case_id != obj.id or bid_round.state != RoundState.OPENED:
        abort(404)
    return send_form("opening_record", exports.opening_record_data(bid_round), ext,
                     f"opening-record-{obj.reference}-{bid_round.number}")
