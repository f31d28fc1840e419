"""The award's records as the prescribed forms' data and as the recomputation contract's JSON."""
from __future__ import annotations

from sqlalchemy import select

from forms.yoshiki.award_notice import AwardNoticeData
from forms.yoshiki.opening_record import OpeningBid, OpeningRecordData
from forms.yoshiki.score_sheet import ScoreRow, ScoreSheetData
from tender.award.models import AwardDecision, DecisionKind
from tender.award.operations import Standing, standing
from tender.bidding.models import BidRound, BidStatus, RoundState
from tender.evaluation import panel
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.organisations.operations import the_authority
from tender.rules import evaluation as engine
from tender.rules.calendar import to_jst
from tender.rules.evaluation_case import case_to_json
from tender.rules.money import tax_included

_REMARKS = {engine.INVALID: "無効", engine.FAILED_SCREENING: "一次評価不合格のため評価対象外",
            engine.FAILED_MANDATORY: "必須項目を満たさないため評価対象外",
            engine.OVER_ESTIMATE: "予定価格超過のため評価対象外"}


def score_sheet_data(case: ProcurementCase, s: Standing):
    """総合評価点一覧 [002 VI]: technical (base + bonus), price points and totals from the engine."""
    rows = []
    for bid in s.round.bids:
        result = s.result_of(bid)
        technical = s.technical.get(bid.id)
        rows.append(ScoreRow(
            bidder=bid.company.name, bid_amount=bid.amount or 0,
            base_points=technical.base or 0 if technical else 0, bonus_points=technical.bonus or 0 if technical else 0,
            price_points=result.price, eligible=result.status == engine.CANDIDATE,
            remarks=_REMARKS.get(result.status, "") if result.status != engine.CANDIDATE else "",
            compared_price=result.compared_price))
    signoff = panel.signoff_of(case)
    authority = the_authority()
    case_input = s.case_input
    return ScoreSheetData(
        case_title=case.title, evaluated_on=to_jst(signoff.signed_at).date() if signoff else None,
        estimated_price=case_input.estimated_price, rows=rows, technical_max=case.technical_points,
        price_max=case.price_points, authority=authority.name if authority else "",
        evaluators=[("審査委員長　" if a.is_chair else "審査員　") + a.user.name for a in panel.active_assignments(case)],
        estimated_price_includes_tax=case_input.estimated_price_tax_included,
        price_basis_label=case.price_score_basis_label, compared_ceiling_note=engine.compared_ceiling_note(case_input))


def case_json(s: Standing) -> dict:
    return case_to_json(s.case_input)


def award_notice_data(case: ProcurementCase, decision: AwardDecision):
    """落札者決定通知書 for the decided winner, with the 第17条 deadline for the signed contract."""
    bid = decision.bid
    company = bid.company
    authority = the_authority()
    opened = bid.round.opened_at or decision.decided_at
    return AwardNoticeData(
        notice_number=f"{case.reference}-落札-{decision.id}", case_title=case.title, company_name=company.name,
        representative=company.representative_name or "", opened_on=to_jst(opened).date(), bid_amount=bid.amount,
        contract_deadline=decision.contract_deadline, date=to_jst(decision.decided_at).date(),
        authority=authority.name if authority else "",
        authority_head=(authority.contracting_officer or "") if authority else "",
        representative_title=company.representative_title or "", contact=_contact(case))


def _contact(case: ProcurementCase) -> str:
    """The case's department as the contact of a notice sent from it: name, telephone, e-mail."""
    department = case.department
    if department is None:
        return ""
    return "　".join(part for part in (department.name, f"電話 {department.phone}" if department.phone else "",
                                        department.email or "") if part)


def opening_record_data(bid_round: BidRound):
    """開札調書 of an opened round. Its result column is the award engine's, as on the award page:
    the 落札者 once decided, the 落札候補 before (none for a round a re-bid replaced)."""
    if bid_round.state != RoundState.OPENED:
        raise ValueError("開札調書は開札後に作成できます。")
    case = bid_round.case
    ceiling, includes_tax = case.price_limit
    results: dict[int, str] = {}
    compared: dict[int, int] = {}
    over: set[int] = set()
    winner, award_amount = "", None
    s = standing(case)
    judged = s is not None and s.round.id == bid_round.id
    if judged:
        for bid in bid_round.bids:
            result = s.result_of(bid)
            if result is None:
                continue
            if result.compared_price is not None:
                compared[bid.id] = result.compared_price
            if result.status == engine.OVER_ESTIMATE:
                over.add(bid.id)
        decided = s.decision
        if decided is not None and decided.kind == DecisionKind.AWARD and decided.bid_id:
            results[decided.bid_id] = "落札者"
            winner, award_amount = decided.bid.company.name, tax_included(decided.bid.amount)
        elif decided is not None and decided.kind == DecisionKind.REBID:
            results.update({b.id: "再度入札" for b in bid_round.bids if b.status == BidStatus.VALID})
        elif decided is None and s.proposed is not None:
            results[s.proposed.id] = "落札候補"
    authority = the_authority()
    witnesses = [bid_round.witness_name] if bid_round.witness_name else []
    return OpeningRecordData(
        case_title=case.title, method=case.procedure.label, opened_at=bid_round.opened_at,
        place=case.opening_place or "", estimated_price=ceiling or 0,
        officer=bid_round.confirmed_by.name if bid_round.confirmed_by else "", witnesses=witnesses,
        bids=[OpeningBid(b.company.name, b.amount, b.status == BidStatus.VALID,
                         remarks=(b.invalid_reason or "") if b.status == BidStatus.INVALID else "",
                         result=results.get(b.id, ""), round=bid_round.number,
                         compared=compared.get(b.id) if judged else _compared(b.amount, includes_tax),
                         over_ceiling=b.id in over if judged else _over(b.amount, includes_tax, ceiling))
              for b in bid_round.bids],
        estimated_price_includes_tax=includes_tax, authority=authority.name if authority else "",
        winner=winner, award_amount=award_amount)


def _compared(amount: int | None, includes_tax: bool) -> int | None:
    """The amount compared with the ceiling (入札心得第5条: with tax where the ceiling includes it)."""
    return None if amount is None else engine.compared_price(amount, estimated_price_tax_included=includes_tax)


def _over(amount: int | None, includes_tax: bool, ceiling: int | None) -> bool:
    return amount is not None and ceiling is not None and _compared(amount, includes_tax) > ceiling


#: code → the first record's form data (or None), for `flask yoshiki export`.
FROM_RECORDS = {
    "opening_record": lambda: (lambda r: opening_record_data(r) if r else None)(
        db.session.execute(select(BidRound).where(BidRound.state == RoundState.OPENED).order_by(BidRound.id)
                           .limit(1)).scalar_one_or_none()),
}
