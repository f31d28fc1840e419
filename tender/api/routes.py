"""The REST API, version 1 (issue 21): public reads of what the board publishes, and a company's own
registrations, questions, receipts and results for its systems, by token. Read-only: a bid is sealed
in the bidder's browser (tender.bidding.client), and no API may take it in clear."""
from __future__ import annotations

from flask import Blueprint, abort, g
from spectree import Response as Responses
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tender import clock
from tender.api import schemas as s
from tender.api.auth import token_required
from tender.award.operations import award_of, awards_in_force
from tender.bidding.models import Bid, BidRound
from tender.companies.models import Company
from tender.contracts.models import Contract
from tender.contracts.operations import active_contract
from tender.extensions import db
from tender.notices import search
from tender.notices.models import Amendment, CaseAttachment, CaseRegistration, ProcurementCase, Question
from tender.notices.operations import NOTICE_FIELDS, SECRET_FIELDS
from tender.opendata.mapping import ocid_of
from tender.policy import public
from tender.rules.calendar import JST
from tender.rules.lifecycle import CaseState, Procedure
from tender.rules.money import tax_included
from tender.rules.ocds import public_identity
from tender.web.openapi import ApiError, spec
from tender.web.pages import keyset
from tender.web.urls import public_url_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC = "公開情報"
OWN = "自社の情報（トークンが必要）"
#: Every operation may answer these: a query the service refuses outright (a NUL, bytes that are no
#: UTF-8: 400), a parameter its model refuses (422), too many requests (429).
ERRORS = {"HTTP_400": ApiError, "HTTP_422": ApiError, "HTTP_429": ApiError}
OWN_ERRORS = {**ERRORS, "HTTP_401": ApiError, "HTTP_403": ApiError}
SECURED = {"token": []}


def _jst(value):
    return value.astimezone(JST) if value is not None else None


def _page(stmt, order, query: s.Page, *, descending: bool = True):
    return keyset(stmt, order, per_page=query.limit, descending=descending, count=False,
                  args={"after": query.cursor or ""})


def _public_case(case_id: int) -> ProcurementCase:
    case = db.session.get(ProcurementCase, case_id)
    if case is None or not case.is_public_at(clock.now()):
        abort(404)
    return case


def _summary(case: ProcurementCase, now) -> dict:
    return {"id": case.id, "reference": case.reference, "ocid": ocid_of(case), "title": case.title,
            "procedure": case.procedure.value, "procedure_label": case.procedure.label, "state": case.state.value,
            "state_label": case.state_label_at(now), "published_at": _jst(case.published_at),
            "submission_deadline": _jst(case.submission_deadline), "opening_at": _jst(case.opening_at),
            "url": public_url_for("board.show", case_id=case.id)}


def _supplier(company: Company) -> s.Supplier:
    """A company as open data shows it: a 個人事業主's name is a person's, and withheld (as in OCDS)."""
    name, number = public_identity(company.name, company.corporate_number, company.legal_form)
    return s.Supplier(name=name, corporate_number=number)


def _contract(c: Contract) -> s.PublishedContract:
    return s.PublishedContract(
        id=c.id, case_id=c.case_id, reference=c.case.reference, title=c.case.title, contractor=_supplier(c.company),
        amount_total=c.amount_total, signed_on=c.signed_on, published_on=c.published_on, period_from=c.period_from,
        period_to=c.period_to, quantity=c.quantity, procedure_label=c.case.procedure.label, one_bidder=c.one_bidder)


# --- public -------------------------------------------------------------------------------------

@bp.get("/cases")
@public
@spec.validate(resp=Responses(HTTP_200=s.CaseList, **ERRORS), tags=[PUBLIC])
def cases(query: s.CaseQuery):
    """公告中・公告済みの案件

    公告日時の新しい順。q で語を探し（全角・半角を区別せず、1〜2文字の語も）、procedure で調達方式を絞ります。"""
    now = clock.now()
    stmt = search.matching(select(ProcurementCase).where(
        ProcurementCase.state != CaseState.DRAFT, ProcurementCase.published_at.is_not(None),
        ProcurementCase.published_at <= now), query.q)
    if query.procedure:
        stmt = stmt.where(ProcurementCase.procedure == Procedure(query.procedure))
    page = _page(stmt, (ProcurementCase.published_at, ProcurementCase.id), query)
    return s.CaseList(items=[s.CaseSummary(**_summary(c, now)) for c in page.items], next_cursor=page.older)


@bp.get("/cases/<int:case_id>")
@public
@spec.validate(resp=Responses(HTTP_200=s.CaseDetail, HTTP_404=ApiError, **ERRORS), tags=[PUBLIC])
def case(case_id: int):
    """案件（公告の内容）"""
    now = clock.now()
    c = _public_case(case_id)
    attachments = db.session.execute(select(CaseAttachment).where(CaseAttachment.case_id == c.id)
                                     .order_by(CaseAttachment.id)).scalars().all()
    comprehensive = c.procedure.has_technical_evaluation
    return s.CaseDetail(
        **_summary(c, now), description=c.description or "", place_of_performance=c.place_of_performance,
        questions_from=_jst(c.questions_from), questions_until=_jst(c.questions_until),
        submissions_from=_jst(c.submissions_from), contract_from=c.contract_from, contract_to=c.contract_to,
        briefing_at=_jst(c.briefing_at), technical_points=c.technical_points if comprehensive else None,
        price_points=c.price_points if c.procedure == Procedure.COMPREHENSIVE_ADDITION else None,
        documents=[s.Document(title=a.title, url=public_url_for("board.attachment", case_id=c.id, attachment_id=a.id))
                   for a in attachments],
        amendment_count=len(c.amendments))


#: What a 訂正's changed items may show: the notice's public items, not its 問い合わせ先 (people's names,
#: telephones, e-mails: open data carries no personal data) nor internal ids or secret values.
WITHHELD = {"contact_text", "department_id", "planned_party_id", "linked_case_id", *SECRET_FIELDS}


def public_changes(amendment) -> dict:
    changes = amendment.changes if isinstance(amendment.changes, dict) else {}
    return {field: value for field, value in changes.items() if field in NOTICE_FIELDS and field not in WITHHELD}


@bp.get("/cases/<int:case_id>/amendments")
@public
@spec.validate(resp=Responses(HTTP_200=s.AmendmentList, HTTP_404=ApiError, **ERRORS), tags=[PUBLIC])
def amendments(case_id: int):
    """案件の訂正公告"""
    c = _public_case(case_id)
    rows = db.session.execute(select(Amendment).where(Amendment.case_id == c.id).order_by(Amendment.number)).scalars()
    return s.AmendmentList(items=[s.Amendment(number=a.number, made_at=_jst(a.made_at), summary=a.summary,
                                              changes=public_changes(a)) for a in rows])


@bp.get("/cases/<int:case_id>/answers")
@public
@spec.validate(resp=Responses(HTTP_200=s.AnswerList, HTTP_404=ApiError, **ERRORS), tags=[PUBLIC])
def answers(case_id: int):
    """案件の質問回答（公開したもの。質問者は示さない）"""
    c = _public_case(case_id)
    rows = db.session.execute(select(Question).where(Question.case_id == c.id, Question.published_at.is_not(None))
                              .order_by(Question.number)).scalars()
    return s.AnswerList(items=[s.Answer(number=q.number, document=q.document, page=q.page, item=q.item, question=q.body,
                                        answer=q.answer, published_at=_jst(q.published_at)) for q in rows])


@bp.get("/cases/<int:case_id>/result")
@public
@spec.validate(resp=Responses(HTTP_200=s.Result, HTTP_404=ApiError, **ERRORS), tags=[PUBLIC])
def result(case_id: int):
    """入札結果（落札者の決定の後）

    落札者、落札金額（税込）、入札者の数。契約の公表の後は契約も。落札者の決定の前は 404。"""
    c = _public_case(case_id)
    decision = award_of(c) if c.state.is_decided else None
    if decision is None or decision.bid is None:
        abort(404)
    first_round = db.session.execute(select(BidRound).where(BidRound.case_id == c.id)
                                     .order_by(BidRound.number).limit(1)).scalar_one()
    contract = active_contract(c)
    return s.Result(case_id=c.id, reference=c.reference, title=c.title, decided_at=_jst(decision.decided_at),
                    winner=_supplier(decision.bid.company), award_price=tax_included(decision.bid.amount),
                    bidders=len(first_round.bids),
                    contract=_contract(contract) if contract is not None and contract.published_on is not None else None)


def _published_contracts():
    return (select(Contract).where(Contract.published_on.is_not(None))
            .options(selectinload(Contract.case), selectinload(Contract.company)))


@bp.get("/contracts")
@public
@spec.validate(resp=Responses(HTTP_200=s.ContractList, **ERRORS), tags=[PUBLIC])
def contracts(query: s.Page):
    """公表した契約（契約に係る情報の公表）

    公表日の新しい順。"""
    page = _page(_published_contracts(), (Contract.published_on, Contract.id), query)
    return s.ContractList(items=[_contract(c) for c in page.items], next_cursor=page.older)


@bp.get("/contracts/<int:contract_id>")
@public
@spec.validate(resp=Responses(HTTP_200=s.PublishedContract, HTTP_404=ApiError, **ERRORS), tags=[PUBLIC])
def contract(contract_id: int):
    """公表した契約"""
    c = db.session.execute(_published_contracts().where(Contract.id == contract_id)).scalar_one_or_none()
    if c is None:
        abort(404)
    return _contract(c)


# --- the company's own, by token ------------------------------------------------------------------

@bp.after_request
def _not_stored(response):
    """A company's own data is not kept by a shared cache or the browser's."""
    if g.get("api_token") is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


def _company_id() -> int:
    return g.api_token.company_id


def _cases_by_id(ids) -> dict[int, ProcurementCase]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {c.id: c for c in db.session.execute(select(ProcurementCase).where(ProcurementCase.id.in_(ids))).scalars()}


@bp.get("/me")
@token_required("api.own", None)
@spec.validate(resp=Responses(HTTP_200=s.Me, **OWN_ERRORS), tags=[OWN], security=SECURED)
def me():
    """トークンの利用者と事業者"""
    token = g.api_token
    company = db.session.get(Company, token.company_id)
    return s.Me(user_name=token.user.name, company_id=company.id, company_name=company.name,
                scopes=token.scope_list, token_expires_at=_jst(token.expires_at))


@bp.get("/me/registrations")
@token_required("api.own", "registrations:read")
@spec.validate(resp=Responses(HTTP_200=s.RegistrationList, **OWN_ERRORS), tags=[OWN], security=SECURED)
def my_registrations(query: s.Page):
    """自社の参加登録（新しい順）"""
    stmt = select(CaseRegistration).where(CaseRegistration.company_id == _company_id())
    page = _page(stmt, (CaseRegistration.registered_at, CaseRegistration.id), query)
    found = _cases_by_id(r.case_id for r in page.items)
    return s.RegistrationList(items=[s.Registration(case_id=r.case_id, reference=found[r.case_id].reference,
                                                    title=found[r.case_id].title, registered_at=_jst(r.registered_at))
                                     for r in page.items], next_cursor=page.older)


@bp.get("/me/questions")
@token_required("api.own", "questions:read")
@spec.validate(resp=Responses(HTTP_200=s.OwnQuestionList, **OWN_ERRORS), tags=[OWN], security=SECURED)
def my_questions(query: s.Page):
    """自社が提出した質問と回答（新しい順）"""
    stmt = select(Question).where(Question.company_id == _company_id())
    page = _page(stmt, (Question.asked_at, Question.id), query)
    found = _cases_by_id(q.case_id for q in page.items)
    return s.OwnQuestionList(items=[s.OwnQuestion(
        case_id=q.case_id, reference=found[q.case_id].reference, number=q.number, asked_at=_jst(q.asked_at),
        document=q.document, page=q.page, item=q.item, question=q.body,
        answer=q.answer if q.published_at is not None else None, published_at=_jst(q.published_at))
        for q in page.items], next_cursor=page.older)


@bp.get("/me/bids")
@token_required("api.own", "bids:read")
@spec.validate(resp=Responses(HTTP_200=s.ReceiptList, **OWN_ERRORS), tags=[OWN], security=SECURED)
def my_bids(query: s.Page):
    """自社の入札の受付（新しい順）

    受付番号・受付日時・封かんした入札書の指紋。入札額は開札の後にだけ返します（開札まではサーバーも読めません）。"""
    stmt = select(Bid).where(Bid.company_id == _company_id()).options(selectinload(Bid.round))
    page = _page(stmt, (Bid.submitted_at, Bid.id), query)
    found = _cases_by_id(b.case_id for b in page.items)
    return s.ReceiptList(items=[s.Receipt(
        receipt_number=b.receipt_number, case_id=b.case_id, reference=found[b.case_id].reference,
        title=found[b.case_id].title, round=b.round.number, submitted_at=_jst(b.submitted_at),
        fingerprint=b.fingerprint, status=b.status.value, status_label=b.status.label, amount=b.amount)
        for b in page.items], next_cursor=page.older)


@bp.get("/me/results")
@token_required("api.own", "bids:read")
@spec.validate(resp=Responses(HTTP_200=s.OwnResultList, **OWN_ERRORS), tags=[OWN], security=SECURED)
def my_results(query: s.Page):
    """自社が入札した案件の結果（落札者の決定の後。新しい入札順）"""
    company_id = _company_id()
    decided = select(Bid).join(ProcurementCase, ProcurementCase.id == Bid.case_id).where(
        Bid.company_id == company_id,
        ProcurementCase.state.in_([CaseState.AWARDED, CaseState.CONTRACTED, CaseState.CLOSED]))
    page = _page(decided, (Bid.submitted_at, Bid.id), query)
    awards = awards_in_force({b.case_id for b in page.items})
    found = _cases_by_id(b.case_id for b in page.items)
    items, seen = [], set()
    for b in page.items:
        decision = awards.get(b.case_id)
        if decision is None or decision.bid is None or b.case_id in seen:
            continue
        seen.add(b.case_id)
        items.append(s.OwnResult(case_id=b.case_id, reference=found[b.case_id].reference, title=found[b.case_id].title,
                                 outcome="awarded" if decision.bid.company_id == company_id else "not_awarded",
                                 award_price=tax_included(decision.bid.amount), decided_at=_jst(decision.decided_at)))
    return s.OwnResultList(items=items, next_cursor=page.older)
