"""The award's records as the prescribed forms' data and as the recomputation contract's JSON."""
from __future__ import annotations

from tender.award.models import AwardDecision
from tender.award.operations import Standing, contract_deadline
from tender.documents.yoshiki import _authority
from tender.evaluation import panel
from tender.notices.models import ProcurementCase
from tender.rules import evaluation as engine
from tender.rules.calendar import to_jst
from tender.rules.evaluation_case import case_to_json

_REMARKS = {engine.INVALID: "無効", engine.FAILED_SCREENING: "一次評価不合格のため評価対象外",
            engine.FAILED_MANDATORY: "必須項目を満たさないため評価対象外",
            engine.OVER_ESTIMATE: "予定価格超過のため評価対象外"}


def score_sheet_data(case: ProcurementCase, s: Standing):
    """総合評価点一覧 [002 VI]: technical (base + bonus), price points and totals from the engine."""
    from forms.yoshiki.score_sheet import ScoreRow, ScoreSheetData

    rows = []
    for bid in s.round.bids:
        result = s.result_of(bid)
        technical = s.technical.get(bid.id)
        rows.append(ScoreRow(
            bidder=bid.company.name, bid_amount=bid.amount or 0,
            base_points=technical.base or 0 if technical else 0, bonus_points=technical.bonus or 0 if technical else 0,
            price_points=result.price, eligible=result.status == engine.CANDIDATE,
            remarks=_REMARKS.get(result.status, "") if result.status != engine.CANDIDATE else ""))
    signoff = panel.signoff_of(case)
    authority = _authority()
    return ScoreSheetData(
        case_title=case.title, evaluated_on=to_jst(signoff.signed_at).date() if signoff else None,
        estimated_price=s.case_input.estimated_price, rows=rows, technical_max=case.technical_points,
        price_max=case.price_points, authority=authority.name if authority else "",
        evaluators=[("審査委員長　" if a.is_chair else "審査員　") + a.user.name for a in panel.active_assignments(case)])


def case_json(s: Standing) -> dict:
    return case_to_json(s.case_input)


def award_notice_data(case: ProcurementCase, decision: AwardDecision):
    """落札者決定通知書 for the decided winner, with the 第17条 deadline for the signed contract."""
    from forms.yoshiki.award_notice import AwardNoticeData

    bid = decision.bid
    company = bid.company
    authority = _authority()
    opened = bid.round.opened_at or decision.decided_at
    return AwardNoticeData(
        notice_number=f"{case.reference}-落札-{decision.id}", case_title=case.title, company_name=company.name,
        representative=company.representative_name or "", opened_on=to_jst(opened).date(), bid_amount=bid.amount,
        contract_deadline=contract_deadline(decision.decided_at), date=to_jst(decision.decided_at).date(),
        authority=authority.name if authority else "",
        authority_head=(authority.contracting_officer or "") if authority else "")
