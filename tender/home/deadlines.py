"""The deadlines a user should see on the home page, across cases: what is due, and what is late.

Officers see their own cases: questions to answer, openings, contract signatures, deliverables
due, inspections due, payments due, publications. A contractor sees its own contracts: the signed
contract to hand in, deliverables (and re-deliveries) due, payments to expect.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, bindparam, exists, func, or_, select
from sqlalchemy.orm import contains_eager, lazyload

from tender.bidding.models import BidRound, RoundState
from tender.contracts import operations as contracts
from tender.contracts.models import (
    Contract,
    ContractState,
    DefectClaim,
    Deliverable,
    Delivery,
    InspectionResult,
    Invoice,
)
from tender.extensions import among, among_named, db
from tender.notices.models import CaseOfficer, ProcurementCase, Question
from tender.notifications.operations import page
from tender.rules import conditions as cond
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


#: The most a home page lists, the most urgent first; the rest are on each contract's page.
SHOWN = 50


@dataclass
class Deadlines:
    """The deadlines a home page lists, and whether more were left off (``SHOWN`` at most)."""

    items: list[Deadline]
    more: bool = False

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def _capped(rows: list[Deadline], more: bool = False) -> Deadlines:
    rows = _sorted(rows)
    return Deadlines(rows[:SHOWN], more or len(rows) > SHOWN)


#: What a deadline names of its contract: the case's title (not the company, nor the contract's
#: other deliverables and invoices).
_THE_CASE_ONLY = (lazyload(Contract.company), lazyload(Contract.deliverables), lazyload(Contract.invoices))


@cache
def _statements(dialect: str, officer: bool) -> dict[str, Any]:
    """The statements of the contract deadlines, built once for each reader (building them cost
    more than running them). The contracts are an officer's cases' (the parameter ``case_ids``) or
    a company's (``company_id``); the dates come as ``until``, ``year_ago`` and ``horizon_year_ago``.
    Each reads the earliest ``SHOWN`` + 1 of its kind (their dates order them: what is overdue is
    earliest), to tell whether there were more."""
    which = (among_named(Contract.case_id, "case_ids") if officer
             else Contract.company_id == bindparam("company_id", type_=Integer))
    until = bindparam("until", type_=Date)
    # Deliverables not yet accepted (passed or deemed), due within the horizon or already delivered.
    accepted = exists().where(Delivery.deliverable_id == Deliverable.id,
                              Delivery.result.in_([InspectionResult.PASSED, InspectionResult.DEEMED]))
    delivered = exists().where(Delivery.deliverable_id == Deliverable.id)
    out = {
        "drafts": select(Contract).where(which, Contract.state == ContractState.DRAFT)
        .order_by(func.coalesce(Contract.extended_deadline, Contract.submission_deadline), Contract.id)
        .options(*contracts.AS_LISTED),
        # As columns, with their case's title: a busy contractor has 50 of them on the page.
        "deliverables": select(Deliverable.id, Deliverable.title, Deliverable.due_on, Deliverable.contract_id,
                               ProcurementCase.title.label("case_title"))
        .join(Contract, Deliverable.contract_id == Contract.id).join(ProcurementCase, ProcurementCase.id == Contract.case_id)
        .where(which, Contract.state == ContractState.SIGNED, ~accepted, or_(Deliverable.due_on <= until, delivered))
        .order_by(Deliverable.due_on, Deliverable.id),
        "invoices": select(Invoice).join(Contract, Invoice.contract_id == Contract.id)
        .where(which, Contract.state == ContractState.SIGNED, Invoice.paid_on.is_(None))
        .order_by(Invoice.due_on, Invoice.id).options(contains_eager(Invoice.contract).options(*_THE_CASE_ONLY)),
    }
    if officer:
        # 契約不適合: the notice due a year after it was found [004 １３．], and the end of the period in
        # which one may still be found [000/002 第9条; 004 １３．].
        out["defects"] = (
            select(DefectClaim).join(Contract, DefectClaim.contract_id == Contract.id)
            .where(which, DefectClaim.notified_on.is_(None), DefectClaim.notice_by.is_not(None))
            .order_by(DefectClaim.notice_by, DefectClaim.id).options(contains_eager(DefectClaim.contract)
                                                                     .options(*_THE_CASE_ONLY)))
        year_ago, horizon_year_ago = bindparam("year_ago", type_=Date), bindparam("horizon_year_ago", type_=Date)
        out["completed"] = (
            select(Contract).where(which, Contract.state == ContractState.COMPLETED,
                                   or_(Contract.completed_on.between(year_ago, horizon_year_ago),
                                       Contract.period_to.between(year_ago, horizon_year_ago)))
            .order_by(Contract.completed_on, Contract.id).options(*_THE_CASE_ONLY))
        out["unpublished"] = (
            select(Contract).where(which, Contract.state == ContractState.SIGNED, Contract.published_on.is_(None))
            .order_by(Contract.signed_on, Contract.id).options(*_THE_CASE_ONLY))
    return {name: stmt.limit(SHOWN + 1) for name, stmt in out.items()}


def _latest_deliveries(ids: list[int]) -> dict[int, Any]:
    """Each deliverable's latest delivery (its result and inspection deadline), in one statement."""
    if not ids:
        return {}
    rows = db.session.execute(select(Delivery.deliverable_id, Delivery.result, Delivery.inspection_due)
                              .where(among(Delivery.deliverable_id, ids))
                              .order_by(Delivery.deliverable_id, Delivery.number)).all()
    return {row.deliverable_id: row for row in rows}  # the last of each wins


def _contract_deadlines(reader: dict[str, Any], today: date, until: date, *, officer: bool
                        ) -> tuple[list[Deadline], bool]:
    """The deadlines of the contracts of ``reader`` (``{"case_ids": [...]}`` for an officer's cases,
    ``{"company_id": n}`` for a company's), read in SQL so that a company with hundreds of
    contracts loads only what is due, the earliest ``SHOWN`` of each kind; and whether any kind
    had more."""
    out: list[Deadline] = []
    more = False
    statements = _statements(db.session.get_bind().dialect.name, officer)
    params = {**reader, "until": until, "year_ago": today - timedelta(days=366),
              "horizon_year_ago": until - timedelta(days=365)}

    def earliest(name: str, scalars: bool = True):
        nonlocal more
        result = db.session.execute(statements[name], params)
        rows = (result.scalars() if scalars else result).all()
        more = more or len(rows) > SHOWN
        return rows[:SHOWN]

    for contract in earliest("drafts"):
        out.append(Deadline(contract.deadline, "契約書の提出", f"{contract.company.name}の記名押印した契約書",
                            contract.case.title, page("contracts.show", contract_id=contract.id),
                            today > contract.deadline))
    items = earliest("deliverables", scalars=False)
    latest = _latest_deliveries([item.id for item in items])
    for item in items:
        last = latest.get(item.id)
        state = contracts.status_of(item.due_on, last, today)
        anchor = page("contracts.show", f"item-{item.id}", contract_id=item.contract_id)
        title = item.case_title
        if state.code in ("upcoming", "due_soon", "overdue") and item.due_on <= until:
            out.append(Deadline(item.due_on, "納入", item.title, title, anchor, state.overdue))
        elif state.code == "failed":
            out.append(Deadline(item.due_on, "再納入", item.title, title, anchor, True))
        elif officer and state.code == "delivered":
            out.append(Deadline(last.inspection_due, "検査", item.title, title, anchor, today > last.inspection_due))
    for invoice in earliest("invoices"):
        out.append(Deadline(invoice.due_on, "支払" if officer else "支払（予定）", f"請求 {invoice.amount:,}円",
                            invoice.contract.case.title,
                            page("contracts.show", "payments", contract_id=invoice.contract_id),
                            today > invoice.due_on))
    if officer:
        for claim in earliest("defects"):
            assert claim.notice_by is not None
            out.append(Deadline(claim.notice_by, "契約不適合の通知", f"第{claim.number}号 {claim.description[:30]}",
                                claim.contract.case.title,
                                page("contracts.show", "defects", contract_id=claim.contract_id), today > claim.notice_by))
        for contract in earliest("completed"):
            end = cond.defect_period_end(contract.conditions, completed_on=contract.completed_on,
                                         period_to=contract.period_to)
            if end is not None and today <= end <= until:
                out.append(Deadline(end, "契約不適合の請求期間の終わり", "この日までに見つけた契約不適合を請求できます",
                                    contract.case.title, page("contracts.show", "defects", contract_id=contract.id),
                                    False))
        for contract in earliest("unpublished"):
            deadline = contracts.publication_deadline(contract)
            if deadline <= until or today > deadline:
                out.append(Deadline(deadline, "契約の公表", "契約に係る情報の公表", contract.case.title,
                                    page("contracts.show", "publication", contract_id=contract.id),
                                    today > deadline))
    return out, more


@cache
def _officer_cases():
    """The officer's open cases (the parameter ``user_id``) as columns, each with its count of
    unanswered questions and whether a round of it is opened: one statement, built once."""
    unanswered = (select(func.count()).where(Question.case_id == ProcurementCase.id, Question.published_at.is_(None))
                  .scalar_subquery())
    opened = exists().where(BidRound.case_id == ProcurementCase.id, BidRound.state == RoundState.OPENED)
    return (select(ProcurementCase.id, ProcurementCase.state, ProcurementCase.title, ProcurementCase.submission_deadline,
                   ProcurementCase.opening_at, unanswered.label("unanswered"), opened.label("opened"))
            .join(CaseOfficer, CaseOfficer.case_id == ProcurementCase.id)
            .where(CaseOfficer.user_id == bindparam("user_id", type_=Integer),
                   ProcurementCase.state.not_in([CaseState.DRAFT, CaseState.CLOSED, CaseState.CANCELLED])))


def officer_deadlines(user, today: date, horizon: int = HORIZON_DAYS) -> Deadlines:
    until = today + timedelta(days=horizon)
    cases = db.session.execute(_officer_cases(), {"user_id": user.id}).all()
    out: list[Deadline] = []
    ids = [c.id for c in cases]
    if not ids:
        return Deadlines(out)
    for case in cases:
        if case.state == CaseState.PUBLISHED and case.submission_deadline and case.unanswered:
            on = to_jst(case.submission_deadline).date()
            out.append(Deadline(on, "質問への回答", f"未回答の質問 {case.unanswered}件（提出期限までに回答）", case.title,
                                page("cases.show", "questions", case_id=case.id), today > on))
        if case.state in (CaseState.PUBLISHED, CaseState.SUBMISSIONS_CLOSED) and case.opening_at:
            on = to_jst(case.opening_at).date()
            if on <= until and not case.opened:
                out.append(Deadline(on, "開札", f"開札 {to_jst(case.opening_at):%H:%M}", case.title,
                                    page("bidding.opening", case_id=case.id), today > on))
    found, more = _contract_deadlines({"case_ids": ids}, today, until, officer=True)
    return _capped(out + found, more)


def company_deadlines(company_id: int, today: date, horizon: int = HORIZON_DAYS) -> Deadlines:
    until = today + timedelta(days=horizon)
    found, more = _contract_deadlines({"company_id": company_id}, today, until, officer=False)
    return _capped(found, more)


__all__ = ["Deadline", "Deadlines", "HORIZON_DAYS", "SHOWN", "company_deadlines", "officer_deadlines"]
