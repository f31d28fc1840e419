"""The contract from the award to completion: the draft and its versions, the 第17条 deadline and its
lapse, signature, deliverables from due-date rules, inspections, invoices and payments, publication.

Each operation validates (raising ``ContractError`` with a Japanese message and changing nothing),
changes, records the audit event and flushes; the route commits. The arithmetic lives in
``tender.rules.contracts`` and ``tender.rules.money``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager, lazyload

from forms.yoshiki import _contract_text as text
from forms.yoshiki import contract_change as change_form
from forms.yoshiki.contract import (
    ClauseTextError,
    ContractData,
    PeriodAmount,
    PriceLine,
    amount_text_of,
    clauses_from_text,
    clauses_to_text,
    period_text,
)
from tender.accounts.models import Role, User
from tender.audit.operations import record
from tender.award.models import AwardDecision, DecisionKind
from tender.award.operations import award_of
from tender.bidding.models import BidRound
from tender.companies.models import Company
from tender.contracts import remedies
from tender.contracts.models import (
    Contract,
    ContractChange,
    ContractState,
    ContractVersion,
    DefectClaim,
    Deliverable,
    Delivery,
    DeliveryFile,
    DueRuleRow,
    InspectionResult,
    Invoice,
    Settlement,
    Subcontract,
    SubcontractStatus,
)
from tender.extensions import db
from tender.locking import lock_row
from tender.notices.models import ProcurementCase
from tender.notifications.operations import notify, notify_companies, page
from tender.organisations.operations import the_authority
from tender.rules import bids as rules_bids
from tender.rules import conditions as cond
from tender.rules import contracts as rules
from tender.rules import late_payment
from tender.rules import settlement as settlement_rules
from tender.rules.calendar import to_jst
from tender.rules.errors import OperationError
from tender.rules.lifecycle import Action, CaseState, next_state
from tender.rules.money import consumption_tax, format_yen, parse_yen, tax_included
from tender.rules.wareki import format_wareki


class ContractError(OperationError):
    """A Japanese message; nothing was changed."""




# --- reading ---------------------------------------------------------------------------------

def contracts_of(case: ProcurementCase) -> list[Contract]:
    return db.session.execute(select(Contract).where(Contract.case_id == case.id).order_by(Contract.id)).scalars().all()


def active_contract(case: ProcurementCase) -> Contract | None:
    """The case's contract that has not lapsed (at most one)."""
    return next((c for c in reversed(contracts_of(case)) if c.state != ContractState.LAPSED), None)


def is_overdue(contract: Contract, today: date) -> bool:
    """The signed contract has not come in by the deadline in force."""
    return contract.state == ContractState.DRAFT and today > contract.deadline


# --- the draft -------------------------------------------------------------------------------

def _default_clauses() -> dict[str, str]:
    return {"main": clauses_to_text(text.MAIN), "special": clauses_to_text(text.SPECIAL),
            "privacy": clauses_to_text(text.PRIVACY)}


def _price_lines(bid) -> list[dict]:
    lines = []
    for line in bid.breakdown or []:
        lump = line.get("unit") == "式" and line.get("quantity") == 1
        lines.append({"item": line["item"], "quantity": "一式" if lump else f"{line['quantity']}{line.get('unit', '')}",
                      "unit_price": int(line["unit_price"]), "note": ""})
    return lines


def create_draft(case: ProcurementCase, decision: AwardDecision, *, by: User, now: datetime) -> Contract:
    """The draft from the award: the winner's bid (tax excluded), tax cut below 1 yen, the case's period."""
    if decision.kind != DecisionKind.AWARD or decision.case_id != case.id:
        raise ContractError("落札者の決定から契約書（案）を作ります。")
    if case.state != CaseState.AWARDED:
        raise ContractError(f"「{case.state.label}」の案件には契約書（案）を作れません。")
    if active_contract(case) is not None:
        raise ContractError("この案件の契約書（案）は作成済みです。")
    if decision.lapsed_at is not None:
        raise ContractError("この落札は効力を失っています。")
    if not case.contract_from or not case.contract_to:
        raise ContractError("案件の契約期間（始期と終期）を設定してから作成してください。")
    bid = decision.bid
    amount = int(bid.amount)
    first_round = db.session.execute(select(BidRound).where(BidRound.case_id == case.id)
                                     .order_by(BidRound.number).limit(1)).scalar_one()
    contract = Contract(
        case_id=case.id, award_decision_id=decision.id, bid_id=bid.id, company_id=bid.company_id,
        state=ContractState.DRAFT, period_from=case.contract_from, period_to=case.contract_to,
        amount_excl=amount, tax=consumption_tax(amount), amount_total=tax_included(amount), inspection_days=30,
        conditions_data=_preset_conditions(), quantity="一式",
        submission_deadline=decision.contract_deadline, one_bidder=len(first_round.bids) == 1,
        created_at=now, created_by_id=by.id)
    db.session.add(contract)
    db.session.flush()
    terms = {
        "period_from": case.contract_from.isoformat(), "period_to": case.contract_to.isoformat(),
        "amount_excl": amount, "tax": contract.tax, "amount_total": contract.amount_total,
        "price_lines": _price_lines(bid), "period_amounts": [], "payment_terms": case.payment_terms or "",
        "inspection_days": 30, "conditions": contract.conditions_data, "quantity": "一式", "clauses": _default_clauses()}
    _add_version(contract, terms, "落札者の決定から作成", by=by, now=now)
    record("contract.drafted", contract, actor=by, summary={
        "case_id": case.id, "company_id": contract.company_id, "amount_excl": amount, "tax": contract.tax,
        "amount_total": contract.amount_total, "deadline": contract.submission_deadline.isoformat()})
    return contract


def _preset_conditions() -> dict:
    """The conditions of the authority's seed (tender.rules.conditions.PRESETS)."""
    authority = the_authority()
    name = authority.preset if authority is not None and authority.preset in cond.PRESETS else cond.DEFAULT_PRESET
    return cond.preset(name).as_dict()


def _add_version(contract: Contract, terms: dict, note: str, *, by: User, now: datetime) -> ContractVersion:
    number = (contract.versions[-1].number + 1) if contract.versions else 1
    version = ContractVersion(contract_id=contract.id, number=number, terms=terms, note=note,
                              created_at=now, created_by_id=by.id)
    db.session.add(version)
    contract.versions.append(version)
    db.session.flush()
    return version


@dataclass
class Revision:
    """What the officer may change in the draft (the amount is the bid's and does not change)."""

    period_from: date
    period_to: date
    inspection_days: int
    conditions: dict  # tender.rules.conditions.Conditions as stored
    quantity: str
    payment_terms: str
    period_amounts: str  # one line per period: 「期間の名称, 税抜金額」
    main: str
    special: str
    privacy: str
    note: str


def parse_period_amounts(source: str) -> list[dict]:
    rows = []
    for n, raw in enumerate((source or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        label, sep, amount = line.replace("，", ",").partition(",")
        if not sep or not label.strip():
            raise ContractError(f"期間ごとの金額 {n}行目：「期間の名称, 税抜金額」の形で書いてください。")
        try:
            yen = parse_yen(amount.strip())
        except ValueError as exc:
            raise ContractError(f"期間ごとの金額 {n}行目：{exc}") from exc
        rows.append({"label": label.strip(), "amount_excl": yen})
    return rows


def revise(contract: Contract, change: Revision, *, by: User, now: datetime) -> ContractVersion:
    """A new version of the draft; the earlier ones stay as they were."""
    if contract.state != ContractState.DRAFT:
        raise ContractError("締結した（または失効した）契約は変更できません。")
    if change.period_to < change.period_from:
        raise ContractError("契約期間の終期が始期より前です。")
    if change.inspection_days not in rules.INSPECTION_DAYS_CHOICES:
        raise ContractError("検査の期間は10日または30日です。")
    try:
        conditions = cond.from_dict(change.conditions).as_dict()
    except (TypeError, ValueError) as exc:
        raise ContractError(f"契約の条件：{exc}") from exc
    clauses = {}
    for key, label in (("main", "契約条項"), ("special", "特記事項"), ("privacy", "個人情報の取扱いに関する特則")):
        try:
            clauses_from_text(getattr(change, key))
        except ClauseTextError as exc:
            raise ContractError(f"{label}：{exc}") from exc
        clauses[key] = getattr(change, key).replace("\r\n", "\n").strip()
    periods = parse_period_amounts(change.period_amounts)
    if periods and sum(p["amount_excl"] for p in periods) != contract.amount_excl:
        total = sum(p["amount_excl"] for p in periods)
        raise ContractError(f"期間ごとの金額の合計（{format_yen(total)}）が契約金額（税抜）{format_yen(contract.amount_excl)}と"
                            "一致しません。")
    note = (change.note or "").strip()
    if not note:
        raise ContractError("変更の内容（版の説明）を入力してください。")
    previous = contract.latest.terms
    terms = dict(previous, period_from=change.period_from.isoformat(), period_to=change.period_to.isoformat(),
                 inspection_days=change.inspection_days, conditions=conditions,
                 quantity=change.quantity.strip() or "一式", payment_terms=change.payment_terms.strip(),
                 period_amounts=periods, clauses=clauses)
    if terms == previous:
        raise ContractError("前の版から変わったところがありません。")
    version = _add_version(contract, terms, note, by=by, now=now)
    contract.period_from, contract.period_to = change.period_from, change.period_to
    contract.inspection_days, contract.conditions_data = change.inspection_days, conditions
    contract.quantity = terms["quantity"]
    changed = sorted(k for k in terms if terms[k] != previous.get(k))
    record("contract.revised", contract, actor=by, summary={"version": version.number, "note": note, "changed": changed})
    return version


def _parties(contract: Contract) -> dict:
    """甲 and 乙 as a contract form names them (the authority's profile, where one is recorded)."""
    company = contract.company
    parties = {"contractor_name": company.name, "contractor_address": company.address,
               "contractor_representative": f"{company.representative_title}　{company.representative_name}"}
    authority = the_authority()
    if authority is not None:
        parties |= {"authority": authority.name, "authority_address": authority.address or "",
                    "authority_head": authority.contracting_officer or ""}
    return parties


def contract_data(contract: Contract, version: ContractVersion | None = None):
    """The 契約書（案） form's data for a version (the latest by default)."""
    version = version or contract.latest
    terms = version.terms
    number = contract.contract_number or f"{contract.case.reference}（案・第{version.number}版）"
    signed = contract.state in (ContractState.SIGNED, ContractState.COMPLETED) and version.number == contract.signed_version
    return ContractData(
        contract_number=number, case_title=contract.case.title,
        period_start=date.fromisoformat(terms["period_from"]), period_end=date.fromisoformat(terms["period_to"]),
        amount_excl=int(terms["amount_excl"]),
        price_lines=[PriceLine(p["item"], p["quantity"], int(p["unit_price"]), p.get("note", ""))
                     for p in terms.get("price_lines", [])],
        period_amounts=[PeriodAmount(p["label"], int(p["amount_excl"])) for p in terms.get("period_amounts", [])],
        payment_terms=terms.get("payment_terms", ""), inspection_days=int(terms["inspection_days"]),
        date=contract.signed_on if signed else None,
        main=clauses_from_text(terms["clauses"]["main"]), special=clauses_from_text(terms["clauses"]["special"]),
        privacy=clauses_from_text(terms["clauses"]["privacy"]), signed=signed, **_parties(contract))


# --- the deadline, its extension and the lapse ----------------------------------------------

def extend(contract: Contract, new_deadline: date, reason: str, *, by: User, now: datetime) -> None:
    if contract.state != ContractState.DRAFT:
        raise ContractError("契約書の提出を待っている契約だけ、期限を延長できます。")
    reason = (reason or "").strip()
    if not reason:
        raise ContractError("延長の理由を入力してください。")
    if new_deadline <= contract.deadline:
        raise ContractError(f"延長後の期限は現在の期限（{format_wareki(contract.deadline)}）より後の日にしてください。")
    before = contract.deadline
    contract.extended_deadline, contract.extension_reason = new_deadline, reason
    record("contract.deadline_extended", contract, actor=by, summary={
        "from": before.isoformat(), "to": new_deadline.isoformat(), "reason": reason})
    notify_companies({contract.company_id}, f"「{contract.case.title}」の契約書の提出期限を"
                     f"{format_wareki(new_deadline)}まで延長しました。", page("contracts.show", contract_id=contract.id))
    db.session.flush()


def lapse(contract: Contract, reason: str, *, by: User | None, now: datetime) -> None:
    """The signed contract did not come in by the deadline: the award lapses (第17条) and the case
    goes back to the award, where the next best is proposed."""
    if contract.state != ContractState.DRAFT:
        raise ContractError("契約書の提出を待っている契約だけが失効します。")
    today = to_jst(now).date()
    if not is_overdue(contract, today):
        raise ContractError(f"提出期限（{format_wareki(contract.deadline)}）が過ぎるまでは失効させられません。"
                            "期限の延長はできます。")
    reason = (reason or "").strip() or rules_bids.LAPSE_GROUND
    case = contract.case
    contract.state, contract.lapsed_at, contract.lapse_reason = ContractState.LAPSED, now, reason
    contract.award_decision.lapsed_at = now  # the award's standing reads it there
    case.state = next_state(case.state, Action.LAPSE_AWARD, case.procedure)
    record("contract.lapsed", contract, actor=by, summary={
        "case_id": case.id, "bid_id": contract.bid_id, "deadline": contract.deadline.isoformat(), "reason": reason})
    notify_companies({contract.company_id}, f"「{case.title}」の契約書が期限（{format_wareki(contract.deadline)}）までに"
                     "提出されなかったため、落札は効力を失いました（入札心得第17条）。", page("award.results", case_id=case.id))
    db.session.flush()


def revoke_award(case: ProcurementCase, grounds: str, *, by: User, now: datetime) -> AwardDecision:
    """落札決定の取消：「落札決定後であっても、この入札に関して連合その他の事由により正当な入札でないことが
    判明したときは、落札決定を取消すことができる」[002 入札心得 第19条]. The bid is then invalid on that
    ground, a draft contract lapses, and the case is back at the award, where the officer decides
    again (the next best, a re-bid or no award). A signed contract is terminated under its 第13条, not
    revoked here."""
    decision = award_of(case)
    if decision is None:
        raise ContractError("取り消す落札決定がありません。")
    grounds = (grounds or "").strip()
    if not grounds:
        raise ContractError("取消の理由（連合その他の事由により正当な入札でないことが判明した事実）を入力してください。",
                            field="grounds")
    contract = active_contract(case)
    if contract is not None and contract.state != ContractState.DRAFT:
        raise ContractError("締結した契約の落札決定は取り消せません。契約の解除（契約書第13条）として扱ってください。")
    if contract is not None:
        contract.state, contract.lapsed_at = ContractState.LAPSED, now
        contract.lapse_reason = f"落札決定の取消（入札心得第19条）：{grounds}"
    decision.lapsed_at, decision.revoked_reason = now, grounds
    if case.state is CaseState.AWARDED:
        case.state = next_state(case.state, Action.LAPSE_AWARD, case.procedure)
    record("award.revoked", decision, actor=by, summary={"case_id": case.id, "bid_id": decision.bid_id,
                                                        "grounds": grounds,
                                                        "contract_id": contract.id if contract else None})
    if decision.bid is not None:
        notify_companies({decision.bid.company_id}, f"「{case.title}」の落札決定は取り消されました（入札心得第19条）。",
                         page("award.results", case_id=case.id))
    db.session.flush()
    return decision


def lapse_overdue(now: datetime) -> list[Contract]:
    """Every draft whose deadline has passed lapses (the daily sweep)."""
    today = to_jst(now).date()
    drafts = db.session.execute(select(Contract).where(Contract.state == ContractState.DRAFT)).scalars().all()
    lapsed = []
    for contract in drafts:
        if is_overdue(contract, today):
            lapse(contract, rules_bids.LAPSE_GROUND, by=None, now=now)
            lapsed.append(contract)
    return lapsed


# --- signature -------------------------------------------------------------------------------

def sign(contract: Contract, contract_number: str, signed_on: date, *, signed_file=None, by: User,
         now: datetime) -> None:
    if contract.state != ContractState.DRAFT:
        raise ContractError("契約書（案）の段階の契約だけ締結を記録できます。")
    number = (contract_number or "").strip()
    if not number:
        raise ContractError("契約番号を入力してください。")
    today = to_jst(now).date()
    if signed_on > today:
        raise ContractError("締結日に未来の日は記録できません。")
    if signed_on < to_jst(contract.award_decision.decided_at).date():
        raise ContractError("締結日が落札者の決定より前です。")
    if signed_on > contract.deadline:
        raise ContractError(f"締結日が契約書の提出期限（{format_wareki(contract.deadline)}）を過ぎています。"
                            "期限を延長してから記録してください。")
    taken = db.session.execute(select(Contract).where(Contract.contract_number == number,
                                                      Contract.id != contract.id)).scalar_one_or_none()
    if taken is not None:
        raise ContractError(f"契約番号「{number}」は別の契約で使われています。")
    case = contract.case
    contract.state, contract.contract_number, contract.signed_on = ContractState.SIGNED, number, signed_on
    contract.signed_version = contract.latest.number
    if signed_file is not None:
        contract.signed_file = signed_file
    case.state = next_state(case.state, Action.CONTRACT, case.procedure)
    record("contract.signed", contract, actor=by, summary={
        "case_id": case.id, "contract_number": number, "signed_on": signed_on.isoformat(),
        "version": contract.signed_version, "amount_total": contract.amount_total,
        "publication_deadline": cond.publication_deadline(contract.conditions, signed_on).isoformat()})
    notify_companies({contract.company_id}, f"「{case.title}」の契約を締結しました（契約番号 {number}）。",
                     page("contracts.show", contract_id=contract.id))
    db.session.flush()


# --- deliverables ----------------------------------------------------------------------------

RULE_FIELDS = ("on", "days", "day", "december_day", "month", "weeks", "fiscal_year_last_month_on_month_end")


def due_rule(row: DueRuleRow) -> rules.DueRule:
    params = dict(row.params or {})
    if params.get("on"):
        params["on"] = date.fromisoformat(params["on"])
    return rules.DueRule(kind=row.kind, title=row.title, **{k: params.get(k) for k in RULE_FIELDS if k in params})


# --- 変更契約 [000/002 契約書 第12条] --------------------------------------------------------

CHANGE_GROUNDS = change_form.GROUNDS


def change_contract(contract: Contract, *, ground: str, reason: str, agreed_on: date, amount_excl: int | None,
                    period_from: date | None, period_to: date | None, by: User, now: datetime) -> ContractChange:
    """A 変更契約: the signed contract's amount (税抜) or period changed by the parties' agreement on
    ``agreed_on``, when it takes effect [第12条第2項]. The earlier terms stay in the versions and in
    the change's ``before``; what the amount drives (penalties, the invoice ceiling) follows the new one."""
    lock_row(Contract, contract.id)  # two officers recording changes at once: one after the other
    if contract.state != ContractState.SIGNED:
        raise ContractError("締結済み（履行中）の契約だけ変更契約を記録できます。")
    if ground not in CHANGE_GROUNDS:
        raise ContractError("変更の事由（第12条第1項 一～四）を選んでください。", field="ground")
    reason = (reason or "").strip()
    if not reason:
        raise ContractError("変更の理由を入力してください。", field="reason")
    today = to_jst(now).date()
    if agreed_on > today:
        raise ContractError("合意の日に未来の日は記録できません。", field="agreed_on")
    assert contract.signed_on is not None
    if agreed_on < contract.signed_on:
        raise ContractError("合意の日が契約の締結日より前です。", field="agreed_on")
    new_amount = contract.amount_excl if amount_excl is None else amount_excl
    new_from = period_from or contract.period_from
    new_to = period_to or contract.period_to
    if new_amount <= 0:
        raise ContractError("契約金額（税抜）は1円以上にしてください。", field="amount_excl")
    if new_to < new_from:
        raise ContractError("契約期間の終期が始期より前です。", field="period_to")
    if (new_amount, new_from, new_to) == (contract.amount_excl, contract.period_from, contract.period_to):
        raise ContractError("変更前と変わるところがありません。")
    billed = sum(i.amount for i in contract.invoices)
    if tax_included(new_amount) < billed:
        raise ContractError(f"変更後の契約金額（{format_yen(tax_included(new_amount))}）が、受理した請求の合計"
                            f"（{format_yen(billed)}）を下回ります。", field="amount_excl")
    outside = [d.title for d in contract.deliverables if not new_from <= d.due_on <= new_to
               and accepted_delivery(d, today) is None]
    if outside:
        raise ContractError("変更後の契約期間の外に期限がある未了の納入物件があります："
                            f"{'、'.join(outside[:5])}{' ほか' if len(outside) > 5 else ''}。先に納入物件の定めを見直してください。")
    before = {"amount_excl": contract.amount_excl, "tax": contract.tax, "amount_total": contract.amount_total,
              "period_from": contract.period_from.isoformat(), "period_to": contract.period_to.isoformat()}
    contract.amount_excl, contract.tax, contract.amount_total = new_amount, consumption_tax(new_amount), tax_included(new_amount)
    contract.period_from, contract.period_to = new_from, new_to
    after = {"amount_excl": contract.amount_excl, "tax": contract.tax, "amount_total": contract.amount_total,
             "period_from": new_from.isoformat(), "period_to": new_to.isoformat()}
    number = (contract.changes[-1].number + 1) if contract.changes else 1
    terms = dict(contract.latest.terms, amount_excl=contract.amount_excl, tax=contract.tax,
                 amount_total=contract.amount_total, period_from=after["period_from"], period_to=after["period_to"])
    version = _add_version(contract, terms, f"変更契約（第{number}回）：{reason}", by=by, now=now)
    change = ContractChange(contract_id=contract.id, number=number, ground=ground, reason=reason, agreed_on=agreed_on,
                            before=before, after=after, version_number=version.number, recorded_at=now,
                            recorded_by_id=by.id)
    db.session.add(change)
    contract.changes.append(change)
    db.session.flush()
    record("contract.changed", contract, actor=by, summary={
        "number": number, "ground": ground, "reason": reason, "agreed_on": agreed_on.isoformat(),
        "before": before, "after": after, "version": version.number})
    notify_companies({contract.company_id}, f"「{contract.case.title}」の変更契約（第{number}回）を記録しました。",
                     page("contracts.show", "changes", contract_id=contract.id))
    return change


def change_data(contract: Contract, change: ContractChange) -> change_form.ContractChangeData:
    """The 変更契約書 form's data."""
    b, a = change.before, change.after
    rows = []
    if b["amount_excl"] != a["amount_excl"]:
        rows.append(change_form.ChangeRow("契約金額", amount_text_of(b["amount_excl"]), amount_text_of(a["amount_excl"])))
    if (b["period_from"], b["period_to"]) != (a["period_from"], a["period_to"]):
        rows.append(change_form.ChangeRow(
            "契約期間", period_text(date.fromisoformat(b["period_from"]), date.fromisoformat(b["period_to"]), broken=True),
            period_text(date.fromisoformat(a["period_from"]), date.fromisoformat(a["period_to"]), broken=True)))
    assert contract.signed_on is not None
    return change_form.ContractChangeData(
        change_number=change.number, contract_number=contract.contract_number or contract.case.reference,
        signed_on=contract.signed_on, case_title=contract.case.title, ground=change.ground, reason=change.reason,
        rows=rows, date=change.agreed_on, **_parties(contract))


# --- 契約不適合 [000/002 第9条; 004 １３．] -----------------------------------------------------

REMEDIES = remedies.REMEDIES


def record_defect(contract: Contract, *, found_on: date, description: str, remedy: str, by: User,
                  now: datetime) -> DefectClaim:
    """A 契約不適合 found in the work, within the period the contract's conditions allow."""
    if contract.state not in (ContractState.SIGNED, ContractState.COMPLETED):
        raise ContractError("締結した契約（履行中・完了）の契約不適合だけ記録できます。")
    description = (description or "").strip()
    if not description:
        raise ContractError("契約不適合の内容を入力してください。", field="description")
    if remedy not in REMEDIES:
        raise ContractError("請求の内容を選んでください。", field="remedy")
    if found_on > to_jst(now).date():
        raise ContractError("発見した日に未来の日は記録できません。", field="found_on")
    assert contract.signed_on is not None
    if found_on < contract.signed_on:
        raise ContractError("発見した日が契約の締結日より前です。", field="found_on")
    window = cond.defect_window(contract.conditions, found_on=found_on, completed_on=contract.completed_on,
                                period_to=contract.period_to)
    if not window.open:
        raise ContractError(window.reason, field="found_on")
    lock_row(Contract, contract.id)
    number = (contract.defects[-1].number + 1) if contract.defects else 1
    claim = DefectClaim(contract_id=contract.id, number=number, found_on=found_on, description=description,
                        remedy=remedy, notice_by=window.notice_by, recorded_at=now, recorded_by_id=by.id)
    db.session.add(claim)
    contract.defects.append(claim)
    db.session.flush()
    record("contract.defect_found", claim, actor=by, summary={
        "contract_id": contract.id, "number": number, "found_on": found_on.isoformat(), "remedy": remedy,
        "notice_by": window.notice_by.isoformat() if window.notice_by else None})
    return claim


def notify_defect(claim: DefectClaim, notified_on: date, *, by: User, now: datetime) -> None:
    """The contractor was told (in writing) of the 契約不適合."""
    if claim.notified_on is not None:
        raise ContractError("この契約不適合は通知済みです。")
    if notified_on > to_jst(now).date():
        raise ContractError("通知した日に未来の日は記録できません。", field="notified_on")
    if notified_on < claim.found_on:
        raise ContractError("通知した日が発見した日より前です。", field="notified_on")
    if claim.notice_by is not None and notified_on > claim.notice_by:
        raise ContractError(f"通知の期限（{format_wareki(claim.notice_by)}）を過ぎた通知です。"
                            "期限を過ぎると請求できません［004 １３．］。", field="notified_on")
    claim.notified_on = notified_on
    record("contract.defect_notified", claim, actor=by, summary={"contract_id": claim.contract_id,
                                                                 "number": claim.number,
                                                                 "notified_on": notified_on.isoformat()})
    notify_companies({claim.contract.company_id},
                     f"「{claim.contract.case.title}」の契約不適合（第{claim.number}号）の通知があります。",
                     page("contracts.show", "defects", contract_id=claim.contract_id))


def resolve_defect(claim: DefectClaim, resolved_on: date, resolution: str, *, by: User, now: datetime) -> None:
    if claim.resolved_on is not None:
        raise ContractError("この契約不適合は解決済みです。")
    if claim.notified_on is None:
        raise ContractError("先に受注者への通知を記録してください。")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ContractError("解決の内容（修補の完了、減額の額など）を入力してください。", field="resolution")
    if resolved_on > to_jst(now).date() or resolved_on < claim.notified_on:
        raise ContractError("解決した日は通知した日から今日までの日にしてください。", field="resolved_on")
    claim.resolved_on, claim.resolution = resolved_on, resolution
    record("contract.defect_resolved", claim, actor=by, summary={"contract_id": claim.contract_id,
                                                                 "number": claim.number,
                                                                 "resolved_on": resolved_on.isoformat()})


# --- 再委託・再請負 [000/002 第2条; 001 第7 2(8); 003 第7条; 004 別記１ 第５条] ---------------------

def submit_subcontract(contract: Contract, *, name: str, address: str, scope: str, amount: int | None, reason: str,
                       by: User, now: datetime) -> Subcontract:
    """The contractor names a subcontractor before the work is handed over: a notice takes effect on
    receipt (IPA), a request waits for the authority's approval (the local seeds)."""
    if contract.state != ContractState.SIGNED:
        raise ContractError("履行中（締結済み）の契約についてだけ届出・承諾の申請ができます。")
    values = {"name": (name or "").strip(), "address": (address or "").strip(), "scope": (scope or "").strip(),
              "reason": (reason or "").strip()}
    labels = {"name": "再委託先の名称", "address": "再委託先の所在地", "scope": "再委託する業務の範囲", "reason": "再委託の理由"}
    for key, label in labels.items():
        if not values[key]:
            raise ContractError(f"{label}を入力してください。", field=key)
    if amount is not None and (amount <= 0 or amount > contract.amount_total):
        raise ContractError("再委託の対価は1円以上、契約金額以下にしてください。", field="amount")
    c = contract.conditions
    lock_row(Contract, contract.id)
    number = (contract.subcontracts[-1].number + 1) if contract.subcontracts else 1
    status = SubcontractStatus.NOTIFIED if c.subcontracting == cond.SUBCONTRACT_NOTICE else SubcontractStatus.PENDING
    row = Subcontract(contract_id=contract.id, number=number, amount=amount, status=status, submitted_at=now,
                      submitted_by_id=by.id, **values)
    db.session.add(row)
    contract.subcontracts.append(row)
    db.session.flush()
    notified = status is SubcontractStatus.NOTIFIED
    record(f"contract.subcontract_{'notified' if notified else 'requested'}", row, actor=by, summary={
        "contract_id": contract.id, "number": number, "name": row.name, "amount": amount})
    if by.role is not Role.OFFICER:
        kind = "再委託の届出" if notified else "再委託の承諾の申請"
        notify([o.user for o in contract.case.officers], f"「{contract.case.title}」に{kind}があります（{row.name}）。",
               page("contracts.show", "subcontracts", contract_id=contract.id))
    return row


def decide_subcontract(row: Subcontract, approve: bool, note: str, *, by: User, now: datetime) -> None:
    if row.status is not SubcontractStatus.PENDING:
        raise ContractError("承諾を待っている申請だけ決定できます。")
    note = (note or "").strip()
    if not approve and not note:
        raise ContractError("承諾しない理由を入力してください。", field="note")
    row.status = SubcontractStatus.APPROVED if approve else SubcontractStatus.REFUSED
    row.decided_at, row.decided_by_id, row.decision_note = now, by.id, note or None
    record(f"contract.subcontract_{row.status.value}", row, actor=by, summary={
        "contract_id": row.contract_id, "number": row.number, "note": note})
    notify_companies({row.contract.company_id}, f"「{row.contract.case.title}」の再委託（{row.name}）を"
                     f"{'承諾しました' if approve else '承諾しませんでした'}。",
                     page("contracts.show", "subcontracts", contract_id=row.contract_id))


def _require_running(contract: Contract) -> None:
    if contract.state not in (ContractState.DRAFT, ContractState.SIGNED):
        raise ContractError(f"「{contract.state_label}」の契約の納入物件は変更できません。")


def add_rule(contract: Contract, rule: rules.DueRule, *, by: User, now: datetime) -> list[Deliverable]:
    """Record a due-date rule and generate its dated items over the contract period."""
    _require_running(contract)
    problems = rules.rule_problems(rule, contract.period_from, contract.period_to)
    if problems:
        raise ContractError(" ".join(problems))
    contract_date = contract.signed_on or contract.period_from
    items = rules.generate(rule, contract.period_from, contract.period_to, contract_date=contract_date,
                           shift_holidays=contract.conditions.shift_holidays)
    params = {k: getattr(rule, k) for k in RULE_FIELDS if getattr(rule, k) not in (None, False)}
    if isinstance(params.get("on"), date):
        params["on"] = params["on"].isoformat()
    row = DueRuleRow(contract_id=contract.id, kind=rule.kind, title=rule.title.strip(), params=params,
                     position=len(contract.rules) + 1)
    db.session.add(row)
    db.session.flush()
    created = []
    for item in items:
        d = Deliverable(contract_id=contract.id, rule_id=row.id, title=item.title, due_on=item.due,
                        period_from=item.period_from, period_to=item.period_to)
        db.session.add(d)
        created.append(d)
    db.session.flush()
    db.session.refresh(contract)
    record("contract.rule_added", row, actor=by, summary={
        "contract_id": contract.id, "kind": rule.kind, "title": row.title, "params": params,
        "describe": rules.describe(rule), "items": [[i.title, i.due.isoformat()] for i in items]})
    return created


def remove_rule(contract: Contract, row: DueRuleRow, *, by: User, now: datetime) -> None:
    _require_running(contract)
    items = [d for d in contract.deliverables if d.rule_id == row.id]
    if any(d.deliveries for d in items):
        raise ContractError("納入の記録がある納入物件を含むため、この期限の定めは削除できません。")
    for d in items:
        db.session.delete(d)
    record("contract.rule_removed", row, actor=by, summary={"contract_id": contract.id, "title": row.title,
                                                           "items": len(items)})
    db.session.delete(row)
    db.session.flush()
    db.session.refresh(contract)


def record_incident(contract: Contract, row: DueRuleRow, incident_on: date, *, by: User, now: datetime) -> Deliverable:
    """Recovery work after an incident ended: its report is due N weeks later (「障害復旧作業後２週間以内」 [004 ９．No.3])."""
    _require_running(contract)
    if row.kind != rules.INCIDENT:
        raise ContractError("障害復旧作業の後に数える期限の定めを選んでください。")
    if incident_on > to_jst(now).date():
        raise ContractError("障害復旧作業を終えた日に未来の日は記録できません。")
    if not contract.period_from <= incident_on <= contract.period_to:
        raise ContractError("障害復旧作業を終えた日が契約期間の外です。")
    due = cond.incident_due(contract.conditions, incident_on, int(row.params["weeks"]))
    item = Deliverable(contract_id=contract.id, rule_id=row.id, title=f"{row.title}（{format_wareki(incident_on)}復旧分）",
                       due_on=due, incident_on=incident_on)
    db.session.add(item)
    db.session.flush()
    record("contract.incident", item, actor=by, summary={"contract_id": contract.id, "incident_on": incident_on.isoformat(),
                                                        "due_on": due.isoformat()})
    db.session.refresh(contract)
    return item


@dataclass(frozen=True)
class ItemStatus:
    code: str  # upcoming / due_soon / overdue / delivered / failed / passed / deemed
    label: str
    overdue: bool


def latest_delivery(item: Deliverable) -> Delivery | None:
    return item.deliveries[-1] if item.deliveries else None


def accepted_delivery(item: Deliverable, today: date) -> Delivery | None:
    """The delivery that passed (or is deemed to have passed), if any."""
    last = latest_delivery(item)
    if last is None:
        return None
    if last.result in (InspectionResult.PASSED, InspectionResult.DEEMED):
        return last
    if last.result is None and _deemed(last, today):
        return last
    return None


def _deemed(delivery: Delivery, today: date) -> bool:
    """「期間内に通知が無いときは、当該期間満了日をもって…合格したものとみなす」[002 第8条第2項]: the day
    after the deadline recorded with the delivery (the contract's conditions made it)."""
    return today > delivery.inspection_due


def status(item: Deliverable, today: date, *, soon_days: int = 14) -> ItemStatus:
    return status_of(item.due_on, latest_delivery(item), today, soon_days=soon_days)


def status_of(due_on: date, last, today: date, *, soon_days: int = 14) -> ItemStatus:
    """A deliverable's status from its due day and its latest delivery (anything with the
    delivery's ``result`` and ``inspection_due``: a Delivery, or a row of those columns)."""
    if last is not None:
        if last.result == InspectionResult.PASSED:
            return ItemStatus("passed", "検査合格", False)
        if last.result == InspectionResult.DEEMED or (last.result is None and _deemed(last, today)):
            return ItemStatus("deemed", "合格とみなす（検査期間の満了）", False)
        if last.result == InspectionResult.FAILED:
            return ItemStatus("failed", "不合格：再納入待ち", True)
        return ItemStatus("delivered", f"納入済：検査待ち（{format_wareki(last.inspection_due)}まで）", False)
    if today > due_on:
        return ItemStatus("overdue", f"納入遅延（{rules.days_late(due_on, today)}日）", True)
    if (due_on - today).days <= soon_days:
        return ItemStatus("due_soon", "期限間近", False)
    return ItemStatus("upcoming", "未納入", False)


def deliver(item: Deliverable, note: str, files: list, *, by: User, now: datetime, earlier_on: date | None = None,
            reason: str = "") -> Delivery:
    """Record a delivery. It counts from the server's date when recorded; an earlier day (paper
    handed in before it was recorded) needs a reason and counts only once an officer confirms it —
    an officer recording it confirms it at once (issue 13 item 9)."""
    contract = item.contract
    if contract.state != ContractState.SIGNED:
        raise ContractError("納入は、契約を締結した後に記録します。")
    today = to_jst(now).date()
    if earlier_on is not None and earlier_on > today:
        raise ContractError("納入日に未来の日は記録できません。")
    if earlier_on == today:
        earlier_on = None
    if earlier_on is not None and not (reason or "").strip():
        raise ContractError("本日より前の納入日を記録するには、その理由（紙で先に納入した等）を入力してください。")
    if earlier_on is not None and earlier_on < contract.signed_on:
        raise ContractError("納入日が契約の締結日より前です。")
    last = latest_delivery(item)
    if last is not None and last.result != InspectionResult.FAILED:
        if last.result is None and not _deemed(last, today):
            raise ContractError("前の納入の検査が終わっていません。")
        raise ContractError("この納入物件は検査に合格しています。")
    if last is not None and earlier_on is not None and earlier_on < last.delivered_on:
        raise ContractError("再納入の日が前の納入日より前です。")
    if not files and not (note or "").strip():
        raise ContractError("納入したファイルを添付するか、納入の内容（紙・媒体など）を備考に書いてください。")
    officer = by.role is Role.OFFICER
    counted = earlier_on if (earlier_on is not None and officer) else today
    delivery = Delivery(deliverable_id=item.id, number=(last.number + 1) if last else 1, delivered_on=counted,
                        note=(note or "").strip(), recorded_by_id=by.id, recorded_at=now,
                        inspection_due=cond.inspection_due(contract.conditions, counted, contract.inspection_days))
    if earlier_on is not None:
        delivery.claimed_on, delivery.claim_reason = earlier_on, reason.strip()
        if officer:
            delivery.claim_decision, delivery.claim_decided_by_id, delivery.claim_decided_at = "confirmed", by.id, now
    db.session.add(delivery)
    item.deliveries.append(delivery)
    for stored in files:
        delivery.files.append(DeliveryFile(stored_file=stored))
    db.session.flush()
    record("contract.delivered", delivery, actor=by, summary={
        "contract_id": contract.id, "deliverable": item.title, "due_on": item.due_on.isoformat(),
        "delivered_on": counted.isoformat(), "recorded_on": today.isoformat(), "number": delivery.number,
        "claimed_on": earlier_on.isoformat() if earlier_on else None, "claim_reason": delivery.claim_reason,
        "claim_decision": delivery.claim_decision, "inspection_due": delivery.inspection_due.isoformat(),
        "files": [[f.stored_file.filename, f.stored_file.sha256] for f in delivery.files]})
    if delivery.claim_pending:
        notify([o.user for o in contract.case.officers],
               f"「{item.title}」の納入日を{format_wareki(earlier_on)}とする申出があります。確認してください。",
               page("contracts.show", "deliverables", contract_id=contract.id))
    return delivery


def decide_claim(delivery: Delivery, confirm: bool, *, by: User, now: datetime) -> None:
    """The officer confirms (or refuses) an earlier delivery day the contractor claimed."""
    if not delivery.claim_pending:
        raise ContractError("確認を待っている納入日の申出はありません。")
    if delivery.result is not None:
        raise ContractError("検査の後は、納入日を変更できません。")
    before = delivery.delivered_on
    delivery.claim_decision, delivery.claim_decided_by_id, delivery.claim_decided_at = (
        "confirmed" if confirm else "refused", by.id, now)
    if confirm:
        delivery.delivered_on = delivery.claimed_on
        contract = delivery.deliverable.contract
        delivery.inspection_due = cond.inspection_due(contract.conditions, delivery.claimed_on, contract.inspection_days)
    record("contract.delivery_date_" + ("confirmed" if confirm else "refused"), delivery, actor=by, summary={
        "claimed_on": delivery.claimed_on.isoformat(), "reason": delivery.claim_reason,
        "delivered_on": [before.isoformat(), delivery.delivered_on.isoformat()]})


def inspect(delivery: Delivery, passed: bool, inspected_on: date, findings: str, *, by: User, now: datetime) -> None:
    item = delivery.deliverable
    contract = item.contract
    if delivery is not latest_delivery(item) or delivery.result is not None:
        raise ContractError("この納入は検査済みです。")
    today = to_jst(now).date()
    if inspected_on > today:
        raise ContractError("検査日に未来の日は記録できません。")
    if inspected_on < delivery.delivered_on:
        raise ContractError("検査日が納入日より前です。")
    findings = (findings or "").strip()
    if not passed and not findings:
        raise ContractError("不合格のときは、基準に適合しない事実の概要を記入してください（乙に通知します）。")
    if inspected_on > delivery.inspection_due:
        raise ContractError(f"検査期限（{format_wareki(delivery.inspection_due)}）を過ぎた検査は記録できません。"
                            "期間内に通知がなかったため合格とみなされます。")
    delivery.result = InspectionResult.PASSED if passed else InspectionResult.FAILED
    delivery.inspected_on, delivery.findings, delivery.inspected_by_id = inspected_on, findings, by.id
    record("contract.inspected", delivery, actor=by, summary={
        "contract_id": contract.id, "deliverable": item.title, "result": delivery.result,
        "inspected_on": inspected_on.isoformat(), "findings": findings})
    message = (f"「{item.title}」は検査に合格しました。" if passed else
               f"「{item.title}」は検査の結果、不合格です。内容を確認して再納入してください：{findings}")
    notify_companies({contract.company_id}, message, page("contracts.show", contract_id=contract.id))
    db.session.flush()


#: How many days ahead the daily sweep reminds of a deadline (契約書の提出, 納入, 検査).
REMIND_DAYS = 3


def remind_deadlines(now: datetime) -> int:
    """The daily sweep's reminders: the contractor of a signed contract's deliverable due within
    ``REMIND_DAYS`` and of one overdue, of a contract to hand in by its deadline; the case's
    officers of an inspection due. Each reminder is told once (its key names the item and the
    date), however often the sweep runs. Returns how many people were told."""
    today = to_jst(now).date()
    soon = today + timedelta(days=REMIND_DAYS)
    told = 0
    for contract in db.session.execute(select(Contract).where(Contract.state == ContractState.DRAFT)).scalars():
        if today <= contract.deadline <= soon:
            told += notify_companies({contract.company_id}, f"「{contract.case.title}」の記名押印した契約書の提出期限は"
                                     f"{format_wareki(contract.deadline, weekday=True)}です。期限までに提出してください。",
                                     page("contracts.show", contract_id=contract.id),
                                     key=f"sign:{contract.id}:{contract.deadline.isoformat()}")
    delivered = exists().where(Delivery.deliverable_id == Deliverable.id)
    items = db.session.execute(select(Deliverable).join(Contract, Deliverable.contract_id == Contract.id)
                               .where(Contract.state == ContractState.SIGNED, ~delivered, Deliverable.due_on <= soon)
                               .options(contains_eager(Deliverable.contract))).scalars().all()
    for item in items:
        link = page("contracts.show", f"item-{item.id}", contract_id=item.contract_id)
        if item.due_on >= today:
            told += notify_companies({item.contract.company_id}, f"「{item.title}」（{item.contract.case.title}）の納入期限は"
                                     f"{format_wareki(item.due_on, weekday=True)}です。", link,
                                     key=f"due:{item.id}:{item.due_on.isoformat()}")
        else:
            told += notify_companies({item.contract.company_id}, f"「{item.title}」（{item.contract.case.title}）は納入期限"
                                     f"（{format_wareki(item.due_on, weekday=True)}）を過ぎています。遅延日数に応じた遅延違約金の対象となります。",
                                     link, key=f"overdue:{item.id}:{item.due_on.isoformat()}")
    waiting = db.session.execute(select(Delivery).where(Delivery.result.is_(None), Delivery.inspection_due >= today,
                                                        Delivery.inspection_due <= soon)).scalars().all()
    for delivery in waiting:
        contract = delivery.deliverable.contract
        told += notify([o.user for o in contract.case.officers],
                       f"「{delivery.deliverable.title}」の検査期限は{format_wareki(delivery.inspection_due, weekday=True)}です。"
                       "期限までに結果を通知しないと合格とみなされます。",
                       page("contracts.show", f"item-{delivery.deliverable_id}", contract_id=contract.id),
                       key=f"inspect:{delivery.id}:{delivery.inspection_due.isoformat()}")
    return told


def record_deemed(now: datetime) -> list[Delivery]:
    """Persist the deemed passes (no notice within the inspection period): the daily sweep."""
    today = to_jst(now).date()
    pending = db.session.execute(select(Delivery).where(Delivery.result.is_(None),
                                                        Delivery.inspection_due < today)).scalars().all()
    for delivery in pending:
        delivery.result, delivery.inspected_on = InspectionResult.DEEMED, delivery.inspection_due
        record("contract.deemed_passed", delivery, actor=None, summary={
            "contract_id": delivery.deliverable.contract_id, "deliverable": delivery.deliverable.title,
            "inspection_due": delivery.inspection_due.isoformat()})
    db.session.flush()
    return pending


def late_damages(item: Deliverable, today: date) -> rules.Calculation | None:
    """遅延損害金 of a deliverable delivered (or still not delivered) after its due date."""
    first = item.deliveries[0] if item.deliveries else None
    done = first.delivered_on if first else today
    if rules.days_late(item.due_on, done) == 0:
        return None
    return rules.late_damages(item.contract.amount_total, item.due_on, done)


# --- invoices and payment --------------------------------------------------------------------

def receive_invoice(contract: Contract, amount: int, received_on: date, deliverable: Deliverable | None, *,
                    by: User, now: datetime) -> Invoice:
    if contract.state not in (ContractState.SIGNED, ContractState.COMPLETED):
        raise ContractError("請求書は、契約を締結した後に受け付けます。")
    if received_on > to_jst(now).date():
        raise ContractError("受理日に未来の日は記録できません。")
    if amount <= 0:
        raise ContractError("請求金額は1円以上にしてください。")
    billed = sum(i.amount for i in contract.invoices)
    ceiling = payable_total(contract)
    if billed + amount > ceiling:
        what = "精算した額" if contract.settlement is not None else "契約金額"
        raise ContractError(f"請求の合計（{format_yen(billed + amount)}）が{what}{format_yen(ceiling)}を超えます。")
    if deliverable is not None and accepted_delivery(deliverable, to_jst(now).date()) is None:
        raise ContractError("検査に合格していない納入物件の対価は請求できません。")
    invoice = Invoice(contract_id=contract.id, deliverable_id=deliverable.id if deliverable else None, amount=amount,
                      received_on=received_on, due_on=cond.payment_due(contract.conditions, received_on), recorded_by_id=by.id,
                      recorded_at=now)
    db.session.add(invoice)
    contract.invoices.append(invoice)
    db.session.flush()
    record("contract.invoice_received", invoice, actor=by, summary={
        "contract_id": contract.id, "amount": amount, "received_on": received_on.isoformat(),
        "due_on": invoice.due_on.isoformat()})
    return invoice


def payable_total(contract: Contract) -> int:
    """What the authority pays in all: the settled amount of a unit-price contract once settled,
    otherwise the contract amount (税込)."""
    return contract.settlement.amount_total if contract.settlement is not None else contract.amount_total


# --- 数量精算 (unit-price contracts) ---------------------------------------------------------------

def breakdown(contract: Contract) -> list[rules_bids.BreakdownLine]:
    """The contract's priced lines, from the winning bid's 入札内訳書 (planned quantities)."""
    return [rules_bids.BreakdownLine(str(line["item"]), int(line["quantity"]), str(line.get("unit", "")),
                                     int(line["unit_price"])) for line in (contract.bid.breakdown or [])]


def settleable_lines(contract: Contract) -> list[tuple[int, rules_bids.BreakdownLine]]:
    """The unit-priced lines (単価 × 予定数量) a settlement asks the actual quantity of."""
    lines = breakdown(contract)
    return [(i, lines[i]) for i in settlement_rules.unit_priced_lines(lines)]


def settle(contract: Contract, actual: dict[int, int], settled_on: date, note: str, *, by: User,
           now: datetime) -> Settlement:
    """Fix the amount payable from the actual quantities [002 第5条, 入札内訳書 注1]."""
    if contract.state not in (ContractState.SIGNED, ContractState.COMPLETED):
        raise ContractError("数量の精算は、契約を締結した後に行います。")
    if contract.settlement is not None:
        raise ContractError("この契約は精算済みです。")
    today = to_jst(now).date()
    if settled_on > today:
        raise ContractError("精算の日に未来の日は記録できません。")
    if contract.signed_on is not None and settled_on < contract.signed_on:
        raise ContractError("精算の日が契約の締結日より前です。")
    lines = breakdown(contract)
    try:
        result = settlement_rules.settle(lines, actual)
    except ValueError as exc:
        raise ContractError(str(exc)) from exc
    if result.planned_excl != contract.amount_excl:
        raise ContractError(f"内訳の合計（{format_yen(result.planned_excl)}）が現在の契約金額（税抜）"
                            f"{format_yen(contract.amount_excl)}と一致しません。変更契約で金額が変わった契約は、"
                            "変更後の額で請求してください。")
    billed = sum(i.amount for i in contract.invoices)
    if billed > result.amount_total:
        raise ContractError(f"すでに受理した請求の合計（{format_yen(billed)}）が精算した額"
                            f"{format_yen(result.amount_total)}を超えます。")
    row = Settlement(contract_id=contract.id, actual={str(k): v for k, v in actual.items()},
                     amount_excl=result.amount_excl, tax=result.tax, amount_total=result.amount_total,
                     settled_on=settled_on, note=note, recorded_at=now, recorded_by_id=by.id)
    db.session.add(row)
    contract.settlement = row
    db.session.flush()
    record("contract.settled", row, actor=by, summary={
        "contract_id": contract.id, "actual": row.actual, "amount_excl": result.amount_excl, "tax": result.tax,
        "amount_total": result.amount_total, "reduction_excl": result.reduction_excl,
        "settled_on": settled_on.isoformat(), "formula": result.formula})
    return row


def settlement_result(contract: Contract) -> settlement_rules.Settlement | None:
    """The recorded settlement's lines and arithmetic, for the page."""
    if contract.settlement is None:
        return None
    return settlement_rules.settle(breakdown(contract), {int(k): v for k, v in contract.settlement.actual.items()})


def pay(invoice: Invoice, paid_on: date, *, by: User, now: datetime) -> None:
    if invoice.paid_on is not None:
        raise ContractError("この請求は支払済みです。")
    if paid_on > to_jst(now).date():
        raise ContractError("支払日に未来の日は記録できません。")
    if paid_on < invoice.received_on:
        raise ContractError("支払日が請求書の受理日より前です。")
    invoice.paid_on = paid_on
    interest = late_interest(invoice, paid_on)
    record("contract.paid", invoice, actor=by, summary={
        "contract_id": invoice.contract_id, "amount": invoice.amount, "paid_on": paid_on.isoformat(),
        "due_on": invoice.due_on.isoformat(), "late_days": rules.days_late(invoice.due_on, paid_on),
        **({"late_interest": interest.calculation.amount, "late_interest_formula": interest.calculation.formula}
           if interest.calculation is not None and interest.calculation.amount else {})})
    db.session.flush()


@dataclass(frozen=True)
class LateInterest:
    """The interest the authority owes on an invoice paid (or still unpaid) after its deadline:
    the calculation, or None with the reason (no rate known for the contract's date)."""

    calculation: rules.Calculation | None
    rate: late_payment.ContractRate


def late_interest(invoice: Invoice, on: date) -> LateInterest:
    """遅延利息 on the invoice if paid on ``on`` [000・002 第10条第2項]; zero when not late."""
    contract = invoice.contract
    rate = late_payment.contract_rate(contract.conditions, contract.signed_on)
    if rate.percent is None:
        return LateInterest(None, rate)
    return LateInterest(late_payment.authority_interest(contract.conditions, invoice.amount, invoice.due_on, on,
                                                        rate.percent, rate.source), rate)


def complete(contract: Contract, completed_on: date, *, by: User, now: datetime) -> None:
    """履行完了: every deliverable accepted."""
    if contract.state != ContractState.SIGNED:
        raise ContractError("締結した契約だけを完了にできます。")
    today = to_jst(now).date()
    waiting = [d.title for d in contract.deliverables if accepted_delivery(d, today) is None]
    if waiting:
        raise ContractError(f"検査に合格していない納入物件があります：{'、'.join(waiting[:5])}"
                            + ("ほか" if len(waiting) > 5 else ""))
    if completed_on > today or completed_on < contract.signed_on:
        raise ContractError("完了日は締結日から今日までの日にしてください。")
    contract.state, contract.completed_on = ContractState.COMPLETED, completed_on
    case = contract.case
    case.state = next_state(case.state, Action.CLOSE, case.procedure)
    record("contract.completed", contract, actor=by, summary={"completed_on": completed_on.isoformat()})
    db.session.flush()


# --- publication -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Penalties:
    """What the contract's conditions make of its amount: the penalty on termination (or why it
    cannot be computed yet), the collusion amounts, and the cap on damages."""

    termination: rules.Calculation | None
    missing: str | None
    collusion: list[cond.CollusionAmount]
    damages_limit: int | None


def penalties(contract: Contract) -> Penalties:
    c = contract.conditions
    yearly = [tax_included(p["amount_excl"]) for p in contract.latest.terms.get("period_amounts", [])]
    unit_lines = [(line.item, line.unit_price, line.quantity) for line in breakdown(contract)]
    termination, missing = cond.penalty_on_termination(c, amount=contract.amount_total, yearly=yearly,
                                                       unit_lines=unit_lines,
                                                       period=(contract.period_from, contract.period_to))
    return Penalties(termination, missing, cond.collusion_amounts(c, contract.amount_total),
                     cond.damages_limit(c, contract.amount_total))


def publication_deadline(contract: Contract) -> date | None:
    return cond.publication_deadline(contract.conditions, contract.signed_on) if contract.signed_on else None


def publish(contract: Contract, published_on: date, *, by: User, now: datetime) -> None:
    if contract.signed_on is None:
        raise ContractError("締結した契約だけを公表します。")
    if contract.published_on is not None:
        raise ContractError("公表済みです。")
    if published_on < contract.signed_on or published_on > to_jst(now).date():
        raise ContractError("公表日は締結日から今日までの日にしてください。")
    contract.published_on = published_on
    record("contract.published", contract, actor=by, summary={
        "published_on": published_on.isoformat(), "deadline": publication_deadline(contract).isoformat(),
        "disclosure": disclosure(contract)})
    db.session.flush()


def disclosure(contract: Contract) -> dict:
    """契約に係る情報の公表の記載事項."""
    company = contract.company
    return {"title": contract.case.title, "quantity": contract.quantity,
            "contract_date": contract.signed_on.isoformat() if contract.signed_on else None,
            "contractor": company.name, "contractor_address": company.address,
            "corporate_number": company.corporate_number or "", "amount_total": contract.amount_total,
            "procedure": contract.case.procedure.label, "one_bidder": contract.one_bidder}


def publication_state(contract: Contract, today: date, *, soon_days: int = 14) -> tuple[date, str]:
    """A signed contract's publication deadline, and whether it is published, past, near or ahead."""
    return _publication_state(publication_deadline(contract), contract.published_on, today, soon_days)


def listed_publication_state(row, today: date, *, soon_days: int = 14) -> tuple[date, str]:
    """``publication_state`` of a contract read as ``LISTED_COLUMNS``."""
    deadline = cond.publication_deadline(cond.from_dict(row.conditions_data), row.signed_on)
    return _publication_state(deadline, row.published_on, today, soon_days)


def _publication_state(deadline: date, published_on: date | None, today: date, soon_days: int) -> tuple[date, str]:
    if published_on is not None:
        return deadline, "published"
    if today > deadline:
        return deadline, "overdue"
    if (deadline - today).days <= soon_days:
        return deadline, "soon"
    return deadline, "pending"


#: A contract as a list shows it (its case and company), without the deliverables and invoices
#: every contract otherwise brings along (a list of 25 read 300 deliverables it never showed).
AS_LISTED = (lazyload(Contract.deliverables), lazyload(Contract.invoices))


#: What a list page shows of a contract, read as columns with its case's title and its company's
#: name in the one statement (contracts read whole, and their names by a second statement, cost
#: twice as much: most of it making the objects).
LISTED_COLUMNS = (Contract.id, Contract.state, Contract.signed_on, Contract.amount_total, Contract.one_bidder,
                  Contract.published_on, Contract.conditions_data, Contract.submission_deadline, Contract.extended_deadline,
                  func.coalesce(Contract.extended_deadline, Contract.submission_deadline).label("deadline"),
                  ProcurementCase.title.label("case_title"), Company.name.label("company_name"))


def listed(*where):
    """The statement of the contracts a list shows (``LISTED_COLUMNS``), those that meet ``where``."""
    return (select(*LISTED_COLUMNS).join(ProcurementCase, ProcurementCase.id == Contract.case_id)
            .join(Company, Company.id == Contract.company_id).where(*where))


def signed_contracts():
    """The statement of every signed contract (the list pages it by keyset; the CSV reads it all)."""
    return select(Contract).where(Contract.signed_on.is_not(None)).options(*AS_LISTED)


def publication_list(today: date) -> list[tuple[Contract, date, str]]:
    """Every signed contract with its publication deadline and state, oldest first (the CSV)."""
    rows = db.session.execute(signed_contracts().order_by(Contract.signed_on, Contract.id)).scalars().all()
    return [(contract, *publication_state(contract, today)) for contract in rows]
