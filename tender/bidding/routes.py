"""Bidders submit sealed bids and get their receipt; officers open them with a witness."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import Length, Optional

from tender import clock
from tender.accounts.models import User
from tender.bidding import operations as ops
from tender.bidding import sealed
from tender.bidding.exports import receipt_data
from tender.bidding.forms import (
    BidForm,
    ConfirmOpeningForm,
    InvalidForm,
    OfficialsForm,
    OpeningRequestForm,
    ReleaseProposalsForm,
)
from tender.bidding.models import Bid, RoundState
from tender.documents.downloads import send_form
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.routes import load_case, load_public_case
from tender.policy import can, require
from tender.rules import bids as rules
from tender.rules.criteria import SECTIONS, page_required
from tender.rules.money import tax_included
from tender.sealing import operations as sealing
from tender.web.forms import ConfirmForm, options, strip
from tender.web.pages import act, apply_form, get_or_404, perform

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
            optional = "" if page_required(item) else "（任意：該当する頁がなければ空欄）"
            setattr(Form, f"page_{index}", StringField(f"提案書頁番号 {item.item_id}{optional}", filters=[strip],
                                                       validators=[Length(max=20)]))
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
    """The bid page: the one page that needs JavaScript, because the amount, the 内訳 and the くじ番号
    are sealed in the bidder's browser before they leave it (static/js/seal-bid.js)."""
    company = current_user.company
    bid_round = ops.current_round(obj)
    if bid_round is not None and ops.bid_of(bid_round, company) is not None:
        return redirect(url_for("bidding.receipt", case_id=obj.id))
    form, slots, items = _bid_form(obj, bid_round)
    if form.validate_on_submit():
        files = {d.id: getattr(form, f"doc_{d.id}").data for d in slots}
        marks, pages = _sheet_entries(form, items)
        done = perform(lambda: ops.submit(
            obj, company, current_user, ticket=form.ticket.data, sealed_bid=form.sealed_bid.data,
            fingerprint=form.fingerprint.data, files=files, power_of_attorney=form.power_of_attorney.data or None,
            sheet_marks=marks, sheet_pages=pages, sheet_file=(form.sheet_file.data or None) if items else None))
        if done.ok:
            flash(f"入札書を受理しました。受理番号 {done.value.receipt_number}", "success")
            return redirect(url_for("bidding.receipt", case_id=obj.id))
        form.form_errors.append(done.error)
    elif form.is_submitted():
        # The hidden fields have nowhere to show their message: say it at the top.
        for name in ("ticket", "sealed_bid", "fingerprint"):
            form.form_errors.extend(e for e in getattr(form, name).errors if e not in form.form_errors)
    ticket = ops.ticket_for(obj, company)
    form.ticket.data = sealed.issue(ticket)
    form.sealed_bid.data = form.fingerprint.data = ""
    key = ops.price_key(obj, ticket.round_number)
    try:
        public = sealing.trusted_public_key(key) if key is not None else None
    except sealing.SealingError as exc:
        form.form_errors.append(str(exc))
        public = None
    # Warned before it bids, and told why (issue 19): the rules it fails as of the judgement date, the
    # declarations counted as given by the bid itself.
    unmet = [j for j in notices.verdicts(obj, company, clock.now(), submitted=True)
             if j.state == notices.JudgementState.FAIL]
    return render_template("bidding/submit.html", case=obj, form=form, slots=slots, round=bid_round, items=items,
                           sections=SECTIONS, ticket=ticket, price_key=key.public_key if public else None,
                           key_fingerprint=sealing.fingerprint(key) if public else None,
                           deadline=(bid_round or obj).submission_deadline, now=clock.now(), unmet=unmet)


@bp.route("/notices/<int:case_id>/bid/receipt")
@require("bids.submit", load=load_public_case)
def receipt(case_id: int, obj):
    company = current_user.company
    bids = [b for r in ops.rounds_of(obj) if (b := ops.bid_of(r, company)) is not None]
    if not bids:
        bid_round = ops.current_round(obj)
        if bid_round is not None and bid_round.number > 1 and ops.declined(bid_round, company):
            return render_template("bidding/receipt.html", case=obj, bids=[], declined=True,
                                   grounds=_grounds(), current=bid_round, confirm=ConfirmForm())
        return redirect(url_for("bidding.submit", case_id=obj.id))
    return render_template("bidding/receipt.html", case=obj, bids=bids, declined=False,
                           grounds=_grounds(), current=ops.current_round(obj), confirm=ConfirmForm(),
                           tax_included=tax_included)


def _grounds():
    return {g.value: g for g in rules.InvalidGround}


@bp.route("/notices/<int:case_id>/bid/decline", methods=["POST"])
@require("bids.submit", load=load_public_case)
def decline(case_id: int, obj):
    return act(url_for("board.show", case_id=obj.id),
               lambda f: ops.decline(obj, current_user.company, by=current_user, now=clock.now()), "再度入札を辞退しました。")


# --- officers: the opening ----------------------------------------------------------------

@bp.route("/cases/<int:case_id>/opening")
@require("bids.view_opening", load=load_case)
def opening(case_id: int, obj):
    now = clock.now()
    rounds = ops.rounds_of(obj)
    current = rounds[-1] if rounds else None
    request_form = OpeningRequestForm()
    _witness_choices(obj, request_form)
    if current is not None:
        request_form.attendees.choices = options((b.company_id, b.company.name) for b in current.bids)
    ceiling, ceiling_tax_included = obj.price_limit
    see_ceiling = can(current_user, "cases.view_estimated_price", obj)
    officials = sealing.officials(obj.id)
    return render_template(
        "bidding/opening.html", case=obj, rounds=rounds, current=current, now=now,
        request_form=request_form, confirm=ConfirmForm(),
        release_form=ReleaseProposalsForm(prefix="release"), invalid_form=lambda b: InvalidForm(prefix=f"invalid{b.id}"), grounds=_grounds(),
        manage=can(current_user, "bids.request_opening", obj),
        may_confirm=can(current_user, "bids.confirm_opening", obj),
        bidders_known=lambda r: can(current_user, "bids.view_bidders", r),
        officials=officials, keys=ops.keys_of(obj), sealing=sealing,
        proposals_released=ops.proposals_released(obj), release_requested_by=ops.proposal_release_requested_by(obj),
        officials_form=_officials_form(obj), fingerprint=sealing.fingerprint,
        ceiling=ceiling if see_ceiling else None, ceiling_tax_included=ceiling_tax_included,
        comparison=lambda amount: rules.comparison_price(amount, ceiling_tax_included=ceiling_tax_included))


def _officials_form(case) -> OfficialsForm:
    """New officials and k, and a passphrase field for each current official present at the sitting."""
    current = sealing.officials(case.id)

    class Form(OfficialsForm):
        pass

    for user in current:
        setattr(Form, f"pass_{user.id}", PasswordField(f"{user.name} の開札用パスフレーズ", validators=[Optional(),
                                                                                            Length(max=128)]))
    form = Form(prefix="officials")
    form.officials.choices = options((u.id, f"{u.name}（{u.department.name if u.department else '部署なし'}）")
                                     for u in notices.eligible_officials(case))
    form.current = current
    if not form.is_submitted():
        form.officials.data = [u.id for u in current]
        key = ops.keys_of(case).get("price")
        form.threshold.data = key.threshold if key else 2
    return form


def _witness_choices(case, form) -> None:
    form.witness_user_id.choices = options([(0, "（選択）")] + [
        (u.id, f"{u.name}（{u.role.label}）") for u in ops.staff_witnesses(case)])


def _page(case) -> str:
    return url_for("bidding.opening", case_id=case.id)


@bp.route("/cases/<int:case_id>/opening/request", methods=["POST"])
@require("bids.request_opening", load=load_case)
def request_opening(case_id: int, obj):
    form = OpeningRequestForm()
    form.attendees.choices = options((c, c) for c in form.attendees.data or [])
    return act(_page(obj), lambda f: ops.request_opening(
        obj, by=current_user, now=clock.now(), witness_name=f.witness_name.data or "", witness_kind=f.witness_kind.data,
        witness_user_id=f.witness_user_id.data or None, attendee_ids=f.attendees.data or [],
        passphrase=f.passphrase.data), "開札を求めました。別の開札担当職員の確認をもって開札されます。", form)


@bp.route("/cases/<int:case_id>/opening/withdraw", methods=["POST"])
@require("bids.request_opening", load=load_case)
def withdraw_opening(case_id: int, obj):
    return act(_page(obj), lambda f: ops.withdraw_opening(obj, by=current_user, now=clock.now()),
                 "開札の請求を取り下げました。入力されたパスフレーズによる分割鍵は消去しました。")


def _opened_message(bid_round) -> str:
    return ("開札しました。" if bid_round.state == RoundState.OPENED else
            "確認を記録しました。開札には、さらに別の開札担当職員の確認が必要です。")


@bp.route("/cases/<int:case_id>/opening/confirm", methods=["GET", "POST"])
@require("bids.confirm_opening", load=load_case)
def confirm_opening(case_id: int, obj):
    """GET: the confirmation page — which round, how many bids, who asked and who witnesses — with
    the passphrase that opens them; a wrong passphrase is said at the field, on this page."""
    current = ops.current_round(obj)
    if current is None or current.state != RoundState.REQUESTED:
        if request.method == "POST":  # the operation says why
            return act(_page(obj), lambda f: ops.confirm_opening(obj, by=current_user, now=clock.now(),
                                                                 passphrase=f.passphrase.data),
                       _opened_message, ConfirmOpeningForm())
        flash("確認を待っている開札はありません。", "error")
        return redirect(_page(obj))
    form = ConfirmOpeningForm()
    if apply_form(form, lambda f: ops.confirm_opening(obj, by=current_user, now=clock.now(), passphrase=f.passphrase.data),
                  _opened_message, inline=True):
        return redirect(_page(obj))
    attendees = [b.company.name for b in current.bids if b.company_id in (current.attendee_company_ids or [])]
    return render_template(
        "_confirm.html", title=f"開札（第{current.number}回）",
        lead=f"{current.requested_by.name}さんが請求した開札を、開札担当職員として確認します。",
        facts=[("案件", obj.title), ("回", f"第{current.number}回"), ("入札書", f"{len(current.bids)}件（封印中）"),
               ("立会人", current.witness_name or "—"), ("立ち会った入札者", "、".join(attendees) or "なし"),
               ("請求した職員", current.requested_by.name)],
        irreversible=["必要な人数の開札担当職員の確認がそろうと、直ちにすべての入札書を開封します。",
                      "開封した入札金額・くじ番号は、封印に戻せません。入札者は開札の結果を見られるようになります。",
                      "開札の記録（開札調書）は監査の記録に残ります。"],
        form=form, action=url_for("bidding.confirm_opening", case_id=obj.id), submit="開札を確認して開封する",
        back=_page(obj))


@bp.route("/cases/<int:case_id>/proposals/release", methods=["POST"])
@require("bids.confirm_opening", load=load_case)
def release_proposals(case_id: int, obj):
    return act(_page(obj), lambda f: ops.release_proposals(obj, by=current_user, now=clock.now(), passphrase=f.passphrase.data),
                 lambda done: "提案書を開封しました。審査員は利害関係の申告の後に閲覧できます。" if done else
                 "提案書の開封を求めました。別の開札担当職員の確認をもって開封されます。", ReleaseProposalsForm(prefix="release"))


@bp.route("/cases/<int:case_id>/bids/<int:bid_id>/invalid", methods=["POST"])
@require("bids.request_opening", load=load_case)
def invalidate(case_id: int, bid_id: int, obj):
    bid = get_or_404(Bid, bid_id)
    if bid.case_id != obj.id:
        abort(404)
    form = InvalidForm(prefix=f"invalid{bid.id}")  # one form per bid row: its own ids
    return act(_page(obj), lambda f: ops.mark_invalid(bid, rules.InvalidGround(f.ground.data), f.reason.data,
                                                by=current_user, now=clock.now()),
                 f"受理番号 {bid.receipt_number} を無効としました。", form)


# --- filled forms: the 提案書受理票 and the 開札調書 -------------------------------------------

@bp.route("/notices/<int:case_id>/bid/<int:bid_id>/receipt.<ext>")
@require("bids.submit", load=load_public_case)
def receipt_document(case_id: int, bid_id: int, ext: str, obj):
    bid = get_or_404(Bid, bid_id)
    if bid.case_id != obj.id or bid.company_id != current_user.company_id:
        abort(404)  # a company sees only its own receipts
    return send_form("receipt", receipt_data(bid), ext, f"receipt-{bid.receipt_number}")


# --- changing the opening officials (a departing official, a lost passphrase) ------------------------

@bp.route("/cases/<int:case_id>/officials", methods=["POST"])
@require("bids.confirm_opening", load=load_case)
def change_officials(case_id: int, obj):
    """One sitting: the current officials present each type their passphrase into this one form."""
    form = _officials_form(obj)

    def change(form):
        present = [(u, getattr(form, f"pass_{u.id}").data) for u in form.current if getattr(form, f"pass_{u.id}").data]
        sealing.reshare(obj.id, [db.session.get(User, i) for i in form.officials.data], form.threshold.data,
                        present, by=current_user, now=clock.now())

    return act(_page(obj) + "#officials", change, "開札担当職員を変更しました。分割鍵を新しい職員に配り直しました。", form)
