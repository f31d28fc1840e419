"""The contract page (officers, auditors, the contractor), its actions, and the publication list."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from tender import clock
from tender.award.forms import GroundsForm
from tender.award.operations import award_of, awards_in_force
from tender.bidding.models import Bid, BidRound
from tender.companies.models import Company
from tender.contracts import operations as ops
from tender.contracts.forms import (
    ChangeForm,
    ClaimForm,
    CompleteForm,
    DefectForm,
    DefectNoticeForm,
    DefectResolveForm,
    DeliveryForm,
    DraftForm,
    ExtendForm,
    IncidentForm,
    InspectionForm,
    InterestForm,
    InvoiceForm,
    LapseForm,
    PaymentForm,
    PublishForm,
    RevisionForm,
    RuleForm,
    SettlementForm,
    SignForm,
    SubcontractDecisionForm,
    SubcontractForm,
    settlement_form,
)
from tender.contracts.models import (
    Contract,
    ContractState,
    ContractVersion,
    Deliverable,
    Delivery,
    DueRuleRow,
    Invoice,
    SubcontractStatus,
)
from tender.documents import storage
from tender.documents.downloads import send_form, send_stored
from tender.extensions import db
from tender.notices.models import CaseOfficer
from tender.notices.routes import load_case, load_public_case
from tender.organisations.operations import the_authority
from tender.policy import can, public, require
from tender.rules import conditions as cond
from tender.rules import contracts as rules
from tender.rules import late_payment
from tender.rules.money import format_yen, tax_included
from tender.rules.wareki import format_wareki
from tender.web.forms import options
from tender.web.input import search_key
from tender.web.pages import apply_form, get_or_404, keyset, send_csv

bp = Blueprint("contracts", __name__)



def load_contract(contract_id: int, **_) -> Contract:
    return get_or_404(Contract, contract_id)


def _part_of(contract: Contract, model, ident: int):
    """A row that must belong to the contract in the URL (else 404)."""
    obj = get_or_404(model, ident)
    owner = {Deliverable: lambda o: o.contract_id, DueRuleRow: lambda o: o.contract_id,
             Invoice: lambda o: o.contract_id, Delivery: lambda o: o.deliverable.contract_id,
             ContractVersion: lambda o: o.contract_id}[model](obj)
    if owner != contract.id:
        abort(404)
    return obj


def _back(contract: Contract, anchor: str = ""):
    return redirect(url_for("contracts.show", contract_id=contract.id) + (f"#{anchor}" if anchor else ""))


# --- from the case ---------------------------------------------------------------------------

@bp.route("/cases/<int:case_id>/contract")
@require("contracts.view_case", load=load_case)
def for_case(case_id: int, obj):
    contract = ops.active_contract(obj)
    if contract is not None:
        return redirect(url_for("contracts.show", contract_id=contract.id))
    return render_template("contracts/start.html", case=obj, decision=award_of(obj), lapsed=ops.contracts_of(obj),
                           manage=can(current_user, "contracts.draft", obj), form=DraftForm())


@bp.route("/cases/<int:case_id>/award/revoke", methods=["POST"])
@require("award.decide", load=load_case)
def revoke_award(case_id: int, obj):
    """落札決定の取消 [入札心得第19条]: here, above the award, since a draft contract lapses with it."""
    form = GroundsForm(prefix="revoke")
    apply_form(form, lambda f: ops.revoke_award(obj, form.grounds.data, by=current_user, now=clock.now()),
               "落札決定を取り消しました。改めて落札者を決定してください。")
    return redirect(url_for("award.show", case_id=obj.id))


@bp.route("/cases/<int:case_id>/contract", methods=["POST"])
@require("contracts.draft", load=load_case)
def create(case_id: int, obj):
    form = DraftForm()

    def change(form):
        decision = award_of(obj)
        if decision is None:
            raise ops.ContractError("落札者が決定していません。")
        return ops.create_draft(obj, decision, by=current_user, now=clock.now())

    made = apply_form(form, change, "契約書（案）を作成しました。")
    if made:
        return redirect(url_for("contracts.show", contract_id=made.value.id))
    return redirect(url_for("contracts.for_case", case_id=obj.id))


# --- the contract page -----------------------------------------------------------------------

@bp.route("/contracts/<int:contract_id>")
@require("contracts.view", load=load_contract)
def show(contract_id: int, obj):
    return _page(obj)


def _page(obj: Contract, revision: RevisionForm | None = None, change_form: ChangeForm | None = None,
          defect_form: DefectForm | None = None, subcontract_form: SubcontractForm | None = None,
          settle_form: SettlementForm | None = None):
    """The contract page; a refused revision is shown again with what was typed."""
    today = clock.today_jst()
    manage = can(current_user, "contracts.manage", obj)
    incident_rules = [r for r in obj.rules if r.kind == rules.INCIDENT]
    incident_form = IncidentForm()
    incident_form.rule_id.choices = options([(r.id, r.title) for r in incident_rules])
    invoice_form = InvoiceForm()
    invoice_form.deliverable_id.choices = options([(0, "（指定しない）")] + [
        (d.id, f"{d.title}（{d.due_on:%Y-%m-%d}）") for d in obj.deliverables])
    latest = obj.latest.terms
    revision = revision or RevisionForm(data={
        "period_from": obj.period_from, "period_to": obj.period_to, "inspection_days": obj.inspection_days,
        **obj.conditions.as_dict(), "quantity": obj.quantity,
        "payment_terms": latest.get("payment_terms", ""),
        "period_amounts": "\n".join(f"{p['label']}, {p['amount_excl']:,}" for p in latest.get("period_amounts", [])),
        "main": latest["clauses"]["main"], "special": latest["clauses"]["special"],
        "privacy": latest["clauses"]["privacy"]})
    items = [(d, ops.status(d, today), ops.late_damages(d, today)) for d in obj.deliverables]
    settle_lines = ops.settleable_lines(obj) if obj.signed_on else []
    return render_template(
        "contracts/show.html", contract=obj, case=obj.case, today=today, manage=manage, authority=the_authority(),
        deliver_ok=can(current_user, "contracts.deliver", obj), items=items, rules_module=rules,
        describe=lambda row: rules.describe(ops.due_rule(row)), overdue=ops.is_overdue(obj, today),
        penalties=ops.penalties(obj), conditions=cond.sources(obj.conditions),
        publication_deadline=ops.publication_deadline(obj), disclosure=ops.disclosure(obj),
        revision=revision, change_form=change_form or ChangeForm(prefix="change"), change_grounds=ops.CHANGE_GROUNDS,
        defect_form=defect_form or DefectForm(prefix="newdefect"), remedies=ops.REMEDIES,
        subcontract_form=subcontract_form or SubcontractForm(prefix="subcontract"),
        subcontract_decision_form=lambda r: SubcontractDecisionForm(prefix=f"sub{r.id}"),
        subcontracting=cond.CHOICES["subcontracting"][obj.conditions.subcontracting],
        subcontract_by_notice=obj.conditions.subcontracting == cond.SUBCONTRACT_NOTICE,
        defect_notice_form=lambda d: DefectNoticeForm(prefix=f"defect{d.id}"),
        defect_resolve_form=lambda d: DefectResolveForm(prefix=f"resolve{d.id}"),
        defect_period_end=cond.defect_period_end(obj.conditions, completed_on=obj.completed_on,
                                                 period_to=obj.period_to),
        conditions_defect=cond.CHOICES["defect"][obj.conditions.defect],
        extend_form=ExtendForm(), lapse_form=LapseForm(),
        rule_form=RuleForm(), incident_form=incident_form, delivery_form=_delivery_form, claim_form=_claim_form,
        inspection_form=_inspection_form, invoice_form=invoice_form, payment_form=_payment_form,
        publish_form=PublishForm(data={"published_on": today}), complete_form=CompleteForm(data={"completed_on": today}),
        interest=_interest(obj), payment_processing_day=rules.payment_processing_day, state=ContractState,
        late_interest=ops.late_interest, payment_rule=cond.payment_rule(obj.conditions),
        late_rate=late_payment.contract_rate(obj.conditions, obj.signed_on),
        settle_lines=settle_lines, settled=ops.settlement_result(obj), payable_total=ops.payable_total(obj),
        settle_form=settle_form or settlement_form(settle_lines, data={"settled_on": today}))


# One form per row, each with its own prefix, so that no two inputs on the page share an id.
def _delivery_form(item: Deliverable) -> DeliveryForm:
    return DeliveryForm(prefix=f"item{item.id}")


def _inspection_form(delivery: Delivery) -> InspectionForm:
    return InspectionForm(prefix=f"delivery{delivery.id}")


def _claim_form(delivery: Delivery) -> ClaimForm:
    return ClaimForm(prefix=f"claim{delivery.id}")


def _payment_form(invoice: Invoice) -> PaymentForm:
    return PaymentForm(prefix=f"invoice{invoice.id}")


def _interest(obj: Contract):
    """The penalty-interest calculator, filled from the query string when asked."""
    form = InterestForm(request.args, meta={"csrf": False}, prefix="interest")
    if "interest-principal" not in request.args:
        return {"form": form, "result": None}
    if not form.validate():
        return {"form": form, "result": None}
    try:
        result = cond.penalty_interest(obj.conditions, form.principal.data, form.deadline.data, form.paid_on.data)
    except (TypeError, ValueError) as exc:
        form.principal.errors = list(form.principal.errors) + [str(exc)]
        return {"form": form, "result": None}
    return {"form": form, "result": result}


@bp.route("/contracts/<int:contract_id>/versions/<int:number>.<ext>")
@require("contracts.view", load=load_contract)
def version_file(contract_id: int, number: int, ext: str, obj):
    version = next((v for v in obj.versions if v.number == number), None)
    if version is None:
        abort(404)
    return send_form("contract", ops.contract_data(obj, version), ext, f"contract-{obj.case.reference}-v{number}")


@bp.route("/contracts/<int:contract_id>/signed-file")
@require("contracts.view", load=load_contract)
def signed_file(contract_id: int, obj):
    if obj.signed_file is None:
        abort(404)
    return send_stored(obj.signed_file)


@bp.route("/contracts/<int:contract_id>/revise", methods=["POST"])
@require("contracts.manage", load=load_contract)
def revise(contract_id: int, obj):
    form = RevisionForm()
    ok = apply_form(form, lambda f: ops.revise(obj, ops.Revision(
        form.period_from.data, form.period_to.data, form.inspection_days.data, form.condition_values(),
        form.quantity.data or "", form.payment_terms.data or "", form.period_amounts.data or "", form.main.data,
        form.special.data, form.privacy.data, form.version_note.data), by=current_user, now=clock.now()),
        lambda _: f"契約書（案）の第{obj.latest.number}版を保存しました。")
    if not ok:
        # Keep what was typed: the page is shown again with the refused form.
        return _page(obj, revision=form), 422
    return _back(obj, "versions")


@bp.route("/contracts/<int:contract_id>/changes", methods=["POST"])
@require("contracts.manage", load=load_contract)
def change(contract_id: int, obj):
    """変更契約 [000/002 第12条]: recorded once agreed; a refused one comes back with what was typed."""
    form = ChangeForm(prefix="change")
    ok = apply_form(form, lambda f: ops.change_contract(
        obj, ground=form.ground.data or "", reason=form.reason.data, agreed_on=form.agreed_on.data,
        amount_excl=form.amount_excl.data, period_from=form.period_from.data, period_to=form.period_to.data,
        by=current_user, now=clock.now()), lambda _: f"変更契約（第{obj.changes[-1].number}回）を記録しました。")
    if not ok:
        return _page(obj, change_form=form), 422
    return _back(obj, "changes")


@bp.route("/contracts/<int:contract_id>/settlement", methods=["POST"])
@require("contracts.manage", load=load_contract)
def settle(contract_id: int, obj):
    """数量精算 of a unit-price contract; a refused one comes back with what was typed."""
    form = settlement_form(ops.settleable_lines(obj))
    ok = apply_form(form, lambda f: ops.settle(obj, form.actual(), form.settled_on.data, form.note.data or "",
                                               by=current_user, now=clock.now()),
                    lambda row: f"数量を精算しました。支払う額は{format_yen(row.amount_total)}です。")
    if not ok:
        return _page(obj, settle_form=form), 422
    return _back(obj, "settlement")


@bp.route("/contracts/<int:contract_id>/changes/<int:number>.<ext>")
@require("contracts.view", load=load_contract)
def change_file(contract_id: int, number: int, ext: str, obj):
    found = next((c for c in obj.changes if c.number == number), None)
    if found is None:
        abort(404)
    return send_form("contract_change", ops.change_data(obj, found), ext,
                     f"contract-change-{obj.case.reference}-{number}")


def _defect(contract: Contract, claim_id: int):
    found = next((d for d in contract.defects if d.id == claim_id), None)
    if found is None:
        abort(404)
    return found


@bp.route("/contracts/<int:contract_id>/defects", methods=["POST"])
@require("contracts.manage", load=load_contract)
def defect(contract_id: int, obj):
    form = DefectForm(prefix="newdefect")
    ok = apply_form(form, lambda f: ops.record_defect(obj, found_on=form.found_on.data, description=form.description.data,
                                                      remedy=form.remedy.data or "", by=current_user, now=clock.now()),
                    lambda _: f"契約不適合（第{obj.defects[-1].number}号）を記録しました。")
    if not ok:
        return _page(obj, defect_form=form), 422
    return _back(obj, "defects")


@bp.route("/contracts/<int:contract_id>/defects/<int:claim_id>/notified", methods=["POST"])
@require("contracts.manage", load=load_contract)
def defect_notified(contract_id: int, claim_id: int, obj):
    claim = _defect(obj, claim_id)
    form = DefectNoticeForm(prefix=f"defect{claim.id}")
    apply_form(form, lambda f: ops.notify_defect(claim, form.notified_on.data, by=current_user, now=clock.now()),
               "受注者への通知を記録しました。")
    return _back(obj, "defects")


@bp.route("/contracts/<int:contract_id>/defects/<int:claim_id>/resolved", methods=["POST"])
@require("contracts.manage", load=load_contract)
def defect_resolved(contract_id: int, claim_id: int, obj):
    claim = _defect(obj, claim_id)
    form = DefectResolveForm(prefix=f"resolve{claim.id}")
    apply_form(form, lambda f: ops.resolve_defect(claim, form.resolved_on.data, form.resolution.data,
                                                  by=current_user, now=clock.now()),
               "解決を記録しました。")
    return _back(obj, "defects")


@bp.route("/contracts/<int:contract_id>/subcontracts", methods=["POST"])
@require("contracts.deliver", load=load_contract)
def subcontract(contract_id: int, obj):
    form = SubcontractForm(prefix="subcontract")
    ok = apply_form(form, lambda f: ops.submit_subcontract(
        obj, name=form.name.data, address=form.address.data, scope=form.scope.data, amount=form.amount.data,
        reason=form.reason.data, by=current_user, now=clock.now()),
        lambda _: ("再委託を届け出ました。" if obj.subcontracts[-1].status is SubcontractStatus.NOTIFIED
                   else "再委託の承諾を申請しました。"))
    if not ok:
        return _page(obj, subcontract_form=form), 422
    return _back(obj, "subcontracts")


@bp.route("/contracts/<int:contract_id>/subcontracts/<int:subcontract_id>/decide", methods=["POST"])
@require("contracts.manage", load=load_contract)
def subcontract_decide(contract_id: int, subcontract_id: int, obj):
    row = next((r for r in obj.subcontracts if r.id == subcontract_id), None)
    if row is None:
        abort(404)
    form = SubcontractDecisionForm(prefix=f"sub{row.id}")

    def decide(f):
        if form.decision.data not in ("approve", "refuse"):
            raise ops.ContractError("承諾するかどうかを選んでください。", field="decision")
        ops.decide_subcontract(row, form.decision.data == "approve", form.note.data, by=current_user, now=clock.now())

    apply_form(form, decide, "再委託について決定しました。")
    return _back(obj, "subcontracts")


@bp.route("/contracts/<int:contract_id>/extend", methods=["POST"])
@require("contracts.manage", load=load_contract)
def extend(contract_id: int, obj):
    form = ExtendForm()
    apply_form(form, lambda f: ops.extend(obj, form.new_deadline.data, form.reason.data, by=current_user, now=clock.now()),
               "契約書の提出期限を延長しました。")
    return _back(obj, "deadline")


@bp.route("/contracts/<int:contract_id>/lapse", methods=["POST"])
@require("contracts.manage", load=load_contract)
def lapse(contract_id: int, obj):
    form = LapseForm()
    if apply_form(form, lambda f: ops.lapse(obj, form.lapse_reason.data, by=current_user, now=clock.now()),
                  "落札は効力を失いました。次順位の者を落札者として決定できます。"):
        return redirect(url_for("award.show", case_id=obj.case_id))
    return _back(obj, "deadline")


@bp.route("/contracts/<int:contract_id>/sign", methods=["GET", "POST"])
@require("contracts.manage", load=load_contract)
def sign(contract_id: int, obj):
    """GET: the confirmation page — the contract as it will be signed, and what follows."""
    if obj.state != ContractState.DRAFT and request.method == "GET":
        return _back(obj)  # signed, lapsed: nothing to confirm
    form = SignForm()
    if request.method == "GET":
        form.signed_on.data = clock.today_jst()

    def change(form):
        uploads = [f for f in (form.signed_file.data or []) if f and f.filename]
        stored = storage.store(uploads[0], allowed=(storage.PDF,), user=current_user) if uploads else None
        ops.sign(obj, form.contract_number.data, form.signed_on.data, signed_file=stored, by=current_user,
                 now=clock.now())

    if apply_form(form, change, "契約の締結を記録しました。", inline=True):
        return _back(obj)
    latest = obj.latest
    return render_template(
        "_confirm.html", title="契約の締結", multipart=True,
        lead=f"{obj.company.name}と、第{latest.number}版の契約書（案）で契約を締結したことを記録します。",
        facts=[("案件", obj.case.title), ("契約の相手方", obj.company.name), ("契約書（案）", f"第{latest.number}版"),
               ("契約金額（税込）", format_yen(obj.amount_total)),
               ("契約期間", f"{format_wareki(obj.period_from)}から{format_wareki(obj.period_to)}まで"),
               ("契約書の提出期限", format_wareki(obj.deadline, weekday=True))],
        irreversible=["締結を記録すると、契約書（案）はその版で確定し、以後の変更は変更契約として記録します。",
                      "案件は「契約締結」となり、落札者に通知します。契約の履行（納入・検査・支払）の管理が始まります。",
                      "締結の記録は取り消せません。"],
        form=form, action=url_for("contracts.sign", contract_id=obj.id), submit="締結を記録する",
        back=url_for("contracts.show", contract_id=obj.id))


@bp.route("/contracts/<int:contract_id>/rules", methods=["POST"])
@require("contracts.manage", load=load_contract)
def add_rule(contract_id: int, obj):
    form = RuleForm()
    apply_form(form, lambda f: ops.add_rule(obj, f.rule(), by=current_user, now=clock.now()),
               lambda made: f"期限の定めを追加し、納入物件を{len(made)}件作成しました。" if made else "期限の定めを追加しました。")
    return _back(obj, "deliverables")


@bp.route("/contracts/<int:contract_id>/rules/<int:rule_id>/delete", methods=["POST"])
@require("contracts.manage", load=load_contract)
def remove_rule(contract_id: int, rule_id: int, obj):
    row = _part_of(obj, DueRuleRow, rule_id)
    apply_form(DraftForm(), lambda f: ops.remove_rule(obj, row, by=current_user, now=clock.now()),
               "期限の定めと、その納入物件を削除しました。")
    return _back(obj, "deliverables")


@bp.route("/contracts/<int:contract_id>/incidents", methods=["POST"])
@require("contracts.manage", load=load_contract)
def incident(contract_id: int, obj):
    form = IncidentForm()
    form.rule_id.choices = options([(r.id, r.title) for r in obj.rules if r.kind == rules.INCIDENT])
    apply_form(form, lambda f: ops.record_incident(obj, _part_of(obj, DueRuleRow, form.rule_id.data), form.incident_on.data,
                                                 by=current_user, now=clock.now()),
               "障害復旧作業の終了を記録し、報告書の期限を設けました。")
    return _back(obj, "deliverables")


@bp.route("/contracts/<int:contract_id>/deliverables/<int:item_id>/deliver", methods=["POST"])
@require("contracts.deliver", load=load_contract)
def deliver(contract_id: int, item_id: int, obj):
    item = _part_of(obj, Deliverable, item_id)
    form = _delivery_form(item)

    def change(form):
        uploads = [f for f in (form.files.data or []) if f and f.filename]
        stored = [storage.store(f, user=current_user) for f in uploads]
        return ops.deliver(item, form.note.data or "", stored, by=current_user, now=clock.now(),
                           earlier_on=form.earlier_on.data, reason=form.reason.data or "")

    apply_form(form, change, lambda delivery: f"「{item.title}」の納入を記録しました。" + (
        "前の日とする申出は、職員の確認の後に納入日となります。" if delivery.claim_pending else ""),
        error_prefix=f"「{item.title}」：")
    return _back(obj, f"item-{item.id}")


@bp.route("/contracts/<int:contract_id>/deliveries/<int:delivery_id>/claim", methods=["POST"])
@require("contracts.manage", load=load_contract)
def decide_claim(contract_id: int, delivery_id: int, obj):
    delivery = _part_of(obj, Delivery, delivery_id)
    form = ClaimForm(prefix=f"claim{delivery.id}")
    apply_form(form, lambda f: ops.decide_claim(delivery, form.decision.data == "confirm", by=current_user, now=clock.now()),
               "納入日の申出について記録しました。")
    return _back(obj, f"item-{delivery.deliverable_id}")


@bp.route("/contracts/<int:contract_id>/deliveries/<int:delivery_id>/inspect", methods=["POST"])
@require("contracts.manage", load=load_contract)
def inspect(contract_id: int, delivery_id: int, obj):
    delivery = _part_of(obj, Delivery, delivery_id)
    form = _inspection_form(delivery)
    apply_form(form, lambda f: ops.inspect(delivery, form.result.data == "passed", form.inspected_on.data,
                                         form.findings.data or "", by=current_user, now=clock.now()),
               "検査の結果を記録し、受注者に通知しました。")
    return _back(obj, f"item-{delivery.deliverable_id}")


@bp.route("/contracts/<int:contract_id>/deliveries/<int:delivery_id>/files/<int:file_id>")
@require("contracts.view", load=load_contract)
def delivery_file(contract_id: int, delivery_id: int, file_id: int, obj):
    delivery = _part_of(obj, Delivery, delivery_id)
    row = next((f for f in delivery.files if f.id == file_id), None)
    if row is None:
        abort(404)
    return send_stored(row.stored_file)


@bp.route("/contracts/<int:contract_id>/invoices", methods=["POST"])
@require("contracts.manage", load=load_contract)
def invoice(contract_id: int, obj):
    form = InvoiceForm()
    form.deliverable_id.choices = options([(0, "")] + [(d.id, d.title) for d in obj.deliverables])

    def change(form):
        item = _part_of(obj, Deliverable, form.deliverable_id.data) if form.deliverable_id.data else None
        ops.receive_invoice(obj, form.amount.data, form.received_on.data, item, by=current_user, now=clock.now())

    apply_form(form, change, "請求書の受理を記録しました。")
    return _back(obj, "payments")


@bp.route("/contracts/<int:contract_id>/invoices/<int:invoice_id>/paid", methods=["POST"])
@require("contracts.manage", load=load_contract)
def paid(contract_id: int, invoice_id: int, obj):
    row = _part_of(obj, Invoice, invoice_id)
    form = _payment_form(row)
    apply_form(form, lambda f: ops.pay(row, form.paid_on.data, by=current_user, now=clock.now()),
               "支払を記録しました。")
    return _back(obj, "payments")


@bp.route("/contracts/<int:contract_id>/publish", methods=["POST"])
@require("contracts.manage", load=load_contract)
def publish(contract_id: int, obj):
    form = PublishForm()
    apply_form(form, lambda f: ops.publish(obj, form.published_on.data, by=current_user, now=clock.now()),
               "契約に係る情報の公表を記録しました。")
    return _back(obj, "publication")


@bp.route("/contracts/<int:contract_id>/complete", methods=["POST"])
@require("contracts.manage", load=load_contract)
def complete(contract_id: int, obj):
    form = CompleteForm()
    apply_form(form, lambda f: ops.complete(obj, form.completed_on.data, by=current_user, now=clock.now()),
               "履行の完了を記録しました。")
    return _back(obj)


# --- across contracts ------------------------------------------------------------------------

@bp.route("/contracts")
@require("contracts.list")
def index():
    today = clock.today_jst()
    where = [Contract.signed_on.is_not(None)]
    # Filters (issue 19: sortable and filterable lists): a word of the company's name or of the
    # contract number (full and half width alike), the contracts still to publish, the officer's own.
    q = search_key(request.args.get("q", ""))
    if q:
        companies = select(Company.id).where(Company.name.icontains(q, autoescape=True))
        where.append(or_(Contract.contract_number.icontains(q, autoescape=True), Contract.company_id.in_(companies)))
    unpublished = bool(request.args.get("unpublished"))
    if unpublished:
        where.append(Contract.published_on.is_(None))
    mine = bool(request.args.get("mine"))
    if mine:
        where.append(Contract.case_id.in_(select(CaseOfficer.case_id).where(CaseOfficer.user_id == current_user.id)))
    page = keyset(ops.listed(*where), (Contract.signed_on, Contract.id), rows=True,
                  counted=select(Contract.id).where(*where))
    rows = [(contract, *ops.listed_publication_state(contract, today)) for contract in page.items]
    # Drafts wait at most the 5 days of 第17条 (and an extension): a short list, shown whole.
    drafts = db.session.execute(ops.listed(Contract.state == ContractState.DRAFT)
                                .order_by(Contract.submission_deadline, Contract.id)).all()
    return render_template("contracts/index.html", rows=rows, page=page, drafts=drafts, today=today,
                           overdue=lambda c: ops.is_overdue(c, today), q=q, unpublished=unpublished, mine=mine)


@bp.route("/notices/<int:case_id>/outcome")
@public
def outcome(case_id: int):
    """入札結果 for everyone (issue 19): the 落札者, the 落札金額 (税込, 入札心得第5条), the number of
    bidders, and — once the contract's information is published (公表) — the contract."""
    case = load_public_case(case_id)
    decision = award_of(case) if case.state.is_decided else None
    if decision is None or decision.bid is None:
        abort(404)
    first_round = db.session.execute(db.select(BidRound).where(BidRound.case_id == case.id)
                                     .order_by(BidRound.number).limit(1)).scalar_one()
    contract = ops.active_contract(case)
    published = contract if contract is not None and contract.published_on is not None else None
    return render_template("contracts/outcome.html", case=case, decision=decision,
                           award_price=tax_included(decision.bid.amount), bidders=len(first_round.bids),
                           contract=published, disclosure=ops.disclosure(published) if published else None)


@bp.route("/mine")
@require("contracts.own")
def mine():
    """自社の入札と契約 (issue 19: bidders had no list of their bids, results and contracts): the
    company's bids newest first, each with its state and result, and its contracts."""
    company_id = current_user.company_id
    page = keyset(db.select(Bid).where(Bid.company_id == company_id), (Bid.submitted_at, Bid.id), per_page=50)
    case_ids = sorted({b.case_id for b in page.items})
    awarded = {case_id: d.bid_id for case_id, d in awards_in_force(case_ids).items()}  # one statement
    contracts = db.session.execute(db.select(Contract).where(Contract.company_id == company_id)
                                   .order_by(Contract.created_at.desc())).scalars().all()
    return render_template("contracts/mine.html", page=page, awarded=awarded, contracts=contracts,
                           company=current_user.company)


@bp.route("/contracts/publication.csv")
@require("contracts.list")
def publication_csv():
    today = clock.today_jst()
    rows = []
    for contract, deadline, _ in ops.publication_list(today):
        d = ops.disclosure(contract)
        rows.append([d["title"], d["quantity"], d["contract_date"], d["contractor"], d["contractor_address"],
                     d["corporate_number"], d["amount_total"], d["procedure"], "○" if d["one_bidder"] else "",
                     deadline.isoformat(), contract.published_on.isoformat() if contract.published_on else ""])
    return send_csv(["件名", "数量", "契約締結日", "契約の相手方", "住所", "法人番号", "契約金額（税込）", "契約方式",
                     "一者応札・応募", "公表期限", "公表日"], rows, "contracts-publication.csv")
