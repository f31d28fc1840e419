"""The deadlines a user should see on the home page, across cases: what is due, and what is late.

Officers see their own cases: questions to answer, openings, contract signatures, deliverables
due, inspections due, payments due, publications. A contractor sees its own contracts: the signed
contract to hand in, deliverables (and re-deliveries) due, payments to expect.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from tender.bidding.models import BidRound, RoundState
from tender.contracts import operations as contracts
from tender.contracts.models import Contract, ContractState
from tender.extensions import db
from tender.notices.models import CaseOfficer, ProcurementCase, Question
from tender.notifications.operations import page
from tender.rules.calendar import to_jst
from tender.rules.lifecycle import CaseState

#: How far ahead the home page looks.
HORIZON_DAYS = 45


@dataclass(frozen=True)
class Deadline:
    on: date
    kind: str
    title: str
    case_title: str
    url: str
    overdue: bool


def _sorted(rows: list[Deadline]) -> list[Deadline]:
    return sorted(rows, key=lambda d: (not d.overdue, d.on, d.kind, d.title))


def _contract_items(contract: Contract, today: date, until: date, *, officer: bool) -> list[Deadline]:
    out: list[Deadline] = []
    url = page("contracts.show", contract_id=contract.id)
    title = contract.case.title
    if contract.state == ContractState.DRAFT:
        out.append(Deadline(contract.deadline, "契約書の提出", f"{contract.company.name}の記名押印した契約書", title, url,
                            today > contract.deadline))
        return out
    if contract.state != ContractState.SIGNED:
        return out
    for item in contract.deliverables:
        state = contracts.status(item, today)
        anchor = f"{url}#item-{item.id}"
        if state.code in ("upcoming", "due_soon", "overdue") and item.due_on <= until:
            out.append(Deadline(item.due_on, "納入", item.title, title, anchor, state.overdue))
        elif state.code == "failed":
            out.append(Deadline(item.due_on, "再納入", item.title, title, anchor, True))
        elif officer and state.code == "delivered":
            due = item.deliveries[-1].inspection_due
            out.append(Deadline(due, "検査", item.title, title, anchor, today > due))
    for invoice in contract.invoices:
        if invoice.paid_on is None:
            out.append(Deadline(invoice.due_on, "支払" if officer else "支払（予定）", f"請求 {invoice.amount:,}円", title,
                                f"{url}#payments", today > invoice.due_on))
    if officer and contract.published_on is None:
        deadline = contracts.publication_deadline(contract)
        if deadline <= until or today > deadline:
            out.append(Deadline(deadline, "契約の公表", "契約に係る情報の公表", title, f"{url}#publication", today > deadline))
    return out


def officer_deadlines(user, today: date, horizon: int = HORIZON_DAYS) -> list[Deadline]:
    until = today + timedelta(days=horizon)
    cases = db.session.execute(select(ProcurementCase).join(CaseOfficer).where(
        CaseOfficer.user_id == user.id, ProcurementCase.state.not_in(
            [CaseState.DRAFT, CaseState.CLOSED, CaseState.CANCELLED]))).scalars().all()
    out: list[Deadline] = []
    ids = [c.id for c in cases]
    if not ids:
        return out
    # Two queries for all the cases, not two per case.
    unanswered = dict(db.session.execute(
        select(Question.case_id, db.func.count()).where(Question.case_id.in_(ids), Question.published_at.is_(None))
        .group_by(Question.case_id)).all())
    opened = set(db.session.execute(select(BidRound.case_id).where(
        BidRound.case_id.in_(ids), BidRound.state == RoundState.OPENED)).scalars())
    for case in cases:
        if case.state == CaseState.PUBLISHED and case.submission_deadline and unanswered.get(case.id):
            on = to_jst(case.submission_deadline).date()
            out.append(Deadline(on, "質問への回答", f"未回答の質問 {unanswered[case.id]}件（提出期限までに回答）", case.title,
                                page("cases.show", "questions", case_id=case.id), today > on))
        if case.state in (CaseState.PUBLISHED, CaseState.SUBMISSIONS_CLOSED) and case.opening_at:
            on = to_jst(case.opening_at).date()
            if on <= until and case.id not in opened:
                out.append(Deadline(on, "開札", f"開札 {to_jst(case.opening_at):%H:%M}", case.title,
                                    page("bidding.opening", case_id=case.id), today > on))
    for contract in db.session.execute(select(Contract).where(Contract.case_id.in_(ids))).scalars():
        out += _contract_items(contract, today, until, officer=True)
    return _sorted(out)


def company_deadlines(company_id: int, today: date, horizon: int = HORIZON_DAYS) -> list[Deadline]:
    until = today + timedelta(days=horizon)
    out: list[Deadline] = []
    for contract in db.session.execute(select(Contract).where(Contract.company_id == company_id)).scalars():
        out += _contract_items(contract, today, until, officer=False)
    return _sorted(out)


__all__ = ["Deadline", "HORIZON_DAYS", "company_deadlines", "officer_deadlines"]
