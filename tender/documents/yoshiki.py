"""Filling the prescribed forms (forms/) from the application's records.

Each builder turns ORM objects into a form's plain data (forms never see the database);
``export`` writes every form, filled from the first matching record where one exists and
from the form's own sample otherwise.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tender.bidding.models import Bid, BidRound, BidStatus, RoundState
from tender.extensions import db
from tender.notices.models import Question
from tender.organisations.models import Authority
from tender.rules.calendar import to_jst


def _authority() -> Authority | None:
    return db.session.execute(select(Authority).order_by(Authority.id).limit(1)).scalar_one_or_none()


def receipt_data(bid: Bid):
    """提案書受理票 for a sealed bid: what was received and its fingerprints, never the amount."""
    from forms.yoshiki.receipt import ReceiptData, ReceivedDocument, ReceivedFile

    case, company = bid.round.case, bid.company
    contact = company.contacts[0] if company.contacts else None
    authority = _authority()
    files = [ReceivedFile(f"入札書（封印）{bid.receipt_number}", len(bid.sealed_payload), bid.fingerprint)]
    files += [ReceivedFile(f.file.filename, f.file.size, f.file.sha256) for f in bid.files]
    return ReceiptData(
        receipt_number=bid.receipt_number, case_title=case.title, company_name=company.name,
        company_address=company.address, contact_position=(contact.title or "") if contact else "",
        contact_name=contact.name if contact else company.representative_name,
        phone=(contact.phone or "") if contact else (company.phone or ""), email=(contact.email or "") if contact else "",
        received_at=bid.submitted_at,
        documents=[ReceivedDocument(d.name, f"{d.copies}部", received=d.on_screen or any(
            f.document_id == d.id for f in bid.files)) for d in case.required_documents],
        files=files, authority=authority.name if authority else "",
        department=case.department.name if case.department else "", officer_name="",
        receipt_random=bid.receipt_random)


def opening_record_data(bid_round: BidRound):
    """開札調書 of an opened round."""
    from forms.yoshiki.opening_record import OpeningBid, OpeningRecordData

    if bid_round.state != RoundState.OPENED:
        raise ValueError("開札調書は開札後に作成できます。")
    case = bid_round.case
    from tender.bidding.operations import ceiling_of, outcome

    ceiling, tax_included = ceiling_of(case)
    result = outcome(bid_round) if not case.procedure.has_technical_evaluation else None  # 総合評価: the award page
    winner = result.winner_id if result else None
    authority = _authority()
    witnesses = [bid_round.witness_name] if bid_round.witness_name else []
    return OpeningRecordData(
        case_title=case.title, method=case.procedure.label, opened_at=bid_round.opened_at,
        place=case.opening_place or "", estimated_price=ceiling or 0,
        officer=bid_round.confirmed_by.name if bid_round.confirmed_by else "", witnesses=witnesses,
        bids=[OpeningBid(b.company.name, b.amount, b.status == BidStatus.VALID,
                         remarks=(b.invalid_reason or "") if b.status == BidStatus.INVALID else "",
                         result="落札候補" if b.id == winner else "", round=bid_round.number)
              for b in bid_round.bids],
        estimated_price_includes_tax=tax_included, authority=authority.name if authority else "")


def question_data(question: Question):
    """質問書 (様式1) as the company submitted it."""
    from forms.yoshiki.question import QuestionData

    company = question.company
    contact = company.contacts[0] if company.contacts else None
    return QuestionData(
        case_title=question.case.title, company_name=company.name, department=(contact.title or "") if contact else "",
        person=contact.name if contact else company.representative_name,
        phone=(contact.phone or "") if contact else "", email=(contact.email or "") if contact else "",
        document=question.document, page=question.page or "", item=question.item or "", body=question.body,
        date=to_jst(question.asked_at).date())


#: code → a function that finds a record and builds the form's data from it (or None).
FROM_RECORDS: dict[str, Callable[[], object | None]] = {
    "receipt": lambda: (lambda b: receipt_data(b) if b else None)(
        db.session.execute(select(Bid).order_by(Bid.id).limit(1)).scalar_one_or_none()),
    "opening_record": lambda: (lambda r: opening_record_data(r) if r else None)(
        db.session.execute(select(BidRound).where(BidRound.state == RoundState.OPENED).order_by(BidRound.id)
                           .limit(1)).scalar_one_or_none()),
    "question": lambda: (lambda q: question_data(q) if q else None)(
        db.session.execute(select(Question).order_by(Question.id).limit(1)).scalar_one_or_none()),
}


def export(outdir: Path) -> list[Path]:
    """Every form as <code>.pdf and <code>.docx (and .xlsx where it has one)."""
    import forms

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for code in forms.codes():
        data = FROM_RECORDS[code]() if code in FROM_RECORDS else None
        for ext, render in (("pdf", forms.render_pdf), ("docx", forms.render_docx)):
            path = outdir / f"{code}.{ext}"
            path.write_bytes(render(code, data))
            written.append(path)
        if code in forms.XLSX_CODES:
            path = outdir / f"{code}.xlsx"
            path.write_bytes(forms.render_xlsx(code, data))
            written.append(path)
    return written
