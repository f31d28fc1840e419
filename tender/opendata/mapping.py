"""What the public may know of a case, as the content of an OCDS 1.1 release (issue 21).

``content(case, now)`` reads the case and returns the release without its ``id``, ``date`` and
``tag`` (tender.opendata.operations gives those). What it leaves out is the point:

* Nothing of the bids before the opening: no amount, no bidder, not even their number — the
  ``numberOfTenderers`` appears once the first round is opened, and the amounts never (the public
  入札結果 gives the 落札金額 only).
* No 予定価格 (sealed until the opening, then kept: the authority publishes it, if at all, by its own
  notice), no 執行限度額, no low-bid investigation.
* No personal data: no officer, evaluator, asker or attendee name, no e-mail or telephone of a
  person, no address of a company; a 個人事業主's name is a person's name and is withheld.
* A contract appears once its information is published (契約の公表, ``published_on``), with its
  implementation (deliverables and payments) from then on.

Japanese fields OCDS has no place for (総合評価's points and criteria, the opening, 質問回答, the
tax in a contract's amount) go in this publisher's extension: ``tender/opendata/extension``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from tender.award.models import AwardDecision, DecisionKind
from tender.bidding.models import BidRound, RoundState
from tender.companies.models import Company
from tender.contracts.models import Contract, Deliverable, Delivery, InspectionResult, Invoice
from tender.criteria.models import EvaluationCriterion
from tender.extensions import db
from tender.notices.models import CaseAttachment, ProcurementCase, Question
from tender.organisations.operations import the_authority
from tender.rules import ocds as rules
from tender.rules.lifecycle import CaseState
from tender.rules.money import tax_included
from tender.web.urls import public_url_for

CURRENCY = "JPY"


def _value(amount: int | None) -> dict | None:
    return None if amount is None else {"amount": int(amount), "currency": CURRENCY}


def _prune(obj: Any) -> Any:
    """Drop empty members (None, "", [], {}): OCDS wants a field absent rather than null."""
    if isinstance(obj, dict):
        out = {k: _prune(v) for k, v in obj.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(obj, list):
        return [_prune(v) for v in obj]
    return obj


def ocid_of(case: ProcurementCase) -> str:
    return rules.ocid_for(current_app.config["OCDS_OCID_PREFIX"], case.reference)


def buyer_party(prefix: str) -> dict:
    authority = the_authority()
    name = authority.name if authority is not None else current_app.config["OCDS_PUBLISHER_NAME"]
    party = {"id": f"{prefix}-buyer", "name": name, "roles": ["buyer", "procuringEntity"]}
    if authority is not None and authority.address:
        party["address"] = {"streetAddress": authority.address, "postalCode": authority.postal_code,
                            "countryName": "日本"}
    return party


def supplier_party(company: Company, prefix: str) -> dict:
    """A company as a party: its name and 法人番号 (the Corporate Number registry, org-id.guide's
    ``JP-JCN``), never its address, people or telephone. A 個人事業主 is a person: named by its role only."""
    name, number = rules.public_identity(company.name, company.corporate_number, company.legal_form)
    party: dict[str, Any] = {"id": f"{prefix}-company-{company.id}", "name": name, "roles": ["supplier", "tenderer"]}
    if number:
        party["identifier"] = {"scheme": "JP-JCN", "id": number, "legalName": name}
    return party


def _amendments(case: ProcurementCase) -> list[dict]:
    """訂正公告: its text (with the reason of a shortened period, issue 19), never who made it."""
    return [{"id": str(a.number), "date": rules.jst_datetime(a.made_at), "description": a.summary}
            for a in sorted(case.amendments, key=lambda a: a.number)]


def _enquiries(case: ProcurementCase) -> list[dict]:
    """Published answers only, without who asked (質問回答書 names no company)."""
    rows = db.session.execute(select(Question).where(Question.case_id == case.id, Question.published_at.is_not(None))
                              .order_by(Question.number)).scalars().all()
    return [{"id": str(q.number), "date": rules.jst_datetime(q.published_at), "title": q.item or q.document,
             "description": q.body, "answer": q.answer, "dateAnswered": rules.jst_datetime(q.published_at),
             "relatedDocument": q.document, "relatedPage": q.page} for q in rows]


def _documents(case: ProcurementCase) -> list[dict]:
    docs = [{"id": "notice", "documentType": "tenderNotice", "title": f"入札公告 {case.title}",
             "url": public_url_for("board.show", case_id=case.id), "format": "text/html", "language": "ja",
             "datePublished": rules.jst_datetime(case.published_at)}]
    attachments = db.session.execute(select(CaseAttachment).where(CaseAttachment.case_id == case.id)
                                     .order_by(CaseAttachment.id)).scalars().all()
    docs += [{"id": f"attachment-{a.id}", "documentType": "biddingDocuments", "title": a.title,
              "url": public_url_for("board.attachment", case_id=case.id, attachment_id=a.id), "language": "ja"} for a in attachments]
    return docs


def _evaluation(case: ProcurementCase) -> dict | None:
    method = rules.COMPREHENSIVE_METHOD.get(case.procedure)
    if method is None:
        return None
    criteria = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.case_id == case.id)
                                  .order_by(EvaluationCriterion.position, EvaluationCriterion.id)).scalars().all()
    return {"method": method, "technicalPoints": case.technical_points,
            "pricePoints": case.price_points if method == "addition" else None,
            "priceScoreBasis": case.price_score_basis_label,
            "criteria": [{"id": c.item_id, "section": c.section,
                          "title": " / ".join(p for p in (c.major, c.middle, c.title) if p),
                          "points": c.points, "mandatory": c.kind == "mandatory"} for c in criteria]}


def _tender(case: ProcurementCase, rounds: list[BidRound]) -> dict:
    first = rounds[0] if rounds else None
    opened = first is not None and first.state == RoundState.OPENED
    enquiries = _enquiries(case)
    return {
        "id": case.reference,
        "title": case.title,
        "description": case.description,
        "status": rules.tender_status(case.state),
        "procurementMethod": rules.PROCUREMENT_METHOD[case.procedure],
        "procurementMethodDetails": case.procedure.label,
        "awardCriteria": rules.AWARD_CRITERIA[case.procedure],
        "awardCriteriaDetails": rules.AWARD_CRITERIA_DETAILS[case.procedure],
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": "電子調達システム（tender）の入札画面で封かんして提出する。",
        "tenderPeriod": {"startDate": rules.jst_datetime(case.submissions_from or case.published_at),
                         "endDate": rules.jst_datetime(case.submission_deadline)},
        "enquiryPeriod": {"startDate": rules.jst_datetime(case.questions_from),
                          "endDate": rules.jst_datetime(case.questions_until)},
        "contractPeriod": {"startDate": rules.jst_datetime(case.contract_from),
                           "endDate": rules.jst_datetime(case.contract_to)},
        "hasEnquiries": True if enquiries else None,
        "enquiries": enquiries,
        "numberOfTenderers": len(first.bids) if opened else None,
        "documents": _documents(case),
        "amendments": _amendments(case),
        "openingDate": rules.jst_datetime(case.opening_at),
        "deliveryLocation": case.place_of_performance,
        "comprehensiveEvaluation": _evaluation(case),
        "cancellationReason": case.cancel_reason if case.state is CaseState.CANCELLED else None,
    }


def _awards(case: ProcurementCase, prefix: str) -> tuple[list[dict], dict[int, str], list[Company]]:
    decisions = db.session.execute(select(AwardDecision).where(
        AwardDecision.case_id == case.id, AwardDecision.kind == DecisionKind.AWARD).order_by(AwardDecision.id)).scalars().all()
    awards, award_ids, suppliers = [], {}, []
    for d in decisions:
        bid = d.bid
        if bid is None or bid.amount is None:
            continue
        company = db.session.get(Company, bid.company_id)
        suppliers.append(company)
        award_id = f"{case.reference}-award-{d.id}"
        award_ids[d.id] = award_id
        awards.append({"id": award_id, "title": f"落札者の決定（{case.title}）",
                       "status": "cancelled" if d.lapsed_at is not None else "active",
                       "date": rules.jst_datetime(d.decided_at),
                       "value": _value(tax_included(bid.amount)),
                       "amountExcludingTax": int(bid.amount),
                       "suppliers": [{"id": f"{prefix}-company-{company.id}",
                                      "name": supplier_party(company, prefix)["name"]}]})
    return awards, award_ids, suppliers


def _milestones(contract: Contract) -> list[dict]:
    deliverables = db.session.execute(select(Deliverable).where(Deliverable.contract_id == contract.id)
                                      .order_by(Deliverable.due_on, Deliverable.id)).scalars().all()
    if not deliverables:
        return []
    deliveries: dict[int, list[Delivery]] = {}
    for row in db.session.execute(select(Delivery).where(Delivery.deliverable_id.in_([d.id for d in deliverables]))
                                  .order_by(Delivery.number)).scalars():
        deliveries.setdefault(row.deliverable_id, []).append(row)
    out = []
    for d in deliverables:
        passed = [x for x in deliveries.get(d.id, []) if x.result in (InspectionResult.PASSED, InspectionResult.DEEMED)]
        out.append({"id": f"deliverable-{d.id}", "title": d.title, "type": "delivery",
                    "dueDate": rules.jst_datetime(d.due_on),
                    "dateMet": rules.jst_datetime(passed[-1].inspected_on) if passed and passed[-1].inspected_on else None,
                    "status": "met" if passed else "scheduled"})
    return out


def _transactions(contract: Contract, buyer_id: str, supplier_id: str) -> list[dict]:
    invoices = db.session.execute(select(Invoice).where(Invoice.contract_id == contract.id, Invoice.paid_on.is_not(None))
                                  .order_by(Invoice.paid_on, Invoice.id)).scalars().all()
    return [{"id": f"payment-{i.id}", "date": rules.jst_datetime(i.paid_on),
             "value": _value(i.amount), "payer": {"id": buyer_id}, "payee": {"id": supplier_id}} for i in invoices]


def _contracts(case: ProcurementCase, award_ids: dict[int, str], prefix: str) -> list[dict]:
    contracts = db.session.execute(select(Contract).where(Contract.case_id == case.id, Contract.published_on.is_not(None))
                                   .order_by(Contract.id)).scalars().all()
    out = []
    for c in contracts:
        if c.award_decision_id not in award_ids:
            continue
        supplier_id = f"{prefix}-company-{c.company_id}"
        implementation = {"milestones": _milestones(c), "transactions": _transactions(c, f"{prefix}-buyer", supplier_id)}
        out.append({
            "id": f"{case.reference}-contract-{c.id}",
            "awardID": award_ids[c.award_decision_id],
            "title": case.title,
            "status": rules.CONTRACT_STATUS[c.state.value],
            "period": {"startDate": rules.jst_datetime(c.period_from), "endDate": rules.jst_datetime(c.period_to)},
            "value": _value(c.amount_total),
            "valueBreakdown": {"amountExcludingTax": int(c.amount_excl), "tax": int(c.tax)},
            "dateSigned": rules.jst_datetime(c.signed_on),
            "quantity": c.quantity,
            "datePublished": rules.jst_datetime(c.published_on),
            "amendments": [{"id": str(ch.number), "date": rules.jst_datetime(ch.agreed_on), "rationale": ch.reason}
                           for ch in c.changes],
            "implementation": implementation,
        })
    return out


def content(case: ProcurementCase, now: datetime) -> dict | None:
    """The release content of ``case`` as the public may know it at ``now``; None while it is not public."""
    if not case.is_public_at(now):
        return None
    prefix = ocid_of(case)
    rounds = db.session.execute(select(BidRound).where(BidRound.case_id == case.id).order_by(BidRound.number)).scalars().all()
    awards, award_ids, suppliers = _awards(case, prefix)
    parties = [buyer_party(prefix)]
    seen = set()
    for company in suppliers:
        if company.id not in seen:
            seen.add(company.id)
            parties.append(supplier_party(company, prefix))
    buyer = parties[0]
    release = {
        "ocid": prefix,
        "initiationType": "tender",
        "language": "ja",
        "parties": parties,
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": _tender(case, rounds),
        "awards": awards,
        "contracts": _contracts(case, award_ids, prefix),
    }
    release["tender"]["procuringEntity"] = {"id": buyer["id"], "name": buyer["name"]}
    return _prune(release)
