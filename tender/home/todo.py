"""What waits for me: each role's to-do list on its home page (issue 19, hand-offs).

A task is something this user can do now and that nobody else will do for them: the opening a
second official must confirm, the award after an opening, the draft contract after an award, the
participation confirmations to review, the evaluator's declaration and marks, the chair's consensus,
a bid the company registered for and has not sent. Each names its deadline when it has one, and the
list is ordered by it (the tasks with none come after, oldest first). The deadlines of contracts
and deliverables are in ``tender.home.deadlines``.

Each list is read in a fixed number of statements, whatever the number of cases.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Integer, and_, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from tender.accounts.models import User
from tender.award.models import AwardDecision, DecisionKind
from tender.bidding.models import Bid, BidDecline, BidRound, RoundState
from tender.companies.models import Company
from tender.contracts.models import Contract, ContractState
from tender.evaluation import panel
from tender.evaluation.models import EvaluatorAssignment, TechnicalSignoff
from tender.extensions import db
from tender.notices.models import CaseOfficer, CaseRegistration, Participation, ParticipationDecision, ProcurementCase
from tender.notifications.operations import page
from tender.rules.calendar import to_jst
from tender.rules.lifecycle import CaseState, Procedure
from tender.sealing.models import CaseKey, KeyPurpose, KeyShare

#: The most a list shows (the rest are on the case lists).
SHOWN = 30


@dataclass(frozen=True)
class Task:
    what: str
    case_title: str
    url: str
    #: When it must be done by (Japan time), if there is a deadline.
    due: datetime | None = None
    #: Since when it waits (for ordering the tasks without a deadline).
    since: datetime | None = None
    detail: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and now > self.due

    @property
    def due_day(self) -> date | None:
        return to_jst(self.due).date() if self.due else None


def _ordered(tasks: list[Task]) -> list[Task]:
    far = datetime.max.replace(tzinfo=None)

    def key(t: Task):
        due = t.due.replace(tzinfo=None) if t.due else far
        since = t.since.replace(tzinfo=None) if t.since else far
        return (t.due is None, due, since, t.case_title, t.what)

    return sorted(tasks, key=key)[:SHOWN]


@cache
def _officer_statements():
    """The officer's to-do statements, built once (building them cost more than running them):
    the officer comes as the parameter ``user_id``; the time is judged in Python."""
    user_id = bindparam("user_id", type_=Integer)
    mine = select(CaseOfficer.case_id).where(CaseOfficer.user_id == user_id).scalar_subquery()
    # Proposal releases that wait for this official's passphrase: another official has given theirs.
    other = aliased(KeyShare)
    waiting = (
        select(ProcurementCase.id, ProcurementCase.title).join(CaseKey, CaseKey.case_id == ProcurementCase.id)
        .join(KeyShare, KeyShare.case_key_id == CaseKey.id)
        .where(KeyShare.user_id == user_id, KeyShare.provided_at.is_(None), CaseKey.released_at.is_(None),
               CaseKey.purpose == KeyPurpose.PROPOSALS,
               exists().where(other.case_key_id == CaseKey.id, other.provided_at.is_not(None)),
               # an opening requested gives the proposals key too: that is the opening's confirmation
               ~exists().where(BidRound.case_id == CaseKey.case_id, BidRound.state == RoundState.REQUESTED)))
    # Openings another official asked for, of cases whose key this official holds a share of.
    requester = aliased(User)
    requested = (
        select(BidRound.number, BidRound.requested_at, requester.name, ProcurementCase.id, ProcurementCase.title)
        .join(ProcurementCase, ProcurementCase.id == BidRound.case_id)
        .join(requester, requester.id == BidRound.requested_by_id)
        .where(BidRound.state == RoundState.REQUESTED, BidRound.requested_by_id != user_id,
               # a share not given yet (with three officials or more, one who confirmed is done)
               exists().where(KeyShare.user_id == user_id, KeyShare.case_key_id == CaseKey.id,
                              KeyShare.provided_at.is_(None), CaseKey.case_id == BidRound.case_id)))
    # The case's own officers: openings due, awards to decide, contracts to draft — one statement:
    # each case with its latest round and whether an award is in force and a contract drafted.
    latest = (select(BidRound.case_id, func.max(BidRound.number).label("number"))
              .where(BidRound.case_id.in_(mine)).group_by(BidRound.case_id).subquery())
    awarded = exists().where(AwardDecision.case_id == ProcurementCase.id, AwardDecision.kind == DecisionKind.AWARD,
                             AwardDecision.lapsed_at.is_(None))
    drafted = exists().where(Contract.case_id == ProcurementCase.id, Contract.state != ContractState.LAPSED)
    cases = (
        select(ProcurementCase.id, ProcurementCase.title, ProcurementCase.state, ProcurementCase.submission_deadline,
               ProcurementCase.opening_at, BidRound.number, BidRound.state.label("round_state"), BidRound.rebid_deadline,
               BidRound.rebid_opening_at, BidRound.opened_at, awarded.label("awarded"), drafted.label("drafted"))
        .outerjoin(latest, latest.c.case_id == ProcurementCase.id)
        .outerjoin(BidRound, and_(BidRound.case_id == ProcurementCase.id, BidRound.number == latest.c.number))
        .where(ProcurementCase.id.in_(mine), ProcurementCase.state.in_(
            [CaseState.PUBLISHED, CaseState.SUBMISSIONS_CLOSED, CaseState.OPENED, CaseState.AWARDED,
             CaseState.COMPETITION])))
    pending = (
        select(Participation.id, Participation.submitted_at, Company.name, ProcurementCase.id, ProcurementCase.title)
        .join(ProcurementCase, ProcurementCase.id == Participation.case_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.case_id.in_(mine), Participation.decision == ParticipationDecision.PENDING)
        .order_by(Participation.submitted_at))
    return waiting, requested, cases, pending


def officer_tasks_and_changes(user: User, now: datetime) -> tuple[list[Task], list[datetime]]:
    """An officer's tasks, and the instants after ``now`` at which the clock alone changes them: the
    submission deadlines not yet past, after which an opening is due. Read as columns, not objects:
    the home page is the most visited of an officer's pages."""
    waiting_stmt, requested_stmt, cases_stmt, pending_stmt = _officer_statements()
    changes: list[datetime] = []
    who = {"user_id": user.id}
    tasks: list[Task] = []
    waiting = db.session.execute(waiting_stmt, who).all()
    for case_id, title in waiting:
        tasks.append(Task("提案書の開封の確認", title, page("bidding.opening", case_id=case_id),
                          detail="もう一人の開札担当職員がパスフレーズを入力済みです。"))
    requested = db.session.execute(requested_stmt, who).all()
    for number, requested_at, name, case_id, title in requested:
        tasks.append(Task(f"開札の確認（第{number}回）", title, page("bidding.opening", case_id=case_id),
                          since=requested_at, detail=f"{name}さんが開札を求めています。パスフレーズを入力して確認してください。"))
    rows = db.session.execute(cases_stmt, who).all()
    for row in rows:
        if (row.number is None and row.state in (CaseState.PUBLISHED, CaseState.SUBMISSIONS_CLOSED)) or (
                row.round_state == RoundState.ACCEPTING):
            # No round yet (nobody has bid) or the first round: the case's schedule; a re-bid: its own.
            number = row.number or 1
            deadline = row.submission_deadline if number == 1 else row.rebid_deadline
            opening = row.opening_at if number == 1 else row.rebid_opening_at
            if deadline is not None and opening is not None and now <= deadline:
                changes.append(deadline + timedelta(microseconds=1))  # the first instant past it
            if deadline is not None and opening is not None and now > deadline:  # a case without 開札 has none
                tasks.append(Task(f"開札（第{number}回）", row.title, page("bidding.opening", case_id=row.id),
                                  due=opening, detail="提出期限を過ぎました。開札予定日時に開札を行ってください。"))
        elif row.round_state == RoundState.OPENED and row.state == CaseState.OPENED and not row.awarded:
            tasks.append(Task("落札者の決定", row.title, page("award.show", case_id=row.id), since=row.opened_at,
                              detail=f"第{row.number}回の開札が終わりました。結果を確認して落札者を決定してください。"))
        if row.state == CaseState.AWARDED and row.awarded and not row.drafted:
            tasks.append(Task("契約書（案）の作成", row.title, page("contracts.for_case", case_id=row.id),
                              detail="落札者が決まりました。契約書（案）を作成して落札者に示してください。"))
    pending = db.session.execute(pending_stmt, who).all()
    for participation_id, submitted_at, company, case_id, title in pending:
        tasks.append(Task("参加意思確認書の確認", title,
                          page("cases.participation_detail", case_id=case_id, participation_id=participation_id),
                          since=submitted_at, detail=f"{company}から提出されています。"))
    return _ordered(tasks), changes


def evaluator_tasks(user: User, now: datetime) -> list[Task]:
    rows = db.session.execute(select(EvaluatorAssignment).where(
        EvaluatorAssignment.user_id == user.id, EvaluatorAssignment.conflict.is_(False),
        ~exists().where(TechnicalSignoff.case_id == EvaluatorAssignment.case_id))
        .order_by(EvaluatorAssignment.assigned_at)).scalars().all()
    tasks: list[Task] = []
    for row in rows:
        case = row.case
        if row.coi_declared_at is None:
            tasks.append(Task("利害関係の申告", case.title, page("evaluation.review", case_id=case.id), since=row.assigned_at,
                              detail="審査員に指名されました。提案者との利害関係の有無を申告してください。"))
        elif row.submitted_at is None and panel.may_review(row, now):
            tasks.append(Task("評価の提出", case.title, page("evaluation.review", case_id=case.id), since=row.coi_declared_at,
                              detail="提案書を評価し、評価を提出してください。"))
        elif row.is_chair and panel.all_submitted(case):
            tasks.append(Task("合議と技術評価の確定", case.title, page("evaluation.consensus", case_id=case.id),
                              detail="全員の評価が提出されました。合議の結果を記録し、確定してください。"))
    return _ordered(tasks)


def company_tasks(company_id: int, now: datetime) -> list[Task]:
    """The bids the company can still send: rounds accepting, before their deadline, that the
    company registered for (the first round) or was admitted to (a re-bid), with no bid of its own.
    Each is due at its deadline and gone after it (``tender.home.readmodel`` keeps the list until
    the first of them)."""
    tasks: list[Task] = []
    # The first round exists once the first bid is in: read the case's own deadline.
    first = db.session.execute(
        select(ProcurementCase).join(CaseRegistration, and_(CaseRegistration.case_id == ProcurementCase.id,
                                                            CaseRegistration.company_id == company_id))
        .where(ProcurementCase.state == CaseState.PUBLISHED, ProcurementCase.submission_deadline > now,
               ProcurementCase.procedure.in_([p for p in Procedure if p.has_bids]),
               ~exists().where(Bid.case_id == ProcurementCase.id, Bid.company_id == company_id))).scalars().all()
    for case in first:
        tasks.append(Task("入札書の提出", case.title, page("bidding.submit", case_id=case.id), due=case.submission_deadline,
                          detail="参加登録した案件です。入札しない場合は辞退を届け出てください。"))
    rebids = db.session.execute(
        select(BidRound, ProcurementCase).join(ProcurementCase, ProcurementCase.id == BidRound.case_id)
        .where(BidRound.number > 1, BidRound.state == RoundState.ACCEPTING, BidRound.rebid_deadline > now,
               ~exists().where(Bid.round_id == BidRound.id, Bid.company_id == company_id),
               ~exists().where(BidDecline.round_id == BidRound.id, BidDecline.company_id == company_id))).all()
    for bid_round, case in rebids:
        if bid_round.eligible_company_ids is not None and company_id not in bid_round.eligible_company_ids:
            continue
        tasks.append(Task(f"再度入札（第{bid_round.number}回）", case.title, page("bidding.submit", case_id=case.id),
                          due=bid_round.rebid_deadline, detail="再度入札を受け付けています。"))
    return _ordered(tasks)


__all__ = ["SHOWN", "Task", "company_tasks", "evaluator_tasks", "officer_tasks_and_changes"]
