"""Bidders submit sealed bids and get their receipt; officers open them with a witness."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import SelectField, StringField

from tender import clock
from tender.bidding import operations as ops
from tender.bidding.forms import (
    BidForm,
    InvalidForm,
    LotteryForm,
    OpeningRequestForm,
    RebidForm,
)
from tender.bidding.models import Bid, BidStatus, RoundState
from tender.extensions import db
from tender.notices.forms import ConfirmForm
from tender.notices.routes import load_case, load_public_case
from tender.policy import can, require
from tender.rules import bids as rules
from tender.rules.criteria import SECTIONS
from tender.rules.lifecycle import TransitionError
from tender.rules.money import tax_included
from tender.web.forms import options, strip
from tender.web.pages import apply_form, get_or_404, send_form

bp = Blueprint("bidding", __name__)


def _bid_form(case, bid_round):
    """The bid form with one upload per document the case asks for and, in the first round of a
    technical evaluation, the 評価項目一覧 (○/× and 提案書頁番号 per line, or its XLSX)."""
    slots = ops.upload_slots(case, current_user)
    items = ops.sheet_items(case, bid_round)

    class Form(BidForm):
        pass

    for doc in slots:
        label = f"{doc.name}（{'必須' if doc.mandatory else '該当する場合'}・PDF/DOCX/XLSX）"
        setattr(Form, f"doc_{doc.id}", FileField(label))
    for index, item in enumerate(items):
        if item.section == "compliance":
            setattr(Form, f"mark_{index}", SelectField(f"遵守確認 {item.item_id}", choices=options([
                ("", "（選択）"), ("○", "○"), ("×", "×")]), validate_choice=False))
        else:
            setattr(Form, f"page_{index}", StringField(f"提案書頁番号 {item.item_id}", filters=[strip]))
    if items:
        Form.sheet_file = FileField("記入済みの評価項目一覧（XLSX・画面で記入する場合は不要）")
    return Form(), slots, items


def _sheet_entries(form, items) -> tuple[dict, dict]:
    marks = {i.item_id: getattr(form, f"mark_{n}").data or "" for n, i in enumerate(items) if i.section == "compliance"}
    pages = {i.item_id: getattr(form, f"page_{n}").data or "" for n, i in enumerate(items) if i.section != "compliance"}
    return marks, pages


@bp.route("/notices/<int:case_id>/bid", methods=["GET", "POST"])
@require("bids.submit", load=load_public_case)
def submit(case_id: int, obj):
    company = current_user.company
    bid_round = ops.current_round(obj)
    if bid_round is not None and ops.bid_of(bid_round, company) is not None:
        return redirect(url_for("bidding.receipt", case_id=obj.id))
    form, slots, items = _bid_form(obj, bid_round)
    if form.validate_on_submit():
        files = {d.id: getattr(form, f"doc_{d.id}").data for d in slots}
        marks, pages = _sheet_entries(form, items)
        try:
            done = ops.submit(obj, company, current_user, amount=form.amount.data,
                              lottery_number=form.lottery_number.data, breakdown=form.breakdown(),
                              files=files, power_of_attorney=form.power_of_attorney.data or None,
                              sheet_marks=marks, sheet_pages=pages,
                              sheet_file=(form.sheet_file.data or None) if items else None)
        except ops.BidError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            session[f"bid_nonce_{done.bid.id}"] = done.nonce  # shown once on the receipt
            flash(f"入札書を受理しました。受理番号 {done.bid.receipt_number}", "success")
            return redirect(url_for("bidding.receipt", case_id=obj.id))
    now = clock.now()
    return render_template("bidding/submit.html", case=obj, form=form, slots=slots, round=bid_round, items=items,
                           sections=SECTIONS,
                           deadline=(bid_round or obj).submission_deadline, now=now,
                           tax_included=tax_included, amount=form.amount.data)


@bp.route("/notices/<int:case_id>/bid/receipt")
@require("bids.submit", load=load_public_case)
def receipt(case_id: int, obj):
    company = current_user.company
    bids = [b for r in ops.rounds_of(obj) if (b := ops.bid_of(r, company)) is not None]
    if not bids:
        bid_round = ops.current_round(obj)
        if bid_round is not None and bid_round.number > 1 and ops.declined(bid_round, company):
            return render_template("bidding/receipt.html", case=obj, bids=[], nonces={}, declined=True,
                                   grounds=_grounds(), current=bid_round, confirm=ConfirmForm())
        return redirect(url_for("bidding.submit", case_id=obj.id))
    nonces = {b.id: session.pop(f"bid_nonce_{b.id}", None) for b in bids}
    return render_template("bidding/receipt.html", case=obj, bids=bids, nonces=nonces, declined=False,
                           grounds=_grounds(), current=ops.current_round(obj), confirm=ConfirmForm(),
                           tax_included=tax_included)


def _grounds():
    return {g.value: g for g in rules.InvalidGround}


@bp.route("/notices/<int:case_id>/bid/decline", methods=["POST"])
@require("bids.submit", load=load_public_case)
def decline(case_id: int, obj):
    if ConfirmForm().validate_on_submit():
        try:
            ops.decline(obj, current_user.company, by=current_user, now=clock.now())
        except ops.BidError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("再度入札を辞退しました。", "success")
    return redirect(url_for("board.show", case_id=obj.id))


# --- officers: the opening ----------------------------------------------------------------

@bp.route("/cases/<int:case_id>/opening")
@require("bids.view_opening", load=load_case)
def opening(case_id: int, obj):
    rounds = ops.rounds_of(obj)
    current = rounds[-1] if rounds else None
    request_form = OpeningRequestForm()
    if current is not None:
        request_form.attendees.choices = options((b.company_id, b.company.name) for b in current.bids)
    ceiling, ceiling_tax_included = ops.ceiling_of(obj)
    see_ceiling = can(current_user, "cases.view_estimated_price", obj)
    return render_template(
        "bidding/opening.html", case=obj, rounds=rounds, current=current, now=clock.now(),
        request_form=request_form, confirm=ConfirmForm(), invalid_form=InvalidForm(), rebid_form=RebidForm(),
        lottery_form=LotteryForm(), outcome=ops.outcome, lottery_of=ops.lottery_of, grounds=_grounds(),
        manage=can(current_user, "bids.request_opening", obj),
        may_confirm=can(current_user, "bids.confirm_opening", obj),
        ceiling=ceiling if see_ceiling else None, ceiling_tax_included=ceiling_tax_included,
        comparison=lambda amount: rules.comparison_price(amount, ceiling_tax_included=ceiling_tax_included),
        RoundState=RoundState, BidStatus=BidStatus)


def _back(case, change, message, form=None):
    form = form or ConfirmForm()
    apply_form(form, lambda: change(form), message, (ops.BidError, TransitionError))
    return redirect(url_for("bidding.opening", case_id=case.id))


@bp.route("/cases/<int:case_id>/opening/request", methods=["POST"])
@require("bids.request_opening", load=load_case)
def request_opening(case_id: int, obj):
    form = OpeningRequestForm()
    form.attendees.choices = options((c, c) for c in form.attendees.data or [])
    return _back(obj, lambda f: ops.request_opening(obj, by=current_user, now=clock.now(),
                                                   witness_name=f.witness_name.data, witness_kind=f.witness_kind.data,
                                                   attendee_ids=f.attendees.data or []),
                 "開札を求めました。別の職員の確認をもって開札されます。", form)


@bp.route("/cases/<int:case_id>/opening/confirm", methods=["POST"])
@require("bids.confirm_opening", load=load_case)
def confirm_opening(case_id: int, obj):
    return _back(obj, lambda f: ops.confirm_opening(obj, by=current_user, now=clock.now()), "開札しました。")


@bp.route("/cases/<int:case_id>/bids/<int:bid_id>/invalid", methods=["POST"])
@require("bids.request_opening", load=load_case)
def invalidate(case_id: int, bid_id: int, obj):
    bid = get_or_404(Bid, bid_id)
    if bid.case_id != obj.id:
        abort(404)
    form = InvalidForm()
    return _back(obj, lambda f: ops.mark_invalid(bid, rules.InvalidGround(f.ground.data), f.reason.data,
                                                by=current_user, now=clock.now()),
                 f"受理番号 {bid.receipt_number} を無効としました。", form)


@bp.route("/cases/<int:case_id>/rebid", methods=["POST"])
@require("bids.request_opening", load=load_case)
def rebid(case_id: int, obj):
    return _back(obj, lambda f: ops.start_rebid(obj, by=current_user, now=clock.now(), minutes=f.minutes.data),
                 "再度入札を開始しました。", RebidForm())


@bp.route("/cases/<int:case_id>/lottery", methods=["POST"])
@require("bids.request_opening", load=load_case)
def lottery(case_id: int, obj):
    return _back(obj, lambda f: ops.draw_lottery(obj, by=current_user, now=clock.now(), witness_name=f.witness_name.data),
                 "くじを実施しました。", LotteryForm())


# --- filled forms: the 提案書受理票 and the 開札調書 -------------------------------------------

@bp.route("/notices/<int:case_id>/bid/<int:bid_id>/receipt.<ext>")
@require("bids.submit", load=load_public_case)
def receipt_document(case_id: int, bid_id: int, ext: str, obj):
    from tender.documents.yoshiki import receipt_data

    bid = get_or_404(Bid, bid_id)
    if bid.case_id != obj.id or bid.company_id != current_user.company_id:
        abort(404)  # a company sees only its own receipts
    return send_form("receipt", receipt_data(bid), ext, f"receipt-{bid.receipt_number}")


@bp.route("/cases/<int:case_id>/opening/<int:round_id>/record.<ext>")
@require("bids.view_opening", load=load_case)
def opening_record(case_id: int, round_id: int, ext: str, obj):
    from tender.bidding.models import BidRound
    from tender.documents.yoshiki import opening_record_data

    bid_round = get_or_404(BidRound, round_id)
    if bid_round.case_id != obj.id or bid_round.state != RoundState.OPENED:
        abort(404)
    return send_form("opening_record", opening_record_data(bid_round), ext,
                     f"opening-record-{obj.reference}-{bid_round.number}")
